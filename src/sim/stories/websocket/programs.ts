/**
 * The two programs of the websocket story, as a student would write them: a page using the browser's
 * `WebSocket`, and a Node server using the `ws` library. Each step of the timeline points at the line
 * that causes it. The send lines are the scenario's own messages (up to four per side, then a loop).
 */
import type { Scenario } from '../../scenario';
import { ProgramText, messagesBySide, sendLines } from '../../steps/programText';
import type { CodeRef, Program } from '../../types';

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

export function websocketPrograms(scenario: Scenario): WebSocketPrograms {
  const { fromClient, fromServer } = messagesBySide(scenario);
  const send = new Map<number, CodeRef>();

  const c = new ProgramText('client', 'client.js');
  // Wirewalk's choice: the page's program, using the browser's WebSocket (WHATWG WebSockets, "The WebSocket
  // interface").
  c.add('// client.js: runs in the browser');
  // RFC 6455 §3: the wss scheme is WebSocket over TLS, port 443 by default.
  const create = c.add(`const ws = new WebSocket('${scenario.tls ? 'wss' : 'ws'}://server/chat');`);
  c.add('');
  const onopen = c.wrap('ws.onopen = () => {', "  console.log('connected');", '};');
  const onmessage = c.wrap('ws.onmessage = (event) => {', "  console.log('message: ' + event.data);", '};');
  const onclose = c.wrap(
    'ws.onclose = (event) => {',
    "  console.log('closed', event.code, event.reason);",
    '};',
  );
  // RFC 6455 §5.5.2: an endpoint MUST answer a Ping with a Pong; the WHATWG WebSocket interface has no ping
  // call, and Chromium answers itself (net/websockets/websocket_channel.cc, kOpCodePing).
  const pong = c.add('// No code for pings: the browser answers them with pongs by itself.');
  if (fromClient.length > 0) {
    // Wirewalk's choice: the chat page's send button, calling WebSocket.send() (WHATWG WebSockets).
    c.section('// When the user types a message and presses Send:');
    sendLines(c, '', 'ws.send(', fromClient, scenario, send);
  }
  let clientClose: CodeRef | null = null;
  if (scenario.close === 'c') {
    // Wirewalk's choice: leaving the chat calls WebSocket.close(code, reason) (WHATWG WebSockets).
    c.section('// When the user leaves the chat:');
    clientClose = c.add("ws.close(1000, 'bye');");
  }

  const s = new ProgramText('server', 'server.js');
  // Wirewalk's choice: the server program, written with ws as its README shows (ws README.md "Usage examples").
  s.add('// server.js: runs in Node with the ws library');
  let listen: CodeRef;
  if (scenario.tls) {
    // ws's README "External HTTP/S server": an https server owns port 443 and the TLS; ws handles the upgrade.
    // Node lib/fs.js readFileSync().
    s.add("import { readFileSync } from 'node:fs';");
    // Node lib/https.js createServer().
    s.add("import { createServer } from 'node:https';");
    // ws wrapper.mjs exports WebSocketServer (ws lib/websocket-server.js).
    s.add("import { WebSocketServer } from 'ws';");
    s.add('');
    // Node lib/https.js createServer({ cert, key }): the TLS certificate and its key (RFC 8446 §4.4.2).
    s.add("const server = createServer({ cert: readFileSync('cert.pem'), key: readFileSync('key.pem') });");
    // ws lib/websocket-server.js: the `server` and `path` options.
    s.add("const wss = new WebSocketServer({ server, path: '/chat' });");
    listen = s.add('server.listen(443);');
  } else {
    // ws wrapper.mjs exports WebSocketServer (ws lib/websocket-server.js).
    s.add("import { WebSocketServer } from 'ws';");
    s.add('');
    // ws lib/websocket-server.js: the `port` option makes ws create its own http server (RFC 6455 §3: ws:// on 80).
    listen = s.add("const wss = new WebSocketServer({ port: 80, path: '/chat' });");
  }
  s.add('');
  s.add("wss.on('connection', (ws) => {");
  const connection = s.add("  console.log('client connected');");
  s.add("  ws.on('message', (data) => {");
  const message = s.add("    console.log('message: ' + data);");
  s.add('  });');
  const serverPong = s.wrap(
    "  ws.on('pong', () => {",
    // ws lib/websocket.js emits 'pong' when a Pong arrives (RFC 6455 §5.5.3); the log text is Wirewalk's choice.
    "    console.log('pong: the client is alive');",
    '  });',
  );
  const serverClose = s.wrap(
    "  ws.on('close', (code, reason) => {",
    "    console.log('closed', code, String(reason));",
    '  });',
  );
  if (fromServer.length > 0) {
    // RFC 6455 §1.1 and §5: after the handshake either side may send a message at any time.
    s.section('  // Whenever the server has news (no request needed):');
    sendLines(s, '  ', 'ws.send(', fromServer, scenario, send);
  }
  let ping: CodeRef | null = null;
  if (scenario.ping) {
    // ws README.md "How to detect and close broken connections": ping now and then; RFC 6455 §5.5.2 (keepalive).
    s.section('  // Now and then: is the client still there?');
    ping = s.add('  ws.ping();');
  }
  let serverCloseCall: CodeRef | null = null;
  if (scenario.close === 's') {
    // Wirewalk's choice: the server closes with ws's close(code, reason) (ws lib/websocket.js).
    s.section('  // When the server is done with this client:');
    serverCloseCall = s.add("  ws.close(1000, 'bye');");
  }
  s.add('});');

  return {
    client: c.done(),
    server: s.done(),
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
