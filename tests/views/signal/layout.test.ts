import fc from 'fast-check';
import {
  CONTROL_CODES,
  FOUR_B_FIVE_B,
  encode4b5b,
  fitSignalLabel,
  SIGNAL_LABEL_PX,
  headBytesFor,
  macOctets,
  mlt3,
  signalGeometry,
  signalWindow,
} from '../../../src/views/signal/layout';

const bits = (s: string) => [...s].map(Number);

describe('macOctets', () => {
  it('puts 7 × 0x55 and the SFD 0xD5 in front of the frame (IEEE 802.3 §3.2.1–3.2.2)', () => {
    const out = macOctets(Uint8Array.of(0x02, 0x00, 0xab));
    expect([...out]).toEqual([0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0xd5, 0x02, 0x00, 0xab]);
  });
});

describe('4B/5B (IEEE 802.3 Table 24-1)', () => {
  it('has the sixteen data code-groups of the table', () => {
    // Table 24-1, written bit 4 … bit 0 for nibbles 0–F.
    expect(FOUR_B_FIVE_B.join(' ')).toBe(
      '11110 01001 10100 10101 01010 01011 01110 01111 10010 10011 10110 10111 11010 11011 11100 11101',
    );
    expect(CONTROL_CODES).toEqual({ I: '11111', J: '11000', K: '10001', T: '01101', R: '00111' });
  });

  it('every data code-group has at least two 1s and no more than three 0s in a row across two groups', () => {
    for (const a of FOUR_B_FIVE_B) {
      expect([...a].filter((c) => c === '1').length).toBeGreaterThanOrEqual(2);
      for (const b of FOUR_B_FIVE_B) expect(a + b).not.toMatch(/0000/);
    }
  });

  it('replaces the first preamble octet with /J/K/, sends each octet low nibble first, and ends with /T/R/', () => {
    const groups = encode4b5b(macOctets(Uint8Array.of(0x3c)));
    expect(groups.map((g) => g.name).join(' ')).toBe('J K 5 5 5 5 5 5 5 5 5 5 5 5 5 D C 3 T R');
    expect(groups[0]!.bits).toEqual(bits('11000'));
    expect(groups[1]!.bits).toEqual(bits('10001'));
    // 0xD5: low nibble 5 (01011) first, then D (11011).
    expect(groups[14]!.bits).toEqual(bits('01011'));
    expect(groups[15]!.bits).toEqual(bits('11011'));
    // 0x3c: low nibble C (11010), then 3 (10101).
    expect(groups[16]!.bits).toEqual(bits('11010'));
    expect(groups[17]!.bits).toEqual(bits('10101'));
    expect(groups[18]!.bits).toEqual(bits('01101'));
    expect(groups[19]!.bits).toEqual(bits('00111'));
    expect(groups.map((g) => g.octet)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, -1, -1,
    ]);
  });
});

describe('MLT-3', () => {
  it('moves to the next level of 0, +, 0, − on every 1 and stays on a 0', () => {
    expect(mlt3(bits('1111'))).toEqual([1, 0, -1, 0]);
    expect(mlt3(bits('0000'))).toEqual([0, 0, 0, 0]);
    expect(mlt3(bits('10110'))).toEqual([1, 1, 0, -1, -1]);
  });

  it('changes level exactly where the bit is 1', () => {
    const stream = encode4b5b(macOctets(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).flatMap((g) => g.bits);
    const levels = mlt3(stream);
    levels.forEach((level, i) => {
      const before = i === 0 ? 0 : levels[i - 1];
      expect(level !== before).toBe(stream[i] === 1);
    });
  });
});

describe('signalWindow', () => {
  const frame = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);

  it('starts with /J/K/, a preamble octet and the SFD, then the frame, and ends with its last bytes and /T/R/', () => {
    const w = signalWindow(frame, 2, 2);
    expect(w.segments.map((s) => s.label)).toEqual([
      'J K: start',
      '0x55 ×6',
      'SFD 0xd5',
      `0x${frame[0]!.toString(16).padStart(2, '0')}`,
      `0x${frame[1]!.toString(16).padStart(2, '0')}`,
      `0x${frame[62]!.toString(16).padStart(2, '0')}`,
      `0x${frame[63]!.toString(16).padStart(2, '0')}`,
      'T R: end',
    ]);
    expect(w.gaps).toEqual([
      { after: 0, octets: 5 },
      { after: 4, octets: 60 },
    ]);
    expect(w.totalOctets).toBe(8 + 64);
    expect(w.totalBits).toBe(72 * 10 + 10);
    // Each segment's first bit points at its own code bits in the whole stream.
    const stream = encode4b5b(macOctets(frame)).flatMap((g) => g.bits);
    for (const s of w.segments) {
      expect(stream.slice(s.firstBit, s.firstBit + 5 * s.groups.length)).toEqual(
        s.groups.flatMap((g) => g.bits),
      );
    }
  });

  it('draws a captured frame from its first byte: no preamble, SFD, /J/K/ or /T/R/ (a capture starts at layer 2)', () => {
    const w = signalWindow(frame, 2, 2, true);
    const hex = (i: number) => `0x${frame[i]!.toString(16).padStart(2, '0')}`;
    expect(w.segments.map((s) => s.label)).toEqual([hex(0), hex(1), hex(62), hex(63)]);
    expect(w.segments.every((s) => s.role === 'frame')).toBe(true);
    expect(w.gaps).toEqual([{ after: 1, octets: 60 }]);
    expect(w.totalOctets).toBe(64);
    expect(w.totalBits).toBe(64 * 10);
    // The line starts at level 0 with the first byte's low nibble (no /J/K/ before it to move it).
    const groups = w.segments.flatMap((s) => s.groups);
    expect(groups.map((g) => g.name).slice(0, 2)).toEqual([
      (frame[0]! & 0x0f).toString(16).toUpperCase(),
      (frame[0]! >> 4).toString(16).toUpperCase(),
    ]);
    expect(w.segments[0]!.firstBit).toBe(0);
    const stream = [...frame].flatMap((b) =>
      [b & 0x0f, b >> 4].flatMap((n) => [...FOUR_B_FIVE_B[n]!].map(Number)),
    );
    for (const s of w.segments) {
      expect(stream.slice(s.firstBit, s.firstBit + 5 * s.groups.length)).toEqual(
        s.groups.flatMap((g) => g.bits),
      );
    }
    const levels = mlt3(stream);
    for (const s of w.segments) {
      expect(s.levels).toEqual(levels.slice(s.firstBit, s.firstBit + 5 * s.groups.length));
    }
    // Drawn, it is one run per side of the gap.
    expect(signalGeometry(w, 700, 10, 50).path.match(/M/g)).toHaveLength(2);
  });

  it('codes and levels each drawn octet exactly as coding the whole stream does, for any frame and window', () => {
    // The reference: every octet coded (encode4b5b) and the whole stream's levels (mlt3), then cut.
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 1600 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (bytes, head, tail, captured) => {
          const w = signalWindow(bytes, head, tail, captured);
          const groups = captured
            ? [...bytes].flatMap((b, i) =>
                [b & 0x0f, b >> 4].map((n) => ({ bits: [...FOUR_B_FIVE_B[n]!].map(Number), octet: i })),
              )
            : encode4b5b(macOctets(bytes));
          const stream = groups.flatMap((g) => g.bits);
          const levels = mlt3(stream);
          expect(w.totalBits).toBe(stream.length);
          expect(w.totalOctets).toBe(bytes.length + (captured ? 0 : 8));
          for (const s of w.segments) {
            const n = 5 * s.groups.length;
            expect(s.groups.flatMap((g) => g.bits)).toEqual(stream.slice(s.firstBit, s.firstBit + n));
            expect(s.levels).toEqual(levels.slice(s.firstBit, s.firstBit + n));
          }
          // Head and tail: the drawn frame bytes are the first `head` and the last `tail` (never twice).
          const shown = w.segments.filter((s) => s.role === 'frame').map((s) => s.label);
          const h = Math.min(head, bytes.length);
          const t = Math.min(tail, bytes.length - h);
          expect(shown).toEqual(
            [...bytes.slice(0, h), ...bytes.slice(bytes.length - t)].map(
              (b) => `0x${b.toString(16).padStart(2, '0')}`,
            ),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('differs from frame to frame (the FCS at the end, and the levels after it)', () => {
    const other = frame.slice();
    other[63] = other[63]! ^ 0x81;
    const a = signalGeometry(signalWindow(frame, 1), 700, 10, 50);
    const b = signalGeometry(signalWindow(other, 1), 700, 10, 50);
    expect(a.path).not.toBe(b.path);
  });
});

describe('signalGeometry', () => {
  it('draws one level per code bit across the width, with room for the gaps', () => {
    const w = signalWindow(Uint8Array.from({ length: 60 }), 1);
    const g = signalGeometry(w, 740, 10, 50);
    const drawn = w.segments.reduce((n, s) => n + s.groups.length * 5, 0);
    expect(g.bitXs).toHaveLength(drawn);
    expect(g.bitText).toMatch(new RegExp(`^[01]{${drawn}}$`));
    expect(g.bitText).toBe(w.segments.flatMap((s) => s.groups.flatMap((cg) => cg.bits)).join(''));
    expect(g.groupNames).toBe(w.segments.flatMap((s) => s.groups.map((cg) => cg.name)).join(''));
    expect(g.groupXs).toHaveLength(g.groupNames.length);
    // Each code-group's name sits over the middle of its five bits.
    g.groupXs.forEach((x, k) => expect(x).toBeCloseTo(g.bitXs[k * 5 + 2]!, 1));
    expect(g.cell * (drawn + 2 * w.gaps.length)).toBeCloseTo(740, 6);
    expect(g.gaps).toHaveLength(2);
    // Levels map to y: + high, 0 middle, − low.
    const ys = new Set([...g.path.matchAll(/[ML](-?[\d.e]+),(-?[\d.e]+)/g)].map((m) => Number(m[2])));
    expect([...ys].every((y) => y === 10 || y === 30 || y === 50)).toBe(true);
    // A sub-path for each run between gaps.
    expect(g.path.match(/M/g)).toHaveLength(3);
  });

  it('knows its own drawn length (moves across a gap do not count)', () => {
    const g = signalGeometry(signalWindow(Uint8Array.of(0xff, 0x00, 0x12, 0x34, 0x56), 1, 1), 333, 7, 61);
    let length = 0;
    for (const sub of g.path.split('M').filter(Boolean)) {
      const points = [...('M' + sub).matchAll(/[ML](-?[\d.e]+),(-?[\d.e]+)/g)].map((m) => [
        Number(m[1]),
        Number(m[2]),
      ]);
      for (let i = 1; i < points.length; i++) {
        length += Math.hypot(points[i]![0]! - points[i - 1]![0]!, points[i]![1]! - points[i - 1]![1]!);
      }
    }
    expect(g.length).toBeCloseTo(length, 1);
  });

  it('shows more of the frame on a wider strip, one to four bytes', () => {
    expect(headBytesFor(300)).toBe(1);
    expect(headBytesFor(900)).toBeGreaterThan(headBytesFor(700));
    expect(headBytesFor(5000)).toBe(4);
  });
});

describe('fitSignalLabel: a label never runs into its neighbour', () => {
  it('keeps the full label where it fits, a short one where only that fits, none below that', () => {
    expect(fitSignalLabel('SFD 0xd5', 'sfd', 200)).toBe('SFD 0xd5');
    expect(fitSignalLabel('SFD 0xd5', 'sfd', 30)).toBe('SFD');
    expect(fitSignalLabel('0x55 ×6', 'preamble', 20)).toBe('×6');
    expect(fitSignalLabel('J K: start', 'start', 25)).toBe('J K');
    expect(fitSignalLabel('T R: end', 'end', 5)).toBe('');
    expect(fitSignalLabel('0x02', 'frame', 20)).toBe('');
  });
  it('whatever it returns is no wider than the segment, for every width', () => {
    for (const [label, role] of [
      ['J K: start', 'start'],
      ['0x55 ×6', 'preamble'],
      ['SFD 0xd5', 'sfd'],
      ['0x81', 'frame'],
      ['T R: end', 'end'],
    ] as const) {
      for (let w = 0; w < 120; w++) {
        expect(fitSignalLabel(label, role, w).length * 0.62 * SIGNAL_LABEL_PX).toBeLessThanOrEqual(
          Math.max(0, w - 2),
        );
      }
    }
  });
});
