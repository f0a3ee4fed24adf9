/**
 * engine.io-client 6 in the browser: its Socket with the upgrade mechanism (SocketWithUpgrade) and its
 * two transports, long-polling (XHR) and WebSocket. How the protocol runs, and how a session that gives
 * up closes, are in ./transport.ts.
 */
import { utf8 } from '../../../protocol/bytes';
import {
  EIO_PROTOCOL,
  PROBE,
  decodeEioPacket,
  decodeEioPayload,
  encodeEioPacket,
  encodeEioPayload,
  parseHandshake,
  type EioHandshake,
  type EioPacketRepr,
} from '../../../protocol/engineio';
import type { Clock, SimTimer } from '../../engine/clock';
import { NS_PER_MS, type Socket } from '../../engine/network';
import { rngStream, type Rng } from '../../engine/rng';
import type { HostInfo } from '../../types';
import { browserRequest, browserWsRequest, type BrowserHttp, type ExchangeHandle } from '../http';
import { BrowserWebSocket } from '../websocket';
import { cacheBuster, eioTarget } from './query';
import type { EioTransport } from './transport';
import { eioWsWrites, httpRequestWrite } from './writes';

const TEXT = new TextDecoder('utf-8');

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

class ClientPolling implements EioTransport {
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
    const repr = browserRequest('GET', this.target(), undefined, this.e.http.secure !== null);
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
    const repr = browserRequest(
      'POST',
      this.target(),
      {
        length: utf8(body).length,
        contentType: 'text/plain;charset=UTF-8',
      },
      this.e.http.secure !== null,
    );
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

class ClientWsTransport implements EioTransport {
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
        e.http.secure !== null,
      ),
      keyBytes: rngStream(e.clock.world.seed, `ws-key:${e.host.id}:${e.n}:${n}`).bytes(16),
      masks: rngStream(e.clock.world.seed, `mask:${e.host.id}:${e.n}:${n}`),
      writes: eioWsWrites(e.host.id, true),
      timers: e.clock,
      // https:// pages open wss:// WebSockets (engine.io-client builds the URL from the page's scheme).
      ...(e.http.secure ? { secure: (tcp: Socket) => e.http.secure!.client(tcp) } : {}),
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
  transport: EioTransport;
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

  /**
   * engine.io-client Socket#_onClose (lib/socket.ts): for every reason, 'ping timeout' included, "ensure
   * transport won't stay open": `this.transport.close()`. On the WebSocket transport that is the browser's
   * `ws.close()` without a code (lib/transports/websocket.ts doClose, after setting onclose to a no-op): an
   * empty masked Close frame; Chrome then waits 60 s for the answer (sim/libs/websocket.ts). On polling it
   * is the `1` close packet in a POST, when the transport is open (lib/transports/polling.ts doClose).
   * `abort` (drop the connections, a RST each) is Wirewalk's simplification for a transport error and the
   * Manager's connect timeout, stated in ./transport.ts.
   */
  onClose(reason: string, abort = false): void {
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
