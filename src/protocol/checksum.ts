/** The Internet checksum (RFC 1071) and Ethernet's CRC-32 (IEEE 802.3). */
import { hex16 } from './bytes';

/** One's-complement sum of 16-bit big-endian words, folded, before the final complement. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = bytes.length;
  let i = 0;
  for (; i + 1 < n; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < n) sum += bytes[i]! << 8; // RFC 1071 §4.1: pad an odd byte with zero
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** RFC 1071 checksum: the complement of the one's-complement sum (computed with the checksum field zero). */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

/**
 * Check the Internet checksum a decoder found in `bytes` at `at` (a 16-bit field), `initial` being
 * the sum of anything else it covers (a pseudo-header). `value` is the annotation the inspector
 * shows: `0x1c46 (correct)`, or `(wrong, should be …)` with the value computed with the field zero.
 */
export function verifyChecksum(
  bytes: Uint8Array,
  at: number,
  initial = 0,
): { readonly checksum: number; readonly ok: boolean; readonly value: string } {
  const checksum = (bytes[at]! << 8) | bytes[at + 1]!;
  // RFC 1071 §1: correct data, checksum included, sums to all ones.
  const ok = internetChecksum(bytes, initial) === 0;
  if (ok) return { checksum, ok, value: `${hex16(checksum)} (correct)` };
  const zeroed = bytes.slice();
  zeroed[at] = 0;
  zeroed[at + 1] = 0;
  const expected = internetChecksum(zeroed, initial);
  return { checksum, ok, value: `${hex16(checksum)} (wrong, should be ${hex16(expected)})` };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as used by the Ethernet FCS (reflected polynomial 0xEDB88320). `crc32("123456789") = 0xCBF43926`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
