/**
 * What one network card sees of a timeline: the copy of each packet on the card's segment (the sender's
 * frame, or the copy a router forwarded there) and the ARP frames on that segment, at the time the card
 * sends or receives them. Cards: a host's id ('client', 'client-2', 'server'), or a router's card towards
 * the server, 'router-1' … 'router-4' ('router' is 'router-1'). Segment 0 is the browsers' LAN; router k's
 * server-side card is on segment k; the server is on segment `hops` (sim/engine/router.ts).
 */
import { ethernetPadding } from '../protocol/ethernet';
import { concatBytes } from '../protocol/bytes';
import { pathPlan } from './engine/router';
import { NETWORK } from './engine/network';
import type { LinkFrame, Packet, Timeline } from './types';

export interface CardFrame {
  /** Simulated milliseconds. */
  readonly time: number;
  /** As the card has it: a received short frame with the padding the wire adds. */
  readonly data: Uint8Array;
  /** The packet it is a copy of, or for an ARP frame the packet that needed it. */
  readonly packet: number;
  readonly arp: boolean;
  /** True for a frame the card sent. */
  readonly sent: boolean;
}

/** The cards a capture can be taken at, hosts first. */
export function captureCards(t: Timeline): string[] {
  // The routers are hosts of the timeline too (role 'router'); older timelines may lack them.
  const routers = pathPlan(t.scenario.hops, NETWORK.latencyNs).routers.map((r) => r.id);
  const hosts = t.hosts.filter((h) => h.role !== 'router').map((h) => h.id);
  return [...hosts, ...routers];
}

function padded(frame: Uint8Array): Uint8Array {
  const n = ethernetPadding(frame.length);
  return n > 0 ? concatBytes(frame, new Uint8Array(n)) : frame;
}

/** The card's node and segment, or null when the timeline has no such card. */
export function cardPlace(t: Timeline, card: string): { node: string; segment: number } | null {
  const plan = pathPlan(t.scenario.hops, NETWORK.latencyNs);
  const id = card === 'router' ? 'router-1' : card;
  const router = plan.routers.findIndex((r) => r.id === id);
  if (router >= 0) return { node: id, segment: router + 1 };
  const host = t.hosts.find((h) => h.id === id);
  if (!host) return null;
  return { node: id, segment: host.role === 'server' ? plan.hops : 0 };
}

/** Every frame the card sent or received, in time order (received before sent at the same instant). */
export function framesAtCard(t: Timeline, card: string): CardFrame[] | null {
  const place = cardPlace(t, card);
  if (!place) return null;
  const { node, segment } = place;
  const out: (CardFrame & { order: number; rank: number })[] = [];
  const arpFrames = (list: readonly LinkFrame[] | undefined, p: Packet): void => {
    list?.forEach((f, i) => {
      if (f.segment !== segment) return;
      if (f.from === node) out.push(entry(f.sentAt, f.frame, p.id, true, true, i - 10));
      else if (f.lost) return;
      else if (f.to === node || f.to === 'broadcast')
        out.push(entry(f.arrivesAt, padded(f.frame), p.id, true, false, i - 10));
    });
  };
  const entry = (
    time: number,
    data: Uint8Array,
    packet: number,
    arp: boolean,
    sent: boolean,
    rank: number,
  ) => ({
    time,
    data,
    packet,
    arp,
    sent,
    order: sent ? 1 : 0,
    rank,
  });
  for (const p of t.packets) {
    const hops = p.hops ?? [];
    // The copies in path order: the sender's, then each router's; who receives each is the next sender.
    const copies = [
      { from: p.from, segment: p.segment ?? 0, frame: p.frame, sentAt: p.sentAt, arp: p.arp },
      ...hops.map((h) => ({ from: h.at, segment: h.segment, frame: h.frame, sentAt: h.sentAt, arp: h.arp })),
    ];
    copies.forEach((c, i) => {
      arpFrames(c.arp, p);
      // A packet ARP could not send never reached a wire (network.ts ARP_POLICY); its requests did.
      if (c.segment !== segment || p.unresolved) return;
      const to = i + 1 < copies.length ? copies[i + 1]!.from : p.to;
      const arrives = i < hops.length ? hops[i]!.receivedAt : p.arrivesAt;
      if (c.from === node) out.push(entry(c.sentAt, c.frame, p.id, false, true, 0));
      else if (to === node && !p.lost) out.push(entry(arrives, padded(c.frame), p.id, false, false, 0));
    });
  }
  // Microsecond resolution, as the capture file keeps; ties: received first, then by packet, ARP first.
  const us = (ms: number): number => Math.round(ms * 1000);
  out.sort((a, b) => us(a.time) - us(b.time) || a.order - b.order || a.packet - b.packet || a.rank - b.rank);
  return out.map(({ time, data, packet, arp, sent }) => ({ time, data, packet, arp, sent }));
}
