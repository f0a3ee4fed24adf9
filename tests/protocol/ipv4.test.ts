import fc from 'fast-check';
import { concatBytes, fromHex, toHex } from '../../src/protocol/bytes';
import {
  decodeIpv4,
  describeIpv4,
  encodeIpv4,
  formatIpv4Address,
  IP_PROTOCOLS,
  IP_PROTOCOL_NAMES,
  parseIpv4Address,
  type Ipv4Repr,
} from '../../src/protocol/ipv4';
import { expectTiling } from './tiling';

/** The classic worked example (Wikipedia "IPv4 header checksum"): checksum 0xb861. */
const CLASSIC = fromHex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');
const CLASSIC_REPR: Ipv4Repr = {
  src: '192.168.0.1',
  dst: '192.168.0.199',
  protocol: IP_PROTOCOLS.UDP,
  ttl: 64,
  identification: 0,
  dontFragment: true,
  moreFragments: false,
  fragmentOffset: 0,
  dscp: 0,
  ecn: 0,
};
const CLASSIC_PAYLOAD = new Uint8Array(0x73 - 20).map((_, i) => i);

/** RFC 1071 written out independently of src/protocol/checksum.ts. */
function referenceChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) {
    if (i === 10) continue; // the checksum field counts as zero
    sum += header[i]! * 256 + (header[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return 0xffff - sum;
}

function decodeOk(bytes: Uint8Array) {
  const r = decodeIpv4(bytes);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

describe('IPv4 addresses', () => {
  it('parses and formats dotted quads', () => {
    expect(toHex(parseIpv4Address('192.0.2.10'))).toBe('c0 00 02 0a');
    expect(formatIpv4Address(fromHex('c6336414'))).toBe('198.51.100.20');
  });
  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d'])(
    'rejects %j',
    (s) => {
      expect(() => parseIpv4Address(s)).toThrow(RangeError);
    },
  );
  it('refuses to format anything but 4 bytes', () => {
    expect(() => formatIpv4Address(new Uint8Array(16))).toThrow(RangeError);
  });
});

describe('header checksum (RFC 791 / RFC 1071)', () => {
  it('reproduces the classic example header byte for byte, checksum 0xb861', () => {
    expect(referenceChecksum(CLASSIC)).toBe(0xb861);
    const packet = encodeIpv4(CLASSIC_REPR, CLASSIC_PAYLOAD);
    expect(toHex(packet.subarray(0, 20))).toBe(toHex(CLASSIC));
    expect(toHex(packet.subarray(20))).toBe(toHex(CLASSIC_PAYLOAD));
  });

  it('verifies a correct checksum and shows the right one for a wrong checksum', () => {
    const good = decodeOk(concatBytes(CLASSIC, CLASSIC_PAYLOAD));
    expect(good.repr).toMatchObject({ checksum: 0xb861, checksumOk: true });
    expect(good.fields.find((f) => f.key === 'checksum')?.value).toBe('0xb861 (correct)');

    const bad = concatBytes(CLASSIC, CLASSIC_PAYLOAD);
    bad[11] = 0x62;
    const r = decodeOk(bad);
    expect(r.repr).toMatchObject({ checksum: 0xb862, checksumOk: false });
    expect(r.fields.find((f) => f.key === 'checksum')?.value).toBe('0xb862 (wrong, should be 0xb861)');
  });

  it('agrees with an independent computation for many headers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), (id, ttl) => {
        const header = encodeIpv4({ ...CLASSIC_REPR, identification: id, ttl }, new Uint8Array(3)).subarray(
          0,
          20,
        );
        expect(header[10]! * 256 + header[11]!).toBe(referenceChecksum(header));
      }),
    );
  });
});

describe('encodeIpv4 / decodeIpv4', () => {
  it('decodes every field, with annotations tiling the 20-byte header bit for bit', () => {
    const r = decodeOk(concatBytes(CLASSIC, CLASSIC_PAYLOAD));
    expect(r.repr).toEqual({
      ...CLASSIC_REPR,
      headerLength: 20,
      totalLength: 0x73,
      checksum: 0xb861,
      checksumOk: true,
    });
    expect(r.length).toBe(0x73);
    expect(toHex(r.payload)).toBe(toHex(CLASSIC_PAYLOAD));
    expect(r.fields.map((f) => [f.key, f.start, f.end, f.bits, f.value])).toEqual([
      ['version', 0, 1, { start: 0, end: 4 }, '4'],
      ['ihl', 0, 1, { start: 4, end: 8 }, '5 (20 bytes)'],
      ['dscp', 1, 2, { start: 0, end: 6 }, 'CS0 (0)'],
      ['ecn', 1, 2, { start: 6, end: 8 }, 'Not-ECT (0)'],
      ['totalLength', 2, 4, undefined, '115'],
      ['identification', 4, 6, undefined, '0x0000 (0)'],
      ['reservedFlag', 6, 7, { start: 0, end: 1 }, '0'],
      ['dontFragment', 6, 7, { start: 1, end: 2 }, '1 (set)'],
      ['moreFragments', 6, 7, { start: 2, end: 3 }, '0 (not set)'],
      ['fragmentOffset', 6, 8, { start: 3, end: 16 }, '0 (= byte 0)'],
      ['ttl', 8, 9, undefined, '64'],
      ['protocol', 9, 10, undefined, 'UDP (17)'],
      ['checksum', 10, 12, undefined, '0xb861 (correct)'],
      ['src', 12, 16, undefined, '192.168.0.1'],
      ['dst', 16, 20, undefined, '192.168.0.199'],
    ]);
    for (const f of r.fields) {
      expect(f.layer).toBe('ipv4');
      expect(f.name).not.toBe('');
      expect(f.meaning.length).toBeGreaterThan(10);
    }
    expectTiling(r.fields, 0, 20);
  });

  it('places flags, fragment offset, DSCP and ECN in their bits', () => {
    const frag = encodeIpv4(
      { ...CLASSIC_REPR, dontFragment: false, moreFragments: true, fragmentOffset: 185, dscp: 46, ecn: 1 },
      new Uint8Array(0),
    );
    expect(toHex(frag.subarray(6, 8))).toBe('20 b9'); // MF=0x2000 | 185
    expect(frag[1]).toBe((46 << 2) | 1);
    const r = decodeOk(frag);
    expect(r.repr).toMatchObject({
      moreFragments: true,
      dontFragment: false,
      fragmentOffset: 185,
      dscp: 46,
      ecn: 1,
    });
    const value = (k: string) => r.fields.find((f) => f.key === k)?.value;
    expect(value('fragmentOffset')).toBe('185 (= byte 1480)');
    expect(value('dscp')).toBe('EF (46)');
    expect(value('ecn')).toBe('ECT(1) (1)');

    const all = encodeIpv4(
      { ...CLASSIC_REPR, dontFragment: true, fragmentOffset: 0x1fff },
      new Uint8Array(0),
    );
    expect(toHex(all.subarray(6, 8))).toBe('5f ff');
  });

  it('shows a set reserved flag and unknown protocols and DSCP values as hex', () => {
    const p = encodeIpv4({ ...CLASSIC_REPR, protocol: 47, dscp: 1 }, new Uint8Array(0));
    p[6] = p[6]! | 0x80;
    const r = decodeOk(p); // the checksum is now wrong, but the packet still decodes
    const value = (k: string) => r.fields.find((f) => f.key === k)?.value;
    expect(value('reservedFlag')).toMatch(/^1 /);
    expect(value('protocol')).toBe('0x2f');
    expect(value('dscp')).toBe('0x01');
    expect(IP_PROTOCOL_NAMES[6]).toBe('TCP');
    expect(r.repr.checksumOk).toBe(false);
  });

  it('decodes options (IHL > 5) as one annotated field', () => {
    const header = fromHex('4600 001c abcd 0000 4006 0000 c000020a c6336414 01010100');
    const sum = referenceChecksum(header);
    header[10] = sum >> 8;
    header[11] = sum & 0xff;
    const r = decodeOk(concatBytes(header, fromHex('deadbeef')));
    expect(r.repr.headerLength).toBe(24);
    expect(r.repr.checksumOk).toBe(true);
    expect(toHex(r.payload)).toBe('de ad be ef');
    expect(r.fields.at(-1)).toMatchObject({ key: 'options', start: 20, end: 24, value: '01 01 01 00' });
    expectTiling(r.fields, 0, 24);
  });

  it('ignores bytes after the total length (Ethernet padding)', () => {
    const packet = encodeIpv4(CLASSIC_REPR, fromHex('0102'));
    const r = decodeOk(concatBytes(packet, new Uint8Array(6)));
    expect(toHex(r.payload)).toBe('01 02');
    expect(r.length).toBe(22);
  });

  it('fails on every truncated header and packet, never throwing', () => {
    const packet = encodeIpv4(CLASSIC_REPR, fromHex('01020304'));
    for (let n = 0; n < packet.length; n++) {
      const r = decodeIpv4(packet.subarray(0, n));
      expect(r).toMatchObject({ ok: false, error: { code: 'truncated' } });
    }
  });

  it('rejects impossible headers', () => {
    const packet = encodeIpv4(CLASSIC_REPR, new Uint8Array(40));
    for (let ihl = 0; ihl < 5; ihl++) {
      const p = packet.slice();
      p[0] = 0x40 | ihl;
      expect(decodeIpv4(p)).toMatchObject({ ok: false, error: { code: 'bad-header-length', offset: 0 } });
    }
    const v6 = packet.slice();
    v6[0] = 0x65;
    expect(decodeIpv4(v6)).toMatchObject({ ok: false, error: { code: 'bad-version' } });
    const longIhl = packet.slice(0, 30);
    longIhl[0] = 0x4f; // 60-byte header in 30 bytes
    expect(decodeIpv4(longIhl)).toMatchObject({ ok: false, error: { code: 'truncated' } });
    const shortTotal = packet.slice();
    shortTotal[2] = 0;
    shortTotal[3] = 19;
    expect(decodeIpv4(shortTotal)).toMatchObject({
      ok: false,
      error: { code: 'bad-total-length', offset: 2 },
    });
  });

  it('decodes the same from inside a junk-filled buffer (byteOffset honoured)', () => {
    const packet = encodeIpv4(CLASSIC_REPR, CLASSIC_PAYLOAD);
    const junk = new Uint8Array(400).fill(0x5a);
    junk.set(packet, 13);
    expect(decodeIpv4(junk.subarray(13, 13 + packet.length))).toEqual(decodeIpv4(packet));
  });

  it('refuses impossible reprs', () => {
    const bad: Partial<Ipv4Repr>[] = [
      { ttl: 256 },
      { protocol: -1 },
      { identification: 0x10000 },
      { fragmentOffset: 0x2000 },
      { dscp: 64 },
      { ecn: 4 },
      { ttl: 1.5 },
      { src: '1.2.3' },
      { dst: '300.1.1.1' },
    ];
    for (const b of bad)
      expect(() => encodeIpv4({ ...CLASSIC_REPR, ...b }, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeIpv4(CLASSIC_REPR, new Uint8Array(65516))).toThrow(RangeError);
    expect(encodeIpv4(CLASSIC_REPR, new Uint8Array(65515)).length).toBe(65535);
  });

  it('describes a packet in one line', () => {
    expect(describeIpv4({ ...CLASSIC_REPR, src: '192.0.2.10', dst: '198.51.100.20' })).toBe(
      'IPv4 192.0.2.10 → 198.51.100.20, TTL 64',
    );
  });
});

describe('properties', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2000 }), (bytes) => {
        const r = decodeIpv4(bytes);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expectTiling(r.fields, 0, r.repr.headerLength);
      }),
    );
  });

  it('never throws on mutated valid packets', () => {
    const packet = encodeIpv4(CLASSIC_REPR, CLASSIC_PAYLOAD);
    fc.assert(
      fc.property(
        fc.nat(packet.length - 1),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(packet.length),
        (at, b, cut) => {
          const p = packet.slice(0, cut);
          if (at < p.length) p[at] = b;
          expect(typeof decodeIpv4(p).ok).toBe('boolean');
        },
      ),
    );
  });

  it('round-trips any valid repr and payload', () => {
    const addr = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIpv4Address);
    const repr = fc.record({
      src: addr,
      dst: addr,
      protocol: fc.integer({ min: 0, max: 255 }),
      ttl: fc.integer({ min: 0, max: 255 }),
      identification: fc.integer({ min: 0, max: 0xffff }),
      dontFragment: fc.boolean(),
      moreFragments: fc.boolean(),
      fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
      dscp: fc.integer({ min: 0, max: 63 }),
      ecn: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(repr, fc.uint8Array({ maxLength: 300 }), (r, payload) => {
        const d = decodeOk(encodeIpv4(r, payload));
        expect(d.repr).toEqual({
          ...r,
          headerLength: 20,
          totalLength: 20 + payload.length,
          checksum: d.repr.checksum,
          checksumOk: true,
        });
        expect(toHex(d.payload)).toBe(toHex(payload));
      }),
    );
  });
});
