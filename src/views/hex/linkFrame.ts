/**
 * An ARP frame's bytes read back as fields, so the views draw a link frame with the machinery they use for a
 * packet: the field tree and hex dump (the inspector), the blocks on the wire. A link frame carries no fields
 * of its own (sim/types.ts LinkFrame keeps only its bytes): they are decoded here from those bytes by the
 * protocol modules, so the picture cannot disagree with them.
 */
import { decodeArp } from '../../protocol/arp';
import {
  decodeEthernet,
  ethernetFcs,
  ethernetPadding,
  ETHERNET_HEADER_LENGTH,
} from '../../protocol/ethernet';
import { shiftFields, type FieldAnnotation, type ProtoLayer } from '../../protocol/fields';
import type { ByteRange, LinkFrame } from '../../sim/types';

/** A link frame as the views draw a frame: its bytes, their fields, and what the card adds on the cable. */
export interface LinkFrameParts {
  readonly frame: Uint8Array;
  /** Ethernet's fields, then ARP's at their offsets in the frame (14 on). */
  readonly fields: readonly FieldAnnotation[];
  readonly layers: Readonly<Partial<Record<ProtoLayer, ByteRange>>>;
  /** IEEE 802.3 §3.2.8: a 42-byte ARP frame is padded with 18 zero bytes to the 60-byte minimum. */
  readonly padding: number;
  /** IEEE 802.3 §3.2.9: the CRC-32 over the frame and its padding. */
  readonly fcs: number;
}

const partsCache = new WeakMap<LinkFrame, LinkFrameParts>();

/** `link`'s fields, decoded once per frame (frames are immutable). */
export function linkFrameParts(link: LinkFrame): LinkFrameParts {
  const hit = partsCache.get(link);
  if (hit) return hit;
  const frame = link.frame;
  const eth = decodeEthernet(frame);
  const fields: FieldAnnotation[] = [];
  const layers: Partial<Record<ProtoLayer, ByteRange>> = {};
  if (eth.ok) {
    fields.push(...eth.fields);
    layers.ethernet = { start: 0, end: ETHERNET_HEADER_LENGTH };
    const arp = decodeArp(eth.payload);
    if (arp.ok) {
      fields.push(...shiftFields(arp.fields, ETHERNET_HEADER_LENGTH));
      layers.arp = { start: ETHERNET_HEADER_LENGTH, end: ETHERNET_HEADER_LENGTH + arp.length };
    }
  }
  const parts: LinkFrameParts = {
    frame,
    fields,
    layers,
    padding: ethernetPadding(frame.length),
    fcs: ethernetFcs(frame),
  };
  partsCache.set(link, parts);
  return parts;
}
