/**
 * The copies of one packet along its path (sim/engine/router.ts): the sender's frame, then each router's. A
 * router forwards a copy with the TTL one less, the IPv4 header checksum recomputed and both MAC addresses
 * rewritten (RFC 1812 §5.3.1; Linux ip_forward, as the reference router, routed/capture.sh); a new frame
 * has a new FCS. The inspector shows the copy at the card the learner picks, with the fields the routers
 * changed marked and their value as the sender wrote it.
 */
import {
  decodeEthernet,
  ethernetFcs,
  ethernetTrailerFields,
  ETHERNET_HEADER_LENGTH,
} from '../../protocol/ethernet';
import { decodeIpv4 } from '../../protocol/ipv4';
import { shiftFields, type FieldAnnotation } from '../../protocol/fields';
import type { Packet, Step, Timeline } from '../../sim/types';

export interface PacketCopy {
  /** 0: the sender's; k: the copy router k on the way forwarded. */
  readonly index: number;
  /** Where the learner sees it: `At Browser's card`, `Between Router 1 and Router 2`, `At Server's card`. */
  readonly label: string;
  readonly frame: Uint8Array;
  /** Its IPv4 TTL. */
  readonly ttl: number;
}

/** The copies of `p`, sender's first; only the sender's when no router forwarded it (one LAN, or lost). */
export function packetCopies(t: Timeline, p: Packet): PacketCopy[] {
  const name = (id: string): string => t.hosts.find((h) => h.id === id)?.label ?? id;
  const hops = p.captured ? [] : (p.hops ?? []);
  const ttlAt = (p.layers.ipv4?.start ?? ETHERNET_HEADER_LENGTH) + 8;
  const copies: PacketCopy[] = [
    {
      index: 0,
      label: hops.length > 0 ? `At ${name(p.from)}'s card` : name(p.from),
      frame: p.frame,
      ttl: p.frame[ttlAt] ?? 0,
    },
  ];
  hops.forEach((h, i) => {
    const last = i === hops.length - 1;
    copies.push({
      index: i + 1,
      label: last ? `At ${name(p.to)}'s card` : `Between ${name(h.at)} and ${name(hops[i + 1]!.at)}`,
      frame: h.frame,
      ttl: h.ttl,
    });
  });
  return copies;
}

/**
 * The copy the step is about: the sender's while it sends, the copy a router took in while it unwraps and
 * the one it sends while it wraps again, the receiver's once it is the receiver's turn.
 */
export function copyAtStep(p: Packet, step: Step | undefined): number {
  const hops = p.captured ? [] : (p.hops ?? []);
  if (!step || hops.length === 0) return 0;
  if (step.host === p.to) return hops.length;
  const at = hops.findIndex((h) => h.at === step.host);
  if (at < 0) return 0;
  return step.kind === 'encapsulate' ? at + 1 : at;
}

export interface CopyView {
  /** `p` as this copy: its frame, its FCS, the Ethernet and IPv4 fields read from its own bytes. */
  readonly packet: Packet;
  /** Index into `packet.fields` → what the sender wrote there, for every field this copy differs in. */
  readonly changed: ReadonlyMap<number, string>;
}

/** `p` as its copy `copy` (the sender's copy is `p` itself, with nothing changed). */
export function packetAsCopy(p: Packet, copy: PacketCopy): CopyView {
  if (copy.index === 0 || copy.frame === p.frame) return { packet: p, changed: new Map() };
  const frame = copy.frame;
  const eth = decodeEthernet(frame);
  const ip = decodeIpv4(frame.subarray(ETHERNET_HEADER_LENGTH));
  const fresh = new Map<string, FieldAnnotation>();
  if (eth.ok) for (const f of eth.fields) fresh.set(`ethernet:${f.key}`, f);
  if (ip.ok) for (const f of shiftFields(ip.fields, ETHERNET_HEADER_LENGTH)) fresh.set(`ipv4:${f.key}`, f);
  for (const f of ethernetTrailerFields(frame)) fresh.set(`ethernet:${f.key}`, f);
  const fields = p.fields.map((f) => fresh.get(`${f.layer}:${f.key}`) ?? f);
  const changed = new Map<number, string>();
  p.fields.forEach((f, i) => {
    const now = fields[i]!;
    if (f.key === 'fcs' && f.layer === 'ethernet') {
      if (now.value !== f.value) changed.set(i, f.value);
      return;
    }
    const end = Math.min(f.end, p.frame.length);
    for (let b = f.start; b < end; b++) {
      if (p.frame[b] !== frame[b]) {
        changed.set(i, f.value);
        return;
      }
    }
  });
  return { packet: { ...p, frame, fcs: ethernetFcs(frame), fields }, changed };
}

/** The mark beside a changed field: who changed it and what the sender wrote. */
export function changedNote(copy: PacketCopy, was: string): string {
  // RFC 1812 §5.3.1: each router on the way takes one from the TTL and writes a new link-layer header.
  const by = copy.index === 1 ? 'the router' : `${copy.index} routers`;
  return `changed by ${by}: was ${was}`;
}
