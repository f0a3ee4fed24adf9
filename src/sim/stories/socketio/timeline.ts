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
import { Clock } from '../../engine/clock';
import type { EioWrite } from '../../libs/engineio/writes';
import type { OpenReason } from '../../libs/http';
import { narrateTcpEvent, runFacts, type RunFacts } from '../../steps/narration';
import {
  LISTENING,
  StepRecorder,
  WalkLog,
  consoleText,
  storyRun,
  type ChapterSpec,
  type StepDraft,
} from '../../steps/recorder';
import { NETWORK, World, type SecureTransport, type Socket, type WorldObserver } from '../../engine/network';
import type { TlsClientSocket, TlsObserver, TlsStepEvent } from '../../libs/tls/socket';
import type { TlsSupport } from '../../steps/tls';
import { walkDown, walkUp } from '../../steps/osi';
import { ArpHold, arpSteps, routersArpSteps, routerWalk, unresolvedStep } from '../../steps/arp';
import { DEFAULT_HOPS, type Scenario } from '../../scenario';
import { routerHosts } from '../hosts';
import type { SioAppEvent } from '../../libs/socketio';
import {
  runSocketIoStory,
  socketIoHosts,
  storyEvents,
  type SioChapterId,
  type SioObserver,
  type SioStory,
} from './script';
import { narrateSioApp } from './narration';
import { narrateSioDrop, narrateSioPacket, sioWalkLayers } from './packets';
import { isEvent, label, type SioFacts } from './phrases';
import { socketIoPrograms, type SioProgramLines } from './programs';
import type { TcpEvent } from '../../engine/tcp';
import type {
  CodeRef,
  HostId,
  HostInfo,
  HostState,
  Packet,
  StoryBuilder,
  StoryRun,
  TcpView,
  Timeline,
} from '../../types';
import type { StoryWrite } from '../../libs/websocket';

/** The chapters in the order script.ts runs them (sim/stories/socketio/script.ts runSocketIoStory()). */
export const SIO_CHAPTERS: readonly { readonly id: SioChapterId; readonly title: string }[] = [
  {
    id: 'eio-handshake',
    // engine.io-client lib/socket.ts: the first transport is polling; engine.io lib/server.ts handshake().
    title: 'Engine.IO handshake over HTTP long-polling',
  },
  {
    id: 'sio-connect',
    // socket.io-client lib/socket.ts onopen(): CONNECT; engine.io-client lib/socket.ts _probe(): the upgrade.
    title: 'Socket.IO connects, then upgrades to WebSocket',
  },
  { id: 'more-browsers', title: 'More browsers connect' }, // Wirewalk's choice: clients= in the link.
  {
    id: 'sio-events',
    // socket.io lib/socket.ts emit(), lib/broadcast-operator.ts, lib/socket.ts ack().
    title: 'Events: emit, fan-out, acknowledgement',
  },
  {
    id: 'heartbeat',
    // engine.io lib/socket.ts schedulePing() sends "2"; engine.io-client lib/socket.ts answers "3".
    title: 'Heartbeat: ping and pong',
  },
  {
    id: 'reconnect',
    // engine.io-client lib/socket.ts _resetPingTimeout(); socket.io-client lib/manager.ts reconnect().
    title: 'The network drops: ping timeout and reconnection',
  },
  { id: 'sio-disconnect', title: 'Disconnecting' },
  { id: 'tcp-teardown', title: 'Closing the connections' },
];

/** The chapter table; with long-polling only, Socket.IO connects without an upgrade. */
function sioChapters(polling: boolean): readonly ChapterSpec[] {
  if (!polling) return SIO_CHAPTERS;
  // engine.io lib/server.ts option transports: ['polling'] offers no upgrade.
  const title = 'Socket.IO connects (long-polling only)';
  return SIO_CHAPTERS.map((c) => (c.id === 'sio-connect' ? { ...c, title } : c));
}

/** Application events that react to a packet (a fan-out only when it answers an event, not a push). */
const REACTIONS: ReadonlySet<SioAppEvent['kind']> = new Set([
  'connection',
  'connect',
  'server-event',
  'client-event',
  'ack',
  'join',
  'server-disconnecting',
  'server-disconnect',
  'client-disconnect',
  'upgrade',
  'fanout',
  'ack-reply',
]);

/** Records the world's and the programs' events as steps. */
class SocketIoSteps implements WorldObserver, SioObserver, TlsObserver {
  /** TLS's own writes (handshake flights, close_notify), by packet id: they carry no Engine.IO. */
  private readonly tlsOwn = new Map<number, StoryWrite>();
  readonly rec: StepRecorder;
  readonly facts: SioFacts;
  private readonly log = new WalkLog<EioWrite>();
  /** Walk steps waiting for their frame to leave (steps/arp.ts ArpHold). */
  private readonly held = new Map<number, StepDraft[]>();
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
      browserOffline: false,
      told: new Set(),
    };
    const states: Record<HostId, HostState> = {};
    for (const h of hosts) states[h.id] = {};
    states[server.id] = { tcp: LISTENING, sio: { connected: false } };
    const chapters = sioChapters(scenario.transport === 'polling');
    this.rec = new StepRecorder(chapters, states, () => this.world.now / 1e6);
  }

  attach(world: World, clock: Clock): void {
    this.world = world;
    this.clock = clock;
    (this.facts as { packets: readonly Packet[] }).packets = world.packets;
    const client = this.hosts[0]!;
    this.runFacts = runFacts(this.scenario, client, this.facts.server, world.packets, -1);
  }

  private setSio(host: HostId, patch: Partial<NonNullable<HostState['sio']>>): void {
    const old = this.rec.stateOf(host)?.sio ?? { connected: false };
    const next = { ...old, ...patch };
    for (const k of Object.keys(next) as (keyof typeof next)[]) if (next[k] === undefined) delete next[k];
    this.rec.setHost(host, { sio: next });
  }

  // ---- SioObserver ----

  chapter(id: SioChapterId): void {
    this.rec.advance(id);
  }

  connecting(browser: HostId, purpose: 'http' | 'websocket', reason: OpenReason | 'websocket'): void {
    this.pendingConnect.set(browser, { purpose, reason });
    if (purpose === 'websocket') this.rec.setHost(browser, { ws: 'CONNECTING' });
  }

  /** Where an application event happens, the program line it runs, and what it prints. */
  private appLine(e: SioAppEvent): { host: HostId | 'wire'; code: CodeRef | null; out: string | null } {
    const L = this.lines;
    const server = this.facts.server.id;
    const message = (args: readonly unknown[]) => `message: ${consoleText(String(args[0] ?? ''), false)}`;
    switch (e.kind) {
      case 'listen':
        return { host: server, code: L.server.listen, out: null };
      case 'io':
      case 'upgrade':
      case 'upgrade-error':
        return { host: e.browser, code: L.client.io, out: null };
      case 'handshake':
        return { host: server, code: null, out: null };
      case 'connection':
        return { host: server, code: L.server.connectionLog, out: 'a user connected' };
      case 'connect':
        return { host: e.browser, code: L.client.connectLog, out: `connect ${e.socketId}` };
      case 'join':
        return { host: server, code: L.server.join, out: null };
      case 'client-emit': {
        const code =
          e.ackId !== undefined
            ? L.client.ackEmit
            : e.message !== undefined
              ? (L.send.get(e.message) ?? null)
              : L.client.join;
        return { host: e.browser, code, out: null };
      }
      case 'server-event':
        return {
          host: server,
          code: L.server.messageLog,
          out: e.event === this.facts.events.event ? message(e.args) : null,
        };
      case 'fanout': {
        const push = e.push && e.message !== undefined ? L.send.get(e.message) : undefined;
        return { host: server, code: push ?? L.server.fanout, out: null };
      }
      case 'ack-reply':
        return { host: server, code: L.server.ackReply, out: null };
      case 'client-event':
        return {
          host: e.browser,
          code: L.client.messageLog,
          out: e.event === this.facts.events.event ? message(e.args) : null,
        };
      case 'ack':
        return {
          host: e.browser,
          code: L.client.ackLog,
          out: `${e.args.map((a) => JSON.stringify(a)).join(' ')} users online`,
        };
      case 'disconnect-call':
        return { host: e.browser, code: L.client.disconnect, out: null };
      case 'client-disconnect':
        return { host: e.browser, code: L.client.disconnectLog, out: `disconnect: ${e.reason}` };
      case 'server-disconnecting':
        return { host: server, code: null, out: null };
      case 'server-disconnect':
        return { host: server, code: L.server.disconnectLog, out: 'user disconnected' };
      case 'network':
        return { host: 'wire', code: null, out: null };
      case 'reconnect-attempt':
        return { host: e.browser, code: L.client.reconnectAttemptLog, out: `reconnect_attempt ${e.attempt}` };
      case 'connect-error':
        return { host: e.browser, code: L.client.connectErrorLog, out: `connect_error: ${e.message}` };
      case 'reconnect':
        return {
          host: e.browser,
          code: L.client.reconnectLog,
          out: `reconnect after ${e.attempt} attempt(s)`,
        };
    }
  }

  /** What an application event changes: the facts the sentences use, the hosts' Socket.IO states. */
  private remember(e: SioAppEvent, code: CodeRef | null): void {
    const server = this.facts.server.id;
    switch (e.kind) {
      case 'handshake':
        this.facts.handshake.set(e.browser, e.handshake);
        this.facts.sid.set(e.browser, e.handshake.sid);
        break;
      case 'connection':
        this.facts.sid.set(e.browser, e.sid);
        this.setSio(server, { connected: true });
        break;
      case 'connect':
        this.facts.socketId.set(e.browser, e.socketId);
        this.setSio(e.browser, {
          connected: true,
          sid: e.socketId,
          transport: this.story?.clients.find((c) => c.host.id === e.browser)?.transport ?? 'polling',
        });
        break;
      case 'upgrade':
        this.setSio(e.browser, { transport: 'websocket' });
        break;
      case 'join':
        this.setSio(e.browser, { rooms: [e.room] });
        this.setSio(server, { rooms: [e.room] });
        break;
      case 'client-emit':
        // The frames this emit causes point at its line.
        if (code) this.emitLine.set(`${e.browser}|${e.packet}`, code);
        break;
      case 'fanout':
      case 'ack-reply':
        if (code) this.emitLine.set(`${server}|${e.packet}`, code);
        break;
      case 'client-disconnect':
        this.setSio(e.browser, { connected: false, sid: undefined, transport: undefined });
        break;
      case 'server-disconnect': {
        this.setSio(e.browser, { rooms: undefined });
        const left = this.story?.server.sockets ?? [];
        const rooms = [...new Set(left.flatMap((s) => [...s.rooms].filter((r) => r !== s.id)))].sort();
        this.setSio(server, { connected: left.length > 0, rooms: rooms.length > 0 ? rooms : undefined });
        break;
      }
      case 'network':
        this.facts.linkDown = !e.up;
        this.facts.browserOffline = !e.up && (e.offline ?? false);
        break;
      default:
        break;
    }
  }

  app(e: SioAppEvent): void {
    const { host, code, out } = this.appLine(e);
    this.remember(e, code);
    const n = narrateSioApp(e, this.facts);
    if (!n) return;
    // A reaction to a packet points at the packet that caused it.
    const reaction =
      REACTIONS.has(e.kind) && (e.kind !== 'fanout' || !e.push) && this.clock.cause !== undefined;
    this.rec.step({
      ...n,
      host,
      layer: e.kind === 'network' ? 1 : 7,
      kind: e.kind === 'network' ? 'state' : 'app',
      ...(reaction ? { packet: this.clock.cause } : {}),
      // The emit, the server's handler and fan-out, the pages' handlers: the steps of a scenario message.
      ...('message' in e && typeof e.message === 'number' ? { message: e.message } : {}),
      code,
      ...(out !== null ? { console: [{ host: host as HostId, text: out }] } : {}),
    });
  }

  // ---- WorldObserver ----

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
    if (p.retransmissionOf !== undefined) return this.log.resumes(p);
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
    const tagged = tag instanceof Object && 'purpose' in (tag as object) ? (tag as StoryWrite) : undefined;
    const own = tagged?.tls && !tagged.tls.inner ? tagged : undefined;
    if (own) this.tlsOwn.set(p.id, own);
    const w = own ? undefined : (tagged as unknown as EioWrite | undefined);
    this.log.sent(p, w);
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
    if (w?.purpose === 'ws-close' && p.from !== this.facts.server.id)
      this.rec.setHost(p.from, { ws: 'CLOSING' });
    const walk = this.shouldWalk(p, w);
    if (!walk) {
      this.rec.setHost(p.from, { tcp: senderView });
      return;
    }
    this.log.walk(p);
    const code = this.codeFor(p, w);
    const again = p.retransmissionOf !== undefined;
    const ours = sioWalkLayers(p, w, this.facts, true);
    const held = new ArpHold(p);
    for (const s of walkDown(p, w as unknown as StoryWrite | undefined, this.runFacts, again)) {
      if (s.layer === 4) this.rec.setHost(p.from, { tcp: senderView });
      // With TLS, layer 6 is TLS's (steps/tls.ts), not Socket.IO's "nothing is encrypted".
      const own = s.layer === 7 || (s.layer === 6 && !w?.tls) || s.layer === 5 ? ours[s.layer] : null;
      const draft = { ...s, ...(own ?? {}), host: p.from, packet: p.id, code };
      if (!held.hold(draft)) this.rec.step(draft);
    }
    held.keep(this.held);
  }

  arp(p: Packet, index: number): void {
    const s = arpSteps(p, null, this.runFacts)[index]!;
    this.rec.step(s.draft, s.time);
  }

  onWire(p: Packet): void {
    const w = this.log.writeOf(p);
    const code = this.codeFor(p, w);
    const held = ArpHold.release(this.held, p);
    if (!p.unresolved) for (const d of held) this.rec.step(d);
    if (p.unresolved) {
      this.log.lost(p);
      this.rec.step(unresolvedStep(p, this.runFacts, { code }));
      return;
    }
    if (p.lost) {
      this.log.lost(p);
      this.rec.step({
        ...narrateSioDrop(p, w, this.facts, this.facts.linkDown && !this.scenario.loss.includes(p.wireIndex)),
        host: 'wire',
        layer: 1,
        kind: 'drop',
        packet: p.id,
        code,
      });
      return;
    }
    const tlsOwn = this.tlsOwn.get(p.id);
    const arrow = `${label(this.facts, p.from)} → ${label(this.facts, p.to)}`;
    const ownStep =
      tlsOwn && p.app?.kind !== 'continuation'
        ? this.runFacts.tls!.narrateTlsPacket(p, tlsOwn, this.runFacts, '', arrow)
        : null;
    if (ownStep) {
      this.rec.step({ ...ownStep, host: 'wire', layer: 1, kind: 'transmit', packet: p.id, code: null });
      return;
    }
    const sio = narrateSioPacket(p, w, this.facts);
    // RFC 8446 §5.2: with https:// every Engine.IO write travels inside TLS records.
    const inTls =
      w?.tls?.inner && this.runFacts.tls ? this.runFacts.tls.tlsDataSentence(w as unknown as StoryWrite) : '';
    const n = inTls ? { ...sio, text: sio.text + inTls } : sio;
    if (this.log.walks(p)) {
      this.rec.step({
        title: 'On the wire',
        // IEEE 802.3 clause 3: preamble and SFD (8 bytes) and FCS (4) around the frame, padded to 60 bytes;
        // the latency is Wirewalk's choice (sim/engine/network.ts NETWORK.latencyNs).
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
      // Through each router: up to layer 3 and down again, ARP where a router needs it, as in the WebSocket
      // story (steps/arp.ts routerWalk).
      for (const s of routerWalk(p, this.runFacts)) {
        this.rec.step({ ...s.draft, ...(s.draft.link ? {} : { packet: p.id, code }) }, s.time);
      }
      return;
    }
    this.rec.step({ ...n, host: 'wire', layer: 1, kind: 'transmit', packet: p.id, code });
    for (const s of routersArpSteps(p, this.runFacts)) this.rec.step(s.draft, s.time);
  }

  arrived(p: Packet, view: TcpView | null): void {
    this.clock.cause = p.id;
    if (view === null) return;
    const w = this.log.writeOf(p);
    if (w?.purpose === 'ws-upgrade-response' && p.tcp.len > 0) this.rec.setHost(p.to, { ws: 'OPEN' });
    if (!this.log.walks(p)) {
      this.rec.setHost(p.to, { tcp: view });
      return;
    }
    this.log.arrived(p);
    const ours = sioWalkLayers(p, w, this.facts, false);
    for (const s of walkUp(p, w as unknown as StoryWrite | undefined, this.runFacts)) {
      if (s.layer === 4) this.rec.setHost(p.to, { tcp: view });
      const own = s.layer === 7 || (s.layer === 6 && !w?.tls) || s.layer === 5 ? ours[s.layer] : null;
      this.rec.step({ ...s, ...(own ?? {}), host: p.to, packet: p.id });
    }
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.rec.setHost(host.id, { tcp: socket.tcp.view() });
    const c = this.facts.conns.get(socket.connection);
    if (e.kind === 'state') {
      if (
        c?.purpose === 'websocket' &&
        host.role === 'client' &&
        (e.to === 'CLOSED' || e.to === 'TIME_WAIT')
      ) {
        this.rec.setHost(host.id, { ws: 'CLOSED' });
      }
      return;
    }
    if (e.kind === 'rto' || e.kind === 'rto-busy' || e.kind === 'fast-retransmit' || e.kind === 'aborted') {
      const packet = e.kind === 'aborted' ? undefined : e.packet;
      const n = narrateTcpEvent(host, e, this.runFacts);
      this.rec.step({
        ...n,
        title: e.kind === 'aborted' ? n.title : `${host.label}: ${n.title}`,
        text:
          n.text +
          (this.facts.linkDown && e.kind === 'rto'
            ? // Wirewalk's choice (sim/engine/network.ts setLinkDown): the path loses every packet until it is back.
              ' The path is down, so this copy will be lost too.'
            : ''),
        host: host.id,
        layer: 4,
        kind: 'state',
        ...(packet !== undefined && packet >= 0 ? { packet } : {}),
      });
    }
  }

  /** https:// and wss://: what the steps say about TLS (loaded with the TLS stories). */
  useTls(support: TlsSupport): void {
    this.runFacts.tls = support.steps;
  }

  // ---- TlsObserver ----

  tls(e: TlsStepEvent): void {
    if (e.kind !== 'established' || e.host.id === this.facts.server.id) return;
    // One step per browser connection that has its keys (the server's side says the same).
    this.rec.step({
      ...this.runFacts.tls!.narrateTlsEstablished('client', e.endpoint.secrets()),
      title: `${label(this.facts, e.host.id)}: TLS keys ready`,
      host: e.host.id,
      layer: 6,
      kind: 'state',
    });
  }

  /** The closing step: what Socket.IO added, with this run's counts (Q7, Q8, Q9). */
  summary(): void {
    const packets = this.world.packets;
    const b1 = packets.filter((p) => p.from === 'client' || p.to === 'client');
    const conns = new Set(b1.map((p) => p.connection)).size;
    const bytes = b1.reduce((n, p) => n + p.frame.length, 0);
    const events = this.story?.received.get('client')?.length ?? 0;
    const firstEvent = b1.find((p) => {
      const w = this.log.writeOf(p);
      return w?.packets.some((e) => isEvent(e, this.facts.events.event)) ?? false;
    });
    const before = firstEvent
      ? b1.filter((p) => p.id < firstEvent.id).reduce((n, p) => n + p.frame.length, 0)
      : 0;
    const polling = this.scenario.transport === 'polling';
    this.rec.step(
      {
        host: 'client',
        layer: 7,
        kind: 'app',
        title: 'What Socket.IO added',
        // This run's counts (sim/engine/network.ts world.packets); CURRICULUM Q7, Q8, Q9 for the comparison;
        // IEEE 802.1D: a switch forwards a unicast frame only to the port of its destination.
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
      this.rec.steps.at(-1)?.time ?? 0,
    );
  }
}

/** The socketio story's timeline. */
/**
 * The Socket.IO story; with `tls` and scenario.tls, over TLS 1.3 on every connection (https:// and wss://).
 * Without the TLS library such a scenario is a one-step timeline saying so.
 */
export function socketIoStory(tls: TlsSupport | null): StoryBuilder {
  return (scenario) => {
    // Wirewalk's choice: the TLS stories load in their own chunk (sim/stories/socketio/timeline.ts).
    if (scenario.tls && !tls) throw new Error('the TLS part of the simulator is not loaded');
    return buildSocketIo(scenario, scenario.tls ? tls : null);
  };
}

export function buildSocketIoTimeline(scenario: Scenario): Timeline {
  const run = socketIoStory(null)(scenario, {});
  run.advance();
  return run.timeline();
}

function buildSocketIo(scenario: Scenario, support: TlsSupport | null): StoryRun {
  const tls = support?.kit ?? null;
  const programs = socketIoPrograms(scenario);
  const { browsers, server } = socketIoHosts(scenario.clients, scenario.hops);
  const hosts = [...browsers, server];
  const recorder = new SocketIoSteps(scenario, hosts, programs.lines);
  const world = new World({
    seed: scenario.seed,
    mss: scenario.mss,
    loss: scenario.loss,
    hops: scenario.hops ?? DEFAULT_HOPS,
    observer: recorder,
  });
  const clock = new Clock(world);
  recorder.attach(world, clock);
  if (support) recorder.useTls(support);
  const opened: TlsClientSocket[] = [];
  const secure: SecureTransport | null = tls
    ? {
        client: (tcp) => {
          const s = tls.client(tcp, {
            seed: world.seed,
            stream: `client:${tcp.connection}`,
            observer: recorder,
          });
          opened.push(s);
          return s;
        },
        server: (tcp) =>
          tls.server(tcp, { seed: world.seed, stream: `server:${tcp.connection}`, observer: recorder }),
      }
    : null;
  const story = runSocketIoStory(world, scenario, recorder, clock, secure);
  recorder.story = story;
  recorder.rec.afterStep = (count) => story.afterStep(count);
  story.start();
  const allHosts = [...hosts, ...routerHosts(world.path)];
  const sofar = (): Timeline => recorder.rec.timeline(scenario, allHosts, world.packets, programs);
  return storyRun(
    recorder.rec,
    (pause) => world.run(pause),
    sofar,
    () => {
      recorder.rec.finish(world.truncated);
      recorder.summary();
      const timeline = sofar();
      if (!tls) return timeline;
      const sessions = opened.flatMap((s) => {
        const secrets = s.client.secrets();
        return secrets.handshake ? [support!.steps.tlsSessionInfo(s.connection, secrets, tls)] : [];
      });
      return { ...timeline, tls: sessions };
    },
  );
}
