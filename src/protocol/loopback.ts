/**
 * BSD loopback headers: LINKTYPE_NULL (0), a 4-byte address family in the byte order of the machine that
 * wrote the capture, and LINKTYPE_LOOP (108), the same in network byte order (OpenBSD).
 * https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html — AF_INET is 2 everywhere; AF_INET6 is 24
 * (NetBSD, OpenBSD), 28 (FreeBSD) or 30 (macOS), so a reader accepts all three.
 */
import { view } from './bytes';
import { annotate, fail, tableLength, type DecodeResult, type FieldTable } from './fields';

const TABLE = {
  family: {
    name: 'Address family',
    start: 0,
    end: 4,
    // libpcap/pcap/dlt.h DLT_NULL and tcpdump.org LINKTYPE_NULL: AF_INET 2; AF_INET6 24 (NetBSD, OpenBSD),
    // 28 (FreeBSD), 30 (macOS).
    meaning:
      'Which protocol follows, as a BSD AF_ number: 2 = IPv4; 24, 28 or 30 = IPv6 (by operating system).',
  },
} as const satisfies FieldTable<string>;

export const LOOPBACK_HEADER_LENGTH = tableLength(TABLE);
export const AF_INET = 2;
export const AF_INET6_VALUES: readonly number[] = [24, 28, 30];

export interface LoopbackRepr {
  readonly family: number;
  /** What the family means: 4 (IPv4), 6 (IPv6) or null (something else: OSI, IPX …). */
  readonly ip: 4 | 6 | null;
}

/**
 * `network`: LINKTYPE_LOOP (big-endian). For LINKTYPE_NULL the writer's byte order is not recorded; like
 * Wireshark's null dissector, a value with its low 16 bits zero is read the other way round.
 */
export function decodeLoopback(bytes: Uint8Array, network: boolean): DecodeResult<LoopbackRepr> {
  if (bytes.length < LOOPBACK_HEADER_LENGTH) {
    // libpcap/pcap/dlt.h DLT_NULL and DLT_LOOP: a 4-byte family.
    return fail(
      'truncated',
      `loopback header needs ${LOOPBACK_HEADER_LENGTH} bytes, got ${bytes.length}`,
      bytes.length,
    );
  }
  const dv = view(bytes);
  let family = dv.getUint32(0, !network);
  let order = network ? 'network byte order' : 'little-endian';
  if (!network && (family & 0xffff) === 0 && family !== 0) {
    family = dv.getUint32(0, false);
    order = 'big-endian';
  }
  const ip = family === AF_INET ? 4 : AF_INET6_VALUES.includes(family) ? 6 : null;
  const name = ip === 4 ? 'AF_INET, IPv4' : ip === 6 ? 'AF_INET6, IPv6' : 'not IP';
  const fields = annotate('loopback', TABLE, { family: `${family} (${name}; ${order})` });
  return {
    ok: true,
    repr: { family, ip },
    payload: bytes.subarray(LOOPBACK_HEADER_LENGTH),
    fields,
    length: LOOPBACK_HEADER_LENGTH,
  };
}

export function describeLoopback(repr: LoopbackRepr): string {
  return `Loopback, family ${repr.family}${repr.ip ? ` (IPv${repr.ip})` : ''}`;
}
