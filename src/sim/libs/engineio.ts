/**
 * Engine.IO v4 on the simulated network: the transport layer under Socket.IO, as engine.io 6 (server)
 * and engine.io-client 6 (browser) run it. Every packet is encoded by src/protocol/engineio.ts and
 * travels in real HTTP bodies (long-polling, several packets joined by 0x1e) or real WebSocket frames.
 *
 * What is modelled, following the libraries' code paths:
 * - Handshake: `GET /socket.io/?EIO=4&transport=polling&t=…` answered by the open packet
 *   `0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}`.
 * - Long-polling: the browser keeps one GET outstanding, which the server holds until it has packets
 *   (then answers with all of them); packets from the browser go in POSTs answered `ok`, one POST at a
 *   time, packets written meanwhile wait for the next one.
 * - Upgrade: on open, the client opens a WebSocket to `…&transport=websocket&sid=…`, sends `2probe`,
 *   the server answers `3probe` and, every 100 ms, ends a pending poll with a `6` (noop) so the client
 *   can pause polling; then the client sends `5` (upgrade) on the WebSocket and everything moves there.
 * - Heartbeat (v4): the server sends `2` every pingInterval and closes the session ('ping timeout') when
 *   no `3` comes back within pingTimeout; the client closes it when nothing (no ping) has come for
 *   pingInterval + pingTimeout.
 * - Closing: the client sends a `1` (polling) or closes the WebSocket.
 *
 * Simplification, stated: a program that gives up on a silent peer (ping timeout, connect timeout)
 * aborts the TCP connections of that session at once (RFC 9293 §3.10.5: a RST when synchronized)
 * instead of letting the kernel retransmit a close for minutes; the stalled request is aborted too.
 */
import { utf8 } from '../../protocol/bytes';
import {
  EIO_PROTOCOL,
  PROBE,
  base64Id,
  RECORD_SEPARATOR,
  clipText,
  decodeEioPacket,
  decodeEioPayload,
  encodeEioPacket,
  encodeEioPayload,
  encodeHandshake,
  parseHandshake,
  type EioHandshake,
  type EioPacketRepr,
} from '../../protocol/engineio';
import { shiftFields, type FieldAnnotation } from '../../protocol/fields';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  headerValue,
  type HttpRequestRepr,
  type HttpResponseRepr,
} from '../../protocol/http';
import { decodeSioOverEio, decodeSioOverEioPayload } from '../../protocol/socketio';
import { WS_OPCODES, decodeWsFrame, encodeWsFrame, type WsFrameRepr } from '../../protocol/websocket';
import type { Clock, SimTimer } from '../engine/clock';
import { NS_PER_MS, type Socket } from '../engine/network';
import type { AppWrite } from '../engine/packet';
import { rngStream, type Rng } from '../engine/rng';
import type { AppInfo, HostId, HostInfo } from '../types';
import {
  browserRequest,
  browserWsRequest,
  nodeResponse,
  type BrowserHttp,
  type ExchangeHandle,
  type HttpRequestIn,
  type HttpResponder,
  type HttpServerHandler,
} from './http';
import { BrowserWebSocket, WsServerConnection, type WsWrites } from './websocket';

export const EIO_PATH = '/socket.io/';

// ---- What the timeline is told about each write ----

export type EioWritePurpose =
  | 'handshake-request'
  | 'handshake-response'
  | 'poll-request'
  | 'poll-response'
  | 'post-request'
  | 'post-response'
  | 'ws-upgrade-request'
  | 'ws-upgrade-response'
  | 'ws-frame'
  | 'ws-close'
  | 'ws-pong'
  | 'http-error'
  | 'http-request'
  | 'http-response';

const TEXT = new TextDecoder('utf-8');

/**
 * One write (an HTTP message or a WebSocket frame) with the Engine.IO packets it carries. Its field
 * annotations (HTTP or WebSocket, then Engine.IO and Socket.IO inside) are decoded from the bytes the
 * first time a view asks for them.
 */
export class EioWrite implements AppWrite {
  firstPacket = -1;
  private cached: readonly FieldAnnotation[] | null = null;

  constructor(
    readonly layer: 'http' | 'websocket',
    readonly bytes: Uint8Array,
    readonly info: AppInfo,
    readonly summary: string,
    readonly from: 'client' | 'server',
    readonly purpose: EioWritePurpose,
    /** The browser this write is to or from. */
    readonly browser: HostId,
    /** The Engine.IO packets it carries, in order (none for a plain HTTP message). */
    readonly packets: readonly EioPacketRepr[],
    /** The Engine.IO text (body or frame payload), when it carries packets. */
    readonly text: string,
    readonly frame?: WsFrameRepr,
    readonly http?: HttpRequestRepr | HttpResponseRepr,
  ) {}

  get fields(): readonly FieldAnnotation[] | null {
    if (this.cached) return this.cached;
    const out: FieldAnnotation[] = [];
    if (this.layer === 'websocket') {
      const f = decodeWsFrame(this.bytes, { from: this.from });
      if (f.ok) {
        out.push(...f.fields);
        if (this.packets.length > 0) {
          const inner = decodeSioOverEio(this.text);
          if (inner.ok) out.push(...shiftFields(inner.fields, this.bytes.length - f.repr.payload.length));
        }
      }
    } else {
      const h = this.from === 'client' ? decodeHttpRequest(this.bytes) : decodeHttpResponse(this.bytes);
      if (h.ok) {
        out.push(...h.fields);
        if (this.packets.length > 0) {
          const inner = decodeSioOverEioPayload(this.text);
          if (inner.ok) out.push(...shiftFields(inner.fields, this.bytes.length - h.payload.length));
        }
      }
    }
    this.cached = out;
    return out;
  }

  set fields(v: readonly FieldAnnotation[] | null) {
    this.cached = v;
  }
}

/** `42["chat message","Hello"]`, shortened for a label. */
function packetsLabel(text: string): string {
  return clipText(text.split(RECORD_SEPARATOR).join(' ␞ '), 90);
}

export function httpRequestWrite(
  repr: HttpRequestRepr,
  body: string,
  purpose: EioWritePurpose,
  browser: HostId,
  packets: readonly EioPacketRepr[],
): EioWrite {
  const bytes = encodeHttpRequest(repr, utf8(body));
  const upgrade = headerValue(repr.headers, 'Upgrade') !== undefined;
  const info: AppInfo =
    packets.length > 0
      ? { kind: 'engineio', packets: body.split(RECORD_SEPARATOR), transport: 'polling' }
      : { kind: 'http-request', method: repr.method, target: repr.target, upgrade };
  const line = `${repr.method} ${repr.target} ${repr.version}`;
  const summary = upgrade
    ? `${line} (Upgrade)`
    : packets.length > 0
      ? `${line}  ${packetsLabel(body)}`
      : line;
  return new EioWrite(
    'http',
    bytes,
    info,
    summary,
    'client',
    purpose,
    browser,
    packets,
    body,
    undefined,
    repr,
  );
}

export function httpResponseWrite(
  repr: HttpResponseRepr,
  body: string,
  purpose: EioWritePurpose,
  browser: HostId,
  packets: readonly EioPacketRepr[],
): EioWrite {
  const bytes = encodeHttpResponse(repr, utf8(body));
  const info: AppInfo =
    packets.length > 0
      ? { kind: 'engineio', packets: body.split(RECORD_SEPARATOR), transport: 'polling' }
      : { kind: 'http-response', status: repr.status, reason: repr.reason };
  const line = `${repr.version} ${repr.status} ${repr.reason}`;
  const summary =
    packets.length > 0 ? `${line}  ${packetsLabel(body)}` : body ? `${line}  (${clipText(body, 40)})` : line;
  return new EioWrite(
    'http',
    bytes,
    info,
    summary,
    'server',
    purpose,
    browser,
    packets,
    body,
    undefined,
    repr,
  );
}

/** A WebSocket frame; a text frame carries one Engine.IO packet when `eio` is true. */
export function wsFrameWrite(
  repr: WsFrameRepr,
  from: 'client' | 'server',
  browser: HostId,
  eio: boolean,
): EioWrite {
  const bytes = encodeWsFrame(repr);
  const text = repr.opcode === WS_OPCODES.close ? '' : TEXT.decode(repr.payload);
  const masked = repr.maskKey !== null;
  const flags = `${repr.fin ? ' [FIN]' : ''}${masked ? ' [MASKED]' : ''}`;
  let packets: EioPacketRepr[] = [];
  let summary: string;
  let purpose: EioWritePurpose = 'ws-frame';
  if (repr.opcode === WS_OPCODES.close) {
    purpose = 'ws-close';
    const code = repr.payload.length >= 2 ? (repr.payload[0]! << 8) | repr.payload[1]! : null;
    summary = `WebSocket Close${flags} ${code === null ? '(no status code)' : code}`;
  } else if (repr.opcode === WS_OPCODES.pong || repr.opcode === WS_OPCODES.ping) {
    purpose = 'ws-pong';
    summary = `WebSocket ${repr.opcode === WS_OPCODES.ping ? 'Ping' : 'Pong'}${flags}`;
  } else {
    if (eio) {
      const p = decodeEioPacket(text);
      if (p.ok) packets = [p.repr];
    }
    summary = `WebSocket Text${flags} ${eio ? clipText(text, 90) : JSON.stringify(clipText(text, 60))}`;
  }
  const info: AppInfo = {
    kind: 'ws-frame',
    opcode: repr.opcode,
    fin: repr.fin,
    masked,
    text,
    ...(repr.opcode === WS_OPCODES.close && repr.payload.length >= 2
      ? { closeCode: (repr.payload[0]! << 8) | repr.payload[1]! }
      : {}),
  };
  return new EioWrite('websocket', bytes, info, summary, from, purpose, browser, packets, text, repr);
}

/** Engine.IO's labels for a WebSocket endpoint's writes (`eio`: text frames carry Engine.IO packets). */
export function eioWsWrites(browser: HostId, eio: boolean): WsWrites {
  return {
    request: (repr) => httpRequestWrite(repr, '', 'ws-upgrade-request', browser, []),
    response: (repr) => httpResponseWrite(repr, '', 'ws-upgrade-response', browser, []),
    frame: (repr, from) => wsFrameWrite(repr, from, browser, eio),
  };
}

// ---- Query strings ----

/** `/socket.io/?EIO=4&transport=polling&t=…&sid=…`, keys in the order engine.io-client builds them. */
export function eioTarget(params: readonly (readonly [string, string])[]): string {
  return EIO_PATH + '?' + params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export function parseQuery(target: string): { readonly path: string; readonly query: Map<string, string> } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const part of target.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      const v = eq < 0 ? '' : part.slice(eq + 1);
      try {
        query.set(decodeURIComponent(k), decodeURIComponent(v));
      } catch {
        query.set(k, v);
      }
    }
  }
  return { path, query };
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * engine.io-client's cache-busting `t` value: the clock in base 36 without its first three digits, then
 * three random base-36 digits (the client reads the wall clock and a random number for them).
 * Here the clock is the simulated one (from the capture's time zero) and the digits come from the seed.
 */
export function cacheBuster(nowNs: number, rng: Rng, epochMs: number): string {
  const time = (epochMs + Math.floor(nowNs / NS_PER_MS)).toString(36).substring(3);
  let r = '';
  for (let i = 0; i < 3; i++) r += BASE36[rng.int(0, 35)];
  return time + r;
}

// ---- The server (engine.io 6) ----

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

interface ServerTransport {
  readonly name: 'polling' | 'websocket';
  writable: boolean;
  send(packets: readonly EioPacketRepr[]): void;
  /** Orderly close (the session ended normally). */
  close(): void;
  /** Give up: drop the connections without a goodbye. */
  abort(): void;
}

class ServerPolling implements ServerTransport {
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

class ServerWsTransport implements ServerTransport {
  readonly name = 'websocket';
  writable = true;
  /** Packets arriving before the upgrade completes go to the probe handler. */
  onPacket: ((p: EioPacketRepr) => void) | null = null;

  constructor(
    private readonly s: EioSession,
    readonly ws: WsServerConnection,
  ) {
    ws.hooks = {
      message: (text) => {
        const p = decodeEioPacket(text);
        if (p.ok) (this.onPacket ?? ((q) => this.s.onPacket(q)))(p.repr);
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
  transport: ServerTransport;
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

  get handshake(): EioHandshake {
    const o = this.server.options;
    return {
      sid: this.sid,
      upgrades: o.transports.includes('websocket') ? ['websocket'] : [],
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

  /** engine.io Socket#onClose; `ping timeout` gives up on the peer (see the module comment). */
  onClose(reason: string): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.pingIntervalTimer?.cancel();
    this.pingTimeoutTimer?.cancel();
    this.writeBuffer = [];
    if (reason === 'ping timeout') {
      this.transport.abort();
      if (this.transport !== this.polling) this.polling.abort();
    } else {
      this.transport.close();
    }
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
    private readonly browserOf: (socket: Socket) => HostId,
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

  upgrade(req: HttpRequestIn, socket: Socket, rest: Uint8Array): boolean {
    const { path, query } = parseQuery(req.repr.target);
    const key = headerValue(req.repr.headers, 'Sec-WebSocket-Key');
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
    const ws = new WsServerConnection({ host: this.host, writes: eioWsWrites(session.browser, true) });
    const transport = new ServerWsTransport(session, ws);
    ws.accept(socket, key, rest);
    session.maybeUpgrade(transport);
    return true;
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

// ---- The client (engine.io-client 6) ----

export interface EioClientHooks {
  open?(handshake: EioHandshake): void;
  message?(data: string): void;
  /** The session is over (engine.io-client 'close'): 'ping timeout', 'transport close', 'forced close'… */
  close?(reason: string): void;
  /** A transport failed (engine.io-client 'error'), before 'close'. */
  error?(why: string): void;
  ping?(): void;
  /** The session moved to the WebSocket (after `5`). */
  upgrade?(): void;
  /** The WebSocket probe is starting (its connection is about to open). */
  probing?(): void;
  upgradeError?(why: string): void;
}

interface ClientTransport {
  readonly name: 'polling' | 'websocket';
  writable: boolean;
  send(packets: readonly EioPacketRepr[]): void;
  close(): void;
  abort(): void;
}

class ClientPolling implements ClientTransport {
  readonly name = 'polling';
  readyState: 'opening' | 'open' | 'pausing' | 'paused' | 'closed' = 'opening';
  writable = false;
  polling = false;
  private readonly exchanges = new Set<ExchangeHandle>();
  private pollComplete: (() => void) | null = null;
  private drained: (() => void) | null = null;
  /** Query keys in engine.io-client's insertion order: EIO, transport, t, then sid once known. */
  private readonly query: [string, string][] = [
    ['EIO', String(EIO_PROTOCOL)],
    ['transport', 'polling'],
  ];

  constructor(private readonly e: EngineClient) {}

  private target(): string {
    const t = cacheBuster(this.e.clock.now, this.e.tRng, this.e.epochMs);
    const i = this.query.findIndex(([k]) => k === 't');
    if (i < 0) this.query.push(['t', t]);
    else this.query[i] = ['t', t];
    if (this.e.id !== null && !this.query.some(([k]) => k === 'sid')) this.query.push(['sid', this.e.id]);
    return eioTarget(this.query);
  }

  open(): void {
    this.poll();
  }

  private poll(): void {
    this.polling = true;
    const handshake = this.readyState === 'opening';
    const repr = browserRequest('GET', this.target());
    const w = httpRequestWrite(
      repr,
      '',
      handshake ? 'handshake-request' : 'poll-request',
      this.e.host.id,
      [],
    );
    const x = this.e.http.request(w, {
      response: (res) => {
        this.exchanges.delete(x);
        if (this.readyState === 'closed') return;
        if (res.repr.status !== 200) {
          this.e.onError('xhr poll error');
          return;
        }
        this.onData(TEXT.decode(res.body));
      },
      failed: () => {
        this.exchanges.delete(x);
        if (this.readyState !== 'closed') this.e.onError('xhr poll error');
      },
    });
    this.exchanges.add(x);
  }

  private onData(text: string): void {
    const decoded = decodeEioPayload(text);
    if (decoded.ok) {
      for (const p of decoded.repr) {
        if (this.readyState === 'opening' && p.type === 'open') {
          this.readyState = 'open';
          this.writable = true;
        }
        if (p.type === 'close') {
          this.readyState = 'closed';
          this.e.onClose('transport close');
          return;
        }
        this.e.onPacket(p);
      }
    }
    if (this.readyState === 'closed') return;
    this.polling = false;
    const done = this.pollComplete;
    this.pollComplete = null;
    done?.();
    if (this.readyState === 'open') this.poll();
  }

  send(packets: readonly EioPacketRepr[]): void {
    this.writable = false;
    const body = encodeEioPayload(packets);
    const repr = browserRequest('POST', this.target(), {
      length: utf8(body).length,
      contentType: 'text/plain;charset=UTF-8',
    });
    const w = httpRequestWrite(repr, body, 'post-request', this.e.host.id, packets);
    const x = this.e.http.request(w, {
      response: (res) => {
        this.exchanges.delete(x);
        if (this.readyState === 'closed' && !packets.some((p) => p.type === 'close')) return;
        if (res.repr.status !== 200) {
          this.e.onError('xhr post error');
          return;
        }
        this.writable = true;
        // The session's drain listener runs before the one pause() added (engine.io-client order).
        this.e.onDrain();
        const drained = this.drained;
        this.drained = null;
        drained?.();
      },
      failed: () => {
        this.exchanges.delete(x);
        if (this.readyState !== 'closed') this.e.onError('xhr post error');
      },
    });
    this.exchanges.add(x);
  }

  /** engine.io-client Polling#pause: wait for the pending poll and POST to finish, then stop polling. */
  pause(onPause: () => void): void {
    this.readyState = 'pausing';
    const pause = (): void => {
      this.readyState = 'paused';
      onPause();
    };
    let total = 0;
    if (this.polling) {
      total++;
      this.pollComplete = () => --total || pause();
    }
    if (!this.writable) {
      total++;
      this.drained = () => --total || pause();
    }
    if (total === 0) pause();
  }

  close(): void {
    if (this.readyState === 'open') this.send([{ type: 'close' }]);
    this.readyState = 'closed';
  }

  abort(): void {
    this.readyState = 'closed';
    for (const x of [...this.exchanges]) x.abort();
    this.exchanges.clear();
  }
}

class ClientWsTransport implements ClientTransport {
  readonly name = 'websocket';
  writable = false;
  readonly ws: BrowserWebSocket;
  onPacket: ((p: EioPacketRepr) => void) | null = null;
  onOpen: (() => void) | null = null;
  onFail: ((why: string) => void) | null = null;

  constructor(private readonly e: EngineClient) {
    const n = e.wsCount++;
    this.ws = new BrowserWebSocket({
      world: e.clock.world,
      host: e.host,
      server: e.http.server,
      port: e.http.port,
      request: browserWsRequest(
        eioTarget([
          ['EIO', String(EIO_PROTOCOL)],
          ['transport', 'websocket'],
          ['sid', e.id ?? ''],
        ]),
      ),
      keyBytes: rngStream(e.clock.world.seed, `ws-key:${e.host.id}:${e.n}:${n}`).bytes(16),
      masks: rngStream(e.clock.world.seed, `mask:${e.host.id}:${e.n}:${n}`),
      writes: eioWsWrites(e.host.id, true),
    });
    this.ws.hooks = {
      open: () => {
        this.writable = true;
        this.onOpen?.();
      },
      message: (text) => {
        const p = decodeEioPacket(text);
        if (p.ok) (this.onPacket ?? ((q) => this.e.onPacket(q)))(p.repr);
      },
      failed: (why) => this.onFail?.(why),
      closed: (clean) => {
        this.writable = false;
        if (this.e.transport === this) this.e.onClose(clean ? 'transport close' : 'transport error');
        else this.onFail?.('transport closed');
      },
    };
  }

  open(): void {
    this.ws.open();
  }

  send(packets: readonly EioPacketRepr[]): void {
    this.writable = false;
    for (const p of packets) this.ws.send(encodeEioPacket(p));
    // engine.io-client's WebSocket transport reports 'drain' on the next tick.
    this.e.clock.nextTurn(() => {
      if (this.ws.readyState !== 'OPEN') return;
      this.writable = true;
      this.e.onDrain();
    });
  }

  close(): void {
    this.ws.close();
  }

  abort(): void {
    this.ws.abort();
  }
}

export interface EioClientOptions {
  /** Try to upgrade to WebSocket when the server offers it (engine.io-client `upgrade`, default true). */
  readonly upgrade: boolean;
}

/** engine.io-client's Socket with its upgrade mechanism. */
export class EngineClient {
  readyState: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  id: string | null = null;
  transport: ClientTransport;
  private readonly polling: ClientPolling;
  private probe: ClientWsTransport | null = null;
  upgrading = false;
  private writeBuffer: EioPacketRepr[] = [];
  private prevBufferLen = 0;
  private pingTimer: SimTimer | null = null;
  handshake: EioHandshake | null = null;
  hooks: EioClientHooks = {};
  readonly tRng: Rng;
  wsCount = 0;
  /** Waiting for the buffer to drain (or the upgrade to finish) before closing. */
  private closeWhenDone: (() => void) | null = null;

  constructor(
    readonly clock: Clock,
    readonly host: HostInfo,
    readonly http: BrowserHttp,
    readonly options: EioClientOptions,
    /** This browser's n-th Engine.IO session (a new one after each reconnection). */
    readonly n: number,
    readonly epochMs: number,
  ) {
    this.tRng = rngStream(clock.world.seed, `t:${host.id}:${n}`);
    this.polling = new ClientPolling(this);
    this.transport = this.polling;
  }

  open(): void {
    this.polling.open();
  }

  get transportName(): 'polling' | 'websocket' {
    return this.transport.name;
  }

  onPacket(p: EioPacketRepr): void {
    if (this.readyState === 'closed') return;
    switch (p.type) {
      case 'open': {
        const h = parseHandshake(p.data ?? '');
        if (h) this.onHandshake(h);
        break;
      }
      case 'ping':
        this.sendPacket({ type: 'pong' });
        this.hooks.ping?.();
        this.resetPingTimeout();
        break;
      case 'message':
        this.hooks.message?.(p.data ?? '');
        break;
      default:
        break;
    }
  }

  private onHandshake(h: EioHandshake): void {
    this.handshake = h;
    this.id = h.sid;
    this.readyState = 'open';
    this.hooks.open?.(h);
    this.flush();
    // The open handler may have closed the session already (engine.io-client checks the same).
    if (this.isClosed()) return;
    if (this.options.upgrade && h.upgrades.includes('websocket')) this.startProbe();
    this.resetPingTimeout();
  }

  private isClosed(): boolean {
    return this.readyState === 'closed';
  }

  private resetPingTimeout(): void {
    const h = this.handshake;
    if (!h) return;
    this.pingTimer?.cancel();
    this.pingTimer = this.clock.timer((h.pingInterval + h.pingTimeout) * NS_PER_MS, () =>
      this.onClose('ping timeout'),
    );
  }

  /** engine.io-client SocketWithUpgrade#_probe('websocket'). */
  private startProbe(): void {
    const t = new ClientWsTransport(this);
    this.probe = t;
    let failed = false;
    const fail = (why: string): void => {
      if (failed) return;
      failed = true;
      if (this.probe === t) this.probe = null;
      t.abort();
      this.upgrading = false;
      this.hooks.upgradeError?.(why);
      this.flush();
    };
    t.onFail = fail;
    t.onOpen = () => {
      if (failed) return;
      t.send([{ type: 'ping', data: PROBE }]);
      t.onPacket = (msg) => {
        if (failed) return;
        t.onPacket = null;
        if (msg.type !== 'pong' || msg.data !== PROBE) {
          fail('probe error');
          return;
        }
        this.upgrading = true;
        this.polling.pause(() => {
          if (failed || this.readyState === 'closed') return;
          this.probe = null;
          this.transport = t;
          t.onFail = null;
          t.send([{ type: 'upgrade' }]);
          this.hooks.upgrade?.();
          this.upgrading = false;
          this.flush();
          const waiting = this.closeWhenDone;
          if (waiting && this.writeBuffer.length === 0) {
            this.closeWhenDone = null;
            waiting();
          }
        });
      };
    };
    this.hooks.probing?.();
    t.open();
  }

  sendPacket(p: EioPacketRepr): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    this.writeBuffer.push(p);
    this.flush();
  }

  /** socket.write(data): an Engine.IO message (Socket.IO packets travel in these). */
  write(data: string): void {
    this.sendPacket({ type: 'message', data });
  }

  private flush(): void {
    if (
      this.readyState !== 'closed' &&
      this.transport.writable &&
      !this.upgrading &&
      this.writeBuffer.length > 0
    ) {
      const packets = this.writeBuffer.slice();
      this.transport.send(packets);
      this.prevBufferLen = packets.length;
    }
  }

  onDrain(): void {
    this.writeBuffer.splice(0, this.prevBufferLen);
    this.prevBufferLen = 0;
    if (this.writeBuffer.length === 0) {
      const waiting = this.closeWhenDone;
      if (waiting && !this.upgrading) {
        this.closeWhenDone = null;
        waiting();
      }
    } else this.flush();
  }

  /** engine.io-client Socket#close: after the buffer drains and any upgrade completes. */
  close(): void {
    if (this.readyState !== 'opening' && this.readyState !== 'open') return;
    this.readyState = 'closing';
    const close = (): void => this.onClose('forced close');
    if (this.writeBuffer.length > 0 || this.upgrading) this.closeWhenDone = close;
    else close();
  }

  /** Give up on the session (Manager's connect timeout): abort everything it has open. */
  destroy(reason: string): void {
    this.onClose(reason, true);
  }

  onError(why: string): void {
    if (this.readyState === 'closed') return;
    this.hooks.error?.(why);
    this.onClose('transport error', true);
  }

  onClose(reason: string, abort = reason === 'ping timeout'): void {
    if (this.readyState === 'closed') return;
    this.pingTimer?.cancel();
    this.readyState = 'closed';
    if (abort) {
      this.transport.abort();
      if (this.transport !== this.polling) this.polling.abort();
    } else {
      this.transport.close();
    }
    if (this.probe) {
      this.probe.onFail = null;
      this.probe.abort();
      this.probe = null;
    }
    this.id = null;
    this.writeBuffer = [];
    this.prevBufferLen = 0;
    this.hooks.close?.(reason);
  }
}
