/**
 * Properties (fast-check): no bytes make the decoders throw; whatever cannot be read is a problem; and the
 * way TCP happened to cut a stream into segments never changes what is decoded from it.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeStreams } from '../../src/capture/decode/index';
import { jsonErrorOffset, readHar } from '../../src/capture/har';
import { parseKeyLog } from '../../src/capture/keylog';
import type { CapturedSegment, StreamChunk, TcpStream } from '../../src/capture/model';
import { load, reference } from './pcapStreams';

function stream(client: Uint8Array, server: Uint8Array, cuts: readonly number[][] = [[], []]): TcpStream {
  const dir = (bytes: Uint8Array, at: readonly number[], first: number) => {
    const points = [...new Set([0, ...at.map((c) => c % (bytes.length + 1)), bytes.length])].sort(
      (a, b) => a - b,
    );
    const chunks: StreamChunk[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      chunks.push({ segment: first + i, offset: points[i]!, length: points[i + 1]! - points[i]! });
    }
    return { bytes, chunks, gaps: [], fin: true };
  };
  const c = dir(client, cuts[0]!, 0);
  const s = dir(server, cuts[1]!, 1000);
  return {
    id: 0,
    client: { ip: '192.0.2.1', port: 50000 },
    server: { ip: '192.0.2.2', port: 80 },
    directions: [c, s],
    segments: [...c.chunks, ...s.chunks].map((k) => k.segment),
    synSeen: true,
    reset: false,
  };
}

/** Segments only as far as the decoders look at them: a time and a record per index. */
const segments = Array.from({ length: 2000 }, (_, i) => ({
  record: i + 1,
  time: i,
  ranges: { payload: [54, 54] },
})) as unknown as CapturedSegment[];

function checkPlaces(s: TcpStream, result: ReturnType<typeof decodeStreams>): void {
  for (const m of result.messages) {
    const p = m.place!;
    expect(p.start).toBeGreaterThanOrEqual(0);
    expect(p.end).toBeLessThanOrEqual(s.directions[p.direction].bytes.length);
    expect(p.start).toBeLessThanOrEqual(p.end);
  }
}

const prefixes = [
  'GET / HTTP/1.1\r\nHost: x\r\n',
  'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nContent-Length: 5\r\n\r\n',
  'POST /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n',
  'GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
];
const serverPrefixes = [
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
  'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n',
  '\x16\x03\x03\x00\x30',
];

describe('decodeStreams never throws', () => {
  it('on random bytes, and says why it decoded nothing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (c, s) => {
        const st = stream(c, s);
        const r = decodeStreams([st], segments);
        checkPlaces(st, r);
        if (c.length + s.length > 0) expect(r.messages.length + r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('on HTTP, WebSocket and TLS beginnings followed by garbage', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.constantFrom(...serverPrefixes),
        fc.uint8Array({ maxLength: 400 }),
        fc.uint8Array({ maxLength: 400 }),
        (cp, sp, ct, stail) => {
          const enc = (t: string) => Uint8Array.from(t, (ch) => ch.charCodeAt(0));
          const st = stream(new Uint8Array([...enc(cp), ...ct]), new Uint8Array([...enc(sp), ...stail]));
          checkPlaces(st, decodeStreams([st], segments));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on real captures with bytes flipped or cut, with and without a key log', () => {
    const sources = [
      { cap: load('real-socketio-loopback.pcap'), keyLog: undefined },
      { cap: load('capture/deflate.pcap'), keyLog: undefined },
      {
        cap: load('routed/routed-wss.pcap'),
        keyLog: parseKeyLog(readFileSync(reference('routed/routed-wss.keys'), 'utf8')),
      },
    ];
    fc.assert(
      fc.property(
        fc.nat(sources.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (which, flips, cut) => {
          const { cap, keyLog } = sources[which]!;
          const streams = cap.streams.map((s) => {
            const dirs = s.directions.map((d, k) => {
              const bytes = d.bytes.slice();
              for (const [at, v, dir] of flips)
                if (bytes.length > 0 && dir === (k === 0)) bytes[at % bytes.length] = v;
              const end =
                k === 1 && bytes.length > 0
                  ? bytes.length - (cut % Math.min(bytes.length, 50))
                  : bytes.length;
              return { ...d, bytes: bytes.subarray(0, end) };
            });
            return { ...s, directions: dirs as unknown as TcpStream['directions'] };
          });
          const r = decodeStreams(streams, cap.segments, { keyLog });
          for (const m of r.messages) {
            const p = m.place!;
            expect(p.end).toBeLessThanOrEqual(streams[p.stream]!.directions[p.direction].bytes.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the segments a stream came in do not change what is decoded', () => {
  it.each(['real-socketio-loopback.pcap', 'capture/deflate.pcap'])('%s cut anywhere', (name) => {
    const cap = load(name);
    const whole = (r: ReturnType<typeof decodeStreams>) =>
      r.messages.map((m) => `${m.place!.stream} ${m.from} ${m.summary}`).sort();
    const expected = whole(decodeStreams(cap.streams, cap.segments));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (a, b) => {
        const streams = cap.streams.map((s) => ({
          ...stream(s.directions[0].bytes, s.directions[1].bytes, [a, b]),
          id: s.id,
        }));
        expect(whole(decodeStreams(streams, segments))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe('HAR and key logs never throw', () => {
  it('jsonErrorOffset finds an error exactly when JSON.parse does', () => {
    const json = fc
      .json()
      .chain((j) =>
        fc.tuple(
          fc.constant(j),
          fc.nat(j.length),
          fc.constantFrom('', '}', ']', ',', '"', '\\', ':', 'x', '\n', '1e', '-'),
        ),
      );
    fc.assert(
      fc.property(json, ([j, at, insert]) => {
        const text = j.slice(0, at) + insert + j.slice(at);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const offset = jsonErrorOffset(text);
        expect(offset === -1).toBe(valid);
        if (!valid) expect(offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('readHar on any JSON and on garbled HAR text', () => {
    const har = readFileSync(new URL('../fixtures/capture/socketio.har', import.meta.url), 'utf8');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc
            .tuple(fc.nat(har.length), fc.nat(har.length), fc.string())
            .map(([a, b, s]) => har.slice(0, a) + s + har.slice(b)),
        ),
        (text) => {
          const cap = readHar(text, 'x.har');
          expect(cap.source.format).toBe('har');
          expect(cap.messages.length + cap.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseKeyLog on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const log = parseKeyLog(text);
        expect(log.lines).toBeGreaterThan(0);
      }),
    );
  });
});
