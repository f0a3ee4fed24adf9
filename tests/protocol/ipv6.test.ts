import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/protocol/bytes';
import {
  decodeIpv6,
  describeIpv6,
  encodeIpv6,
  formatIpv6Address,
  IPV6_HEADER_LENGTH,
  tryParseIpv6Address,
} from '../../src/protocol/ipv6';

// A real IPv6 header from tests/fixtures/capture/dumpcap-lo-ipv6.pcapng frame 1 (a ws client's SYN over ::1):
// version 6, traffic class 0, a Linux flow label, payload 40 (TCP SYN with options), TCP, hop limit 64.
const SYN_HEADER = fromHex(
  '60 0c f8 a1 00 28 06 40 00000000000000000000000000000001 00000000000000000000000000000001',
);

describe('IPv6 addresses (RFC 5952)', () => {
  it.each([
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'], // §4.2.1: the longest run of zeros becomes ::
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not shortened
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // §4.2.3: the longer run
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: the first of equal runs
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:DB8:0:0:0:0:0:0', '2001:db8::'], // §4.3: lower case
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'], // §5: IPv4-mapped
  ])('%s prints as %s', (input, text) => {
    const bytes = tryParseIpv6Address(input);
    expect(bytes).not.toBeNull();
    expect(formatIpv6Address(bytes!)).toBe(text);
  });

  it('refuses what is not an address', () => {
    for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'g::1', '']) {
      expect(tryParseIpv6Address(bad), bad).toBeNull();
    }
  });

  it('round-trips any 16 bytes through its text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const text = formatIpv6Address(b);
        if (text.includes('.')) return; // IPv4-mapped text is for reading only
        expect(Array.from(tryParseIpv6Address(text)!)).toEqual(Array.from(b));
      }),
    );
  });
});

describe('IPv6 header', () => {
  it('decodes a real header, field by field', () => {
    const packet = new Uint8Array(IPV6_HEADER_LENGTH + 40);
    packet.set(SYN_HEADER);
    const r = decodeIpv6(packet);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.repr).toMatchObject({
      src: '::1',
      dst: '::1',
      nextHeader: 6,
      protocol: 6,
      hopLimit: 64,
      trafficClass: 0,
      flowLabel: 0xcf8a1,
      payloadLength: 40,
      transportStart: 40,
      extensions: [],
    });
    expect(r.payload.length).toBe(40);
    expect(r.fields.map((f) => [f.key, f.start, f.end])).toEqual([
      ['version', 0, 1],
      ['trafficClass', 0, 2],
      ['flowLabel', 1, 4],
      ['payloadLength', 4, 6],
      ['nextHeader', 6, 7],
      ['hopLimit', 7, 8],
      ['src', 8, 24],
      ['dst', 24, 40],
    ]);
    expect(r.fields.find((f) => f.key === 'nextHeader')!.value).toBe('TCP (6)');
    expect(describeIpv6(r.repr)).toBe('IPv6 ::1 → ::1, hop limit 64');
  });

  it('encodes what it decodes', () => {
    const repr = {
      src: '2001:db8::a',
      dst: 'fe80::1',
      nextHeader: 6,
      hopLimit: 63,
      trafficClass: 0xb8,
      flowLabel: 0x12345,
    };
    const payload = Uint8Array.from({ length: 24 }, (_, i) => i);
    const bytes = encodeIpv6(repr, payload);
    const r = decodeIpv6(bytes);
    expect(r.ok && r.repr).toMatchObject(repr);
    expect(r.ok && Array.from(r.payload)).toEqual(Array.from(payload));
    expect(() => encodeIpv6({ ...repr, flowLabel: 0x100000 }, payload)).toThrow(RangeError);
    expect(() => encodeIpv6({ ...repr, src: '1.2.3.4' }, payload)).toThrow(RangeError);
  });

  it('steps over hop-by-hop, routing and destination options to reach TCP', () => {
    // RFC 8200 §4.3: Hop-by-Hop (8 bytes: next 43, len 0, PadN), Routing (next 60, len 0), Dest opts (next 6, len 1 = 16 bytes).
    const hbh = fromHex('2b 00 01 04 00000000');
    const routing = fromHex('3c 00 00 00 00000000');
    const dst = fromHex('06 01 01 0c 000000000000000000000000');
    const tcp = new Uint8Array(20);
    const payload = new Uint8Array([...hbh, ...routing, ...dst, ...tcp]);
    const bytes = encodeIpv6(
      { src: '::1', dst: '::2', nextHeader: 0, hopLimit: 1, trafficClass: 0, flowLabel: 0 },
      payload,
    );
    const r = decodeIpv6(bytes);
    expect(r.ok && r.repr).toMatchObject({
      protocol: 6,
      transportStart: 72,
      extensions: ['Hop-by-Hop', 'Routing', 'Destination Options'],
    });
    expect(r.ok && r.payload.length).toBe(20);
    expect(r.ok && r.fields.filter((f) => f.key.startsWith('ext')).map((f) => [f.start, f.end])).toEqual([
      [40, 48],
      [48, 56],
      [56, 72],
    ]);
  });

  it('stops at a fragment header and says where the fragment lies', () => {
    // RFC 8200 §4.5: next TCP, offset 185 (×8 = 1480), M set, id 0xdeadbeef.
    const frag = fromHex('06 00 05 c9 de ad be ef');
    const bytes = encodeIpv6(
      { src: '::1', dst: '::1', nextHeader: 44, hopLimit: 64, trafficClass: 0, flowLabel: 0 },
      frag,
    );
    const r = decodeIpv6(bytes);
    expect(r.ok && r.repr.fragment).toEqual({ offset: 185, more: true, id: 0xdeadbeef });
    expect(r.ok && r.repr.protocol).toBe(6);
  });

  it('fails cleanly on short or wrong input, and reads a short packet only when asked', () => {
    expect(decodeIpv6(SYN_HEADER.subarray(0, 39))).toMatchObject({
      ok: false,
      error: { code: 'truncated', offset: 39 },
    });
    expect(decodeIpv6(SYN_HEADER)).toMatchObject({ ok: false, error: { code: 'truncated' } });
    const four = SYN_HEADER.slice();
    four[0] = 0x45;
    expect(decodeIpv6(four)).toMatchObject({ ok: false, error: { code: 'bad-version', offset: 0 } });
    const short = decodeIpv6(SYN_HEADER, { allowShort: true });
    expect(short.ok && short.repr.payloadLength).toBe(40);
    expect(short.ok && short.payload.length).toBe(0);
    const cutExt = encodeIpv6(
      { src: '::1', dst: '::1', nextHeader: 0, hopLimit: 1, trafficClass: 0, flowLabel: 0 },
      fromHex('06 05'),
    );
    expect(decodeIpv6(cutExt)).toMatchObject({ ok: false, error: { code: 'truncated' } });
  });

  it('never throws on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (b, allowShort) => {
        const r = decodeIpv6(b, { allowShort });
        if (r.ok) for (const f of r.fields) expect(f.end).toBeLessThanOrEqual(b.length);
      }),
    );
  });
});
