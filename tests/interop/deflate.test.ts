/**
 * permessage-deflate (RFC 7692) against the real thing: the negotiation against ws 8's own PerMessageDeflate
 * (lib/permessage-deflate.js acceptAsServer, lib/extension.js), the compressed bytes against Node's zlib (what
 * ws compresses with) and against a real ws server's frames, byte for byte.
 */
import { once } from 'node:events';
import net from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { WebSocketServer } from 'ws';
import { utf8 } from '../../src/protocol/bytes';
import { decodeWsFrame, WS_OPCODES } from '../../src/protocol/websocket';
import { MessageDeflater, MessageInflater } from '../../src/protocol/permessageDeflate';
import { clientAcceptDeflate, wsAcceptDeflate } from '../../src/protocol/wsExtensions';
import { parseLink } from '../../src/lesson/link';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { Timeline } from '../../src/sim/types';

/** ws does not export these modules (package.json "exports"): reached by path, as the tests of ws do. */
const require = createRequire(import.meta.url);
const wsLib = join(process.cwd(), 'node_modules/ws/lib');
interface WsPerMessageDeflate {
  accept(offers: unknown[]): Record<string, unknown>;
}
const PerMessageDeflate = require(join(wsLib, 'permessage-deflate.js')) as new (o: {
  isServer: boolean;
}) => WsPerMessageDeflate;
const extension = require(join(wsLib, 'extension.js')) as {
  parse(header: string): Record<string, unknown[]>;
  format(e: Record<string, unknown>): string;
};

/** What ws's server (perMessageDeflate: true) answers to an offer, or null when it takes none. */
function wsAnswer(offer: string): string | null {
  let offers: unknown[] | undefined;
  try {
    offers = extension.parse(offer)['permessage-deflate'];
  } catch {
    return null;
  }
  if (!offers) return null;
  try {
    const params = new PerMessageDeflate({ isServer: true }).accept(offers);
    return extension.format({ 'permessage-deflate': [params] });
  } catch {
    return null;
  }
}

describe('the negotiation, as ws 8 answers', () => {
  it("answers Chrome's offer `permessage-deflate; client_max_window_bits` with `permessage-deflate`", () => {
    const chrome = 'permessage-deflate; client_max_window_bits';
    expect(wsAnswer(chrome)).toBe('permessage-deflate');
    expect(wsAcceptDeflate(chrome)?.response).toBe('permessage-deflate');
    expect(wsAcceptDeflate(chrome)?.params).toEqual({
      serverNoContextTakeover: false,
      clientNoContextTakeover: false,
      serverMaxWindowBits: 15,
      clientMaxWindowBits: 15,
    });
    // Without an offer ws writes no Sec-WebSocket-Extensions.
    expect(wsAcceptDeflate(undefined)).toBeNull();
    expect(wsAcceptDeflate('x-webkit-deflate-frame')).toBeNull();
  });

  it('gives the same answer as ws for other valid offers', () => {
    const offers = [
      'permessage-deflate',
      'permessage-deflate; client_max_window_bits=10',
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
      'permessage-deflate; server_max_window_bits=9; client_max_window_bits',
      'x-foo, permessage-deflate; client_max_window_bits=12',
      'permessage-deflate; server_max_window_bits="12"',
    ];
    for (const offer of offers) expect(wsAcceptDeflate(offer)?.response ?? null, offer).toBe(wsAnswer(offer));
  });

  it('the browser takes a valid answer, and fails on an extension it did not offer', () => {
    expect(clientAcceptDeflate('permessage-deflate', true)).toEqual({
      ok: true,
      params: {
        serverNoContextTakeover: false,
        clientNoContextTakeover: false,
        serverMaxWindowBits: 15,
        clientMaxWindowBits: 15,
      },
    });
    expect(clientAcceptDeflate(undefined, true)).toEqual({ ok: true, params: null });
    expect(clientAcceptDeflate('permessage-deflate', false).ok).toBe(false);
    expect(clientAcceptDeflate('x-foo', true).ok).toBe(false);
    // RFC 7692 §7.1.2.2: a server's client_max_window_bits needs a value.
    expect(clientAcceptDeflate('permessage-deflate; client_max_window_bits', true).ok).toBe(false);
  });
});

/** Node's zlib as ws drives it (lib/permessage-deflate.js _compress): one raw stream, a sync flush per message. */
async function zlibMessages(messages: readonly string[]): Promise<Uint8Array[]> {
  const z = zlib.createDeflateRaw();
  const chunks: Buffer[] = [];
  z.on('data', (c: Buffer) => chunks.push(c));
  const out: Uint8Array[] = [];
  for (const m of messages) {
    z.write(m);
    await new Promise<void>((resolve) => z.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    const all = Buffer.concat(chunks.splice(0));
    out.push(new Uint8Array(all.subarray(0, all.length - 4)));
  }
  z.close();
  return out;
}

describe('the compressed bytes', () => {
  it('are the bytes Node’s zlib writes (what ws sends), message after message with context takeover', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 6 }),
        async (ms) => {
          const d = new MessageDeflater();
          const ours = ms.map((m) => d.compress(utf8(m)));
          expect(ours).toEqual(await zlibMessages(ms));
          // And they inflate back, in order, through one stream per direction.
          const i = new MessageInflater();
          for (const [k, c] of ours.entries()) {
            const r = i.decompress(c);
            expect(r.ok && Buffer.from(r.repr).toString()).toBe(ms[k]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a later copy of a message is shorter: the window remembers the earlier one (RFC 7692 §7.2.3.2)', () => {
    const d = new MessageDeflater();
    const first = d.compress(utf8('Hello'));
    const second = d.compress(utf8('Hello'));
    expect(Buffer.from(first).toString('hex')).toBe('f248cdc9c90700');
    expect(second.length).toBeLessThan(first.length);
  });

  it("Chrome's deflater sends an empty message as 00 and starts afresh after it; ws's keeps its window", () => {
    const chrome = new MessageDeflater(15, false, true);
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(['Hello', '', 'Hello'].map((m) => hex(chrome.compress(utf8(m))))).toEqual([
      'f248cdc9c90700',
      '00',
      'f248cdc9c90700',
    ]);
    const ws = new MessageDeflater();
    expect(['Hello', '', 'Hello'].map((m) => hex(ws.compress(utf8(m))))).toEqual([
      'f248cdc9c90700',
      '00',
      'f200110000',
    ]);
  });

  it('damaged data is an error, not a throw', () => {
    const r = new MessageInflater().decompress(Uint8Array.of(0xff, 0xff, 0xff));
    expect(r.ok).toBe(false);
  });
});

/** The server's text frames of a timeline, whole, in order. */
function simServerFrames(t: Timeline): Buffer[] {
  const bytes = Buffer.concat(
    t.packets
      .filter((p) => p.from === 'server' && p.tcp.len > 0 && p.retransmissionOf === undefined)
      .map((p) => p.frame.subarray(p.frame.length - p.tcp.len)),
  );
  return framesAfterHead(bytes);
}

function framesAfterHead(bytes: Buffer): Buffer[] {
  let at = bytes.indexOf('\r\n\r\n') + 4;
  const out: Buffer[] = [];
  while (at < bytes.length) {
    const f = decodeWsFrame(bytes.subarray(at), { from: 'server', deflate: true });
    if (!f.ok) break;
    if (f.repr.opcode === WS_OPCODES.text) out.push(bytes.subarray(at, at + f.length));
    at += f.length;
  }
  return out;
}

function closeFrameIn(bytes: Buffer): boolean {
  const head = bytes.indexOf('\r\n\r\n');
  if (head < 0) return false;
  let at = head + 4;
  while (at < bytes.length) {
    const f = decodeWsFrame(bytes.subarray(at), { from: 'server', deflate: true });
    if (!f.ok) return false;
    if (f.repr.opcode === WS_OPCODES.close) return true;
    at += f.length;
  }
  return false;
}

describe('a real ws server with perMessageDeflate: true', () => {
  it('writes the same compressed frames as the simulated one, RSV1 set even on a 3-byte message', async () => {
    const texts = ['Hi!', 'Hi!', 'x'.repeat(2000), 'done'];
    const link = `lesson=websocket&deflate=1&ping=0&${texts.map((m) => `m=s:${m}`).join('&')}`;
    const { state, problems } = parseLink(link);
    expect(problems).toEqual([]);
    const t = buildTimeline(state.scenario, ALL_STORIES);
    const simFrames = simServerFrames(t);

    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
    await once(wss, 'listening');
    wss.on('connection', (ws) => {
      for (const m of texts) ws.send(m);
      ws.close(1000, 'bye');
    });
    const socket = net.connect((wss.address() as net.AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    const got: Buffer[] = [];
    // ws sends its Close after the messages: everything is there once a Close frame has arrived.
    const closeSeen = new Promise<void>((resolve) => {
      socket.on('data', (b) => {
        got.push(b);
        if (closeFrameIn(Buffer.concat(got))) resolve();
      });
    });
    // The simulated browser's upgrade request: Chrome's headers with its offer.
    const request = t.packets.find((p) => p.app?.kind === 'http-request')!;
    socket.write(request.frame.subarray(request.frame.length - request.tcp.len));
    await closeSeen;
    socket.destroy();
    wss.close();
    const realFrames = framesAfterHead(Buffer.concat(got));

    expect(realFrames.map((f) => f.toString('hex'))).toEqual(simFrames.map((f) => f.toString('hex')));
    // ws compresses every message: its 1024-byte threshold applies only with server_no_context_takeover.
    expect(realFrames.every((f) => (f[0]! & 0x40) !== 0)).toBe(true);
    expect(realFrames).toHaveLength(texts.length);
  });
});
