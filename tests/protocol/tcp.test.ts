import fc from 'fast-check';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/protocol/bytes';
import { formatIpv4Address, parseIpv4Address } from '../../src/protocol/ipv4';
import { encodeTcpFrame, linuxTcpIpv4 } from '../../src/protocol/stack';
import {
  decodeTcp,
  describeTcp,
  encodeTcp,
  linuxSynOptions,
  TCP_FLAGS,
  TCP_OPTION_KIND_NAMES,
  tcpSegmentLength,
  type PseudoHeader,
  type TcpFlagName,
  type TcpOption,
  type TcpRepr,
} from '../../src/protocol/tcp';
import { expectTiling } from './tiling';

const CLIENT = { mac: '02:00:00:00:00:0a', ip: '192.0.2.10', port: 49152 };
const SERVER = { mac: '02:00:00:00:00:14', ip: '198.51.100.20', port: 80 };
const C2S: PseudoHeader = { src: CLIENT.ip, dst: SERVER.ip };
const S2C: PseudoHeader = { src: SERVER.ip, dst: CLIENT.ip };
const FLAG_NAMES = Object.keys(TCP_FLAGS) as TcpFlagName[];

/**
 * A handshake, a request, an ACK and an odd-length FIN, built by these encoders and checked with
 * `tshark -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -T fields -e ip.checksum.status
 * -e tcp.checksum -e tcp.checksum.status`: every IP and TCP checksum status 1 (good), no
 * expert info above Note. tshark's tcp.checksum per frame is listed with each.
 */
const TSHARK_VERIFIED: readonly { readonly hex: string; readonly checksum: number }[] = [
  {
    checksum: 0x982d,
    hex: '02000000001402000000000a08004500003c1c46400040063224c000020ac6336414c0000050000003e800000000a002faf0982d0000020405b40402080a000004570000000001030307',
  },
  {
    checksum: 0x784e,
    hex: '02000000000a02000000001408004500003c1c47400040063223c6336414c000020a0050c00000001388000003e9a012fe88784e0000020405b40402080a000008ae0000045701030307',
  },
  {
    checksum: 0xa3ac,
    hex: '02000000001402000000000a0800450000341c4840004006322ac000020ac6336414c0000050000003e900001389801001f6a3ac00000101080a00000458000008ae',
  },
  {
    checksum: 0x2b7b,
    hex: '02000000001402000000000a0800450000551c49400040063208c000020ac6336414c0000050000003e900001389801801f62b7b00000101080a00000459000008ae474554202f20485454502f312e310d0a486f73743a206578616d706c650d0a0d0a',
  },
  {
    checksum: 0xe9a1,
    hex: '02000000000a0200000000140800450000281c4a400040063234c6336414c000020a0050c000000013890000040a501001fde9a10000',
  },
  {
    checksum: 0x719f,
    hex: '02000000000a0200000000140800450000291c4b400040063232c6336414c000020a0050c000000013890000040a501101fd719f000078',
  },
];

const TS = (tsval: number, tsecr: number): TcpOption[] => [
  { kind: 'nop' },
  { kind: 'nop' },
  { kind: 'timestamps', tsval, tsecr },
];
type Side = typeof CLIENT;
const CONVERSATION: readonly [Side, Side, Omit<TcpRepr, 'srcPort' | 'dstPort' | 'urgent'>, Uint8Array][] = [
  [
    CLIENT,
    SERVER,
    { seq: 1000, ack: 0, flags: ['SYN'], window: 64240, options: linuxSynOptions(1460, 1111, 0, 7) },
    new Uint8Array(0),
  ],
  [
    SERVER,
    CLIENT,
    {
      seq: 5000,
      ack: 1001,
      flags: ['SYN', 'ACK'],
      window: 65160,
      options: linuxSynOptions(1460, 2222, 1111, 7),
    },
    new Uint8Array(0),
  ],
  [
    CLIENT,
    SERVER,
    { seq: 1001, ack: 5001, flags: ['ACK'], window: 502, options: TS(1112, 2222) },
    new Uint8Array(0),
  ],
  [
    CLIENT,
    SERVER,
    { seq: 1001, ack: 5001, flags: ['PSH', 'ACK'], window: 502, options: TS(1113, 2222) },
    utf8('GET / HTTP/1.1\r\nHost: example\r\n\r\n'),
  ],
  [SERVER, CLIENT, { seq: 5001, ack: 1034, flags: ['ACK'], window: 509, options: [] }, new Uint8Array(0)],
  [SERVER, CLIENT, { seq: 5001, ack: 1034, flags: ['FIN', 'ACK'], window: 509, options: [] }, utf8('x')],
];

/** RFC 9293 §3.1 checksum written out independently of src/: pseudo-header + segment, checksum field as zero. */
function referenceChecksum(pseudo: PseudoHeader, segment: Uint8Array): number {
  const words = [...parseIpv4Address(pseudo.src), ...parseIpv4Address(pseudo.dst), 0, 6];
  words.push(segment.length >> 8, segment.length & 0xff);
  segment.forEach((b, i) => words.push(i === 16 || i === 17 ? 0 : b));
  if (words.length % 2) words.push(0);
  let sum = 0;
  for (let i = 0; i < words.length; i += 2) sum += words[i]! * 256 + words[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return 0xffff - sum;
}

function tcpOf(frameHex: string): Uint8Array {
  return fromHex(frameHex).subarray(14 + 20);
}

function decodeOk(bytes: Uint8Array, pseudo?: PseudoHeader) {
  const r = decodeTcp(bytes, pseudo);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

const SYN: TcpRepr = {
  srcPort: 49152,
  dstPort: 80,
  seq: 1000,
  ack: 0,
  flags: ['SYN'],
  window: 64240,
  urgent: 0,
  options: linuxSynOptions(1460, 1111, 0, 7),
};

describe('tshark-verified segments', () => {
  it('are reproduced byte for byte by encodeTcpFrame (encodeTcp → encodeIpv4 → encodeEthernet)', () => {
    CONVERSATION.forEach(([from, to, t, payload], i) => {
      const { frame } = encodeTcpFrame(
        { dst: to.mac, src: from.mac },
        linuxTcpIpv4(from.ip, to.ip, 0x1c46 + i),
        { srcPort: from.port, dstPort: to.port, urgent: 0, ...t },
        payload,
      );
      expect(toHex(frame, '')).toBe(TSHARK_VERIFIED[i]!.hex);
    });
  });

  it('carry the checksum tshark accepted, which an independent computation also gives', () => {
    TSHARK_VERIFIED.forEach(({ hex, checksum }, i) => {
      const pseudo = CONVERSATION[i]![0] === CLIENT ? C2S : S2C;
      const segment = tcpOf(hex);
      expect(referenceChecksum(pseudo, segment)).toBe(checksum);
      const r = decodeOk(segment, pseudo);
      expect(r.repr.checksum).toBe(checksum);
      expect(r.repr.checksumOk).toBe(true);
    });
  });
});

describe('encodeTcp / decodeTcp', () => {
  it('decodes a Linux SYN: every field, each flag its own bit, each option annotated, tiling 40 bytes', () => {
    const segment = tcpOf(TSHARK_VERIFIED[0]!.hex);
    const r = decodeOk(segment, C2S);
    expect(r.repr).toEqual({ ...SYN, headerLength: 40, checksum: 0x982d, checksumOk: true });
    expect(r.payload.length).toBe(0);
    expect(r.length).toBe(40);
    expect(r.fields.map((f) => [f.key, f.start, f.end, f.bits?.start, f.value])).toEqual([
      ['srcPort', 0, 2, undefined, '49152'],
      ['dstPort', 2, 4, undefined, '80'],
      ['seq', 4, 8, undefined, '1000'],
      ['ack', 8, 12, undefined, '0 (ignored: ACK not set)'],
      ['dataOffset', 12, 13, 0, '10 (40 bytes)'],
      ['reserved', 12, 13, 4, '0000'],
      ['flagCwr', 13, 14, 0, '0'],
      ['flagEce', 13, 14, 1, '0'],
      ['flagUrg', 13, 14, 2, '0'],
      ['flagAck', 13, 14, 3, '0'],
      ['flagPsh', 13, 14, 4, '0'],
      ['flagRst', 13, 14, 5, '0'],
      ['flagSyn', 13, 14, 6, '1 (set)'],
      ['flagFin', 13, 14, 7, '0'],
      ['window', 14, 16, undefined, '64240'],
      ['checksum', 16, 18, undefined, '0x982d (correct)'],
      ['urgent', 18, 20, undefined, '0 (ignored: URG not set)'],
      ['optionMss', 20, 24, undefined, 'kind 2, length 4: 1460 bytes'],
      ['optionSackPermitted', 24, 26, undefined, 'kind 4, length 2'],
      ['optionTimestamps', 26, 36, undefined, 'kind 8, length 10: TSval 1111, TSecr 0'],
      ['optionNop', 36, 37, undefined, 'kind 1'],
      ['optionWindowScale', 37, 40, undefined, 'kind 3, length 3: shift 7 (×128)'],
    ]);
    for (const f of r.fields) {
      expect(f.layer).toBe('tcp');
      expect(f.meaning.length).toBeGreaterThan(10);
    }
    expectTiling(r.fields, 0, 40);
  });

  it('sets exactly the bit of each flag given by TCP_FLAGS', () => {
    for (const flag of FLAG_NAMES) {
      const seg = encodeTcp({ ...SYN, flags: [flag], options: [] }, new Uint8Array(0), C2S);
      expect(seg[13]).toBe(TCP_FLAGS[flag]);
      expect(seg[12]! & 0x0f).toBe(0);
      const r = decodeOk(seg, C2S);
      expect(r.repr.flags).toEqual([flag]);
      const set = r.fields.filter((f) => f.key.startsWith('flag') && f.value.startsWith('1'));
      expect(set.map((f) => f.bits)).toEqual([
        { start: 7 - Math.log2(TCP_FLAGS[flag]), end: 8 - Math.log2(TCP_FLAGS[flag]) },
      ]);
    }
  });

  it('lays out Linux SYN options exactly as the kernel in the reference capture did', () => {
    // real-ws-loopback.pcap frame 1: MSS=65495 SACK_PERM TSval=556559861 TSecr=0 WS=1024.
    const seg = encodeTcp(
      { ...SYN, options: linuxSynOptions(65495, 556559861, 0, 10) },
      new Uint8Array(0),
      C2S,
    );
    expect(toHex(seg.subarray(20), '')).toBe('0204ffd70402080a212c6df5000000000103030a');
  });

  it('pads options with zeros to a 4-byte multiple; the first zero reads back as EOL, the rest as padding', () => {
    const mssWs: TcpOption[] = [
      { kind: 'mss', value: 536 },
      { kind: 'window-scale', shift: 2 },
    ];
    const a = encodeTcp({ ...SYN, options: mssWs }, new Uint8Array(0), C2S);
    expect(toHex(a.subarray(20), '')).toBe('0204021803030200');
    const ra = decodeOk(a, C2S);
    expect(ra.repr.options).toEqual([...mssWs, { kind: 'eol' }]);
    expect(ra.fields.at(-1)).toMatchObject({ key: 'optionEol', start: 27, end: 28 });
    expectTiling(ra.fields, 0, 28);

    const b = encodeTcp(
      { ...SYN, options: [{ kind: 'mss', value: 536 }, { kind: 'sack-permitted' }] },
      new Uint8Array(0),
      C2S,
    );
    expect(toHex(b.subarray(20), '')).toBe('0204021804020000');
    const rb = decodeOk(b, C2S);
    expect(rb.fields.slice(-2).map((f) => [f.key, f.start, f.end, f.value])).toEqual([
      ['optionEol', 26, 27, 'kind 0'],
      ['optionsPadding', 27, 28, '1 zero byte'],
    ]);
    expectTiling(rb.fields, 0, 28);

    // A header whose options end in a lone EOL followed by non-zero junk still tiles and shows it.
    const junky = b.slice();
    junky[27] = 0xee;
    const rj = decodeOk(junky);
    expect(rj.fields.at(-1)).toMatchObject({ key: 'optionsPadding', value: 'ee' });
  });

  it('encodes and decodes SACK blocks (RFC 2018 §3) and unknown kinds, annotated and round-tripping', () => {
    const options: TcpOption[] = [
      { kind: 'nop' },
      { kind: 'nop' },
      {
        kind: 'sack',
        blocks: [
          { left: 1000, right: 2000 },
          { left: 3000, right: 4000 },
        ],
      },
      { kind: 'unknown', type: 30, data: fromHex('00') },
      { kind: 'unknown', type: 200, data: new Uint8Array(0) },
    ];
    const seg = encodeTcp({ ...SYN, flags: ['ACK'], options }, new Uint8Array(0), C2S);
    // kind 5, length 18, then two blocks of left and right edges (RFC 2018 §3).
    expect(toHex(seg.subarray(22, 40), '')).toBe('0512000003e8000007d000000bb800000fa0');
    const r = decodeOk(seg, C2S);
    expect(r.repr.options).toEqual([...options, { kind: 'eol' }]);
    const sack = r.fields.find((f) => f.key === 'optionSack');
    expect([sack?.name, sack?.value, sack?.start, sack?.end]).toEqual([
      'Option: SACK',
      'kind 5, length 18: 1000-2000, 3000-4000',
      22,
      40,
    ]);
    const names = r.fields.filter((f) => f.key === 'optionUnknown').map((f) => [f.name, f.value]);
    expect(names).toEqual([
      ['Option: MPTCP', 'kind 30, length 3: 00'],
      ['Option: kind 200', 'kind 200, length 2'],
    ]);
    expect(TCP_OPTION_KIND_NAMES[8]).toBe('TS');
    expectTiling(r.fields, 0, r.repr.headerLength);
    // A kind-5 option whose length is not 2 + 8n is not a SACK option: shown raw, still round-tripping.
    const odd: TcpOption[] = [{ kind: 'unknown', type: 5, data: fromHex('00000001') }];
    const r2 = decodeOk(encodeTcp({ ...SYN, flags: ['ACK'], options: odd }, new Uint8Array(0), C2S), C2S);
    expect(r2.repr.options[0]).toEqual(odd[0]);
    expect(() =>
      encodeTcp({ ...SYN, flags: ['ACK'], options: [{ kind: 'sack', blocks: [] }] }, new Uint8Array(0), C2S),
    ).toThrow(RangeError);
  });

  it('notes a window scale above 14 (RFC 7323 §2.3) without failing', () => {
    const seg = encodeTcp({ ...SYN, options: [{ kind: 'window-scale', shift: 14 }] }, new Uint8Array(0), C2S);
    seg[22] = 15;
    const r = decodeOk(seg);
    expect(r.repr.options[0]).toEqual({ kind: 'window-scale', shift: 15 });
    expect(r.fields.find((f) => f.key === 'optionWindowScale')?.value).toMatch(/treated as 14/);
  });

  it('reports the checksum as unverified without a pseudo-header and wrong with another one', () => {
    const seg = tcpOf(TSHARK_VERIFIED[3]!.hex);
    expect(decodeOk(seg).repr.checksumOk).toBeNull();
    expect(decodeOk(seg, { src: CLIENT.ip, dst: '198.51.100.21' }).repr.checksumOk).toBe(false);
    expect(decodeOk(seg, { src: 'not an address', dst: SERVER.ip }).repr.checksumOk).toBeNull();
    const corrupted = seg.slice();
    corrupted[40] = corrupted[40]! ^ 0x20; // one payload bit
    const r = decodeOk(corrupted, C2S);
    expect(r.repr.checksumOk).toBe(false);
    expect(r.fields.find((f) => f.key === 'checksum')?.value).toBe(
      `0x2b7b (wrong, should be 0x${referenceChecksum(C2S, corrupted).toString(16).padStart(4, '0')})`,
    );
  });

  it('gives the payload after the data offset', () => {
    const seg = tcpOf(TSHARK_VERIFIED[3]!.hex);
    const r = decodeOk(seg, C2S);
    expect(r.repr.headerLength).toBe(32);
    expect(new TextDecoder().decode(r.payload)).toBe('GET / HTTP/1.1\r\nHost: example\r\n\r\n');
    expect(r.repr.flags).toEqual(['ACK', 'PSH']);
  });

  it('fails on every truncated header, never throwing', () => {
    const seg = tcpOf(TSHARK_VERIFIED[0]!.hex);
    for (let n = 0; n < seg.length; n++) {
      expect(decodeTcp(seg.subarray(0, n), C2S)).toMatchObject({ ok: false, error: { code: 'truncated' } });
    }
  });

  it('rejects a data offset below 5 or beyond the segment', () => {
    const seg = tcpOf(TSHARK_VERIFIED[4]!.hex).slice();
    for (let off = 0; off < 5; off++) {
      seg[12] = off << 4;
      expect(decodeTcp(seg)).toMatchObject({ ok: false, error: { code: 'bad-data-offset', offset: 12 } });
    }
    seg[12] = 6 << 4;
    expect(decodeTcp(seg)).toMatchObject({ ok: false, error: { code: 'truncated' } });
  });

  it.each([
    ['length 0', '02000000', 21],
    ['length 1', '02010000', 21],
    ['a length running past the header', '080c0000', 21],
    ['MSS with length 5', '02050000 00000000', 21],
    ['window scale with length 4', '03040000', 21],
    ['SACK-permitted with length 3', '04030000', 21],
    ['timestamps with length 8', '0108080000000000000001', 22],
    ['no length byte at the end', '01010102', 23],
    ['unknown kind with length 1', '1e010000', 21],
  ])('rejects an option with %s', (_, optionsHex, offset) => {
    const options = fromHex(optionsHex.padEnd(Math.ceil(optionsHex.replace(/\s/g, '').length / 8) * 8, '0'));
    const seg = concatBytes(encodeTcp({ ...SYN, options: [] }, new Uint8Array(0), C2S), options);
    seg[12] = ((seg.length / 4) << 4) | (seg[12]! & 0x0f);
    expect(decodeTcp(seg, C2S)).toMatchObject({ ok: false, error: { code: 'bad-option-length', offset } });
  });

  it('decodes the same from inside a junk-filled buffer (byteOffset honoured)', () => {
    const seg = tcpOf(TSHARK_VERIFIED[3]!.hex);
    const junk = new Uint8Array(300).fill(0xc3);
    junk.set(seg, 7);
    expect(decodeTcp(junk.subarray(7, 7 + seg.length), C2S)).toEqual(decodeTcp(seg, C2S));
  });

  it('refuses impossible reprs', () => {
    const bad: Partial<TcpRepr>[] = [
      { srcPort: 65536 },
      { dstPort: -1 },
      { seq: 2 ** 32 },
      { ack: 0.5 },
      { window: 0x10000 },
      { urgent: 0x10000 },
      { flags: ['SYN', 'XYZ' as TcpFlagName] },
      { options: [{ kind: 'window-scale', shift: 15 }] },
      { options: [{ kind: 'mss', value: 65536 }] },
      { options: [{ kind: 'eol' }, { kind: 'nop' }] },
      { options: [{ kind: 'unknown', type: 2, data: new Uint8Array(2) }] },
      { options: [{ kind: 'unknown', type: 1, data: new Uint8Array(0) }] },
      { options: Array.from({ length: 41 }, () => ({ kind: 'nop' as const })) },
      { options: [...linuxSynOptions(1460, 1, 1, 7), ...linuxSynOptions(1460, 1, 1, 7), { kind: 'nop' }] },
    ];
    for (const b of bad)
      expect(() => encodeTcp({ ...SYN, ...b }, new Uint8Array(0), C2S)).toThrow(RangeError);
    expect(() => encodeTcp(SYN, new Uint8Array(0), { src: '1.2.3', dst: SERVER.ip })).toThrow(RangeError);
    expect(() => encodeTcp({ ...SYN, options: [] }, new Uint8Array(65515 - 20 + 1), C2S)).toThrow(RangeError);
    const forty = Array.from({ length: 40 }, () => ({ kind: 'nop' as const }));
    expect(encodeTcp({ ...SYN, options: forty }, new Uint8Array(0), C2S).length).toBe(60);
  });

  it('counts SYN and FIN in sequence space (RFC 9293 §3.4)', () => {
    expect(tcpSegmentLength(['SYN'], 0)).toBe(1);
    expect(tcpSegmentLength(['SYN', 'ACK'], 0)).toBe(1);
    expect(tcpSegmentLength(['ACK'], 0)).toBe(0);
    expect(tcpSegmentLength(['PSH', 'ACK'], 158)).toBe(158);
    expect(tcpSegmentLength(['FIN', 'ACK'], 7)).toBe(8);
    expect(tcpSegmentLength(['SYN', 'FIN'], 3)).toBe(5);
  });

  it('describes a segment in one line, flags in Wireshark order', () => {
    expect(describeTcp(SYN, 0)).toBe('TCP 49152 → 80 [SYN] Seq=1000 Win=64240 Len=0');
    expect(
      describeTcp({ ...SYN, srcPort: 80, dstPort: 49152, flags: ['ACK', 'SYN'], seq: 5000, ack: 1001 }, 0),
    ).toBe('TCP 80 → 49152 [SYN, ACK] Seq=5000 Ack=1001 Win=64240 Len=0');
    expect(describeTcp({ ...SYN, flags: ['ACK', 'PSH'], ack: 7 }, 158)).toBe(
      'TCP 49152 → 80 [PSH, ACK] Seq=1000 Ack=7 Win=64240 Len=158',
    );
    expect(describeTcp({ ...SYN, flags: ['URG', 'ACK'], urgent: 3 }, 1)).toBe(
      'TCP 49152 → 80 [ACK, URG] Seq=1000 Ack=0 Win=64240 Urg=3 Len=1',
    );
    expect(describeTcp({ ...SYN, flags: [] }, 0)).toBe('TCP 49152 → 80 [<None>] Seq=1000 Win=64240 Len=0');
  });
});

// ---- properties ----

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const optionArb: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant({ kind: 'nop' as const }),
  fc.constant({ kind: 'sack-permitted' as const }),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ kind: 'mss' as const, value })),
  fc.integer({ min: 0, max: 14 }).map((shift) => ({ kind: 'window-scale' as const, shift })),
  fc.record({ tsval: u32, tsecr: u32 }).map((t) => ({ kind: 'timestamps' as const, ...t })),
  fc
    .array(fc.record({ left: u32, right: u32 }), { minLength: 1, maxLength: 4 })
    .map((blocks) => ({ kind: 'sack' as const, blocks })),
  fc
    .record({
      type: fc.integer({ min: 5, max: 255 }).filter((t) => t !== 8),
      data: fc.uint8Array({ maxLength: 12 }),
    })
    // A kind-5 option of 2 + 8n bytes is a SACK option, decoded as one; other lengths stay unknown.
    .filter((u) => u.type !== 5 || u.data.length % 8 !== 0 || u.data.length === 0)
    .map((u) => ({ kind: 'unknown' as const, ...u })),
);
const OPTION_SIZE = {
  eol: 1,
  nop: 1,
  mss: 4,
  'window-scale': 3,
  'sack-permitted': 2,
  timestamps: 10,
} as const;
const rawLength = (options: readonly TcpOption[]): number =>
  options.reduce(
    (n, o) =>
      n +
      (o.kind === 'unknown'
        ? 2 + o.data.length
        : o.kind === 'sack'
          ? 2 + 8 * o.blocks.length
          : OPTION_SIZE[o.kind]),
    0,
  );
const optionsArb = fc
  .tuple(fc.array(optionArb, { maxLength: 8 }), fc.boolean())
  .map(([o, eol]): TcpOption[] => (eol ? [...o, { kind: 'eol' }] : o))
  .filter((o) => Math.ceil(rawLength(o) / 4) * 4 <= 40);
const addressArb = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIpv4Address);

describe('properties', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2000 }), fc.boolean(), (bytes, withPseudo) => {
        const r = decodeTcp(bytes, withPseudo ? C2S : undefined);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expectTiling(r.fields, 0, r.repr.headerLength);
      }),
    );
  });

  it('never throws on mutated valid segments (fuzzing the option parser)', () => {
    const seg = tcpOf(TSHARK_VERIFIED[0]!.hex);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(seg.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(seg.length),
        (edits, cut) => {
          const s = seg.slice(0, cut);
          for (const [at, b] of edits) if (at < s.length) s[at] = b;
          const r = decodeTcp(s, C2S);
          if (r.ok) expectTiling(r.fields, 0, r.repr.headerLength);
        },
      ),
    );
  });

  it('round-trips any valid repr, payload and pseudo-header with a correct checksum', () => {
    const repr = fc.record({
      srcPort: fc.integer({ min: 0, max: 0xffff }),
      dstPort: fc.integer({ min: 0, max: 0xffff }),
      seq: u32,
      ack: u32,
      flags: fc.subarray(FLAG_NAMES),
      window: fc.integer({ min: 0, max: 0xffff }),
      urgent: fc.integer({ min: 0, max: 0xffff }),
      options: optionsArb,
    });
    fc.assert(
      fc.property(repr, fc.uint8Array({ maxLength: 300 }), addressArb, addressArb, (r, payload, src, dst) => {
        const pseudo = { src, dst };
        const seg = encodeTcp(r, payload, pseudo);
        const d = decodeOk(seg, pseudo);
        const padded = rawLength(r.options) % 4 !== 0 && r.options.at(-1)?.kind !== 'eol';
        expect(d.repr).toEqual({
          ...r,
          options: padded ? [...r.options, { kind: 'eol' }] : r.options,
          headerLength: 20 + Math.ceil(rawLength(r.options) / 4) * 4,
          checksum: referenceChecksum(pseudo, seg),
          checksumOk: true,
        });
        expect(toHex(d.payload)).toBe(toHex(payload));
        expectTiling(d.fields, 0, d.repr.headerLength);
      }),
    );
  });
});
