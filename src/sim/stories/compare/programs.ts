/**
 * The two programs of the polling-vs-websocket story: a page that gets the news five ways, one after
 * another, and a Node server that offers all five (an HTTP endpoint, an event stream, a `ws` server,
 * socket.io).
 */
import type { Scenario } from '../../scenario';
import { ProgramText } from '../../steps/programText';
import type { CodeRef, Program } from '../../types';
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
  cl('// client.js: the page gets the news five ways, one after another');
  cl('let since = 0;');
  cl('const show = (text) => console.log(text);');
  c.section('// 1. Short polling: ask every interval, whether or not there is news');
  const spStart = cl(`setInterval(async () => {`);
  cl(`  const res = await fetch('${COMPARE.path}?since=' + since);`);
  const spRecv = cl('  for (const text of await res.json()) { since++; show(text); }');
  cl(`}, ${scenario.interval});`);
  c.section('// 2. Long polling: ask again as soon as an answer comes');
  const lpStart = cl('while (true) {');
  cl(`  const res = await fetch('${COMPARE.path}?since=' + since + '&wait=1');`);
  const lpRecv = cl('  for (const text of await res.json()) { since++; show(text); }');
  cl('}');
  c.section('// 3. Server-Sent Events: one request; the server streams each message into the response');
  const sseStart = cl(`const source = new EventSource('${COMPARE.path}');`);
  const sseRecv = cl(`source.addEventListener('${COMPARE.event}', (event) => show(event.data));`);
  c.section('// 4. WebSocket: one connection; the server sends each message as a frame');
  const wsStart = cl(`const ws = new WebSocket('ws://server${COMPARE.path}');`);
  const wsRecv = cl('ws.onmessage = (event) => show(event.data);');
  c.section('// 5. Socket.IO');
  const sioStart = cl('const socket = io();');
  const sioRecv = cl(`socket.on('${COMPARE.event}', show);`);

  sl('// server.js: Node; `news` fills up with the messages as they happen');
  sl("import { createServer } from 'node:http';");
  sl("import { WebSocketServer } from 'ws';");
  sl("import { Server } from 'socket.io';");
  sl('const news = [];');
  sl('const waiting = []; // long-poll answers held until there is news');
  sl('const streams = []; // Server-Sent Events: responses that stay open');
  sl('');
  const httpStart = sl('const httpServer = createServer((req, res) => {');
  const sseHead = sl("  if (req.headers.accept === 'text/event-stream') {");
  sl('    res.writeHead(200, {');
  sl("      'Content-Type': 'text/event-stream',");
  sl("      'Cache-Control': 'no-cache',");
  sl("      Connection: 'keep-alive',");
  sl('    });');
  sl('    res.flushHeaders(); // the head goes now; the body never ends');
  sl('    streams.push(res);');
  sl("    req.on('close', () => streams.splice(streams.indexOf(res), 1));");
  sl('    return;');
  sl('  }');
  sl("  const url = new URL(req.url, 'http://server');");
  sl("  const since = Number(url.searchParams.get('since'));");
  const pollAnswer = sl(
    "  if (news.length > since || !url.searchParams.has('wait')) return answer(res, since);",
  );
  const lpHold = sl('  waiting.push({ res, since }); // long polling: answer later');
  sl('});');
  sl('const answer = (res, since) => {');
  sl("  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });");
  const lpSend = sl('  res.end(JSON.stringify(news.slice(since)));');
  sl('};');
  const wssStart = sl(`const wss = new WebSocketServer({ server: httpServer, path: '${COMPARE.path}' });`);
  const io = sl('const io = new Server(httpServer);');
  s.section('// Whenever there is news:');
  sl('function publish(text) {');
  sl('  news.push(text);');
  sl('  for (const w of waiting.splice(0)) answer(w.res, w.since);');
  sl('  const lines = text.split(/\\r\\n|\\r|\\n/).map((line) => `data: ${line}\\n`);');
  const sseSend = sl(
    `  for (const res of streams) res.write(\`event: ${COMPARE.event}\\n\${lines.join('')}\\n\`);`,
  );
  const wsSend = sl('  for (const ws of wss.clients) ws.send(text);');
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
