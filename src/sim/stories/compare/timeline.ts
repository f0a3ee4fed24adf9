/**
 * The polling-vs-websocket story (CURRICULUM Q12): the same N server messages, each becoming available
 * at a seeded, irregular time, delivered to one browser four ways, one after another on the same
 * simulated network:
 *
 * 1. short polling: the page asks `GET /updates?since=<n>` every `interval` ms; the server answers at
 *    once with what is new (a JSON array, often `[]`);
 * 2. long polling: the same request, but the server holds it until there is something new (or 25 s
 *    have passed), and the page asks again as soon as an answer comes;
 * 3. WebSocket: one upgrade to `ws://server/updates`, then one text frame per message;
 * 4. Socket.IO: io() (handshake, long-polling, upgrade), then `42["news",…]` per message.
 *
 * Everything travels as real packets through the same TCP, HTTP and WebSocket code as the other
 * lessons, and `timeline.comparison` is measured from them: bytes are whole frames as captured
 * (Ethernet 14 + IPv4 20 + TCP header with its options, 32 bytes with timestamps, + the application's
 * bytes; preamble, FCS and gap are left out), counted over every packet of the method (TCP handshakes,
 * requests, answers, ACKs) sent until each message reaches the page; the delay is from the message
 * becoming available on the server to the page receiving it.
 */
import { utf8 } from '../../../protocol/bytes';
import { headerValue } from '../../../protocol/http';
import {
  Clock,
  ClientWs,
  EIO_PATH,
  ServerWs,
  httpRequestWrite,
  httpResponseWrite,
  parseQuery,
  type EioWrite,
} from '../../libs/engineio';
import {
  BrowserHttp,
  HttpServer,
  browserRequest,
  nodeResponse,
  type HttpResponder,
  type HttpRequestIn,
} from '../../libs/http';
import {
  CLIENT_HOST,
  NS_PER_MS,
  SERVER_HOST,
  World,
  type Socket,
  type WorldObserver,
} from '../../engine/network';
import { bytesText, msText, narrateTcpEvent, type Narration, type RunFacts } from '../../steps/narration';
import { rngStream } from '../../engine/rng';
import type { Scenario } from '../../scenario';
import { SIO_DEFAULTS, SioClient, SioServer, type SioObserver } from '../../libs/socketio';
import type { TcpEvent } from '../../engine/tcp';
import type {
  Chapter,
  CodeRef,
  Comparison,
  ComparisonSeries,
  HostInfo,
  HostState,
  OsiLayer,
  Packet,
  Program,
  Step,
  StepKind,
  TcpView,
  Timeline,
} from '../../types';

export type CompareMethod = ComparisonSeries['method'];

export const COMPARE = {
  /** The page is up this long before the first message can appear (connections are open by then). */
  leadNs: 500 * NS_PER_MS,
  /** Gaps between messages: uniform in [0.2, 1.8] × interval, so on average one interval. */
  gapMin: 0.2,
  gapMax: 1.8,
  /** How long a long-poll request is held without news before the server answers `[]`. */
  holdNs: 25_000 * NS_PER_MS,
  /** Pause between one method's last message and the next method's start (idle connections close). */
  pauseNs: 6_000 * NS_PER_MS,
  path: '/updates',
  event: 'news',
} as const;

const METHODS: readonly {
  readonly method: CompareMethod;
  readonly label: string;
  readonly chapter: string;
}[] = [
  { method: 'short-polling', label: 'Short polling', chapter: 'short-polling' },
  { method: 'long-polling', label: 'Long polling', chapter: 'long-polling' },
  { method: 'websocket', label: 'WebSocket', chapter: 'websocket' },
  { method: 'socketio', label: 'Socket.IO', chapter: 'socketio' },
];

const CHAPTERS: readonly { readonly id: string; readonly title: string }[] = [
  { id: 'intro', title: 'The same messages, four ways' },
  { id: 'short-polling', title: 'Short polling: ask every interval' },
  { id: 'long-polling', title: 'Long polling: the server holds the question' },
  { id: 'websocket', title: 'WebSocket: one connection, one frame per message' },
  { id: 'socketio', title: 'Socket.IO: handshake, upgrade, then events' },
  { id: 'summary', title: 'Bytes and delay, side by side' },
];

/** When each message becomes available, relative to the start of a method's run (ns). */
export function messageTimes(scenario: Scenario): number[] {
  const rng = rngStream(scenario.seed, 'compare:times');
  const interval = scenario.interval * NS_PER_MS;
  const out: number[] = [];
  let t = COMPARE.leadNs;
  for (let i = 0; i < scenario.messages.length; i++) {
    const f = COMPARE.gapMin + ((COMPARE.gapMax - COMPARE.gapMin) * rng.int(0, 1000)) / 1000;
    t += Math.round(f * interval);
    out.push(t);
  }
  return out;
}

// ---- The programs ----

interface Lines {
  readonly client: Record<CompareMethod, { readonly start: CodeRef; readonly receive: CodeRef }>;
  readonly server: Record<CompareMethod, { readonly start: CodeRef; readonly send: CodeRef }>;
}

function programs(scenario: Scenario): { client: Program; server: Program; lines: Lines } {
  const c: string[] = [];
  const s: string[] = [];
  const ref = (arr: string[], program: 'client' | 'server', line: string): CodeRef => {
    arr.push(line);
    return { program, line: arr.length };
  };
  const cl = (line: string) => ref(c, 'client', line);
  const sl = (line: string) => ref(s, 'server', line);
  cl('// client.js: the page gets the news four ways, one after another');
  cl('let since = 0;');
  cl('const show = (text) => console.log(text);');
  cl('');
  cl('// 1. Short polling: ask every interval, whether or not there is news');
  const spStart = cl(`setInterval(async () => {`);
  cl(`  const res = await fetch('${COMPARE.path}?since=' + since);`);
  const spRecv = cl('  for (const text of await res.json()) { since++; show(text); }');
  cl(`}, ${scenario.interval});`);
  cl('');
  cl('// 2. Long polling: ask again as soon as an answer comes');
  const lpStart = cl('while (true) {');
  cl(`  const res = await fetch('${COMPARE.path}?since=' + since + '&wait=1');`);
  const lpRecv = cl('  for (const text of await res.json()) { since++; show(text); }');
  cl('}');
  cl('');
  cl('// 3. WebSocket: one connection; the server sends each message as a frame');
  const wsStart = cl(`const ws = new WebSocket('ws://server${COMPARE.path}');`);
  const wsRecv = cl('ws.onmessage = (event) => show(event.data);');
  cl('');
  cl('// 4. Socket.IO');
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
  sl('');
  sl('// Whenever there is news:');
  sl('function publish(text) {');
  sl('  news.push(text);');
  sl('  for (const w of waiting.splice(0)) answer(w.res, w.since);');
  const wsSend = sl('  for (const ws of wss.clients) ws.send(text);');
  const sioSend = sl(`  io.emit('${COMPARE.event}', text);`);
  sl('}');
  sl('httpServer.listen(80);');
  return {
    client: { title: 'client.js', language: 'javascript', lines: c },
    server: { title: 'server.js', language: 'javascript', lines: s },
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

// ---- The run ----

interface Delivery {
  readonly index: number;
  readonly availableAt: number;
  readonly deliveredAt: number;
}

interface PhaseRecord {
  readonly method: CompareMethod;
  readonly startedAt: number;
  readonly connections: Set<number>;
  readonly deliveries: Delivery[];
  firstPacket: number;
}

interface StepDraft extends Narration {
  readonly host: string;
  readonly layer: OsiLayer | null;
  readonly kind: StepKind;
  readonly packet?: number;
  readonly code?: CodeRef | null;
  readonly console?: readonly { readonly host: string; readonly text: string }[];
}

function layerBreakdown(p: Packet): string {
  const tcp = p.layers.tcp ? p.layers.tcp.end - p.layers.tcp.start : 0;
  return (
    `${bytesText(p.frame.length)} on the wire: Ethernet 14 + IPv4 20 + TCP ${tcp}` +
    (p.tcp.len > 0 ? ` + ${bytesText(p.tcp.len)} of ${p.layers.websocket ? 'WebSocket' : 'HTTP'}` : '')
  );
}

/** Records packets and the programs' events as steps, and which packets belong to which method. */
class CompareRecorder implements WorldObserver {
  readonly steps: Step[] = [];
  private states: Record<string, HostState> = {
    [CLIENT_HOST.id]: {},
    [SERVER_HOST.id]: {
      tcp: { connection: 0, state: 'LISTEN', sndNxt: 0, relSndNxt: 0, rcvNxt: 0, relRcvNxt: 0 },
    },
  };
  private chapter = 0;
  phase: PhaseRecord | null = null;
  readonly phases: PhaseRecord[] = [];
  private readonly writeOf: (EioWrite | undefined)[] = [];
  world!: World;
  lines!: Lines;
  runFacts!: RunFacts;

  setChapter(id: string): void {
    const i = CHAPTERS.findIndex((c) => c.id === id);
    if (i > this.chapter) this.chapter = i;
  }

  private setTcp(host: string, view: TcpView): void {
    if (this.states[host]?.tcp === view) return;
    this.states = { ...this.states, [host]: { ...this.states[host], tcp: view } };
  }

  step(d: StepDraft, time = this.world.now / 1e6): void {
    const s: { -readonly [K in keyof Step]: Step[K] } = {
      index: this.steps.length,
      chapter: CHAPTERS[this.chapter]!.id,
      time,
      host: d.host,
      layer: d.layer,
      kind: d.kind,
      states: this.states,
      title: d.title,
      text: d.text,
    };
    if (d.packet !== undefined) s.packet = d.packet;
    if (d.curriculum?.length) s.curriculum = d.curriculum;
    if (d.misconception) s.misconception = d.misconception;
    if (d.code) s.code = d.code;
    if (d.console?.length) s.console = d.console;
    this.steps.push(s);
  }

  sent(p: Packet, view: TcpView, tag: unknown): void {
    this.writeOf[p.id] =
      tag instanceof Object && 'purpose' in (tag as object) ? (tag as EioWrite) : undefined;
    if (this.phase) {
      if (this.phase.firstPacket < 0) this.phase.firstPacket = p.id;
      if (p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK'))
        this.phase.connections.add(p.connection);
    }
    this.setTcp(p.from, view);
  }

  onWire(p: Packet): void {
    const w = this.writeOf[p.id];
    const m = this.phase?.method;
    const what = w ? w.summary : p.summary;
    const code = m
      ? p.from === CLIENT_HOST.id
        ? this.lines.client[m].start
        : this.lines.server[m].start
      : null;
    this.step({
      title: `${p.from === CLIENT_HOST.id ? 'Browser → server' : 'Server → browser'}: ${what}`,
      text:
        `${layerBreakdown(p)}.` +
        (w?.purpose === 'http-request' && m === 'short-polling'
          ? ' The page asks whether there is news; most of these bytes are headers, sent again every time.'
          : '') +
        (w?.purpose === 'http-response' && w.text === '[]'
          ? ' Nothing new: the whole round trip carried no news.'
          : '') +
        (p.tcp.len === 0 && !p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('FIN')
          ? ' A bare acknowledgment: it carries no data but still costs a whole frame.'
          : ''),
      host: 'wire',
      layer: 1,
      kind: p.lost ? 'drop' : 'transmit',
      packet: p.id,
      code,
    });
  }

  arrived(p: Packet, view: TcpView | null): void {
    if (view) this.setTcp(p.to, view);
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.setTcp(host.id, socket.tcp.view());
    if (e.kind === 'rto' || e.kind === 'fast-retransmit') {
      this.step({
        ...narrateTcpEvent(host, e, this.runFacts),
        host: host.id,
        layer: 4,
        kind: 'state',
        packet: e.packet,
      });
    }
  }
}

export function buildCompareTimeline(scenario: Scenario): Timeline {
  const prog = programs(scenario);
  const rec = new CompareRecorder();
  const world = new World({ seed: scenario.seed, mss: scenario.mss, loss: scenario.loss, observer: rec });
  rec.world = world;
  rec.lines = prog.lines;
  rec.runFacts = {
    scenario,
    client: CLIENT_HOST,
    server: SERVER_HOST,
    packets: world.packets,
    clientPort: null,
    clientIsn: null,
    serverIsn: null,
    key: null,
    firstClientMessage: -1,
    duplicateAcks: new Map(),
    goodbye: new Map(),
  };
  const clock = new Clock(world);
  const texts = scenario.messages.map((m) => m.text);
  const offsets = messageTimes(scenario);
  const n = texts.length;

  // ---- server.js: one HTTP server for the polling endpoints, the WebSocket and socket.io ----
  let news: string[] = [];
  let waiting: { res: HttpResponder; since: number; timer: { cancel(): void } }[] = [];
  const wsClients: ServerWs[] = [];
  const ignore: SioObserver = { app: () => {}, chapter: () => {}, connecting: () => {} };
  const sio = new SioServer(
    clock,
    SERVER_HOST,
    {
      pingIntervalMs: SIO_DEFAULTS.pingIntervalMs,
      pingTimeoutMs: SIO_DEFAULTS.pingTimeoutMs,
      maxPayload: SIO_DEFAULTS.maxPayload,
      transports: ['polling', 'websocket'],
    },
    (socket) => socket.peer.id,
    false,
  );
  const answer = (res: HttpResponder, since: number): void => {
    const body = JSON.stringify(news.slice(since));
    const repr = nodeResponse(
      200,
      'OK',
      [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['Content-Length', String(utf8(body).length)],
      ],
      world.now,
    );
    res.send(httpResponseWrite(repr, body, 'http-response', CLIENT_HOST.id, []));
  };
  new HttpServer(world, SERVER_HOST, 80, {
    request: (req: HttpRequestIn, res: HttpResponder) => {
      const { path, query } = parseQuery(req.repr.target);
      if (path === EIO_PATH) {
        sio.engine.request(req, res);
        return;
      }
      const since = Number(query.get('since') ?? '0');
      if (news.length > since || !query.has('wait')) {
        answer(res, since);
        return;
      }
      const w = {
        res,
        since,
        timer: clock.timer(COMPARE.holdNs, () => {
          waiting = waiting.filter((x) => x !== w);
          answer(res, since);
        }),
      };
      res.onClose = () => {
        w.timer.cancel();
        waiting = waiting.filter((x) => x !== w);
      };
      waiting.push(w);
    },
    upgrade: (req, socket, rest) => {
      const { path } = parseQuery(req.repr.target);
      if (path === EIO_PATH) return sio.engine.upgrade(req, socket, rest);
      const key = headerValue(req.repr.headers, 'Sec-WebSocket-Key');
      if (path !== COMPARE.path || !key) return false;
      const ws = new ServerWs(socket, CLIENT_HOST.id, false);
      ws.hooks = { closed: () => wsClients.splice(wsClients.indexOf(ws) >>> 0, 1) };
      ws.accept(key, rest);
      wsClients.push(ws);
      return true;
    },
  });

  const publish = (text: string): void => {
    news.push(text);
    for (const w of waiting.splice(0)) {
      w.timer.cancel();
      answer(w.res, w.since);
    }
    for (const ws of wsClients) ws.send(text);
    sio.emitTo(sio.sockets, COMPARE.event, [text]);
  };

  // ---- the four runs ----
  let phaseIndex = -1;
  const startNext = (): void => {
    phaseIndex++;
    const spec = METHODS[phaseIndex];
    if (!spec) {
      summarise();
      return;
    }
    news = [];
    const phase: PhaseRecord = {
      method: spec.method,
      startedAt: world.now,
      connections: new Set(),
      deliveries: [],
      firstPacket: -1,
    };
    rec.phase = phase;
    rec.phases.push(phase);
    rec.setChapter(spec.chapter);
    rec.step({
      ...phaseIntro(spec.method, scenario, n),
      host: CLIENT_HOST.id,
      layer: 7,
      kind: 'app',
      code: prog.lines.client[spec.method].start,
    });
    const start = world.now;
    offsets.forEach((off, i) => {
      clock.timer(start + off - world.now, () => {
        rec.step({
          title: `News ${i + 1} of ${n} on the server: ${JSON.stringify(texts[i])}`,
          text: `publish(${JSON.stringify(texts[i])}): the server has message ${i + 1} now. How soon will the page see it?`,
          host: SERVER_HOST.id,
          layer: 7,
          kind: 'app',
          code: prog.lines.server[spec.method].send,
        });
        publish(texts[i]!);
      });
    });
    let received = 0;
    const deliver = (text: string): void => {
      const i = received++;
      const availableAt = start + offsets[i]!;
      phase.deliveries.push({ index: i, availableAt, deliveredAt: world.now });
      rec.step({
        title: `The page shows news ${i + 1}: ${JSON.stringify(text)}`,
        text: `It reached the page ${msText(Math.round((world.now - availableAt) / 100_000) / 10)} after the server had it.`,
        host: CLIENT_HOST.id,
        layer: 7,
        kind: 'app',
        code: prog.lines.client[spec.method].receive,
        console: [{ host: CLIENT_HOST.id, text }],
      });
      if (received === n) finish();
    };
    let stop = (): void => {};
    const finish = (): void => {
      // A turn later, so that the acknowledgment of the last message (sent at the same instant) counts.
      clock.nextTurn(() => {
        rec.step({
          ...phaseSummary(spec.method, phase, world),
          host: CLIENT_HOST.id,
          layer: 7,
          kind: 'app',
          curriculum: ['Q12'],
        });
        stop();
        rec.phase = null;
        clock.timer(COMPARE.pauseNs, startNext);
      });
    };
    if (n === 0) {
      finish();
      return;
    }
    const http = new BrowserHttp(world, CLIENT_HOST, SERVER_HOST, 80);
    const get = (wait: boolean, then: () => void): void => {
      const since = received;
      const repr = browserRequest('GET', `${COMPARE.path}?since=${since}${wait ? '&wait=1' : ''}`);
      http.request(httpRequestWrite(repr, '', 'http-request', CLIENT_HOST.id, []), {
        response: (res) => {
          let list: unknown = [];
          try {
            list = JSON.parse(new TextDecoder().decode(res.body));
          } catch {
            list = [];
          }
          for (const t of Array.isArray(list) ? list : []) if (received < n) deliver(String(t));
          then();
        },
        failed: () => then(),
      });
    };
    switch (spec.method) {
      case 'short-polling': {
        let live = true;
        const tick = (): void => {
          // The page stops asking once it has every message (it knows how many there are).
          if (!live || received >= n) return;
          get(false, () => {});
          clock.timer(scenario.interval * NS_PER_MS, tick);
        };
        tick();
        stop = () => {
          live = false;
        };
        break;
      }
      case 'long-polling': {
        let live = true;
        const loop = (): void => {
          if (live && received < n) get(true, loop);
        };
        loop();
        stop = () => {
          live = false;
        };
        break;
      }
      case 'websocket': {
        const ws = new ClientWs({
          world,
          host: CLIENT_HOST,
          server: SERVER_HOST,
          port: 80,
          target: COMPARE.path,
          keyBytes: rngStream(scenario.seed, 'compare:ws-key').bytes(16),
          masks: rngStream(scenario.seed, 'compare:mask'),
          eio: false,
        });
        ws.hooks = { message: (text) => deliver(text) };
        ws.open();
        stop = () => ws.close();
        break;
      }
      case 'socketio': {
        const client = new SioClient(clock, CLIENT_HOST, SERVER_HOST, ignore);
        client.app = {
          connect: () => {},
          event: (name, args) => {
            if (name === COMPARE.event) deliver(String(args[0]));
          },
          disconnect: () => {},
        };
        client.start();
        stop = () => client.disconnect();
        break;
      }
    }
  };

  let comparison: Comparison = { messages: n, series: [] };
  const summarise = (): void => {
    const series = rec.phases.map((ph) => seriesOf(ph, world.packets));
    comparison = { messages: n, series };
    rec.setChapter('summary');
    rec.step({
      ...summaryNarration(series, scenario),
      host: CLIENT_HOST.id,
      layer: 7,
      kind: 'app',
    });
  };

  rec.step({
    title: `${n} messages, four ways`,
    text:
      `The server will have ${n} message${n === 1 ? '' : 's'} for the page, at irregular times ` +
      `(on average one every ${msText(scenario.interval)}). The page gets them by short polling (asking every ` +
      `${msText(scenario.interval)}), by long polling, over a WebSocket and with Socket.IO, one method after ` +
      'the other. For each, the chart counts every byte on the wire, headers of every layer included, and ' +
      'how long each message waited before the page saw it.',
    host: 'wire',
    layer: null,
    kind: 'state',
    curriculum: ['Q12'],
  });
  clock.timer(0, startNext);
  world.run();

  return {
    scenario,
    hosts: [CLIENT_HOST, SERVER_HOST],
    packets: world.packets,
    steps: rec.steps,
    chapters: chaptersOf(rec.steps),
    programs: { client: prog.client, server: prog.server },
    comparison,
  };
}

function seriesOf(ph: PhaseRecord, packets: readonly Packet[]): ComparisonSeries {
  const mine = packets.filter((p) => ph.connections.has(p.connection)).sort((a, b) => a.sentAt - b.sentAt);
  const last = ph.deliveries.at(-1)?.deliveredAt ?? ph.startedAt;
  // One pass: deliveries come in time order, so the packets sent before each are a growing prefix.
  let k = 0;
  let sum = 0;
  const cumulativeBytes = ph.deliveries.map((d) => {
    while (k < mine.length && mine[k]!.sentAt * 1e6 <= d.deliveredAt) sum += mine[k++]!.frame.length;
    return sum;
  });
  const label = METHODS.find((m) => m.method === ph.method)!.label;
  return {
    method: ph.method,
    label,
    cumulativeBytes,
    packets: mine.filter((p) => p.sentAt * 1e6 <= last).length,
    delays: ph.deliveries.map((d) => Math.round((d.deliveredAt - d.availableAt) / 1000) / 1000),
  };
}

function phaseIntro(method: CompareMethod, scenario: Scenario, n: number): Narration {
  switch (method) {
    case 'short-polling':
      return {
        title: `Short polling: GET ${COMPARE.path} every ${msText(scenario.interval)}`,
        text:
          `The page asks the server every ${msText(scenario.interval)} whether there is news, with an ordinary ` +
          'HTTP request and all its headers. The server answers at once, usually with nothing ([]). A message ' +
          'waits on the server until the next question comes: up to one whole interval.',
        curriculum: ['Q12'],
      };
    case 'long-polling':
      return {
        title: 'Long polling: one question held open',
        text:
          'The page asks once; the server keeps the question open until it has news, then answers, and the ' +
          'page asks again at once. Messages arrive quickly, but each still costs a whole HTTP request and ' +
          'response with their headers.',
        curriculum: ['Q12'],
      };
    case 'websocket':
      return {
        title: `WebSocket: ws://server${COMPARE.path}`,
        text:
          'One HTTP upgrade, then the connection stays open and the server sends each message as a frame with ' +
          `a header of 2 bytes (up to 14). ${n} messages, no more questions.`,
        curriculum: ['Q12', 'Q9'],
      };
    case 'socketio':
      return {
        title: 'Socket.IO: io()',
        text:
          'Socket.IO starts with its Engine.IO handshake over HTTP long-polling, upgrades to a WebSocket, then ' +
          `sends each message as an event (42["${COMPARE.event}",…]): a little more than a bare WebSocket, ` +
          'for its extra features.',
        curriculum: ['Q12', 'Q8'],
      };
  }
}

function phaseSummary(method: CompareMethod, ph: PhaseRecord, world: World): Narration {
  const s = seriesOf(ph, world.packets);
  const total = s.cumulativeBytes.at(-1) ?? 0;
  const mean = s.delays.length ? s.delays.reduce((a, b) => a + b, 0) / s.delays.length : 0;
  const max = s.delays.length ? Math.round(Math.max(...s.delays) * 10) / 10 : 0;
  return {
    title: `${s.label}: ${total} bytes, ${s.packets} packets, ${msText(Math.round(mean * 10) / 10)} average delay`,
    text:
      `All ${s.delays.length} messages arrived. On the wire: ${total} bytes in ${s.packets} packets ` +
      `(${s.delays.length ? Math.round(total / s.delays.length) : 0} bytes per message), counting every ` +
      `TCP connection ${method === 'short-polling' || method === 'long-polling' ? 'and every request ' : ''}it ` +
      `needed. Delay from the server having a message to the page showing it: ${msText(Math.round(mean * 10) / 10)} ` +
      `on average, at worst ${msText(max)}.`,
    curriculum: ['Q12'],
  };
}

function summaryNarration(series: readonly ComparisonSeries[], scenario: Scenario): Narration {
  const row = (s: ComparisonSeries): string => {
    const total = s.cumulativeBytes.at(-1) ?? 0;
    const mean = s.delays.length ? s.delays.reduce((a, b) => a + b, 0) / s.delays.length : 0;
    return `${s.label}: ${total} bytes, ${s.packets} packets, ${msText(Math.round(mean * 10) / 10)} average delay`;
  };
  return {
    title: 'Why not just HTTP polling?',
    text:
      series.map(row).join('; ') +
      `. Short polling pays full HTTP headers for every question, news or not, and makes each message wait up ` +
      `to ${msText(scenario.interval)}; asking more often cuts the wait but multiplies the bytes. Long polling ` +
      'cuts the wait, but every message still costs a request and a response with headers. A WebSocket pays ' +
      'its handshake once, then 2 to 14 bytes of frame header per message, and the message leaves as soon as ' +
      'the server has it. Socket.IO adds its handshake, upgrade and a few bytes per event to that, in exchange ' +
      'for its features.',
    curriculum: ['Q12', 'Q9', 'Q8'],
  };
}

function chaptersOf(steps: readonly Step[]): Chapter[] {
  const out: Chapter[] = [];
  for (const s of steps) {
    const last = out.at(-1);
    if (last && last.id === s.chapter) out[out.length - 1] = { ...last, lastStep: s.index };
    else {
      out.push({
        id: s.chapter,
        title: CHAPTERS.find((c) => c.id === s.chapter)?.title ?? s.chapter,
        firstStep: s.index,
        lastStep: s.index,
      });
    }
  }
  return out;
}
