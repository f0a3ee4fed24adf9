/**
 * HTTP/1.1 over the simulated TCP: a browser's pool of persistent connections to one server, and a
 * Node `http.Server` that reads requests one at a time per connection. The Socket.IO story (Engine.IO's
 * long-polling transport) and the polling comparison both run on it.
 *
 * Choices, with their sources:
 * - Persistent connections (RFC 9112 §9.3): the browser keeps a connection open after a response and
 *   reuses the idle one used most recently; it opens a new one only when all are busy, at most six per
 *   host (Chrome's limit for HTTP/1.1). It never pipelines (RFC 9112 §9.3.2; browsers do not).
 * - The server closes a connection that stays idle for 5 s after its last response (Node's
 *   `server.keepAliveTimeout` default) and says so in `Keep-Alive: timeout=5`; the browser then closes
 *   its side. A request the browser sent on a reused connection that the server closed before
 *   answering is sent again on another connection (RFC 9112 §9.3.1; Chrome retries it).
 * - Messages are framed by Content-Length (RFC 9112 §6.3), except a streamed response (Server-Sent Events):
 *   Node writes a body whose length it does not know with `Transfer-Encoding: chunked` (RFC 9112 §7.1), and
 *   the browser hands each chunk to the page as it comes (src/protocol/sse.ts decodes them).
 * - `abort()` is the program dropping a request (xhr.abort(), or giving up on a dead peer): the
 *   connection is aborted (RFC 9293 §3.10.5), as a browser cannot reuse a connection whose response
 *   it stopped reading.
 */
import { utf8 } from '../../protocol/bytes';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  decodeHttpResponseHead,
  type HttpHeaders,
  type HttpRequestRepr,
  type HttpResponseRepr,
} from '../../protocol/http';
import { NS_PER_MS, type SecureTransport, type StreamSocket, type World } from '../engine/network';
import type { AppWrite } from '../engine/packet';
import { ByteQueue } from '../engine/byteQueue';
import type { HostInfo } from '../types';
import { ChunkedDecoder } from '../../protocol/sse';
import { BROWSER_IDENTITY, pageOrigin } from './chromeUpgrade';

export { BROWSER_IDENTITY, CHROME_DEFLATE_OFFER, browserWsRequest } from './chromeUpgrade';

export const HTTP_TIMING = {
  /** Node's `http.Server#keepAliveTimeout` default. */
  keepAliveTimeoutNs: 5000 * NS_PER_MS,
  /** Chrome's limit of HTTP/1.1 connections per host. */
  maxConnectionsPerHost: 6,
} as const;

/**
 * Milliseconds from 1970 to the simulation's time zero, 2011-12-11T00:00:00Z: the same instant as the
 * capture's (timeline.ts PCAP_EPOCH_SECONDS), so Date headers and capture timestamps agree.
 */
export const HTTP_EPOCH_MS = 1323561600 * 1000;

/**
 * The client hints Chrome adds for a secure origin, as Debian's Chromium 156 sent them
 * (../shared/reference/routed/chromium-wss.pcap frame 41, decrypted with chromium-wss.keys); the brand
 * list names the Chrome version of BROWSER_IDENTITY.userAgent.
 */
const CLIENT_HINTS = {
  platform: ['sec-ch-ua-platform', '"Linux"'],
  brands: ['sec-ch-ua', '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"'],
  mobile: ['sec-ch-ua-mobile', '?0'],
} as const satisfies Record<string, readonly [string, string]>;

/** RFC 9110 §5.6.7 IMF-fixdate of a simulated instant, e.g. `Sun, 11 Dec 2011 00:00:00 GMT`. */
export function httpDate(nowNs: number): string {
  return new Date(HTTP_EPOCH_MS + Math.floor(nowNs / NS_PER_MS)).toUTCString();
}

/**
 * The headers Chrome sends with a same-origin `XMLHttpRequest`/`fetch` over plain http:// (no Sec-Fetch-*
 * or client hints: those go only to secure origins). A body adds Content-Length, its Content-type (as
 * the script set it) and Origin, in Chrome's order.
 *
 * `secure` (an https:// page): the client hints and Sec-Fetch-* headers in the order Chromium sent them for
 * a same-origin subresource over TLS, with br and zstd offered (chromium-wss.pcap frame 41); Mode `cors`
 * and Dest `empty` are what the Fetch standard sets for XHR (fetch.spec.whatwg.org, "request destination").
 * The reference holds no POST over TLS: its body headers keep their places from the http:// order.
 */
export function browserRequest(
  method: 'GET' | 'POST',
  target: string,
  body?: { readonly length: number; readonly contentType: string },
  secure = false,
): HttpRequestRepr {
  const page = pageOrigin(secure);
  const headers: [string, string][] = [
    ['Host', BROWSER_IDENTITY.host],
    ['Connection', 'keep-alive'],
  ];
  if (body) headers.push(['Content-Length', String(body.length)]);
  if (secure) headers.push([...CLIENT_HINTS.platform]);
  headers.push(['User-Agent', BROWSER_IDENTITY.userAgent]);
  if (secure) headers.push([...CLIENT_HINTS.brands]);
  if (body) headers.push(['Content-type', body.contentType]);
  if (secure) headers.push([...CLIENT_HINTS.mobile]);
  headers.push(['Accept', '*/*']);
  if (body) headers.push(['Origin', page.origin]);
  if (secure) {
    headers.push(['Sec-Fetch-Site', 'same-origin'], ['Sec-Fetch-Mode', 'cors'], ['Sec-Fetch-Dest', 'empty']);
  }
  headers.push(
    ['Referer', page.referer],
    ['Accept-Encoding', secure ? 'gzip, deflate, br, zstd' : 'gzip, deflate'],
    ['Accept-Language', 'en-US,en;q=0.9'],
  );
  return { method, target, version: 'HTTP/1.1', headers };
}

/**
 * Chrome's `new EventSource(path)` request: the XHR/fetch headers above with `Accept: text/event-stream`
 * in Accept's place (WHATWG HTML §9.2.2 "The EventSource interface": the constructor sets it), and
 * Pragma/Cache-Control `no-cache` because an EventSource request's cache mode is "no-store" (§9.2.2; the Fetch
 * standard's "HTTP-network-or-cache fetch" then adds both, as for chromium-ws.pcap's upgrade request). Their
 * place after Connection follows that upgrade request; the reference holds no EventSource request, so the
 * order is Wirewalk's choice.
 */
export function browserEventSourceRequest(target: string): HttpRequestRepr {
  const base = browserRequest('GET', target);
  const headers: [string, string][] = [];
  for (const [name, value] of base.headers) {
    if (name === 'Accept') headers.push(['Accept', 'text/event-stream']);
    else headers.push([name, value]);
    if (name === 'Connection') headers.push(['Pragma', 'no-cache'], ['Cache-Control', 'no-cache']);
  }
  return { ...base, headers };
}

/**
 * A streamed response as Node's `http` module writes it after `res.writeHead(status, headers)` and
 * `res.flushHeaders()`: the program's headers in its order, then Date; no Keep-Alive when the program set
 * Connection itself; and, as no Content-Length was set, `Transfer-Encoding: chunked` (Node's
 * lib/_http_outgoing.js `_storeHeader`; checked against Node 20's bytes).
 */
export function nodeStreamResponse(
  status: number,
  reason: string,
  headers: HttpHeaders,
  nowNs: number,
): HttpResponseRepr {
  return {
    version: 'HTTP/1.1',
    status,
    reason,
    headers: [...headers, ['Date', httpDate(nowNs)], ['Transfer-Encoding', 'chunked']],
  };
}

/**
 * A response as Node's `http` module writes it: the program's headers in its order, then Date,
 * Connection and Keep-Alive, which Node adds for a persistent connection.
 */
export function nodeResponse(
  status: number,
  reason: string,
  headers: HttpHeaders,
  nowNs: number,
): HttpResponseRepr {
  return {
    version: 'HTTP/1.1',
    status,
    reason,
    headers: [
      ...headers,
      ['Date', httpDate(nowNs)],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', `timeout=${HTTP_TIMING.keepAliveTimeoutNs / 1e9}`],
    ],
  };
}

export interface HttpRequestIn {
  readonly repr: HttpRequestRepr;
  readonly body: Uint8Array;
}

export interface HttpResponseIn {
  readonly repr: HttpResponseRepr;
  readonly body: Uint8Array;
}

const LATIN1 = new TextDecoder('latin1');

/**
 * Cuts complete HTTP messages (head + Content-Length body) out of a connection's byte stream; a response
 * head with `Transfer-Encoding: chunked` is handed out alone (`chunkedHead`), its body read as it streams.
 */
class MessageReader {
  private readonly rx = new ByteQueue();
  private searched = 0;
  private head: { readonly length: number; readonly body: number; readonly chunked: boolean } | null = null;

  push(b: Uint8Array): void {
    this.rx.push(b);
  }

  get buffered(): number {
    return this.rx.length;
  }

  /** Reads the next message's head once it is complete; false while it is not. */
  private readHead(): boolean {
    if (this.head) return true;
    if (this.rx.length === 0) return false;
    const end = this.rx.headEnd(this.searched);
    if (end < 0) {
      this.searched = this.rx.length;
      return false;
    }
    const text = LATIN1.decode(this.rx.peek(end));
    const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(text);
    const chunked = /\r\ntransfer-encoding:[^\r]*chunked/i.test(text);
    this.head = { length: end, body: m ? Number(m[1]) : 0, chunked };
    return true;
  }

  /** The bytes of the next complete message, or null while it is incomplete (or chunked). */
  next(): Uint8Array | null {
    if (!this.readHead() || !this.head || this.head.chunked) return null;
    const total = this.head.length + this.head.body;
    if (this.rx.length < total) return null;
    this.head = null;
    this.searched = 0;
    return this.rx.take(total);
  }

  /** The head of a chunked message, once complete (its body follows in `rest()` and later bytes). */
  chunkedHead(): Uint8Array | null {
    if (!this.readHead() || !this.head?.chunked) return null;
    const length = this.head.length;
    this.head = null;
    this.searched = 0;
    return this.rx.take(length);
  }

  /** Whatever follows the last message (after an upgrade, the new protocol's first bytes). */
  rest(): Uint8Array {
    return this.rx.length > 0 ? this.rx.take(this.rx.length) : new Uint8Array(0);
  }
}

// ---- The browser ----

export interface ExchangeHooks {
  response(res: HttpResponseIn): void;
  /** A chunked response's head arrived; its body follows chunk by chunk (RFC 9112 §7.1). */
  head?(repr: HttpResponseRepr): void;
  /** One chunk's data, as it arrives. */
  chunk?(data: Uint8Array): void;
  /** The connection closed or was aborted before the whole response came. */
  failed?(why: 'closed' | 'aborted'): void;
}

/** Why the browser opens a connection (the timeline says so at the SYN). */
export type OpenReason = 'first' | 'all-busy' | 'retry';

export interface BrowserHttpHooks {
  /** Called just before the connection's SYN is sent. */
  opening?(reason: OpenReason, poolSize: number): void;
  /** The connection is established; `n` counts this browser's HTTP connections from 1. */
  opened?(socket: StreamSocket, n: number): void;
}

interface PoolConn {
  readonly n: number;
  socket: StreamSocket | null;
  state: 'connecting' | 'busy' | 'idle' | 'closed';
  exchange: Exchange | null;
  readonly reader: MessageReader;
  /** Carried a request before the current one. */
  used: boolean;
  /** Bytes of the current response have arrived. */
  answered: boolean;
  /** A chunked response being read: its head and the decoder of its body. */
  stream: {
    readonly repr: HttpResponseRepr;
    readonly decoder: ChunkedDecoder;
    readonly body: Uint8Array[];
  } | null;
  idleSince: number;
}

interface Exchange {
  readonly write: AppWrite;
  readonly hooks: ExchangeHooks;
  conn: PoolConn | null;
  done: boolean;
}

export interface ExchangeHandle {
  /** Give up on the request: the connection carrying it is aborted. */
  abort(): void;
  /**
   * Stop reading a streamed response (EventSource.close()): the connection cannot be reused, so the browser
   * closes its socket; with nothing unread that is a FIN (Linux's close()), not a RST. Chrome's choice
   * (net/http/http_network_transaction.cc: a stream that is not reusable is closed, not returned to the pool).
   */
  close(): void;
  readonly done: boolean;
}

export class BrowserHttp {
  private readonly conns: PoolConn[] = [];
  private readonly queue: Exchange[] = [];
  private opened = 0;
  /**
   * The browser's own network is down (navigator.onLine false). Chrome then fails a new request at once,
   * without sending anything (net::ERR_INTERNET_DISCONNECTED; the XHR fires 'error'): Chrome's choice.
   */
  offline = false;

  constructor(
    private readonly world: World,
    readonly host: HostInfo,
    readonly server: HostInfo,
    readonly port: number,
    private readonly hooks: BrowserHttpHooks = {},
    /** https://: TLS over each connection (and over the WebSockets an Engine.IO client opens beside them). */
    readonly secure: SecureTransport | null = null,
  ) {}

  /** Connections currently open or opening. */
  get size(): number {
    return this.conns.length;
  }

  /** Send a request whose bytes (an encoded HTTP request) and labels `write` carries. */
  request(write: AppWrite, hooks: ExchangeHooks): ExchangeHandle {
    const x: Exchange = { write, hooks, conn: null, done: false };
    if (this.offline) {
      x.done = true;
      // The XHR's error event comes in a later turn, as a browser's events do.
      this.world.nextTurn(() => hooks.failed?.('aborted'));
      return { abort: () => {}, close: () => {}, done: true };
    }
    this.queue.push(x);
    this.dispatch(false);
    return {
      abort: () => this.abort(x),
      close: () => this.close(x),
      get done() {
        return x.done;
      },
    };
  }

  /** Abort every connection (the page gives up on all of them). */
  abortAll(): void {
    for (const c of [...this.conns]) this.kill(c, true);
    for (const x of this.queue.splice(0)) {
      x.done = true;
      x.hooks.failed?.('aborted');
    }
  }

  private abort(x: Exchange): void {
    if (x.done) return;
    x.done = true;
    const i = this.queue.indexOf(x);
    if (i >= 0) this.queue.splice(i, 1);
    if (x.conn) this.kill(x.conn, true);
  }

  private close(x: Exchange): void {
    if (x.done) return;
    x.done = true;
    const i = this.queue.indexOf(x);
    if (i >= 0) this.queue.splice(i, 1);
    const c = x.conn;
    if (!c) return;
    c.socket?.end();
    this.drop(c);
  }

  private dispatch(retry: boolean): void {
    while (this.queue.length > 0) {
      let idle: PoolConn | undefined;
      for (const c of this.conns) {
        if (c.state === 'idle' && (!idle || c.idleSince >= idle.idleSince)) idle = c;
      }
      if (idle) {
        this.send(idle, this.queue.shift()!);
        continue;
      }
      const connecting = this.conns.filter((c) => c.state === 'connecting' && !c.exchange).length;
      if (connecting > 0) {
        // A connection on its way takes the next request when it is ready.
        const c = this.conns.find((k) => k.state === 'connecting' && !k.exchange)!;
        const x = this.queue.shift()!;
        c.exchange = x;
        x.conn = c;
        continue;
      }
      if (this.conns.length >= HTTP_TIMING.maxConnectionsPerHost) return;
      const x = this.queue.shift()!;
      this.open(x, retry ? 'retry' : this.conns.length === 0 ? 'first' : 'all-busy');
    }
  }

  private open(x: Exchange, reason: OpenReason): void {
    const c: PoolConn = {
      n: ++this.opened,
      socket: null,
      state: 'connecting',
      exchange: x,
      reader: new MessageReader(),
      used: false,
      answered: false,
      stream: null,
      idleSince: 0,
    };
    x.conn = c;
    this.conns.push(c);
    this.hooks.opening?.(reason, this.conns.length);
    const tcp = this.world.connect(this.host, this.server, this.port, {});
    // TCP's first event comes in the next turn: the handlers are in place by then.
    const socket = this.secure ? this.secure.client(tcp) : tcp;
    c.socket = socket;
    socket.handlers = {
      established: () => {
        if (c.state === 'closed') return;
        this.hooks.opened?.(c.socket!, c.n);
        const next = c.exchange;
        c.exchange = null;
        if (next && !next.done) this.send(c, next);
        else {
          c.state = 'idle';
          c.idleSince = this.world.now;
          this.dispatch(false);
        }
      },
      data: (b) => this.data(c, b),
      end: () => this.ended(c),
      aborted: () => this.kill(c, false),
    };
  }

  private send(c: PoolConn, x: Exchange): void {
    c.state = 'busy';
    c.exchange = x;
    c.answered = false;
    x.conn = c;
    c.socket!.write(x.write.bytes, x.write);
  }

  private data(c: PoolConn, b: Uint8Array): void {
    if (c.state === 'closed') return;
    c.answered = true;
    if (c.stream) {
      this.streamData(c, b);
      return;
    }
    c.reader.push(b);
    const head = c.reader.chunkedHead();
    if (head) {
      const r = decodeHttpResponseHead(head);
      if (!r.ok) {
        this.kill(c, true);
        return;
      }
      c.stream = { repr: r.repr, decoder: new ChunkedDecoder(), body: [] };
      const x = c.exchange;
      if (x && !x.done) x.hooks.head?.(r.repr);
      this.streamData(c, c.reader.rest());
      return;
    }
    const bytes = c.reader.next();
    if (!bytes) return;
    const x = c.exchange;
    const r = decodeHttpResponse(bytes);
    c.exchange = null;
    c.used = true;
    c.state = 'idle';
    c.idleSince = this.world.now;
    if (x && !x.done) {
      x.done = true;
      if (r.ok) x.hooks.response({ repr: r.repr, body: r.payload });
      else x.hooks.failed?.('closed');
    }
    this.dispatch(false);
  }

  /** A chunked body's bytes: each chunk to the page as it comes; the last chunk completes the response. */
  private streamData(c: PoolConn, b: Uint8Array): void {
    const s = c.stream!;
    for (const item of s.decoder.push(b)) {
      const x = c.exchange;
      if (item.kind === 'error') {
        // RFC 9112 §7.1: a malformed chunked body cannot be read on; the connection is dropped.
        this.kill(c, true);
        return;
      }
      if (item.kind === 'chunk') {
        s.body.push(item.data);
        if (x && !x.done) x.hooks.chunk?.(item.data);
        continue;
      }
      c.stream = null;
      c.exchange = null;
      c.used = true;
      c.state = 'idle';
      c.idleSince = this.world.now;
      if (x && !x.done) {
        x.done = true;
        const body = new Uint8Array(s.body.reduce((n, d) => n + d.length, 0));
        let at = 0;
        for (const d of s.body) {
          body.set(d, at);
          at += d.length;
        }
        x.hooks.response({ repr: s.repr, body });
      }
      this.dispatch(false);
      return;
    }
  }

  /** The server closed the connection (keep-alive timeout): close ours too. */
  private ended(c: PoolConn): void {
    // The page closed this connection first (close()): TCP finishes the closing by itself.
    if (c.state === 'closed') return;
    const x = c.exchange;
    c.socket?.end();
    this.drop(c);
    if (x && !x.done) {
      if (c.used && !c.answered) {
        // RFC 9112 §9.3.1: the server closed a reused connection before answering: try again.
        x.conn = null;
        this.queue.unshift(x);
        this.dispatch(true);
      } else {
        x.done = true;
        x.hooks.failed?.('closed');
      }
    }
  }

  private kill(c: PoolConn, local: boolean): void {
    const x = c.exchange;
    if (local) c.socket?.abort();
    this.drop(c);
    if (x && !x.done) {
      x.done = true;
      x.hooks.failed?.('aborted');
    }
  }

  private drop(c: PoolConn): void {
    c.state = 'closed';
    c.exchange = null;
    const i = this.conns.indexOf(c);
    if (i >= 0) this.conns.splice(i, 1);
  }
}

// ---- The server ----

/** One pending answer: the program calls `send` once, now or later (long-polling holds it). */
export class HttpResponder {
  private sent = false;
  /** Called if the connection closes before the answer was sent. */
  onClose: (() => void) | null = null;

  constructor(
    private readonly conn: ServerConn,
    readonly request: HttpRequestIn,
  ) {}

  get open(): boolean {
    return !this.sent && this.conn.state !== 'closed';
  }

  get socket(): StreamSocket {
    return this.conn.socket;
  }

  send(write: AppWrite): void {
    if (!this.open || this.streaming) return;
    this.sent = true;
    this.conn.socket.write(write.bytes, write);
    this.conn.finished(this);
  }

  private streaming = false;

  /** A body streamed in chunks has begun (Node's writeHead + flushHeaders); `end` finishes it. */
  get isStreaming(): boolean {
    return this.streaming && this.open;
  }

  /** Node's `res.writeHead(…)` + `res.flushHeaders()` for a chunked body: `head` is the head's write. */
  stream(head: AppWrite): void {
    if (!this.open || this.streaming) return;
    this.streaming = true;
    this.conn.socket.write(head.bytes, head);
  }

  /** Node's `res.write(data)` on a chunked body: `chunk` is one whole chunk (size line, data, CRLF). */
  write(chunk: AppWrite): void {
    if (!this.isStreaming) return;
    this.conn.socket.write(chunk.bytes, chunk);
  }

  /** Node's `res.end()`: `last` is the last chunk (`0` CRLF CRLF); the connection is free again. */
  end(last: AppWrite): void {
    if (!this.isStreaming) return;
    this.sent = true;
    this.conn.socket.write(last.bytes, last);
    this.conn.finished(this);
  }

  /** Drop the connection without an answer (the program gives up on the client). */
  abort(): void {
    if (this.conn.state === 'closed') return;
    this.sent = true;
    this.conn.abort();
  }
}

export interface HttpServerHandler {
  request(req: HttpRequestIn, res: HttpResponder): void;
  /**
   * A request with `Upgrade`: return true to take the connection over (its socket and any bytes that
   * followed the request), false to answer it as an ordinary request.
   */
  upgrade?(req: HttpRequestIn, socket: StreamSocket, rest: Uint8Array): boolean;
}

class ServerConn {
  state: 'idle' | 'busy' | 'closed' | 'upgraded' = 'idle';
  private readonly reader = new MessageReader();
  private current: HttpResponder | null = null;
  private idleTimer = 0;

  constructor(
    private readonly server: HttpServer,
    readonly socket: StreamSocket,
  ) {
    socket.handlers = {
      data: (b) => this.data(b),
      end: () => {
        // Node closes its side when the client does (allowHalfOpen false).
        this.close();
        this.socket.end();
      },
      aborted: () => this.close(),
    };
  }

  private data(b: Uint8Array): void {
    if (this.state === 'closed' || this.state === 'upgraded') return;
    this.reader.push(b);
    this.next();
  }

  private next(): void {
    while (this.state === 'idle') {
      const bytes = this.reader.next();
      if (!bytes) return;
      const r = decodeHttpRequest(bytes);
      if (!r.ok) {
        this.socket.end();
        this.close();
        return;
      }
      const req: HttpRequestIn = { repr: r.repr, body: r.payload };
      this.idleTimer++;
      const upgrade = r.repr.headers.some(([n]) => n.toLowerCase() === 'upgrade');
      if (upgrade && this.server.handler.upgrade) {
        this.state = 'upgraded';
        if (this.server.handler.upgrade(req, this.socket, this.reader.rest())) return;
        this.state = 'idle';
      }
      this.state = 'busy';
      this.current = new HttpResponder(this, req);
      this.server.handler.request(req, this.current);
    }
  }

  finished(res: HttpResponder): void {
    if (this.current !== res) return;
    this.current = null;
    if (this.state !== 'busy') return;
    this.state = 'idle';
    this.armIdle();
    this.next();
  }

  private armIdle(): void {
    const gen = ++this.idleTimer;
    this.server.world.schedule(this.server.world.now + HTTP_TIMING.keepAliveTimeoutNs, () => {
      if (gen !== this.idleTimer || this.state !== 'idle') return;
      this.close();
      this.socket.end();
    });
  }

  abort(): void {
    this.socket.abort();
    this.close();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.idleTimer++;
    const res = this.current;
    this.current = null;
    res?.onClose?.();
  }
}

export class HttpServer {
  constructor(
    readonly world: World,
    readonly host: HostInfo,
    readonly port: number,
    readonly handler: HttpServerHandler,
    /** https://: TLS over each accepted connection. */
    secure: SecureTransport | null = null,
  ) {
    world.listen(host, port, (socket) => {
      new ServerConn(this, secure ? secure.server(socket) : socket);
    });
  }
}

/** A body as UTF-8 bytes with its length, for Content-Length. */
export function textBody(text: string): Uint8Array {
  return utf8(text);
}
