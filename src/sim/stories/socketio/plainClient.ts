/**
 * CURRICULUM Q9, "When would you use plain WebSockets?", met from the other side: a page that opens a plain
 * browser WebSocket (no socket.io-client) to a Socket.IO 4 server's URL (`?lesson=socketio&client=ws`).
 *
 * What happens, with its source:
 * - `new WebSocket('ws://server/socket.io/?EIO=4&transport=websocket')`: Chrome's upgrade request
 *   (sim/libs/http.ts browserWsRequest). engine.io sees no sid and makes the handshake over the WebSocket
 *   (engine.io lib/server.ts onWebSocket → handshake("websocket")): 101, then at once the open packet
 *   `0{"sid":…,"upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}` (lib/socket.ts
 *   onOpen; no upgrades from a WebSocket). The page's onmessage gets that text as it is.
 * - The page sends "Hello" (the link's first `c:` message). engine.io-parser's decodePacket (lib/decodePacket.ts)
 *   reads the first character as the packet type: "H" is none of 0-6, so it returns ERROR_PACKET
 *   { type: "error", data: "parser error" }; engine.io's Socket#onPacket (lib/socket.ts) closes the session:
 *   onClose("parse error") → clearTransport() → transport.close() → ws `socket.close()`: an empty Close frame.
 *   Chrome answers with an empty Close frame (RFC 6455 §5.5.1), ws closes TCP first (§7.1.1), and the page's
 *   onclose sees 1005 (no status code was in the frame, §7.1.5), wasClean true.
 * - Without a `c:` message the page sends nothing: socket.io's connectTimeout (45 s, lib/client.ts setup)
 *   closes the session that never sent a Socket.IO CONNECT (the server's pings go unanswered meanwhile).
 * The page never sends a Socket.IO CONNECT (`40`), so io.on('connection') never runs.
 */
import { arpSteps, routersArpSteps, unresolvedStep } from '../../steps/arp';
import { Clock } from '../../engine/clock';
import { World, type Socket, type WorldObserver } from '../../engine/network';
import { rngStream } from '../../engine/rng';
import type { TcpEvent } from '../../engine/tcp';
import { EioWrite } from '../../libs/engineio/writes';
import type { EioSession } from '../../libs/engineio/server';
import { browserWsRequest } from '../../libs/http';
import { SIO_DEFAULTS, SioServer } from '../../libs/socketio';
import { BrowserWebSocket, type StoryWrite, type WsAppEvent, type WsObserver } from '../../libs/websocket';
import { DEFAULT_HOPS, type Scenario } from '../../scenario';
import {
  narrateTcpEvent,
  noteConnectionStart,
  runFacts,
  type Narration,
  type RunFacts,
} from '../../steps/narration';
import { LISTENING, StepRecorder, WalkLog, consoleText, wholeRun } from '../../steps/recorder';
import type {
  BuildOptions,
  CodeRef,
  HostInfo,
  Packet,
  Program,
  StoryBuilder,
  TcpView,
  Timeline,
  WsReadyState,
} from '../../types';
import { CLIENT_HOST, serverHost } from '../hosts';
import { narrateDrop, narratePacket } from '../websocket/narration';

/** The URL the page opens: socket.io's path with Engine.IO's query, as engine.io-client would build it. */
export const PLAIN_CLIENT_PATH = '/socket.io/?EIO=4&transport=websocket';

export const PLAIN_CLIENT_CHAPTERS = [
  { id: 'tcp-handshake', title: 'TCP three-way handshake' },
  {
    id: 'ws-upgrade',
    // RFC 6455 §4: the opening handshake is an HTTP upgrade.
    title: 'HTTP upgrade to WebSocket',
  },
  {
    id: 'eio-open',
    // engine.io lib/socket.ts onOpen: the open packet.
    title: 'What the Socket.IO server sends',
  },
  {
    id: 'mismatch',
    // engine.io-parser lib/decodePacket.ts; Wirewalk's choice of chapter name.
    title: 'Plain text meets Engine.IO',
  },
  { id: 'tcp-teardown', title: 'Closing' },
] as const;

/** The two programs: a page with a plain WebSocket, and the socket.io tutorial's server. */
export function plainClientPrograms(hello: string | null): {
  readonly client: Program;
  readonly server: Program;
  readonly lines: {
    readonly create: CodeRef;
    readonly onopen: CodeRef;
    readonly onmessage: CodeRef;
    readonly send: CodeRef | null;
    readonly onclose: CodeRef;
    readonly io: CodeRef;
    readonly connection: CodeRef;
    readonly listen: CodeRef;
  };
} {
  const client = [
    // Wirewalk's choice: the page's code (WHATWG WebSocket API: new WebSocket, onopen, onmessage, send, onclose)
    '// A plain WebSocket: no socket.io-client on this page',
    // WHATWG WebSocket constructor.
    `const ws = new WebSocket('ws://server${PLAIN_CLIENT_PATH}');`,
    "ws.onopen = () => console.log('open');",
    'ws.onmessage = (e) => {',
    "  console.log('message: ' + e.data);",
    ...(hello !== null
      ? [
          // WHATWG WebSocket send(); Wirewalk's choice of page: it answers the first message once.
          `  if (!ws.sent) { ws.send(${JSON.stringify(hello)}); ws.sent = true; }`,
        ]
      : []),
    '};',
    // WHATWG CloseEvent code and reason.
    "ws.onclose = (e) => console.log('close ' + e.code + ' ' + e.reason);",
  ];
  const server = [
    "const { createServer } = require('http');",
    "const { Server } = require('socket.io');",
    'const httpServer = createServer();',
    // Wirewalk's choice: the socket.io chat tutorial's server, as sim/stories/socketio/programs.ts.
    'const io = new Server(httpServer);',
    "io.on('connection', (socket) => {",
    "  console.log('a user connected');",
    '});',
    'httpServer.listen(80);',
  ];
  const c = (line: number): CodeRef => ({ program: 'client', line });
  const s = (line: number): CodeRef => ({ program: 'server', line });
  return {
    client: { title: 'client.js', language: 'javascript', lines: client },
    server: { title: 'server.js', language: 'javascript', lines: server },
    lines: {
      create: c(2),
      onopen: c(3),
      onmessage: c(5),
      send: hello !== null ? c(6) : null,
      onclose: c(hello !== null ? 8 : 7),
      io: s(4),
      connection: s(5),
      listen: s(8),
    },
  };
}

type Lines = ReturnType<typeof plainClientPrograms>['lines'];

/** Engine.IO v4 packet types (engine.io-parser lib/commons.ts PACKET_TYPES). */
const EIO_TYPE_NAMES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const;

class PlainClientSteps implements WorldObserver, WsObserver {
  readonly rec: StepRecorder;
  private facts: RunFacts;
  private readonly log = new WalkLog<StoryWrite | EioWrite>();
  private world!: World;
  sid: string | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly server: HostInfo,
    private readonly lines: Lines,
    private readonly hello: string | null,
  ) {
    this.facts = runFacts(scenario, CLIENT_HOST, server, [], -1);
    const states = { [CLIENT_HOST.id]: {}, [server.id]: { tcp: LISTENING } };
    this.rec = new StepRecorder(PLAIN_CLIENT_CHAPTERS, states, () => this.world.now / 1e6);
  }

  attach(world: World): void {
    this.world = world;
    this.facts = { ...this.facts, packets: world.packets };
  }

  // ---- the server's programs ----

  listening(): void {
    this.rec.narrated(
      {
        // socket.io lib/index.ts (attach to an HTTP server)
        title: 'The Socket.IO server listens on port 80',
        // socket.io lib/index.ts: attached to an HTTP server, it answers everything under /socket.io/.
        text:
          'server.js is the socket.io chat server: socket.io attaches to an HTTP server and answers every ' +
          'request under /socket.io/. It speaks Socket.IO, a protocol of its own on top of Engine.IO, which ' +
          'may use a WebSocket as its transport.',
        curriculum: ['M4'],
      },
      { host: this.server.id, layer: 7, kind: 'app', code: this.lines.listen },
    );
  }

  session(s: EioSession): void {
    this.sid = s.sid;
    this.rec.advance('eio-open');
    this.rec.narrated(
      {
        // engine.io lib/server.ts onWebSocket → handshake
        title: `engine.io: a new session over the WebSocket (sid ${s.sid})`,
        // engine.io lib/server.ts onWebSocket: no sid in the URL → handshake("websocket"); lib/socket.ts onOpen.
        text:
          'The URL has no sid, so engine.io treats this WebSocket as a new Engine.IO session (the handshake ' +
          'socket.io-client makes when it starts with transports: ["websocket"]). It sends its open packet at ' +
          'once, before the page has said anything.',
        curriculum: ['Q9'],
      },
      { host: this.server.id, layer: 7, kind: 'app', code: this.lines.io },
    );
  }

  closed(reason: string): void {
    this.rec.advance('mismatch');
    const parse = reason === 'parse error';
    this.rec.narrated(
      parse
        ? {
            // engine.io-parser lib/decodePacket.ts; engine.io lib/socket.ts onPacket
            title: `engine.io cannot read "${this.hello ?? ''}": parse error, it closes the WebSocket`,
            text:
              // engine.io-parser lib/decodePacket.ts: PACKET_TYPES_REVERSE[type] undefined → ERROR_PACKET.
              `engine.io-parser reads the first character of every text frame as the Engine.IO packet type: ` +
              `0 open, 1 close, 2 ping, 3 pong, 4 message, 5 upgrade, 6 noop. "${(this.hello ?? '').charAt(0)}" ` +
              'is none of them, so decodePacket returns { type: "error", data: "parser error" }. ' +
              // engine.io lib/socket.ts onPacket: case "error" → onClose("parse error") → clearTransport().
              'engine.io closes the session ("parse error") and with it the WebSocket: ws sends an empty Close ' +
              'frame. ' +
              // socket.io lib/client.ts: the Socket.IO layer only sees Engine.IO "message" packets (4…).
              'Even a 4 in front would not do: inside the message Socket.IO expects its own packet, and first a ' +
              'CONNECT (40) to join the namespace "/"; only then does io.on("connection") run. This page ' +
              'speaks WebSocket, the server speaks Socket.IO over WebSocket: they cannot talk.',
            curriculum: ['Q9', 'M4'],
          }
        : {
            // socket.io lib/client.ts setup (connectTimeout)
            title: `engine.io closes the session (${reason})`,
            text:
              // socket.io lib/client.ts setup: connectTimeout (45 s) → close() when no namespace was joined.
              'No Socket.IO CONNECT (40) came: socket.io closes a connection that has joined no namespace ' +
              `after its connectTimeout of ${SIO_DEFAULTS.serverConnectTimeoutMs / 1000} s, and engine.io ` +
              'closes the WebSocket: ws sends an empty Close frame. The page never answered the pings either ' +
              '(a 2 wants a 3 back).',
            curriculum: ['Q9', 'M4'],
          },
      { host: this.server.id, layer: 7, kind: 'app' },
    );
  }

  /** The last step: what the page got, and why the two cannot talk (dated with the last event shown). */
  summary(): void {
    const time = this.rec.steps.at(-1)?.time ?? 0;
    this.rec.step(
      {
        // RFC 6455; engine.io-protocol / socket.io-protocol packet types (CURRICULUM Q9)
        title: 'Why a plain WebSocket cannot talk to a Socket.IO server',
        text:
          // RFC 6455 §4 (the upgrade worked); engine.io-protocol and socket.io-protocol (packet types).
          'The WebSocket itself worked: the upgrade, the frames, the closing handshake are all RFC 6455. What ' +
          'failed is the protocol inside the frames. A Socket.IO server expects Engine.IO packets (a type ' +
          'digit first: 0 open … 6 noop, a 3 to answer every ping 2) carrying Socket.IO packets (0 CONNECT, ' +
          '2 EVENT …), and a CONNECT before anything else. socket.io-client does all that for the page. So use ' +
          'plain WebSockets when the other side speaks the standard protocol (a ws server, or any RFC 6455 ' +
          'peer), and socket.io-client with a Socket.IO server.',
        curriculum: ['Q9', 'M4'],
        host: CLIENT_HOST.id,
        layer: 7,
        kind: 'app',
      },
      time,
    );
  }

  // ---- WsObserver (the page's WebSocket) ----

  app(e: WsAppEvent, readyState: WsReadyState | undefined): void {
    if (readyState !== undefined) this.rec.setHost(e.host.id, { ws: readyState });
    const n = this.pageEvent(e);
    if (!n) return;
    this.rec.narrated(n.narration, {
      host: e.host.id,
      layer: 7,
      kind: 'app',
      code: n.code,
      ...(n.out !== null ? { console: [{ host: e.host.id, text: n.out }] } : {}),
    });
  }

  private pageEvent(
    e: WsAppEvent,
  ): { narration: Narration; code: CodeRef | null; out: string | null } | null {
    const L = this.lines;
    switch (e.kind) {
      case 'create':
        return {
          // WHATWG WebSocket constructor; engine.io-client builds the same URL (lib/transports/websocket.ts uri).
          narration: {
            title: `Browser: new WebSocket('ws://server${PLAIN_CLIENT_PATH}')`,
            text:
              // WHATWG WebSocket constructor; engine.io-client lib/transports/websocket.ts uri
              'The page opens a plain WebSocket to the Socket.IO server’s own URL, with the query ' +
              'engine.io-client would add (EIO=4: Engine.IO protocol 4, transport=websocket). No ' +
              'socket.io-client is loaded: whatever comes back reaches the page as it is.',
            curriculum: ['Q9', 'M14'],
          },
          code: L.create,
          out: null,
        };
      case 'open':
        return {
          // RFC 6455 §4.1: the 101 and Sec-WebSocket-Accept checked, the WebSocket is OPEN.
          narration: {
            title: 'Browser: onopen',
            // RFC 6455 §4.1
            text: 'The 101 checked out (RFC 6455 §4.1): as far as WebSocket goes, the connection works.',
          },
          code: L.onopen,
          out: 'open',
        };
      case 'message': {
        const type = /^[0-6]/.test(e.text) ? EIO_TYPE_NAMES[Number(e.text[0])] : undefined;
        return {
          narration: {
            title: `Browser: onmessage: ${consoleText(e.text, true)}`,
            text:
              // engine.io lib/socket.ts onOpen (the handshake JSON); engine.io-parser encodePacket (type digit first).
              `e.data is the raw text ${JSON.stringify(e.text.length > 120 ? e.text.slice(0, 120) + '…' : e.text)}. ` +
              (type === 'open'
                ? 'It is an Engine.IO packet: 0 = open, then JSON: the session id, no upgrades (this already is ' +
                  'a WebSocket), a ping every 25 s, 20 s to answer, at most 1000000 bytes. socket.io-client ' +
                  'would read it and answer; the page just gets a string it has no use for.'
                : type !== undefined
                  ? `It is an Engine.IO packet: ${e.text[0]} = ${type}. A plain WebSocket page does not know it.`
                  : 'The page does not know what it is.'),
            curriculum: ['Q9', 'M4'],
          },
          code: L.onmessage,
          out: `message: ${consoleText(e.text, true)}`,
        };
      }
      case 'closed':
        return {
          // RFC 6455 §7.1.5: a Close frame without a status code is reported as 1005; §7.1.4 wasClean.
          narration: {
            title: `Browser: onclose (${e.code})`,
            text:
              e.code === 1005
                ? // RFC 6455 §7.1.5
                  'The page’s onclose runs with code 1005: the server’s Close frame carried no status code ' +
                  '(RFC 6455 §7.1.5; 1005 is never sent on the wire). Nothing told the page why.'
                : `The page’s onclose runs with code ${e.code}.`,
          },
          code: L.onclose,
          out: `close ${e.code} ${e.reason}`.trimEnd(),
        };
      default:
        return null;
    }
  }

  /** The page's `ws.send(text)`, just before its frame leaves. */
  pageSends(text: string): void {
    this.rec.advance('mismatch');
    this.rec.narrated(
      {
        title: `Browser: ws.send(${JSON.stringify(text)})`,
        // WHATWG WebSocket send(): one text frame, masked (RFC 6455 §5.3).
        text:
          `The page answers the only way it knows: a text frame with ${JSON.stringify(text)}, masked as every ` +
          'frame from a browser. No Engine.IO type digit, no Socket.IO packet.',
        curriculum: ['Q9'],
      },
      { host: CLIENT_HOST.id, layer: 7, kind: 'app', code: this.lines.send },
    );
  }

  // ---- WorldObserver ----

  sent(p: Packet, senderView: TcpView, tag?: unknown): void {
    const w = tag as StoryWrite | EioWrite | undefined;
    this.log.sent(p, w);
    if (w && 'purpose' in w && (w.purpose === 'upgrade-request' || w.purpose === 'ws-upgrade-request'))
      this.rec.advance('ws-upgrade');
    if (p.tcp.flags.includes('FIN')) this.rec.advance('tcp-teardown');
    this.rec.setTcp(p.from, senderView);
  }

  arp(p: Packet, index: number): void {
    const s = arpSteps(p, null, this.facts)[index]!;
    this.rec.step(s.draft, s.time);
  }

  onWire(p: Packet): void {
    if (p.unresolved) {
      this.rec.step(unresolvedStep(p, this.facts));
      return;
    }
    const w = this.log.writeOf(p);
    const plain = w instanceof EioWrite ? undefined : w;
    const n = p.lost ? narrateDrop(p, plain, this.facts) : this.narrate(p, w);
    this.rec.narrated(n, { host: 'wire', layer: 1, packet: p.id, kind: p.lost ? 'drop' : 'transmit' });
    for (const s of routersArpSteps(p, this.facts)) this.rec.step(s.draft, s.time);
  }

  private narrate(p: Packet, w: StoryWrite | EioWrite | undefined): Narration {
    const again = p.retransmissionOf !== undefined ? 'Again: ' : '';
    if (w instanceof EioWrite && p.app && p.app.kind !== 'continuation') {
      if (w.purpose === 'ws-upgrade-response') {
        return {
          title: `${again}101 Switching Protocols`,
          // ws lib/websocket-server.js completeUpgrade, called by engine.io (lib/server.ts handleUpgrade).
          text:
            'Server → Browser: socket.io hands the upgrade to ws, which accepts it as any WebSocket server ' +
            'would: 101 with Sec-WebSocket-Accept = base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).',
          curriculum: ['Q9'],
        };
      }
      if (w.purpose === 'ws-frame' && w.packets[0]?.type === 'open') {
        return {
          title: `${again}Engine.IO open: ${consoleText(w.text, true)}`,
          // engine.io lib/socket.ts onOpen: sendPacket("open", JSON.stringify({ sid, upgrades, … })).
          text:
            `Server → Browser: a text frame, unmasked, with ${JSON.stringify(w.text)}. The socket.io server ` +
            'speaks first: Engine.IO’s open packet, type 0, with its session id and its heartbeat settings.',
          curriculum: ['Q9', 'M4'],
        };
      }
      if (w.purpose === 'ws-frame' && w.packets[0]?.type === 'ping') {
        return {
          title: `${again}Engine.IO ping: 2`,
          // engine.io lib/socket.ts schedulePing: every pingInterval the server sends "2" and waits for "3".
          text: 'Server → Browser: "2", Engine.IO’s ping. socket.io-client would answer "3"; this page cannot.',
          curriculum: ['Q9'],
        };
      }
      if (w.purpose === 'ws-close') {
        return {
          // ws lib/sender.js close(); engine.io lib/transports/websocket.ts doClose
          title: `${again}WebSocket Close (no status code)`,
          // ws lib/sender.js close(): no code → an empty payload; engine.io lib/transports/websocket.ts doClose.
          text:
            'Server → Browser: a Close frame with no payload (88 00): engine.io closed its WebSocket transport ' +
            'with ws’s socket.close(), which gives no status code and no reason.',
        };
      }
    }
    if (w && !(w instanceof EioWrite) && p.app && p.app.kind !== 'continuation') {
      if (w.purpose === 'upgrade-request') {
        return {
          title: `${again}WebSocket upgrade: GET ${PLAIN_CLIENT_PATH}`,
          // RFC 6455 §4.1; Chrome's headers in Chrome's order (sim/libs/http.ts browserWsRequest).
          text:
            'Browser → Server: an ordinary WebSocket upgrade request, to socket.io’s path. It carries no sid: ' +
            'for engine.io this starts a new session.',
          curriculum: ['Q9'],
        };
      }
      if (w.purpose === 'message') {
        return {
          title: `${again}WebSocket Text [MASKED]: ${consoleText(p.app.kind === 'ws-frame' ? p.app.text : '', true)}`,
          // RFC 6455 §5.2-5.3: a masked text frame from the client.
          text: 'Browser → Server: the page’s text in one masked text frame, exactly as a ws server would want it.',
          curriculum: ['Q9'],
        };
      }
      if (w.purpose === 'close-echo') {
        return {
          // RFC 6455 §5.5.1; Chrome net/websockets/websocket_channel.cc SendClose
          title: `${again}WebSocket Close (no status code), the browser's answer`,
          // RFC 6455 §5.5.1: the receiver of a Close answers with one; Chrome's WebSocketChannel::SendClose
          // (net/websockets/websocket_channel.cc) sends no payload for kWebSocketErrorNoStatusReceived (1005).
          text:
            'Browser → Server: Chrome answers the Close frame with its own, empty as the one it got (RFC 6455 ' +
            '§5.5.1), and masked. The closing handshake is complete; the server will close TCP first (§7.1.1).',
        };
      }
    }
    return narratePacket(p, w instanceof EioWrite ? undefined : w, this.facts);
  }

  arrived(p: Packet, view: TcpView | null): void {
    if (view !== null) this.rec.setTcp(p.to, view);
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.rec.setTcp(host.id, socket.tcp.view());
    noteConnectionStart(this.facts, host, socket.tcp, e);
    if (e.kind === 'rto' || e.kind === 'rto-busy' || e.kind === 'fast-retransmit' || e.kind === 'aborted') {
      const packet = e.kind === 'aborted' ? undefined : e.packet;
      this.rec.step({
        ...narrateTcpEvent(host, e, this.facts),
        host: host.id,
        layer: 4,
        kind: 'state',
        ...(packet !== undefined && packet >= 0 ? { packet } : {}),
      });
    }
  }
}

/** `?lesson=socketio&client=ws`: the page's plain WebSocket and the Socket.IO server. */
export function buildPlainClientTimeline(scenario: Scenario, _options: BuildOptions): Timeline {
  const server = serverHost(scenario.hops);
  const hello = scenario.messages.find((m) => m.from === 'c')?.text ?? null;
  const programs = plainClientPrograms(hello);
  const steps = new PlainClientSteps(scenario, server, programs.lines, hello);
  const world = new World({
    seed: scenario.seed,
    mss: scenario.mss,
    loss: scenario.loss,
    hops: scenario.hops ?? DEFAULT_HOPS,
    observer: steps,
  });
  steps.attach(world);
  const clock = new Clock(world);
  const sio = new SioServer(
    clock,
    server,
    {
      pingIntervalMs: SIO_DEFAULTS.pingIntervalMs,
      pingTimeoutMs: SIO_DEFAULTS.pingTimeoutMs,
      maxPayload: SIO_DEFAULTS.maxPayload,
      transports: ['polling', 'websocket'],
    },
    (socket) => socket.peer.id,
    80,
  );
  sio.connectTimeoutMs = SIO_DEFAULTS.serverConnectTimeoutMs;
  const onSession = sio.engine.hooks.connection;
  sio.engine.hooks = {
    connection: (session) => {
      steps.session(session);
      onSession(session);
      // The story's step comes before the Close frame engine.io's onClose writes (instrumentation only).
      const onClose = session.onClose.bind(session);
      session.onClose = (reason: string): void => {
        if (session.readyState !== 'closed') steps.closed(reason);
        onClose(reason);
      };
    },
  };
  steps.listening();
  const page = new BrowserWebSocket({
    observer: steps,
    world,
    host: CLIENT_HOST,
    server,
    port: 80,
    request: browserWsRequest(PLAIN_CLIENT_PATH, false),
    keyBytes: rngStream(world.seed, 'ws-key:0').bytes(16),
    masks: rngStream(world.seed, 'mask:0'),
    timers: clock,
  });
  let sent = false;
  page.hooks = {
    message: () => {
      // client.js: the first message the page gets makes it send its own (once).
      if (hello === null || sent) return;
      sent = true;
      steps.pageSends(hello);
      page.send(hello);
    },
  };
  page.open();
  world.run();
  steps.rec.finish(world.truncated);
  steps.summary();
  return steps.rec.timeline(scenario, [CLIENT_HOST, server], world.packets, programs);
}

/** The socketio story's builder, with `client=ws` sent to the plain-WebSocket page. */
export function withPlainClient(socketio: StoryBuilder): StoryBuilder {
  return (scenario, options) =>
    scenario.client === 'ws'
      ? wholeRun(() => buildPlainClientTimeline(scenario, options))
      : socketio(scenario, options);
}
