/**
 * The two programs of the websocket story, as a student would write them: a page using the browser's
 * `WebSocket`, and a Node server using the `ws` library. Each step of the timeline points at the line
 * that causes it. The send lines are the scenario's own messages (up to four per side, then a loop).
 */
import type { Scenario } from '../../scenario';
import type { CodeRef, Program } from '../../types';

/** Messages per side written out one line each; more become a loop over an array. */
const MAX_LITERAL_SENDS = 4;
/** Characters of a message shown in a send line. */
const MAX_LITERAL_CHARS = 24;

/** Named lines of both programs. `send` maps a scenario message index to its line. */
export interface ProgramLines {
  readonly client: {
    readonly create: CodeRef;
    readonly onopen: CodeRef;
    readonly onmessage: CodeRef;
    readonly onclose: CodeRef;
    readonly pong: CodeRef;
    readonly close: CodeRef | null;
  };
  readonly server: {
    readonly listen: CodeRef;
    readonly connection: CodeRef;
    readonly message: CodeRef;
    readonly pong: CodeRef;
    readonly close: CodeRef;
    readonly ping: CodeRef | null;
    readonly closeCall: CodeRef | null;
  };
  readonly send: ReadonlyMap<number, CodeRef>;
}

export interface WebSocketPrograms {
  readonly client: Program;
  readonly server: Program;
  readonly lines: ProgramLines;
}

/** `ws.send('Hello');`, the text as a single-quoted literal, long texts shortened with a note. */
function sendCall(text: string): string {
  const chars = Array.from(text);
  const long = chars.length > MAX_LITERAL_CHARS;
  const shown = long ? chars.slice(0, MAX_LITERAL_CHARS).join('') + '…' : text;
  const escaped = shown
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `ws.send('${escaped}');${long ? ` // ${chars.length} characters` : ''}`;
}

class Builder {
  readonly lines: string[] = [];
  constructor(private readonly program: 'client' | 'server') {}
  add(line: string): CodeRef {
    this.lines.push(line);
    return { program: this.program, line: this.lines.length };
  }
}

/** Send lines for one side; returns message index → line. */
function sendLines(
  b: Builder,
  indent: string,
  indices: readonly number[],
  scenario: Scenario,
  out: Map<number, CodeRef>,
): void {
  if (indices.length <= MAX_LITERAL_SENDS) {
    for (const i of indices) out.set(i, b.add(indent + sendCall(scenario.messages[i]!.text)));
    return;
  }
  b.add(`${indent}const messages = [/* the ${indices.length} messages of this link */];`);
  const ref = b.add(`${indent}for (const text of messages) ws.send(text);`);
  for (const i of indices) out.set(i, ref);
}

export function websocketPrograms(scenario: Scenario): WebSocketPrograms {
  const fromClient: number[] = [];
  const fromServer: number[] = [];
  scenario.messages.forEach((m, i) => (m.from === 'c' ? fromClient : fromServer).push(i));
  const send = new Map<number, CodeRef>();

  const c = new Builder('client');
  c.add('// client.js: runs in the browser');
  const create = c.add("const ws = new WebSocket('ws://server/chat');");
  c.add('');
  c.add('ws.onopen = () => {');
  const onopen = c.add("  console.log('connected');");
  c.add('};');
  c.add('ws.onmessage = (event) => {');
  const onmessage = c.add("  console.log('message: ' + event.data);");
  c.add('};');
  c.add('ws.onclose = (event) => {');
  const onclose = c.add("  console.log('closed', event.code, event.reason);");
  c.add('};');
  const pong = c.add('// No code for pings: the browser answers them with pongs by itself.');
  if (fromClient.length > 0) {
    c.add('');
    c.add('// When the user types a message and presses Send:');
    sendLines(c, '', fromClient, scenario, send);
  }
  let clientClose: CodeRef | null = null;
  if (scenario.close === 'c') {
    c.add('');
    c.add('// When the user leaves the chat:');
    clientClose = c.add("ws.close(1000, 'bye');");
  }

  const s = new Builder('server');
  s.add('// server.js: runs in Node with the ws library');
  s.add("import { WebSocketServer } from 'ws';");
  s.add('');
  const listen = s.add("const wss = new WebSocketServer({ port: 80, path: '/chat' });");
  s.add('');
  s.add("wss.on('connection', (ws) => {");
  const connection = s.add("  console.log('client connected');");
  s.add("  ws.on('message', (data) => {");
  const message = s.add("    console.log('message: ' + data);");
  s.add('  });');
  s.add("  ws.on('pong', () => {");
  const serverPong = s.add("    console.log('pong: the client is alive');");
  s.add('  });');
  s.add("  ws.on('close', (code, reason) => {");
  const serverClose = s.add("    console.log('closed', code, String(reason));");
  s.add('  });');
  if (fromServer.length > 0) {
    s.add('');
    s.add('  // Whenever the server has news (no request needed):');
    sendLines(s, '  ', fromServer, scenario, send);
  }
  let ping: CodeRef | null = null;
  if (scenario.ping) {
    s.add('');
    s.add('  // Now and then: is the client still there?');
    ping = s.add('  ws.ping();');
  }
  let serverCloseCall: CodeRef | null = null;
  if (scenario.close === 's') {
    s.add('');
    s.add('  // When the server is done with this client:');
    serverCloseCall = s.add("  ws.close(1000, 'bye');");
  }
  s.add('});');

  return {
    client: { title: 'client.js', language: 'javascript', lines: c.lines },
    server: { title: 'server.js', language: 'javascript', lines: s.lines },
    lines: {
      client: { create, onopen, onmessage, onclose, pong, close: clientClose },
      server: {
        listen,
        connection,
        message,
        pong: serverPong,
        close: serverClose,
        ping,
        closeCall: serverCloseCall,
      },
      send,
    },
  };
}
