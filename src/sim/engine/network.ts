/**
 * The network: a discrete-event simulation of hosts on one Ethernet segment.
 *
 * - Time is an integer number of nanoseconds (exact, so runs are bit-for-bit repeatable); packets and
 *   steps show it in milliseconds.
 * - Every host has one network card on a full-duplex 100 Mbit/s link. A frame occupies the card for
 *   its bytes plus preamble, start-of-frame delimiter, FCS and inter-frame gap (24 bytes) at 80 ns a
 *   byte, so back-to-back segments leave one after another; then it takes a fixed one-way latency of
 *   5 ms to arrive. Five milliseconds is slow for one cable, but it is a realistic Internet path and
 *   keeps the picture readable: a round trip is 10 ms.
 * - The hosts talk as if on one Ethernet segment (each frame is addressed to the other host's MAC; no
 *   router, no ARP: both neighbours are known), with documentation addresses (RFC 5737) and locally
 *   administered MACs.
 * - The k-th packet put on the wire (1-based, counting retransmissions) is lost once if the scenario
 *   lists k: it shows on the sender's side and never arrives.
 */
import { EventQueue } from './queue';
import { buildPacket } from './packet';
import { rngStream, type Rng } from './rng';
import {
  TcpEndpoint,
  type TcpEnv,
  type TcpEvent,
  type TcpSegmentIn,
  type TcpTimerKind,
  type TcpTransmission,
} from './tcp';
import type { HostInfo, Packet, TcpView } from '../types';

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

  /** Abort the connection (RFC 9293 §3.10.5 ABORT): a RST if synchronized, then CLOSED. */
  abort(): void {
    this.world.batch(this, () => this.tcp.abortByUser(this.world.now));
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
}

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
  private readonly maxEvents: number;
  /** True when the run stopped at `maxEvents`. */
  truncated = false;
  now = 0;

  constructor(o: WorldOptions) {
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

  /** Process events in time order until only passive ones (TIME_WAIT timers) are left. */
  run(): void {
    let count = 0;
    while (this.activeEvents > 0) {
      const next = this.queue.pop();
      if (!next) break;
      const e = next.value;
      if (!(e.kind === 'timer' && e.timer === 'time-wait') && !(e.kind === 'call' && e.passive))
        this.activeEvents--;
      this.now = next.time;
      if (++count > this.maxEvents) {
        this.truncated = true;
        break;
      }
      switch (e.kind) {
        case 'wire':
          this.observer.onWire(e.packet);
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
    const h = (): SocketHandlers => socket.handlers;
    const run = (f: () => void): void => {
      if (deferred.length > 0) deferred.push(f);
      else immediate.push(f);
    };
    for (const e of events) {
      switch (e.kind) {
        case 'state':
          this.observer.tcp(socket.host, socket, e);
          if ((e.to === 'CLOSED' || e.to === 'TIME_WAIT') && !socket.closedNotified) {
            socket.closedNotified = true;
            deferred.push(() => h().closed?.());
          }
          break;
        case 'rto':
        case 'fast-retransmit':
          this.observer.tcp(socket.host, socket, e);
          break;
        case 'aborted':
          this.observer.tcp(socket.host, socket, e);
          run(() => h().aborted?.(e.reason));
          break;
        case 'established':
          deferred.push(() => h().established?.());
          break;
        case 'eof':
          deferred.push(() => h().end?.());
          break;
        case 'data':
          run(() => h().data?.(e.bytes));
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
    const start = Math.max(this.now, this.nicFreeAt.get(from.id) ?? 0);
    const frameLength = 14 + 20 + 20 + tcpOptionsLength(tx) + tx.payload.length;
    const wireNs = transmissionNs(frameLength);
    this.nicFreeAt.set(from.id, start + wireNs);
    const lost = this.loss.has(id + 1) || this.linkDown.has(from.id) || this.linkDown.has(to.id);
    const original = tx.retransmits !== undefined ? this.packets[tx.retransmits] : undefined;
    const { packet, segment } = buildPacket({
      id,
      from,
      to,
      connection: socket.connection,
      sentAtNs: start,
      arrivesAtNs: start + wireNs + NETWORK.latencyNs,
      lost,
      identification: this.nextIpId(from),
      srcPort: socket.tcp.localPort,
      dstPort: socket.tcp.remotePort,
      tx,
      ...(original ? { original } : {}),
    });
    this.packets.push(packet);
    this.observer.sent(packet, socket.tcp.view(), tx.piece?.tag);
    if (start === this.now) this.observer.onWire(packet);
    else this.push(start, { kind: 'wire', packet });
    if (!lost) this.push(start + wireNs + NETWORK.latencyNs, { kind: 'arrive', packet, segment });
    return id;
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
