/**
 * The two programs of the socketio story, as a student would write them after the socket.io chat
 * tutorial: server.js (Node, socket.io 4 on an http server) and client.js (every browser runs it; only
 * Browser 1's user types). Their lines follow the link: the event name (`ev=`), the fan-out call
 * (`emit=`), the room, the server's pushes (`s:` messages), the reconnection handlers (`drop=`) and the
 * polling-only server (`transport=polling`). Each step of the timeline points at the line that causes it.
 */
import { emitCall, SIO_STORY, storyEvents } from '../../libs/socketio';
import type { Scenario } from '../../scenario';
import type { CodeRef, Program } from '../../types';

/** Messages per side written out one line each; more become a loop. */
const MAX_LITERAL_SENDS = 4;
const MAX_LITERAL_CHARS = 24;

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

/** A JavaScript single-quoted string literal, shortened with a note when long. */
export function jsString(text: string, max = MAX_LITERAL_CHARS): string {
  const chars = Array.from(text);
  const shown = chars.length > max ? chars.slice(0, max).join('') + '…' : text;
  const escaped = shown
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${escaped}'`;
}

class Builder {
  readonly lines: string[] = [];
  constructor(private readonly program: 'client' | 'server') {}
  add(line: string): CodeRef {
    this.lines.push(line);
    return { program: this.program, line: this.lines.length };
  }
}

function emitLines(
  b: Builder,
  indent: string,
  call: string,
  event: string,
  indices: readonly number[],
  scenario: Scenario,
  out: Map<number, CodeRef>,
): void {
  if (indices.length <= MAX_LITERAL_SENDS) {
    for (const i of indices) {
      const text = scenario.messages[i]!.text;
      const long = Array.from(text).length > MAX_LITERAL_CHARS;
      out.set(
        i,
        b.add(
          `${indent}${call}(${jsString(event, 40)}, ${jsString(text)});${long ? ` // ${Array.from(text).length} characters` : ''}`,
        ),
      );
    }
    return;
  }
  b.add(`${indent}const messages = [/* the ${indices.length} messages of this link */];`);
  const ref = b.add(`${indent}for (const text of messages) ${call}(${jsString(event, 40)}, text);`);
  for (const i of indices) out.set(i, ref);
}

export function socketIoPrograms(scenario: Scenario): SioPrograms {
  const { event, join: joinEvent, ack: ackEvent } = storyEvents(scenario);
  const ev = jsString(event, 40);
  const fromClient: number[] = [];
  const fromServer: number[] = [];
  scenario.messages.forEach((m, i) => (m.from === 'c' ? fromClient : fromServer).push(i));
  const send = new Map<number, CodeRef>();
  const room = scenario.emit === 'room';
  const drop = scenario.drop !== null;
  const many = scenario.clients > 1;

  // ---- server.js ----
  const s = new Builder('server');
  s.add('// server.js: runs in Node with socket.io 4');
  const createServer = s.add("import { createServer } from 'node:http';");
  s.add("import { Server } from 'socket.io';");
  s.add('');
  s.add('const httpServer = createServer();');
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
  s.add(`  socket.on(${jsString(ackEvent, 40)}, (callback) => {`);
  const ackReply = s.add('    callback(io.engine.clientsCount);');
  s.add('  });');
  s.add("  socket.on('disconnect', (reason) => {");
  const disconnectLog = s.add("    console.log('user disconnected');");
  s.add('  });');
  if (fromServer.length > 0) {
    s.add('');
    s.add(
      many
        ? "  // Whenever the server has news (here on Browser 1's socket):"
        : '  // Whenever the server has news (no request needed):',
    );
    emitLines(s, '  ', fanoutCall, event, fromServer, scenario, send);
  }
  s.add('});');
  s.add('');
  const listen = s.add('httpServer.listen(80);');

  // ---- client.js ----
  const c = new Builder('client');
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
  c.add(`socket.on(${ev}, (msg) => {`);
  const messageLog2 = c.add("  console.log('message: ' + msg);");
  c.add('});');
  c.add("socket.on('disconnect', (reason) => {");
  const disconnectLog2 = c.add("  console.log('disconnect: ' + reason);");
  c.add('});');
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
    c.add('');
    c.add(many ? '// In Browser 1, when the user sends a message:' : '// When the user sends a message:');
    emitLines(c, '', 'socket.emit', event, fromClient, scenario, send);
  }
  c.add('');
  c.add('// How many are online? The server answers through the callback:');
  const ackEmit = c.add(`socket.emit(${jsString(ackEvent, 40)}, (count) => {`);
  const ackLog = c.add("  console.log(count + ' users online');");
  c.add('});');
  c.add('');
  c.add('// When the user leaves:');
  const disconnect = c.add('socket.disconnect();');

  return {
    client: { title: 'client.js', language: 'javascript', lines: c.lines },
    server: { title: 'server.js', language: 'javascript', lines: s.lines },
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
