/**
 * The two programs of the polling-vs-websocket story: a page that gets the news four ways, one after
 * another, and a Node server that offers all four (an HTTP endpoint, a `ws` server, socket.io).
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
  cl('// client.js: the page gets the news four ways, one after another');
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
  c.section('// 3. WebSocket: one connection; the server sends each message as a frame');
  const wsStart = cl(`const ws = new WebSocket('ws://server${COMPARE.path}');`);
  const wsRecv = cl('ws.onmessage = (event) => show(event.data);');
  c.section('// 4. Socket.IO');
  const sioStart = cl('const socket = io();');
  const sioRecv = cl(`socket.on('${COMPARE.event}', show);`);

  sl('// server.js: Node; `news` fills up with the messages as they happen');
  sl("import { createServer } from 'node:http';");
  sl("import { WebSocketServer } from 'ws';");
  sl("import { Server } from 'socket.io';");
  sl('const news = [];');
  sl('const waiting = []; // long-poll answers held until there is news');
  sl('');
  const httpStart = sl('const httpServer = createServer((req, res) => {');
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
        websocket: { start: wsStart, receive: wsRecv },
        socketio: { start: sioStart, receive: sioRecv },
      },
      server: {
        'short-polling': { start: httpStart, send: pollAnswer },
        'long-polling': { start: lpHold, send: lpSend },
        websocket: { start: wssStart, send: wsSend },
        socketio: { start: io, send: sioSend },
      },
    },
  };
}
