/**
 * The network: a discrete-event simulation of hosts on one Ethernet segment.
 *
 * - Time is an integer number of nanoseconds (exact, so runs are bit-for-bit repeatable); packets and
 *   steps show it in milliseconds.
 * - Every host, and every port of every router, is a network card on a full-duplex 100 Mbit/s link. A
 *   frame occupies the card for its bytes plus preamble, start-of-frame delimiter, FCS and inter-frame gap
 *   (24 bytes) at 80 ns a byte, so back-to-back segments leave one after another.
 * - Between the browsers and the server are `hops` routers (0–4, default 1; ./router.ts has the addresses,
 *   as the reference capture's Linux router). The whole path's one-way propagation delay is 5 ms whatever
 *   the count, split evenly over its segments (2.5 ms each with one router); each router adds its own
 *   store-and-forward time (it sends the frame again on its other card), so a round trip is 10 ms and a few
 *   microseconds. Five milliseconds is slow for a few cables, but it is a realistic Internet path and keeps
 *   the picture readable.
 * - Frames go to the next hop's MAC: the browsers send to their gateway (192.0.2.1), each router rewrites
 *   both MACs, takes one from the TTL and recomputes the header checksum (RFC 1812 §5.3.1), so the server's
 *   packets reach the browser with TTL 63 through one router. A card resolves its next hop with ARP
 *   (RFC 826) before its first frame to it (a broadcast request, a unicast reply); the one asked learns the
 *   asker from the request (RFC 826's "merge", as Linux's arp_process does), so answers need no ARP of their
 *   own. Answers are kept for the rest of the scenario (Linux keeps them much longer than a lesson lasts).
 * - `loss=k` counts (1-based) every packet put on the wire, retransmissions included, and every ARP frame on
 *   the browsers' LAN (segment 0), in the order they are planned: the k-th is lost once. A lost packet shows
 *   on the sender's side and never arrives. A lost ARP request or reply leaves the asker without an answer:
 *   it asks again a second later, three times in all, then drops what waited (below, ARP_POLICY).
 */
import { EventQueue } from './queue';
import { buildPacket } from './packet';
import { forwardFrame, pathPlan, type PathPlan } from './router';
import { encodeArp, describeArp, type ArpRepr } from '../../protocol/arp';
import { encodeEthernet, ETHER_TYPES } from '../../protocol/ethernet';
import { rngStream, type Rng } from './rng';
import {
  TcpEndpoint,
  type TcpEnv,
  type TcpEvent,
  type TcpSegmentIn,
  type TcpTimerKind,
  type TcpTransmission,
} from './tcp';
import type { HostInfo, LinkFrame, Packet, PacketHop, TcpView } from '../types';

export const NS_PER_MS = 1_000_000;

export const NETWORK = {
  latencyNs: 5 * NS_PER_MS,
  /** 100 Mbit/s: 80 ns per byte. */
  nsPerByte: 80,
  /** Preamble (7) + start-of-frame delimiter (1) + FCS (4) + inter-frame gap (12). */
  overheadBytes: 24,
  minFrame: 60,
  /** IANA's dynamic port range (RFC 6335 §6). */
  ephemeralPorts: [49152, 65535] as const,
} as const;

/** Time a frame of `length` bytes (as captured, without padding and FCS) occupies the card. */
export function transmissionNs(length: number): number {
  return (Math.max(length, NETWORK.minFrame) + NETWORK.overheadBytes) * NETWORK.nsPerByte;
}

/** What the world tells the timeline, in the order things happen. */
export interface WorldObserver {
  /**
   * A packet was built and handed to the sender's card; `senderView` is its TCP state after sending it,
   * `tag` what the application said about the bytes it carries (see `Socket.write`).
   */
  sent(packet: Packet, senderView: TcpView, tag: unknown): void;
  /** Its first bit goes on the wire (or, lost, it vanishes there). */
  onWire(packet: Packet): void;
  /**
   * The sender puts `packet.arp[index]` on its link (an ARP frame the packet waits for; the routers' ARP
   * frames, `PacketHop.arp`, come with the packet's way and are not announced).
   */
  arp?(packet: Packet, index: number): void;
  /** It reached the receiver and TCP processed it; `receiverView` is the receiver's TCP state after. */
  arrived(packet: Packet, receiverView: TcpView | null): void;
  /** Something TCP did: a state change, a timeout, a fast retransmit, an abort. */
  tcp(host: HostInfo, socket: Socket, event: TcpEvent): void;
}

/** What an application sees of a connection (the BSD socket, in short). */
export interface SocketHandlers {
  /** The handshake completed (next turn of the event loop). */
  established?(): void;
  /** Bytes arrived in order (same turn). */
  data?(bytes: Uint8Array): void;
  /** The peer closed its side (next turn). */
  end?(): void;
  /** The connection was aborted (timeout, reset). */
  aborted?(reason: 'timeout' | 'reset'): void;
  /** TCP reached CLOSED or TIME_WAIT: nothing more will happen on this connection for the app. */
  closed?(): void;
}

/**
 * What a program above TCP holds: a TCP `Socket`, or a TLS connection over one (sim/libs/tls/socket.ts),
 * which reads and writes plaintext and keeps TCP's state visible.
 */
export interface StreamSocket {
  readonly host: HostInfo;
  readonly peer: HostInfo;
  /** The TCP connection's number (0-based, in opening order). */
  readonly connection: number;
  handlers: SocketHandlers;
  readonly tcp: { readonly state: TcpEndpoint['state'] };
  write(bytes: Uint8Array, tag?: unknown): void;
  end(): void;
  abort(): void;
}

/**
 * Another protocol over TCP (TLS): wraps the client's connection as it opens and the server's as it is
 * accepted; the programs then read and write through the wrapper.
 */
export interface SecureTransport {
  client(tcp: Socket): StreamSocket;
  server(tcp: Socket): StreamSocket;
}

interface Timer {
  gen: number;
}

type SimEvent =
  | { readonly kind: 'wire'; readonly packet: Packet }
  | { readonly kind: 'arp'; readonly packet: Packet; readonly index: number }
  | { readonly kind: 'arrive'; readonly packet: Packet; readonly segment: TcpSegmentIn }
  | { readonly kind: 'timer'; readonly socket: Socket; readonly timer: TcpTimerKind; readonly gen: number }
  | { readonly kind: 'call'; readonly fn: () => void; readonly passive: boolean };

export class Socket implements StreamSocket {
  readonly host: HostInfo;
  readonly peer: HostInfo;
  readonly tcp: TcpEndpoint;
  handlers: SocketHandlers = {};
  private readonly world: World;
  readonly timers: Record<TcpTimerKind, Timer> = {
    rto: { gen: 0 },
    'time-wait': { gen: 0 },
    delack: { gen: 0 },
  };
  /** TCP events collected while a segment or timer is processed, handled once it is done. */
  pending: TcpEvent[] | null = null;
  closedNotified = false;

  constructor(world: World, host: HostInfo, peer: HostInfo, tcp: (env: TcpEnv) => TcpEndpoint) {
    this.world = world;
    this.host = host;
    this.peer = peer;
    this.tcp = tcp({
      transmit: (t) => world.transmit(this, t),
      stillInHost: (packet) => world.stillInHost(packet),
      setTimer: (kind, at) => world.setTimer(this, kind, at),
      event: (e) => world.tcpEvent(this, e),
    });
  }

  get connection(): number {
    return this.tcp.connection;
  }

  /** Queue bytes and send what the windows allow now. `tag` labels the packets (an AppWrite). */
  write(bytes: Uint8Array, tag?: unknown): void {
    this.tcp.send(bytes, tag);
    this.world.flush(this);
  }

  /** Close this side: the FIN follows everything written. */
  end(): void {
    this.world.batch(this, () => this.tcp.close());
  }

  /**
   * The program gives up on the connection and closes its socket (Node's destroy(), xhr.abort(), Chrome
   * dropping a WebSocket): a FIN, not a RST, because nothing received is left unread (tcp_close, RFC 1122
   * §4.2.2.13); data arriving later is answered with a reset (TcpEndpoint.closeByProgram).
   */
  abort(): void {
    this.world.batch(this, () => this.tcp.closeByProgram());
  }
}

interface Listener {
  readonly host: HostInfo;
  readonly port: number;
  readonly accept: (socket: Socket) => void;
}

export interface WorldOptions {
  readonly seed: number;
  readonly mss: number;
  readonly loss: readonly number[];
  readonly observer: WorldObserver;
  /** Stop after this many events (a guard against runaway scenarios); the run ends where it is. */
  readonly maxEvents?: number;
  /**
   * Routers between the browsers and the server (0–4, see ./router.ts). Absent: the engine's bare mode for its
   * own tests, one LAN whose neighbours are known (no ARP); the stories pass the scenario's (default 1).
   */
  readonly hops?: number | undefined;
}

/** A card that sends a frame on a segment: its owner (host or router id), key (for its queue), addresses. */
interface Card {
  readonly node: string;
  readonly key: string;
  readonly mac: string;
  readonly ip: string;
}

/** Where a frame goes next: the card it is addressed to. */
interface NextHop extends Card {
  readonly segment: number;
}

/** One leg of a packet's way, planned when it is sent. */
interface Leg {
  readonly from: Card;
  readonly to: NextHop;
  readonly startNs: number;
  readonly arrivesNs: number;
  readonly arp: readonly LinkFrame[];
}

/**
 * How a Linux host retries ARP (net/core/neighbour.c neigh_timer_handler; ip-sysctl.rst neigh/default):
 * an unanswered request is repeated every retrans_time_ms (1000) until mcast_solicit (3) requests went
 * unanswered; then the entry fails (NUD_FAILED) and the packets queued on it are dropped (neigh_invalidate).
 * RFC 1122 §2.3.2.1 asks for at most one request a second per address. While a packet waits there, TCP's
 * timer finds it "still in host queue" and does not send a copy (tcp_output.c skb_still_in_host_queue):
 * it looks again after TCP_RESOURCE_PROBE_INTERVAL, 500 ms (tcp_timer.c tcp_retransmit_timer).
 */
export const ARP_POLICY = {
  retryNs: 1000 * NS_PER_MS,
  requests: 3,
  busyRetryNs: 500 * NS_PER_MS,
} as const;

const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const UNKNOWN_MAC = '00:00:00:00:00:00';

export class World {
  readonly seed: number;
  readonly mss: number;
  readonly packets: Packet[] = [];
  private readonly loss: ReadonlySet<number>;
  private readonly observer: WorldObserver;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly sockets = new Map<string, Socket>();
  private readonly listeners: Listener[] = [];
  private readonly nicFreeAt = new Map<string, number>();
  private readonly ipIds = new Map<string, number>();
  private readonly connectionOf = new Map<string, number>();
  private connections = 0;
  /** Every host that listens or connects, by id (delivery finds the receiver here). */
  private readonly hosts = new Map<string, HostInfo>();
  /** Hosts whose path to the others is broken: every packet they send or should receive is lost. */
  private readonly linkDown = new Set<string>();
  private activeEvents = 0;
  /** Events processed so far, over every `run` call (the limit counts them all). */
  private processed = 0;
  private readonly maxEvents: number;
  /** True when the run stopped at `maxEvents`. */
  truncated = false;
  now = 0;
  /** The routers and the segments' delays. */
  readonly path: PathPlan;
  /** ARP caches: `card key>IPv4` → when the answer is (or will be) known, ns. */
  private readonly neighbours = new Map<string, number>();
  /** False in the bare mode (no `hops` given): every next hop's MAC is known from the start. */
  private readonly arp: boolean;
  /** The cards between two hosts, by sender and receiver (see `cardsBetween`). */
  private readonly cards = new Map<HostInfo, Map<HostInfo, { senders: Card[]; receivers: NextHop[] }>>();
  /** ARP resolutions that failed: `card key>IPv4` → when the entry failed, ns (packets waiting before it drop). */
  private readonly unresolved = new Map<string, number>();
  /** What `loss=k` counts so far: packets, and ARP frames on segment 0. */
  private wireCount = 0;

  constructor(o: WorldOptions) {
    this.path = pathPlan(o.hops ?? 0, NETWORK.latencyNs);
    this.arp = o.hops !== undefined;
    this.seed = o.seed >>> 0;
    this.mss = o.mss;
    this.loss = new Set(o.loss);
    this.observer = o.observer;
    this.maxEvents = o.maxEvents ?? 5_000_000;
  }

  private key(host: HostInfo, localPort: number, remote: HostInfo, remotePort: number): string {
    return `${host.id}:${localPort}>${remote.id}:${remotePort}`;
  }

  private stream(name: string): Rng {
    return rngStream(this.seed, name);
  }

  /** Listen on `port` of `host`; `accept` gets each new connection's socket when its SYN arrives. */
  listen(host: HostInfo, port: number, accept: (socket: Socket) => void): void {
    this.hosts.set(host.id, host);
    this.listeners.push({ host, port, accept });
  }

  /**
   * Break (or mend) `host`'s path to every other host from now on: packets it sends, and packets sent to
   * it, are lost on the wire while it is down. Packets already on their way still arrive.
   */
  setLinkDown(host: string, down: boolean): void {
    if (down) this.linkDown.add(host);
    else this.linkDown.delete(host);
  }

  /** Active open from an ephemeral port chosen from the seed. */
  connect(host: HostInfo, server: HostInfo, port: number, handlers: SocketHandlers): Socket {
    const connection = this.connections++;
    this.hosts.set(host.id, host);
    this.hosts.set(server.id, server);
    const [lo, hi] = NETWORK.ephemeralPorts;
    // The OS never gives a port whose connection to the same peer still exists (TIME_WAIT included).
    const ports = this.stream(`port:${host.id}:${connection}`);
    let localPort = ports.int(lo, hi);
    while (this.sockets.has(this.key(host, localPort, server, port))) localPort = ports.int(lo, hi);
    const socket = new Socket(
      this,
      host,
      server,
      (env) =>
        new TcpEndpoint(env, {
          connection,
          localPort,
          remotePort: port,
          iss: this.stream(`isn:${host.id}:${connection}`).next(),
          mss: this.mss,
          tsOffset: this.stream(`ts:${host.id}:${connection}`).next(),
        }),
    );
    socket.handlers = handlers;
    this.sockets.set(this.key(host, localPort, server, port), socket);
    this.connectionOf.set(`${host.id}:${localPort}>${server.id}:${port}`, connection);
    this.batch(socket, () => socket.tcp.openActive());
    return socket;
  }

  /** Run `fn` at `at` (ns). Passive calls do not keep the simulation alive on their own. */
  schedule(at: number, fn: () => void, passive = false): void {
    this.push(Math.max(at, this.now), { kind: 'call', fn, passive });
  }

  /** Run `fn` in the next turn of the event loop: now, after everything already due now. */
  nextTurn(fn: () => void): void {
    this.schedule(this.now, fn);
  }

  private push(at: number, e: SimEvent): void {
    if (!(e.kind === 'timer' && e.timer === 'time-wait') && !(e.kind === 'call' && e.passive))
      this.activeEvents++;
    this.queue.push(at, e);
  }

  /**
   * Process events in time order until only passive ones (TIME_WAIT timers) are left; true then. With
   * `pause`, asked after every event, the run stops early when it says so (false) and a later call goes on
   * where it stopped: the same events in the same order as one uninterrupted run (nothing depends on when).
   */
  run(pause?: () => boolean): boolean {
    while (this.activeEvents > 0 && !this.truncated) {
      if (pause?.()) return false;
      const next = this.queue.pop();
      if (!next) break;
      const e = next.value;
      if (!(e.kind === 'timer' && e.timer === 'time-wait') && !(e.kind === 'call' && e.passive))
        this.activeEvents--;
      this.now = next.time;
      if (++this.processed > this.maxEvents) {
        this.truncated = true;
        break;
      }
      switch (e.kind) {
        case 'wire':
          this.observer.onWire(e.packet);
          break;
        case 'arp':
          this.observer.arp?.(e.packet, e.index);
          break;
        case 'arrive':
          this.deliver(e.packet, e.segment);
          break;
        case 'timer': {
          const t = e.socket.timers[e.timer];
          if (t.gen === e.gen) this.batch(e.socket, () => e.socket.tcp.timerFired(e.timer, this.now));
          break;
        }
        case 'call':
          e.fn();
          break;
      }
    }
    return true;
  }

  /** Run a TCP call, then report its events, then let TCP send what is due. */
  batch(socket: Socket, fn: () => void, before?: () => void): void {
    const outer = socket.pending;
    socket.pending = [];
    fn();
    const events = socket.pending;
    socket.pending = outer;
    before?.();
    this.dispatch(socket, events, true);
    this.flush(socket);
  }

  /** Let TCP send whatever is due now. */
  flush(socket: Socket): void {
    socket.tcp.output(this.now);
  }

  tcpEvent(socket: Socket, e: TcpEvent): void {
    if (socket.pending) socket.pending.push(e);
    else this.dispatch(socket, [e]);
  }

  /**
   * Hand TCP's events to the timeline and the application. Data goes to the application in this
   * turn (so a reply can carry the ACK); 'established' and 'end' in the next turn, and anything
   * after them too, so the application sees them in order.
   */
  private dispatch(socket: Socket, events: readonly TcpEvent[], kernelFirst = false): void {
    const deferred: (() => void)[] = [];
    const immediate: (() => void)[] = [];
    // Handlers are read when each call runs (the application may replace them in between). No helper
    // closures here: this runs for every segment, and under tsx each named closure costs a defineProperty.
    for (const e of events) {
      switch (e.kind) {
        case 'state':
          this.observer.tcp(socket.host, socket, e);
          if ((e.to === 'CLOSED' || e.to === 'TIME_WAIT') && !socket.closedNotified) {
            socket.closedNotified = true;
            deferred.push(() => socket.handlers.closed?.());
          }
          break;
        case 'rto':
        case 'rto-busy':
        case 'fast-retransmit':
          this.observer.tcp(socket.host, socket, e);
          break;
        case 'aborted':
          this.observer.tcp(socket.host, socket, e);
          (deferred.length > 0 ? deferred : immediate).push(() => socket.handlers.aborted?.(e.reason));
          break;
        case 'established':
          deferred.push(() => socket.handlers.established?.());
          break;
        case 'eof':
          deferred.push(() => socket.handlers.end?.());
          break;
        case 'data':
          (deferred.length > 0 ? deferred : immediate).push(() => socket.handlers.data?.(e.bytes));
          break;
      }
    }
    // The kernel sends what is due (an ACK that must go at once, data the new window allows) before the
    // application wakes up to read: Linux's tcp_rcv_established runs tcp_data_snd_check and
    // tcp_ack_snd_check in the receive path (tcp_input.c), before the reader is scheduled.
    if (kernelFirst && immediate.length > 0) this.flush(socket);
    for (const f of immediate) f();
    if (deferred.length > 0) {
      this.nextTurn(() => {
        for (const f of deferred) f();
      });
    }
  }

  /** Called by TCP (inside `output`): build the packet, give it a slot on the card, schedule it. */
  transmit(socket: Socket, tx: TcpTransmission): number {
    const id = this.packets.length;
    const from = socket.host;
    const to = socket.peer;
    const frameLength = 14 + 20 + 20 + tcpOptionsLength(tx) + tx.payload.length;
    const wireNs = transmissionNs(frameLength);
    const down = this.linkDown.has(from.id) || this.linkDown.has(to.id);
    const way = this.route(from, to, wireNs, (k) => this.loss.has(k) || down);
    const { legs, lost, wireIndex, unresolved } = way;
    const first = legs[0]!;
    const start = first.startNs;
    const arrivesNs = legs[legs.length - 1]!.arrivesNs;
    const original = tx.retransmits !== undefined ? this.packets[tx.retransmits] : undefined;
    const { packet, segment } = buildPacket({
      id,
      wireIndex,
      from,
      to,
      connection: socket.connection,
      sentAtNs: start,
      arrivesAtNs: arrivesNs,
      lost,
      unresolved,
      // Linux sends a SYN-ACK with ID 0 when DF is set (ip_build_and_send_pkt, net/ipv4/ip_output.c), as
      // chromium-ws.pcap frames 2, 5 and 12 show; the accepted socket's own IDs start after it.
      identification: tx.flags.includes('SYN') && tx.flags.includes('ACK') ? 0 : this.nextIpId(from),
      srcPort: socket.tcp.localPort,
      dstPort: socket.tcp.remotePort,
      tx,
      ...(original ? { original } : {}),
      nextHopMac: first.to.mac,
      segment: first.to.segment,
      arp: first.arp,
      forward: forwarder(legs),
    });
    this.packets.push(packet);
    this.observer.sent(packet, socket.tcp.view(), tx.piece?.tag);
    first.arp.forEach((f, index) => {
      const at = Math.round(f.sentAt * NS_PER_MS);
      if (at <= this.now) this.observer.arp?.(packet, index);
      else this.push(at, { kind: 'arp', packet, index });
    });
    if (start === this.now) this.observer.onWire(packet);
    else this.push(start, { kind: 'wire', packet });
    if (!lost) this.push(arrivesNs, { kind: 'arrive', packet, segment });
    return id;
  }

  /**
   * True while packet `id` has not left its sender's card yet (it waits for ARP, or for the card): TCP's
   * timer must not send a copy of it (tcp_output.c skb_still_in_host_queue).
   */
  stillInHost(id: number): boolean {
    const p = this.packets[id];
    return p !== undefined && Math.round(p.sentAt * NS_PER_MS) > this.now;
  }

  /** A host's card, or a router's port (0 towards the browsers, 1 towards the server). */
  private hostCard(h: HostInfo): Card {
    return { node: h.id, key: h.id, mac: h.mac, ip: h.ip };
  }

  private routerCard(k: number, port: 0 | 1): Card {
    const r = this.path.routers[k - 1]!;
    const p = r.ports[port];
    return { node: r.id, key: `${r.id}#${port}`, mac: p.mac, ip: p.ip };
  }

  /**
   * Plan a frame's way from `from` to `to`: each leg's card, next hop, start (after the card is free and
   * the next hop's MAC is known) and arrival. The packet's number in what `loss` counts is taken once the
   * sender's ARP (if any) is planned, and `lostAt` says whether that number is lost. A lost frame has one
   * leg: it vanishes on the sender's segment. An unresolved one (ARP failed) has one leg that ends where
   * it starts, when the failure drops it.
   */
  private route(
    from: HostInfo,
    to: HostInfo,
    wireNs: number,
    lostAt: (wireIndex: number) => boolean,
  ): { legs: Leg[]; lost: boolean; wireIndex: number; unresolved: boolean } {
    const { senders, receivers } = this.cardsBetween(from, to);
    const legs: Leg[] = [];
    let at = this.now;
    let lost = false;
    let wireIndex = 0;
    for (let i = 0; i < senders.length; i++) {
      const card = senders[i]!;
      const next = receivers[i]!;
      // Only the hosts' own requests can be lost: a router on the browsers' LAN never has to ask there (it
      // learnt every browser from the browser's own request), and nothing else is counted.
      const arp = this.resolve(card, next, at, i === 0);
      if (arp.readyNs === null) {
        legs.push({ from: card, to: next, startNs: arp.failedNs, arrivesNs: arp.failedNs, arp: arp.frames });
        return { legs, lost: true, wireIndex: 0, unresolved: true };
      }
      const startNs = Math.max(at, this.nicFreeAt.get(card.key) ?? 0, arp.readyNs);
      this.nicFreeAt.set(card.key, startNs + wireNs);
      if (i === 0) {
        wireIndex = ++this.wireCount;
        lost = lostAt(wireIndex);
      }
      const arrivesNs = startNs + wireNs + this.latencyOf(next.segment, lost);
      legs.push({ from: card, to: next, startNs, arrivesNs, arp: arp.frames });
      if (lost) break;
      at = arrivesNs;
    }
    return { legs, lost, wireIndex, unresolved: false };
  }

  /**
   * The cards a frame from `from` to `to` leaves and reaches, sender first: the routers in path order, entered
   * on one port, left by the other. Planned once per pair and kept (the path does not change), so that sending
   * a packet does not build them again.
   */
  private cardsBetween(from: HostInfo, to: HostInfo): { senders: Card[]; receivers: NextHop[] } {
    let byTo = this.cards.get(from);
    if (!byTo) this.cards.set(from, (byTo = new Map()));
    const known = byTo.get(to);
    if (known) return known;
    const n = this.path.hops;
    const up = from.role === 'client';
    const senders: Card[] = [this.hostCard(from)];
    const receivers: NextHop[] = [];
    for (let i = 0; i < n; i++) {
      const k = up ? i + 1 : n - i;
      const segment = up ? k - 1 : k;
      receivers.push({ ...this.routerCard(k, up ? 0 : 1), segment });
      senders.push(this.routerCard(k, up ? 1 : 0));
    }
    receivers.push({ ...this.hostCard(to), segment: up ? n : 0 });
    const planned = { senders, receivers };
    byTo.set(to, planned);
    return planned;
  }

  /** A segment's propagation delay; a lost frame's nominal arrival counts the whole path's (5 ms). */
  private latencyOf(segment: number, lost: boolean): number {
    return lost ? NETWORK.latencyNs : this.path.latencyNs[segment]!;
  }

  /**
   * ARP (RFC 826) from `card` for `next` at `at`, unless the answer is known or on its way: the request
   * (broadcast), the one asked learning the asker (RFC 826 "merge"; Linux arp_process), the reply. Frames on
   * segment 0 are numbered for `loss`; when `losable`, a lost request or reply makes the asker ask again
   * (ARP_POLICY), and three unanswered requests fail the entry: `readyNs` null, `failedNs` when.
   */
  private resolve(
    card: Card,
    next: NextHop,
    at: number,
    losable: boolean,
  ): { readyNs: number; frames: LinkFrame[] } | { readyNs: null; failedNs: number; frames: LinkFrame[] } {
    if (!this.arp) return { readyNs: 0, frames: [] };
    const key = `${card.key}>${next.ip}`;
    const failed = this.unresolved.get(key);
    // Packets that come while the failing entry still waits are dropped with it (neigh_invalidate).
    if (failed !== undefined && at < failed) return { readyNs: null, failedNs: failed, frames: [] };
    const known = this.neighbours.get(key);
    if (known !== undefined) return { readyNs: known, frames: [] };
    const lat = this.path.latencyNs[next.segment]!;
    const arpNs = transmissionNs(14 + 28);
    const counted = next.segment === 0;
    const frames: LinkFrame[] = [];
    const request: ArpRepr = {
      operation: 'request',
      senderMac: card.mac,
      senderIp: card.ip,
      targetMac: UNKNOWN_MAC,
      targetIp: next.ip,
    };
    const reply: ArpRepr = {
      operation: 'reply',
      senderMac: next.mac,
      senderIp: next.ip,
      targetMac: card.mac,
      targetIp: card.ip,
    };
    // One frame on the link: numbered when on segment 0, lost when `loss` names that number.
    const put = (by: Card, to: string, dst: string, repr: ArpRepr, startNs: number): boolean => {
      this.nicFreeAt.set(by.key, startNs + arpNs);
      const wireIndex = counted ? ++this.wireCount : undefined;
      const lost = losable && wireIndex !== undefined && this.loss.has(wireIndex);
      frames.push({
        segment: next.segment,
        from: by.node,
        to,
        frame: encodeEthernet({ dst, src: repr.senderMac, etherType: ETHER_TYPES.ARP }, encodeArp(repr)),
        sentAt: startNs / NS_PER_MS,
        arrivesAt: (startNs + arpNs + (lost ? 0 : lat)) / NS_PER_MS,
        summary: describeArp(repr),
        ...(wireIndex !== undefined ? { wireIndex } : {}),
        ...(lost ? { lost } : {}),
      });
      return !lost;
    };
    let ask = at;
    for (let attempt = 1; attempt <= ARP_POLICY.requests; attempt++) {
      const reqStart = Math.max(ask, this.nicFreeAt.get(card.key) ?? 0);
      if (put(card, 'broadcast', BROADCAST, request, reqStart)) {
        const reqArrives = reqStart + arpNs + lat;
        if (!this.neighbours.has(`${next.key}>${card.ip}`))
          this.neighbours.set(`${next.key}>${card.ip}`, reqArrives);
        const repStart = Math.max(reqArrives, this.nicFreeAt.get(next.key) ?? 0);
        if (put(next, card.node, card.mac, reply, repStart)) {
          const readyNs = repStart + arpNs + lat;
          this.neighbours.set(key, readyNs);
          return { readyNs, frames };
        }
      }
      ask = reqStart + ARP_POLICY.retryNs;
    }
    this.unresolved.set(key, ask);
    return { readyNs: null, failedNs: ask, frames };
  }

  /**
   * The reset a host sends for a segment that belongs to no socket of its own: a CLOSED endpoint for that
   * four-tuple answers it (RFC 9293 §3.10.7.1) and stays, so later strays are answered the same way.
   */
  private resetFromNowhere(
    host: HostInfo,
    peer: HostInfo,
    packet: Packet,
    segment: TcpSegmentIn,
    connection: number,
  ): void {
    const s = new Socket(
      this,
      host,
      peer,
      (env) =>
        new TcpEndpoint(env, {
          connection,
          localPort: packet.tcp.dstPort,
          remotePort: packet.tcp.srcPort,
          iss: 0,
          mss: this.mss,
          tsOffset: 0,
        }),
    );
    this.sockets.set(this.key(host, packet.tcp.dstPort, peer, packet.tcp.srcPort), s);
    s.closedNotified = true;
    this.batch(s, () => s.tcp.segmentArrives(segment, this.now));
  }

  /** Linux gives each connected socket's packets consecutive IP IDs from a random start; per host here. */
  private nextIpId(host: HostInfo): number {
    const n = this.ipIds.get(host.id) ?? this.stream(`ip-id:${host.id}`).int(0, 0xffff);
    this.ipIds.set(host.id, (n + 1) & 0xffff);
    return n;
  }

  setTimer(socket: Socket, kind: TcpTimerKind, at: number | null): void {
    const t = socket.timers[kind];
    t.gen++;
    // A re-armed or disarmed timer's earlier event stays queued and is ignored when it fires.
    if (at !== null) this.push(at, { kind: 'timer', socket, timer: kind, gen: t.gen });
  }

  private deliver(packet: Packet, segment: TcpSegmentIn): void {
    const host = this.hosts.get(packet.to);
    const peer = this.hosts.get(packet.from);
    if (!host || !peer) return;
    const key = this.key(host, packet.tcp.dstPort, peer, packet.tcp.srcPort);
    let socket = this.sockets.get(key);
    let accepted: Listener | undefined;
    if (!socket) {
      accepted = this.listeners.find((l) => l.host.id === host.id && l.port === packet.tcp.dstPort);
      const connection =
        this.connectionOf.get(`${peer.id}:${packet.tcp.srcPort}>${host.id}:${packet.tcp.dstPort}`) ??
        this.connectionOf.get(`${host.id}:${packet.tcp.dstPort}>${peer.id}:${packet.tcp.srcPort}`);
      if (!accepted || !segment.flags.includes('SYN') || segment.flags.includes('ACK')) {
        this.observer.arrived(packet, null);
        // RFC 9293 §3.10.7.1: no connection and no listener for it (or a listener and not a SYN): the
        // receiving TCP answers with a reset, as Linux's tcp_v4_rcv does (tcp_v4_send_reset).
        if (connection !== undefined) this.resetFromNowhere(host, peer, packet, segment, connection);
        return;
      }
      socket = new Socket(
        this,
        host,
        peer,
        (env) =>
          new TcpEndpoint(env, {
            connection: connection ?? this.connections++,
            localPort: packet.tcp.dstPort,
            remotePort: packet.tcp.srcPort,
            iss: this.stream(`isn:${host.id}:${connection}`).next(),
            mss: this.mss,
            tsOffset: this.stream(`ts:${host.id}:${connection}`).next(),
          }),
      );
      this.sockets.set(key, socket);
      // The listening socket's own LISTEN state is the story's starting point, not an event.
      socket.pending = [];
      socket.tcp.listen();
      socket.pending = null;
    }
    const s = socket;
    const listener = accepted;
    this.batch(
      s,
      () => s.tcp.segmentArrives(segment, this.now),
      () => {
        this.observer.arrived(packet, s.tcp.view());
        if (listener) listener.accept(s);
      },
    );
  }
}

/**
 * `forwardAlong` over `legs`, for a packet to call when its hops are first read. Made here rather than as an
 * arrow in `transmit`'s object literal: tsx names such an arrow with a defineProperty, once per packet.
 */
function forwarder(legs: readonly Leg[]): (frame: Uint8Array) => PacketHop[] {
  return (frame) => forwardAlong(frame, legs);
}

/** The routers' copies of `frame` along `legs` (the first leg is the sender's own). */
function forwardAlong(frame: Uint8Array, legs: readonly Leg[]): PacketHop[] {
  const hops: PacketHop[] = [];
  let current = frame;
  for (let i = 1; i < legs.length; i++) {
    const leg = legs[i]!;
    const f = forwardFrame(current, leg.from.mac, leg.to.mac);
    current = f.frame;
    const hop: PacketHop = {
      at: leg.from.node,
      segment: leg.to.segment,
      frame: f.frame,
      ttl: f.ttl,
      receivedAt: legs[i - 1]!.arrivesNs / NS_PER_MS,
      sentAt: leg.startNs / NS_PER_MS,
      arrivesAt: leg.arrivesNs / NS_PER_MS,
    };
    hops.push(leg.arp.length > 0 ? { ...hop, arp: leg.arp } : hop);
  }
  return hops;
}

function tcpOptionsLength(tx: TcpTransmission): number {
  let n = 0;
  for (const o of tx.options) {
    switch (o.kind) {
      case 'eol':
      case 'nop':
        n += 1;
        break;
      case 'mss':
        n += 4;
        break;
      case 'window-scale':
        n += 3;
        break;
      case 'sack-permitted':
        n += 2;
        break;
      case 'sack':
        n += 2 + 8 * o.blocks.length;
        break;
      case 'timestamps':
        n += 10;
        break;
      case 'unknown':
        n += 2 + o.data.length;
        break;
    }
  }
  return Math.ceil(n / 4) * 4;
}
