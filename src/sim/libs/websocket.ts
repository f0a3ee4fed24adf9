/**
 * WebSocket endpoints (RFC 6455) on top of the simulated TCP: the browser's `WebSocket` and one
 * connection of a Node `ws` server, written once for every story that opens a WebSocket (the
 * websocket story, Engine.IO's websocket transport, the comparison). Hosts, port, the upgrade
 * request's fields, the key and masking-key source, the hooks and how writes are labelled come in
 * as arguments.
 *
 * - The browser sends `GET <path>` with Host, Upgrade, Connection, Sec-WebSocket-Key, Origin and
 *   Sec-WebSocket-Version 13 (plus any headers the caller adds, e.g. Chrome's); the server answers
 *   101 with the Accept value (§4.2.2), which the browser checks before it fires `onopen` (§4.1).
 * - Client frames are masked with a fresh key from the given source (§5.3); server frames never are.
 * - A message longer than `frag` bytes (UTF-8) goes as a first frame and continuation frames of
 *   `frag` bytes each (§5.4); otherwise as one frame.
 * - Each end answers a ping with a pong by itself, with the same payload (§5.5.2-5.5.3).
 * - Closing (§7.1.2): one side sends Close (with a code and reason, or empty as `close()` without
 *   arguments does); the other echoes the code (§5.5.1); then the server closes TCP first (§7.1.1:
 *   "the underlying TCP connection, in most normal cases, SHOULD be closed first by the server, so
 *   that it holds the TIME_WAIT state"); the browser closes its side when it sees the server's FIN and
 *   then fires `onclose`. `ws` emits 'close' once TCP has closed.
 * - A handshake the browser rejects, or a frame that does not decode, fails the connection (§7.1.7).
 */
import { utf8 } from '../../protocol/bytes';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  headerValue,
  upgradeRequest,
  upgradeResponse,
  websocketAccept,
  websocketKey,
  type HttpHeaders,
  type HttpRequestRepr,
  type HttpResponseRepr,
} from '../../protocol/http';
import {
  WS_OPCODES,
  decodeClosePayload,
  decodeWsFrame,
  describeWsFrame,
  encodeClosePayload,
  encodeWsFrame,
  reassemble,
  type WsFrameRepr,
} from '../../protocol/websocket';
import { ByteQueue } from '../engine/byteQueue';
import type { Socket, SocketHandlers, StreamSocket, World } from '../engine/network';
import type { AppWrite } from '../engine/packet';
import type { Rng } from '../engine/rng';
import type { HostInfo, WsReadyState } from '../types';
import type { TlsWriteInfo } from './tls/socket';

/** Why a write was made: the timeline labels and narrates packets by it. */
export type WritePurpose =
  'upgrade-request' | 'upgrade-response' | 'message' | 'ping' | 'pong' | 'close' | 'close-echo' | TlsPurpose;

/** TLS's own writes (sim/libs/tls/socket.ts): its handshake flights and its closing alert. */
export type TlsPurpose =
  'tls-client-hello' | 'tls-server-hello' | 'tls-client-finished' | 'tls-session-ticket' | 'tls-close-notify';

/** An AppWrite with the story's reasons attached. */
export interface StoryWrite extends AppWrite {
  readonly purpose: WritePurpose;
  /** Index in scenario.messages, for 'message' writes. */
  readonly message?: number;
  /** 0-based frame index and frame count, for a fragmented message. */
  readonly fragment?: { readonly index: number; readonly count: number };
  readonly frame?: WsFrameRepr;
  /** Set when TLS carries the write: its records, and the plaintext write inside them. */
  readonly tls?: TlsWriteInfo;
}

/** What the WebSocket programs do and see, for the timeline. */
export type WsAppEvent =
  | { readonly kind: 'listen'; readonly host: HostInfo }
  | { readonly kind: 'create'; readonly host: HostInfo; readonly key: string }
  | { readonly kind: 'connection'; readonly host: HostInfo; readonly key: string; readonly accept: string }
  | { readonly kind: 'open'; readonly host: HostInfo; readonly accept: string }
  | {
      readonly kind: 'message';
      readonly host: HostInfo;
      readonly message: number;
      readonly text: string;
      readonly bytes: number;
      readonly frames: number;
    }
  | { readonly kind: 'pong'; readonly host: HostInfo }
  | { readonly kind: 'close-start'; readonly host: HostInfo; readonly code: number; readonly reason: string }
  | {
      readonly kind: 'close-received';
      readonly host: HostInfo;
      readonly code: number | null;
      readonly reason: string;
      /** True when this side answers with its own Close frame now (it did not start the close). */
      readonly echo: boolean;
    }
  | {
      readonly kind: 'closed';
      readonly host: HostInfo;
      readonly code: number;
      readonly reason: string;
      readonly clean: boolean;
    }
  | { readonly kind: 'failed'; readonly host: HostInfo; readonly message: string };

export interface WsObserver {
  app(e: WsAppEvent, readyState: WsReadyState | undefined): void;
}

/** The fragment of a message a frame carries, and the message's index, for the timeline. */
export interface FrameExtra {
  readonly message?: number;
  readonly fragment?: { readonly index: number; readonly count: number };
}

/**
 * How an endpoint's writes are labelled for the timeline: as plain WebSocket traffic
 * (`PLAIN_WS_WRITES`), or as Engine.IO's transport (libs/engineio/). Only labels: the bytes are the
 * endpoint's.
 */
export interface WsWrites {
  request(repr: HttpRequestRepr): AppWrite;
  response(repr: HttpResponseRepr): AppWrite;
  frame(repr: WsFrameRepr, from: 'client' | 'server', purpose: WritePurpose, extra: FrameExtra): AppWrite;
}

/** What the programs above an endpoint hear from it (the WebSocket's events). */
export interface WsHooks {
  /** The 101 arrived and checked out (client), or was sent (server). */
  open?(): void;
  /** A complete message; `nth` counts the messages this end has received. */
  message?(text: string, nth: number): void;
  pong?(): void;
  /** The connection is finished: clean after both Close frames and TCP's close. */
  closed?(clean: boolean): void;
  /** The connection failed: the handshake was refused, or a frame did not decode. */
  failed?(why: string): void;
}

/** One decoder for every payload shown as text (invalid UTF-8 would show as U+FFFD; none is sent). */
const TEXT = new TextDecoder('utf-8');

/** RFC 6455 §5.2: the whole frame's length once its header is there, or null. */
export function frameExtent(q: ByteQueue): number | null {
  if (q.length < 2) return null;
  const b = q.peek(2);
  const len7 = b[1]! & 0x7f;
  const masked = (b[1]! & 0x80) !== 0;
  const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  const header = 2 + ext + (masked ? 4 : 0);
  if (q.length < header) return null;
  let length = len7;
  if (ext > 0) {
    const h = q.peek(2 + ext);
    length = 0;
    for (let i = 2; i < 2 + ext; i++) length = length * 256 + h[i]!;
  }
  return header + length;
}

function frameInfo(repr: WsFrameRepr): StoryWrite['info'] {
  const text = TEXT.decode(repr.payload);
  if (repr.opcode === WS_OPCODES.close) {
    const close = decodeClosePayload(repr.payload);
    return {
      kind: 'ws-frame',
      opcode: repr.opcode,
      fin: repr.fin,
      masked: repr.maskKey !== null,
      text: close.ok ? close.reason : text,
      ...(close.ok && close.code !== null ? { closeCode: close.code } : {}),
    };
  }
  return { kind: 'ws-frame', opcode: repr.opcode, fin: repr.fin, masked: repr.maskKey !== null, text };
}

/** Wireshark-like label; only the payload's start is shown, so only the start is decoded. */
function frameSummary(repr: WsFrameRepr): string {
  const limit = 256;
  if (repr.payload.length <= limit) return describeWsFrame(repr);
  let cut = limit;
  // Back up to a UTF-8 character boundary (continuation bytes are 10xxxxxx).
  while (cut > 0 && (repr.payload[cut]! & 0xc0) === 0x80) cut--;
  return describeWsFrame({ ...repr, payload: repr.payload.subarray(0, cut) });
}

/** Plain WebSocket labels: the upgrade as HTTP, each frame by its opcode and text. */
export const PLAIN_WS_WRITES: WsWrites = {
  request: (request): StoryWrite => ({
    layer: 'http',
    bytes: encodeHttpRequest(request),
    info: { kind: 'http-request', method: request.method, target: request.target, upgrade: true },
    summary: `${request.method} ${request.target} ${request.version} (Upgrade)`,
    from: 'client',
    firstPacket: -1,
    fields: null,
    purpose: 'upgrade-request',
  }),
  response: (response): StoryWrite => ({
    layer: 'http',
    bytes: encodeHttpResponse(response),
    info: { kind: 'http-response', status: response.status, reason: response.reason },
    summary: `${response.version} ${response.status} ${response.reason}`,
    from: 'server',
    firstPacket: -1,
    fields: null,
    purpose: 'upgrade-response',
  }),
  frame: (repr, from, purpose, extra): StoryWrite => ({
    layer: 'websocket',
    bytes: encodeWsFrame(repr),
    info: frameInfo(repr),
    summary: frameSummary(repr),
    from,
    firstPacket: -1,
    fields: null,
    purpose,
    frame: repr,
    ...extra,
  }),
};

function dataFrame(
  opcode: number,
  fin: boolean,
  payload: Uint8Array,
  maskKey: Uint8Array | null,
): WsFrameRepr {
  return { fin, rsv1: false, rsv2: false, rsv3: false, opcode, maskKey, payload };
}

const SILENT: WsObserver = { app: () => {} };

/** What both ends take. */
interface WsEndOptions {
  readonly host: HostInfo;
  /** Told of every WebSocket event (the websocket story's timeline); silent when absent. */
  readonly observer?: WsObserver;
  /** How writes are labelled; plain WebSocket labels when absent. */
  readonly writes?: WsWrites;
  /** The scenario index of the n-th message this end receives, for the timeline's events. */
  readonly messageIndices?: readonly number[];
}

/** Shared frame handling of both ends. */
abstract class WsEnd {
  readyState: WsReadyState | undefined;
  protected socket: StreamSocket | null = null;
  protected readonly rx = new ByteQueue();
  protected readonly host: HostInfo;
  protected readonly observer: WsObserver;
  protected readonly writes: WsWrites;
  protected readonly role: 'client' | 'server';
  private readonly messageIndices: readonly number[];
  private fragments: WsFrameRepr[] = [];
  private received = 0;
  /** Bytes of the upgrade head already searched for its end. */
  protected searched = 0;
  protected closeSent = false;
  protected closeReceived: { code: number | null; reason: string } | null = null;
  protected failed = false;
  hooks: WsHooks = {};

  constructor(o: WsEndOptions, role: 'client' | 'server') {
    this.host = o.host;
    this.role = role;
    this.observer = o.observer ?? SILENT;
    this.writes = o.writes ?? PLAIN_WS_WRITES;
    this.messageIndices = o.messageIndices ?? [];
  }

  protected emit(e: WsAppEvent): void {
    this.observer.app(e, this.readyState);
  }

  /** §5.3: a fresh masking key for each client frame; none for the server's. */
  protected abstract maskKey(): Uint8Array | null;

  protected readFrames(): void {
    const from = this.role === 'client' ? 'server' : 'client';
    for (;;) {
      if (this.failed) return;
      const extent = frameExtent(this.rx);
      if (extent === null || this.rx.length < extent) return;
      const decoded = decodeWsFrame(this.rx.take(extent), { from });
      if (!decoded.ok) {
        this.fail(decoded.error.message, decoded.error.message);
        return;
      }
      this.frame(decoded.repr);
    }
  }

  /** §7.1.7 Fail the WebSocket Connection: tell the program, drop the TCP connection. */
  protected fail(message: string, why: string): void {
    this.failed = true;
    this.emit({ kind: 'failed', host: this.host, message });
    this.hooks.failed?.(why);
    this.abort();
  }

  private frame(f: WsFrameRepr): void {
    switch (f.opcode) {
      case WS_OPCODES.ping:
        // §5.5.2: answer a ping with a pong carrying the same application data, as soon as practical.
        this.writeFrame(dataFrame(WS_OPCODES.pong, true, f.payload, this.maskKey()), 'pong');
        return;
      case WS_OPCODES.pong:
        this.emit({ kind: 'pong', host: this.host });
        this.hooks.pong?.();
        return;
      case WS_OPCODES.close:
        this.closeFrame(f);
        return;
      default:
        break;
    }
    if (this.readyState !== 'OPEN' && this.readyState !== 'CLOSING') return;
    this.fragments.push(f);
    if (!f.fin) return;
    const frames = this.fragments;
    this.fragments = [];
    // decodeWsFrame has checked a single frame's UTF-8; fragments are joined and checked by reassemble.
    const joined = frames.length === 1 ? null : reassemble(frames);
    const data = joined === null ? f.payload : joined.ok ? joined.messages[0]?.data : undefined;
    if (!data) return;
    // §7.1.4 / §5.5.1: after a Close frame was sent, data still arriving is read (ws does so too).
    const nth = this.received++;
    const text = TEXT.decode(data);
    this.emit({
      kind: 'message',
      host: this.host,
      message: this.messageIndices[nth] ?? -1,
      text,
      bytes: data.length,
      frames: frames.length,
    });
    this.hooks.message?.(text, nth);
  }

  private closeFrame(f: WsFrameRepr): void {
    const close = decodeClosePayload(f.payload);
    const code = close.ok ? close.code : null;
    const reason = close.ok ? close.reason : '';
    this.closeReceived = { code, reason };
    const echo = !this.closeSent;
    if (echo) {
      this.readyState = 'CLOSING';
      this.emit({ kind: 'close-received', host: this.host, code, reason, echo });
      // §5.5.1: the endpoint typically echoes the status code it received.
      const payload = code === null ? new Uint8Array(0) : encodeClosePayload(code, reason);
      this.closeSent = true;
      this.writeFrame(dataFrame(WS_OPCODES.close, true, payload, this.maskKey()), 'close-echo');
    } else {
      this.emit({ kind: 'close-received', host: this.host, code, reason, echo });
    }
    this.afterCloseHandshake();
  }

  /** Both Close frames have crossed: what each end does about TCP. */
  protected abstract afterCloseHandshake(): void;

  protected write(w: AppWrite): void {
    this.socket?.write(w.bytes, w);
  }

  private writeFrame(repr: WsFrameRepr, purpose: WritePurpose, extra: FrameExtra = {}): void {
    this.write(this.writes.frame(repr, this.role, purpose, extra));
  }

  /** `ws.send(text)`: one frame, or fragments of `frag` bytes; `message` labels it for the timeline. */
  send(text: string, o: { readonly message?: number; readonly frag?: number | null } = {}): void {
    if (this.readyState !== 'OPEN') return;
    const bytes = utf8(text);
    const frag = o.frag ?? null;
    const message = o.message === undefined ? {} : { message: o.message };
    if (frag === null || bytes.length <= frag) {
      this.writeFrame(dataFrame(WS_OPCODES.text, true, bytes, this.maskKey()), 'message', message);
      return;
    }
    const count = Math.ceil(bytes.length / frag);
    for (let i = 0; i < count; i++) {
      const part = bytes.subarray(i * frag, Math.min((i + 1) * frag, bytes.length));
      const opcode = i === 0 ? WS_OPCODES.text : WS_OPCODES.continuation;
      this.writeFrame(dataFrame(opcode, i === count - 1, part, this.maskKey()), 'message', {
        ...message,
        fragment: { index: i, count },
      });
    }
  }

  /**
   * `ws.close(code, reason)`: start the closing handshake. Without a code the Close frame is empty
   * (WHATWG WebSocket close(), ws's close()). A browser WebSocket still connecting is dropped.
   */
  close(code?: number, reason = ''): void {
    if (this.readyState === 'CONNECTING') {
      this.abort();
      return;
    }
    if (this.readyState !== 'OPEN') return;
    this.readyState = 'CLOSING';
    this.closeSent = true;
    // §7.1.5: a Close frame without a status code is reported as 1005.
    this.emit({ kind: 'close-start', host: this.host, code: code ?? 1005, reason });
    const payload = code === undefined ? new Uint8Array(0) : encodeClosePayload(code, reason);
    this.writeFrame(dataFrame(WS_OPCODES.close, true, payload, this.maskKey()), 'close');
  }

  /** Drop the connection without a closing handshake (RFC 9293 §3.10.5: a RST when synchronized). */
  abort(): void {
    if (this.readyState === 'CLOSED') return;
    this.socket?.abort();
    this.finish(false);
  }

  protected finish(clean: boolean): void {
    // No WebSocket object exists before the upgrade on the server: nothing to close there.
    if (this.readyState === 'CLOSED' || this.readyState === undefined) return;
    this.readyState = 'CLOSED';
    const code = clean ? (this.closeReceived?.code ?? 1005) : 1006;
    this.emit({
      kind: 'closed',
      host: this.host,
      code,
      reason: clean ? (this.closeReceived?.reason ?? '') : '',
      clean,
    });
    this.hooks.closed?.(clean);
  }
}

/** The fields of the browser's upgrade request the caller chooses (the rest are RFC 6455's). */
export interface WsRequestFields {
  /** The Host header. */
  readonly host: string;
  readonly path: string;
  readonly origin: string;
  /** Headers after Sec-WebSocket-Version, e.g. a browser's User-Agent and extension offer. */
  readonly extraHeaders?: HttpHeaders;
}

/** The browser's `WebSocket` (client end): opens its own TCP connection. */
export class BrowserWebSocket extends WsEnd {
  readonly key: string;
  private readonly o: {
    readonly world: World;
    readonly server: HostInfo;
    readonly port: number;
    readonly request: WsRequestFields;
    readonly masks: Rng;
    readonly secure?: (tcp: Socket) => StreamSocket;
  };

  constructor(
    o: WsEndOptions & {
      readonly world: World;
      readonly server: HostInfo;
      readonly port: number;
      readonly request: WsRequestFields;
      /** The 16 raw bytes of Sec-WebSocket-Key (§4.1: random). */
      readonly keyBytes: Uint8Array;
      /** Where the masking keys come from (§5.3: a fresh one for every frame). */
      readonly masks: Rng;
      /** wss://: wrap the TCP connection in TLS (RFC 6455 §3: "wss" is WebSocket over TLS). */
      readonly secure?: (tcp: Socket) => StreamSocket;
    },
  ) {
    super(o, 'client');
    this.o = o;
    this.readyState = 'CONNECTING';
    this.key = websocketKey(o.keyBytes);
  }

  protected maskKey(): Uint8Array {
    return this.o.masks.bytes(4);
  }

  /** `new WebSocket('ws://<host><path>')`. */
  open(): void {
    this.emit({ kind: 'create', host: this.host, key: this.key });
    const handlers: SocketHandlers = {
      established: () => this.sendUpgrade(),
      data: (b) => this.data(b),
      end: () => {
        // The server closed TCP: the browser closes its side, and the WebSocket is closed (§7.1.4).
        this.socket?.end();
        this.finish(this.closeSent && this.closeReceived !== null);
      },
      aborted: () => this.finish(false),
    };
    const tcp = this.o.world.connect(this.host, this.o.server, this.o.port, {});
    // TCP's first event comes in the next turn: the handlers are in place by then.
    const socket = this.o.secure ? this.o.secure(tcp) : tcp;
    socket.handlers = handlers;
    this.socket = socket;
  }

  private sendUpgrade(): void {
    if (this.readyState === 'CLOSED') return;
    this.write(this.writes.request(upgradeRequest({ ...this.o.request, key: this.key })));
  }

  private data(b: Uint8Array): void {
    if (this.readyState === 'CLOSED') return;
    this.rx.push(b);
    if (this.readyState === 'CONNECTING') {
      const end = this.rx.headEnd(this.searched);
      this.searched = this.rx.length;
      if (end < 0) return;
      const head = decodeHttpResponse(this.rx.take(end));
      const accept = head.ok ? headerValue(head.repr.headers, 'Sec-WebSocket-Accept') : undefined;
      // §4.1: the client checks the status, Upgrade, Connection and the Accept value.
      if (!head.ok || head.repr.status !== 101 || accept !== websocketAccept(this.key)) {
        // §4.1: "the client MUST _Fail the WebSocket Connection_": it closes TCP.
        this.failed = true;
        this.readyState = 'CLOSED';
        this.socket?.end();
        this.emit({
          kind: 'failed',
          host: this.host,
          message: 'the server did not accept the WebSocket upgrade',
        });
        this.hooks.failed?.(head.ok ? `HTTP ${head.repr.status}` : 'no valid HTTP answer');
        return;
      }
      this.readyState = 'OPEN';
      this.emit({ kind: 'open', host: this.host, accept });
      this.hooks.open?.();
    }
    this.readFrames();
  }

  protected afterCloseHandshake(): void {
    // §7.1.1: the client waits for the server to close the TCP connection.
  }
}

/** One connection of a Node `ws` WebSocketServer (server end). */
export class WsServerConnection extends WsEnd {
  key = '';

  constructor(o: WsEndOptions) {
    super(o, 'server');
  }

  protected maskKey(): null {
    return null;
  }

  private take(socket: StreamSocket): void {
    this.socket = socket;
    socket.handlers = {
      data: (b) => this.data(b),
      end: () => {
        // The client closed first (not the usual order): close our side too, as ws does.
        if (this.socket && this.socket.tcp.state === 'CLOSE_WAIT') this.socket.end();
      },
      aborted: () => this.finish(false),
      closed: () => this.finish(this.closeSent && this.closeReceived !== null),
    };
  }

  /** A `ws` server on its own port: read the upgrade request from the connection, check it, answer. */
  attach(socket: StreamSocket): void {
    this.take(socket);
  }

  /**
   * `ws`'s handleUpgrade: an HTTP server has read an upgrade request with `key` on `socket`; `rest` is
   * what came after it.
   */
  accept(socket: StreamSocket, key: string, rest: Uint8Array): void {
    this.take(socket);
    this.upgrade(key);
    this.rx.push(rest);
    this.readFrames();
  }

  private upgrade(key: string): void {
    this.key = key;
    this.write(this.writes.response(upgradeResponse(key)));
    this.readyState = 'OPEN';
    this.emit({ kind: 'connection', host: this.host, key, accept: websocketAccept(key) });
    this.hooks.open?.();
  }

  private data(b: Uint8Array): void {
    if (this.readyState === 'CLOSED') return;
    this.rx.push(b);
    if (this.readyState === undefined) {
      const end = this.rx.headEnd(this.searched);
      this.searched = this.rx.length;
      if (end < 0) return;
      const head = decodeHttpRequest(this.rx.take(end));
      const key = head.ok ? headerValue(head.repr.headers, 'Sec-WebSocket-Key') : undefined;
      const upgrade = head.ok ? headerValue(head.repr.headers, 'Upgrade')?.toLowerCase() : undefined;
      const version = head.ok ? headerValue(head.repr.headers, 'Sec-WebSocket-Version') : undefined;
      // §4.2.1: a GET with Upgrade: websocket, a key and version 13.
      if (!head.ok || head.repr.method !== 'GET' || upgrade !== 'websocket' || version !== '13' || !key) {
        this.failed = true;
        this.emit({ kind: 'failed', host: this.host, message: 'not a valid WebSocket upgrade request' });
        return;
      }
      this.upgrade(key);
    }
    this.readFrames();
  }

  /** `ws.ping()`: an empty ping, as ws's heartbeat example sends. */
  ping(): void {
    if (this.readyState !== 'OPEN') return;
    this.write(
      this.writes.frame(dataFrame(WS_OPCODES.ping, true, new Uint8Array(0), null), 'server', 'ping', {}),
    );
  }

  protected afterCloseHandshake(): void {
    // §7.1.1: the server closes the TCP connection first, once both Close frames have crossed.
    this.socket?.end();
  }
}
