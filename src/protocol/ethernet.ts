/**
 * Ethernet II framing (IEEE 802.3 §3.2 with the DIX type field): destination, source, EtherType.
 *
 * Frames here are what a sender-side capture shows: header + payload, without the padding the NIC
 * adds to reach the 60-byte minimum and without the FCS. Both are computed for display only
 * (`ethernetTrailerFields`).
 */
import { concatBytes, hex16, toHex, view } from './bytes';
import { crc32 } from './checksum';
import {
  annotate,
  fail,
  namesByValue,
  tableLength,
  type DecodeResult,
  type FieldAnnotation,
  type FieldTable,
} from './fields';

export const ETHER_TYPES = { IPv4: 0x0800, ARP: 0x0806, IPv6: 0x86dd } as const;
export type EtherTypeName = keyof typeof ETHER_TYPES;

/** Reverse of `ETHER_TYPES`: value → name. */
export const ETHER_TYPE_NAMES = namesByValue(ETHER_TYPES);

const TABLE = {
  dst: {
    name: 'Destination MAC',
    start: 0,
    end: 6,
    // IEEE 802.3 §3.2.3: the destination address names one station, or a group (multicast or broadcast);
    // §4.2.4 (frame reception): a receiver passes up only frames whose destination it recognizes.
    meaning:
      'The network card (or group of cards) this frame is for on the local link; cards it does not name ignore it.',
  },
  src: {
    name: 'Source MAC',
    start: 6,
    end: 12,
    // IEEE 802.3 §3.2.3: the source address identifies the station sending the frame on this link.
    meaning: 'The network card that sent this frame onto this link.',
  },
  etherType: {
    name: 'EtherType',
    start: 12,
    end: 14,
    // IEEE 802.3 §3.2.6: a value of 0x0600 or more is a Type naming the client protocol (IEEE 802 EtherTypes).
    meaning: 'Which protocol the payload belongs to, so the receiver knows who to hand it to.',
  },
} as const satisfies FieldTable<string>;

export const ETHERNET_HEADER_LENGTH = tableLength(TABLE);
export const ETHERNET_MIN_FRAME = 60; // without FCS

/** Values below this are IEEE 802.3 length fields, not EtherTypes (IEEE 802.3 §3.2.6). */
const MIN_ETHER_TYPE = 0x0600;
/** IEEE 802.3 §3.2.9: the frame check sequence, a 32-bit CRC. */
export const FCS_LENGTH = 4;

export interface EthernetRepr {
  readonly dst: string;
  readonly src: string;
  readonly etherType: number;
}

/** `0x0800 (IPv4)`; unknown types print as hex only. */
export function formatEtherType(etherType: number): string {
  const name = ETHER_TYPE_NAMES[etherType];
  return name === undefined ? hex16(etherType) : `${hex16(etherType)} (${name})`;
}

/** Parse `02:00:00:00:00:0a` (either case). Throws RangeError on anything else. */
export function parseMac(s: string): Uint8Array {
  const parts = s.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new RangeError(`not a MAC address: ${JSON.stringify(s)}`);
  }
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** Six bytes as lower-case `02:00:00:00:00:0a`. Throws RangeError for any other length. */
export function formatMac(b: Uint8Array): string {
  // IEEE 802.3 §3.2.3: an address field is 48 bits.
  if (b.length !== 6) throw new RangeError(`a MAC address has 6 bytes, got ${b.length}`);
  return toHex(b, ':');
}

const macCache = new Map<string, Uint8Array>();

/** `parseMac`, remembered (the same two addresses head every frame); the array is only read. */
function macBytes(s: string): Uint8Array {
  let bytes = macCache.get(s);
  if (bytes === undefined) {
    bytes = parseMac(s);
    if (macCache.size > 256) macCache.clear();
    macCache.set(s, bytes);
  }
  return bytes;
}

/** Write the 14-byte header into `out` at `at`. Returns its length. */
export function writeEthernetHeader(out: Uint8Array, at: number, repr: EthernetRepr): number {
  const { etherType } = repr;
  if (!Number.isInteger(etherType) || etherType < MIN_ETHER_TYPE || etherType > 0xffff) {
    // IEEE 802.3 §3.2.6: values below 0x0600 are lengths, not types.
    throw new RangeError(`EtherType must be 0x0600..0xffff, got ${etherType}`);
  }
  const dst = macBytes(repr.dst);
  const src = macBytes(repr.src);
  out.set(dst, at + TABLE.dst.start);
  out.set(src, at + TABLE.src.start);
  out[at + TABLE.etherType.start] = etherType >> 8;
  out[at + TABLE.etherType.start + 1] = etherType & 0xff;
  return ETHERNET_HEADER_LENGTH;
}

export function encodeEthernet(repr: EthernetRepr, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ETHERNET_HEADER_LENGTH + payload.length);
  writeEthernetHeader(out, 0, repr);
  out.set(payload, ETHERNET_HEADER_LENGTH);
  return out;
}

function macMeaning(mac: Uint8Array, base: string): string {
  // IEEE 802.3 §3.2.3: the all-ones address is the broadcast address, for every station on the link.
  if (mac.every((b) => b === 0xff)) return `${base} All ones: broadcast, every card on the link accepts it.`;
  // IEEE 802 §8.2: the least significant bit of the first octet is the individual/group bit.
  if ((mac[0]! & 1) === 1) return `${base} The group bit is set: a multicast address.`;
  return base;
}

export function decodeEthernet(bytes: Uint8Array): DecodeResult<EthernetRepr> {
  if (bytes.length < ETHERNET_HEADER_LENGTH) {
    // IEEE 802.3 §3.2: destination (6), source (6), length/type (2).
    return fail(
      'truncated',
      `Ethernet header needs ${ETHERNET_HEADER_LENGTH} bytes, got ${bytes.length}`,
      bytes.length,
    );
  }
  const etherType = view(bytes).getUint16(TABLE.etherType.start);
  if (etherType < MIN_ETHER_TYPE) {
    // IEEE 802.3 §3.2.6: below 0x0600 the field is a length (an 802.3 frame with an LLC header, IEEE 802.2).
    return fail(
      'not-ethernet-ii',
      `type/length field ${hex16(etherType)} is an IEEE 802.3 length, not an Ethernet II EtherType`,
      TABLE.etherType.start,
    );
  }
  const dstBytes = bytes.subarray(TABLE.dst.start, TABLE.dst.end);
  const srcBytes = bytes.subarray(TABLE.src.start, TABLE.src.end);
  const repr: EthernetRepr = { dst: formatMac(dstBytes), src: formatMac(srcBytes), etherType };
  const fields = annotate('ethernet', TABLE, {
    dst: repr.dst,
    src: repr.src,
    etherType: formatEtherType(etherType),
  }).map((f) =>
    f.key === 'dst'
      ? { ...f, meaning: macMeaning(dstBytes, f.meaning) }
      : f.key === 'src'
        ? { ...f, meaning: macMeaning(srcBytes, f.meaning) }
        : f,
  );
  return {
    ok: true,
    repr,
    payload: bytes.subarray(ETHERNET_HEADER_LENGTH),
    fields,
    length: bytes.length,
  };
}

/** IEEE 802.3 §4.2.3.3: frames shorter than the minimum are padded with zeros before the FCS. */
export function ethernetPadding(frameLength: number): number {
  return Math.max(0, ETHERNET_MIN_FRAME - frameLength);
}

/**
 * The frame check sequence the NIC would append: CRC-32 over the frame plus its padding
 * (IEEE 802.3 §3.2.9). On the wire its bytes go least significant first.
 */
export function ethernetFcs(frame: Uint8Array): number {
  return crc32(concatBytes(frame, new Uint8Array(ethernetPadding(frame.length))));
}

/** `fcs` bytes in transmission order (least significant byte first). */
export function fcsBytes(fcs: number): Uint8Array {
  return Uint8Array.of(fcs & 0xff, (fcs >>> 8) & 0xff, (fcs >>> 16) & 0xff, fcs >>> 24);
}

/**
 * Annotations for what follows the frame on the wire but not in a capture: the padding (if the
 * frame is short) and the FCS, placed at offsets from `frame.length` on.
 */
export function ethernetTrailerFields(frame: Uint8Array): FieldAnnotation[] {
  const padding = ethernetPadding(frame.length);
  const out: FieldAnnotation[] = [];
  if (padding > 0) {
    out.push({
      layer: 'ethernet',
      key: 'padding',
      name: 'Padding',
      start: frame.length,
      end: frame.length + padding,
      value: `${padding} zero byte${padding === 1 ? '' : 's'}`,
      // IEEE 802.3 §4.2.3.3 and §4.4.2: minFrameSize 512 bits (64 bytes with the FCS), one slot time, so a sender
      // still sending can see a collision; §3.2.8: the pad fills a short frame. Linux pads with zeros
      // (include/linux/skbuff.h skb_put_padto, called by the driver); a capture on the sender is taken before that,
      // when the packet is handed to the driver (Linux net/core/dev.c dev_queue_xmit_nit).
      meaning:
        `Ethernet frames must be at least ${ETHERNET_MIN_FRAME} bytes before the checksum (64 with it) so a ` +
        'collision can be detected while the frame is still being sent; the card adds zeros. ' +
        'Captures on the sending machine do not show them.',
    });
  }
  const fcs = ethernetFcs(frame);
  out.push({
    layer: 'ethernet',
    key: 'fcs',
    name: 'Frame check sequence',
    start: frame.length + padding,
    end: frame.length + padding + FCS_LENGTH,
    // Wireshark shows these four bytes in wire order; the CRC value itself is the reverse.
    // IEEE 802.3 §3.2.9: the CRC's bits go out x^31 first, so its bytes read least significant first.
    value: `${toHex(fcsBytes(fcs))} (CRC-32 0x${fcs.toString(16).padStart(8, '0')}, least significant byte first)`,
    // IEEE 802.3 §3.2.9: the CRC-32 covers the frame from the destination address to the end of the padding;
    // a mismatch is an invalid frame (§3.4). A CRC-32 catches every error burst of up to 32 bits and misses
    // other damage about once in 2^32 (Koopman, DSN 2002): high probability, not certainty.
    meaning:
      'A CRC-32 of the frame, added by the network card. The receiver recomputes it and silently drops the ' +
      'frame when the two differ: that catches any burst of up to 32 changed bits, and misses other damage ' +
      'only about once in 4 billion. Captures usually do not show it.',
  });
  return out;
}

export function describeEthernet(repr: EthernetRepr): string {
  return `Ethernet ${repr.src} → ${repr.dst}, type ${formatEtherType(repr.etherType)}`;
}
