/**
 * Socket.IO v5 (socket.io 4 / socket.io-client 4) on top of the simulated Engine.IO, and the socketio
 * story that drives it from a scenario: one server, one to five browsers, named events with fan-out,
 * rooms, an acknowledgement, heartbeats, a network drop with reconnection, and polling-only sessions.
 *
 * The libraries' behaviour that shows on the wire, with its source:
 * - The client sends CONNECT (`40`) as soon as Engine.IO is open; the server answers `40{"sid":…}` with
 *   the socket's own id (not the Engine.IO sid, which stays secret), then runs io.on('connection').
 * - `socket.emit(ev, …args[, callback])` is one EVENT `42[…]` (with an ack id `42<id>[…]` when a
 *   callback is given, answered by ACK `43<id>[…]`). An emit while disconnected is kept in the socket's
 *   sendBuffer and sent after the next 'connect' (socket.io-client Socket#emit, #emitBuffered).
 * - Server fan-out: socket.emit reaches that socket, socket.broadcast.emit every other socket,
 *   io.emit every socket, io.to(room).emit the room's members, in the order they joined (the adapter's
 *   Set order). The packet is encoded once and written to each recipient's session.
 * - socket.join(room) sends nothing: rooms exist only on the server.
 * - socket.disconnect() sends DISCONNECT `41`, then the Manager closes Engine.IO.
 * - Reconnection (Manager): after a close it waits backoff.duration() (1000 ms × 2^attempt, ±50 %,
 *   at most 5000 ms), emits reconnect_attempt, opens a new Engine.IO session with a 20 s timeout; a
 *   failure emits connect_error and reconnect_error and schedules the next attempt, success 'reconnect'.
 */
import { base64Id, type EioHandshake } from '../../protocol/engineio';
import {
  decodeSioPacket,
  encodeSioPacket,
  SIO_PACKET_TYPES,
  type SioPacketRepr,
} from '../../protocol/socketio';
import type { Clock, SimTimer } from '../engine/clock';
import { EngineClient } from './engineio/client';
import { EngineServer, type EioServerOptions, type EioSession } from './engineio/server';
import { BrowserHttp, HTTP_EPOCH_MS, HttpServer, type OpenReason } from './http';
import { NS_PER_MS, type SecureTransport, type StreamSocket } from '../engine/network';
import { rngStream, type Rng } from '../engine/rng';
import type { EmitKind } from '../scenario';
import type { HostId, HostInfo } from '../types';

/** socket.io's defaults (engine.io 6): pingInterval 25 s, pingTimeout 20 s, maxHttpBufferSize 1e6. */
export const SIO_DEFAULTS = {
  pingIntervalMs: 25_000,
  pingTimeoutMs: 20_000,
  maxPayload: 1_000_000,
  /** Manager options: reconnectionDelay, reconnectionDelayMax, randomizationFactor, timeout. */
  reconnectionDelayMs: 1000,
  reconnectionDelayMaxMs: 5000,
  randomizationFactor: 0.5,
  connectTimeoutMs: 20_000,
  /** The server's connectTimeout (socket.io lib/index.ts default 45000): lib/client.ts closes a client without a namespace. */
  serverConnectTimeoutMs: 45_000,
} as const;

// ---- What the programs do, for the timeline ----

export type SioAppEvent =
  | { readonly kind: 'listen' }
  | { readonly kind: 'io'; readonly browser: HostId }
  | { readonly kind: 'handshake'; readonly browser: HostId; readonly handshake: EioHandshake }
  | { readonly kind: 'connection'; readonly browser: HostId; readonly socketId: string; readonly sid: string }
  | {
      readonly kind: 'connect';
      readonly browser: HostId;
      readonly socketId: string;
      /** Emits that waited in the sendBuffer and were just sent. */
      readonly flushed: number;
      readonly again: boolean;
    }
  | { readonly kind: 'upgrade'; readonly browser: HostId; readonly sid: string }
  | { readonly kind: 'upgrade-error'; readonly browser: HostId; readonly why: string }
  | {
      readonly kind: 'join';
      readonly browser: HostId;
      readonly room: string;
      readonly members: readonly HostId[];
    }
  | {
      readonly kind: 'client-emit';
      readonly browser: HostId;
      readonly event: string;
      readonly args: readonly unknown[];
      readonly ackId?: number;
      readonly buffered: boolean;
      readonly message?: number;
      readonly packet: string;
    }
  | {
      readonly kind: 'server-event';
      readonly browser: HostId;
      readonly event: string;
      readonly args: readonly unknown[];
      readonly ackId?: number;
      readonly message?: number;
    }
  | {
      readonly kind: 'fanout';
      /** The call the server program makes, e.g. `socket.broadcast.emit`. */
      readonly call: string;
      readonly emit: EmitKind;
      /** The browser whose socket the call is made on. */
      readonly from: HostId;
      readonly recipients: readonly HostId[];
      readonly connected: readonly HostId[];
      readonly event: string;
      readonly args: readonly unknown[];
      readonly message?: number;
      /** A push the server makes on its own (an `s:` message), not an answer to a client's event. */
      readonly push: boolean;
      readonly packet: string;
    }
  | {
      readonly kind: 'ack-reply';
      readonly browser: HostId;
      readonly ackId: number;
      readonly args: readonly unknown[];
      readonly packet: string;
    }
  | {
      readonly kind: 'client-event';
      readonly browser: HostId;
      readonly event: string;
      readonly args: readonly unknown[];
      readonly message?: number;
    }
  | {
      readonly kind: 'ack';
      readonly browser: HostId;
      readonly ackId: number;
      readonly args: readonly unknown[];
    }
  | { readonly kind: 'disconnect-call'; readonly browser: HostId }
  | { readonly kind: 'client-disconnect'; readonly browser: HostId; readonly reason: string }
  | {
      /** socket.io fires 'disconnecting' before the socket leaves its rooms (lib/socket.ts _onclose). */
      readonly kind: 'server-disconnecting';
      readonly browser: HostId;
      readonly socketId: string;
      readonly reason: string;
      /** socket.rooms at that moment: its own id first, then the rooms it joined. */
      readonly rooms: readonly string[];
    }
  | {
      readonly kind: 'server-disconnect';
      readonly browser: HostId;
      readonly socketId: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'network';
      readonly browser: HostId;
      readonly up: boolean;
      readonly waited?: boolean;
      /** The browser's own network (offline=): it fires offline/online. Otherwise a router on the path. */
      readonly offline?: boolean;
    }
  | {
      readonly kind: 'reconnect-attempt';
      readonly browser: HostId;
      readonly attempt: number;
      readonly delayMs: number;
    }
  | {
      readonly kind: 'connect-error';
      readonly browser: HostId;
      readonly message: string;
      /** The reconnection attempt that failed (0: the first connection). */
      readonly attempt: number;
      readonly nextDelayMs: number | null;
    }
  | { readonly kind: 'reconnect'; readonly browser: HostId; readonly attempt: number };

/** What the Socket.IO client tells the timeline. */
export interface SioClientObserver {
  app(e: SioAppEvent): void;
  /** A browser is about to open a TCP connection (its SYN follows at once). */
  connecting(browser: HostId, purpose: 'http' | 'websocket', reason: OpenReason | 'websocket'): void;
}

// ---- The server ----

export class SioServerSocket {
  connected = true;
  readonly rooms = new Set<string>();

  constructor(
    readonly id: string,
    readonly session: EioSession,
  ) {}

  get browser(): HostId {
    return this.session.browser;
  }
}

/** What server.js does with its sockets (the story fills it in). */
export interface SioServerApp {
  connection(socket: SioServerSocket): void;
  event(
    socket: SioServerSocket,
    event: string,
    args: readonly unknown[],
    ack: ((...args: unknown[]) => void) | null,
    ackId: number | undefined,
  ): void;
  disconnect(socket: SioServerSocket, reason: string): void;
  /** The reserved 'disconnecting' event: the socket is closing but has not left its rooms yet. */
  disconnecting?(socket: SioServerSocket, reason: string): void;
}

export class SioServer {
  /** Connected sockets of the main namespace, in connection order. */
  readonly sockets: SioServerSocket[] = [];
  readonly engine: EngineServer;
  /** The HTTP server socket.io listens on, unless another program's server hands it requests. */
  readonly http: HttpServer | null;
  private socketCount = 0;
  app: SioServerApp = { connection: () => {}, event: () => {}, disconnect: () => {} };
  /**
   * socket.io's connectTimeout (lib/client.ts setup): a session that has joined no namespace after this long is
   * closed ("forced close"). Off unless set, so that the stories whose clients CONNECT at once keep no timer.
   */
  connectTimeoutMs: number | null = null;

  constructor(
    readonly clock: Clock,
    readonly host: HostInfo,
    options: EioServerOptions,
    browserOf: (socket: StreamSocket) => HostId,
    /** The port its own HTTP server listens on; null when another program's server hands it requests. */
    port: number | null,
    secure: SecureTransport | null = null,
  ) {
    this.engine = new EngineServer(clock, host, options, browserOf);
    this.http = port === null ? null : new HttpServer(clock.world, host, port, this.engine, secure);
    this.engine.hooks = { connection: (session) => this.onSession(session) };
  }

  /** io.engine.clientsCount: Engine.IO sessions open. */
  get clientsCount(): number {
    return this.engine.sessions.size;
  }

  private onSession(session: EioSession): void {
    let socket: SioServerSocket | null = null;
    const timeout = this.connectTimeoutMs;
    // lib/client.ts setup(): `if (this.nsps.size === 0) this.close()`, which closes the Engine.IO socket.
    const connectTimer =
      timeout === null
        ? null
        : this.clock.timer(timeout * NS_PER_MS, () => {
            if (!socket && session.readyState === 'open') session.close();
          });
    session.hooks = {
      message: (data) => {
        const d = decodeSioPacket(data);
        if (!d.ok) return;
        const p = d.repr;
        switch (p.type) {
          case SIO_PACKET_TYPES.CONNECT:
            if (socket) return;
            // socket.io runs the namespace's middlewares first (a promise): the answer comes a turn later.
            this.clock.nextTurn(() => {
              if (session.readyState !== 'open' || socket) return;
              connectTimer?.cancel();
              socket = this.connect(session);
            });
            break;
          case SIO_PACKET_TYPES.EVENT: {
            const s = socket;
            if (!s || !s.connected || !Array.isArray(p.data)) return;
            const [event, ...args] = p.data as unknown[];
            const id = p.id;
            const ack =
              id === undefined
                ? null
                : (...reply: unknown[]): void => {
                    this.send(s, { type: SIO_PACKET_TYPES.ACK, nsp: '/', id, data: reply });
                  };
            this.app.event(s, String(event), args, ack, id);
            break;
          }
          case SIO_PACKET_TYPES.DISCONNECT:
            if (socket?.connected) this.onclose(socket, 'client namespace disconnect');
            break;
          default:
            break;
        }
      },
      close: (reason) => {
        connectTimer?.cancel();
        if (socket?.connected) this.onclose(socket, reason);
      },
    };
  }

  private connect(session: EioSession): SioServerSocket {
    const n = this.socketCount++;
    // socket.id is a fresh base64id, not the Engine.IO sid ("don't reuse the Engine.IO id because it's
    // sensitive information").
    const id = base64Id(rngStream(this.clock.world.seed, `sio-id:${n}`).bytes(12), n);
    const socket = new SioServerSocket(id, session);
    socket.rooms.add(id);
    this.sockets.push(socket);
    this.send(socket, { type: SIO_PACKET_TYPES.CONNECT, nsp: '/', data: { sid: id } });
    this.app.connection(socket);
    return socket;
  }

  private onclose(socket: SioServerSocket, reason: string): void {
    // socket.io lib/socket.ts _onclose(): emitReserved("disconnecting") first, while socket.rooms still holds
    // every room; then _cleanup() (leaveAll) and emitReserved("disconnect"): socket.io's order.
    this.app.disconnecting?.(socket, reason);
    socket.connected = false;
    socket.rooms.clear();
    const i = this.sockets.indexOf(socket);
    if (i >= 0) this.sockets.splice(i, 1);
    this.app.disconnect(socket, reason);
  }

  send(socket: SioServerSocket, p: SioPacketRepr): string {
    const text = encodeSioPacket(p);
    socket.session.sendPacket({ type: 'message', data: text });
    return text;
  }

  /** Sockets an emit of this kind reaches, from `socket`'s point of view, in the adapter's order. */
  recipients(kind: EmitKind, socket: SioServerSocket | null, room: string): SioServerSocket[] {
    switch (kind) {
      case 'socket':
        return socket && socket.connected ? [socket] : [];
      case 'broadcast':
        return this.sockets.filter((s) => s !== socket);
      case 'io':
        return [...this.sockets];
      case 'room':
        return this.sockets.filter((s) => s.rooms.has(room));
    }
  }

  /** Encode the EVENT once and write it to every recipient's session. */
  emitTo(sockets: readonly SioServerSocket[], event: string, args: readonly unknown[]): string {
    const text = encodeSioPacket({ type: SIO_PACKET_TYPES.EVENT, nsp: '/', data: [event, ...args] });
    for (const s of sockets) s.session.sendPacket({ type: 'message', data: text });
    return text;
  }

  join(socket: SioServerSocket, room: string): void {
    socket.rooms.add(room);
  }
}

// ---- The browser: Manager and Socket ----

/** socket.io-client's Backoff: min × factor^attempts, randomised by ±jitter, capped at max. */
export class Backoff {
  attempts = 0;

  constructor(
    private readonly rng: Rng,
    readonly min = SIO_DEFAULTS.reconnectionDelayMs,
    readonly max = SIO_DEFAULTS.reconnectionDelayMaxMs,
    readonly jitter = SIO_DEFAULTS.randomizationFactor,
  ) {}

  duration(): number {
    let ms = this.min * Math.pow(2, this.attempts++);
    const rand = this.rng.next() / 0x100000000;
    const deviation = Math.floor(rand * this.jitter * ms);
    ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
    return Math.min(ms, this.max) | 0;
  }

  reset(): void {
    this.attempts = 0;
  }
}

/** What client.js does with its socket (the story fills it in). */
export interface SioClientApp {
  connect(): void;
  event(event: string, args: readonly unknown[]): void;
  disconnect(reason: string): void;
}

/**
 * One browser's `io()`: a Manager (the Engine.IO session, reconnection) with the main namespace's
 * Socket (connect, emit, acks, the send buffer).
 */
export class SioClient {
  // Manager
  engine: EngineClient | null = null;
  private engines = 0;
  private managerState: 'opening' | 'open' | 'closed' = 'closed';
  private reconnecting = false;
  private skipReconnect = false;
  private readonly backoff: Backoff;
  private openTimer: SimTimer | null = null;
  readonly http: BrowserHttp;
  // Socket
  connected = false;
  id: string | null = null;
  private sendBuffer: SioPacketRepr[] = [];
  private readonly acks = new Map<number, (...args: unknown[]) => void>();
  private ids = 0;
  private everConnected = false;
  /** The user called disconnect(): no reconnection. */
  disconnectedByUser = false;
  app: SioClientApp = { connect: () => {}, event: () => {}, disconnect: () => {} };

  constructor(
    readonly clock: Clock,
    readonly host: HostInfo,
    server: HostInfo,
    port: number,
    private readonly obs: SioClientObserver,
    secure: SecureTransport | null = null,
  ) {
    this.backoff = new Backoff(rngStream(clock.world.seed, `backoff:${host.id}`));
    this.http = new BrowserHttp(
      clock.world,
      host,
      server,
      port,
      { opening: (reason) => obs.connecting(host.id, 'http', reason) },
      secure,
    );
  }

  get transport(): 'polling' | 'websocket' | undefined {
    return this.engine?.readyState === 'open' ? this.engine.transportName : undefined;
  }

  /** `io()`: the Manager opens Engine.IO; the Socket connects once it is open. */
  start(): void {
    this.obs.app({ kind: 'io', browser: this.host.id });
    this.open(null);
  }

  /** Manager#open. `done` is the reconnection's callback; without it a failure may start reconnecting. */
  private open(done: ((err: string | null) => void) | null): void {
    this.skipReconnect = false;
    this.managerState = 'opening';
    const engine = new EngineClient(
      this.clock,
      this.host,
      this.http,
      { upgrade: true },
      this.engines++,
      HTTP_EPOCH_MS,
    );
    this.engine = engine;
    let settled = false;
    const onError = (why: string): void => {
      if (settled) return;
      settled = true;
      this.openTimer?.cancel();
      this.managerState = 'closed';
      const attempt = done ? this.backoff.attempts : 0;
      if (done) {
        done(why);
      } else {
        // Manager#maybeReconnectOnOpen: only the first connection starts reconnecting by itself.
        const next = !this.reconnecting && this.backoff.attempts === 0 ? this.reconnect() : null;
        this.reportConnectError(why, attempt, next);
      }
    };
    engine.hooks = {
      open: (h) => {
        if (settled) return;
        settled = true;
        this.openTimer?.cancel();
        this.obs.app({ kind: 'handshake', browser: this.host.id, handshake: h });
        this.managerState = 'open';
        done?.(null);
        this.onopen();
      },
      error: (why) => {
        if (!settled) onError(why);
      },
      close: (reason) => {
        if (settled && this.engine === engine && this.managerState === 'open') this.onEngineClose(reason);
      },
      message: (data) => this.ondata(data),
      upgrade: () => {
        this.obs.app({ kind: 'upgrade', browser: this.host.id, sid: engine.id ?? '' });
      },
      upgradeError: (why) => this.obs.app({ kind: 'upgrade-error', browser: this.host.id, why }),
      probing: () => this.obs.connecting(this.host.id, 'websocket', 'websocket'),
      ping: () => {},
    };
    engine.open();
    this.openTimer = this.clock.timer(SIO_DEFAULTS.connectTimeoutMs * NS_PER_MS, () => {
      onError('timeout');
      engine.destroy('forced close');
    });
  }

  private reportConnectError(message: string, attempt: number, nextDelayMs: number | null): void {
    this.obs.app({ kind: 'connect-error', browser: this.host.id, message, attempt, nextDelayMs });
  }

  /** Manager#reconnect: schedules the next attempt; returns its delay (null when none is scheduled). */
  private reconnect(): number | null {
    if (this.reconnecting || this.skipReconnect) return null;
    const delay = this.backoff.duration();
    this.reconnecting = true;
    this.clock.timer(delay * NS_PER_MS, () => {
      if (this.skipReconnect) return;
      const attempt = this.backoff.attempts;
      this.obs.app({ kind: 'reconnect-attempt', browser: this.host.id, attempt, delayMs: delay });
      this.open((err) => {
        if (err !== null) {
          this.reconnecting = false;
          const next = this.reconnect();
          this.reportConnectError(err, attempt, next);
        } else {
          this.reconnecting = false;
          this.backoff.reset();
          this.obs.app({ kind: 'reconnect', browser: this.host.id, attempt });
        }
      });
    });
    return delay;
  }

  /** Manager#onopen → Socket#onopen: send CONNECT for the main namespace. */
  private onopen(): void {
    this.packet({ type: SIO_PACKET_TYPES.CONNECT, nsp: '/' });
  }

  private packet(p: SioPacketRepr): string {
    const text = encodeSioPacket(p);
    this.engine?.write(text);
    return text;
  }

  /** Manager#ondata: socket.io-parser decodes, then the packet is emitted on the next tick. */
  private ondata(data: string): void {
    const d = decodeSioPacket(data);
    if (!d.ok) return;
    const p = d.repr;
    this.clock.nextTurn(() => this.onpacket(p));
  }

  private onpacket(p: SioPacketRepr): void {
    switch (p.type) {
      case SIO_PACKET_TYPES.CONNECT: {
        const sid = (p.data as { sid?: unknown } | undefined)?.sid;
        if (typeof sid === 'string') this.onconnect(sid);
        break;
      }
      case SIO_PACKET_TYPES.EVENT: {
        if (!this.connected || !Array.isArray(p.data)) return;
        const [event, ...args] = p.data as unknown[];
        this.app.event(String(event), args);
        break;
      }
      case SIO_PACKET_TYPES.ACK: {
        const fn = p.id !== undefined ? this.acks.get(p.id) : undefined;
        if (!fn || p.id === undefined) return;
        this.acks.delete(p.id);
        fn(...(Array.isArray(p.data) ? (p.data as unknown[]) : []));
        break;
      }
      default:
        break;
    }
  }

  /** Socket#onconnect: connected, the buffered emits go out, then 'connect' fires. */
  private onconnect(id: string): void {
    this.id = id;
    this.connected = true;
    const buffered = this.sendBuffer;
    this.sendBuffer = [];
    for (const p of buffered) this.packet(p);
    this.obs.app({
      kind: 'connect',
      browser: this.host.id,
      socketId: id,
      flushed: buffered.length,
      again: this.everConnected,
    });
    this.everConnected = true;
    this.app.connect();
  }

  /** The Engine.IO session closed (Manager#onclose → Socket#onclose), then maybe reconnect. */
  private onEngineClose(reason: string): void {
    this.managerState = 'closed';
    this.backoff.reset();
    if (this.connected) this.onclose(reason);
    if (!this.skipReconnect) this.reconnect();
  }

  private onclose(reason: string): void {
    this.connected = false;
    this.id = null;
    // socket.io-client drops the callbacks of acks not waiting in the buffer (Socket#_clearAcks).
    for (const id of [...this.acks.keys()]) {
      if (!this.sendBuffer.some((p) => p.id === id)) this.acks.delete(id);
    }
    this.obs.app({ kind: 'client-disconnect', browser: this.host.id, reason });
    this.app.disconnect(reason);
  }

  /**
   * `socket.emit(event, ...args[, ack])`. Returns the packet's text and whether it waited in the
   * buffer (not connected).
   */
  emit(
    event: string,
    args: readonly unknown[],
    ack: ((...reply: unknown[]) => void) | null,
    announce?: (info: { text: string; buffered: boolean; ackId?: number }) => void,
  ): { text: string; buffered: boolean; ackId?: number } {
    const p: { -readonly [K in keyof SioPacketRepr]: SioPacketRepr[K] } = {
      type: SIO_PACKET_TYPES.EVENT,
      nsp: '/',
      data: [event, ...args],
    };
    if (ack) {
      const id = this.ids++;
      this.acks.set(id, ack);
      p.id = id;
    }
    const text = encodeSioPacket(p);
    const live = this.connected && this.engine?.readyState === 'open';
    const info = { text, buffered: !live, ...(p.id !== undefined ? { ackId: p.id } : {}) };
    announce?.(info);
    if (live) this.packet(p);
    else this.sendBuffer.push(p);
    return info;
  }

  /**
   * The browser's own network goes down (`up` false) or comes back. Going down, the window fires `offline`:
   * engine.io-client's listener (lib/socket.ts, added when the host is not localhost) calls
   * onClose("transport close", { description: "network connection lost" }) at once, which closes the
   * transport the ordinary way (a WebSocket's close(): a Close frame, which the dead link will hold up);
   * no heartbeat is waited for. The Manager then reconnects with its backoff; while offline Chrome fails each
   * attempt's request at once (BrowserHttp.offline). Coming back, Chrome fires `online`, which neither
   * engine.io-client nor socket.io-client listens for: the next scheduled attempt simply succeeds.
   */
  network(up: boolean): void {
    this.http.offline = !up;
    if (!up && this.engine?.readyState === 'open') this.engine.onClose('transport close', false);
  }

  /** `socket.disconnect()`: DISCONNECT if connected, then the Manager closes Engine.IO for good. */
  disconnect(): void {
    this.disconnectedByUser = true;
    const was = this.connected;
    if (was) this.packet({ type: SIO_PACKET_TYPES.DISCONNECT, nsp: '/' });
    this.skipReconnect = true;
    this.reconnecting = false;
    this.managerState = 'closed';
    this.openTimer?.cancel();
    this.engine?.close();
    if (was) this.onclose('io client disconnect');
  }
}
