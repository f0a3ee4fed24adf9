import fc from 'fast-check';
import { concatBytes, fromHex, toHex } from '../../src/protocol/bytes';
import { crc32 } from '../../src/protocol/checksum';
import {
  describeEthernet,
  decodeEthernet,
  encodeEthernet,
  ETHER_TYPES,
  ETHER_TYPE_NAMES,
  ETHERNET_HEADER_LENGTH,
  ETHERNET_MIN_FRAME,
  ethernetFcs,
  ethernetPadding,
  ethernetTrailerFields,
  fcsBytes,
  formatMac,
  parseMac,
  type EthernetRepr,
} from '../../src/protocol/ethernet';
import { expectTiling } from './tiling';

// Frames written by this encoder and checked with
// `tshark -o eth.fcs:Always -o eth.check_fcs:TRUE -T fields -e eth.fcs -e eth.fcs.status`
// (status 1 = good) after appending padding and the FCS bytes below.
const ACK_54 = fromHex(
  '02000000000a0200000000140800450000281c4a400040063234c6336414c000020a0050c000000013890000040a501001fde9a10000',
);
const ACK_54_FCS_WIRE = '2c 06 d1 02'; // tshark eth.fcs: 0x2c06d102
const FIN_55 = fromHex(
  '02000000000a0200000000140800450000291c4b400040063232c6336414c000020a0050c000000013890000040a501101fd719f000078',
);
const FIN_55_FCS_WIRE = '71 9f 6a 6f'; // tshark eth.fcs: 0x719f6a6f

/** IEEE 802.3: the CRC-32 of a frame followed by its own FCS is this constant. */
const CRC32_RESIDUE = 0x2144df1c;

const REPR: EthernetRepr = {
  dst: '02:00:00:00:00:0a',
  src: '02:00:00:00:00:14',
  etherType: ETHER_TYPES.IPv4,
};

describe('MAC addresses', () => {
  it('parses and formats lower-case colon notation', () => {
    expect(toHex(parseMac('02:00:00:00:00:0A'))).toBe('02 00 00 00 00 0a');
    expect(formatMac(fromHex('ffffffffffff'))).toBe('ff:ff:ff:ff:ff:ff');
  });
  it.each([
    '',
    '02:00:00:00:00',
    '02:00:00:00:00:0a:0b',
    '02-00-00-00-00-0a',
    '2:0:0:0:0:a',
    '02:00:00:00:00:0g',
  ])('rejects %j', (s) => {
    expect(() => parseMac(s)).toThrow(RangeError);
  });
  it('refuses to format anything but 6 bytes', () => {
    expect(() => formatMac(new Uint8Array(5))).toThrow(RangeError);
  });
});

describe('encodeEthernet / decodeEthernet', () => {
  it('has a 14-byte header from its field table', () => {
    const decoded = decodeEthernet(ACK_54);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(ETHERNET_HEADER_LENGTH).toBe(14);
    expect(Math.max(...decoded.fields.map((f) => f.end))).toBe(ETHERNET_HEADER_LENGTH);
  });

  it('builds the tshark-verified frame header byte for byte', () => {
    const payload = ACK_54.subarray(14);
    expect(toHex(encodeEthernet(REPR, payload))).toBe(toHex(ACK_54));
  });

  it('decodes a frame into repr, payload and annotations that tile the header', () => {
    const d = decodeEthernet(ACK_54);
    if (!d.ok) throw new Error(d.error.message);
    expect(d.repr).toEqual(REPR);
    expect(toHex(d.payload)).toBe(toHex(ACK_54.subarray(14)));
    expect(d.length).toBe(ACK_54.length);
    expect(d.fields.map((f) => [f.key, f.start, f.end, f.value])).toEqual([
      ['dst', 0, 6, '02:00:00:00:00:0a'],
      ['src', 6, 12, '02:00:00:00:00:14'],
      ['etherType', 12, 14, '0x0800 (IPv4)'],
    ]);
    for (const f of d.fields) {
      expect(f.layer).toBe('ethernet');
      expect(f.meaning.length).toBeGreaterThan(10);
    }
    expectTiling(d.fields, 0, ETHERNET_HEADER_LENGTH);
  });

  it('names known EtherTypes through the reverse map and prints unknown ones as hex', () => {
    expect(ETHER_TYPE_NAMES[0x86dd]).toBe('IPv6');
    const lldp = decodeEthernet(encodeEthernet({ ...REPR, etherType: 0x88cc }, new Uint8Array(0)));
    if (!lldp.ok) throw new Error(lldp.error.message);
    expect(lldp.fields.find((f) => f.key === 'etherType')?.value).toBe('0x88cc');
  });

  it('explains broadcast and multicast destinations', () => {
    const b = decodeEthernet(
      encodeEthernet({ ...REPR, dst: 'ff:ff:ff:ff:ff:ff', etherType: ETHER_TYPES.ARP }, new Uint8Array(0)),
    );
    const m = decodeEthernet(encodeEthernet({ ...REPR, dst: '01:00:5e:00:00:fb' }, new Uint8Array(0)));
    if (!b.ok || !m.ok) throw new Error('decode failed');
    expect(b.fields[0]!.meaning).toMatch(/broadcast/);
    expect(m.fields[0]!.meaning).toMatch(/multicast/);
    const u = decodeEthernet(ACK_54);
    if (!u.ok) throw new Error(u.error.message);
    expect(u.fields[0]!.meaning).not.toMatch(/broadcast|multicast/);
  });

  it('fails on every truncated header, never throwing', () => {
    for (let n = 0; n < ETHERNET_HEADER_LENGTH; n++) {
      const r = decodeEthernet(ACK_54.subarray(0, n));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('truncated');
    }
    expect(decodeEthernet(ACK_54.subarray(0, ETHERNET_HEADER_LENGTH)).ok).toBe(true);
  });

  it('rejects IEEE 802.3 length fields where an EtherType belongs', () => {
    const frame = ACK_54.slice();
    frame[12] = 0x05;
    frame[13] = 0xdc; // 1500: a length
    const r = decodeEthernet(frame);
    expect(r).toMatchObject({ ok: false, error: { code: 'not-ethernet-ii', offset: 12 } });
  });

  it('decodes the same from inside a junk-filled buffer (byteOffset honoured)', () => {
    const junk = new Uint8Array(200).fill(0xa5);
    junk.set(ACK_54, 37);
    const inner = decodeEthernet(junk.subarray(37, 37 + ACK_54.length));
    const plain = decodeEthernet(ACK_54);
    expect(inner).toEqual(plain);
  });

  it('refuses impossible reprs', () => {
    expect(() => encodeEthernet({ ...REPR, etherType: 0x05dc }, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeEthernet({ ...REPR, etherType: 0x10000 }, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeEthernet({ ...REPR, src: 'nope' }, new Uint8Array(0))).toThrow(RangeError);
  });

  it('describes a frame in one line', () => {
    expect(describeEthernet(REPR)).toBe('Ethernet 02:00:00:00:00:14 → 02:00:00:00:00:0a, type 0x0800 (IPv4)');
    expect(describeEthernet({ ...REPR, etherType: 0x88cc })).toBe(
      'Ethernet 02:00:00:00:00:14 → 02:00:00:00:00:0a, type 0x88cc',
    );
  });
});

describe('padding and FCS (display only)', () => {
  it('pads to the 60-byte minimum', () => {
    expect(ETHERNET_MIN_FRAME).toBe(60);
    expect(ethernetPadding(0)).toBe(60);
    expect(ethernetPadding(54)).toBe(6);
    expect(ethernetPadding(59)).toBe(1);
    expect(ethernetPadding(60)).toBe(0);
    expect(ethernetPadding(1514)).toBe(0);
  });

  it('matches the FCS tshark validated, computed over frame + padding', () => {
    expect(toHex(fcsBytes(ethernetFcs(ACK_54)))).toBe(ACK_54_FCS_WIRE);
    expect(toHex(fcsBytes(ethernetFcs(FIN_55)))).toBe(FIN_55_FCS_WIRE);
    // Padding is part of the CRC: the unpadded CRC differs.
    expect(ethernetFcs(ACK_54)).not.toBe(crc32(ACK_54));
  });

  it('leaves the CRC-32 residue when the FCS is appended least significant byte first', () => {
    for (const frame of [ACK_54, FIN_55, fromHex('00'.repeat(100))]) {
      const wire = concatBytes(
        frame,
        new Uint8Array(ethernetPadding(frame.length)),
        fcsBytes(ethernetFcs(frame)),
      );
      expect(crc32(wire)).toBe(CRC32_RESIDUE);
    }
  });

  it('annotates padding and FCS after the frame, tiling them', () => {
    const t = ethernetTrailerFields(ACK_54);
    expect(t.map((f) => [f.key, f.start, f.end])).toEqual([
      ['padding', 54, 60],
      ['fcs', 60, 64],
    ]);
    expect(t[0]!.value).toBe('6 zero bytes');
    expect(t[0]!.meaning).toMatch(/60/);
    expect(t[1]!.value).toMatch(/^2c 06 d1 02 \(CRC-32 0x02d1062c/);
    expectTiling(t, 54, 64);

    const long = new Uint8Array(74);
    const onlyFcs = ethernetTrailerFields(long);
    expect(onlyFcs.map((f) => [f.key, f.start, f.end])).toEqual([['fcs', 74, 78]]);
  });

  it('never writes padding into encoded frames', () => {
    expect(encodeEthernet(REPR, new Uint8Array(1)).length).toBe(15);
  });
});

describe('properties', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2000 }), (bytes) => {
        const r = decodeEthernet(bytes);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expectTiling(r.fields, 0, ETHERNET_HEADER_LENGTH);
      }),
    );
  });

  it('round-trips any valid repr and payload', () => {
    const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map(formatMac);
    fc.assert(
      fc.property(
        mac,
        mac,
        fc.integer({ min: 0x0600, max: 0xffff }),
        fc.uint8Array({ maxLength: 200 }),
        (dst, src, etherType, payload) => {
          const repr = { dst, src, etherType };
          const r = decodeEthernet(encodeEthernet(repr, payload));
          if (!r.ok) throw new Error(r.error.message);
          expect(r.repr).toEqual(repr);
          expect(toHex(r.payload)).toBe(toHex(payload));
        },
      ),
    );
  });
});
