/**
 * IPv6 fixed header (RFC 8200 §3) and the walk over the extension headers a capture reader must step
 * over to reach TCP (RFC 8200 §4: Hop-by-Hop Options, Routing, Destination Options, Fragment; RFC 4302
 * Authentication Header). Addresses print in the RFC 5952 text form (`2001:db8::1`, `::1`).
 */
import { hex8, view } from './bytes';
import {
  annotate,
  fail,
  namesByValue,
  readBits,
  tableLength,
  uintChecker,
  writeBits,
  type DecodeResult,
  type FieldAnnotation,
  type FieldTable,
} from './fields';

/** Next Header values (IANA "Assigned Internet Protocol Numbers") an IPv6 packet commonly carries. */
export const IPV6_NEXT_HEADERS = {
  'Hop-by-Hop': 0,
  TCP: 6,
  UDP: 17,
  Routing: 43,
  Fragment: 44,
  ESP: 50,
  AH: 51,
  ICMPv6: 58,
  'No Next Header': 59,
  'Destination Options': 60,
} as const;
export const IPV6_NEXT_HEADER_NAMES = namesByValue(IPV6_NEXT_HEADERS);

const TABLE = {
  version: {
    name: 'Version',
    start: 0,
    end: 1,
    bits: { start: 0, end: 4 },
    meaning: 'Always 6 for IPv6.',
  },
  trafficClass: {
    name: 'Traffic class',
    start: 0,
    end: 2,
    bits: { start: 4, end: 12 },
    // RFC 8200 §7: the Traffic Class carries DSCP (RFC 2474) and ECN (RFC 3168), as IPv4's former TOS byte.
    meaning: 'DSCP and ECN, as in the IPv4 type-of-service byte (RFC 8200 §7).',
  },
  flowLabel: {
    name: 'Flow label',
    start: 1,
    end: 4,
    bits: { start: 4, end: 24 },
    // RFC 6437 §2 and §3: the source labels the packets of one flow (0 if it labels none), and a router spreading
    // traffic over several paths may use it to keep one flow on one path. Linux derives it from a hash of the
    // flow's addresses and ports (include/net/ipv6.h ip6_make_flowlabel()).
    meaning:
      'A number the sender picks per flow (for example one connection), so routers can keep its packets on one path (RFC 6437); 0 means no label.',
  },
  payloadLength: {
    name: 'Payload length',
    start: 4,
    end: 6,
    // RFC 8200 §3: Payload Length, the rest of the packet after this header, extension headers included.
    meaning: 'Bytes after this 40-byte header (extension headers included). Anything after that is not IP.',
  },
  nextHeader: {
    name: 'Next header',
    start: 6,
    end: 7,
    // RFC 8200 §3 (Next Header) and §4; the values are IANA's Assigned Internet Protocol Numbers (6 TCP).
    meaning: 'What follows this header: an extension header or the transport protocol (6 = TCP).',
  },
  hopLimit: {
    name: 'Hop limit',
    start: 7,
    end: 8,
    // RFC 8200 §3: Hop Limit, decremented by 1 by each node that forwards the packet; discarded at zero.
    meaning: "IPv6's TTL: each router subtracts 1 and drops the packet at 0.",
  },
  src: {
    name: 'Source address',
    start: 8,
    end: 24,
    // RFC 8200 §3: Source Address.
    meaning: 'The IPv6 address of the sender.',
  },
  dst: {
    name: 'Destination address',
    start: 24,
    end: 40,
    // RFC 8200 §3: Destination Address.
    meaning: 'The IPv6 address the packet is going to.',
  },
} as const satisfies FieldTable<string>;

export const IPV6_HEADER_LENGTH = tableLength(TABLE);

export interface Ipv6Repr {
  readonly src: string;
  readonly dst: string;
  /** Next Header of the fixed header (the first extension header, or the transport protocol). */
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly trafficClass: number;
  readonly flowLabel: number;
}

export type Ipv6Decoded = Ipv6Repr & {
  readonly payloadLength: number;
  /** After the extension headers: the transport protocol, and where its header starts. */
  readonly protocol: number;
  readonly transportStart: number;
  /** Set when a Fragment header was met (RFC 8200 §4.5): the transport header is then not reachable here. */
  readonly fragment?: { readonly offset: number; readonly more: boolean; readonly id: number };
  /** Names of the extension headers stepped over, in order. */
  readonly extensions: readonly string[];
};

/** RFC 5952 §4: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6Address(b: Uint8Array): string {
  // RFC 8200 §3 and RFC 4291 §2: an address is 128 bits.
  if (b.length !== 16) throw new RangeError(`an IPv6 address has 16 bytes, got ${b.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  // RFC 5952 §5: an IPv4-mapped address (::ffff:0:0/96) ends in dotted-quad.
  if (bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** Parse an IPv6 address (`::1`, `2001:db8::a`; no zone, no embedded IPv4). Null when it is not one. */
export function tryParseIpv6Address(s: string): Uint8Array | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (t: string): number[] | null => {
    if (t === '') return [];
    const gs = t.split(':');
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
    return gs.map((g) => parseInt(g, 16));
  };
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function formatNextHeader(n: number): string {
  const name = IPV6_NEXT_HEADER_NAMES[n];
  return name === undefined ? hex8(n) : `${name} (${n})`;
}

const checkUint = uintChecker('IPv6');

/** 40-byte fixed header + payload (no extension headers). */
export function encodeIpv6(repr: Ipv6Repr, payload: Uint8Array): Uint8Array {
  checkUint('hop limit', repr.hopLimit, 0xff);
  checkUint('next header', repr.nextHeader, 0xff);
  checkUint('traffic class', repr.trafficClass, 0xff);
  checkUint('flow label', repr.flowLabel, 0xfffff);
  checkUint('payload length', payload.length, 0xffff);
  const src = tryParseIpv6Address(repr.src);
  const dst = tryParseIpv6Address(repr.dst);
  // RFC 4291 §2.2: the text forms of an IPv6 address.
  if (src === null || dst === null) throw new RangeError(`not an IPv6 address: ${repr.src} / ${repr.dst}`);
  const out = new Uint8Array(IPV6_HEADER_LENGTH + payload.length);
  const T = TABLE;
  writeBits(out, T.version.start, T.version.bits, 6);
  writeBits(out, T.trafficClass.start, T.trafficClass.bits, repr.trafficClass);
  writeBits(out, T.flowLabel.start, T.flowLabel.bits, repr.flowLabel);
  view(out).setUint16(T.payloadLength.start, payload.length);
  out[T.nextHeader.start] = repr.nextHeader;
  out[T.hopLimit.start] = repr.hopLimit;
  out.set(src, T.src.start);
  out.set(dst, T.dst.start);
  out.set(payload, IPV6_HEADER_LENGTH);
  return out;
}

/** RFC 8200 §4.3–4.6 and RFC 4302 §2: extension headers a reader steps over by their length byte. */
const SKIPPABLE: { readonly [n: number]: 'hbh' | 'routing' | 'dstopts' | 'ah' } = {
  0: 'hbh',
  43: 'routing',
  60: 'dstopts',
  51: 'ah',
};

/**
 * The fixed header and the extension headers after it. `payload` is what follows the last extension header
 * (the transport header), cut at the payload length; when the packet was cut short by the capture, use
 * `allowShort` to read what is there (the payload then ends where the bytes do).
 */
export function decodeIpv6(
  bytes: Uint8Array,
  opts?: { readonly allowShort?: boolean },
): DecodeResult<Ipv6Decoded> {
  const T = TABLE;
  if (bytes.length < IPV6_HEADER_LENGTH) {
    // RFC 8200 §3: the fixed header is 40 bytes.
    return fail(
      'truncated',
      `IPv6 header needs ${IPV6_HEADER_LENGTH} bytes, got ${bytes.length}`,
      bytes.length,
    );
  }
  const version = readBits(bytes, T.version.start, T.version.bits);
  if (version !== 6) return fail('bad-version', `IP version ${version}, expected 6`, T.version.start);
  const dv = view(bytes);
  const payloadLength = dv.getUint16(T.payloadLength.start);
  const declaredEnd = IPV6_HEADER_LENGTH + payloadLength;
  if (declaredEnd > bytes.length && !opts?.allowShort) {
    // RFC 8200 §3: Payload Length counts every byte after the fixed header.
    return fail(
      'truncated',
      `payload length says ${payloadLength} bytes, only ${bytes.length - 40} present`,
      bytes.length,
    );
  }
  const end = Math.min(declaredEnd, bytes.length);
  const repr: Ipv6Repr = {
    src: formatIpv6Address(bytes.subarray(T.src.start, T.src.end)),
    dst: formatIpv6Address(bytes.subarray(T.dst.start, T.dst.end)),
    nextHeader: bytes[T.nextHeader.start]!,
    hopLimit: bytes[T.hopLimit.start]!,
    trafficClass: readBits(bytes, T.trafficClass.start, T.trafficClass.bits),
    flowLabel: readBits(bytes, T.flowLabel.start, T.flowLabel.bits),
  };
  const fields: FieldAnnotation[] = annotate('ipv6', TABLE, {
    version: String(version),
    trafficClass: `${hex8(repr.trafficClass)} (DSCP ${repr.trafficClass >> 2}, ECN ${repr.trafficClass & 3})`,
    flowLabel: `0x${repr.flowLabel.toString(16).padStart(5, '0')}`,
    payloadLength: String(payloadLength),
    nextHeader: formatNextHeader(repr.nextHeader),
    hopLimit: String(repr.hopLimit),
    src: repr.src,
    dst: repr.dst,
  });
  const extensions: string[] = [];
  let next = repr.nextHeader;
  let at = IPV6_HEADER_LENGTH;
  let fragment: Ipv6Decoded['fragment'];
  while (fragment === undefined) {
    const kind = SKIPPABLE[next];
    if (next === IPV6_NEXT_HEADERS.Fragment) {
      // RFC 8200 §4.5: next header, reserved, offset (13 bits) + 2 reserved + M, identification: 8 bytes.
      // RFC 8200 §4.5: the Fragment header is 8 bytes.
      if (at + 8 > end) return fail('truncated', 'IPv6 fragment header cut short', end);
      const offAndM = dv.getUint16(at + 2);
      fragment = { offset: offAndM >> 3, more: (offAndM & 1) === 1, id: dv.getUint32(at + 4) };
      fields.push({
        layer: 'ipv6',
        key: 'fragmentHeader',
        name: 'Fragment header',
        start: at,
        end: at + 8,
        value: `next ${formatNextHeader(bytes[at]!)}, offset ${fragment.offset * 8}, ${fragment.more ? 'more fragments' : 'last fragment'}, id ${fragment.id}`,
        // RFC 8200 §4.5: only the source fragments in IPv6; routers never do.
        meaning: 'This packet is one piece of a larger one, split by its sender (RFC 8200 §4.5).',
      });
      extensions.push('Fragment');
      next = bytes[at]!;
      at += 8;
      break;
    }
    if (kind === undefined) break;
    // RFC 8200 §4.3: next header and length are the first two bytes.
    if (at + 2 > end) return fail('truncated', `IPv6 ${formatNextHeader(next)} header cut short`, end);
    // RFC 8200 §4.3: length in 8-byte units not counting the first 8; RFC 4302 §2.2: AH counts 4-byte units minus 2.
    const length = kind === 'ah' ? (bytes[at + 1]! + 2) * 4 : (bytes[at + 1]! + 1) * 8;
    // RFC 8200 §4: an extension header lies inside the payload length.
    if (at + length > end)
      return fail('truncated', `IPv6 ${formatNextHeader(next)} header runs past the packet`, end);
    fields.push({
      layer: 'ipv6',
      key: `ext${kind}`,
      name: `${IPV6_NEXT_HEADER_NAMES[next] ?? 'Extension'} header`,
      start: at,
      end: at + length,
      value: `next ${formatNextHeader(bytes[at]!)}, ${length} bytes`,
      // RFC 8200 §4.3–4.6 (length in 8-byte units) and RFC 4302 §2.2 (AH).
      meaning: 'An extension header (RFC 8200 §4); its length byte lets a receiver step over it.',
    });
    extensions.push(IPV6_NEXT_HEADER_NAMES[next] ?? String(next));
    next = bytes[at]!;
    at += length;
  }
  const decoded: Ipv6Decoded = {
    ...repr,
    payloadLength,
    protocol: next,
    transportStart: at,
    extensions,
    ...(fragment ? { fragment } : {}),
  };
  return { ok: true, repr: decoded, payload: bytes.subarray(at, end), fields, length: end };
}

export function describeIpv6(repr: Ipv6Repr): string {
  return `IPv6 ${repr.src} → ${repr.dst}, hop limit ${repr.hopLimit}`;
}
