/**
 * engine.io 6's server: the Server attached to an HTTP server at /socket.io/, one Socket (here
 * EioSession) per handshake, and its two transports, long-polling and WebSocket. How the protocol runs,
 * and how a session that gives up closes, are in ./transport.ts.
 */
import { utf8 } from '../../../protocol/bytes';
import {
  EIO_PROTOCOL,
  PROBE,
  base64Id,
  decodeEioPacket,
  decodeEioPayload,
  encodeEioPacket,
  encodeEioPayload,
  encodeHandshake,
  type EioHandshake,
  type EioPacketRepr,
} from '../../../protocol/engineio';
import { headerValue } from '../../../protocol/http';
import type { Clock, SimTimer } from '../../engine/clock';
import { NS_PER_MS, type StreamSocket } from '../../engine/network';
import { rngStream } from '../../engine/rng';
import type { HostId, HostInfo } from '../../types';
import { nodeResponse, type HttpRequestIn, type HttpResponder, type HttpServerHandler } from '../http';
import { WsServerConnection } from '../websocket';
import { EIO_PATH, parseQuery } from './query';
import type { EioTransport } from './transport';
import { eioWsWrites, httpResponseWrite } from './writes';

const TEXT = new TextDecoder('utf-8');

export interface EioServerOptions {
  readonly pingIntervalMs: number;
  readonly pingTimeoutMs: number;
  readonly maxPayload: number;
  /** Transports the server accepts; without 'websocket' the handshake offers no upgrade. */
  readonly transports: readonly ('polling' | 'websocket')[];
}

/** engine.io's `upgradeTimeout` default: the client has 10 s to finish an upgrade it started. */
const UPGRADE_TIMEOUT_NS = 10_000 * NS_PER_MS;
/** engine.io forces a polling cycle this often while an upgrade is pending (`setInterval(check, 100)`). */
const UPGRADE_CHECK_NS = 100 * NS_PER_MS;

/** What one server session tells the program above it (socket.io) and the timeline. */
export interface EioSessionHooks {
  message?(data: string): void;
  close?(reason: string): void;
  upgrade?(): void;
  pong?(): void;
  ping?(): void;
}

class ServerPolling implements EioTransport {
  readonly name = 'polling';
  writable = false;
  private res: HttpResponder | null = null;
  private closed = false;
  discarded = false;

  constructor(private readonly s: EioSession) {}

  onPollRequest(res: HttpResponder): void {
    if (this.closed) {
      this.s.server.refuse(res, 1, 'Session ID unknown');
      return;
    }
    if (this.res) {
      // engine.io answers an overlapping GET with 400 and closes the session.
      this.s.server.refuse(res, 3, 'Bad request');
      this.s.onClose('transport error');
      return;
    }
    this.res = res;
    res.onClose = () => {
      this.res = null;
      this.writable = false;
      this.s.onClose('transport error');
    };
    this.writable = true;
    this.s.flush();
  }

  onDataRequest(body: string, res: HttpResponder): void {
    const decoded = decodeEioPayload(body);
    if (decoded.ok) {
      for (const p of decoded.repr) {
        if (p.type === 'close') {
          this.clientClosed();
          break;
        }
        this.s.onPacket(p);
      }
    }
    // engine.io answers the POST once its packets are handled: text/html "ok".
    const repr = nodeResponse(
      200,
      'OK',
      [
        ['Content-Type', 'text/html'],
        ['Content-Length', '2'],
        ['cache-control', 'no-store'],
      ],
      this.s.server.clock.now,
    );
    res.send(httpResponseWrite(repr, 'ok', 'post-response', this.s.browser, []));
  }

  send(packets: readonly EioPacketRepr[]): void {
    const res = this.res;
    if (!res) return;
    this.res = null;
    this.writable = false;
    res.onClose = null;
    const body = encodeEioPayload(packets);
    const repr = nodeResponse(
      200,
      'OK',
      [
        ['Content-Type', 'text/plain; charset=UTF-8'],
        ['Content-Length', String(utf8(body).length)],
        ['cache-control', 'no-store'],
      ],
      this.s.server.clock.now,
    );
    const purpose = packets[0]?.type === 'open' ? 'handshake-response' : 'poll-response';
    res.send(httpResponseWrite(repr, body, purpose, this.s.browser, packets));
  }

  /** The browser sent `1`: end a pending poll with a noop (engine.io Polling#onClose), then close. */
  private clientClosed(): void {
    if (this.writable) this.send([{ type: 'noop' }]);
    this.closed = true;
    this.s.onClose('transport close');
  }

  close(): void {
    // After an upgrade the polling transport is discarded: no packet is sent.
    this.closed = true;
    if (this.writable && !this.discarded) this.send([{ type: 'close' }]);
  }

  abort(): void {
    this.closed = true;
    const res = this.res;
    this.res = null;
    this.writable = false;
    if (res) {
      res.onClose = null;
      res.abort();
    }
  }
}

class ServerWsTransport implements EioTransport {
  readonly name = 'websocket';
  writable = true;
  /** Packets arriving before the upgrade completes go to the probe handler. */
  onPacket: ((p: EioPacketRepr) => void) | null = null;
  /** A frame that is no Engine.IO packet, during the upgrade (the probe handler's "else" branch). */
  onBadPacket: (() => void) | null = null;

  constructor(
    private readonly s: EioSession,
    readonly ws: WsServerConnection,
  ) {
    ws.hooks = {
      message: (text) => {
        const p = decodeEioPacket(text);
        if (p.ok) (this.onPacket ?? ((q) => this.s.onPacket(q)))(p.repr);
        // engine.io-parser lib/decodePacket.ts: a first character that is no packet type gives ERROR_PACKET,
        // { type: "error", data: "parser error" }; engine.io lib/socket.ts onPacket: case "error" →
        // onClose("parse error"). During an upgrade the probe handler closes the new transport instead.
        else if (this.onPacket) this.onBadPacket?.();
        else if (this.s.transport === this) this.s.onClose('parse error');
      },
      closed: () => {
        if (this.s.transport === this) this.s.onClose('transport close');
      },
    };
  }

  send(packets: readonly EioPacketRepr[]): void {
    for (const p of packets) this.ws.send(encodeEioPacket(p));
  }

  close(): void {
    this.ws.close();
  }

  abort(): void {
    this.ws.abort();
  }
}

/** One Engine.IO session on the server (engine.io's Socket). */
export class EioSession {
  readyState: 'open' | 'closed' = 'open';
  transport: EioTransport;
  upgrading = false;
  upgraded = false;
  private writeBuffer: EioPacketRepr[] = [];
  private pingIntervalTimer: SimTimer | null = null;
  private pingTimeoutTimer: SimTimer | null = null;
  hooks: EioSessionHooks = {};
  readonly polling: ServerPolling;

  constructor(
    readonly server: EngineServer,
    readonly sid: string,
    /** The browser this session belongs to (known to the simulation, not to engine.io). */
    readonly browser: HostId,
  ) {
    this.polling = new ServerPolling(this);
    this.transport = this.polling;
  }

  /** A handshake made over a WebSocket (no polling first): the session's transport from the start. */
  useWebSocket(ws: EioTransport): void {
    this.transport = ws;
  }

  get handshake(): EioHandshake {
    const o = this.server.options;
    return {
      sid: this.sid,
      // Socket#getAvailableUpgrades (lib/socket.ts): server.upgrades(transport.name); polling upgrades to
      // websocket, websocket to nothing (lib/transports/websocket.ts has no upgradesTo).
      upgrades: o.transports.includes('websocket') && this.transport.name === 'polling' ? ['websocket'] : [],
      pingInterval: o.pingIntervalMs,
      pingTimeout: o.pingTimeoutMs,
      maxPayload: o.maxPayload,
    };
  }

  /** engine.io Socket#onOpen: the open packet, then the first ping timer (v4: the server pings). */
  open(): void {
    this.sendPacket({ type: 'open', data: encodeHandshake(this.handshake) });
    this.schedulePing();
  }

  sendPacket(p: EioPacketRepr): void {
    if (this.readyState !== 'open') return;
    this.writeBuffer.push(p);
    this.flush();
  }

  flush(): void {
    if (this.readyState === 'closed' || !this.transport.writable || this.writeBuffer.length === 0) return;
    const packets = this.writeBuffer;
    this.writeBuffer = [];
    this.transport.send(packets);
  }

  onPacket(p: EioPacketRepr): void {
    if (this.readyState !== 'open') return;
    switch (p.type) {
      case 'pong':
        this.pingTimeoutTimer?.cancel();
        this.pingTimeoutTimer = null;
        this.hooks.pong?.();
        // pingIntervalTimer.refresh(): the next ping comes pingInterval after this pong.
        this.schedulePing();
        break;
      case 'message':
        this.hooks.message?.(p.data ?? '');
        break;
      default:
        break;
    }
  }

  private schedulePing(): void {
    this.pingIntervalTimer?.cancel();
    this.pingIntervalTimer = this.server.clock.timer(this.server.options.pingIntervalMs * NS_PER_MS, () => {
      this.hooks.ping?.();
      this.sendPacket({ type: 'ping' });
      this.pingTimeoutTimer?.cancel();
      this.pingTimeoutTimer = this.server.clock.timer(this.server.options.pingTimeoutMs * NS_PER_MS, () =>
        this.onClose('ping timeout'),
      );
    });
  }

  /** engine.io Socket#_maybeUpgrade for a WebSocket opened with this session's sid. */
  maybeUpgrade(ws: ServerWsTransport): void {
    this.upgrading = true;
    let check: SimTimer | null = null;
    const cleanup = (): void => {
      this.upgrading = false;
      check?.cancel();
      timeout.cancel();
      ws.onPacket = null;
      ws.onBadPacket = null;
    };
    const timeout = this.server.clock.timer(UPGRADE_TIMEOUT_NS, () => {
      cleanup();
      ws.close();
    });
    // "we force a polling cycle to ensure a fast upgrade"
    const tick = (): void => {
      check = this.server.clock.timer(UPGRADE_CHECK_NS, () => {
        if (this.transport.name === 'polling' && this.transport.writable) {
          this.transport.send([{ type: 'noop' }]);
        }
        if (this.upgrading) tick();
      });
    };
    ws.onBadPacket = () => {
      cleanup();
      ws.close();
    };
    ws.onPacket = (p) => {
      if (p.type === 'ping' && p.data === PROBE) {
        ws.send([{ type: 'pong', data: PROBE }]);
        check?.cancel();
        tick();
      } else if (p.type === 'upgrade' && this.readyState !== 'closed') {
        cleanup();
        this.polling.discarded = true;
        this.polling.close();
        this.upgraded = true;
        this.transport = ws;
        this.hooks.upgrade?.();
        this.flush();
      } else {
        cleanup();
        ws.close();
      }
    };
  }

  /**
   * engine.io Socket#onClose (lib/socket.ts): whatever the reason, even 'ping timeout', clearTransport()
   * closes the current transport the ordinary way ("ensure transport won't stay open": transport.close()).
   * On the WebSocket transport that is ws's `socket.close()` (lib/transports/websocket.ts doClose): an empty
   * Close frame, then ws's 30 s closeTimeout (sim/libs/websocket.ts). A polling transport that was
   * discarded by the upgrade is not touched again.
   */
  /** engine.io Socket#close (lib/socket.ts): closeTransport → transport.close(), then onClose("forced close"). */
  close(): void {
    this.onClose('forced close');
  }

  onClose(reason: string): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.pingIntervalTimer?.cancel();
    this.pingTimeoutTimer?.cancel();
    this.writeBuffer = [];
    this.transport.close();
    this.server.sessions.delete(this.sid);
    this.hooks.close?.(reason);
  }
}

export interface EngineServerHooks {
  /** A handshake created a session (engine.io 'connection'). */
  connection(session: EioSession): void;
}

/** engine.io's Server attached to an HTTP server at /socket.io/. */
export class EngineServer implements HttpServerHandler {
  readonly sessions = new Map<string, EioSession>();
  private sessionCount = 0;
  hooks: EngineServerHooks = { connection: () => {} };

  constructor(
    readonly clock: Clock,
    readonly host: HostInfo,
    readonly options: EioServerOptions,
    /** Which browser a request comes from (engine.io only sees the address; the timeline needs the host). */
    private readonly browserOf: (socket: StreamSocket) => HostId,
  ) {}

  /** engine.io's session ids come from base64id: 12 random bytes and a sequence number. */
  private newSid(): string {
    const n = this.sessionCount++;
    const raw = rngStream(this.clock.world.seed, `eio-sid:${n}`).bytes(12);
    return base64Id(raw, n);
  }

  request(req: HttpRequestIn, res: HttpResponder): void {
    const { path, query } = parseQuery(req.repr.target);
    const browser = this.browserOf(res.socket);
    if (path !== EIO_PATH) {
      this.notFound(res, browser);
      return;
    }
    if (query.get('EIO') !== String(EIO_PROTOCOL)) {
      this.refuse(res, 5, 'Unsupported protocol version');
      return;
    }
    if (query.get('transport') !== 'polling') {
      this.refuse(res, 0, 'Transport unknown');
      return;
    }
    const sid = query.get('sid');
    if (sid === undefined) {
      if (req.repr.method !== 'GET') {
        this.refuse(res, 2, 'Bad handshake method');
        return;
      }
      const session = new EioSession(this, this.newSid(), browser);
      this.sessions.set(session.sid, session);
      this.hooks.connection(session);
      session.polling.onPollRequest(res);
      session.open();
      return;
    }
    const session = this.sessions.get(sid);
    if (!session) {
      this.refuse(res, 1, 'Session ID unknown');
      return;
    }
    if (req.repr.method === 'GET') session.polling.onPollRequest(res);
    else if (req.repr.method === 'POST') session.polling.onDataRequest(TEXT.decode(req.body), res);
    else this.refuse(res, 2, 'Bad request');
  }

  upgrade(req: HttpRequestIn, socket: StreamSocket, rest: Uint8Array): boolean {
    const { path, query } = parseQuery(req.repr.target);
    const key = headerValue(req.repr.headers, 'Sec-WebSocket-Key');
    if (
      query.get('sid') === undefined &&
      path === EIO_PATH &&
      query.get('EIO') === String(EIO_PROTOCOL) &&
      query.get('transport') === 'websocket' &&
      this.options.transports.includes('websocket') &&
      key !== undefined
    ) {
      this.handshakeOverWebSocket(socket, key, rest);
      return true;
    }
    const session = this.sessions.get(query.get('sid') ?? '');
    const ok =
      path === EIO_PATH &&
      query.get('transport') === 'websocket' &&
      this.options.transports.includes('websocket') &&
      key !== undefined &&
      session !== undefined &&
      !session.upgrading &&
      !session.upgraded;
    if (!ok) return false;
    const ws = new WsServerConnection({
      host: this.host,
      writes: eioWsWrites(session.browser, true),
      timers: this.clock,
    });
    const transport = new ServerWsTransport(session, ws);
    ws.accept(socket, key, rest);
    session.maybeUpgrade(transport);
    return true;
  }

  /**
   * engine.io Server#onWebSocket (lib/server.ts) with no sid in the URL: `this.handshake("websocket", req)`, a new
   * session whose transport is the WebSocket itself; Socket#onOpen sends the open packet on it at once.
   */
  private handshakeOverWebSocket(socket: StreamSocket, key: string, rest: Uint8Array): void {
    const browser = this.browserOf(socket);
    const session = new EioSession(this, this.newSid(), browser);
    const ws = new WsServerConnection({
      host: this.host,
      writes: eioWsWrites(browser, true),
      timers: this.clock,
    });
    const transport = new ServerWsTransport(session, ws);
    session.useWebSocket(transport);
    // A browser sends no frame before the 101 (RFC 6455 §4.1): `rest` is empty in practice.
    ws.accept(socket, key, rest);
    this.sessions.set(session.sid, session);
    this.hooks.connection(session);
    session.open();
  }

  /** engine.io's error answer: 400 with `{"code":…,"message":…}` (Server#handleRequest → abortRequest). */
  refuse(res: HttpResponder, code: number, message: string): void {
    const body = JSON.stringify({ code, message });
    const repr = nodeResponse(
      400,
      'Bad Request',
      [
        ['Content-Type', 'application/json'],
        ['Content-Length', String(utf8(body).length)],
      ],
      this.clock.now,
    );
    res.send(httpResponseWrite(repr, body, 'http-error', this.browserOf(res.socket), []));
  }

  private notFound(res: HttpResponder, browser: HostId): void {
    const repr = nodeResponse(404, 'Not Found', [['Content-Length', '0']], this.clock.now);
    res.send(httpResponseWrite(repr, '', 'http-error', browser, []));
  }
}
