/**
 * Our Engine.IO / Socket.IO codecs against the real ones (engine.io-parser 5, socket.io-parser 4, as used
 * by socket.io 4) and against the reference capture /work/shared/reference/real-socketio-loopback.pcap.
 *
 * Packet strings in the reference capture, in order (socket.io 4 client and server on loopback,
 * pingInterval 300 ms; C = client, S = server; P = HTTP long-polling body, W = WebSocket text frame):
 *   frame  6  S P  0{"sid":"7Pt7FRwAOOvd07I0AAAA","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}
 *   frame 20  C P  40                               (POST; the server answers the body `ok`, not Engine.IO)
 *   frame 22  C    GET …transport=websocket&sid=…   (WebSocket upgrade; 101 in frame 29)
 *   frame 33  C W  2probe
 *   frame 34  S P  40{"sid":"YFkcNikbQZhPj-1MAAAA"} (answer to the long poll of frame 24)
 *   frame 37  S W  3probe
 *   frame 46  S P  6                                (noop: ends the long poll of frame 43)
 *   frame 51  C W  5
 *   frame 52  C W  42["chat message","Hello"]
 *   frame 54  S W  42["chat message","Hello"]
 *   frame 56  S W  2                                (server ping)
 *   frame 58  C W  3                                (client pong)
 *   frame 60  C W  41
 *   frames 62, 64: WebSocket close frames with no payload (no status code), then the TCP FIN exchange.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { decodePacket, decodePayload, encodePacket, encodePayload, type Packet } from 'engine.io-parser';
import { Decoder, Encoder, type Packet as RealSioPacket } from 'socket.io-parser';
import {
  decodeEioPacket,
  decodeEioPayload,
  eioOpen,
  encodeEioPacket,
  encodeEioPayload,
  PROBE,
  type EioPacketRepr,
} from '../../src/protocol/engineio';
import {
  SIO_PACKET_TYPES,
  SIO_RESERVED_EVENTS,
  decodeSioOverEio,
  decodeSioPacket,
  encodeSioMessage,
  encodeSioPacket,
  type SioPacketRepr,
} from '../../src/protocol/socketio';

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } = SIO_PACKET_TYPES;

// ---- the real parsers, made synchronous and total ----

function realEncodePacket(p: Packet): string {
  let out: unknown;
  encodePacket(p, false, (encoded) => (out = encoded));
  if (typeof out !== 'string') throw new Error('engine.io-parser did not encode to text synchronously');
  return out;
}

function realEncodePayload(ps: Packet[]): string {
  let out: string | undefined;
  encodePayload(ps, (encoded) => (out = encoded));
  if (out === undefined) throw new Error('engine.io-parser did not encode the payload synchronously');
  return out;
}

/** A real Engine.IO packet in our repr (binary data as Uint8Array); `null` for its error packet. */
function fromRealEio(p: Packet): EioPacketRepr | null {
  if (p.type === 'error') return null;
  if (p.data !== undefined && typeof p.data !== 'string') {
    const d = p.data as ArrayBufferView;
    return { type: 'message', binary: new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice() };
  }
  return p.data === undefined ? { type: p.type } : { type: p.type, data: p.data };
}

function toRealEio(p: EioPacketRepr): Packet {
  if (p.binary !== undefined) return { type: 'message', data: Buffer.from(p.binary) };
  return p.data === undefined ? { type: p.type } : { type: p.type, data: p.data };
}

function realEncodeSio(p: SioPacketRepr): string {
  const parts = new Encoder().encode(p as RealSioPacket);
  expect(parts).toHaveLength(1);
  return parts[0] as string;
}

/**
 * What socket.io-parser's Decoder makes of a text: the packet it emits as 'decoded', or, for the BINARY_*
 * types (which wait for their attachments), the header it parsed. `null` when it throws.
 */
function realDecodeSio(text: string): unknown {
  const decoder = new Decoder();
  let got: RealSioPacket | null = null;
  decoder.on('decoded', (p: RealSioPacket) => {
    got = p;
  });
  try {
    const type = text.charAt(0);
    if (type === '5' || type === '6') {
      // Decoder#add would hold the packet until its attachments arrive; decodeString is what it calls first.
      return (decoder as unknown as { decodeString(s: string): RealSioPacket }).decodeString(text);
    }
    decoder.add(text);
  } catch {
    return null;
  }
  return got;
}

// ---- the reference capture ----

interface Captured {
  readonly frame: number;
  readonly from: 'C' | 'S';
  readonly via: 'P' | 'W';
  readonly text: string;
  readonly eio: EioPacketRepr;
  readonly sio?: SioPacketRepr;
}

const HANDSHAKE = {
  sid: '7Pt7FRwAOOvd07I0AAAA',
  upgrades: ['websocket'],
  pingInterval: 300,
  pingTimeout: 200,
  maxPayload: 1000000,
};
const CHAT: SioPacketRepr = { type: EVENT, nsp: '/', data: ['chat message', 'Hello'] };

const CAPTURED: readonly Captured[] = [
  {
    frame: 6,
    from: 'S',
    via: 'P',
    text: '0{"sid":"7Pt7FRwAOOvd07I0AAAA","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}',
    eio: {
      type: 'open',
      data: '{"sid":"7Pt7FRwAOOvd07I0AAAA","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}',
    },
  },
  {
    frame: 20,
    from: 'C',
    via: 'P',
    text: '40',
    eio: { type: 'message', data: '0' },
    sio: { type: CONNECT, nsp: '/' },
  },
  { frame: 33, from: 'C', via: 'W', text: '2probe', eio: { type: 'ping', data: PROBE } },
  {
    frame: 34,
    from: 'S',
    via: 'P',
    text: '40{"sid":"YFkcNikbQZhPj-1MAAAA"}',
    eio: { type: 'message', data: '0{"sid":"YFkcNikbQZhPj-1MAAAA"}' },
    sio: { type: CONNECT, nsp: '/', data: { sid: 'YFkcNikbQZhPj-1MAAAA' } },
  },
  { frame: 37, from: 'S', via: 'W', text: '3probe', eio: { type: 'pong', data: PROBE } },
  { frame: 46, from: 'S', via: 'P', text: '6', eio: { type: 'noop' } },
  { frame: 51, from: 'C', via: 'W', text: '5', eio: { type: 'upgrade' } },
  {
    frame: 52,
    from: 'C',
    via: 'W',
    text: '42["chat message","Hello"]',
    eio: { type: 'message', data: '2["chat message","Hello"]' },
    sio: CHAT,
  },
  {
    frame: 54,
    from: 'S',
    via: 'W',
    text: '42["chat message","Hello"]',
    eio: { type: 'message', data: '2["chat message","Hello"]' },
    sio: CHAT,
  },
  { frame: 56, from: 'S', via: 'W', text: '2', eio: { type: 'ping' } },
  { frame: 58, from: 'C', via: 'W', text: '3', eio: { type: 'pong' } },
  {
    frame: 60,
    from: 'C',
    via: 'W',
    text: '41',
    eio: { type: 'message', data: '1' },
    sio: { type: DISCONNECT, nsp: '/' },
  },
];

describe('the packets of the reference capture', () => {
  it.each(CAPTURED.map((c) => [c.frame, c.text, c] as const))('frame %i: %s', (_frame, text, c) => {
    expect(encodeEioPacket(c.eio)).toBe(text);
    if (c.sio) expect(encodeSioMessage(c.sio)).toBe(text);
    if (c.eio.type === 'open') expect(eioOpen(HANDSHAKE)).toBe(text);
    const ours = decodeSioOverEio(text);
    expect(ours.ok && ours.repr).toEqual({ eio: c.eio, sio: c.sio ?? null });
    expect(realEncodePacket(toRealEio(c.eio))).toBe(text);
    expect(fromRealEio(decodePacket(text))).toEqual(c.eio);
    if (c.sio) {
      expect(realEncodeSio(c.sio)).toBe(text.slice(1));
      expect(realDecodeSio(text.slice(1))).toEqual(c.sio);
    }
  });

  // A copy of ../shared/reference/real-socketio-loopback.pcap, kept in the repository.
  const PCAP = new URL('../fixtures/real-socketio-loopback.pcap', import.meta.url);
  it('lists exactly these packets, in this order', () => {
    expect(packetsInCapture(readFileSync(PCAP))).toEqual(
      CAPTURED.map(({ frame, from, via, text }) => ({ frame, from, via, text })),
    );
  });
});

/** Link-layer frames of a little-endian capture file: pcapng Enhanced Packet Blocks, or classic pcap records. */
function framesOf(file: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  if (file.readUInt32LE(0) === 0xa1b2c3d4) {
    for (let at = 24; at < file.length;) {
      const incl = file.readUInt32LE(at + 8);
      frames.push(file.subarray(at + 16, at + 16 + incl));
      at += 16 + incl;
    }
    return frames;
  }
  // pcapng: blocks of (type, total length, body, total length); type 6 = Enhanced Packet Block.
  expect(file.readUInt32LE(0)).toBe(0x0a0d0d0a);
  expect(file.readUInt32LE(8)).toBe(0x1a2b3c4d);
  for (let at = 0; at < file.length;) {
    const type = file.readUInt32LE(at);
    const total = file.readUInt32LE(at + 4);
    if (type === 1) expect(file.readUInt16LE(at + 8)).toBe(1); // Interface Description: LINKTYPE_ETHERNET
    if (type === 6) frames.push(file.subarray(at + 28, at + 28 + file.readUInt32LE(at + 20)));
    at += total;
  }
  return frames;
}

/**
 * The Engine.IO texts in a capture of one socket.io session with the server on port 18082: bodies of
 * POST requests and of text/plain responses (long-polling), and WebSocket text frames, unmasked
 * (RFC 6455 §5.3). Independent of src/ on purpose: it checks the fixture above.
 */
function packetsInCapture(file: Buffer): { frame: number; from: 'C' | 'S'; via: 'P' | 'W'; text: string }[] {
  const out: { frame: number; from: 'C' | 'S'; via: 'P' | 'W'; text: string }[] = [];
  framesOf(file).forEach((data, index) => {
    const frame = index + 1;
    const ip = data.subarray(14);
    const tcp = ip.subarray((ip[0]! & 0x0f) * 4);
    const payload = tcp.subarray((tcp[12]! >> 4) * 4);
    if (payload.length === 0) return;
    const from = tcp.readUInt16BE(0) === 18082 ? 'S' : 'C';
    const head = payload.toString('latin1');
    if (
      head.startsWith('POST ') ||
      (head.startsWith('HTTP/1.1 200') && /content-type: text\/plain/i.test(head))
    ) {
      const body = payload.subarray(payload.indexOf('\r\n\r\n') + 4);
      out.push({ frame, from, via: 'P', text: body.toString('utf8') });
      return;
    }
    if (/^(GET |HTTP\/1\.1 )/.test(head)) return;
    for (let f = 0; f < payload.length;) {
      const opcode = payload[f]! & 0x0f;
      const masked = (payload[f + 1]! & 0x80) !== 0;
      let len = payload[f + 1]! & 0x7f;
      let p = f + 2;
      if (len === 126) {
        len = payload.readUInt16BE(p);
        p += 2;
      }
      const key = masked ? payload.subarray(p, p + 4) : null;
      if (key) p += 4;
      const bytes = Buffer.from(payload.subarray(p, p + len));
      if (key) for (let i = 0; i < bytes.length; i++) bytes[i]! ^= key[i & 3]!;
      if (opcode === 0x1) out.push({ frame, from, via: 'W', text: bytes.toString('utf8') });
      f = p + len;
    }
  });
  return out;
}

// ---- both directions, packet by packet ----

const EIO_CASES: readonly EioPacketRepr[] = [
  {
    type: 'open',
    data: '{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}',
  },
  { type: 'close' },
  { type: 'ping' },
  { type: 'ping', data: 'probe' },
  { type: 'pong' },
  { type: 'pong', data: 'probe' },
  { type: 'message', data: '2["chat message","Hello"]' },
  { type: 'message', data: 'plain engine.io text é 😀 "quoted"' },
  { type: 'upgrade' },
  { type: 'noop' },
  { type: 'message', binary: Uint8Array.of(0, 1, 2, 253, 254, 255) },
];

const SIO_CASES: readonly SioPacketRepr[] = [
  { type: CONNECT, nsp: '/' },
  { type: CONNECT, nsp: '/', data: { token: 'abc', n: 1 } },
  { type: CONNECT, nsp: '/', data: { sid: 'YFkcNikbQZhPj-1MAAAA' } },
  { type: CONNECT, nsp: '/admin', data: { sid: 'x', pid: 'y' } },
  { type: DISCONNECT, nsp: '/' },
  { type: DISCONNECT, nsp: '/admin' },
  { type: EVENT, nsp: '/', data: ['chat message', 'Hello'] },
  { type: EVENT, nsp: '/', id: 0, data: ['question', 1, true, null] },
  { type: EVENT, nsp: '/', id: 12, data: ['x'] },
  { type: EVENT, nsp: '/admin', data: ['x'] },
  { type: EVENT, nsp: '/admin', id: 4242, data: ['x', { nested: ['a', 1.5, -3e-7] }] },
  { type: EVENT, nsp: '/', data: ['quotes', 'he said "hi"\\ \n\t', 'ünïcødé 日本 😀', '\u2028\u2029'] },
  { type: EVENT, nsp: '/', data: [7, 'numeric event name'] },
  { type: EVENT, nsp: '/', data: ['ping'] },
  { type: ACK, nsp: '/', id: 12, data: ['ok'] },
  { type: ACK, nsp: '/', id: 0, data: [] },
  { type: ACK, nsp: '/admin', id: 13, data: [{ status: 'done' }] },
  { type: CONNECT_ERROR, nsp: '/', data: { message: 'Not authorized' } },
  { type: CONNECT_ERROR, nsp: '/admin', data: { message: 'Invalid namespace', data: { code: 3 } } },
  { type: CONNECT_ERROR, nsp: '/', data: 'plain reason' },
  { type: BINARY_EVENT, nsp: '/', attachments: 1, data: ['file', { _placeholder: true, num: 0 }] },
  { type: BINARY_ACK, nsp: '/admin', id: 7, attachments: 1, data: [{ _placeholder: true, num: 0 }] },
];

describe('engine.io-parser agrees with our Engine.IO codec', () => {
  it.each(EIO_CASES.map((p) => [encodeEioPacket(p), p] as const))('%j', (text, p) => {
    expect(realEncodePacket(toRealEio(p))).toBe(text);
    expect(fromRealEio(decodePacket(text))).toEqual(p);
    const ours = decodeEioPacket(text);
    expect(ours.ok && ours.repr).toEqual(p);
  });

  it('encodes and decodes the same long-polling bodies', () => {
    const text = encodeEioPayload(EIO_CASES);
    expect(realEncodePayload(EIO_CASES.map(toRealEio))).toBe(text);
    expect(decodePayload(text).map(fromRealEio)).toEqual(EIO_CASES);
    const ours = decodeEioPayload(text);
    expect(ours.ok && ours.repr).toEqual(EIO_CASES);
  });

  it('rejects what engine.io-parser rejects', () => {
    for (const text of ['', '7', 'x', '40\x1e', '40\x1e9', '\x1e']) {
      const real = decodePayload(text);
      expect(real[real.length - 1]!.type).toBe('error');
      expect(decodeEioPayload(text).ok).toBe(false);
    }
  });
});

describe('socket.io-parser agrees with our Socket.IO codec', () => {
  it.each(SIO_CASES.map((p) => [encodeSioPacket(p), p] as const))('%s', (text, p) => {
    expect(realEncodeSio(p)).toBe(text);
    expect(realDecodeSio(text)).toEqual(p);
    const ours = decodeSioPacket(text);
    expect(ours.ok && ours.repr).toEqual(p);
  });

  it('carries a binary event through both real parsers: header, then the attachment as b + base64', () => {
    const real = new Encoder().encode({ type: EVENT, nsp: '/', data: ['file', Buffer.from([0xca, 0xfe])] });
    expect(real[0]).toBe('51-["file",{"_placeholder":true,"num":0}]');
    const body = encodeEioPayload([
      {
        type: 'message',
        data: encodeSioPacket({
          type: BINARY_EVENT,
          nsp: '/',
          data: ['file', { _placeholder: true, num: 0 }],
        }),
      },
      { type: 'message', binary: Uint8Array.of(0xca, 0xfe) },
    ]);
    expect(body).toBe(
      realEncodePayload([
        { type: 'message', data: real[0] },
        { type: 'message', data: real[1] },
      ]),
    );
    const decoder = new Decoder();
    const got: unknown[] = [];
    decoder.on('decoded', (p: unknown) => got.push(p));
    for (const p of decodePayload(body)) decoder.add(p.data);
    expect(got).toEqual([{ type: EVENT, nsp: '/', data: ['file', Buffer.from([0xca, 0xfe])] }]);
  });

  it('rejects what socket.io-parser rejects, including reserved event names', () => {
    const texts = ['9', '2["a"', '2{}', '2[]', '1{}', '0[]', '4[]', '3{}', '50-["a"]', '511-["a"]'];
    for (const name of SIO_RESERVED_EVENTS) texts.push(`2["${name}"]`);
    for (const text of texts) {
      expect(realDecodeSio(text)).toBeNull();
      expect(decodeSioPacket(text).ok).toBe(false);
    }
  });

  it('is stricter where socket.io-parser is lenient by accident, and says so with a code', () => {
    // socket.io-parser: '' is CONNECT (Number('') is 0), '2' an EVENT without data, '2/admin' a namespace
    // without its comma, '2 ["a"]' an ack id of 0 read from the space, a 21-digit id a lossy float.
    const lenient: readonly (readonly [string, string])[] = [
      ['', 'empty'],
      ['2', 'bad-payload'],
      ['2/admin', 'bad-namespace'],
      ['2 ["a"]', 'bad-ack-id'],
      ['2123456789012345678901["a"]', 'bad-ack-id'],
    ];
    for (const [text, code] of lenient) {
      expect(realDecodeSio(text)).not.toBeNull();
      expect(decodeSioPacket(text)).toMatchObject({ ok: false, error: { code } });
    }
  });
});

// ---- properties, differential ----

describe('properties against the real parsers', () => {
  const json = fc.jsonValue({ stringUnit: 'binary' }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  const eventName = fc.oneof(
    fc.string({ unit: 'binary' }).filter((s) => !(SIO_RESERVED_EVENTS as readonly string[]).includes(s)),
    fc.integer(),
  );
  const nsp = fc.oneof(
    fc.constant('/'),
    fc
      .string({ unit: 'binary', minLength: 1 })
      .filter((s) => !s.includes(','))
      .map((s) => '/' + s),
  );

  it('any JSON-serialisable event encodes as socket.io-parser does, and each side decodes the other', () => {
    fc.assert(
      fc.property(
        nsp,
        fc.option(fc.nat(), { nil: undefined }),
        eventName,
        fc.array(json, { maxLength: 5 }),
        (space, id, name, args) => {
          const p: SioPacketRepr = {
            type: EVENT,
            nsp: space,
            ...(id !== undefined ? { id } : {}),
            data: [name, ...args],
          };
          const text = encodeSioPacket(p);
          expect(realEncodeSio(p)).toBe(text);
          expect(realDecodeSio(text)).toEqual(p);
          const ours = decodeSioPacket(text);
          expect(ours.ok && ours.repr).toEqual(p);
          const frame = encodeSioMessage(p);
          expect(fromRealEio(decodePacket(frame))).toEqual({ type: 'message', data: text });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('whatever text we accept, socket.io-parser accepts too and decodes to the same packet', () => {
    const unit = fc.constantFrom(
      ...'0123456789/,-[]{}":.e'.split(''),
      ' ',
      '\t',
      '\n',
      '\u00a0',
      'é',
      '😀',
      '"x"',
      'null',
      'true',
      '{"_placeholder":true,"num":0}',
      '"connect"',
    );
    // Texts shaped like packets, each part well or badly formed, so that most reach the JSON stage.
    const nearPacket = fc
      .tuple(
        fc.constantFrom('0', '1', '2', '3', '4', '5', '6', ' ', '7', ''),
        fc.constantFrom('', '', '1-', '2-', '0-', '01-', ' 1-', '1e0-', '11-'),
        fc.constantFrom('', '', '/admin,', '/é😀,', '/,', '/admin', '/a/b,'),
        fc.constantFrom(
          '',
          '',
          '1',
          '007',
          '42',
          ' ',
          '\t',
          '\n',
          '1 ',
          ' 1',
          '1 2',
          '\u00a0',
          '9'.repeat(17),
        ),
        fc.oneof(
          fc.constant(''),
          fc.constantFrom('[]', '{}', '"s"', 'null', '1', ' ["a"]', '["a"] ', '[1]', '[null]', '["connect"]'),
          fc.jsonValue({ stringUnit: 'binary' }).map((v) => JSON.stringify(v)),
          fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 }).map((a) => JSON.stringify(['ev', ...a])),
        ),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(nearPacket, fc.string({ unit }), fc.string({ unit: 'binary' })), (text) => {
        const ours = decodeSioPacket(text);
        const real = realDecodeSio(text);
        if (ours.ok) expect(real).toEqual(ours.repr);
        if (real === null) expect(ours.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('whatever Engine.IO payload we accept, engine.io-parser decodes to the same packets', () => {
    const unit = fc.constantFrom('0', '2', '4', '6', '9', 'b', 'AQ==', '=', 'x', '\x1e', 'é', '😀', 'probe');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit }), fc.string({ unit: 'binary' })), (text) => {
        const ours = decodeEioPayload(text);
        const real = decodePayload(text).map(fromRealEio);
        if (ours.ok) expect(real).toEqual(ours.repr);
        if (real.includes(null)) expect(ours.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
