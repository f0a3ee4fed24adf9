/**
 * The Autobahn TestSuite's framing, fragmentation, UTF-8 and close-handling case groups (3.x, 4.x,
 * 5.x, 6.x, 7.x), played against Wirewalk as the receiving server: the client's masked frames are
 * decoded one by one from one byte stream, then reassembled. Each case says what a conforming peer
 * does: accept (with the messages it would deliver) or fail the connection with a close code.
 */
import { concatBytes, fromHex, utf8 } from '../../src/protocol/bytes';
import {
  WS_OPCODES,
  decodeWsFrame,
  encodeClosePayload,
  encodeWsFrame,
  reassemble,
  type WsFrameRepr,
  type WsMessage,
} from '../../src/protocol/websocket';

const { continuation, text, binary, close, ping, pong } = WS_OPCODES;
const KEY = fromHex('a1b2c3d4');

interface FrameSpec {
  readonly opcode: number;
  readonly payload?: Uint8Array | string;
  readonly fin?: boolean;
  readonly rsv1?: boolean;
  readonly rsv2?: boolean;
  readonly rsv3?: boolean;
}

function wire(specs: readonly FrameSpec[]): Uint8Array {
  return concatBytes(
    ...specs.map((s) =>
      encodeWsFrame({
        fin: s.fin ?? true,
        rsv1: s.rsv1 ?? false,
        rsv2: s.rsv2 ?? false,
        rsv3: s.rsv3 ?? false,
        opcode: s.opcode,
        maskKey: KEY,
        payload: typeof s.payload === 'string' ? utf8(s.payload) : (s.payload ?? new Uint8Array(0)),
      }),
    ),
  );
}

type Outcome =
  | { readonly accept: readonly (readonly [number, string])[] }
  | { readonly fail: string; readonly closeCode: number; readonly at: 'decode' | 'reassemble' };

/** Be the server: decode frames from the stream as they come, then apply the message-level rules. */
function serve(bytes: Uint8Array): Outcome {
  const frames: WsFrameRepr[] = [];
  let at = 0;
  while (at < bytes.length) {
    const r = decodeWsFrame(bytes.subarray(at), { from: 'client' });
    if (!r.ok) return { fail: r.error.code, closeCode: r.error.closeCode ?? -1, at: 'decode' };
    frames.push(r.repr);
    at += r.length;
  }
  const m = reassemble(frames);
  if (!m.ok) return { fail: m.error.code, closeCode: m.error.closeCode ?? -1, at: 'reassemble' };
  return { accept: m.messages.map((msg: WsMessage) => [msg.opcode, hex(msg.data)] as const) };
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const ok = (...messages: (readonly [number, Uint8Array | string])[]): Outcome => ({
  accept: messages.map(([op, d]) => [op, hex(typeof d === 'string' ? utf8(d) : d)] as const),
});
const failsOnDecode = (code: string, closeCode: number): Outcome => ({ fail: code, closeCode, at: 'decode' });
const failsOnReassemble = (code: string, closeCode: number): Outcome => ({
  fail: code,
  closeCode,
  at: 'reassemble',
});

/** Split bytes into one fragment per byte: text first, continuations after (Autobahn 6.2.3, 6.3.2). */
function perByte(bytes: Uint8Array): FrameSpec[] {
  return Array.from(bytes, (b, i) => ({
    opcode: i === 0 ? text : continuation,
    fin: i === bytes.length - 1,
    payload: Uint8Array.of(b),
  }));
}

const KOSME = fromHex('cebae1bdb9cf83cebcceb5'); // κόσμε, the Autobahn 6.x sample
const INVALID = fromHex('cebae1bdb9cf83cebcceb5eda080656469746564'); // κόσμε + U+D800 (a surrogate) + "edited"
const reason123 = 'x'.repeat(123);

const cases: readonly (readonly [string, readonly FrameSpec[], Outcome])[] = [
  // 3.x reserved bits (no extension negotiated) → 1002
  [
    '3.1 RSV1 on a text frame',
    [{ opcode: text, payload: 'Hello', rsv1: true }],
    failsOnDecode('reserved-bits', 1002),
  ],
  [
    '3.2 RSV2 on a text frame',
    [{ opcode: text, payload: 'Hello', rsv2: true }],
    failsOnDecode('reserved-bits', 1002),
  ],
  [
    '3.3 RSV1+RSV2 after a good frame',
    [
      { opcode: text, payload: 'Hello' },
      { opcode: text, payload: 'Hello', rsv1: true, rsv2: true },
    ],
    failsOnDecode('reserved-bits', 1002),
  ],
  [
    '3.4 RSV3 on a text frame',
    [{ opcode: text, payload: 'Hello', rsv3: true }],
    failsOnDecode('reserved-bits', 1002),
  ],
  [
    '3.5 RSV1+RSV3 on a binary frame',
    [{ opcode: binary, payload: fromHex('00ff'), rsv1: true, rsv3: true }],
    failsOnDecode('reserved-bits', 1002),
  ],
  [
    '3.6 RSV2+RSV3 on a ping',
    [{ opcode: ping, payload: 'Hello', rsv2: true, rsv3: true }],
    failsOnDecode('reserved-bits', 1002),
  ],
  [
    '3.7 all RSV bits on a close',
    [{ opcode: close, payload: encodeClosePayload(1000, ''), rsv1: true, rsv2: true, rsv3: true }],
    failsOnDecode('reserved-bits', 1002),
  ],
  // 4.1.x / 4.2.x reserved non-control and control opcodes → 1002
  ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map(
    (op) =>
      [
        `4.x reserved opcode 0x${op.toString(16)}`,
        [{ opcode: op, payload: 'reserved' }],
        failsOnDecode('reserved-opcode', 1002),
      ] as const,
  ),
  [
    '4.1.3 reserved opcode after a good text and a ping',
    [{ opcode: text, payload: 'Hello' }, { opcode: 5 }, { opcode: ping, payload: 'x' }],
    failsOnDecode('reserved-opcode', 1002),
  ],
  // 2.x / 5.x control frames: at most 125 bytes, never fragmented → 1002
  [
    '2.4 ping of 125 bytes',
    [{ opcode: ping, payload: new Uint8Array(125).fill(0xfe) }],
    ok([ping, new Uint8Array(125).fill(0xfe)]),
  ],
  [
    '2.5 ping of 126 bytes',
    [{ opcode: ping, payload: new Uint8Array(126) }],
    failsOnDecode('control-too-long', 1002),
  ],
  [
    'pong of 70000 bytes',
    [{ opcode: pong, payload: new Uint8Array(70000) }],
    failsOnDecode('control-too-long', 1002),
  ],
  [
    '5.1 ping in two fragments',
    [
      { opcode: ping, payload: 'frag1', fin: false },
      { opcode: continuation, payload: 'frag2' },
    ],
    failsOnDecode('control-fragmented', 1002),
  ],
  [
    '5.2 pong in two fragments',
    [
      { opcode: pong, payload: 'frag1', fin: false },
      { opcode: continuation, payload: 'frag2' },
    ],
    failsOnDecode('control-fragmented', 1002),
  ],
  [
    'close not FIN',
    [{ opcode: close, payload: encodeClosePayload(1000, ''), fin: false }],
    failsOnDecode('control-fragmented', 1002),
  ],
  // 5.x fragmentation
  [
    '5.3 text in two fragments',
    [
      { opcode: text, payload: 'frag1', fin: false },
      { opcode: continuation, payload: 'frag2' },
    ],
    ok([text, 'frag1frag2']),
  ],
  [
    '5.6 text in two fragments with a ping between',
    [
      { opcode: text, payload: 'frag1', fin: false },
      { opcode: ping, payload: 'ping payload' },
      { opcode: continuation, payload: 'frag2' },
    ],
    ok([ping, 'ping payload'], [text, 'frag1frag2']),
  ],
  [
    '5.19 text in five fragments with two pings between',
    [
      { opcode: text, payload: 'f1', fin: false },
      { opcode: continuation, payload: 'f2', fin: false },
      { opcode: ping, payload: 'p1' },
      { opcode: continuation, payload: 'f3', fin: false },
      { opcode: continuation, payload: 'f4', fin: false },
      { opcode: ping, payload: 'p2' },
      { opcode: continuation, payload: 'f5' },
    ],
    ok([ping, 'p1'], [ping, 'p2'], [text, 'f1f2f3f4f5']),
  ],
  [
    'binary in three fragments, one empty',
    [
      { opcode: binary, payload: fromHex('0102'), fin: false },
      { opcode: continuation, fin: false },
      { opcode: continuation, payload: fromHex('03') },
    ],
    ok([binary, fromHex('010203')]),
  ],
  [
    '5.9 orphan continuation with FIN',
    [{ opcode: continuation, payload: 'non-continuation payload' }],
    failsOnReassemble('orphan-continuation', 1002),
  ],
  [
    '5.10 orphan continuation without FIN, then text',
    [
      { opcode: continuation, payload: 'x', fin: false },
      { opcode: text, payload: 'Hello, world!' },
    ],
    failsOnReassemble('orphan-continuation', 1002),
  ],
  [
    '5.16 continuation after a finished message',
    [
      { opcode: text, payload: 'done' },
      { opcode: continuation, payload: 'late' },
    ],
    failsOnReassemble('orphan-continuation', 1002),
  ],
  [
    '5.18 a second text frame while a text message is fragmented',
    [
      { opcode: text, payload: 'fragment1', fin: false },
      { opcode: text, payload: 'fragment2' },
    ],
    failsOnReassemble('expected-continuation', 1002),
  ],
  [
    'a binary frame while a text message is fragmented',
    [
      { opcode: text, payload: 'a', fin: false },
      { opcode: binary, payload: 'b' },
    ],
    failsOnReassemble('expected-continuation', 1002),
  ],
  // 6.x UTF-8
  ['6.2.2 valid UTF-8 in one frame', [{ opcode: text, payload: KOSME }], ok([text, KOSME])],
  [
    '6.2.3 valid UTF-8, one byte per fragment',
    perByte(utf8('Hello-µ@ßöäüàá-UTF-8!!')),
    ok([text, 'Hello-µ@ßöäüàá-UTF-8!!']),
  ],
  ['6.2.4 κόσμε one byte per fragment', perByte(KOSME), ok([text, KOSME])],
  [
    'valid UTF-8 split inside a 4-byte code point',
    [
      { opcode: text, payload: fromHex('f09f'), fin: false },
      { opcode: continuation, payload: fromHex('9880') },
    ],
    ok([text, '😀']),
  ],
  [
    '6.3.1 invalid UTF-8 in one frame',
    [{ opcode: text, payload: INVALID }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  ['6.3.2 the same, one byte per fragment', perByte(INVALID), failsOnReassemble('invalid-utf8', 1007)],
  [
    '6.4.1 fail fast: invalid fragment before the message ends',
    [{ opcode: text, payload: fromHex('cebae1bdb9cf83cebcceb5f4908080'), fin: false }],
    failsOnReassemble('invalid-utf8', 1007),
  ],
  [
    'a code point cut off by the final fragment',
    [
      { opcode: text, payload: fromHex('cebae1'), fin: false },
      { opcode: continuation, payload: fromHex('bd') },
    ],
    failsOnReassemble('invalid-utf8', 1007),
  ],
  [
    '6.6.x a lone continuation byte',
    [{ opcode: text, payload: fromHex('80') }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  [
    '6.8.1 a 5-byte sequence',
    [{ opcode: text, payload: fromHex('f888808080') }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  [
    '6.9.1 an overlong "/"',
    [{ opcode: text, payload: fromHex('c0af') }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  [
    '6.18.1 a UTF-16 surrogate',
    [{ opcode: text, payload: fromHex('eda080') }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  [
    '6.x a code point above U+10FFFF',
    [{ opcode: text, payload: fromHex('f4908080') }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  ['binary data is not UTF-8-checked', [{ opcode: binary, payload: INVALID }], ok([binary, INVALID])],
  // 7.x close handling
  ['7.3.1 close with an empty payload', [{ opcode: close }], ok([close, ''])],
  [
    '7.3.2 close with a 1-byte payload',
    [{ opcode: close, payload: fromHex('03') }],
    failsOnDecode('close-payload-1-byte', 1002),
  ],
  [
    '7.3.3 close with a code and no reason',
    [{ opcode: close, payload: encodeClosePayload(1000, '') }],
    ok([close, fromHex('03e8')]),
  ],
  [
    '7.3.4 close with a code and a reason',
    [{ opcode: close, payload: encodeClosePayload(1000, 'Hello World!') }],
    ok([close, encodeClosePayload(1000, 'Hello World!')]),
  ],
  [
    '7.3.5 close with a 123-byte reason',
    [{ opcode: close, payload: encodeClosePayload(1000, reason123) }],
    ok([close, encodeClosePayload(1000, reason123)]),
  ],
  [
    '7.3.6 close with a 124-byte reason',
    [{ opcode: close, payload: encodeClosePayload(1000, reason123 + 'x') }],
    failsOnDecode('control-too-long', 1002),
  ],
  [
    '7.5.1 close with an invalid UTF-8 reason',
    [{ opcode: close, payload: concatBytes(encodeClosePayload(1000, ''), INVALID) }],
    failsOnDecode('invalid-utf8', 1007),
  ],
  ...[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999].map(
    (code) =>
      [
        `7.7.x valid close code ${code}`,
        [{ opcode: close, payload: encodeClosePayload(code, '') }],
        ok([close, encodeClosePayload(code, '')]),
      ] as const,
  ),
  ...[0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000].map(
    (code) =>
      [
        `7.9.x invalid close code ${code}`,
        [{ opcode: close, payload: encodeClosePayload(code, '') }],
        failsOnDecode('invalid-close-code', 1002),
      ] as const,
  ),
];

describe('Autobahn TestSuite case groups, Wirewalk as the server', () => {
  it.each(cases)('%s', (_name, specs, expected) => {
    expect(serve(wire(specs))).toEqual(expected);
  });

  it('hand-built frames that skip the decoder meet the same per-frame rules in reassemble', () => {
    const f = (o: Partial<WsFrameRepr>): WsFrameRepr => ({
      fin: true,
      rsv1: false,
      rsv2: false,
      rsv3: false,
      opcode: text,
      maskKey: null,
      payload: new Uint8Array(0),
      ...o,
    });
    const code = (frames: WsFrameRepr[]) => {
      const r = reassemble(frames);
      return r.ok ? 'ok' : [r.error.code, r.error.closeCode, r.error.offset];
    };
    expect(code([f({}), f({ rsv2: true })])).toEqual(['reserved-bits', 1002, 1]);
    expect(code([f({ opcode: 0xb })])).toEqual(['reserved-opcode', 1002, 0]);
    expect(code([f({ opcode: ping, payload: new Uint8Array(126) })])).toEqual(['control-too-long', 1002, 0]);
    expect(code([f({ opcode: pong, fin: false })])).toEqual(['control-fragmented', 1002, 0]);
    expect(code([f({ opcode: close, payload: encodeClosePayload(1006, '') })])).toEqual([
      'invalid-close-code',
      1002,
      0,
    ]);
    expect(code([f({ payload: fromHex('ff') })])).toEqual(['invalid-utf8', 1007, 0]);
    expect(code([f({ fin: false }), f({ opcode: continuation, fin: false })])).toBe('ok');
  });
});
