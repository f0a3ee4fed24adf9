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
import {
  Clock,
  EngineClient,
  EngineServer,
  type EioServerOptions,
  type EioSession,
  type SimTimer,
} from './engineio';
import { BrowserHttp, HTTP_EPOCH_MS, HttpServer, type OpenReason } from './http';
import { NS_PER_MS, SERVER_HOST, type Socket, type World } from '../engine/network';
import { rngStream, type Rng } from '../engine/rng';
import type { EmitKind, Scenario } from '../scenario';
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
} as const;

export const SIO_STORY = {
  /** Pause between one action being done and the next (ms of simulated time). */
  thinkNs: 20 * NS_PER_MS,
  port: 80,
  room: 'room1',
  joinEvent: 'join room',
  ackEvent: 'users online',
  /** How long the network stays down when nothing tries to reconnect. */
  fallbackOutageNs: 30_000 * NS_PER_MS,
  /** A run still going after this much simulated time has stalled: everyone disconnects. */
  giveUpNs: 15 * 60_000 * NS_PER_MS,
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
      readonly kind: 'server-disconnect';
      readonly browser: HostId;
      readonly socketId: string;
      readonly reason: string;
    }
  | { readonly kind: 'network'; readonly browser: HostId; readonly up: boolean; readonly waited?: boolean }
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

export type SioChapterId =
  | 'eio-handshake'
  | 'sio-connect'
  | 'more-browsers'
  | 'sio-events'
  | 'heartbeat'
  | 'reconnect'
  | 'sio-disconnect'
  | 'tcp-teardown';

export interface SioObserver {
  app(e: SioAppEvent): void;
  /** The story moved on to this chapter (chapters only go forward). */
  chapter(id: SioChapterId): void;
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
}

export class SioServer {
  /** Connected sockets of the main namespace, in connection order. */
  readonly sockets: SioServerSocket[] = [];
  readonly engine: EngineServer;
  /** The HTTP server socket.io listens on, unless another program's server hands it requests. */
  readonly http: HttpServer | null;
  private socketCount = 0;
  app: SioServerApp = { connection: () => {}, event: () => {}, disconnect: () => {} };

  constructor(
    readonly clock: Clock,
    readonly host: HostInfo,
    options: EioServerOptions,
    browserOf: (socket: Socket) => HostId,
    listen = true,
  ) {
    this.engine = new EngineServer(clock, host, options, browserOf);
    this.http = listen ? new HttpServer(clock.world, host, SIO_STORY.port, this.engine) : null;
    this.engine.hooks = { connection: (session) => this.onSession(session) };
  }

  /** io.engine.clientsCount: Engine.IO sessions open. */
  get clientsCount(): number {
    return this.engine.sessions.size;
  }

  private onSession(session: EioSession): void {
    let socket: SioServerSocket | null = null;
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
    private readonly obs: SioObserver,
  ) {
    this.backoff = new Backoff(rngStream(clock.world.seed, `backoff:${host.id}`));
    this.http = new BrowserHttp(clock.world, host, server, SIO_STORY.port, {
      opening: (reason) => obs.connecting(host.id, 'http', reason),
    });
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

// ---- The story ----

/** The hosts of a run: the server and `clients` browsers ('client', 'client-2' … 'client-5'). */
export function socketIoHosts(clients: number): { browsers: HostInfo[]; server: HostInfo } {
  const browsers: HostInfo[] = [];
  const n = Math.max(1, Math.min(5, Math.floor(clients)));
  for (let i = 0; i < n; i++) {
    browsers.push({
      id: i === 0 ? 'client' : `client-${i + 1}`,
      label: n === 1 ? 'Browser' : `Browser ${i + 1}`,
      role: 'client',
      mac: `02:00:00:00:00:${(0x0a + i).toString(16).padStart(2, '0')}`,
      ip: `192.0.2.${10 + i}`,
    });
  }
  return { browsers, server: SERVER_HOST };
}

/** Browsers that join the room when emit=room: the first, third and fifth. */
export function joinsRoom(index: number): boolean {
  return index % 2 === 0;
}

/** The server call for an emit kind, as server.js writes it. */
export function emitCall(kind: EmitKind): string {
  switch (kind) {
    case 'socket':
      return 'socket.emit';
    case 'broadcast':
      return 'socket.broadcast.emit';
    case 'io':
      return 'io.emit';
    case 'room':
      return `io.to('${SIO_STORY.room}').emit`;
  }
}

/** The event names of a run: the link's `ev=` for messages, and two of the story's own that never collide with it. */
export function storyEvents(scenario: Scenario): {
  readonly event: string;
  readonly join: string;
  readonly ack: string;
} {
  const event = scenario.event;
  return {
    event,
    join: event === 'join room' ? 'join the room' : 'join room',
    ack: event === 'users online' ? 'how many online' : 'users online',
  };
}

type Action =
  | { readonly kind: 'message'; readonly index: number }
  | { readonly kind: 'ack' }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'disconnect'; readonly browser: number };

export interface SioStory {
  readonly server: SioServer;
  readonly clients: readonly SioClient[];
  readonly hosts: readonly HostInfo[];
  /** The timeline calls this after each step it records: `drop=<step>` breaks the network after it. */
  afterStep(count: number): void;
  /** 'chat message' events each browser's page received, in order (scenario message index and text). */
  readonly received: ReadonlyMap<HostId, readonly { readonly message: number; readonly text: string }[]>;
  /** Start: the server listens and Browser 1 runs io(). */
  start(): void;
}

/**
 * Run the socketio story on `world`. The server listens; the browsers open one after another (each once
 * the previous one is connected and upgraded); when all are in (and in their room), the scenario's
 * messages follow in order, each THINK after the previous one has reached every recipient: `c:` ones
 * Browser 1 emits and the server fans out per `emit`, `s:` ones the server emits on Browser 1's socket
 * per `emit`. Then Browser 1 asks a question with an acknowledgement, waits for a heartbeat (`ping`),
 * and the browsers disconnect one after another.
 *
 * `drop=<step>`: Browser 1's network path breaks right after that step, or, if an event is on its way
 * then, as soon as it has arrived (Socket.IO does not resend an event lost in a dead connection unless
 * connection-state recovery or retries are configured, and this story delivers every event once). The
 * user waits until the page notices (ping timeout), then keeps typing: those emits wait in the send
 * buffer. The path comes back when the Manager's first reconnection attempt has failed (or after 30 s
 * if nothing tries to reconnect); the next attempt succeeds and the buffer is sent.
 */
export function runSocketIoStory(
  world: World,
  scenario: Scenario,
  observer: SioObserver,
  clock: Clock,
): SioStory {
  const { browsers, server: serverHost } = socketIoHosts(scenario.clients);
  const polling = scenario.transport === 'polling';
  const names = storyEvents(scenario);
  const event = names.event;
  const room = SIO_STORY.room;
  const emitKind = scenario.emit;

  // Deliveries the script waits for: per browser, the scenario message of each 'chat message' on its way.
  const expected = new Map<HostId, number[]>(browsers.map((h) => [h.id, []]));
  const serverSideMessage = new Map<HostId, number[]>(browsers.map((h) => [h.id, []]));
  const pendingOf = new Map<number, number>();
  const received = new Map<HostId, { message: number; text: string }[]>(browsers.map((h) => [h.id, []]));
  let outstanding = 0;
  let pendingAck = false;
  let joinedCount = 0;
  const joiners = browsers.filter((_, i) => emitKind === 'room' && joinsRoom(i)).length;
  const upgradeFailed = new Set<HostId>();
  let sawFirstHandshake = false;

  // Everything the programs report goes to the timeline, and the script reacts to some of it.
  const obs: SioObserver = {
    app: (e) => {
      if (e.kind === 'io' && e.browser !== browsers[0]!.id) observer.chapter('more-browsers');
      observer.app(e);
      react(e);
    },
    chapter: (id) => observer.chapter(id),
    connecting: (b, purpose, reason) => observer.connecting(b, purpose, reason),
  };

  const server = new SioServer(
    clock,
    serverHost,
    {
      pingIntervalMs: SIO_DEFAULTS.pingIntervalMs,
      pingTimeoutMs: SIO_DEFAULTS.pingTimeoutMs,
      maxPayload: SIO_DEFAULTS.maxPayload,
      transports: polling ? ['polling'] : ['polling', 'websocket'],
    },
    (socket) => socket.peer.id,
  );
  const clients = browsers.map((h) => new SioClient(clock, h, serverHost, obs));
  const first = clients[0]!;

  // ---- server.js ----
  server.app = {
    connection: (socket) => {
      obs.app({ kind: 'connection', browser: socket.browser, socketId: socket.id, sid: socket.session.sid });
    },
    event: (socket, name, args, ack, ackId) => {
      const index = name === event ? serverSideMessage.get(socket.browser)?.shift() : undefined;
      obs.app({
        kind: 'server-event',
        browser: socket.browser,
        event: name,
        args,
        ...(ackId !== undefined ? { ackId } : {}),
        ...(index !== undefined ? { message: index } : {}),
      });
      if (name === event) {
        fanOut(socket, args, index, false);
      } else if (name === names.join && typeof args[0] === 'string') {
        const r = args[0];
        server.join(socket, r);
        joinedCount++;
        obs.app({
          kind: 'join',
          browser: socket.browser,
          room: r,
          members: server.sockets.filter((s) => s.rooms.has(r)).map((s) => s.browser),
        });
        poke();
      } else if (name === names.ack && ack && ackId !== undefined) {
        const reply = [server.clientsCount];
        obs.app({
          kind: 'ack-reply',
          browser: socket.browser,
          ackId,
          args: reply,
          packet: encodeSioPacket({ type: SIO_PACKET_TYPES.ACK, nsp: '/', id: ackId, data: reply }),
        });
        ack(...reply);
      }
    },
    disconnect: (socket, reason) => {
      obs.app({ kind: 'server-disconnect', browser: socket.browser, socketId: socket.id, reason });
      if (disconnectWait === socket.browser) {
        disconnectWait = null;
        if (next >= actions.length) obs.chapter('tcp-teardown');
        done();
      }
    },
  };

  // The heartbeat action waits for Browser 1's next pong to reach the server.
  const sessionHooks = server.engine.hooks.connection;
  server.engine.hooks = {
    connection: (session) => {
      sessionHooks(session);
      const hooks = session.hooks;
      session.hooks = {
        ...hooks,
        ping: () => {
          hooks.ping?.();
          if (session.browser === first.host.id && heartbeatWait) obs.chapter('heartbeat');
        },
        pong: () => {
          hooks.pong?.();
          if (session.browser === first.host.id && heartbeatWait) {
            heartbeatWait = false;
            done();
          }
        },
      };
    },
  };

  function fanOut(
    from: SioServerSocket | null,
    args: readonly unknown[],
    index: number | undefined,
    push: boolean,
  ): void {
    const recipients = server.recipients(emitKind, from, room);
    const text = encodeSioPacket({ type: SIO_PACKET_TYPES.EVENT, nsp: '/', data: [event, ...args] });
    obs.app({
      kind: 'fanout',
      call: emitCall(emitKind),
      emit: emitKind,
      from: from?.browser ?? first.host.id,
      recipients: recipients.map((s) => s.browser),
      connected: server.sockets.map((s) => s.browser),
      event,
      args,
      ...(index !== undefined ? { message: index } : {}),
      push,
      packet: text,
    });
    server.emitTo(recipients, event, args);
    if (index === undefined) return;
    for (const r of recipients) expected.get(r.browser)!.push(index);
    pendingOf.set(index, (pendingOf.get(index) ?? 0) + recipients.length);
    outstanding += recipients.length;
    delivered(index, false);
  }

  function delivered(index: number, counted: boolean): void {
    if (counted) {
      outstanding--;
      pendingOf.set(index, (pendingOf.get(index) ?? 1) - 1);
    }
    if ((pendingOf.get(index) ?? 0) === 0 && awaiting === index) {
      awaiting = null;
      done();
      return;
    }
    maybeDrop();
    poke();
  }

  // ---- client.js in each browser ----
  clients.forEach((c, i) => {
    c.app = {
      connect: () => {
        if (emitKind === 'room' && joinsRoom(i)) {
          c.emit(names.join, [room], null, (r) =>
            obs.app({
              kind: 'client-emit',
              browser: c.host.id,
              event: names.join,
              args: [room],
              buffered: r.buffered,
              packet: r.text,
            }),
          );
        }
        poke();
      },
      event: (name, args) => {
        const index = name === event ? expected.get(c.host.id)!.shift() : undefined;
        obs.app({
          kind: 'client-event',
          browser: c.host.id,
          event: name,
          args,
          ...(index !== undefined ? { message: index } : {}),
        });
        if (index !== undefined) {
          received.get(c.host.id)!.push({ message: index, text: String(args[0]) });
          delivered(index, true);
        }
      },
      disconnect: () => poke(),
    };
  });

  function react(e: SioAppEvent): void {
    if (e.kind === 'handshake' && e.browser === first.host.id && !sawFirstHandshake) {
      sawFirstHandshake = true;
      observer.chapter('sio-connect');
    }
    if (e.kind === 'upgrade-error') upgradeFailed.add(e.browser);
    if (e.kind === 'connect-error' && e.browser === first.host.id && down && e.attempt > 0) restore();
    if (e.kind === 'upgrade' || e.kind === 'reconnect' || e.kind === 'upgrade-error') poke();
  }

  // ---- The script ----
  const actions: Action[] = scenario.messages.map((_, index) => ({ kind: 'message', index }));
  actions.push({ kind: 'ack' });
  if (scenario.ping) actions.push({ kind: 'heartbeat' });
  clients.forEach((_, i) => actions.push({ kind: 'disconnect', browser: i }));
  let next = 0;
  let running = false;
  let waiting = false;
  let awaiting: number | null = null;
  let disconnectWait: HostId | null = null;
  let heartbeatWait = false;
  let setupDone = false;
  let opened = 1;

  const settled = (c: SioClient): boolean =>
    c.connected && (polling || c.engine?.transportName === 'websocket' || upgradeFailed.has(c.host.id));

  function setupProgress(): void {
    // The browsers open one after another: the next once the previous one is connected and upgraded.
    const last = clients[opened - 1]!;
    if (opened < clients.length && settled(last)) {
      const c = clients[opened++]!;
      clock.timer(SIO_STORY.thinkNs, () => c.start());
      return;
    }
    if (opened === clients.length && clients.every(settled) && joinedCount >= joiners && !down) {
      setupDone = true;
      obs.chapter('sio-events');
      clock.timer(SIO_STORY.thinkNs, act);
    }
  }

  function ready(a: Action): boolean {
    // While the page has not noticed that the network is gone, the user waits.
    if (down && first.connected) return false;
    switch (a.kind) {
      case 'message':
        return scenario.messages[a.index]!.from === 'c' || (first.connected && !down);
      case 'ack':
        return true;
      case 'heartbeat':
        return first.connected && !down;
      case 'disconnect':
        return !down && outstanding === 0 && !pendingAck && clients[a.browser]!.connected;
    }
  }

  function poke(): void {
    if (!setupDone) {
      setupProgress();
      return;
    }
    if (waiting && !running) {
      // The user resumes a moment after the page shows the change.
      waiting = false;
      clock.timer(SIO_STORY.thinkNs, act);
    }
  }

  function done(): void {
    running = false;
    maybeDrop();
    clock.timer(SIO_STORY.thinkNs, act);
  }

  function act(): void {
    if (running) return;
    const a = actions[next];
    if (!a) return;
    if (!ready(a)) {
      waiting = true;
      return;
    }
    next++;
    running = true;
    switch (a.kind) {
      case 'message': {
        const m = scenario.messages[a.index]!;
        if (m.from === 'c') {
          serverSideMessage.get(first.host.id)!.push(a.index);
          // On its way from now on: the network does not break under it (see maybeDrop).
          awaiting = a.index;
          const r = first.emit(event, [m.text], null, (info) =>
            obs.app({
              kind: 'client-emit',
              browser: first.host.id,
              event,
              args: [m.text],
              buffered: info.buffered,
              message: a.index,
              packet: info.text,
            }),
          );
          if (r.buffered) {
            awaiting = null;
            done();
          }
        } else {
          awaiting = a.index;
          fanOut(server.sockets.find((s) => s.browser === first.host.id) ?? null, [m.text], a.index, true);
        }
        break;
      }
      case 'ack': {
        pendingAck = true;
        let buffered = false;
        let ackId = 0;
        first.emit(
          names.ack,
          [],
          (...reply: unknown[]) => {
            pendingAck = false;
            obs.app({ kind: 'ack', browser: first.host.id, ackId, args: reply });
            if (!buffered) done();
            else {
              maybeDrop();
              poke();
            }
          },
          (info) => {
            buffered = info.buffered;
            ackId = info.ackId ?? 0;
            obs.app({
              kind: 'client-emit',
              browser: first.host.id,
              event: names.ack,
              args: [],
              ackId,
              buffered,
              packet: info.text,
            });
          },
        );
        if (buffered) done();
        break;
      }
      case 'heartbeat':
        heartbeatWait = true;
        break;
      case 'disconnect': {
        const c = clients[a.browser]!;
        if (a.browser === 0) obs.chapter('sio-disconnect');
        disconnectWait = c.host.id;
        obs.app({ kind: 'disconnect-call', browser: c.host.id });
        c.disconnect();
        break;
      }
    }
  }

  // ---- drop=<step>: Browser 1's network path breaks ----
  let dropArmed = false;
  let dropDone = false;
  let down = false;

  function maybeDrop(): void {
    if (!dropArmed || dropDone) return;
    if (outstanding > 0 || pendingAck || awaiting !== null) return;
    dropArmed = false;
    dropDone = true;
    down = true;
    world.setLinkDown(first.host.id, true);
    observer.chapter('reconnect');
    obs.app({ kind: 'network', browser: first.host.id, up: false });
    if (first.disconnectedByUser) clock.timer(SIO_STORY.fallbackOutageNs, restore);
  }

  function restore(): void {
    if (!down) return;
    down = false;
    world.setLinkDown(first.host.id, false);
    obs.app({ kind: 'network', browser: first.host.id, up: true });
    poke();
  }

  return {
    start(): void {
      obs.chapter('eio-handshake');
      obs.app({ kind: 'listen' });
      first.start();
      // A guard, not a behaviour: a story still going after this long has stalled; everyone leaves.
      world.schedule(
        SIO_STORY.giveUpNs,
        () => {
          for (const c of clients) if (!c.disconnectedByUser) c.disconnect();
          for (const session of [...server.engine.sessions.values()]) session.onClose('forced close');
          restore();
        },
        true,
      );
    },
    server,
    clients,
    hosts: [...browsers, serverHost],
    afterStep(count: number): void {
      if (scenario.drop !== null && count === scenario.drop && !dropDone) {
        dropArmed = true;
        maybeDrop();
      }
    },
    received,
  };
}
