/**
 * The websocket story as a timeline: every packet, the seven-layer walk of the packets a lesson marks
 * (by default the SYN, the upgrade GET, the 101 and the first data frame each way), the programs' events
 * with their console lines, and both hosts' states.
 */
import { NETWORK, World, type Socket, type WorldObserver } from '../../engine/network';
import { CLIENT_HOST, routerHosts, serverHost } from '../hosts';
import type { TcpEvent } from '../../engine/tcp';
import type { DeflateKit, StoryWrite, WsAppEvent, WsObserver } from '../../libs/websocket';
import type { TlsObserver, TlsStepEvent } from '../../libs/tls/socket';
import type { TlsSteps, TlsSupport } from '../../steps/tls';
import { DEFAULT_HOPS, type Scenario } from '../../scenario';
import {
  narrateTcpEvent,
  noteConnectionStart,
  packetRole,
  runFacts,
  type RunFacts,
} from '../../steps/narration';
import { walkDown, walkUp } from '../../steps/osi';
import { ArpHold, arpSteps, routersArpSteps, routerWalk, unresolvedStep } from '../../steps/arp';
import {
  LISTENING,
  StepRecorder,
  WalkLog,
  consoleText,
  storyRun,
  type StepDraft,
} from '../../steps/recorder';
import type {
  BuildOptions,
  CodeRef,
  HostId,
  HostInfo,
  Packet,
  StoryBuilder,
  StoryBuilders,
  StoryRun,
  TcpView,
  Timeline,
  WsReadyState,
} from '../../types';
import { narrateApp, narrateDrop, narratePacket, narrateTcpState, narrateWire } from './narration';
import { websocketPrograms, type ProgramLines } from './programs';
import { runWebSocketStory } from './script';

/** The websocket story's chapters, in order; a step belongs to the latest one begun. */
export const WEBSOCKET_CHAPTERS = [
  { id: 'tcp-handshake', title: 'TCP three-way handshake' },
  { id: 'tls-handshake', title: 'TLS 1.3 handshake' },
  { id: 'ws-upgrade', title: 'HTTP upgrade to WebSocket' }, // RFC 6455 §4: the opening handshake
  { id: 'ws-data', title: 'WebSocket messages' },
  { id: 'ws-close', title: 'WebSocket closing handshake' },
  // Three segments when a FIN carries the other's ACK (chromium-ws.pcap frames 33-35), four when it does not.
  { id: 'tcp-teardown', title: 'TCP teardown: a FIN and an ACK each way' }, // RFC 9293 §3.6
] as const;

/** Records the world's and the programs' events as steps. */
class WebSocketSteps implements WorldObserver, WsObserver, TlsObserver {
  readonly rec: StepRecorder;
  private facts: RunFacts;
  private readonly log = new WalkLog<StoryWrite>();
  /** Walk steps waiting for their frame to leave (steps/arp.ts ArpHold). */
  private readonly held = new Map<number, StepDraft[]>();
  private readonly firstData = { client: false, server: false };
  private synSeen = false;
  private readonly lastAck = new Map<HostId, { ack: number; dups: number }>();
  private firstFin: { from: HostId; end: number } | null = null;
  private secondFin: { from: HostId; end: number; carriesAck: boolean } | null = null;
  private firstFinAcked = false;
  private lastAckSeen = false;
  private world!: World;

  constructor(
    private readonly scenario: Scenario,
    private readonly lines: ProgramLines,
  ) {
    const firstClientMessage = scenario.messages.findIndex((m) => m.from === 'c');
    const server = serverHost(scenario.hops);
    this.facts = runFacts(scenario, CLIENT_HOST, server, [], firstClientMessage);
    const states = { [CLIENT_HOST.id]: {}, [server.id]: { tcp: LISTENING } };
    this.rec = new StepRecorder(WEBSOCKET_CHAPTERS, states, () => this.world.now / 1e6);
  }

  /** wss://: what the steps say about TLS (loaded with the TLS stories). */
  useTls(steps: TlsSteps): void {
    this.facts.tls = steps;
  }

  /** The world whose clock and packets the steps use. */
  attach(world: World): void {
    this.world = world;
    this.facts = { ...this.facts, packets: world.packets };
  }

  private codeFor(p: Packet, w: StoryWrite | undefined): CodeRef | null {
    const L = this.lines;
    switch (packetRole(p, w)) {
      case 'syn':
      case 'handshake-ack':
      case 'upgrade-request':
      case 'tls-client-hello':
      case 'tls-client-finished':
        return L.client.create;
      case 'syn-ack':
      case 'upgrade-response':
      case 'tls-server-hello':
      case 'tls-session-ticket':
        return L.server.listen;
      case 'message':
      case 'continuation':
        return w?.message !== undefined ? (L.send.get(w.message) ?? null) : null;
      case 'ping':
        return L.server.ping;
      case 'pong':
        return L.client.pong;
      case 'close':
        return p.from === 'client' ? L.client.close : L.server.closeCall;
      default:
        return null;
    }
  }

  private shouldWalk(p: Packet, w: StoryWrite | undefined): boolean {
    const mode = this.scenario.walk;
    if (mode === 'none') return false;
    if (mode === 'all') return true;
    if (p.retransmissionOf !== undefined) return this.log.resumes(p);
    const role = packetRole(p, w);
    if (role === 'syn' && !this.synSeen) return true;
    if (role === 'tls-client-hello' && p.app !== undefined) return true;
    if ((role === 'upgrade-request' || role === 'upgrade-response') && p.app !== undefined) return true;
    if (role === 'message' && p.app?.kind === 'ws-frame' && !this.firstData[p.from as 'client' | 'server']) {
      this.firstData[p.from as 'client' | 'server'] = true;
      return true;
    }
    return false;
  }

  /**
   * The parts of TCP's goodbye: the first FIN, a pure ACK of it, the other side's FIN (carrying that ACK
   * or not) and the last ACK. Three segments when the second FIN carries the ACK of the first, four when
   * the first FIN was acknowledged on its own (see GoodbyeRole).
   */
  private countGoodbye(p: Packet): void {
    const orig = p.retransmissionOf;
    if (orig !== undefined) {
      const role = this.facts.goodbye.get(orig);
      if (role !== undefined) this.facts.goodbye.set(p.id, role);
      return;
    }
    const first = this.firstFin;
    const acksFirst = first !== null && p.from !== first.from && p.tcp.relAck >= first.end;
    if (p.tcp.flags.includes('FIN')) {
      const end = p.tcp.relSeq + p.tcp.len + 1;
      if (!first) {
        this.firstFin = { from: p.from, end };
        this.facts.goodbye.set(p.id, { kind: 'first-fin' });
      } else if (!this.secondFin && p.from !== first.from) {
        const carriesAck = acksFirst && !this.firstFinAcked;
        this.secondFin = { from: p.from, end, carriesAck };
        this.firstFinAcked ||= acksFirst;
        this.facts.goodbye.set(p.id, { kind: 'second-fin', carriesAck });
      }
      return;
    }
    if (p.tcp.len > 0 || p.tcp.flags.includes('RST')) {
      // Data from the other side can carry the ACK of the first FIN too: then no FIN will.
      if (acksFirst && !this.secondFin) this.firstFinAcked = true;
      return;
    }
    if (acksFirst && !this.secondFin && !this.firstFinAcked) {
      this.firstFinAcked = true;
      this.facts.goodbye.set(p.id, { kind: 'ack-of-first' });
    } else if (
      this.secondFin &&
      !this.lastAckSeen &&
      p.from !== this.secondFin.from &&
      p.tcp.relAck === this.secondFin.end
    ) {
      this.lastAckSeen = true;
      this.facts.goodbye.set(p.id, { kind: 'last-ack', segments: this.secondFin.carriesAck ? 3 : 4 });
    }
  }

  /** RFC 5681 §2: a pure ACK repeating the last acknowledgment number this host sent. */
  private countDuplicateAck(p: Packet): void {
    if (!p.tcp.flags.includes('ACK') || p.tcp.flags.includes('SYN')) return;
    const last = this.lastAck.get(p.from);
    const pure = p.tcp.len === 0 && !p.tcp.flags.includes('FIN');
    if (pure && last && last.ack === p.tcp.relAck) {
      last.dups++;
      this.facts.duplicateAcks.set(p.id, last.dups);
    } else {
      this.lastAck.set(p.from, { ack: p.tcp.relAck, dups: 0 });
    }
  }

  /** The chapter a write begins, if any. */
  private advanceFor(p: Packet, w: StoryWrite | undefined): void {
    if (w?.purpose === 'tls-client-hello') this.rec.advance('tls-handshake');
    else if (w?.purpose === 'upgrade-request') this.rec.advance('ws-upgrade');
    else if (w?.purpose === 'message' || w?.purpose === 'ping') this.rec.advance('ws-data');
    else if (w?.purpose === 'close' || w?.purpose === 'close-echo') this.rec.advance('ws-close');
    if (p.tcp.flags.includes('FIN')) this.rec.advance('tcp-teardown');
  }

  // ---- WorldObserver ----

  sent(p: Packet, senderView: TcpView, tag?: unknown): void {
    const w = tag as StoryWrite | undefined;
    this.log.sent(p, w);
    this.advanceFor(p, w);
    if (p.tcp.flags.includes('SYN') && p.retransmissionOf === undefined) {
      if (p.from === 'client' && this.facts.clientIsn === null) {
        this.facts.clientIsn = p.tcp.seq;
        this.facts.clientPort = p.tcp.srcPort;
      } else if (p.from === 'server' && this.facts.serverIsn === null) {
        this.facts.serverIsn = p.tcp.seq;
      }
    }
    this.countGoodbye(p);
    this.countDuplicateAck(p);
    const walk = this.shouldWalk(p, w);
    if (p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK')) this.synSeen = true;
    if (!walk) {
      this.rec.setTcp(p.from, senderView);
      return;
    }
    this.log.walk(p);
    const code = this.codeFor(p, w);
    const held = new ArpHold(p);
    for (const s of walkDown(p, w, this.facts, p.retransmissionOf !== undefined)) {
      if (s.layer === 4) this.rec.setTcp(p.from, senderView);
      const draft = { ...s, host: p.from, packet: p.id, message: messageOf(w), code };
      if (!held.hold(draft)) this.rec.step(draft);
    }
    held.keep(this.held);
  }

  arp(p: Packet, index: number): void {
    const s = arpSteps(p, null, this.facts)[index]!;
    this.rec.step(s.draft, s.time);
  }

  onWire(p: Packet): void {
    const w = this.log.writeOf(p);
    const code = this.codeFor(p, w);
    const held = ArpHold.release(this.held, p);
    if (!p.unresolved) for (const d of held) this.rec.step(d);
    if (p.unresolved) {
      this.log.lost(p);
      this.rec.step(unresolvedStep(p, this.facts, { message: messageOf(w), code }));
    } else if (p.lost) {
      this.log.lost(p);
      this.rec.narrated(narrateDrop(p, w, this.facts), {
        host: 'wire',
        layer: 1,
        packet: p.id,
        message: messageOf(w),
        code,
        kind: 'drop',
      });
    } else if (this.log.walks(p)) {
      this.rec.narrated(narrateWire(p, NETWORK.latencyNs / 1e6), {
        host: 'wire',
        layer: 1,
        packet: p.id,
        message: messageOf(w),
        code,
        kind: 'transmit',
      });
      // Through each router: up to layer 3 and down again, ARP where a router needs it (steps/arp.ts).
      for (const s of routerWalk(p, this.facts)) {
        const about = s.draft.link ? {} : { packet: p.id, message: messageOf(w), code };
        this.rec.step({ ...s.draft, ...about }, s.time);
      }
    } else {
      this.rec.narrated(narratePacket(p, w, this.facts), {
        host: 'wire',
        layer: 1,
        packet: p.id,
        message: messageOf(w),
        code,
        kind: 'transmit',
      });
      for (const s of routersArpSteps(p, this.facts)) this.rec.step(s.draft, s.time);
    }
  }

  arrived(p: Packet, view: TcpView | null): void {
    if (view === null) return;
    if (!this.log.walks(p)) {
      this.rec.setTcp(p.to, view);
      return;
    }
    this.log.arrived(p);
    const w = this.log.writeOf(p);
    for (const s of walkUp(p, w, this.facts)) {
      if (s.layer === 4) this.rec.setTcp(p.to, view);
      this.rec.step({ ...s, host: p.to, packet: p.id, message: messageOf(w) });
    }
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.rec.setTcp(host.id, socket.tcp.view());
    noteConnectionStart(this.facts, host, socket.tcp, e);
    if (e.kind === 'state') {
      if (e.to === 'FIN_WAIT_1' || e.to === 'CLOSE_WAIT') this.rec.advance('tcp-teardown');
      const handshake =
        e.to === 'SYN_SENT' || e.to === 'SYN_RECEIVED' || e.from === 'SYN_SENT' || e.from === 'SYN_RECEIVED';
      const code = handshake
        ? host.role === 'client'
          ? this.lines.client.create
          : this.lines.server.listen
        : null;
      this.rec.step({
        ...narrateTcpState(host, e.from, e.to, this.facts),
        host: host.id,
        layer: 4,
        kind: 'state',
        code,
      });
      return;
    }
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

  // ---- TlsObserver ----

  tls(e: TlsStepEvent): void {
    if (e.kind === 'established') {
      const ep = e.endpoint;
      this.rec.narrated(
        this.facts.tls!.narrateTlsEstablished(e.host.role === 'client' ? 'client' : 'server', ep.secrets()),
        {
          host: e.host.id,
          layer: 6,
          kind: 'state',
          code: e.host.role === 'client' ? this.lines.client.create : this.lines.server.listen,
        },
      );
    } else if (e.kind === 'close-notify') {
      this.rec.narrated(
        {
          title: `${e.host.role === 'client' ? 'Browser' : 'Server'}: close_notify received`,
          // RFC 8446 §6.1: close_notify says the sender will send no more; TCP's FIN follows.
          text:
            `TLS on ${e.host.role === 'client' ? 'the browser' : 'the server'} decrypts an alert: close_notify. ` +
            'The other side will send nothing more on this connection; its FIN follows.',
        },
        { host: e.host.id, layer: 6, kind: 'state' },
      );
    } else if (e.kind === 'error') {
      this.rec.narrated(
        {
          title: 'TLS failed',
          text: `TLS gave up on the connection: ${e.message}.`, // RFC 8446 §6.2 (sim/libs/tls/connection.ts)
        },
        { host: e.host.id, layer: 6, kind: 'state' },
      );
    }
  }

  // ---- WsObserver ----

  /** The program line an application event runs, and what it prints. */
  private appLine(e: WsAppEvent): { code: CodeRef | null; out: string | null } {
    const L = this.lines;
    const client = e.host.role === 'client';
    switch (e.kind) {
      case 'listen':
        return { code: L.server.listen, out: null };
      case 'create':
        return { code: L.client.create, out: null };
      case 'connection':
        return { code: L.server.connection, out: 'client connected' };
      case 'open':
        return { code: L.client.onopen, out: 'connected' };
      case 'message':
        return {
          code: client ? L.client.onmessage : L.server.message,
          out: `message: ${consoleText(e.text, true)}`,
        };
      case 'pong':
        return { code: L.server.pong, out: 'pong: the client is alive' }; // sim/stories/websocket/programs.ts
      case 'close-start':
        return { code: client ? L.client.close : L.server.closeCall, out: null };
      case 'closed':
        return {
          code: client ? L.client.onclose : L.server.close,
          out: `closed ${e.code} ${e.reason}`.trimEnd(),
        };
      default:
        return { code: null, out: null };
    }
  }

  app(e: WsAppEvent, readyState: WsReadyState | undefined): void {
    if (e.kind === 'create') this.facts.key = e.key;
    if (e.kind === 'close-start') this.rec.advance('ws-close');
    if (readyState !== undefined) this.rec.setHost(e.host.id, { ws: readyState });
    const { code, out } = this.appLine(e);
    this.rec.narrated(narrateApp(e, this.facts), {
      host: e.host.id,
      layer: 7,
      kind: 'app',
      code,
      ...(out !== null ? { console: [{ host: e.host.id, text: out }] } : {}),
    });
  }
}

/** The scenario message a write carries (its frames, fragments and retransmissions), if it carries one. */
function messageOf(w: StoryWrite | undefined): number | undefined {
  return w?.purpose === 'message' ? w.message : undefined;
}

/**
 * The websocket story: one browser, one ws server, the scenario's messages, ping, close; with `tls`, over
 * TLS 1.3 (wss://). Without the TLS library a wss:// scenario is a one-step timeline saying so.
 */
export function webSocketStory(tls: TlsSupport | null, deflate: DeflateKit | null = null): StoryBuilder {
  return (scenario: Scenario, options: BuildOptions): StoryRun => {
    // Wirewalk's choice: TLS and compression load as separate chunks (sim/tlsStories.ts); say which is missing.
    if (scenario.tls && !tls) throw new Error('the TLS part of the simulator is not loaded');
    // Wirewalk's choice (as above), for the compression library.
    if (scenario.deflate && !deflate) throw new Error('the compression part of the simulator is not loaded');
    const programs = websocketPrograms(scenario);
    const steps = new WebSocketSteps(scenario, programs.lines);
    const world = new World({
      seed: scenario.seed,
      mss: scenario.mss,
      loss: scenario.loss,
      hops: scenario.hops ?? DEFAULT_HOPS,
      observer: steps,
    });
    steps.attach(world);
    if (scenario.tls && tls) steps.useTls(tls.steps);
    const run = runWebSocketStory(world, scenario, steps, {
      ...(options.wsKey ? { wsKey: options.wsKey } : {}),
      ...(scenario.tls && tls ? { tls: { kit: tls.kit, observer: steps } } : {}),
      ...(deflate ? { deflate } : {}),
    });
    const hosts = [CLIENT_HOST, serverHost(scenario.hops), ...routerHosts(world.path)];
    const sofar = (): Timeline => steps.rec.timeline(scenario, hosts, world.packets, programs);
    return storyRun(
      steps.rec,
      (pause) => world.run(pause),
      sofar,
      () => {
        steps.rec.finish(world.truncated);
        const timeline = sofar();
        const secrets = run.tls.client?.client.secrets();
        return secrets && tls
          ? { ...timeline, tls: [tls.steps.tlsSessionInfo(0, secrets, tls.kit)] }
          : timeline;
      },
    );
  };
}

/** The plain websocket story (ws://). */
export const buildWebSocketTimeline: StoryBuilder = webSocketStory(null);

/** The story in the main bundle: the browser loads the others when a lesson needs them. */
export const WEBSOCKET_STORY: StoryBuilders = { websocket: buildWebSocketTimeline };
