/**
 * The ARP frame (RFC 826) a step is about (`Step.link`): the sender's, carried by the packet that needed it
 * (`Packet.arp`), or a router's on a later segment (`PacketHop.arp`).
 */
import type { LinkFrame, StepLink, Timeline } from './types';

/** The frame a step's `link` points at: the sender's ARP (`hop` null) or a router's; undefined if there is none. */
export function linkFrameOf(timeline: Pick<Timeline, 'packets'>, link: StepLink): LinkFrame | undefined {
  const packet = timeline.packets[link.packet];
  if (!packet) return undefined;
  const frames = link.hop === null ? packet.arp : packet.hops?.[link.hop]?.arp;
  return frames?.[link.index];
}
