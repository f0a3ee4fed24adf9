/**
 * The curriculum map: every question (Q1-Q13) and misconception (M1-M15) of the class's curriculum, with the
 * lesson and the step that answers it, so that a teacher can link straight to it (`?lesson=<id>&step=<n>`,
 * with the link parameters that pick the lesson's variant, e.g. `emit=socket`, before the step).
 *
 * Step numbers are 1-based and written out, because teachers copy them into links; tests/lesson/
 * curriculum.test.ts builds each entry's timeline from its link and checks that the step exists and carries
 * the id in `step.curriculum`. M10 is answered with deflate=1 (permessage-deflate) and M12 at the router
 * the path has by default (hops=1). docs/curriculum-map.md is generated from this table (`npm run curriculum:map`).
 */
import { lessonById } from './catalogue';
import { curriculumLink, type CurriculumPlace } from './curriculumLink';

export { curriculumLink };

export interface CurriculumEntry extends CurriculumPlace {
  /** 'Q1'..'Q13', 'M1'..'M15'. */
  readonly id: string;
  /** The question or misconception, as the class brings it. */
  readonly text: string;
  /** One line: what the step shows. */
  readonly how: string;
}

export const CURRICULUM_MAP: readonly CurriculumEntry[] = [
  {
    id: 'Q1',
    text: 'What is a WebSocket?',
    lesson: 'websocket',
    step: 66,
    how: 'onopen: the connection that carried the HTTP upgrade becomes a full-duplex WebSocket (RFC 6455, 2011); both sides may now send at any time.',
  },
  {
    id: 'Q2',
    text: 'Describe the WebSocket handshake and what happens once the connection is established',
    lesson: 'upgrade',
    step: 13,
    how: "The 101 Switching Protocols with Sec-WebSocket-Accept = base64(SHA-1(key + GUID)), computed step by step from this run's key; frames follow on the same connection.",
  },
  {
    id: 'Q3',
    text: 'The server can send content without first receiving a ___',
    lesson: 'frames',
    step: 16,
    how: "A server push: the server's first frame, while the browser has sent no data since the 101 (no request).",
  },
  {
    id: 'Q4',
    text: 'What does `io.on()` do?',
    lesson: 'socketio',
    step: 31,
    how: 'io.on(\'connection\') runs once for the browser whose CONNECT (40) just arrived, hands over its socket (id from this run) and logs "a user connected".',
  },
  {
    id: 'Q5',
    text: 'Proof of life that the code works',
    lesson: 'socketio',
    step: 74,
    how: 'The server console logs "message: Hello" at the very step the 42["chat message","Hello"] frame is decoded.',
  },
  {
    id: 'Q6',
    text: 'What does `socket.emit()` do?',
    lesson: 'emit',
    step: 149,
    how: 'With three browsers connected, socket.broadcast.emit sends the event to Browser 2 and Browser 3 only; the asides compare socket.emit, io.emit and rooms.',
  },
  {
    id: 'Q7',
    text: 'WebSocket vs Socket.IO',
    lesson: 'socketio',
    step: 55,
    how: 'The text 42["chat message","Hello"] (Engine.IO message 4, Socket.IO EVENT 2, JSON) inside a masked WebSocket frame: three protocols at layer 7.',
  },
  {
    id: 'Q8',
    text: 'When would you use Socket.IO?',
    lesson: 'reconnect',
    step: 156,
    how: "After a network drop the Manager reconnects by itself ('reconnect' after 2 attempts) and then sends what was emitted offline.",
  },
  {
    id: 'Q8',
    text: 'When would you use Socket.IO?',
    lesson: 'socketio',
    step: 104,
    how: 'An acknowledgement: the server answers the emit 420["users online"] with 430[1], which runs the callback in the page.',
  },
  {
    id: 'Q9',
    text: 'When would you use plain WebSockets?',
    lesson: 'socketio',
    step: 127,
    how: 'The summary: what Socket.IO added to a plain WebSocket, byte by byte, and when the standard protocol alone is the better choice.',
  },
  {
    id: 'Q10',
    text: 'The OSI model',
    lesson: 'osi',
    step: 58,
    how: 'The "Hello" frame starts down the seven layers (data, segment, packet, frame, bits), with the size after each layer in the aside.',
  },
  {
    id: 'Q11',
    text: 'The TCP handshake, for a non-technical friend',
    lesson: 'tcp',
    step: 8,
    how: 'The third segment: ACK with Seq = x+1 and Ack = y+1, and why each side starts from a random number.',
  },
  {
    id: 'Q11',
    text: 'The TCP handshake, for a non-technical friend',
    lesson: 'tcp',
    step: 24,
    how: 'The goodbye begins: the first FIN, which uses up one sequence number like the SYN.',
  },
  {
    id: 'Q12',
    text: 'Why not just HTTP polling?',
    lesson: 'polling-vs-websocket',
    step: 270,
    how: 'The same 10 messages by short polling, long polling, WebSocket and Socket.IO: bytes on the wire (every header) and delay, as the chart and the totals.',
  },
  {
    id: 'Q13',
    text: "Socket.IO's reserved events",
    lesson: 'socketio',
    step: 31,
    how: "The server's reserved 'connection' event fires for the new socket; 'disconnect' follows at the end of the lesson.",
  },
  {
    id: 'Q13',
    text: "Socket.IO's reserved events",
    lesson: 'reconnect',
    step: 133,
    how: "reconnect_attempt 1: a Manager event (socket.io.on), fired after the socket's 'disconnect' (ping timeout).",
  },
  {
    id: 'Q13',
    text: "Socket.IO's reserved events",
    lesson: 'emit',
    params: 'emit=room',
    step: 214,
    how: "'disconnecting' fires on the server while socket.rooms still holds room1; the step lists every v4 reserved name (socket, io, Manager) in one place.",
  },
  {
    id: 'M1',
    text: '"`socket.emit()` sends a message to all connected clients"',
    lesson: 'emit',
    step: 149,
    how: "Three browsers; the handler's socket.broadcast.emit reaches two of them and not the sender; socket.emit would reach one, io.emit all three.",
  },
  {
    id: 'M1',
    text: '"`socket.emit()` sends a message to all connected clients"',
    lesson: 'emit',
    params: 'emit=socket',
    step: 149,
    how: 'The same three browsers with emit=socket: socket.emit answers Browser 1 alone, one 42[…] frame; Browsers 2 and 3 get nothing.',
  },
  {
    id: 'M1',
    text: '"`socket.emit()` sends a message to all connected clients"',
    lesson: 'emit',
    params: 'emit=io',
    step: 149,
    how: 'The same three browsers with emit=io: io.emit writes the one 42[…] packet to all three sessions, the sender included: three frames.',
  },
  {
    id: 'M2',
    text: '"The WebSocket handshake is a three-way handshake"',
    lesson: 'upgrade',
    step: 9,
    how: "After TCP's three segments (layer 4), the WebSocket handshake is one HTTP GET with Upgrade: websocket (layer 7) on the same connection, then one 101.",
  },
  {
    id: 'M3',
    text: '"In the final ACK the SYN number is reset to 0" / "the same SYN number"',
    lesson: 'tcp',
    step: 8,
    how: "The final ACK carries Seq = x+1 and Ack = y+1 with this run's absolute numbers; Wireshark's 0 and 1 are relative.",
  },
  {
    id: 'M3',
    text: '"In the final ACK the SYN number is reset to 0" / "the same SYN number"',
    lesson: 'tcp',
    step: 28,
    how: "The second FIN carries the ACK of the first: Ack = that FIN's Seq + 1, as FIN, like SYN, uses up one number.",
  },
  {
    id: 'M4',
    text: '"Socket.IO is an implementation of the WebSocket protocol"',
    lesson: 'socketio',
    step: 25,
    how: 'The session opens with plain HTTP long-polling: the answer 0{"sid":…} is Engine.IO\'s own protocol, before any WebSocket exists.',
  },
  {
    id: 'M4',
    text: '"Socket.IO is an implementation of the WebSocket protocol"',
    lesson: 'socketio',
    step: 55,
    how: 'Once upgraded, every WebSocket frame carries Engine.IO and Socket.IO bytes (42[…]) that a plain WebSocket peer would not understand.',
  },
  {
    id: 'M5',
    text: '"The session layer includes DNS"',
    lesson: 'socketio',
    step: 57,
    how: 'Layer 5 here is the Engine.IO session (its sid and its heartbeat), which adds no header; DNS is an application-layer protocol.',
  },
  {
    id: 'M6',
    text: '"Every OSI layer adds a header"',
    lesson: 'osi',
    step: 62,
    how: 'Layer 6 encodes "Hello" as UTF-8 and adds no bytes (nor does layer 5); the headers come from WebSocket, TCP, IPv4 and Ethernet.',
  },
  {
    id: 'M7',
    text: '"A WebSocket stays open forever"',
    lesson: 'close',
    step: 24,
    how: 'The server calls ws.close(1000, "bye"): the WebSocket stays open until one side starts the closing handshake or the network drops it.',
  },
  {
    id: 'M7',
    text: '"A WebSocket stays open forever"',
    lesson: 'reconnect',
    step: 127,
    how: "The network drops; no packet says so; after pingInterval + pingTimeout the heartbeat gives up: 'disconnect' (ping timeout), then Socket.IO reconnects.",
  },
  {
    id: 'M8',
    text: '"Ping/Reconnect/Join/Leave/connect_timeout are socket events"',
    lesson: 'reconnect',
    step: 133,
    how: "reconnect_attempt is the Manager's event (socket.io.on('reconnect_attempt')), not the socket's; connect_timeout no longer exists in v4.",
  },
  {
    id: 'M8',
    text: '"Ping/Reconnect/Join/Leave/connect_timeout are socket events"',
    lesson: 'emit',
    params: 'emit=room',
    step: 214,
    how: "The v4 names side by side: the socket's disconnecting/disconnect, the Manager's ping and reconnect_*; join and leave are methods (socket.join('room1') earlier).",
  },
  {
    id: 'M9',
    text: '"The session layer does authentication and authorisation"',
    lesson: 'wss',
    step: 46,
    how: "The server's TLS flight carries its Certificate and CertificateVerify: TLS authenticates the server; cookies or tokens would be HTTP headers (layer 7).",
  },
  {
    id: 'M10',
    text: '"The presentation layer translates (ASCII to base64), compresses and encrypts"',
    lesson: 'websocket',
    params: 'deflate=1',
    step: 68,
    how: 'The frame travels compressed by permessage-deflate (RFC 7692): offered by Chrome, accepted by ws in the upgrade, marked by RSV1; UTF-8 is an encoding and encryption is TLS (the wss lesson).',
  },
  {
    id: 'M11',
    text: '"The physical layer is the machine / electrons"',
    lesson: 'osi',
    step: 10,
    how: "Layer 1 is the signal: the SYN's frame as bits after 7 bytes of preamble and a start-of-frame byte, with the bit count and its time at 100 Mbit/s.",
  },
  {
    id: 'M12',
    text: '"The data link layer sends IP packets and uses CSMA"',
    lesson: 'osi',
    step: 14,
    how: 'At the router the frame gets new MAC addresses (the next hop found with ARP) while the IP packet keeps 192.0.2.10 → 198.51.100.20; on full-duplex switched Ethernet there are no collisions for CSMA/CD to handle.',
  },
  {
    id: 'M13',
    text: '"SYN is a number sent along with the sequence number"',
    lesson: 'tcp',
    step: 4,
    how: "The SYN's flags byte from this run's frame, 0x02 = 00000010: SYN is one bit; the number beside it is the sequence number x.",
  },
  {
    id: 'M14',
    text: '"WebSocket is a library" / "an event-driven library"',
    lesson: 'upgrade',
    step: 16,
    how: "The page's ws.send('Hello') (the browser's WebSocket API) beside the RFC 6455 frame it caused, byte by byte, masked.",
  },
  {
    id: 'M15',
    text: '"TCP guarantees accurate delivery"',
    lesson: 'loss',
    step: 28,
    how: 'A lost segment is sent again after three duplicate ACKs: the same bytes, the same sequence number.',
  },
  {
    id: 'M15',
    text: '"TCP guarantees accurate delivery"',
    lesson: 'reconnect',
    step: 132,
    how: 'Retransmissions of the ping (after 1, 2, 4, 8 s) cannot cross the broken path; the connection fails and is aborted with a RST that never arrives.',
  },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function idOrder(id: string): number {
  const n = Number(id.slice(1));
  return (id.startsWith('Q') ? 0 : 100) + n;
}

/** docs/curriculum-map.md: the map as a Markdown table, in curriculum order (Q1…Q13, then M1…M15). */
export function curriculumMapMarkdown(): string {
  const rows = [...CURRICULUM_MAP]
    .map((e, i) => ({ e, i }))
    .sort((a, b) => idOrder(a.e.id) - idOrder(b.e.id) || a.i - b.i)
    .map(({ e }) => {
      const title = lessonById(e.lesson)?.title ?? e.lesson;
      const link = curriculumLink(e);
      return `| ${e.id} | ${cell(e.text)} | ${cell(title)} (\`${e.lesson}\`) | ${e.step} | \`${link}\` | ${cell(e.how)} |`;
    });
  return [
    '# Curriculum map',
    '',
    '<!-- Generated by `npm run curriculum:map` from src/lesson/curriculum.ts. Do not edit by hand. -->',
    '',
    'Every question (Q) and misconception (M) of the class curriculum, with the lesson step that answers it.',
    "Add the link to the app's address, e.g. `https://example.org/wirewalk/?lesson=tcp&step=8`. Step numbers",
    'are for the lesson as the link opens it (its default scenario, or the variant the link names);',
    'tests/lesson/curriculum.test.ts checks each one. M10 (permessage-deflate) and M12 (the router) are',
    'answered by lessons still being built and join the map when they are merged.',
    '',
    '| Id | Question or misconception | Lesson | Step | Link | What the step shows |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
