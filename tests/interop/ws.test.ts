/**
 * Wirewalk's HTTP upgrade and WebSocket frames against the real `ws` 8 library: its frame
 * Receiver and Sender directly, and a real WebSocketServer over a raw loopback TCP socket.
 */
import net from 'node:net';
import fc from 'fast-check';
import * as wsLib from 'ws';
import type { WebSocket } from 'ws';
import { concatBytes, utf8 } from '../../src/protocol/bytes';
import {
  decodeHttpResponse,
  encodeHttpRequest,
  headerValue,
  upgradeRequest,
  websocketAccept,
  websocketKey,
} from '../../src/protocol/http';
import {
  WS_OPCODES,
  decodeClosePayload,
  decodeWsFrame,
  encodeClosePayload,
  encodeWsFrame,
  reassemble,
  type WsFrameRepr,
} from '../../src/protocol/websocket';

/** ws exports its frame codec (wrapper.mjs) but @types/ws does not declare it. */
interface WsReceiver {
  on(event: 'message', cb: (data: Buffer | Buffer[], isBinary: boolean) => void): void;
  on(event: 'ping' | 'pong', cb: (data: Buffer) => void): void;
  on(event: 'conclude', cb: (code: number, reason: Buffer) => void): void;
  on(event: 'error', cb: (err: Error & { code?: string }) => void): void;
  write(chunk: Buffer, cb?: (err?: Error | null) => void): boolean;
}
interface WsInternals {
  Receiver: new (options: { isServer: boolean }) => WsReceiver;
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
    ): Buffer[];
  };
}
const { Receiver, Sender } = wsLib as unknown as WsInternals;
const { WebSocketServer } = wsLib;

type Event = readonly [kind: string, opcodeOrCode: number, data: string];

/** Feed bytes to a ws Receiver and collect what it delivers (payloads as hex). */
function receive(bytes: Uint8Array, isServer: boolean): Promise<Event[]> {
  return new Promise((resolve) => {
    const events: Event[] = [];
    const receiver = new Receiver({ isServer });
    const hex = (b: Buffer) => b.toString('hex');
    receiver.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : data;
      events.push(['message', isBinary ? WS_OPCODES.binary : WS_OPCODES.text, hex(buf)]);
    });
    receiver.on('ping', (data) => events.push(['ping', WS_OPCODES.ping, hex(data)]));
    receiver.on('pong', (data) => events.push(['pong', WS_OPCODES.pong, hex(data)]));
    receiver.on('conclude', (code, reason) => events.push(['close', code, hex(reason)]));
    receiver.on('error', (err) => events.push(['error', 0, err.code ?? err.message]));
    receiver.write(Buffer.from(bytes), () => setImmediate(() => resolve(events)));
  });
}

const repr = (opcode: number, payload: Uint8Array, maskKey: Uint8Array | null, fin = true): WsFrameRepr => ({
  fin,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode,
  maskKey,
  payload,
});
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const KEY = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);
const sized = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + 1) & 0xff);

describe('Wirewalk frames → ws Receiver', () => {
  it.each([0, 5, 125, 126, 65535, 65536, 70000])(
    'a %i-byte binary frame arrives intact, masked to a server and bare to a client',
    async (n) => {
      const payload = sized(n);
      expect(await receive(encodeWsFrame(repr(WS_OPCODES.binary, payload, KEY)), true)).toEqual([
        ['message', WS_OPCODES.binary, hexOf(payload)],
      ]);
      expect(await receive(encodeWsFrame(repr(WS_OPCODES.binary, payload, null)), false)).toEqual([
        ['message', WS_OPCODES.binary, hexOf(payload)],
      ]);
    },
  );

  it('text, fragments with a ping between, pong and close all arrive as sent', async () => {
    const stream = concatBytes(
      encodeWsFrame(repr(WS_OPCODES.text, utf8('κόσμε'), KEY)),
      encodeWsFrame(repr(WS_OPCODES.text, utf8('Hel'), KEY, false)),
      encodeWsFrame(repr(WS_OPCODES.ping, utf8('are you there?'), KEY)),
      encodeWsFrame(repr(WS_OPCODES.continuation, utf8('lo'), KEY)),
      encodeWsFrame(repr(WS_OPCODES.pong, utf8('yes'), KEY)),
      encodeWsFrame(repr(WS_OPCODES.close, encodeClosePayload(1000, 'bye'), KEY)),
    );
    expect(await receive(stream, true)).toEqual([
      ['message', WS_OPCODES.text, hexOf(utf8('κόσμε'))],
      ['ping', WS_OPCODES.ping, hexOf(utf8('are you there?'))],
      ['message', WS_OPCODES.text, hexOf(utf8('Hello'))],
      ['pong', WS_OPCODES.pong, hexOf(utf8('yes'))],
      ['close', 1000, hexOf(utf8('bye'))],
    ]);
  });

  it('any payload and mask key Wirewalk encodes, ws receives unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(fc.integer({ min: 0, max: 70000 }), fc.constantFrom(0, 125, 126, 127, 65535, 65536))
          .chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: null }),
        async (payload, key) => {
          const events = await receive(encodeWsFrame(repr(WS_OPCODES.binary, payload, key)), key !== null);
          expect(events).toEqual([['message', WS_OPCODES.binary, hexOf(payload)]]);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('ws Sender frames → Wirewalk decoder', () => {
  const cases = [
    [WS_OPCODES.text, utf8('Hello')],
    [WS_OPCODES.binary, sized(0)],
    [WS_OPCODES.binary, sized(126)],
    [WS_OPCODES.binary, sized(65536)],
    [WS_OPCODES.ping, utf8('ping')],
    [WS_OPCODES.pong, sized(125)],
    [WS_OPCODES.close, encodeClosePayload(1001, 'going away')],
  ] as const;

  it.each(cases)(
    'opcode %i decodes to the same payload, masked (client) and bare (server)',
    (opcode, payload) => {
      for (const mask of [true, false]) {
        const bytes = Buffer.concat(
          Sender.frame(Buffer.from(payload), { fin: true, opcode, mask, readOnly: true, rsv1: false }),
        );
        const r = decodeWsFrame(new Uint8Array(bytes), { from: mask ? 'client' : 'server' });
        if (!r.ok) throw new Error(r.error.message);
        expect(r.length).toBe(bytes.length);
        expect(r.repr.opcode).toBe(opcode);
        expect(r.repr.maskKey !== null).toBe(mask);
        expect(hexOf(r.payload)).toBe(hexOf(payload));
        // Same header layout: re-encoding with ws's own key gives ws's bytes back.
        expect(hexOf(encodeWsFrame(r.repr))).toBe(bytes.toString('hex'));
      }
    },
  );

  it('fragmented ws frames reassemble in Wirewalk', () => {
    const parts = [
      Sender.frame(Buffer.from('Hel'), { fin: false, opcode: 1, mask: true, readOnly: true, rsv1: false }),
      Sender.frame(Buffer.from('lo'), { fin: true, opcode: 0, mask: true, readOnly: true, rsv1: false }),
    ].map((p) => {
      const r = decodeWsFrame(new Uint8Array(Buffer.concat(p)), { from: 'client' });
      if (!r.ok) throw new Error(r.error.message);
      return r.repr;
    });
    const m = reassemble(parts);
    expect(m.ok && m.messages.map((x) => [x.opcode, Buffer.from(x.data).toString()])).toEqual([[1, 'Hello']]);
  });
});

/** A raw TCP client that speaks only through Wirewalk's encoders and decoders. */
class RawClient {
  private buffer: Uint8Array = new Uint8Array(0);
  private waiters: (() => void)[] = [];
  /** No more bytes will come: the server ended the connection, or the socket closed or failed. */
  ended = false;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = concatBytes(this.buffer, new Uint8Array(chunk));
      this.wake();
    });
    const end = (): void => {
      this.ended = true;
      this.wake();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  /**
   * Wait until `take` can consume something from the buffer, trying again each time bytes arrive; once the
   * socket has ended and `take` still finds nothing, that is an error. No wall clock: a loaded machine is
   * only slower, and the test's own timeout is the guard against a hang.
   */
  async next<T>(take: (bytes: Uint8Array) => { value: T; length: number } | null, what: string): Promise<T> {
    for (;;) {
      const got = take(this.buffer);
      if (got) {
        this.buffer = this.buffer.subarray(got.length);
        return got.value;
      }
      if (this.ended) throw new Error(`no ${what} from the server`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
  frame(): Promise<WsFrameRepr> {
    return this.next((bytes) => {
      const r = decodeWsFrame(bytes, { from: 'server' });
      if (!r.ok && r.error.code === 'incomplete') return null;
      if (!r.ok) throw new Error(`server frame rejected: ${r.error.message}`);
      return { value: r.repr, length: r.length };
    }, 'frame');
  }
  whenEnded(): Promise<void> {
    return this.next(
      (bytes) => (this.ended && bytes.length === 0 ? { value: undefined, length: 0 } : null),
      'end',
    );
  }
}

// Each wait is on the socket, not the clock (RawClient.next); a generous timeout guards against a hang.
describe('a real ws WebSocketServer on loopback, driven by Wirewalk bytes', { timeout: 60_000 }, () => {
  let server: InstanceType<typeof WebSocketServer>;
  let port = 0;
  const sockets: net.Socket[] = [];
  const serverErrors: string[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws: WebSocket) => {
      ws.on('error', (err: Error & { code?: string }) => serverErrors.push(err.code ?? err.message));
      ws.send('server push');
      ws.on('message', (data, isBinary) => {
        if (!isBinary) ws.send(`echo:${String(data)}`);
      });
    });
    await new Promise<void>((resolve) => server.on('listening', () => resolve()));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no port');
    port = address.port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const c of server.clients) c.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Connect, send Wirewalk's upgrade request, check the 101 with Wirewalk's decoder. */
  async function open(seed: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    const key = websocketKey(Uint8Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 17) & 0xff));
    socket.write(encodeHttpRequest(upgradeRequest({ host: `127.0.0.1:${port}`, path: '/chat', key })));
    const response = await client.next((bytes) => {
      const r = decodeHttpResponse(bytes);
      if (!r.ok && r.error.code === 'incomplete') return null;
      if (!r.ok) throw new Error(r.error.message);
      return { value: r.repr, length: r.length };
    }, 'handshake response');
    expect(response.status).toBe(101);
    expect(headerValue(response.headers, 'upgrade')?.toLowerCase()).toBe('websocket');
    expect(headerValue(response.headers, 'Sec-WebSocket-Accept')).toBe(websocketAccept(key));
    return client;
  }

  const send = (client: RawClient, ...frames: WsFrameRepr[]) =>
    client.socket.write(concatBytes(...frames.map(encodeWsFrame)));
  const text = (f: WsFrameRepr) => [f.opcode, Buffer.from(f.payload).toString()];

  it('upgrades, pushes, echoes, and answers a close with a close', async () => {
    const client = await open(1);
    expect(text(await client.frame())).toEqual([WS_OPCODES.text, 'server push']);
    send(client, repr(WS_OPCODES.text, utf8('Hello'), KEY));
    expect(text(await client.frame())).toEqual([WS_OPCODES.text, 'echo:Hello']);
    send(
      client,
      repr(WS_OPCODES.text, utf8('Hel'), KEY, false),
      repr(WS_OPCODES.continuation, utf8('lo!'), KEY),
    );
    expect(text(await client.frame())).toEqual([WS_OPCODES.text, 'echo:Hello!']);
    send(client, repr(WS_OPCODES.ping, utf8('tick'), KEY));
    expect(text(await client.frame())).toEqual([WS_OPCODES.pong, 'tick']);
    send(client, repr(WS_OPCODES.close, encodeClosePayload(1000, 'bye'), KEY));
    const reply = await client.frame();
    expect(reply.opcode).toBe(WS_OPCODES.close);
    expect(decodeClosePayload(reply.payload)).toEqual({ ok: true, code: 1000, reason: 'bye' });
    await client.whenEnded();
  });

  /** Frames that break the protocol: ws must fail the connection with the code Wirewalk predicts. */
  const violations: readonly (readonly [string, WsFrameRepr[]])[] = [
    ['RSV1 without an extension', [{ ...repr(1, utf8('x'), KEY), rsv1: true }]],
    ['RSV3', [{ ...repr(1, utf8('x'), KEY), rsv3: true }]],
    ['reserved opcode 0x3', [repr(3, utf8('x'), KEY)]],
    ['reserved opcode 0xB', [repr(0xb, utf8('x'), KEY)]],
    ['an unmasked client frame', [repr(1, utf8('x'), null)]],
    ['a 126-byte ping', [repr(WS_OPCODES.ping, sized(126), KEY)]],
    ['a fragmented ping', [repr(WS_OPCODES.ping, utf8('x'), KEY, false)]],
    ['invalid UTF-8 text', [repr(1, Uint8Array.of(0xce, 0xba, 0xed, 0xa0, 0x80), KEY)]],
    ['a 1-byte close payload', [repr(WS_OPCODES.close, Uint8Array.of(3), KEY)]],
    ['close code 1005', [repr(WS_OPCODES.close, encodeClosePayload(1005, ''), KEY)]],
    ['close code 999', [repr(WS_OPCODES.close, encodeClosePayload(999, ''), KEY)]],
    ['a close reason in invalid UTF-8', [repr(WS_OPCODES.close, Uint8Array.of(3, 0xe8, 0xc0, 0xaf), KEY)]],
    ['an orphan continuation', [repr(0, utf8('x'), KEY)]],
    ['text inside a fragmented message', [repr(1, utf8('a'), KEY, false), repr(1, utf8('b'), KEY)]],
    [
      'invalid UTF-8 split across fragments',
      [repr(1, Uint8Array.of(0xce), KEY, false), repr(0, Uint8Array.of(0x41), KEY)],
    ],
  ];

  it.each(violations)('%s: ws closes with the close code Wirewalk predicts', async (_what, frames) => {
    const predicted = wirewalkCloseCode(frames);
    expect([1002, 1007]).toContain(predicted);
    const client = await open(2);
    expect(text(await client.frame())).toEqual([WS_OPCODES.text, 'server push']);
    send(client, ...frames);
    const reply = await client.frame();
    expect(reply.opcode).toBe(WS_OPCODES.close);
    const close = decodeClosePayload(reply.payload);
    expect(close.ok && close.code).toBe(predicted);
    // ws stops reading after a violation and waits for the peer to hang up.
    client.socket.destroy();
  });
});

/** What Wirewalk, as the server, would close with: decode each frame, then reassemble. */
function wirewalkCloseCode(frames: readonly WsFrameRepr[]): number | undefined {
  const decoded: WsFrameRepr[] = [];
  for (const f of frames) {
    const r = decodeWsFrame(encodeWsFrame(f), { from: 'client' });
    if (!r.ok) return r.error.closeCode;
    decoded.push(r.repr);
  }
  const m = reassemble(decoded);
  return m.ok ? undefined : m.error.closeCode;
}
