import fc from 'fast-check';
import { utf8 } from '../../src/protocol/bytes';
import { encodeEioPayload } from '../../src/protocol/engineio';
import type { FieldAnnotation } from '../../src/protocol/fields';
import {
  SIO_MAX_ATTACHMENTS,
  SIO_PACKET_NAMES,
  SIO_PACKET_TYPES,
  SIO_RESERVED_EVENTS,
  decodeSioOverEio,
  decodeSioOverEioPayload,
  decodeSioPacket,
  describeSioPacket,
  encodeSioMessage,
  encodeSioPacket,
  type SioPacketRepr,
} from '../../src/protocol/socketio';

function expectTiling(fields: readonly FieldAnnotation[], text: string): void {
  let at = 0;
  for (const f of fields) {
    expect(f.start).toBe(at);
    expect(f.end).toBeGreaterThan(f.start);
    at = f.end;
  }
  expect(at).toBe(utf8(text).length);
}

function decoded<R>(r: { ok: true; repr: R } | { ok: false; error: { code: string; message: string } }): R {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.repr;
}

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } = SIO_PACKET_TYPES;

// Packet texts as the Socket.IO v5 protocol specifies them (the interop test checks that socket.io-parser
// writes exactly these), with the keys of the fields each one is cut into.
const GOLDEN: readonly (readonly [string, SioPacketRepr, readonly string[]])[] = [
  ['0', { type: CONNECT, nsp: '/' }, ['type']],
  ['0{"token":"abc"}', { type: CONNECT, nsp: '/', data: { token: 'abc' } }, ['type', 'data']],
  ['0/admin,', { type: CONNECT, nsp: '/admin' }, ['type', 'nsp']],
  [
    '0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}',
    { type: CONNECT, nsp: '/admin', data: { sid: 'oSO0OpakMV_3jnilAAAA' } },
    ['type', 'nsp', 'data'],
  ],
  ['1', { type: DISCONNECT, nsp: '/' }, ['type']],
  ['1/admin,', { type: DISCONNECT, nsp: '/admin' }, ['type', 'nsp']],
  ['2["chat message","Hello"]', { type: EVENT, nsp: '/', data: ['chat message', 'Hello'] }, ['type', 'data']],
  ['212["x"]', { type: EVENT, nsp: '/', id: 12, data: ['x'] }, ['type', 'ackId', 'data']],
  ['2/admin,["x"]', { type: EVENT, nsp: '/admin', data: ['x'] }, ['type', 'nsp', 'data']],
  [
    '2/admin,456["x",1,{"y":null}]',
    { type: EVENT, nsp: '/admin', id: 456, data: ['x', 1, { y: null }] },
    ['type', 'nsp', 'ackId', 'data'],
  ],
  [
    '2[42,"numeric event name"]',
    { type: EVENT, nsp: '/', data: [42, 'numeric event name'] },
    ['type', 'data'],
  ],
  ['312["ok"]', { type: ACK, nsp: '/', id: 12, data: ['ok'] }, ['type', 'ackId', 'data']],
  ['3/admin,13[]', { type: ACK, nsp: '/admin', id: 13, data: [] }, ['type', 'nsp', 'ackId', 'data']],
  [
    '4{"message":"Not authorized"}',
    { type: CONNECT_ERROR, nsp: '/', data: { message: 'Not authorized' } },
    ['type', 'data'],
  ],
  [
    '4/admin,"plain reason"',
    { type: CONNECT_ERROR, nsp: '/admin', data: 'plain reason' },
    ['type', 'nsp', 'data'],
  ],
  [
    '51-["file",{"_placeholder":true,"num":0}]',
    { type: BINARY_EVENT, nsp: '/', attachments: 1, data: ['file', { _placeholder: true, num: 0 }] },
    ['type', 'attachments', 'data'],
  ],
  [
    '62-/admin,7[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    {
      type: BINARY_ACK,
      nsp: '/admin',
      id: 7,
      attachments: 2,
      data: [
        { _placeholder: true, num: 0 },
        { _placeholder: true, num: 1 },
      ],
    },
    ['type', 'attachments', 'nsp', 'ackId', 'data'],
  ],
];

describe('Socket.IO packet types', () => {
  it('numbers CONNECT 0 … BINARY_ACK 6, with the reverse map derived', () => {
    expect(Object.entries(SIO_PACKET_TYPES)).toEqual([
      ['CONNECT', 0],
      ['DISCONNECT', 1],
      ['EVENT', 2],
      ['ACK', 3],
      ['CONNECT_ERROR', 4],
      ['BINARY_EVENT', 5],
      ['BINARY_ACK', 6],
    ]);
    for (const [name, code] of Object.entries(SIO_PACKET_TYPES)) expect(SIO_PACKET_NAMES[code]).toBe(name);
  });
});

describe('encodeSioPacket / decodeSioPacket', () => {
  it.each(GOLDEN)('%s', (text, repr, keys) => {
    expect(encodeSioPacket(repr)).toBe(text);
    const r = decodeSioPacket(text);
    expect(decoded(r)).toEqual(repr);
    if (!r.ok) return;
    expect(r.fields.map((f) => f.key)).toEqual(keys);
    expect(r.fields.every((f) => f.layer === 'socketio' && f.meaning.length > 0)).toBe(true);
    expectTiling(r.fields, text);
    expect(r.length).toBe(utf8(text).length);
  });

  it('counts the placeholders when a binary packet does not give its attachments', () => {
    const data = ['f', { _placeholder: true, num: 0 }, [{ deep: { _placeholder: true, num: 1 } }]];
    expect(encodeSioPacket({ type: BINARY_EVENT, nsp: '/', data })).toBe(
      '52-["f",{"_placeholder":true,"num":0},[{"deep":{"_placeholder":true,"num":1}}]]',
    );
  });

  it('annotates namespace (with its comma), ack id and data with their values', () => {
    const r = decodeSioPacket('2/admin,456["x",1]');
    expect(r.ok && r.fields.map((f) => [f.key, f.start, f.end, f.value])).toEqual([
      ['type', 0, 1, '2 (EVENT)'],
      ['nsp', 1, 8, '/admin'],
      ['ackId', 8, 11, '456'],
      ['data', 11, 18, '["x",1]'],
    ]);
    const ack = decodeSioPacket('3456["y"]');
    expect(ack.ok && ack.fields[1]!.meaning).toMatch(/^Id of the EVENT being acknowledged/);
    expect(r.ok && r.fields[3]!.meaning).toContain('"x", then 1 argument');
  });

  it('counts namespace and data bytes in UTF-8', () => {
    const text = '2/café,7["ü","😀"]';
    const r = decodeSioPacket(text);
    expect(decoded(r)).toEqual({ type: EVENT, nsp: '/café', id: 7, data: ['ü', '😀'] });
    expect(r.ok && r.fields.map((f) => [f.start, f.end])).toEqual([
      [0, 1],
      [1, 8],
      [8, 9],
      [9, 22],
    ]);
  });

  it('keeps quotes, backslashes and unicode exactly as JSON.stringify writes them', () => {
    const data = ['say', 'he said "hi" \\ \n', '日本語', '\u2028', '\ud83d'];
    const text = encodeSioPacket({ type: EVENT, nsp: '/', data });
    expect(text).toBe('2["say","he said \\"hi\\" \\\\ \\n","日本語","\u2028","\\ud83d"]');
    expect(decoded(decodeSioPacket(text))).toEqual({ type: EVENT, nsp: '/', data });
  });

  it('reads an ack id with leading zeros as socket.io-parser does', () => {
    expect(decoded(decodeSioPacket('2007["x"]'))).toEqual({ type: EVENT, nsp: '/', id: 7, data: ['x'] });
  });
});

describe('refusals, each with a named code at the right byte', () => {
  const CASES: readonly (readonly [string, string, number])[] = [
    ['', 'empty', 0],
    ['7', 'unknown-type', 0],
    ['x["a"]', 'unknown-type', 0],
    [' 2["a"]', 'unknown-type', 0],
    ['5["a"]', 'bad-attachments', 1],
    ['50-["a"]', 'bad-attachments', 1],
    [`5${SIO_MAX_ATTACHMENTS + 1}-["a"]`, 'bad-attachments', 1],
    ['51["a"]', 'bad-attachments', 1],
    ['2/admin["a"]', 'bad-namespace', 1],
    ['0/admin', 'bad-namespace', 1],
    ['2 ["a"]', 'bad-ack-id', 1],
    ['2/é, ["a"]', 'bad-ack-id', 5],
    ['212345678901234567890["a"]', 'bad-ack-id', 1],
    ['2["a"', 'bad-json', 1],
    ['2/é,12{', 'bad-json', 7],
    ['2', 'bad-payload', 1],
    ['312', 'bad-payload', 3],
    ['4', 'bad-payload', 1],
    ['2[]', 'bad-payload', 1],
    ['2{"a":1}', 'bad-payload', 1],
    ['2[null]', 'bad-payload', 1],
    ['2[true,"x"]', 'bad-payload', 1],
    ['3{}', 'bad-payload', 1],
    ['0[]', 'bad-payload', 1],
    ['0"s"', 'bad-payload', 1],
    ['1{}', 'bad-payload', 1],
    ['4[]', 'bad-payload', 1],
    ['4 12', 'bad-ack-id', 1],
  ];

  it.each(CASES)('%j → %s at %i', (text, code, offset) => {
    const r = decodeSioPacket(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code, offset });
  });

  it('refuses the reserved event names in an EVENT, and only those', () => {
    expect(SIO_RESERVED_EVENTS).toEqual([
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
      'newListener',
      'removeListener',
    ]);
    for (const name of SIO_RESERVED_EVENTS) {
      for (const text of [`2["${name}"]`, `51-["${name}",{"_placeholder":true,"num":0}]`]) {
        const r = decodeSioPacket(text);
        expect(!r.ok && r.error.code).toBe('reserved-event');
      }
    }
    // Curriculum M8: names from old Socket.IO versions are ordinary events in v4, not protocol events.
    for (const name of ['ping', 'pong', 'reconnect', 'join', 'leave', 'connect_timeout', 'connection']) {
      expect(decoded(decodeSioPacket(`2["${name}"]`))).toEqual({ type: EVENT, nsp: '/', data: [name] });
    }
  });
});

describe('Socket.IO inside Engine.IO', () => {
  it('encodes the text of a WebSocket frame: Engine.IO type 4, then the Socket.IO packet', () => {
    expect(encodeSioMessage({ type: EVENT, nsp: '/', data: ['chat message', 'Hello'] })).toBe(
      '42["chat message","Hello"]',
    );
    expect(encodeSioMessage({ type: CONNECT, nsp: '/' })).toBe('40');
    expect(encodeSioMessage({ type: DISCONNECT, nsp: '/' })).toBe('41');
  });

  it('decodes both layers and tiles the text with the fields of both', () => {
    const text = '42/admin,3["chat message","Hi"]';
    const r = decodeSioOverEio(text);
    expect(decoded(r)).toEqual({
      eio: { type: 'message', data: '2/admin,3["chat message","Hi"]' },
      sio: { type: EVENT, nsp: '/admin', id: 3, data: ['chat message', 'Hi'] },
    });
    if (!r.ok) return;
    expectTiling(r.fields, text);
    expect(r.fields.map((f) => `${f.layer}.${f.key}@${f.start}`)).toEqual([
      'engineio.type@0',
      'socketio.type@1',
      'socketio.nsp@2',
      'socketio.ackId@9',
      'socketio.data@10',
    ]);
  });

  it('leaves other Engine.IO packets and binary attachments without a Socket.IO packet', () => {
    expect(decoded(decodeSioOverEio('2'))).toEqual({ eio: { type: 'ping' }, sio: null });
    expect(decoded(decodeSioOverEio('3probe'))).toEqual({ eio: { type: 'pong', data: 'probe' }, sio: null });
    expect(decoded(decodeSioOverEio('bAQ=='))).toEqual({
      eio: { type: 'message', binary: Uint8Array.of(1) },
      sio: null,
    });
  });

  it('reports a bad Socket.IO packet at its offset in the frame', () => {
    expect(decodeSioOverEio('4')).toMatchObject({ ok: false, error: { code: 'empty', offset: 1 } });
    expect(decodeSioOverEio('42["connect"]')).toMatchObject({
      ok: false,
      error: { code: 'reserved-event', offset: 2 },
    });
    expect(decodeSioOverEio('9')).toMatchObject({ ok: false, error: { code: 'unknown-type', offset: 0 } });
  });

  it('decodes a long-polling body with a binary event and its attachment', () => {
    const text = encodeEioPayload([
      { type: 'message', data: '0' },
      { type: 'message', data: '51-["file",{"_placeholder":true,"num":0}]' },
      { type: 'message', binary: Uint8Array.of(0xca, 0xfe) },
    ]);
    expect(text).toBe('40\x1e451-["file",{"_placeholder":true,"num":0}]\x1ebyv4=');
    const r = decodeSioOverEioPayload(text);
    expect(r.ok && r.repr.map((x) => x.sio?.type ?? null)).toEqual([CONNECT, BINARY_EVENT, null]);
    if (r.ok) expectTiling(r.fields, text);
    const bad = decodeSioOverEioPayload('40\x1e42[]');
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-payload', offset: 5 } });
  });
});

describe('describeSioPacket', () => {
  it('summarises a packet on one line', () => {
    expect(describeSioPacket({ type: EVENT, nsp: '/', data: ['chat message', 'Hello'] })).toBe(
      'Socket.IO EVENT ["chat message","Hello"]',
    );
    expect(describeSioPacket({ type: ACK, nsp: '/admin', id: 12, data: ['ok'] })).toBe(
      'Socket.IO ACK /admin id=12 ["ok"]',
    );
    expect(describeSioPacket({ type: CONNECT, nsp: '/' })).toBe('Socket.IO CONNECT');
    expect(describeSioPacket({ type: 9, nsp: '/' })).toBe('Socket.IO 0x09');
    expect(describeSioPacket({ type: EVENT, nsp: '/', data: ['x', 'y'.repeat(200)] }).length).toBeLessThan(
      110,
    );
  });
});

describe('properties', () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
  const likelyUnit = fc.constantFrom(
    ...'0123456789/,-[]{}":'.split(''),
    ' ',
    '\t',
    '\u00a0',
    'é',
    '😀',
    '\ud800',
    '"x"',
    'null',
    '_placeholder',
    'connect',
  );
  const anyText = fc.oneof(
    fc.string({ unit: anyUnit }),
    fc.string({ unit: likelyUnit }),
    fc.string({ unit: 'binary' }),
  );

  it('decodes any string without throwing, tiling what it accepts', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const r of [decodeSioPacket(text), decodeSioOverEio(text), decodeSioOverEioPayload(text)]) {
          expect(typeof r.ok).toBe('boolean');
          if (r.ok) expectTiling(r.fields, text);
          else expect(r.error.offset).toBeLessThanOrEqual(utf8(text).length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  const nsp = fc.oneof(
    fc.constant('/'),
    fc
      .string({ unit: 'binary' })
      .filter((s) => !s.includes(','))
      .map((s) => '/' + s),
  );
  const id = fc.option(fc.nat(), { nil: undefined });
  const json = fc.jsonValue({ stringUnit: 'binary' }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  const eventName = fc.oneof(
    fc.string({ unit: 'binary' }).filter((s) => !(SIO_RESERVED_EVENTS as readonly string[]).includes(s)),
    fc.integer(),
  );
  const packet: fc.Arbitrary<SioPacketRepr> = fc
    .oneof(
      fc.record({
        type: fc.constant(EVENT),
        nsp,
        id,
        data: fc.tuple(eventName, fc.array(json, { maxLength: 4 })).map(([n, a]) => [n, ...a]),
      }),
      fc.record({ type: fc.constant(ACK), nsp, id: fc.nat(), data: fc.array(json, { maxLength: 4 }) }),
      fc.record({
        type: fc.constant(CONNECT),
        nsp,
        data: fc.option(fc.dictionary(fc.string(), json), { nil: undefined }),
      }),
      fc.record({ type: fc.constant(DISCONNECT), nsp }),
      fc.record({
        type: fc.constant(CONNECT_ERROR),
        nsp,
        data: fc.oneof(fc.string({ unit: 'binary' }), fc.record({ message: fc.string() })),
      }),
    )
    .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as SioPacketRepr);

  it('round-trips any JSON-serialisable packet', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const text = encodeSioPacket(p);
        const r = decodeSioPacket(text);
        expect(decoded(r)).toEqual(p);
        if (r.ok) expectTiling(r.fields, text);
        const frame = decodeSioOverEio(encodeSioMessage(p));
        expect(decoded(frame).sio).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });
});
