/**
 * `buildTimeline(scenario)`: run the scenario's story once, up front, and record every step: what
 * happened, where (host, OSI layer), the packet it concerns, every host's state after it, its
 * narration and the program line that caused it. Views draw the result; seeking is an index.
 *
 * Memory: a step's `states` object is shared with the steps before it until a host's state changes,
 * packets are built once, and only the packets a lesson marks walk the seven layers (by default the
 * SYN, the upgrade GET, the 101 and the first data frame each way).
 */
import { concatBytes } from '../protocol/bytes';
import { encodePcap, type PcapRecord } from '../protocol/pcap';
import { CLIENT_HOST, NETWORK, SERVER_HOST, World, type Socket, type WorldObserver } from './engine/network';
import {
  narrateApp,
  narrateDrop,
  narratePacket,
  narrateTcpEvent,
  narrateTcpState,
  narrateWire,
  packetRole,
  type Narration,
  type RunFacts,
} from './steps/narration';
import { walkDown, walkUp } from './steps/osi';
import { websocketPrograms, type ProgramLines } from './stories/websocket/programs';
import type { Scenario, Story } from './scenario';
import type { TcpEvent } from './engine/tcp';
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
  WsReadyState,
} from './types';
import { runWebSocketStory, type StoryWrite, type WsAppEvent, type WsObserver } from './libs/websocket';

/** The websocket story's chapters, in order; a step belongs to the latest one begun. */
export const CHAPTERS = [
  { id: 'tcp-handshake', title: 'TCP three-way handshake' },
  { id: 'ws-upgrade', title: 'HTTP upgrade to WebSocket' },
  { id: 'ws-data', title: 'WebSocket messages' },
  { id: 'ws-close', title: 'WebSocket closing handshake' },
  { id: 'tcp-teardown', title: 'TCP teardown: FIN, ACK, FIN, ACK' },
] as const;
type ChapterId = (typeof CHAPTERS)[number]['id'];

/** Seconds from 1970 to 2011-12-11T00:00:00Z (RFC 6455's month): the capture's time zero. */
export const PCAP_EPOCH_SECONDS = 1323561600;

export interface BuildOptions {
  /**
   * Use these 16 bytes as the Sec-WebSocket-Key instead of the seeded ones: for answering a real
   * client whose key the simulation cannot choose (tests against real peers).
   */
  readonly wsKey?: Uint8Array;
}

const CONSOLE_TEXT = 60;

/** Characters (code points) of a text, without splitting it into an array. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function shorten(text: string, max = CONSOLE_TEXT): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, max * 2));
  if (chars.length <= max && codePoints(text) <= max) return text;
  return `${chars.slice(0, max).join('')}… (${codePoints(text)} characters)`;
}

interface StepDraft extends Narration {
  readonly host: HostId | 'wire';
  readonly layer: OsiLayer | null;
  readonly kind: StepKind;
  readonly packet?: number;
  readonly code?: CodeRef | null;
  readonly console?: readonly ConsoleLine[];
}

/** Records the world's and the programs' events as steps. */
class Recorder implements WorldObserver, WsObserver {
  readonly steps: Step[] = [];
  private states: Readonly<Record<HostId, HostState>>;
  private phase = 0;
  private facts: RunFacts;
  private readonly lines: ProgramLines;
  private readonly writeOf: (StoryWrite | undefined)[] = [];
  private readonly walked = new Set<number>();
  /** Original packet ids whose walk was cut short by a loss: their retransmission walks. */
  private readonly walkPending = new Set<number>();
  private readonly firstData = { client: false, server: false };
  private synSeen = false;
  private readonly lastAck = new Map<HostId, { ack: number; dups: number }>();
  private firstFin: { from: HostId; end: number } | null = null;
  private secondFin: { from: HostId; end: number } | null = null;
  private note: string | null;
  private world!: World;

  constructor(
    private readonly scenario: Scenario,
    lines: ProgramLines,
    note: string | null,
  ) {
    this.lines = lines;
    this.note = note;
    this.facts = {
      scenario,
      client: CLIENT_HOST,
      server: SERVER_HOST,
      packets: [],
      clientPort: null,
      clientIsn: null,
      serverIsn: null,
      key: null,
      firstClientMessage: scenario.messages.findIndex((m) => m.from === 'c'),
      duplicateAcks: new Map(),
      goodbye: new Map(),
    };
    this.states = {
      [CLIENT_HOST.id]: {},
      [SERVER_HOST.id]: {
        tcp: { connection: 0, state: 'LISTEN', sndNxt: 0, relSndNxt: 0, rcvNxt: 0, relRcvNxt: 0 },
      },
    };
  }

  /** The world whose clock and packets the steps use. */
  attach(world: World): void {
    this.world = world;
    this.facts = { ...this.facts, packets: world.packets };
  }

  private advance(id: ChapterId): void {
    const i = CHAPTERS.findIndex((c) => c.id === id);
    if (i > this.phase) this.phase = i;
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

  private setTcp(host: HostId, view: TcpView): void {
    this.setHost(host, { tcp: view });
  }

  private step(d: StepDraft): void {
    let text = d.text;
    if (this.note !== null) {
      text = `${this.note} ${text}`;
      this.note = null;
    }
    const step: { -readonly [K in keyof Step]: Step[K] } = {
      index: this.steps.length,
      chapter: CHAPTERS[this.phase]!.id,
      time: this.world.now / 1e6,
      host: d.host,
      layer: d.layer,
      kind: d.kind,
      states: this.states,
      title: d.title,
      text,
    };
    if (d.packet !== undefined) step.packet = d.packet;
    if (d.curriculum && d.curriculum.length > 0) step.curriculum = d.curriculum;
    if (d.misconception) step.misconception = d.misconception;
    if (d.code) step.code = d.code;
    if (d.console && d.console.length > 0) step.console = d.console;
    this.steps.push(step);
  }

  /** A closing note when the run had to stop early. */
  finish(truncated: boolean): void {
    if (!truncated) return;
    this.step({
      host: 'wire',
      layer: null,
      kind: 'state',
      title: 'The simulation stops here',
      text: 'This scenario would run on for too long; the timeline ends here.',
    });
  }

  private codeFor(p: Packet, w: StoryWrite | undefined): CodeRef | null {
    const role = packetRole(p, w);
    const L = this.lines;
    switch (role) {
      case 'syn':
      case 'handshake-ack':
      case 'upgrade-request':
        return L.client.create;
      case 'syn-ack':
      case 'upgrade-response':
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
    if (p.retransmissionOf !== undefined) return this.walkPending.has(p.retransmissionOf);
    const role = packetRole(p, w);
    if (role === 'syn' && !this.synSeen) return true;
    if ((role === 'upgrade-request' || role === 'upgrade-response') && p.app !== undefined) return true;
    if (role === 'message' && p.app?.kind === 'ws-frame' && !this.firstData[p.from as 'client' | 'server']) {
      this.firstData[p.from as 'client' | 'server'] = true;
      return true;
    }
    return false;
  }

  /** Numbers of the four-step goodbye: FIN (1), its ACK (2), the other FIN (3), its ACK (4). */
  private countGoodbye(p: Packet): void {
    const orig = p.retransmissionOf;
    if (orig !== undefined) {
      const n = this.facts.goodbye.get(orig);
      if (n !== undefined) this.facts.goodbye.set(p.id, n);
      return;
    }
    if (p.tcp.flags.includes('FIN')) {
      const end = p.tcp.relSeq + p.tcp.len + 1;
      if (!this.firstFin) {
        this.firstFin = { from: p.from, end };
        this.facts.goodbye.set(p.id, 1);
      } else if (!this.secondFin && p.from !== this.firstFin.from) {
        this.secondFin = { from: p.from, end };
        this.facts.goodbye.set(p.id, 3);
      }
      return;
    }
    if (p.tcp.len > 0) return;
    // A pure ACK that acknowledges a FIN.
    if (
      this.firstFin &&
      p.from !== this.firstFin.from &&
      p.tcp.relAck === this.firstFin.end &&
      !this.secondFin
    ) {
      if (![...this.facts.goodbye.values()].includes(2)) this.facts.goodbye.set(p.id, 2);
    } else if (this.secondFin && p.from !== this.secondFin.from && p.tcp.relAck === this.secondFin.end) {
      if (![...this.facts.goodbye.values()].includes(4)) this.facts.goodbye.set(p.id, 4);
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

  // ---- WorldObserver ----

  sent(p: Packet, senderView: TcpView, tag?: unknown): void {
    const w = tag as StoryWrite | undefined;
    this.writeOf[p.id] = w;
    if (w?.purpose === 'upgrade-request') this.advance('ws-upgrade');
    else if (w?.purpose === 'message' || w?.purpose === 'ping') this.advance('ws-data');
    else if (w?.purpose === 'close' || w?.purpose === 'close-echo') this.advance('ws-close');
    if (p.tcp.flags.includes('FIN')) this.advance('tcp-teardown');
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
      this.setTcp(p.from, senderView);
      return;
    }
    this.walked.add(p.id);
    const code = this.codeFor(p, w);
    const again = p.retransmissionOf !== undefined;
    for (const s of walkDown(p, w, this.facts, again)) {
      if (s.layer === 4) this.setTcp(p.from, senderView);
      this.step({ ...s, host: p.from, packet: p.id, code });
    }
  }

  onWire(p: Packet): void {
    const w = this.writeOf[p.id];
    const code = this.codeFor(p, w);
    if (p.lost) {
      const orig = p.retransmissionOf ?? p.id;
      if (this.walked.has(p.id)) this.walkPending.add(orig);
      this.step({
        ...narrateDrop(p, w, this.facts),
        host: 'wire',
        layer: 1,
        kind: 'drop',
        packet: p.id,
        code,
      });
      return;
    }
    if (this.walked.has(p.id)) {
      const n = narrateWire(p, NETWORK.latencyNs / 1e6);
      this.step({ ...n, host: 'wire', layer: 1, kind: 'transmit', packet: p.id, code });
      return;
    }
    this.step({
      ...narratePacket(p, w, this.facts),
      host: 'wire',
      layer: 1,
      kind: 'transmit',
      packet: p.id,
      code,
    });
  }

  arrived(p: Packet, view: TcpView | null): void {
    if (view === null) return;
    if (!this.walked.has(p.id)) {
      this.setTcp(p.to, view);
      return;
    }
    this.walkPending.delete(p.retransmissionOf ?? p.id);
    const w = this.writeOf[p.id];
    for (const s of walkUp(p, w, this.facts)) {
      if (s.layer === 4) this.setTcp(p.to, view);
      this.step({ ...s, host: p.to, packet: p.id });
    }
  }

  tcp(host: HostInfo, socket: Socket, e: TcpEvent): void {
    this.setTcp(host.id, socket.tcp.view());
    if (e.kind === 'state' && (e.from === 'CLOSED' || e.from === 'LISTEN')) {
      // The ISNs and the port are chosen when the connection starts; the narration names them at once.
      if (host.role === 'client') {
        this.facts.clientIsn ??= socket.tcp.iss;
        this.facts.clientPort ??= socket.tcp.localPort;
      } else {
        this.facts.serverIsn ??= socket.tcp.iss;
      }
    }
    if (e.kind === 'state') {
      if (e.to === 'FIN_WAIT_1' || e.to === 'CLOSE_WAIT') this.advance('tcp-teardown');
      const handshake =
        e.to === 'SYN_SENT' || e.to === 'SYN_RECEIVED' || e.from === 'SYN_SENT' || e.from === 'SYN_RECEIVED';
      const code = handshake
        ? host.role === 'client'
          ? this.lines.client.create
          : this.lines.server.listen
        : null;
      this.step({
        ...narrateTcpState(host, e.from, e.to, this.facts),
        host: host.id,
        layer: 4,
        kind: 'state',
        code,
      });
      return;
    }
    if (e.kind === 'rto' || e.kind === 'fast-retransmit' || e.kind === 'aborted') {
      const packet = e.kind === 'aborted' ? undefined : e.packet;
      this.step({
        ...narrateTcpEvent(host, e, this.facts),
        host: host.id,
        layer: 4,
        kind: 'state',
        ...(packet !== undefined && packet >= 0 ? { packet } : {}),
      });
    }
  }

  // ---- WsObserver ----

  app(e: WsAppEvent, readyState: WsReadyState | undefined): void {
    if (e.kind === 'create') this.facts.key = e.key;
    if (e.kind === 'close-start') this.advance('ws-close');
    if (readyState !== undefined) this.setHost(e.host.id, { ws: readyState });
    const L = this.lines;
    const client = e.host.role === 'client';
    let code: CodeRef | null = null;
    let out: string | null = null;
    switch (e.kind) {
      case 'listen':
        code = L.server.listen;
        break;
      case 'create':
        code = L.client.create;
        break;
      case 'connection':
        code = L.server.connection;
        out = 'client connected';
        break;
      case 'open':
        code = L.client.onopen;
        out = 'connected';
        break;
      case 'message':
        code = client ? L.client.onmessage : L.server.message;
        out = `message: ${shorten(e.text)}`;
        break;
      case 'pong':
        code = L.server.pong;
        out = 'pong: the client is alive';
        break;
      case 'close-start':
        code = client ? L.client.close : L.server.closeCall;
        break;
      case 'closed':
        code = client ? L.client.onclose : L.server.close;
        out = `closed ${e.code} ${e.reason}`.trimEnd();
        break;
      default:
        break;
    }
    this.step({
      ...narrateApp(e, this.facts),
      host: e.host.id,
      layer: 7,
      kind: 'app',
      code,
      ...(out !== null ? { console: [{ host: e.host.id, text: out }] } : {}),
    });
  }
}

/**
 * How a story turns a scenario into a timeline. `note`, when given, opens the first step's text.
 * The websocket story lives in this module; socketio (socketioTimeline.ts) and compare (compare.ts) are
 * registered by stories.ts, which the browser loads only when a lesson needs them (they are a third of the
 * engine) and `timeline.ts` loads for everyone else. A story without a builder falls back to the websocket
 * story with a note saying so.
 */
export type StoryBuilder = (scenario: Scenario, options: BuildOptions, note: string | null) => Timeline;

const STORY_NAMES: { readonly [S in Story]: string } = {
  websocket: 'WebSocket',
  socketio: 'Socket.IO',
  compare: 'polling comparison',
};

function chaptersOf(steps: readonly Step[]): Chapter[] {
  const out: Chapter[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last && last.id === s.chapter) {
      out[out.length - 1] = { ...last, lastStep: s.index };
    } else {
      const title = CHAPTERS.find((c) => c.id === s.chapter)?.title ?? s.chapter;
      out.push({ id: s.chapter, title, firstStep: s.index, lastStep: s.index });
    }
  }
  return out;
}

/** The websocket story: one browser, one ws server, the scenario's messages, ping, close. */
function buildWebSocketStory(scenario: Scenario, options: BuildOptions, note: string | null): Timeline {
  const programs = websocketPrograms(scenario);
  const recorder = new Recorder(scenario, programs.lines, note);
  const world = new World({
    seed: scenario.seed,
    mss: scenario.mss,
    loss: scenario.loss,
    observer: recorder,
  });
  recorder.attach(world);
  runWebSocketStory(world, scenario, recorder, options.wsKey ? { wsKey: options.wsKey } : {});
  world.run();
  recorder.finish(world.truncated);
  return {
    scenario,
    hosts: [CLIENT_HOST, SERVER_HOST],
    packets: world.packets,
    steps: recorder.steps,
    chapters: chaptersOf(recorder.steps),
    programs: { client: programs.client, server: programs.server },
  };
}

const STORIES: { [S in Story]?: StoryBuilder } = { websocket: buildWebSocketStory };

export function registerStory(story: Story, builder: StoryBuilder): void {
  STORIES[story] = builder;
}

/** Whether `buildTimeline` can tell this story (rather than fall back to the websocket story). */
export function storyLoaded(story: Story): boolean {
  return STORIES[story] !== undefined;
}

function build(scenario: Scenario, options: BuildOptions): Timeline {
  const story = STORIES[scenario.story];
  if (story) return story(scenario, options, null);
  const note =
    `(The ${STORY_NAMES[scenario.story] ?? String(scenario.story)} story is not loaded: this is the plain ` +
    'WebSocket story with the same messages.)';
  return buildWebSocketStory(scenario, options, note);
}

/** Compute the whole timeline of a scenario. Never throws: an internal failure becomes a one-step timeline. */
export function buildTimeline(scenario: Scenario, options: BuildOptions = {}): Timeline {
  try {
    return build(scenario, options);
  } catch (err) {
    const programs = websocketPrograms(scenario);
    return {
      scenario,
      hosts: [CLIENT_HOST, SERVER_HOST],
      packets: [],
      steps: [
        {
          index: 0,
          chapter: CHAPTERS[0].id,
          time: 0,
          host: 'wire',
          layer: null,
          kind: 'state',
          states: { [CLIENT_HOST.id]: {}, [SERVER_HOST.id]: {} },
          title: 'This scenario could not be simulated',
          text: `The engine stopped with an error: ${err instanceof Error ? err.message : String(err)}.`,
        },
      ],
      chapters: [{ id: CHAPTERS[0].id, title: CHAPTERS[0].title, firstStep: 0, lastStep: 0 }],
      programs: { client: programs.client, server: programs.server },
    };
  }
}

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

function stateText(s: HostState | undefined): string {
  if (!s) return '-';
  const tcp = s.tcp ? `${s.tcp.state} ${s.tcp.relSndNxt}/${s.tcp.relRcvNxt}` : '-';
  return s.ws ? `${tcp} ${s.ws}` : tcp;
}

/** One deterministic line per step (for `npm run timeline` and snapshot tests). */
export function timelineText(t: Timeline): string {
  const lines: string[] = [];
  for (const s of t.steps) {
    const p = s.packet !== undefined ? t.packets[s.packet] : undefined;
    const pkt = p && (s.kind === 'transmit' || s.kind === 'drop') ? `  {#${p.wireIndex} ${p.summary}}` : '';
    const tags = s.curriculum ? ` [${s.curriculum.join(',')}]` : '';
    const out = s.console ? `  > ${s.console.map((c) => `${c.host}: ${c.text}`).join('; ')}` : '';
    lines.push(
      `${String(s.index + 1).padStart(4)} ${s.time.toFixed(3).padStart(10)} ${pad(s.host, 6)} ` +
        `${s.layer === null ? '  ' : 'L' + s.layer} ${pad(s.kind, 11)} ${pad(s.chapter, 13)} ${s.title}${tags}${pkt}${out}` +
        ` | client ${stateText(s.states['client'])} | server ${stateText(s.states['server'])}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Every packet as the client's network card sees it: frames it sent (lost ones too) at their send
 * time, frames it received at their arrival time (short ones with the padding the wire adds).
 * Timestamps count from 2011-12-11T00:00:00Z, so the same timeline always gives the same bytes.
 */
export function timelinePcap(t: Timeline, host: HostId = CLIENT_HOST.id): Uint8Array {
  const entries: { us: number; order: number; id: number; data: Uint8Array }[] = [];
  for (const p of t.packets) {
    if (p.from === host) {
      entries.push({ us: Math.round(p.sentAt * 1000), order: 1, id: p.id, data: p.frame });
    } else if (p.to === host && !p.lost) {
      const data = p.padding > 0 ? concatBytes(p.frame, new Uint8Array(p.padding)) : p.frame;
      entries.push({ us: Math.round(p.arrivesAt * 1000), order: 0, id: p.id, data });
    }
  }
  entries.sort((a, b) => a.us - b.us || a.order - b.order || a.id - b.id);
  const base = PCAP_EPOCH_SECONDS * 1_000_000;
  const records: PcapRecord[] = entries.map((e) => ({ timestampUs: base + e.us, data: e.data }));
  return encodePcap(records);
}
