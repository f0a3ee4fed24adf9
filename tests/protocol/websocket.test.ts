import fc from 'fast-check';
import { fromHex, toHex, utf8 } from '../../src/protocol/bytes';
import {
  CLOSE_CODES,
  WS_OPCODES,
  decodeClosePayload,
  decodeWsFrame,
  describeWsFrame,
  encodeClosePayload,
  encodeWsFrame,
  isValidCloseCode,
  maskPayload,
  reassemble,
  wsHeaderLength,
  type WsFrameRepr,
} from '../../src/protocol/websocket';
import { expectTiling } from './tiling';

const KEY = fromHex('37fa213d');
const frame = (o: Partial<WsFrameRepr> & Pick<WsFrameRepr, 'opcode' | 'payload'>): WsFrameRepr => ({
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  maskKey: null,
  ...o,
});

describe('RFC 6455 §5.7 examples, encoded and decoded byte for byte', () => {
  const hello = utf8('Hello');
  const cases: readonly [string, WsFrameRepr, string][] = [
    [
      'a single-frame unmasked text message',
      frame({ opcode: WS_OPCODES.text, payload: hello }),
      '81 05 48 65 6c 6c 6f',
    ],
    [
      'a single-frame masked text message',
      frame({ opcode: WS_OPCODES.text, payload: hello, maskKey: KEY }),
      '81 85 37 fa 21 3d 7f 9f 4d 51 58',
    ],
    [
      'the first fragment of an unmasked text message',
      frame({ fin: false, opcode: WS_OPCODES.text, payload: utf8('Hel') }),
      '01 03 48 65 6c',
    ],
    [
      'the last fragment of an unmasked text message',
      frame({ opcode: WS_OPCODES.continuation, payload: utf8('lo') }),
      '80 02 6c 6f',
    ],
    ['an unmasked ping', frame({ opcode: WS_OPCODES.ping, payload: hello }), '89 05 48 65 6c 6c 6f'],
    [
      'a masked pong answering it',
      frame({ opcode: WS_OPCODES.pong, payload: hello, maskKey: KEY }),
      '8a 85 37 fa 21 3d 7f 9f 4d 51 58',
    ],
  ];

  it.each(cases)('%s', (_what, repr, hex) => {
    expect(toHex(encodeWsFrame(repr))).toBe(hex);
    const r = decodeWsFrame(fromHex(hex), { from: repr.maskKey ? 'client' : 'server' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr).toEqual(repr);
    expect(r.length).toBe(fromHex(hex).length);
    expect(toHex(r.payload)).toBe(toHex(repr.payload));
  });

  it.each([
    [256, '82 7e 01 00'],
    [65536, '82 7f 00 00 00 00 00 01 00 00'],
  ])('a %i-byte unmasked binary message has header %s', (n, header) => {
    const payload = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    const wire = encodeWsFrame(frame({ opcode: WS_OPCODES.binary, payload }));
    expect(toHex(wire.subarray(0, wire.length - n))).toBe(header);
    expect(toHex(wire.subarray(wire.length - n))).toBe(toHex(payload));
    const r = decodeWsFrame(wire, { from: 'server' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr.payload).toEqual(payload);
    expect(r.fields.find((f) => f.key === 'extendedPayloadLength')?.value).toBe(String(n));
  });

  it('the two fragments reassemble into "Hello"', () => {
    const frames = ['01 03 48 65 6c', '80 02 6c 6f'].map((h) => {
      const r = decodeWsFrame(fromHex(h));
      if (!r.ok) throw new Error(r.error.message);
      return r.repr;
    });
    const m = reassemble(frames);
    expect(m.ok && m.messages).toEqual([{ opcode: WS_OPCODES.text, data: utf8('Hello') }]);
  });
});

describe('frames from a real capture (real-ws-loopback.pcap)', () => {
  it.each([
    ['server push', '810b7365727665722070757368', 'server', WS_OPCODES.text, 'server push'],
    ['masked client text', '8185a300b68aeb65dae6cc', 'client', WS_OPCODES.text, 'Hello'],
    ['echo', '810a6563686f3a48656c6c6f', 'server', WS_OPCODES.text, 'echo:Hello'],
  ] as const)('%s', (_what, hex, from, opcode, text) => {
    const r = decodeWsFrame(fromHex(hex), { from });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr.opcode).toBe(opcode);
    expect(new TextDecoder().decode(r.payload)).toBe(text);
    expect(toHex(encodeWsFrame(r.repr))).toBe(toHex(fromHex(hex)));
  });

  it('both close frames carry 1000 "bye"', () => {
    for (const [hex, from] of [
      ['888595ef624196070038f0', 'client'],
      ['880503e8627965', 'server'],
    ] as const) {
      const r = decodeWsFrame(fromHex(hex), { from });
      if (!r.ok) throw new Error(r.error.message);
      expect(decodeClosePayload(r.payload)).toEqual({ ok: true, code: 1000, reason: 'bye' });
      expect(describeWsFrame(r.repr)).toBe(
        `WebSocket Connection Close [FIN]${from === 'client' ? ' [MASKED]' : ''} 1000 (Normal Closure) "bye"`,
      );
    }
  });
});

describe('masking (RFC 6455 §5.3)', () => {
  it('XORs byte i with key byte i mod 4 and is its own inverse', () => {
    expect(toHex(maskPayload(utf8('Hello'), KEY))).toBe('7f 9f 4d 51 58');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300, size: 'max' }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        (data, key) => {
          const masked = maskPayload(data, key);
          for (let i = 0; i < data.length; i++) expect(masked[i]).toBe(data[i]! ^ key[i % 4]!);
          expect(maskPayload(masked, key)).toEqual(data);
        },
      ),
    );
  });

  it('does not touch its input and refuses keys that are not 4 bytes', () => {
    const data = utf8('Hello');
    maskPayload(data, KEY);
    expect(toHex(data)).toBe('48 65 6c 6c 6f');
    expect(() => maskPayload(data, new Uint8Array(3))).toThrow(RangeError);
    expect(() => encodeWsFrame(frame({ opcode: 1, payload: data, maskKey: new Uint8Array(5) }))).toThrow(
      RangeError,
    );
  });
});

describe('header layout', () => {
  it.each([
    [0, 2],
    [125, 2],
    [126, 4],
    [65535, 4],
    [65536, 10],
    [2 ** 40, 10],
  ])('a %i-byte payload needs a %i-byte header, 4 more when masked', (n, len) => {
    expect(wsHeaderLength(n, false)).toBe(len);
    expect(wsHeaderLength(n, true)).toBe(len + 4);
  });

  it('annotates the masked "Hello" field by field, bits included', () => {
    const r = decodeWsFrame(fromHex('81 85 37 fa 21 3d 7f 9f 4d 51 58'), { from: 'client' });
    if (!r.ok) throw new Error(r.error.message);
    expect(
      r.fields.map((f) => [f.key, f.start, f.end, f.bits ? [f.bits.start, f.bits.end] : null, f.value]),
    ).toEqual([
      ['fin', 0, 1, [0, 1], '1 (final fragment)'],
      ['rsv1', 0, 1, [1, 2], '0'],
      ['rsv2', 0, 1, [2, 3], '0'],
      ['rsv3', 0, 1, [3, 4], '0'],
      ['opcode', 0, 1, [4, 8], '0x1 (Text)'],
      ['mask', 1, 2, [0, 1], '1 (masked)'],
      ['payloadLength', 1, 2, [1, 8], '5'],
      ['maskingKey', 2, 6, null, '37 fa 21 3d'],
      ['payload', 6, 11, null, '"Hello"'],
    ]);
    const payload = r.fields.at(-1)!;
    expect(payload.meaning).toMatch(/masked/);
    expect(payload.name).toBe('Payload (masked)');
    for (const f of r.fields) {
      expect(f.layer).toBe('websocket');
      expect(f.meaning.length).toBeGreaterThan(10);
    }
  });

  it.each([0, 1, 125, 126, 127, 65535, 65536])(
    'the fields tile the header of a %i-byte frame, masked or not',
    (n) => {
      for (const maskKey of [null, KEY]) {
        const payload = new Uint8Array(n).fill(0x61);
        const wire = encodeWsFrame(frame({ opcode: WS_OPCODES.binary, payload, maskKey }));
        const r = decodeWsFrame(wire);
        if (!r.ok) throw new Error(r.error.message);
        const headerLength = wsHeaderLength(n, maskKey !== null);
        expectTiling(r.fields, 0, headerLength);
        const payloadFields = r.fields.filter((f) => f.start >= headerLength);
        expect(payloadFields.map((f) => [f.start, f.end])).toEqual(
          n === 0 ? [] : [[headerLength, wire.length]],
        );
      }
    },
  );

  it('splits a close payload into status code and reason, shown unmasked', () => {
    const wire = encodeWsFrame(
      frame({ opcode: WS_OPCODES.close, payload: encodeClosePayload(1001, 'bye'), maskKey: KEY }),
    );
    const r = decodeWsFrame(wire, { from: 'client' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.fields.slice(-2).map((f) => [f.key, f.start, f.end, f.value])).toEqual([
      ['closeCode', 6, 8, '1001 (Going Away)'],
      ['closeReason', 8, 11, '"bye"'],
    ]);
    expectTiling(r.fields, 0, 6);
  });

  it('shows binary payloads as hex and long text shortened', () => {
    const bin = decodeWsFrame(
      encodeWsFrame(frame({ opcode: WS_OPCODES.binary, payload: fromHex('00ff10') })),
    );
    expect(bin.ok && bin.fields.at(-1)!.value).toBe('00 ff 10');
    const long = decodeWsFrame(
      encodeWsFrame(frame({ opcode: WS_OPCODES.text, payload: utf8('é'.repeat(100)) })),
    );
    expect(long.ok && long.fields.at(-1)!.value).toBe(JSON.stringify('é'.repeat(60) + '…'));
  });
});

describe('decoder limits', () => {
  it('says incomplete (without a close code) for every strict prefix of a frame', () => {
    for (const n of [0, 5, 126, 65536]) {
      const wire = encodeWsFrame(
        frame({ opcode: WS_OPCODES.binary, payload: new Uint8Array(n), maskKey: KEY }),
      );
      for (const cut of new Set([0, 1, 2, 3, 5, 9, 13, wire.length - 1].filter((c) => c < wire.length))) {
        const r = decodeWsFrame(wire.subarray(0, cut));
        expect(r.ok ? 'ok' : [r.error.code, r.error.closeCode]).toEqual(['incomplete', undefined]);
      }
    }
  });

  it('decodes one frame of a stream and reports its length', () => {
    const a = encodeWsFrame(frame({ opcode: WS_OPCODES.text, payload: utf8('one') }));
    const b = encodeWsFrame(frame({ opcode: WS_OPCODES.text, payload: utf8('two') }));
    const r = decodeWsFrame(new Uint8Array([...a, ...b]));
    expect(r.ok && [r.length, new TextDecoder().decode(r.payload)]).toEqual([a.length, 'one']);
  });

  it('enforces the masking direction only when told who sent the frame (RFC 6455 §5.1)', () => {
    const unmasked = fromHex('81 05 48 65 6c 6c 6f');
    const masked = fromHex('81 85 37 fa 21 3d 7f 9f 4d 51 58');
    const err = (r: ReturnType<typeof decodeWsFrame>) =>
      r.ok ? 'ok' : [r.error.code, r.error.closeCode, r.error.offset];
    expect(err(decodeWsFrame(unmasked, { from: 'client' }))).toEqual(['mask-required', 1002, 1]);
    expect(err(decodeWsFrame(masked, { from: 'server' }))).toEqual(['mask-forbidden', 1002, 1]);
    expect(err(decodeWsFrame(unmasked))).toBe('ok');
    expect(err(decodeWsFrame(masked))).toBe('ok');
  });

  it('accepts a non-minimal length encoding, as ws does', () => {
    const r = decodeWsFrame(fromHex('81 7e 00 05 48 65 6c 6c 6f'));
    expect(r.ok && [r.length, new TextDecoder().decode(r.payload)]).toEqual([9, 'Hello']);
  });

  it('rejects a 64-bit length with its top bit set (RFC 6455 §5.2)', () => {
    const r = decodeWsFrame(fromHex('82 7f 80 00 00 00 00 00 00 01 00'));
    expect(r.ok ? 'ok' : [r.error.code, r.error.closeCode, r.error.offset]).toEqual(['length-msb', 1002, 2]);
  });

  it('calls a length beyond 2^53 - 1 too big (1009) and a large honest length incomplete', () => {
    const big = decodeWsFrame(fromHex('82 7f 00 20 00 00 00 00 00 00'));
    expect(big.ok ? 'ok' : [big.error.code, big.error.closeCode]).toEqual(['too-big', 1009]);
    const honest = decodeWsFrame(fromHex('82 7f 00 1f ff ff ff ff ff ff 00'));
    expect(honest.ok ? 'ok' : honest.error.code).toBe('incomplete');
  });
});

describe('close payload (RFC 6455 §5.5.1, §7.4)', () => {
  it('is a big-endian code then UTF-8 reason', () => {
    expect(toHex(encodeClosePayload(1000, 'bye'))).toBe('03 e8 62 79 65');
    expect(toHex(encodeClosePayload(4999, ''))).toBe('13 87');
    expect(decodeClosePayload(encodeClosePayload(1011, 'κόσμε'))).toEqual({
      ok: true,
      code: 1011,
      reason: 'κόσμε',
    });
    expect(decodeClosePayload(new Uint8Array(0))).toEqual({ ok: true, code: null, reason: '' });
    expect(() => encodeClosePayload(65536, '')).toThrow(RangeError);
  });

  it('names the codes students meet, and never allows 1005/1006 on the wire', () => {
    expect(CLOSE_CODES[1000]).toBe('Normal Closure');
    expect(CLOSE_CODES[1001]).toBe('Going Away');
    expect(CLOSE_CODES[1002]).toBe('Protocol Error');
    expect(CLOSE_CODES[1011]).toBe('Internal Error');
    const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999];
    const invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
    expect(valid.filter((c) => !isValidCloseCode(c))).toEqual([]);
    expect(invalid.filter((c) => isValidCloseCode(c))).toEqual([]);
  });

  it.each([
    ['03', 'close-payload-1-byte', 1002, 0],
    ['03 ed', 'invalid-close-code', 1002, 0],
    ['03 e8 ce ba ed a0 80', 'invalid-utf8', 1007, 2],
  ])('%s fails with %s → %i at %i', (hex, code, closeCode, offset) => {
    const r = decodeClosePayload(fromHex(hex));
    expect(r.ok ? 'ok' : [r.error.code, r.error.closeCode, r.error.offset]).toEqual([
      code,
      closeCode,
      offset,
    ]);
  });
});

describe('describeWsFrame', () => {
  it.each([
    [frame({ opcode: 1, payload: utf8('Hello'), maskKey: KEY }), 'WebSocket Text [FIN] [MASKED] "Hello"'],
    [frame({ opcode: 1, payload: utf8('Hel'), fin: false }), 'WebSocket Text "Hel"'],
    [frame({ opcode: 2, payload: new Uint8Array(256) }), 'WebSocket Binary [FIN] (256 bytes)'],
    [frame({ opcode: 0, payload: utf8('lo') }), 'WebSocket Continuation [FIN] (2 bytes)'],
    [frame({ opcode: 9, payload: new Uint8Array(0) }), 'WebSocket Ping [FIN] (0 bytes)'],
    [frame({ opcode: 10, payload: utf8('Hello') }), 'WebSocket Pong [FIN] "Hello"'],
    [frame({ opcode: 8, payload: new Uint8Array(0) }), 'WebSocket Connection Close [FIN] (no status code)'],
    [
      frame({ opcode: 8, payload: encodeClosePayload(1000, '') }),
      'WebSocket Connection Close [FIN] 1000 (Normal Closure)',
    ],
    [
      frame({ opcode: 3, payload: new Uint8Array(1), rsv1: true }),
      'WebSocket Reserved 0x3 [FIN] [RSV1] (1 bytes)',
    ],
  ])('%#: %s', (repr, text) => {
    expect(describeWsFrame(repr)).toBe(text);
  });
});

describe('properties', () => {
  const maskKey = fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: null });
  const roundTrip = (payload: Uint8Array, key: Uint8Array | null, opcode: number, fin: boolean) => {
    const repr = frame({ opcode, payload, maskKey: key, fin });
    const wire = encodeWsFrame(repr);
    expect(wire.length).toBe(wsHeaderLength(payload.length, key !== null) + payload.length);
    const r = decodeWsFrame(wire, { from: key ? 'client' : 'server' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.length).toBe(wire.length);
    expect(r.repr.fin).toBe(fin);
    expect(r.repr.opcode).toBe(opcode);
    expect(r.repr.maskKey).toEqual(key);
    expect(bytesSame(r.repr.payload, payload)).toBe(true);
  };

  it('payloads of the boundary lengths round-trip with and without a mask', () => {
    for (const n of [0, 1, 125, 126, 127, 65535, 65536]) {
      const payload = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
      roundTrip(payload, null, WS_OPCODES.binary, true);
      roundTrip(payload, fromHex('00000000'), WS_OPCODES.binary, true);
      roundTrip(payload, KEY, WS_OPCODES.binary, false);
    }
  });

  it('any payload of 0..70000 bytes round-trips with any mask key or none', () => {
    const length = fc.oneof(
      fc.integer({ min: 0, max: 70000 }),
      fc.constantFrom(0, 125, 126, 127, 65535, 65536),
    );
    fc.assert(
      fc.property(
        length.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        maskKey,
        fc.constantFrom(WS_OPCODES.binary, WS_OPCODES.continuation),
        fc.boolean(),
        (payload, key, opcode, fin) => roundTrip(payload, key, opcode, fin),
      ),
      { numRuns: 50 },
    );
  });

  it('any text round-trips, and its annotations tile the header', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300, size: 'max' }), maskKey, (text, key) => {
        const wire = encodeWsFrame(frame({ opcode: WS_OPCODES.text, payload: utf8(text), maskKey: key }));
        const r = decodeWsFrame(wire);
        if (!r.ok) throw new Error(r.error.message);
        expect(new TextDecoder().decode(r.payload)).toBe(text);
        expectTiling(r.fields, 0, wsHeaderLength(r.payload.length, key !== null));
      }),
      { numRuns: 200 },
    );
  });

  it('no bytes make decodeWsFrame or decodeClosePayload throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200, size: 'max' }),
        fc.constantFrom(undefined, 'client', 'server'),
        (bytes, from) => {
          const r = decodeWsFrame(bytes, from ? { from } : {});
          if (r.ok) expect(r.length).toBeLessThanOrEqual(bytes.length);
          else expect(r.error.offset).toBeLessThanOrEqual(bytes.length);
          const c = decodeClosePayload(bytes);
          expect(typeof c.ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every header with random bits decodes or fails with a named error', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 140, size: 'max' }),
        (b0, b1, rest) => {
          const r = decodeWsFrame(new Uint8Array([b0, b1, ...rest]));
          if (r.ok) {
            expect(r.repr.opcode).toBe(b0 & 0x0f);
            expect(r.repr.fin).toBe((b0 & 0x80) !== 0);
            expect(r.repr.maskKey !== null).toBe((b1 & 0x80) !== 0);
          } else {
            expect(r.error.code).toMatch(/^[a-z0-9-]+$/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

function bytesSame(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
