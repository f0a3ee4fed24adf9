export function App() {
  return (
    <main>
      <h1>Wirewalk</h1>
      <p>Step through what really happens, byte by byte, when a web page talks to a server.</p>
    </main>
  );
}
