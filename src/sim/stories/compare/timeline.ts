/**
 * The polling-vs-websocket story (CURRICULUM Q12): the same N server messages, each becoming available
 * at a seeded, irregular time, delivered to one browser five ways, one after another on the same
 * simulated network:
 *
 * 1. short polling: the page asks `GET /updates?since=<n>` every `interval` ms; the server answers at
 *    once with what is new (a JSON array, often `[]`);
 * 2. long polling: the same request, but the server holds it until there is something new (or 25 s
 *    have passed), and the page asks again as soon as an answer comes;
 * 3. Server-Sent Events: `new EventSource('/updates')` sends one GET; the server answers 200 with
 *    `Content-Type: text/event-stream` and a chunked body that never ends, one chunk per message
 *    (`event: news`, `data: …`; WHATWG HTML §9.2.5, RFC 9112 §7.1); the page closes it when it has all;
 * 4. WebSocket: one upgrade to `ws://server/updates`, then one text frame per message;
 * 5. Socket.IO: io() (handshake, long-polling, upgrade), then `42["news",…]` per message.
 *
 * Everything travels as real packets through the same TCP, HTTP and WebSocket code as the other
 * lessons, and `timeline.comparison` is measured from them: bytes are whole frames as captured
 * (Ethernet 14 + IPv4 20 + TCP header with its options, 32 bytes with timestamps, + the application's
 * bytes; preamble, FCS and gap are left out), counted over every packet of the method (TCP handshakes,
 * requests, answers, ACKs) sent until each message reaches the page; the delay is from the message
 * becoming available on the server to the page receiving it.
 */
import { arpSteps, routersArpSteps, unresolvedStep } from '../../steps/arp';
import { utf8 } from '../../../protocol/bytes';
import { headerValue } from '../../../protocol/http';
import { Clock } from '../../engine/clock';
import { EIO_PATH, parseQuery } from '../../libs/engineio/query';
import { eioWsWrites, httpRequestWrite, httpResponseWrite, type EioWrite } from '../../libs/engineio/writes';
import {
  BrowserHttp,
  HttpServer,
  browserEventSourceRequest,
  browserRequest,
  browserWsRequest,
  nodeResponse,
  nodeStreamResponse,
  type HttpResponder,
  type HttpRequestIn,
} from '../../libs/http';
import { NS_PER_MS, World, type Socket, type WorldObserver } from '../../engine/network';
import { CLIENT_HOST, routerHosts, SERVER_HOST } from '../hosts';
import { narrateTcpEvent, runFacts, type RunFacts } from '../../steps/narration';
import { LISTENING, StepRecorder, WalkLog } from '../../steps/recorder';
import { rngStream } from '../../engine/rng';
import { DEFAULT_HOPS, type Scenario } from '../../scenario';
import { SIO_DEFAULTS, SioClient, SioServer, type SioClientObserver } from '../../libs/socketio';
import { BrowserWebSocket, WsServerConnection } from '../../libs/websocket';
import type { TcpEvent } from '../../engine/tcp';
import type { Comparison, ComparisonSeries, HostInfo, Packet, TcpView, Timeline } from '../../types';
import {
  COMPARE,
  COMPARE_CHAPTERS,
  METHODS,
  messageTimes,
  type CompareMethod,
  type MethodSpec,
} from './methods';
import {
  narrateComparePacket,
  narrateDelivery,
  narrateNews,
  narratePlan,
  phaseIntro,
  phaseSummary,
  summaryNarration,
} from './narration';
import { comparePrograms, type CompareLines } from './programs';
import { sseChunkWrite, sseHeadWrite } from './sse';
import { SseParser } from '../../../protocol/sse';

interface Delivery {
  readonly index: number;
  readonly availableAt: number;
  readonly deliveredAt: number;
}

/** One method's run: when it began, its connections, when each message reached the page. */
interface PhaseRecord {
  readonly method: CompareMethod;
  readonly startedAt: number;
  readonly connections: Set<number>;
  readonly deliveries: Delivery[];
  firstPacket: number;
}

/** Records packets and the programs' events as steps, and which packets belong to which method. */
class CompareSteps implements WorldObserver {
  readonly rec: StepRecorder;
  phase: PhaseRecord | null = null;
  readonly phases: PhaseRecord[] = [];
  private readonly log = new WalkLog<EioWrite>();
  private runFacts!: RunFacts;
  private world!: World;

  constructor(
    private readonly scenario: Scenario,
    private readonly lines: CompareLines,
  ) {
    const states = { [CLIENT_HOST.id]: {}, [SERVER_HOST.id]: { tcp: LISTENING } };
    this.rec = new StepRecorder(COMPARE_CHAPTERS, states, () => this.world.now / 1e6);
  }

  attach(world: World): void {
    this.world = world;
    this.runFacts = runFacts(this.scenario, CLIENT_HOST, SERVER_HOST, world.packets, -1);
  }

  /** Begin a method's run: its record, its chapter. */
  begin(spec: MethodSpec): PhaseRecord {
    const phase: PhaseRecord = {
      method: spec.method,
      startedAt: this.world.now,
      connections: new Set(),
      deliveries: [],
      firstPacket: -1,
    };
    this.phase = phase;
    this.phases.push(phase);
    this.rec.advance(spec.chapter);
    return phase;
  }

  sent(p: Packet, view: TcpView, tag: unknown): void {
    this.log.sent(p, tag instanceof Object && 'purpose' in (tag as object) ? (tag as EioWrite) : undefined);
    if (this.phase) {
      if (this.phase.firstPacket < 0) this.phase.firstPacket = p.id;
      if (p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK'))
        this.phase.connections.add(p.connection);
    }
    this.rec.setTcp(p.from, view);
  }

  arp(p: Packet, index: number): void {
    const s = arpSteps(p, null, this.runFacts)[index]!;
    this.rec.step(s.draft, s.time);
  }

  onWire(p: Packet): void {
    const m = this.phase?.method;
    const fromBrowser = p.from === CLIENT_HOST.id;
    const code = m ? (fromBrowser ? this.lines.client[m].start : this.lines.server[m].start) : null;
    if (p.unresolved) {
      this.rec.step(unresolvedStep(p, this.runFacts, { code }));
      return;
    }
    this.rec.step({
      ...narrateComparePacket(p, this.log.writeOf(p), fromBrowser, m),
      host: 'wire',
      layer: 1,
      kind: p.lost ? 'drop' : 'transmit',
      packet: p.id,
      code,
    });
    for (const s of routersArpSteps(p, this.runFacts)) this.rec.step(s.draft, s.time);
  }

  arrived(p: Packet, view: TcpView | null): void {
    if (view) this.rec.setTcp(p.to, view);
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.rec.setTcp(host.id, socket.tcp.view());
    if (e.kind === 'rto' || e.kind === 'rto-busy' || e.kind === 'fast-retransmit') {
      this.rec.step({
        ...narrateTcpEvent(host, e, this.runFacts),
        host: host.id,
        layer: 4,
        kind: 'state',
        packet: e.packet,
      });
    }
  }
}

/** What every method's run shares. */
interface Run {
  readonly scenario: Scenario;
  readonly world: World;
  readonly clock: Clock;
  readonly steps: CompareSteps;
  readonly lines: CompareLines;
  readonly texts: readonly string[];
  readonly offsets: readonly number[];
  readonly server: NewsServer;
}

/** server.js: the news, and how it reaches each method's page. */
interface NewsServer {
  /** A method's run begins: no news yet. */
  clear(): void;
  publish(text: string): void;
}

/** server.js: one HTTP server for the polling endpoints, the WebSocket and socket.io. */
function serveNews(world: World, clock: Clock): NewsServer {
  let news: string[] = [];
  let waiting: { res: HttpResponder; since: number; timer: { cancel(): void } }[] = [];
  const wsClients: WsServerConnection[] = [];
  const streams: HttpResponder[] = [];
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
    null,
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
      if (headerValue(req.repr.headers, 'Accept') === 'text/event-stream') {
        // Server-Sent Events: the head now (res.flushHeaders()), then one chunk per message.
        const head = nodeStreamResponse(
          200,
          'OK',
          [
            ['Content-Type', 'text/event-stream'],
            ['Cache-Control', 'no-cache'],
            ['Connection', 'keep-alive'],
          ],
          world.now,
        );
        res.stream(sseHeadWrite(head, CLIENT_HOST.id));
        streams.push(res);
        res.onClose = () => streams.splice(streams.indexOf(res) >>> 0, 1);
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
      const ws = new WsServerConnection({ host: SERVER_HOST, writes: eioWsWrites(CLIENT_HOST.id, false) });
      ws.hooks = { closed: () => wsClients.splice(wsClients.indexOf(ws) >>> 0, 1) };
      ws.accept(socket, key, rest);
      wsClients.push(ws);
      return true;
    },
  });
  return {
    clear: () => {
      news = [];
    },
    publish: (text) => {
      news.push(text);
      for (const w of waiting.splice(0)) {
        w.timer.cancel();
        answer(w.res, w.since);
      }
      for (const res of streams) res.write(sseChunkWrite(text, COMPARE.event, CLIENT_HOST.id));
      for (const ws of wsClients) ws.send(text);
      sio.emitTo(sio.sockets, COMPARE.event, [text]);
    },
  };
}

/**
 * client.js for one method: start getting the news, hand each message to `deliver`. `received` says how
 * many messages the page has; returns how to stop.
 */
function startClient(
  run: Run,
  method: CompareMethod,
  deliver: (text: string) => void,
  received: () => number,
): () => void {
  const { world, clock, scenario } = run;
  const n = run.texts.length;
  const http = new BrowserHttp(world, CLIENT_HOST, SERVER_HOST, 80);
  const get = (wait: boolean, then: () => void): void => {
    const since = received();
    const repr = browserRequest('GET', `${COMPARE.path}?since=${since}${wait ? '&wait=1' : ''}`);
    http.request(httpRequestWrite(repr, '', 'http-request', CLIENT_HOST.id, []), {
      response: (res) => {
        let list: unknown = [];
        try {
          list = JSON.parse(new TextDecoder().decode(res.body));
        } catch {
          list = [];
        }
        for (const t of Array.isArray(list) ? list : []) if (received() < n) deliver(String(t));
        then();
      },
      failed: () => then(),
    });
  };
  switch (method) {
    case 'short-polling': {
      let live = true;
      const tick = (): void => {
        // The page stops asking once it has every message (it knows how many there are).
        if (!live || received() >= n) return;
        get(false, () => {});
        clock.timer(scenario.interval * NS_PER_MS, tick);
      };
      tick();
      return () => {
        live = false;
      };
    }
    case 'long-polling': {
      let live = true;
      const loop = (): void => {
        if (live && received() < n) get(true, loop);
      };
      loop();
      return () => {
        live = false;
      };
    }
    case 'sse': {
      // EventSource: one request; each chunk goes through the event-stream parser (WHATWG HTML §9.2.6).
      const parser = new SseParser();
      const repr = browserEventSourceRequest(COMPARE.path);
      const exchange = http.request(httpRequestWrite(repr, '', 'http-request', CLIENT_HOST.id, []), {
        chunk: (data) => {
          for (const e of parser.push(data)) if (e.type === COMPARE.event && received() < n) deliver(e.data);
        },
        // The server never ends the stream; the page closes it.
        response: () => {},
      });
      return () => exchange.close();
    }
    case 'websocket': {
      const ws = new BrowserWebSocket({
        world,
        host: CLIENT_HOST,
        server: SERVER_HOST,
        port: 80,
        request: browserWsRequest(COMPARE.path),
        keyBytes: rngStream(scenario.seed, 'compare:ws-key').bytes(16),
        masks: rngStream(scenario.seed, 'compare:mask'),
        writes: eioWsWrites(CLIENT_HOST.id, false),
      });
      ws.hooks = { message: (text) => deliver(text) };
      ws.open();
      return () => ws.close();
    }
    case 'socketio': {
      const ignore: SioClientObserver = { app: () => {}, connecting: () => {} };
      const client = new SioClient(clock, CLIENT_HOST, SERVER_HOST, 80, ignore);
      client.app = {
        connect: () => {},
        event: (name, args) => {
          if (name === COMPARE.event) deliver(String(args[0]));
        },
        disconnect: () => {},
      };
      client.start();
      return () => client.disconnect();
    }
  }
}

/** Publish each message on the server at its time, counted from `start`. */
function schedulePublishes(run: Run, method: CompareMethod, start: number): void {
  const { world, clock, steps, texts } = run;
  run.offsets.forEach((off, i) => {
    clock.timer(start + off - world.now, () => {
      steps.rec.step({
        ...narrateNews(texts[i]!, i, texts.length),
        host: SERVER_HOST.id,
        layer: 7,
        kind: 'app',
        message: i,
        code: run.lines.server[method].send,
      });
      run.server.publish(texts[i]!);
    });
  });
}

/** One method's run, from its introduction to its figures; `next` starts the next method. */
function runMethod(run: Run, spec: MethodSpec, next: () => void): void {
  const { world, clock, steps, scenario } = run;
  const n = run.texts.length;
  run.server.clear();
  const phase = steps.begin(spec);
  steps.rec.step({
    ...phaseIntro(spec.method, scenario, n),
    host: CLIENT_HOST.id,
    layer: 7,
    kind: 'app',
    code: run.lines.client[spec.method].start,
  });
  const start = world.now;
  schedulePublishes(run, spec.method, start);
  let received = 0;
  const deliver = (text: string): void => {
    const i = received++;
    const availableAt = start + run.offsets[i]!;
    phase.deliveries.push({ index: i, availableAt, deliveredAt: world.now });
    steps.rec.step({
      ...narrateDelivery(text, i, world.now - availableAt),
      host: CLIENT_HOST.id,
      layer: 7,
      kind: 'app',
      code: run.lines.client[spec.method].receive,
      console: [{ host: CLIENT_HOST.id, text }],
    });
    if (received === n) finish();
  };
  let stop = (): void => {};
  const finish = (): void => {
    // A turn later, so that the acknowledgment of the last message (sent at the same instant) counts.
    clock.nextTurn(() => {
      steps.rec.step({
        ...phaseSummary(spec.method, seriesOf(phase, world.packets)),
        host: CLIENT_HOST.id,
        layer: 7,
        kind: 'app',
        curriculum: ['Q12'],
      });
      stop();
      steps.phase = null;
      clock.timer(COMPARE.pauseNs, next);
    });
  };
  if (n === 0) {
    finish();
    return;
  }
  stop = startClient(run, spec.method, deliver, () => received);
}

export function buildCompareTimeline(scenario: Scenario): Timeline {
  const prog = comparePrograms(scenario);
  const steps = new CompareSteps(scenario, prog.lines);
  // The default path (one router), whatever the link says: the comparison measures one path (link/parse.ts).
  const world = new World({
    seed: scenario.seed,
    mss: scenario.mss,
    loss: scenario.loss,
    hops: DEFAULT_HOPS,
    observer: steps,
  });
  steps.attach(world);
  const clock = new Clock(world);
  const run: Run = {
    scenario,
    world,
    clock,
    steps,
    lines: prog.lines,
    texts: scenario.messages.map((m) => m.text),
    offsets: messageTimes(scenario),
    server: serveNews(world, clock),
  };
  const n = run.texts.length;

  let comparison: Comparison = { messages: n, series: [] };
  let phaseIndex = -1;
  const startNext = (): void => {
    const spec = METHODS[++phaseIndex];
    if (spec) {
      runMethod(run, spec, startNext);
      return;
    }
    const series = steps.phases.map((ph) => seriesOf(ph, world.packets));
    comparison = { messages: n, series };
    steps.rec.advance('summary');
    steps.rec.step({ ...summaryNarration(series, scenario), host: CLIENT_HOST.id, layer: 7, kind: 'app' });
  };

  steps.rec.step({ ...narratePlan(scenario, n), host: 'wire', layer: null, kind: 'state' });
  clock.timer(0, startNext);
  world.run();

  return {
    ...steps.rec.timeline(
      scenario,
      [CLIENT_HOST, SERVER_HOST, ...routerHosts(world.path)],
      world.packets,
      prog,
    ),
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
