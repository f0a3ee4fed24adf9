/**
 * The socketio story as a timeline: every packet of every browser, the seven-layer walk of a few of
 * Browser 1's packets, the programs' events with their console lines, and every host's state.
 *
 * Which packets walk the layers (walk=default): Browser 1's Engine.IO handshake GET, the first packet
 * carrying a message event from Browser 1 and the first carrying one to it. walk=all walks every packet
 * of Browser 1 (other browsers' packets get one step each: the capture and the walk are Browser 1's).
 *
 * The capture (`timelinePcap`) is what Browser 1's network card sees, as for the websocket lesson: the
 * other browsers' packets are not in it, as a Wireshark on Browser 1 would not see them on a switched
 * network. `timelinePcap(t, 'server')` gives the server's card, which sees every browser.
 */
import { SIO_PACKET_TYPES, decodeSioPacket } from '../../../protocol/socketio';
import { Clock, type EioWrite } from '../../libs/engineio';
import type { OpenReason } from '../../libs/http';
import { narrateTcpEvent, type Narration, type RunFacts } from '../../steps/narration';
import { NETWORK, World, type Socket, type WorldObserver } from '../../engine/network';
import { walkDown, walkUp } from '../../steps/osi';
import type { Scenario } from '../../scenario';
import {
  runSocketIoStory,
  socketIoHosts,
  storyEvents,
  type SioAppEvent,
  type SioChapterId,
  type SioObserver,
  type SioStory,
} from '../../libs/socketio';
import {
  isEvent,
  label,
  narrateSioApp,
  narrateSioDrop,
  narrateSioPacket,
  sioWalkLayers,
  type SioFacts,
} from './narration';
import { socketIoPrograms, type SioProgramLines } from './programs';
import type { TcpEvent } from '../../engine/tcp';
import type {
  Chapter,
  CodeRef,
  ConsoleLine,
  HostId,
  HostInfo,
  HostState,
  OsiLayer,
  Packet,
  Step,
  StepKind,
  TcpView,
  Timeline,
} from '../../types';
import type { StoryWrite } from '../../libs/websocket';

export const SIO_CHAPTERS: readonly { readonly id: SioChapterId; readonly title: string }[] = [
  { id: 'eio-handshake', title: 'Engine.IO handshake over HTTP long-polling' },
  { id: 'sio-connect', title: 'Socket.IO connects, then upgrades to WebSocket' },
  { id: 'more-browsers', title: 'More browsers connect' },
  { id: 'sio-events', title: 'Events: emit, fan-out, acknowledgement' },
  { id: 'heartbeat', title: 'Heartbeat: ping and pong' },
  { id: 'reconnect', title: 'The network drops: ping timeout and reconnection' },
  { id: 'sio-disconnect', title: 'Disconnecting' },
  { id: 'tcp-teardown', title: 'Closing the connections' },
];

const CONSOLE_TEXT = 60;

function shorten(text: string, max = CONSOLE_TEXT): string {
  const chars = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

interface StepDraft extends Narration {
  readonly host: HostId | 'wire';
  readonly layer: OsiLayer | null;
  readonly kind: StepKind;
  readonly packet?: number | undefined;
  readonly code?: CodeRef | null;
  readonly console?: readonly ConsoleLine[];
}

/** Records the world's and the programs' events as steps. */
class SioRecorder implements WorldObserver, SioObserver {
  readonly steps: Step[] = [];
  private states: Readonly<Record<HostId, HostState>>;
  private phase = 0;
  readonly facts: SioFacts;
  private readonly writeOf: (EioWrite | undefined)[] = [];
  private readonly walked = new Set<number>();
  private readonly walkPending = new Set<number>();
  private readonly pendingConnect = new Map<
    HostId,
    { purpose: 'http' | 'websocket'; reason: OpenReason | 'websocket' }
  >();
  private readonly connCount = new Map<string, number>();
  private readonly chosen = { handshake: false, up: false, down: false };
  /** The code line of the latest emit of each packet text, per sender: the frames it causes point there. */
  private readonly emitLine = new Map<string, CodeRef>();
  private runFacts!: RunFacts;
  private world!: World;
  clock!: Clock;
  afterStep: (count: number) => void = () => {};
  story: SioStory | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly hosts: readonly HostInfo[],
    private readonly lines: SioProgramLines,
  ) {
    const server = hosts.find((h) => h.role === 'server')!;
    this.facts = {
      scenario,
      hosts: new Map(hosts.map((h) => [h.id, h])),
      server,
      packets: [],
      events: storyEvents(scenario),
      sid: new Map(),
      socketId: new Map(),
      handshake: new Map(),
      conns: new Map(),
      linkDown: false,
      told: new Set(),
    };
    const states: Record<HostId, HostState> = {};
    for (const h of hosts) states[h.id] = {};
    states[server.id] = {
      tcp: { connection: 0, state: 'LISTEN', sndNxt: 0, relSndNxt: 0, rcvNxt: 0, relRcvNxt: 0 },
      sio: { connected: false },
    };
    this.states = states;
  }

  attach(world: World, clock: Clock): void {
    this.world = world;
    this.clock = clock;
    (this.facts as { packets: readonly Packet[] }).packets = world.packets;
    const client = this.hosts[0]!;
    this.runFacts = {
      scenario: this.scenario,
      client,
      server: this.facts.server,
      packets: world.packets,
      clientPort: null,
      clientIsn: null,
      serverIsn: null,
      key: null,
      firstClientMessage: -1,
      duplicateAcks: new Map(),
      goodbye: new Map(),
    };
  }

  private setHost(host: HostId, patch: Partial<HostState>): void {
    const old = this.states[host] ?? {};
    let changed = false;
    for (const k of Object.keys(patch) as (keyof HostState)[]) {
      if (old[k] !== patch[k]) changed = true;
    }
    if (!changed) return;
    this.states = { ...this.states, [host]: { ...old, ...patch } };
  }

  private setSio(host: HostId, patch: Partial<NonNullable<HostState['sio']>>): void {
    const old = this.states[host]?.sio ?? { connected: false };
    const next = { ...old, ...patch };
    for (const k of Object.keys(next) as (keyof typeof next)[]) if (next[k] === undefined) delete next[k];
    this.setHost(host, { sio: next });
  }

  private step(d: StepDraft, time = this.world.now / 1e6): void {
    const step: { -readonly [K in keyof Step]: Step[K] } = {
      index: this.steps.length,
      chapter: SIO_CHAPTERS[this.phase]!.id,
      time,
      host: d.host,
      layer: d.layer,
      kind: d.kind,
      states: this.states,
      title: d.title,
      text: d.text,
    };
    if (d.packet !== undefined) step.packet = d.packet;
    if (d.curriculum && d.curriculum.length > 0) step.curriculum = d.curriculum;
    if (d.misconception) step.misconception = d.misconception;
    if (d.code) step.code = d.code;
    if (d.console && d.console.length > 0) step.console = d.console;
    this.steps.push(step);
    this.afterStep(this.steps.length);
  }

  /** A closing note when the run had to stop early. */
  finish(truncated: boolean): void {
    if (truncated) {
      this.step({
        host: 'wire',
        layer: null,
        kind: 'state',
        title: 'The simulation stops here',
        text: 'This scenario would run on for too long; the timeline ends here.',
      });
    }
  }

  // ---- SioObserver ----

  chapter(id: SioChapterId): void {
    const i = SIO_CHAPTERS.findIndex((c) => c.id === id);
    if (i > this.phase) this.phase = i;
  }

  connecting(browser: HostId, purpose: 'http' | 'websocket', reason: OpenReason | 'websocket'): void {
    this.pendingConnect.set(browser, { purpose, reason });
    if (purpose === 'websocket') this.setHost(browser, { ws: 'CONNECTING' });
  }

  app(e: SioAppEvent): void {
    const L = this.lines;
    const browser = 'browser' in e ? e.browser : null;
    let code: CodeRef | null = null;
    let out: ConsoleLine | null = null;
    let host: HostId | 'wire' = this.facts.server.id;
    let layer: OsiLayer | null = 7;
    let kind: StepKind = 'app';
    switch (e.kind) {
      case 'listen':
        code = L.server.listen;
        break;
      case 'io':
        host = e.browser;
        code = L.client.io;
        break;
      case 'handshake':
        this.facts.handshake.set(e.browser, e.handshake);
        this.facts.sid.set(e.browser, e.handshake.sid);
        break;
      case 'connection':
        this.facts.sid.set(e.browser, e.sid);
        code = L.server.connectionLog;
        out = { host: this.facts.server.id, text: 'a user connected' };
        this.setSio(this.facts.server.id, { connected: true });
        break;
      case 'connect':
        host = e.browser;
        this.facts.socketId.set(e.browser, e.socketId);
        code = L.client.connectLog;
        out = { host: e.browser, text: `connect ${e.socketId}` };
        this.setSio(e.browser, {
          connected: true,
          sid: e.socketId,
          transport: this.story?.clients.find((c) => c.host.id === e.browser)?.transport ?? 'polling',
        });
        break;
      case 'upgrade':
        host = e.browser;
        code = L.client.io;
        this.setSio(e.browser, { transport: 'websocket' });
        break;
      case 'upgrade-error':
        host = e.browser;
        code = L.client.io;
        break;
      case 'join':
        code = L.server.join;
        this.setSio(e.browser, { rooms: [e.room] });
        this.setSio(this.facts.server.id, { rooms: [e.room] });
        break;
      case 'client-emit': {
        host = e.browser;
        code =
          e.ackId !== undefined
            ? L.client.ackEmit
            : e.message !== undefined
              ? (L.send.get(e.message) ?? null)
              : L.client.join;
        if (code) this.emitLine.set(`${e.browser}|${e.packet}`, code);
        break;
      }
      case 'server-event':
        code = L.server.messageLog;
        if (e.event === this.facts.events.event) {
          out = { host: this.facts.server.id, text: `message: ${shorten(String(e.args[0] ?? ''))}` };
        }
        break;
      case 'fanout':
        code =
          e.push && e.message !== undefined ? (L.send.get(e.message) ?? L.server.fanout) : L.server.fanout;
        this.emitLine.set(`${this.facts.server.id}|${e.packet}`, code);
        break;
      case 'ack-reply':
        code = L.server.ackReply;
        this.emitLine.set(`${this.facts.server.id}|${e.packet}`, code);
        break;
      case 'client-event':
        host = e.browser;
        code = L.client.messageLog;
        if (e.event === this.facts.events.event) {
          out = { host: e.browser, text: `message: ${shorten(String(e.args[0] ?? ''))}` };
        }
        break;
      case 'ack':
        host = e.browser;
        code = L.client.ackLog;
        out = { host: e.browser, text: `${e.args.map((a) => JSON.stringify(a)).join(' ')} users online` };
        break;
      case 'disconnect-call':
        host = e.browser;
        code = L.client.disconnect;
        break;
      case 'client-disconnect':
        host = e.browser;
        code = L.client.disconnectLog;
        out = { host: e.browser, text: `disconnect: ${e.reason}` };
        this.setSio(e.browser, { connected: false, sid: undefined, transport: undefined });
        break;
      case 'server-disconnect': {
        code = L.server.disconnectLog;
        out = { host: this.facts.server.id, text: 'user disconnected' };
        this.setSio(e.browser, { rooms: undefined });
        const left = this.story?.server.sockets ?? [];
        const rooms = [...new Set(left.flatMap((s) => [...s.rooms].filter((r) => r !== s.id)))].sort();
        this.setSio(this.facts.server.id, {
          connected: left.length > 0,
          rooms: rooms.length > 0 ? rooms : undefined,
        });
        break;
      }
      case 'network':
        host = 'wire';
        layer = 1;
        kind = 'state';
        this.facts.linkDown = !e.up;
        break;
      case 'reconnect-attempt':
        host = e.browser;
        code = L.client.reconnectAttemptLog;
        out = { host: e.browser, text: `reconnect_attempt ${e.attempt}` };
        break;
      case 'connect-error':
        host = e.browser;
        code = L.client.connectErrorLog;
        out = { host: e.browser, text: `connect_error: ${e.message}` };
        break;
      case 'reconnect':
        host = e.browser;
        code = L.client.reconnectLog;
        out = { host: e.browser, text: `reconnect after ${e.attempt} attempt(s)` };
        break;
    }
    const n = narrateSioApp(e, this.facts);
    if (!n) return;
    const reaction =
      e.kind === 'connection' ||
      e.kind === 'connect' ||
      e.kind === 'server-event' ||
      e.kind === 'client-event' ||
      e.kind === 'ack' ||
      e.kind === 'join' ||
      e.kind === 'server-disconnect' ||
      e.kind === 'client-disconnect' ||
      e.kind === 'upgrade' ||
      (e.kind === 'fanout' && !e.push) ||
      e.kind === 'ack-reply';
    void browser;
    this.step({
      ...n,
      host,
      layer,
      kind,
      ...(reaction && this.clock.cause !== undefined ? { packet: this.clock.cause } : {}),
      code,
      ...(out ? { console: [out] } : {}),
    });
  }

  // ---- WorldObserver ----

  private browserOf(p: Packet): HostId {
    return p.from === this.facts.server.id ? p.to : p.from;
  }

  private codeFor(p: Packet, w: EioWrite | undefined): CodeRef | null {
    const L = this.lines;
    const fromServer = p.from === this.facts.server.id;
    if (w) {
      for (const e of w.packets) {
        if (e.type !== 'message') continue;
        const line = this.emitLine.get(`${p.from}|${e.data ?? ''}`);
        if (line) return line;
        const d = decodeSioPacket(e.data ?? '');
        if (d.ok && d.repr.type === SIO_PACKET_TYPES.CONNECT)
          return fromServer ? L.server.connection : L.client.io;
        if (d.ok && d.repr.type === SIO_PACKET_TYPES.DISCONNECT) return L.client.disconnect;
      }
      if (w.purpose === 'ws-close' && !fromServer) return L.client.disconnect;
      return fromServer ? L.server.io : L.client.io;
    }
    return fromServer ? L.server.listen : L.client.io;
  }

  private shouldWalk(p: Packet, w: EioWrite | undefined): boolean {
    const mode = this.scenario.walk;
    if (mode === 'none') return false;
    const mine = p.from === 'client' || p.to === 'client';
    if (!mine) return false;
    if (mode === 'all') return true;
    if (p.retransmissionOf !== undefined) return this.walkPending.has(p.retransmissionOf);
    if (!w || p.app?.kind === 'continuation') return false;
    if (!this.chosen.handshake && w.purpose === 'handshake-request') {
      this.chosen.handshake = true;
      return true;
    }
    const wanted = (p.from === 'client' && !this.chosen.down) || (p.to === 'client' && !this.chosen.up);
    if (!wanted || !w.packets.some((e) => isEvent(e, this.facts.events.event))) return false;
    if (p.from === 'client' && !this.chosen.down) {
      this.chosen.down = true;
      return true;
    }
    if (p.to === 'client' && !this.chosen.up) {
      this.chosen.up = true;
      return true;
    }
    return false;
  }

  sent(p: Packet, senderView: TcpView, tag: unknown): void {
    const w = tag instanceof Object && 'purpose' in (tag as object) ? (tag as EioWrite) : undefined;
    this.writeOf[p.id] = w;
    if (p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK') && p.retransmissionOf === undefined) {
      const pending = this.pendingConnect.get(p.from);
      if (pending) {
        this.pendingConnect.delete(p.from);
        const key = `${p.from}:${pending.purpose}`;
        const n = (this.connCount.get(key) ?? 0) + 1;
        this.connCount.set(key, n);
        this.facts.conns.set(p.connection, {
          browser: p.from,
          purpose: pending.purpose,
          n,
          reason: pending.reason,
        });
      }
      if (p.from === 'client' && this.runFacts.clientIsn === null) {
        this.runFacts.clientIsn = p.tcp.seq;
        this.runFacts.clientPort = p.tcp.srcPort;
      }
    }
    if (w?.purpose === 'ws-close' && p.from !== this.facts.server.id) this.setHost(p.from, { ws: 'CLOSING' });
    const walk = this.shouldWalk(p, w);
    if (!walk) {
      this.setHost(p.from, { tcp: senderView });
      return;
    }
    this.walked.add(p.id);
    const code = this.codeFor(p, w);
    const again = p.retransmissionOf !== undefined;
    const ours = sioWalkLayers(p, w, this.facts, true);
    for (const s of walkDown(p, w as unknown as StoryWrite | undefined, this.runFacts, again)) {
      if (s.layer === 4) this.setHost(p.from, { tcp: senderView });
      const own = s.layer === 7 || s.layer === 6 || s.layer === 5 ? ours[s.layer] : null;
      this.step({ ...s, ...(own ?? {}), host: p.from, packet: p.id, code });
    }
  }

  onWire(p: Packet): void {
    const w = this.writeOf[p.id];
    const code = this.codeFor(p, w);
    if (p.lost) {
      const orig = p.retransmissionOf ?? p.id;
      if (this.walked.has(p.id)) this.walkPending.add(orig);
      this.step({
        ...narrateSioDrop(p, w, this.facts, this.facts.linkDown && !this.scenario.loss.includes(p.wireIndex)),
        host: 'wire',
        layer: 1,
        kind: 'drop',
        packet: p.id,
        code,
      });
      return;
    }
    const n = narrateSioPacket(p, w, this.facts);
    if (this.walked.has(p.id)) {
      this.step({
        title: 'On the wire',
        text:
          `${n.title}: the ${(p.frame.length + p.padding + 12) * 8} bits travel to ${label(this.facts, p.to)}, ` +
          `${NETWORK.latencyNs / 1e6} ms on this simulated path.`,
        curriculum: ['Q10'],
        host: 'wire',
        layer: 1,
        kind: 'transmit',
        packet: p.id,
        code,
      });
      return;
    }
    this.step({ ...n, host: 'wire', layer: 1, kind: 'transmit', packet: p.id, code });
  }

  arrived(p: Packet, view: TcpView | null): void {
    this.clock.cause = p.id;
    if (view === null) return;
    const w = this.writeOf[p.id];
    if (w?.purpose === 'ws-upgrade-response' && p.tcp.len > 0) this.setHost(p.to, { ws: 'OPEN' });
    if (!this.walked.has(p.id)) {
      this.setHost(p.to, { tcp: view });
      return;
    }
    this.walkPending.delete(p.retransmissionOf ?? p.id);
    const ours = sioWalkLayers(p, w, this.facts, false);
    for (const s of walkUp(p, w as unknown as StoryWrite | undefined, this.runFacts)) {
      if (s.layer === 4) this.setHost(p.to, { tcp: view });
      const own = s.layer === 7 || s.layer === 6 || s.layer === 5 ? ours[s.layer] : null;
      this.step({ ...s, ...(own ?? {}), host: p.to, packet: p.id });
    }
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.setHost(host.id, { tcp: socket.tcp.view() });
    const c = this.facts.conns.get(socket.connection);
    if (e.kind === 'state') {
      if (
        c?.purpose === 'websocket' &&
        host.role === 'client' &&
        (e.to === 'CLOSED' || e.to === 'TIME_WAIT')
      ) {
        this.setHost(host.id, { ws: 'CLOSED' });
      }
      return;
    }
    if (e.kind === 'rto' || e.kind === 'fast-retransmit' || e.kind === 'aborted') {
      const packet = e.kind === 'aborted' ? undefined : e.packet;
      const n = narrateTcpEvent(host, e, this.runFacts);
      this.step({
        ...n,
        title: e.kind === 'aborted' ? n.title : `${host.label}: ${n.title}`,
        text:
          n.text +
          (this.facts.linkDown && e.kind === 'rto'
            ? ' The path is down, so this copy will be lost too.'
            : ''),
        host: host.id,
        layer: 4,
        kind: 'state',
        ...(packet !== undefined && packet >= 0 ? { packet } : {}),
      });
    }
  }

  /** The closing step: what Socket.IO added, with this run's counts (Q7, Q8, Q9). */
  summary(): void {
    const packets = this.world.packets;
    const b1 = packets.filter((p) => p.from === 'client' || p.to === 'client');
    const conns = new Set(b1.map((p) => p.connection)).size;
    const bytes = b1.reduce((n, p) => n + p.frame.length, 0);
    const events = this.story?.received.get('client')?.length ?? 0;
    const firstEvent = b1.find((p) => {
      const w = this.writeOf[p.id];
      return w?.packets.some((e) => isEvent(e, this.facts.events.event)) ?? false;
    });
    const before = firstEvent
      ? b1.filter((p) => p.id < firstEvent.id).reduce((n, p) => n + p.frame.length, 0)
      : 0;
    const polling = this.scenario.transport === 'polling';
    this.step(
      {
        host: 'client',
        layer: 7,
        kind: 'app',
        title: 'What Socket.IO added',
        text:
          `${label(this.facts, 'client')} used ${conns} TCP connection${conns === 1 ? '' : 's'} and ${b1.length} packets ` +
          `(${bytes} bytes with every header) and received ${events} message event${events === 1 ? '' : 's'}. ` +
          (firstEvent
            ? `Before its first event could travel, ${before} bytes went into handshakes` +
              (polling ? '. ' : ', polling and the upgrade. ')
            : '') +
          'Socket.IO is a library with its own protocol (Engine.IO and Socket.IO packets) on top of HTTP ' +
          'long-polling or a WebSocket (Q7). In return it gave rooms and broadcasting, acknowledgements, ' +
          'heartbeats, automatic reconnection with a send buffer, and a fallback to long-polling (Q8). A plain ' +
          'WebSocket is the better choice when the other end speaks standard WebSocket (not Socket.IO) or when ' +
          'every byte and dependency counts (Q9).' +
          (this.scenario.clients > 1
            ? ' The capture (npm run pcap) is what Browser 1’s network card sees: the other browsers’ packets ' +
              'are not in it, as a Wireshark on Browser 1 would not see them; the server’s card sees them all.'
            : ''),
        curriculum: ['Q7', 'Q8', 'Q9'],
        code: this.lines.client.io,
      },
      this.steps.at(-1)?.time ?? 0,
    );
  }
}

function chaptersOf(steps: readonly Step[], polling: boolean): Chapter[] {
  const out: Chapter[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last && last.id === s.chapter) {
      out[out.length - 1] = { ...last, lastStep: s.index };
    } else {
      let title = SIO_CHAPTERS.find((c) => c.id === s.chapter)?.title ?? s.chapter;
      if (polling && s.chapter === 'sio-connect') title = 'Socket.IO connects (long-polling only)';
      out.push({ id: s.chapter, title, firstStep: s.index, lastStep: s.index });
    }
  }
  return out;
}

/** The socketio story's timeline. */
export function buildSocketIoTimeline(scenario: Scenario): Timeline {
  const programs = socketIoPrograms(scenario);
  const { browsers, server } = socketIoHosts(scenario.clients);
  const hosts = [...browsers, server];
  const recorder = new SioRecorder(scenario, hosts, programs.lines);
  const world = new World({
    seed: scenario.seed,
    mss: scenario.mss,
    loss: scenario.loss,
    observer: recorder,
  });
  const clock = new Clock(world);
  recorder.attach(world, clock);
  const story = runSocketIoStory(world, scenario, recorder, clock);
  recorder.story = story;
  recorder.afterStep = (count) => story.afterStep(count);
  story.start();
  world.run();
  recorder.finish(world.truncated);
  recorder.summary();
  return {
    scenario,
    hosts,
    packets: world.packets,
    steps: recorder.steps,
    chapters: chaptersOf(recorder.steps, scenario.transport === 'polling'),
    programs: { client: programs.client, server: programs.server },
  };
}
