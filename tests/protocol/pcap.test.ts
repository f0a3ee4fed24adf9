import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { concatBytes, fromHex, toHex } from '../../src/protocol/bytes';
import {
  decodePcap,
  describePcap,
  encodePcap,
  LINKTYPE_ETHERNET,
  PCAP_MAGIC,
  type PcapRecord,
} from '../../src/protocol/pcap';
import { expectTiling } from './tiling';

const REFERENCE = new Uint8Array(readFileSync(new URL('../fixtures/real-ws-loopback.pcap', import.meta.url)));

const RECORDS: PcapRecord[] = [
  { timestampUs: 1_700_000_000_123_456, data: fromHex('010203') },
  { timestampUs: 1_700_000_001_000_000, data: fromHex('aabbccddeeff') },
];

function decodeOk(bytes: Uint8Array) {
  const r = decodePcap(bytes);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

// ---- a minimal pcapng writer, to test byte orders and timestamp resolutions the reference lacks ----
function block(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const len = 12 + Math.ceil(body.length / 4) * 4;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, le);
  dv.setUint32(4, len, le);
  out.set(body, 8);
  dv.setUint32(len - 4, len, le);
  return out;
}
function shb(le: boolean): Uint8Array {
  const body = new Uint8Array(16);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 0x1a2b3c4d, le);
  dv.setUint16(4, 1, le);
  dv.setBigInt64(8, -1n, le);
  return block(le, 0x0a0d0d0a, body);
}
function idb(le: boolean, linkType: number, snaplen: number, tsresol?: number): Uint8Array {
  const body = new Uint8Array(tsresol === undefined ? 8 : 20);
  const dv = new DataView(body.buffer);
  dv.setUint16(0, linkType, le);
  dv.setUint32(4, snaplen, le);
  if (tsresol !== undefined) {
    dv.setUint16(8, 9, le); // if_tsresol
    dv.setUint16(10, 1, le);
    body[12] = tsresol;
    // bytes 16..19: opt_endofopt
  }
  return block(le, 1, body);
}
function epb(le: boolean, iface: number, ticks: bigint, data: Uint8Array, orig = data.length): Uint8Array {
  const body = new Uint8Array(20 + data.length);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, iface, le);
  dv.setUint32(4, Number(ticks >> 32n), le);
  dv.setUint32(8, Number(ticks & 0xffffffffn), le);
  dv.setUint32(12, data.length, le);
  dv.setUint32(16, orig, le);
  body.set(data, 20);
  return block(le, 6, body);
}
function spb(le: boolean, orig: number, data: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  new DataView(body.buffer).setUint32(0, orig, le);
  body.set(data, 4);
  return block(le, 3, body);
}

describe('encodePcap', () => {
  it('writes classic little-endian pcap 2.4, Ethernet, snaplen 262144, microsecond timestamps', () => {
    expect(PCAP_MAGIC).toBe(0xa1b2c3d4);
    expect(LINKTYPE_ETHERNET).toBe(1);
    const file = encodePcap(RECORDS.slice(0, 1));
    expect(toHex(file.subarray(0, 24))).toBe(
      'd4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 00 00 04 00 01 00 00 00',
    );
    // ts_sec 1700000000 = 0x6553f100, ts_usec 123456 = 0x0001e240, incl 3, orig 3, data.
    expect(toHex(file.subarray(24))).toBe('00 f1 53 65 40 e2 01 00 03 00 00 00 03 00 00 00 01 02 03');
  });

  it('cuts records at the snaplen and keeps the original length', () => {
    const data = new Uint8Array(100).map((_, i) => i);
    const file = encodePcap([{ timestampUs: 5, data }], { snaplen: 64 });
    const r = decodeOk(file);
    expect(r.repr.snaplen).toBe(64);
    expect(r.repr.records[0]!.data.length).toBe(64);
    expect(r.repr.records[0]!.originalLength).toBe(100);
  });

  it('writes an explicit originalLength for a record captured short', () => {
    const r = decodeOk(encodePcap([{ timestampUs: 0, data: fromHex('00'), originalLength: 1514 }]));
    expect(r.repr.records).toEqual([{ timestampUs: 0, data: fromHex('00'), originalLength: 1514 }]);
  });

  it('refuses impossible records', () => {
    const data = fromHex('00');
    expect(() => encodePcap([{ timestampUs: -1, data }])).toThrow(RangeError);
    expect(() => encodePcap([{ timestampUs: 1.5, data }])).toThrow(RangeError);
    expect(() => encodePcap([{ timestampUs: 2 ** 32 * 1e6, data }])).toThrow(RangeError);
    expect(() => encodePcap([{ timestampUs: 0, data: fromHex('0000'), originalLength: 1 }])).toThrow(
      RangeError,
    );
    expect(() => encodePcap([], { snaplen: -1 })).toThrow(RangeError);
  });
});

describe('decodePcap: classic', () => {
  it('round-trips records, annotating every byte of the file', () => {
    const file = encodePcap(RECORDS);
    const r = decodeOk(file);
    expect(r.repr).toEqual({ linkType: 1, snaplen: 262144, records: RECORDS });
    expect(r.length).toBe(file.length);
    expect(r.payload.length).toBe(0);
    expect(r.fields.filter((f) => f.key === 'packetData').map((f) => [f.start, f.end])).toEqual([
      [40, 43],
      [59, 65],
    ]);
    expect(r.fields[0]!.value).toBe('0xa1b2c3d4 (little-endian, microsecond timestamps)');
    expectTiling(r.fields, 0, file.length);
  });

  it('reads big-endian files and nanosecond timestamps', () => {
    const be = fromHex(
      'a1b2c3d4 0002 0004 00000000 00000000 0000ffff 00000001' + '6553f100 0001e240 00000002 0000003c abcd',
    );
    const r = decodeOk(be);
    expect(r.repr).toEqual({
      linkType: 1,
      snaplen: 0xffff,
      records: [{ timestampUs: 1_700_000_000_123_456, data: fromHex('abcd'), originalLength: 60 }],
    });
    const nano = fromHex(
      '4d3cb2a1 0200 0400 00000000 00000000 00000400 01000000' + '00f15365 ffc99a3b 01000000 01000000 ee',
    );
    expect(decodeOk(nano).repr.records[0]!.timestampUs).toBe(1_700_000_000_999_999); // 999999999 ns
  });

  it('succeeds exactly at record boundaries and fails on every other prefix, never throwing', () => {
    const file = encodePcap(RECORDS);
    const boundaries = new Map([
      [24, 0],
      [43, 1],
      [65, 2],
    ]);
    for (let n = 0; n <= file.length; n++) {
      const r = decodePcap(file.subarray(0, n));
      const count = boundaries.get(n);
      if (count === undefined) expect(r).toMatchObject({ ok: false, error: { code: 'truncated' } });
      else expect(r.ok && r.repr.records).toEqual(RECORDS.slice(0, count));
    }
  });

  it('rejects files that are not captures', () => {
    expect(decodePcap(fromHex('00000000 00000000'))).toMatchObject({
      ok: false,
      error: { code: 'bad-magic' },
    });
    expect(decodePcap(new TextEncoder().encode('GET / HTTP/1.1'))).toMatchObject({ ok: false });
  });

  it('decodes the same from inside a junk-filled buffer (byteOffset honoured)', () => {
    const file = encodePcap(RECORDS);
    const junk = new Uint8Array(file.length + 10).fill(0x77);
    junk.set(file, 3);
    expect(decodePcap(junk.subarray(3, 3 + file.length))).toEqual(decodePcap(file));
  });

  it('describes a file in one line', () => {
    expect(describePcap(decodeOk(encodePcap(RECORDS)).repr)).toBe('pcap: 2 Ethernet records, snaplen 262144');
  });
});

describe('decodePcap: pcapng', () => {
  it('reads the dumpcap reference capture (what tshark shows)', () => {
    const r = decodeOk(REFERENCE);
    expect(r.repr.linkType).toBe(LINKTYPE_ETHERNET);
    expect(r.repr.snaplen).toBe(262144);
    // tshark -T fields -e frame.len; frame 1 arrived at 1795293409.093393798.
    expect(r.repr.records.map((x) => x.data.length)).toEqual([
      74, 74, 66, 224, 66, 195, 66, 79, 66, 77, 78, 77, 73, 66, 66, 66,
    ]);
    expect(r.repr.records[0]!.timestampUs).toBe(1_795_293_409_093_393);
    expect(r.repr.records[15]!.timestampUs).toBe(1_795_293_409_104_902);
    expect(r.repr.records.every((x) => x.originalLength === undefined)).toBe(true);
    expectTiling(r.fields, 0, REFERENCE.length);
  });

  it('reads big-endian sections, other timestamp resolutions, simple packet blocks', () => {
    for (const le of [true, false]) {
      const file = concatBytes(
        shb(le),
        idb(le, 1, 128, 3), // milliseconds
        epb(le, 0, 1_700_000_000_123n, fromHex('0102'), 1500),
        spb(le, 200, new Uint8Array(128)), // captured up to the snaplen
      );
      const r = decodeOk(file);
      expect(r.repr).toEqual({
        linkType: 1,
        snaplen: 128,
        records: [
          { timestampUs: 1_700_000_000_123_000, data: fromHex('0102'), originalLength: 1500 },
          { timestampUs: 0, data: new Uint8Array(128), originalLength: 200 },
        ],
      });
      expectTiling(r.fields, 0, file.length);
    }
    const binary = concatBytes(shb(true), idb(true, 1, 0, 0x86), epb(true, 0, 64n * 3n + 32n, fromHex('00')));
    expect(decodeOk(binary).repr.records[0]!.timestampUs).toBe(3_500_000); // 2^-6 s units
  });

  it('rejects inconsistent files', () => {
    const ok = concatBytes(shb(true), idb(true, 1, 0), epb(true, 0, 0n, fromHex('00')));
    expect(decodePcap(ok).ok).toBe(true);
    expect(
      decodePcap(concatBytes(shb(true), idb(true, 1, 0), epb(true, 1, 0n, fromHex('00')))),
    ).toMatchObject({
      ok: false,
      error: { code: 'no-interface' },
    });
    expect(decodePcap(concatBytes(shb(true), idb(true, 1, 0), idb(true, 113, 0)))).toMatchObject({
      ok: false,
      error: { code: 'mixed-link-types' },
    });
    expect(decodePcap(shb(true))).toMatchObject({ ok: false, error: { code: 'no-interface' } });
    const badTrailer = ok.slice();
    badTrailer[badTrailer.length - 4] = 0x10;
    expect(decodePcap(badTrailer)).toMatchObject({ ok: false, error: { code: 'bad-length' } });
    const badBom = ok.slice();
    badBom[8] = 0;
    expect(decodePcap(badBom)).toMatchObject({ ok: false, error: { code: 'bad-magic' } });
    for (let n = 1; n < REFERENCE.length; n++) {
      const r = decodePcap(REFERENCE.subarray(0, n));
      // Only whole-block prefixes that already hold the interface decode.
      if (r.ok) expect(r.length).toBe(n);
    }
  });
});

describe('properties', () => {
  it('never throws on arbitrary bytes, nor after a valid magic number', () => {
    const prefixes = [new Uint8Array(0), fromHex('d4c3b2a1'), fromHex('a1b2c3d4'), fromHex('0a0d0d0a')];
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.uint8Array({ minLength: 0, maxLength: 2000 }),
        (p, bytes) => {
          const r = decodePcap(concatBytes(p, bytes));
          expect(typeof r.ok).toBe('boolean');
        },
      ),
    );
  });

  it('never throws on mutated real captures', () => {
    const classic = encodePcap(RECORDS);
    fc.assert(
      fc.property(
        fc.constantFrom(REFERENCE, classic),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (file, edits) => {
          const f = file.slice();
          for (const [at, b] of edits) f[at % f.length] = b;
          const r = decodePcap(f);
          if (r.ok) expectTiling(r.fields, 0, r.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips any records', () => {
    const rec = fc.record({
      timestampUs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).filter((t) => t < 2 ** 32 * 1e6),
      data: fc.uint8Array({ maxLength: 100 }),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 10 }), (records) => {
        expect(decodeOk(encodePcap(records)).repr.records).toEqual(records);
      }),
    );
  });
});
