/**
 * WebSocket endpoints (RFC 6455) on top of the simulated TCP: the browser's `WebSocket` and one
 * connection of a Node `ws` server, written once for every story that opens a WebSocket (the
 * websocket story, Engine.IO's websocket transport, the comparison). Hosts, port, the upgrade
 * request's fields, the key and masking-key source, the hooks and how writes are labelled come in
 * as arguments.
 *
 * - The browser sends `GET <path>` laid out by the caller (Chrome's headers in Chrome's order:
 *   sim/libs/http.ts browserWsRequest); the server answers 101 as ws 8 writes it (websocket-server.js
 *   completeUpgrade: Upgrade, Connection, Sec-WebSocket-Accept, then Sec-WebSocket-Extensions only when
 *   it accepted an extension), which the browser checks before it fires `onopen` (§4.1).
 * - Client frames are masked with a fresh key from the given source (§5.3); server frames never are.
 * - A message longer than `frag` bytes (UTF-8) goes as a first frame and continuation frames of
 *   `frag` bytes each (§5.4); otherwise as one frame.
 * - Each end answers a ping with a pong by itself, with the same payload (§5.5.2-5.5.3).
 * - Closing (§7.1.2): one side sends Close (with a code and reason, or empty as `close()` without
 *   arguments does); the other echoes the code (§5.5.1); then the server closes TCP first (§7.1.1:
 *   "the underlying TCP connection, in most normal cases, SHOULD be closed first by the server, so
 *   that it holds the TIME_WAIT state"); the browser closes its side when it sees the server's FIN and
 *   then fires `onclose`. `ws` emits 'close' once TCP has closed.
 * - A Close frame that is never answered (the path died): each end gives up after its own timer and closes
 *   its socket, given `timers` (the Engine.IO transports, where giving up happens). ws: `close()` starts
 *   `closeTimeout` (30 s), then `socket.destroy()` (lib/websocket.js close → setCloseTimer). Chrome: the
 *   closing handshake timeout of 60 s, then the channel drops its connection (net/websockets/
 *   websocket_channel.cc kClosingHandshakeTimeoutSeconds). Either way the program closes its file
 *   descriptor, and Linux then sends a FIN, not a RST: tcp_close (net/ipv4/tcp.c __tcp_close) resets only
 *   when unread data is waiting in the receive buffer (data_was_unread; RFC 2525 §2.17) or SO_LINGER is 0,
 *   and neither ws nor Chrome leaves data unread (both read as soon as data comes). On a dead path that
 *   FIN is retransmitted and lost like the Close frame before it.
 * - A handshake the browser rejects, or a frame that does not decode, fails the connection (§7.1.7).
 * - permessage-deflate (RFC 7692), when the server was created with ws's `perMessageDeflate: true` and the
 *   browser offered it: each end compresses a whole message with its own deflate stream, kept from message
 *   to message (no *_no_context_takeover was agreed), and marks the first frame with RSV1 (§6). Whose choice
 *   a message is compressed: Chrome compresses every data message once the extension is on; ws compresses
 *   every message too (lib/websocket.js send: `compress: true` by default; lib/sender.js send applies its
 *   `threshold` of 1024 bytes only when server_no_context_takeover was agreed, which Chrome does not ask).
 */
import { concatBytes, strictUtf8, utf8 } from '../../protocol/bytes';
import type { DecodeResult, FieldAnnotation } from '../../protocol/fields';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  headerValue,
  upgradeResponse,
  websocketAccept,
  websocketKey,
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
import {
  PERMESSAGE_DEFLATE,
  clientAcceptDeflate,
  parseExtensions,
  wsAcceptDeflate,
  type DeflateParams,
} from '../../protocol/wsExtensions';
import { ByteQueue } from '../engine/byteQueue';
import type { SimTimer } from '../engine/clock';
import {
  NS_PER_MS,
  type Socket,
  type SocketHandlers,
  type StreamSocket,
  type World,
} from '../engine/network';
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
  /** The message's own bytes, when the frame carries it compressed (permessage-deflate, RFC 7692). */
  readonly inflated?: Uint8Array;
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
      /** Bytes of compressed payload the frames carried, when the message came compressed (RFC 7692). */
      readonly compressed?: number;
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
  /** The message's own bytes, when the frame carries it compressed (RFC 7692): the inspector shows both. */
  readonly inflated?: Uint8Array;
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

function frameInfo(repr: WsFrameRepr, inflated?: Uint8Array): StoryWrite['info'] {
  const text = TEXT.decode(inflated ?? repr.payload);
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
  frame: (repr, from, purpose, extra): StoryWrite => {
    const bytes = encodeWsFrame(repr);
    return {
      layer: 'websocket',
      bytes,
      info: frameInfo(repr, extra.inflated),
      summary: extra.inflated ? compressedSummary(repr, extra.inflated) : frameSummary(repr),
      from,
      firstPacket: -1,
      fields: extra.inflated ? compressedFields(bytes, from, extra) : null,
      purpose,
      frame: repr,
      ...extra,
    };
  },
};

/** 'WebSocket Text [FIN] [RSV1] [MASKED] (compressed 7 bytes) "Hello"': the label of a compressed frame. */
function compressedSummary(repr: WsFrameRepr, inflated: Uint8Array): string {
  const label = frameSummary({ ...repr, payload: inflated.subarray(0, 256) });
  const cut = label.indexOf(' "');
  const note = `(compressed, ${repr.payload.length} bytes)`;
  return cut < 0 ? `${label} ${note}` : `${label.slice(0, cut)} ${note}${label.slice(cut)}`;
}

/**
 * The inspector's annotations of a compressed frame: the frame's own (RSV1 allowed: the extension was agreed),
 * the payload shown as the deflate bytes it is, and what they inflate to (RFC 7692 §7.2).
 */
function compressedFields(
  bytes: Uint8Array,
  from: 'client' | 'server',
  extra: FrameExtra,
): FieldAnnotation[] {
  const decoded = decodeWsFrame(bytes, { from, deflate: true });
  if (!decoded.ok) return [];
  const whole = extra.fragment === undefined || extra.fragment.count === 1;
  const part = whole ? '' : ` (piece ${extra.fragment!.index + 1} of ${extra.fragment!.count})`;
  const text = TEXT.decode(extra.inflated!);
  const shown = text.length > 60 ? `${JSON.stringify(text.slice(0, 60))}…` : JSON.stringify(text);
  return decoded.fields.map((f) => {
    if (f.key === 'rsv1' && decoded.repr.rsv1) {
      // RFC 7692 §6: RSV1 is the "Per-Message Compressed" bit, set on a compressed message's first frame.
      return {
        ...f,
        value: '1 (compressed)',
        meaning: 'permessage-deflate (RFC 7692 §6): the message this frame starts is compressed.',
      };
    }
    if (f.key !== 'payload') return f;
    return {
      ...f,
      name: `${f.name}, compressed`,
      meaning:
        // RFC 7692 §7.2.1: raw DEFLATE with the trailing 00 00 ff ff of a sync flush removed.
        `Raw DEFLATE data${part} (RFC 7692 §7.2.1: the final 00 00 ff ff of the sync flush is left off). ` +
        `Inflated, the message is ${extra.inflated!.length} bytes: ${shown}. The compression is the ` +
        'permessage-deflate extension agreed in the upgrade (Sec-WebSocket-Extensions), not a layer of its own.',
    };
  });
}

function dataFrame(
  opcode: number,
  fin: boolean,
  payload: Uint8Array,
  maskKey: Uint8Array | null,
  rsv1 = false,
): WsFrameRepr {
  return { fin, rsv1, rsv2: false, rsv3: false, opcode, maskKey, payload };
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
  /**
   * permessage-deflate's compressor (protocol/permessageDeflate.ts), given only by the stories that may
   * compress, so that pako loads with them alone. The browser always offers the extension (Chrome does); a
   * server with a kit is a ws server created with `perMessageDeflate: true`.
   */
  readonly deflate?: DeflateKit;
  /**
   * setTimeout for the close timer (ws's closeTimeout, Chrome's closing handshake timeout); without it an
   * unanswered Close frame waits forever (the stories whose peers always answer).
   */
  readonly timers?: { timer(delayNs: number, fn: () => void): SimTimer };
}

/** ws's closeTimeout default: 30 s (lib/websocket.js CLOSE_TIMEOUT, used by setCloseTimer). */
export const WS_CLOSE_TIMEOUT_NS = 30_000 * NS_PER_MS;
/** Chrome's kClosingHandshakeTimeoutSeconds = 60 (net/websockets/websocket_channel.cc). */
export const CHROME_CLOSING_HANDSHAKE_TIMEOUT_NS = 60_000 * NS_PER_MS;

/** permessage-deflate's two halves, one stream per direction (RFC 7692 §7.2). */
export interface DeflateKit {
  /** `emptyResets`: Chrome's deflater, which resets its context after an empty message (see permessageDeflate.ts). */
  deflater(
    windowBits: number,
    noContextTakeover: boolean,
    emptyResets: boolean,
  ): { compress(data: Uint8Array): Uint8Array };
  inflater(
    windowBits: number,
    noContextTakeover: boolean,
  ): { decompress(data: Uint8Array): DecodeResult<Uint8Array> };
}

/** The agreed extension at work on one end. */
interface DeflateAtWork {
  readonly params: DeflateParams;
  readonly tx: { compress(data: Uint8Array): Uint8Array };
  readonly rx: { decompress(data: Uint8Array): DecodeResult<Uint8Array> };
}

/** ws's PerMessageDeflate `threshold` default (lib/permessage-deflate.js). */
export const WS_DEFLATE_THRESHOLD = 1024;

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
  protected readonly deflateKit: DeflateKit | null;
  /** permessage-deflate, once both ends agreed on it in the opening handshake. */
  deflate: DeflateAtWork | null = null;
  hooks: WsHooks = {};
  private readonly timers: WsEndOptions['timers'];
  private closeTimer: SimTimer | null = null;

  constructor(o: WsEndOptions, role: 'client' | 'server') {
    this.timers = o.timers;
    this.host = o.host;
    this.role = role;
    this.observer = o.observer ?? SILENT;
    this.writes = o.writes ?? PLAIN_WS_WRITES;
    this.messageIndices = o.messageIndices ?? [];
    this.deflateKit = o.deflate ?? null;
  }

  /** Put the agreed extension to work: this end compresses with its own window, inflates with the peer's. */
  protected startDeflate(kit: DeflateKit, params: DeflateParams): void {
    const client = this.role === 'client';
    this.deflate = {
      params,
      tx: client
        ? kit.deflater(params.clientMaxWindowBits, params.clientNoContextTakeover, true)
        : kit.deflater(params.serverMaxWindowBits, params.serverNoContextTakeover, false),
      rx: client
        ? kit.inflater(params.serverMaxWindowBits, params.serverNoContextTakeover)
        : kit.inflater(params.clientMaxWindowBits, params.clientNoContextTakeover),
    };
  }

  /**
   * Whether this end compresses a message of `length` bytes. Chrome: every data message once the extension
   * is on (net/websockets/websocket_deflate_predictor_impl.cc: Predict always answers DEFLATE). ws
   * (lib/sender.js send): always, unless server_no_context_takeover was agreed, when only messages of at
   * least `threshold` (1024) bytes are.
   */
  private compresses(length: number): boolean {
    if (!this.deflate) return false;
    if (this.role === 'client') return true;
    return !this.deflate.params.serverNoContextTakeover || length >= WS_DEFLATE_THRESHOLD;
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
      const decoded = decodeWsFrame(this.rx.take(extent), { from, deflate: this.deflate !== null });
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
    let data: Uint8Array | undefined;
    let compressed: number | undefined;
    if (frames[0]!.rsv1 && this.deflate) {
      // RFC 7692 §7.2.2: join the frames' payloads, append 00 00 ff ff, inflate; then §8.1's UTF-8 check.
      const joined = concatBytes(...frames.map((g) => g.payload));
      const inflated = this.deflate.rx.decompress(joined);
      if (!inflated.ok) {
        this.fail(inflated.error.message, inflated.error.message);
        return;
      }
      if (frames[0]!.opcode === WS_OPCODES.text && strictUtf8(inflated.repr) === null) {
        this.fail('the inflated text is not valid UTF-8', 'invalid UTF-8');
        return;
      }
      data = inflated.repr;
      compressed = joined.length;
    } else {
      // decodeWsFrame has checked a single frame's UTF-8; fragments are joined and checked by reassemble.
      const joined = frames.length === 1 ? null : reassemble(frames);
      data = joined === null ? f.payload : joined.ok ? joined.messages[0]?.data : undefined;
    }
    if (!data) return;
    // §7.1.4 / §5.5.1: after a Close frame was sent, data still arriving is read (ws does so too).
    const nth = this.received++;
    const text = TEXT.decode(data);
    const message = this.messageIndices[nth] ?? -1;
    // Two literals, not a spread of an optional part: this runs for every message.
    this.emit(
      compressed === undefined
        ? { kind: 'message', host: this.host, message, text, bytes: data.length, frames: frames.length }
        : {
            kind: 'message',
            host: this.host,
            message,
            text,
            bytes: data.length,
            frames: frames.length,
            compressed,
          },
    );
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
    const raw = utf8(text);
    // RFC 7692 §7.2.1: the whole message is compressed first; the frames then carry the compressed bytes.
    const compress = this.compresses(raw.length);
    const bytes = compress ? this.deflate!.tx.compress(raw) : raw;
    const frag = o.frag ?? null;
    // Literals, not spreads of optional parts: this runs for every message.
    const message: FrameExtra =
      o.message === undefined
        ? compress
          ? { inflated: raw }
          : {}
        : compress
          ? { message: o.message, inflated: raw }
          : { message: o.message };
    if (frag === null || bytes.length <= frag) {
      this.writeFrame(dataFrame(WS_OPCODES.text, true, bytes, this.maskKey(), compress), 'message', message);
      return;
    }
    const count = Math.ceil(bytes.length / frag);
    for (let i = 0; i < count; i++) {
      const part = bytes.subarray(i * frag, Math.min((i + 1) * frag, bytes.length));
      const opcode = i === 0 ? WS_OPCODES.text : WS_OPCODES.continuation;
      // RFC 7692 §6.1: RSV1 on the first frame only.
      const repr = dataFrame(opcode, i === count - 1, part, this.maskKey(), compress && i === 0);
      this.writeFrame(repr, 'message', { ...message, fragment: { index: i, count } });
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
    // ws lib/websocket.js close(): setCloseTimer(this) right after the Close frame; Chrome's
    // WebSocketChannel::StartClosingHandshake starts its closing handshake timer the same way.
    const wait = this.role === 'server' ? WS_CLOSE_TIMEOUT_NS : CHROME_CLOSING_HANDSHAKE_TIMEOUT_NS;
    this.closeTimer = this.timers?.timer(wait, () => this.closeTimedOut()) ?? null;
  }

  /**
   * The Close frame was never answered: ws calls `socket.destroy()` (lib/websocket.js setCloseTimer), Chrome
   * drops the connection (websocket_channel.cc CloseTimeout). Closing the descriptor makes Linux send a FIN
   * after what is still unacknowledged (tcp_close: no unread data, so no RST; RFC 2525 §2.17), and answer
   * data that arrives later with a RST (RFC 1122 §4.2.2.13): StreamSocket.abort() in sim/engine/network.ts.
   */
  private closeTimedOut(): void {
    this.closeTimer = null;
    if (this.readyState === 'CLOSED') return;
    this.socket?.abort();
    this.finish(false);
  }

  /**
   * Drop the connection without a closing handshake: the program closes its socket (a FIN, and a RST for
   * data that arrives later: StreamSocket.abort() in sim/engine/network.ts).
   */
  abort(): void {
    if (this.readyState === 'CLOSED') return;
    this.socket?.abort();
    this.finish(false);
  }

  protected finish(clean: boolean): void {
    // No WebSocket object exists before the upgrade on the server: nothing to close there.
    if (this.readyState === 'CLOSED' || this.readyState === undefined) return;
    this.readyState = 'CLOSED';
    this.closeTimer?.cancel();
    this.closeTimer = null;
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

/**
 * The browser's upgrade request, given the Sec-WebSocket-Key it chose: the browser lays out its own headers
 * (Chrome's: sim/libs/http.ts browserWsRequest).
 */
export type WsRequest = (key: string) => HttpRequestRepr;

/** The browser's `WebSocket` (client end): opens its own TCP connection. */
export class BrowserWebSocket extends WsEnd {
  readonly key: string;
  private readonly o: {
    readonly world: World;
    readonly server: HostInfo;
    readonly port: number;
    readonly request: WsRequest;
    readonly masks: Rng;
    readonly secure?: (tcp: Socket) => StreamSocket;
  };

  constructor(
    o: WsEndOptions & {
      readonly world: World;
      readonly server: HostInfo;
      readonly port: number;
      readonly request: WsRequest;
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

  /** Whether the browser's request offered permessage-deflate (Chrome's always does). */
  private offeredDeflate(): boolean {
    const header = headerValue(this.o.request(this.key).headers, 'Sec-WebSocket-Extensions');
    const offers = header === undefined ? null : parseExtensions(header);
    return offers?.some((e) => e.name === PERMESSAGE_DEFLATE) ?? false;
  }

  private sendUpgrade(): void {
    if (this.readyState === 'CLOSED') return;
    this.write(this.writes.request(this.o.request(this.key)));
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
      // §4.1 item 6 / RFC 7692 §5.1: an extension in the answer must be one the browser offered.
      const offered = this.offeredDeflate();
      const ext = clientAcceptDeflate(headerValue(head.repr.headers, 'Sec-WebSocket-Extensions'), offered);
      const kit = this.deflateKit;
      if (!ext.ok || (ext.params !== null && kit === null)) {
        this.failed = true;
        this.readyState = 'CLOSED';
        this.socket?.end();
        const why = ext.ok ? 'the compression library is not loaded' : ext.why;
        this.emit({ kind: 'failed', host: this.host, message: why });
        this.hooks.failed?.(why);
        return;
      }
      if (ext.params !== null && kit !== null) this.startDeflate(kit, ext.params);
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
    this.upgrade(key, undefined);
    this.rx.push(rest);
    this.readFrames();
  }

  /**
   * ws's completeUpgrade (lib/websocket-server.js): 101 with Upgrade, Connection, Sec-WebSocket-Accept, and
   * Sec-WebSocket-Extensions only when perMessageDeflate is on and acceptAsServer took the client's offer.
   */
  private upgrade(key: string, offer: string | undefined): void {
    this.key = key;
    const kit = this.deflateKit;
    const accepted = kit ? wsAcceptDeflate(offer) : null;
    const response = upgradeResponse(key);
    this.write(
      this.writes.response(
        accepted
          ? { ...response, headers: [...response.headers, ['Sec-WebSocket-Extensions', accepted.response]] }
          : response,
      ),
    );
    if (accepted && kit) this.startDeflate(kit, accepted.params);
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
      this.upgrade(key, headerValue(head.repr.headers, 'Sec-WebSocket-Extensions'));
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
