/**
 * WebSocket endpoints (RFC 6455) on top of the simulated TCP: a browser's `WebSocket` and a Node `ws`
 * server connection, and the websocket story that drives them from a scenario.
 *
 * - The browser sends `GET /chat` with Host, Upgrade, Connection, Sec-WebSocket-Key (16 bytes from
 *   the seed), Origin and Sec-WebSocket-Version 13; the server answers 101 with the Accept value
 *   (§4.2.2), which the browser checks before it fires `onopen` (§4.1).
 * - Client frames are masked with a fresh key from the seed (§5.3); server frames never are.
 * - A message longer than `scenario.frag` bytes (UTF-8) goes as a first frame and continuation
 *   frames of `frag` bytes each (§5.4); otherwise as one frame.
 * - Pings come from the server (as `ws`'s heartbeat does) and the browser answers with a pong by
 *   itself, with the same payload (§5.5.2-5.5.3).
 * - Closing (§7.1.2): one side sends Close 1000 "bye"; the other echoes the code (§5.5.1); then the
 *   server closes TCP first (§7.1.1: "the underlying TCP connection, in most normal cases, SHOULD be
 *   closed first by the server, so that it holds the TIME_WAIT state"); the browser closes its side
 *   when it sees the server's FIN and then fires `onclose`. `ws` emits 'close' once TCP has closed.
 *
 * The story is a script: the first message leaves 20 ms after the browser's `onopen`, and each
 * later action (message, ping, close) 20 ms after the previous one reached its reader.
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
import type { AppWrite } from '../engine/packet';
import { CLIENT_HOST, NS_PER_MS, SERVER_HOST, type Socket, type World } from '../engine/network';
import { rngStream, type Rng } from '../engine/rng';
import type { Scenario } from '../scenario';
import type { HostInfo, WsReadyState } from '../types';

export const WS_STORY = {
  /** Pause between one action reaching its reader and the next action (ms of simulated time). */
  thinkNs: 20 * NS_PER_MS,
  host: 'server',
  path: '/chat',
  origin: 'http://server',
  port: 80,
  closeCode: 1000,
  closeReason: 'bye',
} as const;

/** Why a write was made: the timeline labels and narrates packets by it. */
export type WritePurpose =
  'upgrade-request' | 'upgrade-response' | 'message' | 'ping' | 'pong' | 'close' | 'close-echo';

/** An AppWrite with the story's reasons attached. */
export interface StoryWrite extends AppWrite {
  readonly purpose: WritePurpose;
  /** Index in scenario.messages, for 'message' writes. */
  readonly message?: number;
  /** 0-based frame index and frame count, for a fragmented message. */
  readonly fragment?: { readonly index: number; readonly count: number };
  readonly frame?: WsFrameRepr;
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

export interface WsStoryOptions {
  /** Replace the seeded Sec-WebSocket-Key (16 raw bytes), e.g. to answer a real client's key. */
  readonly wsKey?: Uint8Array;
}

/** One decoder for every payload shown as text (invalid UTF-8 would show as U+FFFD; none is sent). */
const TEXT = new TextDecoder('utf-8');

/** Bytes arriving in pieces; taken out whole once enough are there (no re-scanning, no O(n²)). */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  length = 0;

  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  /** The first `n` bytes (n ≤ length), without removing them. */
  peek(n: number): Uint8Array {
    const first = this.chunks[this.head]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (let i = this.head; at < n; i++) {
      const c = this.chunks[i]!;
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
    }
    return out;
  }

  take(n: number): Uint8Array {
    const out = this.peek(n);
    let left = n;
    while (left > 0) {
      const c = this.chunks[this.head]!;
      if (c.length <= left) {
        left -= c.length;
        this.head++;
      } else {
        this.chunks[this.head] = c.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    if (this.head > 64) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Index just past the first CRLF CRLF, or -1. Scans from `from` (bytes already searched). */
  headEnd(from: number): number {
    const all = this.peek(this.length);
    for (let i = Math.max(0, from - 3); i + 3 < all.length; i++) {
      if (all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10) return i + 4;
    }
    return -1;
  }
}

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

function frameWrite(
  repr: WsFrameRepr,
  from: 'client' | 'server',
  purpose: WritePurpose,
  extra: { message?: number; fragment?: { index: number; count: number } } = {},
): StoryWrite {
  return {
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
  };
}

function dataFrame(
  opcode: number,
  fin: boolean,
  payload: Uint8Array,
  maskKey: Uint8Array | null,
): WsFrameRepr {
  return { fin, rsv1: false, rsv2: false, rsv3: false, opcode, maskKey, payload };
}

/** Shared frame handling of both ends. */
abstract class WsEnd {
  readyState: WsReadyState | undefined;
  protected socket: Socket | null = null;
  protected readonly rx = new ByteQueue();
  protected readonly host: HostInfo;
  protected readonly observer: WsObserver;
  protected readonly role: 'client' | 'server';
  private fragments: WsFrameRepr[] = [];
  private received = 0;
  protected closeSent = false;
  protected closeReceived: { code: number | null; reason: string } | null = null;
  protected failed = false;
  /** Called with each complete message (index among the messages this end has received). */
  onMessage: ((nth: number, text: string) => void) | null = null;
  onPong: (() => void) | null = null;

  constructor(host: HostInfo, role: 'client' | 'server', observer: WsObserver) {
    this.host = host;
    this.role = role;
    this.observer = observer;
  }

  protected emit(e: WsAppEvent): void {
    this.observer.app(e, this.readyState);
  }

  protected abstract maskKey(): Uint8Array | null;
  /** Scenario index of the `nth` message this end receives. */
  protected abstract messageIndex(nth: number): number;

  protected readFrames(): void {
    const from = this.role === 'client' ? 'server' : 'client';
    for (;;) {
      if (this.failed) return;
      const extent = frameExtent(this.rx);
      if (extent === null || this.rx.length < extent) return;
      const decoded = decodeFrameBytes(this.rx.take(extent), from);
      if (!decoded.ok) {
        this.failed = true;
        this.emit({ kind: 'failed', host: this.host, message: decoded.message });
        return;
      }
      this.frame(decoded.repr);
    }
  }

  private frame(f: WsFrameRepr): void {
    switch (f.opcode) {
      case WS_OPCODES.ping:
        // §5.5.2: answer a ping with a pong carrying the same application data, as soon as practical.
        this.write(
          frameWrite(dataFrame(WS_OPCODES.pong, true, f.payload, this.maskKey()), this.role, 'pong'),
        );
        return;
      case WS_OPCODES.pong:
        this.emit({ kind: 'pong', host: this.host });
        this.onPong?.();
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
      message: this.messageIndex(nth),
      text,
      bytes: data.length,
      frames: frames.length,
    });
    this.onMessage?.(nth, text);
  }

  protected closeFrame(f: WsFrameRepr): void {
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
      this.write(
        frameWrite(dataFrame(WS_OPCODES.close, true, payload, this.maskKey()), this.role, 'close-echo'),
      );
    } else {
      this.emit({ kind: 'close-received', host: this.host, code, reason, echo });
    }
    this.afterCloseHandshake();
  }

  /** Both Close frames have crossed: what each end does about TCP. */
  protected abstract afterCloseHandshake(): void;

  protected write(w: StoryWrite): void {
    this.socket?.write(w.bytes, w);
  }

  /** `ws.send(text)`: one frame, or fragments of `frag` bytes. */
  send(text: string, message: number, frag: number | null): void {
    if (this.readyState !== 'OPEN') return;
    const bytes = utf8(text);
    if (frag === null || bytes.length <= frag) {
      this.write(
        frameWrite(dataFrame(WS_OPCODES.text, true, bytes, this.maskKey()), this.role, 'message', {
          message,
        }),
      );
      return;
    }
    const count = Math.ceil(bytes.length / frag);
    for (let i = 0; i < count; i++) {
      const part = bytes.subarray(i * frag, Math.min((i + 1) * frag, bytes.length));
      const opcode = i === 0 ? WS_OPCODES.text : WS_OPCODES.continuation;
      this.write(
        frameWrite(dataFrame(opcode, i === count - 1, part, this.maskKey()), this.role, 'message', {
          message,
          fragment: { index: i, count },
        }),
      );
    }
  }

  /** `ws.close(code, reason)`: start the closing handshake. */
  close(code: number, reason: string): void {
    if (this.readyState !== 'OPEN') return;
    this.readyState = 'CLOSING';
    this.closeSent = true;
    this.emit({ kind: 'close-start', host: this.host, code, reason });
    this.write(
      frameWrite(
        dataFrame(WS_OPCODES.close, true, encodeClosePayload(code, reason), this.maskKey()),
        this.role,
        'close',
      ),
    );
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
  }
}

function decodeFrameBytes(
  bytes: Uint8Array,
  from: 'client' | 'server',
): { ok: true; repr: WsFrameRepr } | { ok: false; message: string } {
  const r = decodeWsFrame(bytes, { from });
  return r.ok ? { ok: true, repr: r.repr } : { ok: false, message: r.error.message };
}

/** The browser's `WebSocket` (client end). */
export class BrowserWebSocket extends WsEnd {
  readonly key: string;
  private readonly masks: Rng;
  private searched = 0;
  private readonly messageIndices: readonly number[];
  onOpen: (() => void) | null = null;

  constructor(o: {
    observer: WsObserver;
    seed: number;
    connection: number;
    keyBytes?: Uint8Array;
    messageIndices: readonly number[];
  }) {
    super(CLIENT_HOST, 'client', o.observer);
    const keyBytes = o.keyBytes ?? rngStream(o.seed, `ws-key:${o.connection}`).bytes(16);
    this.key = websocketKey(keyBytes);
    this.masks = rngStream(o.seed, `mask:${o.connection}`);
    this.messageIndices = o.messageIndices;
  }

  protected maskKey(): Uint8Array {
    return this.masks.bytes(4);
  }

  protected messageIndex(nth: number): number {
    return this.messageIndices[nth] ?? -1;
  }

  /** `new WebSocket('ws://server/chat')`. */
  open(world: World): void {
    this.readyState = 'CONNECTING';
    this.emit({ kind: 'create', host: this.host, key: this.key });
    this.socket = world.connect(CLIENT_HOST, SERVER_HOST, WS_STORY.port, {
      established: () => this.sendUpgrade(),
      data: (b) => this.data(b),
      end: () => {
        // The server closed TCP: the browser closes its side, and the WebSocket is closed (§7.1.4).
        this.socket?.end();
        this.finish(this.closeSent && this.closeReceived !== null);
      },
      aborted: () => this.finish(false),
    });
  }

  private sendUpgrade(): void {
    const request = upgradeRequest({
      host: WS_STORY.host,
      path: WS_STORY.path,
      key: this.key,
      origin: WS_STORY.origin,
    });
    const bytes = encodeHttpRequest(request);
    this.write({
      layer: 'http',
      bytes,
      info: { kind: 'http-request', method: request.method, target: request.target, upgrade: true },
      summary: `${request.method} ${request.target} ${request.version} (Upgrade)`,
      from: 'client',
      firstPacket: -1,
      fields: null,
      purpose: 'upgrade-request',
    });
  }

  private data(b: Uint8Array): void {
    this.rx.push(b);
    if (this.readyState === 'CONNECTING') {
      const end = this.rx.headEnd(this.searched);
      this.searched = this.rx.length;
      if (end < 0) return;
      const head = decodeHttpResponse(this.rx.take(end));
      const accept = head.ok ? headerValue(head.repr.headers, 'Sec-WebSocket-Accept') : undefined;
      // §4.1: the client checks the status, Upgrade, Connection and the Accept value.
      if (!head.ok || head.repr.status !== 101 || accept !== websocketAccept(this.key)) {
        this.failed = true;
        this.emit({
          kind: 'failed',
          host: this.host,
          message: 'the server did not accept the WebSocket upgrade',
        });
        return;
      }
      this.readyState = 'OPEN';
      this.emit({ kind: 'open', host: this.host, accept });
      this.onOpen?.();
    }
    this.readFrames();
  }

  protected afterCloseHandshake(): void {
    // §7.1.1: the client waits for the server to close the TCP connection.
  }
}

/** One connection of a Node `ws` WebSocketServer (server end). */
export class WsServerConnection extends WsEnd {
  private searched = 0;
  private readonly messageIndices: readonly number[];
  key = '';

  constructor(o: { observer: WsObserver; messageIndices: readonly number[] }) {
    super(SERVER_HOST, 'server', o.observer);
    this.messageIndices = o.messageIndices;
  }

  protected maskKey(): null {
    return null;
  }

  protected messageIndex(nth: number): number {
    return this.messageIndices[nth] ?? -1;
  }

  attach(socket: Socket): void {
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

  private data(b: Uint8Array): void {
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
      this.key = key;
      const response = upgradeResponse(key);
      this.write({
        layer: 'http',
        bytes: encodeHttpResponse(response),
        info: { kind: 'http-response', status: response.status, reason: response.reason },
        summary: `${response.version} ${response.status} ${response.reason}`,
        from: 'server',
        firstPacket: -1,
        fields: null,
        purpose: 'upgrade-response',
      });
      this.readyState = 'OPEN';
      this.emit({ kind: 'connection', host: this.host, key, accept: websocketAccept(key) });
    }
    this.readFrames();
  }

  /** `ws.ping()`: an empty ping, as ws's heartbeat example sends. */
  ping(): void {
    if (this.readyState !== 'OPEN') return;
    this.write(frameWrite(dataFrame(WS_OPCODES.ping, true, new Uint8Array(0), null), 'server', 'ping'));
  }

  protected afterCloseHandshake(): void {
    // §7.1.1: the server closes the TCP connection first, once both Close frames have crossed.
    this.socket?.end();
  }
}

/**
 * Run the websocket story on `world`: listen, connect, upgrade, each scenario message in order,
 * the ping, the close handshake, the TCP teardown.
 */
export function runWebSocketStory(
  world: World,
  scenario: Scenario,
  observer: WsObserver,
  o: WsStoryOptions = {},
): {
  client: BrowserWebSocket;
  server: () => WsServerConnection | null;
} {
  const fromClient: number[] = [];
  const fromServer: number[] = [];
  scenario.messages.forEach((m, i) => (m.from === 'c' ? fromClient : fromServer).push(i));
  const client = new BrowserWebSocket({
    observer,
    seed: world.seed,
    connection: 0,
    messageIndices: fromServer,
    ...(o.wsKey ? { keyBytes: o.wsKey } : {}),
  });
  let server: WsServerConnection | null = null;

  // The script: actions in order, each THINK after the previous one reached its reader.
  type Action =
    | { readonly kind: 'message'; readonly index: number }
    | { readonly kind: 'ping' }
    | { readonly kind: 'close' };
  const actions: Action[] = scenario.messages.map((_, index) => ({ kind: 'message', index }));
  if (scenario.ping) actions.push({ kind: 'ping' });
  actions.push({ kind: 'close' });
  let next = 0;
  const later = (): void => {
    const at = world.now + WS_STORY.thinkNs;
    world.schedule(at, act);
  };
  const act = (): void => {
    const a = actions[next++];
    if (!a || !server) return;
    if (a.kind === 'message') {
      const m = scenario.messages[a.index]!;
      (m.from === 'c' ? client : server).send(m.text, a.index, scenario.frag);
    } else if (a.kind === 'ping') {
      server.ping();
    } else {
      (scenario.close === 'c' ? client : server).close(WS_STORY.closeCode, WS_STORY.closeReason);
    }
  };
  client.onOpen = later;
  client.onMessage = later;

  world.listen(SERVER_HOST, WS_STORY.port, (socket) => {
    if (server) return;
    server = new WsServerConnection({ observer, messageIndices: fromClient });
    server.onMessage = later;
    server.onPong = later;
    server.attach(socket);
  });
  observer.app({ kind: 'listen', host: SERVER_HOST }, undefined);
  client.open(world);
  return { client, server: () => server };
}
