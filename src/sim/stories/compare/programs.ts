/**
 * The two programs of the polling-vs-websocket story: a page that gets the news five ways, one after
 * another, and a Node server that offers all five (an HTTP endpoint, an event stream, a `ws` server,
 * socket.io).
 */
import type { Scenario } from '../../scenario';
import { ProgramText } from '../../steps/programText';
import type { CodeRef, Program } from '../../types';
import { NS_PER_MS } from '../../engine/network';
import { COMPARE, type CompareMethod } from './methods';

/** Where each method starts and where its messages are sent and received. */
export interface CompareLines {
  readonly client: Record<CompareMethod, { readonly start: CodeRef; readonly receive: CodeRef }>;
  readonly server: Record<CompareMethod, { readonly start: CodeRef; readonly send: CodeRef }>;
}

export function comparePrograms(scenario: Scenario): {
  client: Program;
  server: Program;
  lines: CompareLines;
} {
  const c = new ProgramText('client', 'client.js');
  const s = new ProgramText('server', 'server.js');
  const cl = (line: string) => c.add(line);
  const sl = (line: string) => s.add(line);
  // Wirewalk's choice: the page (client.js) and the server (server.js) of this story, as the learner reads them;
  // sim/stories/compare/timeline.ts runs exactly this behaviour.
  cl('// client.js: the page gets the news five ways, one after another');
  cl('let since = 0;');
  // WHATWG Console console.log(): the page prints each message.
  cl('const show = (text) => console.log(text);');
  // RFC 6202 §2.1: traditional polling asks at regular intervals.
  c.section('// 1. Short polling: ask every interval, whether or not there is news');
  // WHATWG HTML timers setInterval(); WHATWG Fetch fetch(): one GET per interval.
  const spStart = cl(`setInterval(async () => {`);
  // WHATWG Fetch fetch(): a GET of the path with the query since=.
  cl(`  const res = await fetch('${COMPARE.path}?since=' + since);`);
  // WHATWG Fetch Body json(): the JSON array of new messages.
  const spRecv = cl('  for (const text of await res.json()) { since++; show(text); }');
  cl(`}, ${scenario.interval});`);
  // RFC 6202 §2.1: with long polling the client asks again as soon as a response arrives.
  c.section('// 2. Long polling: ask again as soon as an answer comes');
  const lpStart = cl('while (true) {');
  // WHATWG Fetch fetch(): wait=1 asks the server to hold the request (this program's own convention).
  cl(`  const res = await fetch('${COMPARE.path}?since=' + since + '&wait=1');`);
  // WHATWG Fetch Body json().
  const lpRecv = cl('  for (const text of await res.json()) { since++; show(text); }');
  cl('}');
  // WHATWG HTML §9.2: Server-Sent Events, one request whose response the server keeps writing to.
  c.section('// 3. Server-Sent Events: one request; the server streams each message into the response');
  // WHATWG HTML §9.2.2: new EventSource(url) sends one GET with Accept: text/event-stream.
  const sseStart = cl(`const source = new EventSource('${COMPARE.path}');`);
  // WHATWG HTML §9.2.6: an event named by its "event:" line reaches listeners of that name; event.data is its text.
  const sseRecv = cl(`source.addEventListener('${COMPARE.event}', (event) => show(event.data));`);
  // RFC 6455 §1.2: one connection; §5: each message in frames.
  c.section('// 4. WebSocket: one connection; the server sends each message as a frame');
  // WHATWG WebSockets new WebSocket(url): the opening handshake of RFC 6455 §4.1.
  const wsStart = cl(`const ws = new WebSocket('ws://server${COMPARE.path}');`);
  // WHATWG WebSockets onmessage: event.data holds the message's text.
  const wsRecv = cl('ws.onmessage = (event) => show(event.data);');
  c.section('// 5. Socket.IO');
  const sioStart = cl('const socket = io();');
  // socket.io-client lib/socket.ts on(): a handler for the event name.
  const sioRecv = cl(`socket.on('${COMPARE.event}', show);`);

  // Node lib/_http_server.js, ws lib/websocket-server.js and socket.io lib/index.ts: the three servers on one port.
  sl('// server.js: Node; `news` fills up with the messages as they happen');
  // Node lib/http.js createServer().
  sl("import { createServer } from 'node:http';");
  // ws lib/websocket-server.js WebSocketServer.
  sl("import { WebSocketServer } from 'ws';");
  // socket.io lib/index.ts Server.
  sl("import { Server } from 'socket.io';");
  sl('const news = [];');
  // RFC 6202 §2.1: long-poll requests held open until there is news.
  sl('const waiting = []; // long-poll answers held until there is news');
  // WHATWG HTML §9.2: each EventSource holds one response open (Wirewalk's server keeps them in a list).
  sl('const streams = []; // Server-Sent Events: responses that stay open');
  sl('');
  // Node lib/http.js createServer(): the handler runs for every request.
  const httpStart = sl('const httpServer = createServer((req, res) => {');
  // WHATWG HTML §9.2.2: EventSource asks with Accept: text/event-stream; Node http res.writeHead() and
  // flushHeaders() send the head at once; without Content-Length Node chunks the body (RFC 9112 §7.1).
  const sseHead = sl("  if (req.headers.accept === 'text/event-stream') {");
  sl('    res.writeHead(200, {');
  sl("      'Content-Type': 'text/event-stream',");
  sl("      'Cache-Control': 'no-cache',");
  sl("      Connection: 'keep-alive',");
  sl('    });');
  sl('    res.flushHeaders(); // the head goes now; the body never ends'); // Node lib/_http_outgoing.js flushHeaders()
  sl('    streams.push(res);');
  sl("    req.on('close', () => streams.splice(streams.indexOf(res), 1));");
  sl('    return;');
  sl('  }');
  // WHATWG URL: the request target parsed against a base.
  sl("  const url = new URL(req.url, 'http://server');");
  // WHATWG URL searchParams.get().
  sl("  const since = Number(url.searchParams.get('since'));");
  const pollAnswer = sl(
    // RFC 6202 §2.1: answer at once when there is news or when the client does not ask to wait.
    "  if (news.length > since || !url.searchParams.has('wait')) return answer(res, since);",
  );
  // RFC 6202 §2.1 and §5.5: the server holds the request, but not forever; the 25 s hold is Wirewalk's choice
  // (sim/stories/compare/methods.ts COMPARE.holdNs), answered with [] as timeline.ts does.
  const lpHold = sl(
    `  const w = { res, since, timer: setTimeout(() => free(w), ${COMPARE.holdNs / NS_PER_MS}) };`,
  );
  // RFC 6202 §2.1: the request is held in the list until news or the timer.
  sl('  waiting.push(w); // long polling: answer later (within 25 s)');
  sl('});');
  // RFC 6202 §2.1: at the hold's end the request is answered, with [] when nothing came (timeline.ts does so).
  sl('const free = (w) => { waiting.splice(waiting.indexOf(w), 1); answer(w.res, w.since); };');
  // Node lib/_http_server.js ServerResponse: each held or immediate request gets exactly one response.
  sl('const answer = (res, since) => {');
  // Node lib/_http_server.js writeHead(); RFC 8259 §11: application/json.
  sl("  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });");
  // Node lib/_http_outgoing.js end(): the JSON array of the messages the client has not seen.
  const lpSend = sl('  res.end(JSON.stringify(news.slice(since)));');
  sl('};');
  // ws lib/websocket-server.js: handles the upgrade requests for this path on the HTTP server.
  const wssStart = sl(`const wss = new WebSocketServer({ server: httpServer, path: '${COMPARE.path}' });`);
  // socket.io lib/index.ts: new Server(httpServer) attaches engine.io under /socket.io/.
  const io = sl('const io = new Server(httpServer);');
  // Wirewalk's choice (sim/stories/compare/methods.ts messageTimes()): when news appears.
  s.section('// Whenever there is news:');
  sl('function publish(text) {');
  sl('  news.push(text);');
  // RFC 6202 §2.1: every held request is answered now (sim/stories/compare/timeline.ts publish()).
  sl('  for (const w of waiting.splice(0)) { clearTimeout(w.timer); answer(w.res, w.since); }');
  // WHATWG HTML §9.2.6: each line of the text becomes a "data:" line; a blank line ends the event.
  sl('  const lines = text.split(/\\r\\n|\\r|\\n/).map((line) => `data: ${line}\\n`);');
  // Node http res.write(): one chunk per write (RFC 9112 §7.1).
  const sseSend = sl(
    `  for (const res of streams) res.write(\`event: ${COMPARE.event}\\n\${lines.join('')}\\n\`);`,
  );
  // ws lib/websocket-server.js clients; lib/websocket.js send(): one frame per client.
  const wsSend = sl('  for (const ws of wss.clients) ws.send(text);');
  // socket.io lib/namespace.ts emit(): one EVENT to every socket.
  const sioSend = sl(`  io.emit('${COMPARE.event}', text);`);
  sl('}');
  sl('httpServer.listen(80);');
  return {
    client: c.done(),
    server: s.done(),
    lines: {
      client: {
        'short-polling': { start: spStart, receive: spRecv },
        'long-polling': { start: lpStart, receive: lpRecv },
        sse: { start: sseStart, receive: sseRecv },
        websocket: { start: wsStart, receive: wsRecv },
        socketio: { start: sioStart, receive: sioRecv },
      },
      server: {
        'short-polling': { start: httpStart, send: pollAnswer },
        'long-polling': { start: lpHold, send: lpSend },
        sse: { start: sseHead, send: sseSend },
        websocket: { start: wssStart, send: wsSend },
        socketio: { start: io, send: sioSend },
      },
    },
  };
}
