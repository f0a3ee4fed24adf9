/**
 * The two programs of the socketio story, as a student would write them after the socket.io chat
 * tutorial: server.js (Node, socket.io 4 on an http server) and client.js (every browser runs it; only
 * Browser 1's user types). Their lines follow the link: the event name (`ev=`), the fan-out call
 * (`emit=`), the room, the server's pushes (`s:` messages), the reconnection handlers (`drop=`) and the
 * polling-only server (`transport=polling`). Each step of the timeline points at the line that causes it.
 */
import { emitCall, SIO_STORY, storyEvents } from './script';
import type { Scenario } from '../../scenario';
import { ProgramText, jsString, messagesBySide, sendLines } from '../../steps/programText';
import type { CodeRef, Program } from '../../types';

export interface SioProgramLines {
  readonly client: {
    readonly io: CodeRef;
    readonly connectLog: CodeRef;
    readonly join: CodeRef | null;
    readonly messageLog: CodeRef;
    readonly disconnectLog: CodeRef;
    readonly connectErrorLog: CodeRef | null;
    readonly reconnectAttemptLog: CodeRef | null;
    readonly reconnectLog: CodeRef | null;
    readonly ackEmit: CodeRef;
    readonly ackLog: CodeRef;
    readonly disconnect: CodeRef;
  };
  readonly server: {
    readonly createServer: CodeRef;
    readonly io: CodeRef;
    readonly connection: CodeRef;
    readonly connectionLog: CodeRef;
    readonly join: CodeRef | null;
    readonly onMessage: CodeRef;
    readonly messageLog: CodeRef;
    readonly fanout: CodeRef;
    readonly ackReply: CodeRef;
    readonly disconnectLog: CodeRef;
    readonly listen: CodeRef;
  };
  /** Scenario message index → the line that emits it (client.js for `c:`, server.js for `s:`). */
  readonly send: ReadonlyMap<number, CodeRef>;
}

export interface SioPrograms {
  readonly client: Program;
  readonly server: Program;
  readonly lines: SioProgramLines;
}

export function socketIoPrograms(scenario: Scenario): SioPrograms {
  const { event, join: joinEvent, ack: ackEvent } = storyEvents(scenario);
  const ev = jsString(event, 40);
  const { fromClient, fromServer } = messagesBySide(scenario);
  const send = new Map<number, CodeRef>();
  const room = scenario.emit === 'room';
  const drop = scenario.drop !== null;
  const many = scenario.clients > 1;

  // ---- server.js ----
  const s = new ProgramText('server', 'server.js');
  s.add('// server.js: runs in Node with socket.io 4');
  let createServer: CodeRef;
  if (scenario.tls) {
    // https://: Node's https server holds the certificate; socket.io attaches to it as to an http server.
    s.add("import { readFileSync } from 'node:fs';");
    createServer = s.add("import { createServer } from 'node:https';");
    s.add("import { Server } from 'socket.io';");
    s.add('');
    s.add(
      "const httpServer = createServer({ cert: readFileSync('cert.pem'), key: readFileSync('key.pem') });",
    );
  } else {
    createServer = s.add("import { createServer } from 'node:http';");
    s.add("import { Server } from 'socket.io';");
    s.add('');
    s.add('const httpServer = createServer();');
  }
  const io =
    scenario.transport === 'polling'
      ? s.add("const io = new Server(httpServer, { transports: ['polling'] });")
      : s.add('const io = new Server(httpServer); // pingInterval 25000, pingTimeout 20000');
  s.add('');
  const connection = s.add("io.on('connection', (socket) => {");
  const connectionLog = s.add("  console.log('a user connected');");
  let serverJoin: CodeRef | null = null;
  if (room) {
    s.add(`  socket.on(${jsString(joinEvent, 40)}, (room) => {`);
    serverJoin = s.add('    socket.join(room); // a method: nothing is sent to the browser');
    s.add('  });');
  }
  const onMessage = s.add(`  socket.on(${ev}, (msg) => {`);
  const messageLog = s.add("    console.log('message: ' + msg);");
  const fanoutCall = emitCall(scenario.emit);
  const fanout = s.add(`    ${fanoutCall}(${ev}, msg);`);
  s.add('  });');
  const ackReply = s.wrap(
    `  socket.on(${jsString(ackEvent, 40)}, (callback) => {`,
    '    callback(io.engine.clientsCount);',
    '  });',
  );
  const disconnectLog = s.wrap(
    "  socket.on('disconnect', (reason) => {",
    "    console.log('user disconnected');",
    '  });',
  );
  if (fromServer.length > 0) {
    s.section(
      many
        ? "  // Whenever the server has news (here on Browser 1's socket):"
        : '  // Whenever the server has news (no request needed):',
    );
    sendLines(s, '  ', `${fanoutCall}(${ev}, `, fromServer, scenario, send);
  }
  s.add('});');
  s.add('');
  const listen = s.add(`httpServer.listen(${scenario.tls ? 443 : 80});`);

  // ---- client.js ----
  const c = new ProgramText('client', 'client.js');
  c.add(many ? '// client.js: runs in every browser' : '// client.js: runs in the browser');
  c.add('// (the page loads /socket.io/socket.io.js, which defines io)');
  const ioLine = c.add('const socket = io();');
  if (room && many) {
    c.add(
      `const room = location.hash.slice(1); // '${SIO_STORY.room}' in Browsers 1, 3 and 5 (http://server/#${SIO_STORY.room})`,
    );
  }
  c.add('');
  c.add("socket.on('connect', () => {");
  const connectLog = c.add("  console.log('connect ' + socket.id);");
  let clientJoin: CodeRef | null = null;
  if (room) {
    clientJoin = many
      ? c.add(`  if (room) socket.emit(${jsString(joinEvent, 40)}, room);`)
      : c.add(`  socket.emit(${jsString(joinEvent, 40)}, '${SIO_STORY.room}');`);
  }
  c.add('});');
  const messageLog2 = c.wrap(`socket.on(${ev}, (msg) => {`, "  console.log('message: ' + msg);", '});');
  const disconnectLog2 = c.wrap(
    "socket.on('disconnect', (reason) => {",
    "  console.log('disconnect: ' + reason);",
    '});',
  );
  let connectErrorLog: CodeRef | null = null;
  let reconnectAttemptLog: CodeRef | null = null;
  let reconnectLog: CodeRef | null = null;
  if (drop) {
    c.add("socket.on('connect_error', (err) => {");
    connectErrorLog = c.add("  console.log('connect_error: ' + err.message);");
    c.add('});');
    c.add('// The Manager (socket.io) reconnects; its events are not socket events:');
    c.add("socket.io.on('reconnect_attempt', (attempt) => {");
    reconnectAttemptLog = c.add("  console.log('reconnect_attempt ' + attempt);");
    c.add('});');
    c.add("socket.io.on('reconnect', (attempt) => {");
    reconnectLog = c.add("  console.log('reconnect after ' + attempt + ' attempt(s)');");
    c.add('});');
  }
  if (fromClient.length > 0) {
    c.section(many ? '// In Browser 1, when the user sends a message:' : '// When the user sends a message:');
    sendLines(c, '', `socket.emit(${ev}, `, fromClient, scenario, send);
  }
  c.section('// How many are online? The server answers through the callback:');
  const ackEmit = c.add(`socket.emit(${jsString(ackEvent, 40)}, (count) => {`);
  const ackLog = c.add("  console.log(count + ' users online');");
  c.add('});');
  c.section('// When the user leaves:');
  const disconnect = c.add('socket.disconnect();');

  return {
    client: c.done(),
    server: s.done(),
    lines: {
      client: {
        io: ioLine,
        connectLog,
        join: clientJoin,
        messageLog: messageLog2,
        disconnectLog: disconnectLog2,
        connectErrorLog,
        reconnectAttemptLog,
        reconnectLog,
        ackEmit,
        ackLog,
        disconnect,
      },
      server: {
        createServer,
        io,
        connection,
        connectionLog,
        join: serverJoin,
        onMessage,
        messageLog,
        fanout,
        ackReply,
        disconnectLog,
        listen,
      },
      send,
    },
  };
}
