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
  // Wirewalk's choice: the programs of the socket.io chat tutorial (socket.io docs/tutorial), as this story runs
  // them (sim/stories/socketio/script.ts).
  s.add('// server.js: runs in Node with socket.io 4');
  let createServer: CodeRef;
  if (scenario.tls) {
    // https://: Node's https server holds the certificate (Node lib/https.js createServer()); socket.io
    // attaches to it as to an http server (socket.io lib/index.ts attach()).
    s.add("import { readFileSync } from 'node:fs';");
    // Node lib/https.js createServer().
    createServer = s.add("import { createServer } from 'node:https';");
    // socket.io lib/index.ts Server.
    s.add("import { Server } from 'socket.io';");
    s.add('');
    // Node lib/https.js createServer({ cert, key }): the TLS certificate and its key (RFC 8446 §4.4.2).
    s.add(
      "const httpServer = createServer({ cert: readFileSync('cert.pem'), key: readFileSync('key.pem') });",
    );
  } else {
    // Node lib/http.js createServer().
    createServer = s.add("import { createServer } from 'node:http';");
    // socket.io lib/index.ts Server.
    s.add("import { Server } from 'socket.io';");
    s.add('');
    s.add('const httpServer = createServer();');
  }
  // engine.io lib/server.ts: the option transports, and the defaults pingInterval 25000, pingTimeout 20000.
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
    // socket.io lib/socket.ts join(): the adapter adds the room; no packet is sent.
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
    // Wirewalk's choice: the link's s: messages are the server's own news (sim/stories/socketio/script.ts).
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
  // Wirewalk's choice: every browser of the story runs this page (sim/stories/socketio/script.ts).
  c.add(many ? '// client.js: runs in every browser' : '// client.js: runs in the browser');
  // socket.io lib/index.ts serveClient (default true): the server serves /socket.io/socket.io.js.
  c.add('// (the page loads /socket.io/socket.io.js, which defines io)');
  const ioLine = c.add('const socket = io();');
  if (room && many) {
    // Wirewalk's choice: the odd browsers open the page with the room in the URL's fragment (script.ts).
    c.add(
      `const room = location.hash.slice(1); // '${SIO_STORY.room}' in Browsers 1, 3 and 5 (http://server/#${SIO_STORY.room})`,
    );
  }
  c.add('');
  c.add("socket.on('connect', () => {");
  const connectLog = c.add("  console.log('connect ' + socket.id);");
  let clientJoin: CodeRef | null = null;
  if (room) {
    // The join event is the program's own (socket.io lib/socket.ts: join() is a server method, not an event).
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
    // socket.io-client lib/manager.ts ManagerReservedEvents: reconnect_attempt and reconnect are the Manager's.
    c.add('// The Manager (socket.io) reconnects; its events are not socket events:');
    c.add("socket.io.on('reconnect_attempt', (attempt) => {");
    reconnectAttemptLog = c.add("  console.log('reconnect_attempt ' + attempt);");
    c.add('});');
    c.add("socket.io.on('reconnect', (attempt) => {");
    // socket.io-client lib/manager.ts onreconnect(): emitReserved("reconnect", attempt).
    reconnectLog = c.add("  console.log('reconnect after ' + attempt + ' attempt(s)');");
    c.add('});');
  }
  if (fromClient.length > 0) {
    // Wirewalk's choice: the link's c: messages are typed in Browser 1 (sim/stories/socketio/script.ts).
    c.section(many ? '// In Browser 1, when the user sends a message:' : '// When the user sends a message:');
    sendLines(c, '', `socket.emit(${ev}, `, fromClient, scenario, send);
  }
  // socket.io-client lib/socket.ts emit() with a function last: an ack id; the server calls it back.
  c.section('// How many are online? The server answers through the callback:');
  const ackEmit = c.add(`socket.emit(${jsString(ackEvent, 40)}, (count) => {`);
  const ackLog = c.add("  console.log(count + ' users online');");
  c.add('});');
  // socket.io-client lib/socket.ts disconnect(); the moment is Wirewalk's choice (the story's end).
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
