import { manchesterLevels, signalGeometry, wireBits } from '../../../src/views/signal/layout';

describe('wireBits', () => {
  it('sends each byte least-significant bit first (IEEE 802.3 §3.3)', () => {
    // 0x02 = 0000 0010: on the wire 0,1,0,0,0,0,0,0. 0xd5 (the SFD) = 1101 0101: 1,0,1,0,1,0,1,1.
    const bits = wireBits(Uint8Array.of(0x02, 0xd5), 16);
    expect(bits.map((b) => b.bit).join('')).toBe('0100000010101011');
    expect(bits[9]).toEqual({ bit: 0, byteIndex: 1, bitOfByte: 1 });
  });

  it('stops at count or at the end of the bytes', () => {
    expect(wireBits(Uint8Array.of(0xff, 0xff), 3)).toHaveLength(3);
    expect(wireBits(Uint8Array.of(0xff), 20)).toHaveLength(8);
  });
});

describe('Manchester', () => {
  it('draws 0 as high-then-low and 1 as low-then-high (IEEE 802.3 §7.2.1.1)', () => {
    const levels = manchesterLevels(wireBits(Uint8Array.of(0b10), 2));
    // bit 0 (=0): high, low; bit 1 (=1): low, high
    expect(levels).toEqual([1, 0, 0, 1]);
  });

  it('lays out a path with one vertical edge in the middle of every bit cell', () => {
    const bits = wireBits(Uint8Array.of(0x55), 8);
    const g = signalGeometry(bits, 160, 10, 50);
    expect(g.cell).toBe(20);
    expect(g.centres[0]).toBe(10);
    expect(g.byteEdges).toEqual([]);
    // curveStepAfter: M x,y then alternating H/V-like L segments; every cell centre is an x where y changes.
    const xs = [...g.path.matchAll(/L([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    for (const c of g.centres) {
      const atCentre = xs.filter(([x]) => Math.abs(x! - c) < 1e-9).map(([, y]) => y);
      expect(new Set(atCentre).size).toBe(2);
    }
    expect(g.path.startsWith('M0,')).toBe(true);
  });

  it('knows its own length: the sum of the straight segments of its path, as getTotalLength measures it', () => {
    for (const bytes of [Uint8Array.of(0x55), Uint8Array.of(0x00, 0xff), Uint8Array.of(0xd5, 0x02)]) {
      const g = signalGeometry(wireBits(bytes, 16), 333, 7, 61);
      const points = [...g.path.matchAll(/[ML](-?[\d.e]+),(-?[\d.e]+)/g)].map((m) => [
        Number(m[1]),
        Number(m[2]),
      ]);
      let length = 0;
      for (let i = 1; i < points.length; i++) {
        length += Math.hypot(points[i]![0]! - points[i - 1]![0]!, points[i]![1]! - points[i - 1]![1]!);
      }
      expect(points.length).toBeGreaterThan(bytes.length * 8);
      expect(g.length).toBeCloseTo(length, 6);
    }
  });

  it('marks byte boundaries', () => {
    const g = signalGeometry(wireBits(Uint8Array.of(1, 2), 16), 320, 0, 10);
    expect(g.byteEdges).toEqual([160]);
  });
});
