import fc from 'fast-check';
import { codePointCount, isUtf8, slabBytes, strictUtf8, utf8, utf8Length } from '../../src/protocol/bytes';

/** Bytes at the edges of UTF-8's ranges (RFC 3629 §4), where a validator can be off by one. */
const EDGES = [
  0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
  0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
];

describe('isUtf8', () => {
  it('agrees with the fatal TextDecoder on every sequence of up to three edge bytes', () => {
    let disagreements = 0;
    const n = EDGES.length;
    for (let len = 0; len <= 3; len++) {
      for (let k = 0; k < n ** len; k++) {
        const b = new Uint8Array(len);
        for (let j = 0, kk = k; j < len; j++, kk = Math.floor(kk / n)) b[j] = EDGES[kk % n]!;
        if (isUtf8(b) !== (strictUtf8(b) !== null)) disagreements++;
      }
    }
    expect(disagreements).toBe(0);
  });

  it('agrees with the fatal TextDecoder on any bytes', () => {
    const edgy = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...EDGES));
    fc.assert(
      fc.property(fc.array(edgy, { maxLength: 24 }), (xs) => {
        const b = Uint8Array.from(xs);
        expect(isUtf8(b)).toBe(strictUtf8(b) !== null);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts any well-formed text, rejects surrogates, overlongs and cut sequences', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(isUtf8(utf8(s))).toBe(true);
      }),
    );
    expect(isUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(false); // U+D800
    expect(isUtf8(Uint8Array.of(0xc0, 0xaf))).toBe(false); // overlong '/'
    expect(isUtf8(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBe(false); // U+110000
    expect(isUtf8(Uint8Array.of(0xe2, 0x82))).toBe(false); // '€' cut short
    expect(isUtf8(Uint8Array.of(0xe2, 0x82, 0xac))).toBe(true); // '€'
  });
});

describe('slabBytes and utf8', () => {
  it('give zeroed arrays of their own, even when carved from one buffer', () => {
    const a = slabBytes(10);
    const b = slabBytes(10);
    expect([...a]).toEqual(new Array(10).fill(0));
    a.fill(0xff);
    expect([...b]).toEqual(new Array(10).fill(0));
  });

  it('utf8 gives exactly the bytes of TextEncoder, short and long', () => {
    for (const s of ['', 'a', 'héllo €', '😀 x', '\ud800', 'x'.repeat(20_000)]) {
      const got = utf8(s);
      expect(got).toEqual(new TextEncoder().encode(s));
      // The next array starts after this one: writing it leaves `got` as it was.
      slabBytes(8).fill(0xff);
      expect(got).toEqual(new TextEncoder().encode(s));
    }
  });
});

describe('utf8Length', () => {
  it('counts a text in UTF-8 bytes as TextEncoder writes it (a lone surrogate as U+FFFD)', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('a', 'é', '€', '\uD83D\uDE00', '\uD800', '\uDFFF'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 20,
    });
    fc.assert(
      fc.property(text, (t) => {
        expect(utf8Length(t)).toBe(new TextEncoder().encode(t).length);
      }),
    );
    expect(utf8Length('x'.repeat(1 << 20))).toBe(1 << 20);
  });
});

describe('codePointCount', () => {
  it('counts as Array.from does, pairs and lone surrogates included', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.constantFrom(0xd800, 0xdbff, 0xdc00, 0xdfff, 0x41),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 16 }), (units) => {
        const s = String.fromCharCode(...units);
        expect(codePointCount(s)).toBe(Array.from(s).length);
      }),
      { numRuns: 2000 },
    );
  });
});
