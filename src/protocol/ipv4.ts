/**
 * IPv4 header (RFC 791 §3.1), with DSCP/ECN (RFC 2474, RFC 3168) in the old type-of-service byte
 * and the header checksum of RFC 791 / RFC 1071.
 *
 * The encoder writes the 20-byte header without options; the decoder also accepts options
 * (IHL > 5) and shows them as one `options` field.
 */
import { hex16, hex8, putUint16, toHex, view } from './bytes';
import { internetChecksum, verifyChecksum } from './checksum';
import {
  annotate,
  fail,
  namesByValue,
  readBits,
  tableLength,
  uintChecker,
  wordCountedLength,
  writeBits,
  type DecodeResult,
  type FieldAnnotation,
  type FieldTable,
} from './fields';

export const IP_PROTOCOLS = { ICMP: 1, TCP: 6, UDP: 17 } as const;
export type IpProtocolName = keyof typeof IP_PROTOCOLS;

/** Reverse of `IP_PROTOCOLS`: number → name. */
export const IP_PROTOCOL_NAMES = namesByValue(IP_PROTOCOLS);

/** Standard DSCP code points: class selectors (RFC 2474 §4.2.2), AF (RFC 2597), EF (RFC 3246). */
export const DSCP_CLASSES = {
  CS0: 0,
  CS1: 8,
  AF11: 10,
  AF12: 12,
  AF13: 14,
  CS2: 16,
  AF21: 18,
  AF22: 20,
  AF23: 22,
  CS3: 24,
  AF31: 26,
  AF32: 28,
  AF33: 30,
  CS4: 32,
  AF41: 34,
  AF42: 36,
  AF43: 38,
  CS5: 40,
  EF: 46,
  CS6: 48,
  CS7: 56,
} as const;
export const DSCP_NAMES = namesByValue(DSCP_CLASSES);

/** RFC 3168 §5: the two ECN bits. */
export const ECN_CODEPOINTS = { 'Not-ECT': 0, 'ECT(1)': 1, 'ECT(0)': 2, CE: 3 } as const;
export const ECN_NAMES = namesByValue(ECN_CODEPOINTS);

const TABLE = {
  version: {
    name: 'Version',
    start: 0,
    end: 1,
    bits: { start: 0, end: 4 },
    // RFC 791 §3.1: Version, 4 bits.
    meaning: 'Always 4 for IPv4: tells the receiver how to read the rest of the header.',
  },
  ihl: {
    name: 'Header length (IHL)',
    start: 0,
    end: 1,
    bits: { start: 4, end: 8 },
    // RFC 791 §3.1: IHL, the header length in 32-bit words; 5 is the minimum.
    meaning: 'Header length in 32-bit words; 5 means the usual 20 bytes with no options.',
  },
  dscp: {
    name: 'DSCP',
    start: 1,
    end: 2,
    bits: { start: 0, end: 6 },
    // RFC 2474 §3: the DS field selects a per-hop behaviour; §4.1: codepoint 0 is the default (best effort).
    meaning: 'Differentiated Services: a traffic class routers may use to prioritise (0 = best effort).',
  },
  ecn: {
    name: 'ECN',
    start: 1,
    end: 2,
    bits: { start: 6, end: 8 },
    // RFC 3168 §5: only a packet the sender marked ECN-capable (ECT) may be marked CE instead of dropped.
    meaning:
      'Explicit Congestion Notification: if the sender marked the packet ECN-capable, a congested router can mark it here instead of dropping it.',
  },
  totalLength: {
    name: 'Total length',
    start: 2,
    end: 4,
    // RFC 791 §3.1: Total Length counts header and data; IEEE 802.3 §3.2.8: the pad follows the client data.
    meaning: 'Bytes in this IP packet, header plus data. Anything after it (Ethernet padding) is not IP.',
  },
  identification: {
    name: 'Identification',
    start: 4,
    end: 6,
    // RFC 791 §3.1: Identification, assigned by the sender to aid in assembling the fragments.
    meaning: 'A number shared by all fragments of one packet, so the receiver can put them back together.',
  },
  reservedFlag: {
    name: 'Reserved flag',
    start: 6,
    end: 7,
    bits: { start: 0, end: 1 },
    // RFC 791 §3.1: Flags bit 0, reserved, must be zero.
    meaning: 'Reserved; must be zero (RFC 791).',
  },
  dontFragment: {
    name: "Don't fragment (DF)",
    start: 6,
    end: 7,
    bits: { start: 1, end: 2 },
    // RFC 791 §3.1 and §3.2: DF forbids fragmentation; RFC 1191 §4: a router that must drop it for the next-hop
    // MTU sends an ICMP "fragmentation needed and DF set" message (RFC 792), which path MTU discovery uses.
    meaning:
      'Routers must not split this packet; if it is too big for the next link they drop it and send back an ICMP message saying so (path MTU discovery).',
  },
  moreFragments: {
    name: 'More fragments (MF)',
    start: 6,
    end: 7,
    bits: { start: 2, end: 3 },
    // RFC 791 §3.2: MF is set on every fragment but the last; an unfragmented packet has it clear.
    meaning: 'Set on every fragment except the last one.',
  },
  fragmentOffset: {
    name: 'Fragment offset',
    start: 6,
    end: 8,
    bits: { start: 3, end: 16 },
    // RFC 791 §3.1: Fragment Offset, measured in units of 8 octets.
    meaning: "Where this fragment's data belongs in the original packet, in units of 8 bytes.",
  },
  ttl: {
    name: 'Time to live',
    start: 8,
    end: 9,
    // RFC 791 §3.1 (Time to Live) and RFC 1812 §5.3.1: each router decrements it and discards the packet at 0.
    meaning: 'Each router subtracts 1 and drops the packet at 0, so a routing loop cannot keep it forever.',
  },
  protocol: {
    name: 'Protocol',
    start: 9,
    end: 10,
    // RFC 791 §3.1: Protocol; the numbers are IANA's (Assigned Internet Protocol Numbers: 6 TCP, 17 UDP).
    meaning: 'Which protocol the data belongs to (6 = TCP, 17 = UDP).',
  },
  checksum: {
    name: 'Header checksum',
    start: 10,
    end: 12,
    // RFC 791 §3.1: the 16-bit one's complement of the one's complement sum of the header, recomputed wherever
    // the header changes (the TTL); RFC 1812 §5.2.2 (routers verify it) and §5.3.1 (update after the TTL).
    meaning:
      "A checksum of the header only (the one's complement of its one's-complement sum); every router checks it, and updates it after lowering the TTL.",
  },
  src: {
    name: 'Source address',
    start: 12,
    end: 16,
    // RFC 791 §3.1: Source Address.
    meaning: 'The IP address of the sender.',
  },
  dst: {
    name: 'Destination address',
    start: 16,
    end: 20,
    // RFC 1812 §5.2.4.3: a router chooses the next hop by the longest match on the destination address.
    meaning: 'The IP address the packet is going to; routers normally pick the next hop from this alone.',
  },
} as const satisfies FieldTable<string>;

const MIN_HEADER = tableLength(TABLE);
const MAX_TOTAL_LENGTH = 0xffff;

export interface Ipv4Repr {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly ttl: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** The raw 13-bit field, in units of 8 bytes (RFC 791 §3.1). */
  readonly fragmentOffset: number;
  readonly dscp: number;
  readonly ecn: number;
}

export type Ipv4Decoded = Ipv4Repr & {
  readonly headerLength: number;
  readonly totalLength: number;
  readonly checksum: number;
  readonly checksumOk: boolean;
};

function parseIpv4OrNull(s: string): Uint8Array | null {
  const parts = s.split('.');
  // Leading zeros are refused: some parsers read them as octal (`010` = 8).
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) {
    return null;
  }
  return Uint8Array.from(parts, Number);
}

/** Parse dotted-quad `192.0.2.10`. Throws RangeError on anything else. */
export function parseIpv4Address(s: string): Uint8Array {
  const out = parseIpv4OrNull(s);
  // RFC 791 §2.3 (32-bit addresses), written as four decimal bytes (RFC 1123 §2.1).
  if (out === null) throw new RangeError(`not an IPv4 address: ${JSON.stringify(s)}`);
  return out;
}

const addressCache = new Map<string, Uint8Array>();

/**
 * `parseIpv4Address`, remembered: the same few addresses are on every packet. The array is shared, so
 * callers only read it (copy it into a header); it is never handed out where it could be changed.
 */
export function ipv4AddressBytes(s: string): Uint8Array {
  let bytes = addressCache.get(s);
  if (bytes === undefined) {
    bytes = parseIpv4Address(s);
    if (addressCache.size > 256) addressCache.clear();
    addressCache.set(s, bytes);
  }
  return bytes;
}

/** Four bytes as dotted-quad. Throws RangeError for any other length. */
export function formatIpv4Address(b: Uint8Array): string {
  // RFC 791 §2.3: an address is 32 bits.
  if (b.length !== 4) throw new RangeError(`an IPv4 address has 4 bytes, got ${b.length}`);
  return Array.from(b).join('.');
}

/** Like `parseIpv4Address` but returns null instead of throwing (for decoders). */
export function tryParseIpv4Address(s: string): Uint8Array | null {
  return parseIpv4OrNull(s);
}

/** `TCP (6)`; unknown protocols print as hex only. */
export function formatIpProtocol(protocol: number): string {
  const name = IP_PROTOCOL_NAMES[protocol];
  return name === undefined ? hex8(protocol) : `${name} (${protocol})`;
}

function formatDscp(dscp: number): string {
  const name = DSCP_NAMES[dscp];
  return name === undefined ? hex8(dscp) : `${name} (${dscp})`;
}

function formatEcn(ecn: number): string {
  return `${ECN_NAMES[ecn] ?? hex8(ecn)} (${ecn})`;
}

const checkUint = uintChecker('IPv4');

/** Check `repr` for a packet carrying `payloadLength` bytes; its total length. */
function checkIpv4(repr: Ipv4Repr, payloadLength: number): number {
  checkUint('protocol', repr.protocol, 0xff);
  checkUint('ttl', repr.ttl, 0xff);
  checkUint('identification', repr.identification, 0xffff);
  checkUint('fragmentOffset', repr.fragmentOffset, 0x1fff);
  checkUint('dscp', repr.dscp, 0x3f);
  checkUint('ecn', repr.ecn, 3);
  const totalLength = MIN_HEADER + payloadLength;
  if (totalLength > MAX_TOTAL_LENGTH) {
    // RFC 791 §3.1: Total Length is 16 bits.
    throw new RangeError(`IPv4 packet of ${totalLength} bytes exceeds ${MAX_TOTAL_LENGTH}`);
  }
  return totalLength;
}

/**
 * Write the 20-byte header (no options) of a packet carrying `payloadLength` bytes into `out` at `at`
 * (all zero beforehand), total length and header checksum computed. Returns the header's length.
 */
export function writeIpv4Header(out: Uint8Array, at: number, repr: Ipv4Repr, payloadLength: number): number {
  const totalLength = checkIpv4(repr, payloadLength);
  const src = ipv4AddressBytes(repr.src);
  const dst = ipv4AddressBytes(repr.dst);
  const header = out.subarray(at, at + MIN_HEADER);
  const T = TABLE;
  writeBits(header, T.version.start, T.version.bits, 4);
  writeBits(header, T.ihl.start, T.ihl.bits, MIN_HEADER / 4);
  writeBits(header, T.dscp.start, T.dscp.bits, repr.dscp);
  writeBits(header, T.ecn.start, T.ecn.bits, repr.ecn);
  putUint16(header, T.totalLength.start, totalLength);
  putUint16(header, T.identification.start, repr.identification);
  writeBits(header, T.dontFragment.start, T.dontFragment.bits, repr.dontFragment ? 1 : 0);
  writeBits(header, T.moreFragments.start, T.moreFragments.bits, repr.moreFragments ? 1 : 0);
  writeBits(header, T.fragmentOffset.start, T.fragmentOffset.bits, repr.fragmentOffset);
  header[T.ttl.start] = repr.ttl;
  header[T.protocol.start] = repr.protocol;
  header.set(src, T.src.start);
  header.set(dst, T.dst.start);
  // RFC 791 §3.1: the checksum is computed with the checksum field itself zero.
  putUint16(header, T.checksum.start, internetChecksum(header));
  return MIN_HEADER;
}

/** The length of the header `writeIpv4Header` writes. */
export const IPV4_HEADER_LENGTH = MIN_HEADER;

/** 20-byte header (no options) + payload, with total length and header checksum computed. */
export function encodeIpv4(repr: Ipv4Repr, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(MIN_HEADER + payload.length);
  writeIpv4Header(out, 0, repr, payload.length);
  out.set(payload, MIN_HEADER);
  return out;
}

export function decodeIpv4(bytes: Uint8Array): DecodeResult<Ipv4Decoded> {
  const T = TABLE;
  if (bytes.length < MIN_HEADER) {
    // RFC 791 §3.1: the header without options is 20 bytes.
    return fail('truncated', `IPv4 header needs ${MIN_HEADER} bytes, got ${bytes.length}`, bytes.length);
  }
  const version = readBits(bytes, T.version.start, T.version.bits);
  if (version !== 4) return fail('bad-version', `IP version ${version}, expected 4`, T.version.start);
  const ihlField = wordCountedLength(bytes, T.ihl, MIN_HEADER, 'IHL', 'bad-header-length');
  if (!ihlField.ok) return ihlField;
  const { words: ihl, length: headerLength } = ihlField;
  const dv = view(bytes);
  const totalLength = dv.getUint16(T.totalLength.start);
  if (totalLength < headerLength) {
    // RFC 791 §3.1: Total Length includes the header.
    return fail(
      'bad-total-length',
      `total length ${totalLength} is shorter than the ${headerLength}-byte header`,
      T.totalLength.start,
    );
  }
  if (totalLength > bytes.length) {
    // RFC 791 §3.1: Total Length counts every byte of the packet.
    return fail(
      'truncated',
      `total length says ${totalLength} bytes, only ${bytes.length} present`,
      bytes.length,
    );
  }
  const header = bytes.subarray(0, headerLength);
  const { checksum, ok: checksumOk, value: checksumValue } = verifyChecksum(header, T.checksum.start);

  const dscp = readBits(bytes, T.dscp.start, T.dscp.bits);
  const ecn = readBits(bytes, T.ecn.start, T.ecn.bits);
  const reserved = readBits(bytes, T.reservedFlag.start, T.reservedFlag.bits);
  const dontFragment = readBits(bytes, T.dontFragment.start, T.dontFragment.bits) === 1;
  const moreFragments = readBits(bytes, T.moreFragments.start, T.moreFragments.bits) === 1;
  const fragmentOffset = readBits(bytes, T.fragmentOffset.start, T.fragmentOffset.bits);
  const repr: Ipv4Decoded = {
    src: formatIpv4Address(bytes.subarray(T.src.start, T.src.end)),
    dst: formatIpv4Address(bytes.subarray(T.dst.start, T.dst.end)),
    protocol: bytes[T.protocol.start]!,
    ttl: bytes[T.ttl.start]!,
    identification: dv.getUint16(T.identification.start),
    dontFragment,
    moreFragments,
    fragmentOffset,
    dscp,
    ecn,
    headerLength,
    totalLength,
    checksum,
    checksumOk,
  };
  const setOrNot = (b: boolean): string => (b ? '1 (set)' : '0 (not set)');
  const fields: FieldAnnotation[] = annotate('ipv4', TABLE, {
    version: String(version),
    ihl: `${ihl} (${headerLength} bytes)`,
    dscp: formatDscp(dscp),
    ecn: formatEcn(ecn),
    totalLength: String(totalLength),
    identification: `${hex16(repr.identification)} (${repr.identification})`,
    reservedFlag: reserved ? '1 (set: not allowed)' : '0',
    dontFragment: setOrNot(dontFragment),
    moreFragments: setOrNot(moreFragments),
    fragmentOffset: `${fragmentOffset} (= byte ${fragmentOffset * 8})`,
    ttl: String(repr.ttl),
    protocol: formatIpProtocol(repr.protocol),
    checksum: checksumValue,
    src: repr.src,
    dst: repr.dst,
  });
  if (headerLength > MIN_HEADER) {
    fields.push({
      layer: 'ipv4',
      key: 'options',
      name: 'Options',
      start: MIN_HEADER,
      end: headerLength,
      value: toHex(bytes.subarray(MIN_HEADER, headerLength)),
      // RFC 791 §3.1 (options); RFC 7126 §4: many networks filter packets that carry options.
      meaning:
        'Rarely used extras (RFC 791 §3.1), for example record route; many networks drop packets that carry them.',
    });
  }
  return { ok: true, repr, payload: bytes.subarray(headerLength, totalLength), fields, length: totalLength };
}

export function describeIpv4(repr: Ipv4Repr): string {
  return `IPv4 ${repr.src} → ${repr.dst}, TTL ${repr.ttl}`;
}
