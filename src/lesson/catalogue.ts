/**
 * The built-in lessons, in teaching order. A lesson is a story plus the knobs it sets; the rest of the
 * scenario comes from SCENARIO_DEFAULTS. Adding a lesson is adding one entry to LESSONS (and its classroom
 * content to src/lesson/content/): the link codec, `lessonById` and `lessonScenario` pick it up from here.
 *
 * This module is what a link needs to open, so it stays small: the introductions, questions, teacher's notes
 * and asides live in `content/`, which the app loads after the first step is drawn.
 */
import { SCENARIO_DEFAULTS, type Scenario, type ScenarioMessage, type Story } from '../sim/scenario';

export interface LessonDef {
  readonly id: string;
  readonly title: string;
  /** One or two sentences. */
  readonly summary: string;
  readonly story: Story;
  /** Knobs this lesson sets (messages, ping, walk, clients, emit...); `lesson` and `story` are ignored here. */
  readonly defaults: Partial<Scenario>;
}

/**
 * The `loss` lesson's long message: long enough that TCP must split it at mss=200. What it says: RFC 9293
 * §3.7.1 (the MSS bounds a segment's data) and §3.4 (every byte numbered); RFC 5681 §4.2 (a duplicate ACK for
 * every out-of-order segment) and §3.2 (fast retransmit after the third); tests/lesson/catalogue.test.ts checks
 * the four segments and the lost first one against the run.
 */
export const LOSS_MESSAGE =
  'This chat message is long on purpose. The link sets the MSS to 200 bytes, so TCP cannot send it in one ' +
  'segment: it cuts the WebSocket frame into four pieces and numbers every byte. The first piece is lost on ' +
  'the wire. The three pieces behind it still arrive, and each one makes the server repeat the same ' +
  'acknowledgment: I still need the byte where the first piece starts. After the third duplicate ACK the ' +
  'browser sends that piece again at once, without waiting for its timer, and the server can finally hand ' +
  "the whole message to ws. The page's JavaScript never notices any of this: TCP hides the loss.";

/** A message the browser (client) sends. */
function c(text: string): ScenarioMessage {
  return { from: 'c', text };
}

/** A message the server sends. */
function s(text: string): ScenarioMessage {
  return { from: 's', text };
}

/** The chat most lessons run: the browser says hello, the server answers. */
const HELLO: readonly ScenarioMessage[] = [c('Hello'), s('Hi!')];

/** The websocket lessons that look at one layer: no ping/pong to explain, no walk down the OSI layers. */
const ONE_LAYER = { ping: false, walk: 'none' } as const;

/** A live football ticker: ten pieces of news the server has for the page, at irregular times. */
const TICKER: readonly ScenarioMessage[] = [
  'Kick-off!',
  "12' Corner for the home side", // Wirewalk's choice: sample chat text
  "23' GOAL! 1-0",
  "31' Yellow card",
  "45' Half-time: 1-0",
  "52' GOAL! 1-1",
  "67' Substitution",
  "78' GOAL! 2-1",
  "88' Free kick saved",
  'Full-time: 2-1',
].map(s);

/** Lesson ids appear in links (`lesson=<id>`): keep them lower-case, URL-safe and never rename one. */
export const LESSONS: readonly LessonDef[] = [
  {
    id: 'websocket',
    title: 'What is a WebSocket? The whole story', // RFC 6455 §1.2
    // RFC 6455 §1.2 (one HTTP request and one response), §5 (frames either way) and §7 (the close).
    summary:
      'A browser opens a TCP connection, turns it from HTTP into a WebSocket with one request and one ' +
      'response, and then both sides send frames whenever they like until one of them closes it.',
    story: 'websocket',
    defaults: { messages: HELLO, ping: true },
  },
  {
    id: 'osi',
    title: 'OSI encapsulation: one message down and up the layers', // ISO/IEC 7498-1
    // ISO/IEC 7498-1 (the seven layers and their units); the walk is sim/steps/osi.ts.
    summary:
      'Follow one "Hello" down the browser\'s seven layers, across the wire, and up the server\'s: what each ' +
      'layer adds or removes, and what the unit is called there.',
    story: 'websocket',
    defaults: { messages: [c('Hello')], ping: false, walk: 'default' },
  },
  {
    id: 'tcp',
    title: 'The TCP three-way handshake and the goodbye', // RFC 9293 §3.5 and §3.6
    // The goodbye: RFC 9293 §3.6; three segments when the second FIN carries the ACK (Linux's tcp_fin,
    // chromium-ws.pcap frames 33-35).
    summary:
      'SYN, SYN-ACK, ACK with the real sequence numbers of this run, and the FINs that end the connection ' +
      '(three segments when the second FIN carries the ACK of the first); SYN and FIN each use up one number.',
    story: 'websocket',
    defaults: { messages: [c('Hello')], ...ONE_LAYER },
  },
  {
    id: 'upgrade',
    title: 'The WebSocket upgrade and the accept key', // RFC 6455 §4.2.2
    // RFC 6455 §4.1, §4.2.2 (the 101 and the Sec-WebSocket-Accept computation, item 5.4).
    summary:
      "After TCP's handshake, one HTTP request and one 101 response turn the connection into a WebSocket; " +
      'the Sec-WebSocket-Accept value is computed from the key step by step.',
    story: 'websocket',
    defaults: { messages: [c('Hello')], ...ONE_LAYER },
  },
  {
    id: 'frames',
    title: 'Full-duplex frames and server push', // RFC 6455 §1.1 and §5.2
    // RFC 6455 §5.2: a 2-byte base header, 0, 2 or 8 bytes of extended length and 0 or 4 of masking key.
    summary:
      'The server speaks first, unasked; then the browser; then the server again. Each message is one frame ' +
      'with a 2 to 14 byte header, and nobody waits for a request.',
    story: 'websocket',
    defaults: { messages: [s('Welcome! 3 people are online.'), c('Hello'), s('Hi!')], ...ONE_LAYER }, // Wirewalk's choice: sample chat text
  },
  {
    id: 'masking',
    title: 'Masking: why every browser frame is scrambled', // RFC 6455 §5.3 and §10.3
    // RFC 6455 §5.1 (client frames masked, server frames never) and §5.3 (a fresh key per frame).
    summary:
      'The browser XORs every frame it sends with a fresh 4-byte key; the server never does. The same text ' +
      'twice gives different bytes on the wire.',
    story: 'websocket',
    defaults: { messages: [c('Hello'), c('Hello'), s('Hello')], ...ONE_LAYER },
  },
  {
    id: 'close',
    title: 'The close handshake and its status codes', // RFC 6455 §5.5.1 and §7.4
    // RFC 6455 §5.5.1 (the echoed Close), §7.1.1 (the server closes TCP first) and §7.4.1 (1005 and 1006
    // MUST NOT be set as a status code in a Close frame).
    summary:
      'The server closes with status 1000; the browser echoes it; only then does TCP say goodbye. Codes 1005 ' +
      'and 1006 are never sent on the wire.',
    story: 'websocket',
    defaults: { messages: HELLO, ...ONE_LAYER, ping: true, close: 's' },
  },
  {
    id: 'wss',
    title: 'What TLS adds to a WebSocket (wss://)', // RFC 8446 §2; RFC 6455 §3
    // RFC 8446 §2 (the 1-RTT handshake) and §5.2 (5-byte header + 1 byte of content type + 16-byte tag = 22).
    summary:
      "The same chat over wss://: a TLS 1.3 handshake after TCP's, a certificate and keys agreed in one round " +
      'trip, then every HTTP and WebSocket byte inside encrypted records, 22 bytes more each.',
    story: 'websocket',
    defaults: { messages: HELLO, ping: false, tls: true },
  },
  {
    id: 'socketio',
    title: 'Socket.IO: a protocol on top of the transport', // socket.io-parser lib/index.ts
    // engine.io lib/socket.ts (the polling handshake and the upgrade); socket.io-parser lib/index.ts (42[…]).
    summary:
      'The same chat with Socket.IO: Engine.IO opens a session over HTTP long-polling, upgrades it to a ' +
      'WebSocket, and carries named events such as 42["chat message","Hello"] inside the frames.',
    story: 'socketio',
    defaults: { messages: HELLO },
  },
  {
    id: 'emit',
    title: 'socket.emit vs broadcast vs rooms', // socket.io lib/broadcast-operator.ts
    // socket.io lib/broadcast-operator.ts (broadcast, to) and lib/socket.ts (emit); CURRICULUM M1.
    summary:
      'Three browsers are connected; the server answers a message with socket.broadcast.emit. Who receives ' +
      'it, and who would with socket.emit, io.emit or io.to(room).emit?',
    story: 'socketio',
    defaults: { messages: [c('Hello')], clients: 3, emit: 'broadcast' },
  },
  {
    id: 'reconnect',
    title: 'Reconnection: when the network drops', // socket.io-client lib/manager.ts
    // engine.io-client lib/socket.ts (ping timeout); socket.io-client lib/manager.ts (reconnect with backoff)
    // and lib/socket.ts (sendBuffer: events emitted while disconnected are sent on reconnect).
    summary:
      "The browser's network goes away. Missed heartbeats end the session, the Manager retries with backoff, " +
      'a new session starts, and events sent while offline are delivered afterwards.',
    story: 'socketio',
    defaults: { messages: [c('Hello'), c('Are you still there?')], drop: 85 }, // Wirewalk's choice: sample chat text
  },
  {
    id: 'polling-vs-websocket',
    title: 'Why not just poll? HTTP polling next to a WebSocket', // RFC 6202 §2 (HTTP polling)
    summary:
      // RFC 6455 §5.2: the server's frames are never masked, so their header is 2 to 10 bytes.
      'Repeated HTTP requests, each with full headers, next to server frames with a 2 to 10 byte header: ' +
      'what each message costs in bytes and in delay.',
    story: 'compare',
    defaults: { messages: TICKER },
  },
  {
    id: 'loss',
    title: 'Packet loss and retransmission', // RFC 5681 §3.2; RFC 6298
    // RFC 5681 §3.2 (fast retransmit after three duplicate ACKs); RFC 6298 §5 (the retransmission timer).
    summary:
      'A long message is cut into four segments and the first one is lost: three duplicate ACKs trigger a fast ' +
      'retransmit. Later a FIN is lost, and only the timer can bring it back.',
    story: 'websocket',
    // Packet 12: the long frame's first segment (Chrome's 465-byte upgrade request takes three at MSS 200, and
    // Linux's quick-ACK mode answers each at once); packet 24: the server's FIN (tests/lesson/catalogue.test.ts
    // checks both against the run).
    defaults: { messages: [c(LOSS_MESSAGE), s('Got it')], ...ONE_LAYER, mss: 200, loss: [14, 26] },
  },
];

/** The lessons in teaching order, as the lesson picker lists them. */
export function lessonsInOrder(): readonly LessonDef[] {
  return LESSONS;
}

const BY_ID: ReadonlyMap<string, LessonDef> = new Map(LESSONS.map((l) => [l.id, l]));

export function lessonById(id: string): LessonDef | undefined {
  return BY_ID.get(id);
}

/**
 * SCENARIO_DEFAULTS, then the lesson's defaults, then `{lesson: id, story}`.
 * An unknown id gives the first lesson's scenario (its own id, not the unknown one), so callers always get
 * a scenario the simulator can run; `parseLink` is where unknown ids are reported.
 */
export function lessonScenario(id: string): Scenario {
  const lesson = BY_ID.get(id) ?? LESSONS[0]!;
  return { ...SCENARIO_DEFAULTS, ...lesson.defaults, lesson: lesson.id, story: lesson.story };
}
