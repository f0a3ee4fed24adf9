import fc from 'fast-check';
import { utf8 } from '../../src/protocol/bytes';
import {
  EIO_HANDSHAKE_DEFAULTS,
  EIO_PACKET_NAMES,
  EIO_PACKET_TYPES,
  PROBE,
  RECORD_SEPARATOR,
  base64Id,
  decodeEioPacket,
  decodeEioPayload,
  describeEioPacket,
  describeEioPayload,
  eioMessage,
  eioOpen,
  encodeEioPacket,
  encodeEioPayload,
  encodeHandshake,
  parseHandshake,
  type EioPacketRepr,
  type EioPacketType,
} from '../../src/protocol/engineio';
import type { FieldAnnotation } from '../../src/protocol/fields';

/** Every byte of the text in exactly one field, in order, and nothing outside it. */
function expectTiling(fields: readonly FieldAnnotation[], text: string): void {
  let at = 0;
  for (const f of fields) {
    expect(f.start).toBe(at);
    expect(f.end).toBeGreaterThan(f.start);
    at = f.end;
  }
  expect(at).toBe(utf8(text).length);
}

function decoded<R>(r: { ok: true; repr: R } | { ok: false; error: { code: string } }): R {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.repr;
}

const TYPES = Object.keys(EIO_PACKET_TYPES) as EioPacketType[];

// The reference capture's handshake (frame 6 of real-socketio-loopback.pcap, pingInterval 300 ms).
const CAPTURED_HANDSHAKE =
  '{"sid":"7Pt7FRwAOOvd07I0AAAA","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}';

describe('Engine.IO packet types', () => {
  it('numbers the seven types 0 open … 6 noop, with the reverse map derived', () => {
    expect(TYPES.map((t) => `${EIO_PACKET_TYPES[t]}${t}`)).toEqual([
      '0open',
      '1close',
      '2ping',
      '3pong',
      '4message',
      '5upgrade',
      '6noop',
    ]);
    for (const t of TYPES) expect(EIO_PACKET_NAMES[EIO_PACKET_TYPES[t]]).toBe(t);
    expect(EIO_PACKET_NAMES[7]).toBeUndefined();
  });
});

describe('encodeEioPacket / decodeEioPacket', () => {
  it('writes the type digit followed by the data', () => {
    expect(encodeEioPacket({ type: 'ping' })).toBe('2');
    expect(encodeEioPacket({ type: 'ping', data: PROBE })).toBe('2probe');
    expect(encodeEioPacket({ type: 'pong', data: PROBE })).toBe('3probe');
    expect(encodeEioPacket({ type: 'upgrade' })).toBe('5');
    expect(encodeEioPacket({ type: 'noop' })).toBe('6');
    expect(encodeEioPacket({ type: 'close' })).toBe('1');
    expect(eioMessage('2["chat message","Hello"]')).toBe('42["chat message","Hello"]');
  });

  it.each(TYPES)('round-trips a %s packet with and without data', (type) => {
    for (const p of [{ type }, { type, data: 'x é 😀 "q"' }] as EioPacketRepr[]) {
      const text = encodeEioPacket(p);
      const r = decodeEioPacket(text);
      expect(decoded(r)).toEqual(p);
      if (!r.ok) return;
      expect(r.length).toBe(utf8(text).length);
      expect(r.payload).toEqual(utf8(p.data ?? ''));
      expectTiling(r.fields, text);
      expect(r.fields[0]).toMatchObject({ layer: 'engineio', key: 'type', start: 0, end: 1 });
      expect(r.fields[0]!.value).toBe(`${EIO_PACKET_TYPES[type]} (${type})`);
    }
  });

  it('explains the message type to a student', () => {
    const r = decodeEioPacket('42["chat message","Hello"]');
    expect(r.ok && r.fields[0]!.meaning).toBe('Engine.IO message packet: carries one Socket.IO packet');
    expect(r.ok && r.fields[1]).toMatchObject({
      key: 'data',
      start: 1,
      end: 26,
      value: '2["chat message","Hello"]',
    });
  });

  it('reads the data of an open packet as the handshake', () => {
    const r = decodeEioPacket('0' + CAPTURED_HANDSHAKE);
    expect(decoded(r)).toEqual({ type: 'open', data: CAPTURED_HANDSHAKE });
    expect(r.ok && r.fields[1]!.value).toBe(
      'sid=7Pt7FRwAOOvd07I0AAAA, upgrades=[websocket], pingInterval=300 ms, pingTimeout=200 ms, maxPayload=1000000 bytes',
    );
    const junk = decodeEioPacket('0{"sid":1}');
    expect(junk.ok && junk.fields[1]!.value).toBe('{"sid":1}');
  });

  it('marks the probe of the upgrade', () => {
    const r = decodeEioPacket('3probe');
    expect(r.ok && r.fields[1]!.meaning).toMatch(/^probe: /);
    const plain = decodeEioPacket('3x');
    expect(plain.ok && plain.fields[1]!.meaning).not.toMatch(/^probe: /);
  });

  it('gives UTF-8 byte offsets, not UTF-16 indexes', () => {
    const text = '4é😀';
    const r = decodeEioPacket(text);
    expect(r.ok && r.length).toBe(1 + 2 + 4);
    expect(r.ok && r.fields[1]).toMatchObject({ start: 1, end: 7 });
  });

  it('refuses an empty packet and unknown type characters, naming them in hex', () => {
    expect(decodeEioPacket('')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'empty', offset: 0 }),
    });
    for (const text of ['7', '9hello', 'x', '\x1e', ' 4', '😀']) {
      const r = decodeEioPacket(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'unknown-type', offset: 0 });
    }
    const r = decodeEioPacket('\x1e');
    expect(!r.ok && r.error.message).toContain('0x1e');
  });
});

describe('binary messages as base64 (HTTP long-polling)', () => {
  it('encodes b + base64 and decodes it back to the bytes', () => {
    const binary = Uint8Array.of(1, 2, 3, 0xff);
    const text = encodeEioPacket({ type: 'message', binary });
    expect(text).toBe('bAQID/w==');
    const r = decodeEioPacket(text);
    expect(decoded(r)).toEqual({ type: 'message', binary });
    if (!r.ok) return;
    expect(r.payload).toEqual(binary);
    expectTiling(r.fields, text);
    expect(r.fields.map((f) => f.key)).toEqual(['binaryMarker', 'base64']);
    expect(r.fields[1]!.value).toBe('4 bytes: 01 02 03 ff');
  });

  it('decodes an empty binary message and refuses text that is not base64', () => {
    expect(decoded(decodeEioPacket('b'))).toEqual({ type: 'message', binary: new Uint8Array(0) });
    const r = decodeEioPacket('bnot base64!');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'bad-base64', offset: 1 });
  });
});

describe('payloads (HTTP long-polling bodies)', () => {
  const packets: EioPacketRepr[] = [
    { type: 'message', data: '0' },
    { type: 'message', data: '2["a","ü"]' },
    { type: 'noop' },
  ];

  it('joins packets with the record separator 0x1e', () => {
    expect(RECORD_SEPARATOR).toBe('\x1e');
    expect(encodeEioPayload(packets)).toBe('40\x1e42["a","ü"]\x1e6');
    expect(encodeEioPayload([{ type: 'noop' }])).toBe('6');
  });

  it('decodes every packet and annotates the separators at their byte offsets', () => {
    const text = encodeEioPayload(packets);
    const r = decodeEioPayload(text);
    expect(decoded(r)).toEqual(packets);
    if (!r.ok) return;
    expectTiling(r.fields, text);
    expect(r.fields.filter((f) => f.key === 'separator').map((f) => [f.start, f.end])).toEqual([
      [2, 3],
      [15, 16],
    ]);
    expect(r.fields.filter((f) => f.key === 'type').map((f) => f.start)).toEqual([0, 3, 16]);
    expect(r.length).toBe(17);
  });

  it('fails on the first bad record, at its byte offset in the body', () => {
    const r = decodeEioPayload('4é\x1e9');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'unknown-type', offset: 4 });
    const trailing = decodeEioPayload('40\x1e');
    expect(!trailing.ok && trailing.error).toMatchObject({ code: 'empty', offset: 3 });
    const bad64 = decodeEioPayload('40\x1eb!!');
    expect(!bad64.ok && bad64.error).toMatchObject({ code: 'bad-base64', offset: 4 });
    expect(decodeEioPayload('')).toMatchObject({ ok: false, error: { code: 'empty', offset: 0 } });
  });
});

describe('handshake', () => {
  const captured = {
    sid: '7Pt7FRwAOOvd07I0AAAA',
    upgrades: ['websocket'],
    pingInterval: 300,
    pingTimeout: 200,
    maxPayload: 1000000,
  };

  it('writes the keys in engine.io order whatever the order of the input', () => {
    const shuffled = {
      maxPayload: 1000000,
      pingTimeout: 200,
      pingInterval: 300,
      upgrades: ['websocket'],
      sid: '7Pt7FRwAOOvd07I0AAAA',
    };
    expect(encodeHandshake(shuffled)).toBe(CAPTURED_HANDSHAKE);
    expect(eioOpen(shuffled)).toBe('0' + CAPTURED_HANDSHAKE);
  });

  it('parses the handshake back, and refuses ill-typed ones', () => {
    expect(parseHandshake(CAPTURED_HANDSHAKE)).toEqual(captured);
    expect(parseHandshake(encodeHandshake({ sid: 'x', ...EIO_HANDSHAKE_DEFAULTS }))).toEqual({
      sid: 'x',
      upgrades: ['websocket'],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1000000,
    });
    for (const bad of [
      '',
      '[]',
      'null',
      '{"sid":1,"upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
      '{"sid":"a","upgrades":[1],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
      '{"sid":"a","upgrades":[],"pingInterval":"1","pingTimeout":1,"maxPayload":1}',
      '{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":1}',
    ]) {
      expect(parseHandshake(bad)).toBeNull();
    }
  });

  it('makes ids like base64id: the two ids of the reference capture from their bytes', () => {
    const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(base64Id(bytes('ecfb7b151c0038ebddd3b234'))).toBe('7Pt7FRwAOOvd07I0AAAA');
    // '+' in standard base64 becomes '-' (and '/' becomes '_'): the id travels in URLs (?sid=).
    expect(base64Id(bytes('60591c36291b41984f8fed4c'))).toBe('YFkcNikbQZhPj-1MAAAA');
    expect(base64Id(bytes('fbffbf000000000000000000'))).toBe('-_-_AAAAAAAAAAAAAAAA');
    expect(base64Id(new Uint8Array(12), 1).endsWith('AAAB')).toBe(true);
    expect(base64Id(new Uint8Array(12), 0x1000000 + 2).endsWith('AAAC')).toBe(true);
    expect(() => base64Id(new Uint8Array(11))).toThrow(RangeError);
  });
});

describe('describeEioPacket', () => {
  it('summarises a packet on one line', () => {
    expect(describeEioPacket({ type: 'message', data: '2["chat message","Hello"]' })).toBe(
      'Engine.IO message 2["chat message","Hello"]',
    );
    expect(describeEioPacket({ type: 'ping', data: 'probe' })).toBe('Engine.IO ping probe');
    expect(describeEioPacket({ type: 'noop' })).toBe('Engine.IO noop');
    expect(describeEioPacket({ type: 'message', binary: new Uint8Array(3) })).toBe(
      'Engine.IO message <3 bytes binary>',
    );
    const long = describeEioPacket({ type: 'message', data: '😀'.repeat(100) });
    expect(long).not.toContain('\n');
    expect(Array.from(long).length).toBeLessThan(80);
    expect(long.endsWith('…')).toBe(true);
    expect(describeEioPayload([{ type: 'message', data: '0' }, { type: 'noop' }])).toBe(
      'Engine.IO payload: 2 packets (message, noop)',
    );
  });
});

describe('properties', () => {
  // Any UTF-16 code unit, lone surrogates included: a WebSocket text frame decodes to anything.
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
  const likelyUnit = fc.constantFrom(
    '0',
    '1',
    '2',
    '4',
    '6',
    '7',
    'b',
    'A',
    '=',
    '\x1e',
    'é',
    '😀',
    '\ud800',
  );
  const anyText = fc.oneof(
    fc.string({ unit: anyUnit }),
    fc.string({ unit: likelyUnit }),
    fc.string({ unit: 'binary' }),
  );

  it('decodes any string to a result without throwing, and tiles it when it accepts it', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const r of [decodeEioPacket(text), decodeEioPayload(text)]) {
          expect(typeof r.ok).toBe('boolean');
          if (r.ok) {
            expectTiling(r.fields, text);
            expect(r.length).toBe(utf8(text).length);
          } else {
            expect(r.error.offset).toBeGreaterThanOrEqual(0);
            expect(r.error.offset).toBeLessThanOrEqual(utf8(text).length);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  const packet: fc.Arbitrary<EioPacketRepr> = fc.oneof(
    fc
      .record({
        type: fc.constantFrom(...TYPES),
        data: fc.option(fc.string({ unit: 'binary', minLength: 1 }), { nil: undefined }),
      })
      .map((p) => (p.data === undefined ? { type: p.type } : p)),
    fc.uint8Array({ maxLength: 40 }).map((binary) => ({ type: 'message' as const, binary })),
  );

  it('round-trips any packet', () => {
    fc.assert(
      fc.property(packet, (p) => {
        expect(decoded(decodeEioPacket(encodeEioPacket(p)))).toEqual(p);
      }),
    );
  });

  it('round-trips any payload whose data holds no record separator', () => {
    const noSep = packet.filter((p) => !(p.data ?? '').includes(RECORD_SEPARATOR));
    fc.assert(
      fc.property(fc.array(noSep, { minLength: 1, maxLength: 6 }), (ps) => {
        const text = encodeEioPayload(ps);
        const r = decodeEioPayload(text);
        expect(decoded(r)).toEqual(ps);
        if (r.ok) expectTiling(r.fields, text);
      }),
    );
  });
});
