import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/protocol/bytes';
import { decodeLoopback, describeLoopback } from '../../src/protocol/loopback';
import { decodeSll, describeSll } from '../../src/protocol/sll';

// Real headers from tests/fixtures/capture: tcpdump -i any on lo (LINKTYPE_LINUX_SLL, frame 1) and with
// -y LINUX_SLL2 (frame 1): to us (0), ARPHRD_LOOPBACK (772), a 6-byte all-zero address, IPv4.
const SLL = fromHex('0000 0304 0006 000000000000 0000 0800');
const SLL2 = fromHex('0800 0000 00000001 0304 00 06 000000000000 0000');

describe('Linux cooked capture (SLL, SLL2)', () => {
  it('reads the SLL header of tcpdump -i any', () => {
    const r = decodeSll(SLL, 1);
    expect(r.ok && r.repr).toEqual({
      version: 1,
      packetType: 0,
      arphrd: 772,
      address: '00:00:00:00:00:00',
      protocol: 0x0800,
    });
    expect(r.ok && r.fields.map((f) => [f.key, f.start, f.end, f.value])).toEqual([
      ['packetType', 0, 2, '0 (to us)'],
      ['arphrd', 2, 4, '772 (Loopback)'],
      ['addressLength', 4, 6, '6'],
      ['address', 6, 14, '00:00:00:00:00:00'],
      ['protocol', 14, 16, '0x0800 (IPv4)'],
    ]);
    expect(r.ok && describeSll(r.repr)).toBe(
      'Linux cooked (SLL) to us from 00:00:00:00:00:00, type 0x0800 (IPv4)',
    );
  });

  it('reads the SLL2 header, with the interface index', () => {
    const r = decodeSll(SLL2, 2);
    expect(r.ok && r.repr).toEqual({
      version: 2,
      packetType: 0,
      arphrd: 772,
      address: '00:00:00:00:00:00',
      protocol: 0x0800,
      ifindex: 1,
    });
    expect(r.ok && r.length).toBe(20);
    expect(r.ok && r.fields.find((f) => f.key === 'ifindex')).toMatchObject({ start: 4, end: 8, value: '1' });
  });

  it('fails cleanly when cut short, and never throws', () => {
    expect(decodeSll(SLL.subarray(0, 15), 1)).toMatchObject({
      ok: false,
      error: { code: 'truncated', offset: 15 },
    });
    expect(decodeSll(SLL2.subarray(0, 19), 2)).toMatchObject({ ok: false, error: { code: 'truncated' } });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(1 as const, 2 as const), (b, v) => {
        const r = decodeSll(b, v);
        if (r.ok) for (const f of r.fields) expect(f.end).toBeLessThanOrEqual(b.length);
      }),
    );
  });
});

describe('BSD loopback (LINKTYPE_NULL, LINKTYPE_LOOP)', () => {
  it.each([
    ['02000000', false, 2, 4],
    ['00000002', false, 2, 4], // written on a big-endian host
    ['00000002', true, 2, 4], // LINKTYPE_LOOP: always network order
    ['18000000', false, 24, 6],
    ['1c000000', false, 28, 6],
    ['1e000000', false, 30, 6],
    ['07000000', false, 7, null],
  ])('%s (network order: %s) is family %i, IP %s', (hex, network, family, ip) => {
    const r = decodeLoopback(fromHex(hex), network);
    expect(r.ok && r.repr).toEqual({ family, ip });
    expect(r.ok && r.length).toBe(4);
  });

  it('fails cleanly when cut short', () => {
    expect(decodeLoopback(fromHex('0200'), false)).toMatchObject({ ok: false, error: { code: 'truncated' } });
    const r = decodeLoopback(fromHex('02000000'), false);
    expect(r.ok && describeLoopback(r.repr)).toBe('Loopback, family 2 (IPv4)');
  });
});
