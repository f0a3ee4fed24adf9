/**
 * The steps for ARP (RFC 826): before a card's first frame to its next hop it asks for that hop's MAC
 * (a broadcast request) and the owner answers (a unicast reply). The frames are the engine's
 * (sim/engine/network.ts resolve, carried on `Packet.arp` and `PacketHop.arp`); a step about one has
 * `link` and no `packet`, since the packet that needed it has not left yet.
 */
import { ARP_POLICY, NETWORK, NS_PER_MS } from '../engine/network';
import { pathPlan } from '../engine/router';
import type { LinkFrame, Packet, StepLink } from '../types';
import type { StepDraft } from './recorder';
import type { Narration, RunFacts } from './narration';
import { walkRouters } from './osi';
import { msText } from './phrases';

/** The ARP frame a step's `link` names, or undefined. */
export function linkFrameAt(packets: readonly Packet[], link: StepLink): LinkFrame | undefined {
  const p = packets[link.packet];
  const list = link.hop === null ? p?.arp : p?.hops?.[link.hop]?.arp;
  return list?.[link.index];
}

/** How the narration names a node of the path: 'the browser', 'browser 2', 'the router', 'router 2', 'the server'. */
function nodeName(id: string, routers: number): string {
  if (id === 'client') return 'the browser';
  if (id === 'server') return 'the server';
  const n = id.replace(/^\D+-/, '');
  if (id.startsWith('router')) return routers === 1 ? 'the router' : `router ${n}`;
  return `browser ${n}`;
}

function capital(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/** The IPv4 address asked for (ar$tpa, bytes 24–27 of the ARP packet after the 14-byte Ethernet header). */
function targetIp(f: LinkFrame): string {
  return Array.from(f.frame.subarray(14 + 24, 14 + 28)).join('.');
}

function senderIp(f: LinkFrame): string {
  return Array.from(f.frame.subarray(14 + 14, 14 + 18)).join('.');
}

function senderMac(f: LinkFrame): string {
  return Array.from(f.frame.subarray(14 + 8, 14 + 14), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** What one ARP frame is, said for the learner. `asked` counts the requests so far for this answer (1-based). */
export function narrateArp(
  f: LinkFrame,
  frames: readonly LinkFrame[],
  routers: number,
  serverIp: string,
): Narration {
  const i = frames.indexOf(f);
  const request = f.to === 'broadcast';
  const asked = frames.slice(0, i + 1).filter((x) => x.to === 'broadcast').length;
  const sender = nodeName(f.from, routers);
  // sim/engine/network.ts: what loss=k counts on segment 0 (a capture at the browser's card numbers it so).
  const number = f.wireIndex !== undefined ? ` (frame #${f.wireIndex} on the browser's LAN)` : '';
  const lostText =
    f.lost && f.wireIndex !== undefined
      ? // sim/engine/network.ts: loss=k counts ARP frames on the browsers' LAN; ARP_POLICY is Linux's retry.
        ` It is lost: the link says loss=${f.wireIndex}. No answer will come; ` +
        (asked < ARP_POLICY.requests
          ? `the asker waits ${msText(ARP_POLICY.retryNs / NS_PER_MS)} and asks again (Linux: retrans_time 1 s, up to ${ARP_POLICY.requests} requests).`
          : `that was the last of ${ARP_POLICY.requests} requests: Linux gives up on the address and drops the packets waiting for it.`)
      : '';
  if (request) {
    const ip = targetIp(f);
    // RFC 1122 §3.3.1.1: a destination on the LAN is sent to directly, any other to a gateway.
    const where =
      ip === serverIp
        ? `${ip} is on its own LAN, so it can send straight to it`
        : `${ip} is its next hop towards ${serverIp}`;
    return {
      title: `ARP: who has ${ip}?${asked > 1 ? ` (request ${asked})` : ''}`,
      // RFC 826 "Packet Generation" (request broadcast, ar$tha unknown), RFC 1122 §2.3.2.1 (ARP cache and
      // retries), §3.3.1.1 (a destination off the LAN goes to a gateway); RFC 894 (IPv4 over Ethernet needs
      // the next hop's MAC); IEEE 802.3 §3.2.8 (a 42-byte frame is padded to 60).
      text:
        `${capital(sender)} has a frame to send but no MAC to put on it: ${where}, and its ARP cache has ` +
        `no entry for it. So it broadcasts an ARP request${number} to ff:ff:ff:ff:ff:ff: "Who has ${ip}? ` +
        `Tell ${senderIp(f)}". Every card on this link reads it; only ${ip}'s owner answers. It is ARP, not ` +
        `IP (EtherType 0x0806): 28 bytes in a 42-byte frame, padded to 60. The waiting frame stays in ` +
        `${sender} until the answer comes.${lostText}`,
      curriculum: ['M12'],
    };
  }
  const ip = senderIp(f);
  return {
    title: `ARP: ${ip} is at ${senderMac(f)}`,
    // RFC 826 "Packet Reception": the target adds the sender's pair to its table ("merge") and answers with
    // its own hardware address, sent to the asker alone; Linux arp_process does both.
    text:
      `${capital(sender)} sees its own address asked for. It notes the asker's pair from the request (so it ` +
      `will not need to ask back) and answers to the asker's MAC alone${number}: "${ip} is at ` +
      `${senderMac(f)}".` +
      (f.lost
        ? lostText
        : // Linux net/core/neighbour.c: an entry is REACHABLE for 15-45 s (base_reachable_time_ms 30000),
          // then STALE; used again, it is confirmed by TCP's progress or a unicast probe, not asked by broadcast.
          ' The asker keeps the answer in its ARP cache: this lesson never needs to ask again (Linux keeps an ' +
          'entry while it is in use, confirming it about every half minute without another broadcast).'),
    curriculum: ['M12'],
  };
}

/**
 * The drafts and times of the steps for the ARP frames `p` needed at `hop` (null: its sender), in order.
 * `host` is each frame's sender; a lost frame is a drop.
 */
export function arpSteps(
  p: Packet,
  hop: number | null,
  facts: RunFacts,
): { readonly draft: StepDraft; readonly time: number }[] {
  const frames = (hop === null ? p.arp : p.hops?.[hop]?.arp) ?? [];
  const routers = frames.length > 0 ? routerCount(facts) : 0;
  return frames.map((f, index) => ({
    draft: {
      ...narrateArp(f, frames, routers, facts.server.ip),
      host: f.from,
      layer: 2,
      kind: f.lost ? 'drop' : 'transmit',
      link: { packet: p.id, hop, index },
    },
    time: f.sentAt,
  }));
}

/** The ARP steps of every router on `p`'s way, for a packet whose way is not walked step by step. */
export function routersArpSteps(
  p: Packet,
  facts: RunFacts,
): { readonly draft: StepDraft; readonly time: number }[] {
  return (p.hops ?? []).flatMap((_, i) => arpSteps(p, i, facts));
}

/** How a retransmission names its original: `packet #7`, or the try that never left (ARP had no answer). */
export function originalName(p: Packet | undefined): string {
  // sim/engine/network.ts: wireIndex is what loss=k counts; ARP_POLICY drops a packet ARP cannot send.
  return p && !p.unresolved ? `packet #${p.wireIndex}` : 'the try that never left (ARP had no answer)';
}

/** The step for a packet that never left (`narrateUnresolved`): a drop at its sender's layer 2. */
export function unresolvedStep(
  p: Packet,
  facts: RunFacts,
  more: Pick<StepDraft, 'code' | 'message'> = {},
): StepDraft {
  return { ...narrateUnresolved(p, facts), host: p.from, layer: 2, kind: 'drop', packet: p.id, ...more };
}

/** A packet that never left: ARP got no answer (sim/engine/network.ts ARP_POLICY). */
export function narrateUnresolved(p: Packet, facts: RunFacts): Narration {
  const sender = nodeName(p.from, routerCount(facts));
  return {
    title: `Dropped before the wire: ${p.summary}`, // net/core/neighbour.c neigh_invalidate
    // net/core/neighbour.c neigh_timer_handler / neigh_invalidate (the queued packets are freed); RFC 1122
    // §2.3.2.2 (a host may drop packets waiting for an unresolved address).
    text:
      `${capital(sender)} asked ${ARP_POLICY.requests} times for its next hop's MAC and got no answer, so ` +
      `Linux marks the address as failed and drops the packets that were waiting for it, this one (${p.summary}) ` +
      'included. It never reached the wire. TCP still holds the bytes: when its timer next fires it sends ' +
      'them again, and that try asks ARP afresh.',
    curriculum: ['M12'],
  };
}

/** How many routers the run's path has (what `nodeName` needs). */
export function routerCount(f: RunFacts): number {
  return pathPlan(f.scenario.hops, NETWORK.latencyNs).routers.length;
}

/**
 * The steps of `p`'s way through the routers (steps/osi.ts walkRouters), each at its own time: a router
 * unwraps the frame when it has it and wraps it again when the copy leaves; the ARP frames a router needed
 * for its next hop come between (the copy waits for them).
 */
export function routerWalk(
  p: Packet,
  f: RunFacts,
): { readonly draft: Omit<StepDraft, 'packet' | 'message' | 'code'>; readonly time: number }[] {
  const out: { draft: Omit<StepDraft, 'packet' | 'message' | 'code'>; time: number }[] = [];
  walkRouters(p, f).forEach((r, i) => {
    const hop = p.hops![i]!;
    for (const s of r.steps) {
      if (s.kind === 'encapsulate') out.push(...arpSteps(p, i, f));
      const { layer, kind, ...narration } = s;
      out.push({
        draft: { ...narration, host: r.at, layer, kind },
        time: kind === 'encapsulate' ? hop.sentAt : hop.receivedAt,
      });
    }
  });
  return out;
}

/**
 * The sender's last walk steps (layers 2 and 1) of a packet that waits for ARP: its frame is written once
 * the next hop's MAC is known, so they are told when the frame leaves (the story's `onWire`), after the ARP
 * steps. Packets that need no ARP are told at once, as before.
 */
export class ArpHold {
  private readonly drafts: StepDraft[] = [];
  private readonly waits: boolean;
  constructor(private readonly p: Packet) {
    this.waits = (p.arp?.length ?? 0) > 0;
  }

  /** True when `d` is held for later. */
  hold(d: StepDraft): boolean {
    if (!this.waits || d.layer === null || d.layer > 2) return false;
    this.drafts.push(d);
    return true;
  }

  /** Keep what was held in `store` until the frame leaves. */
  keep(store: Map<number, StepDraft[]>): void {
    if (this.drafts.length > 0) store.set(this.p.id, this.drafts);
  }

  /** What was held for `p` (now leaving, or dropped before it could), removed from `store`. */
  static release(store: Map<number, StepDraft[]>, p: Packet): StepDraft[] {
    const drafts = store.get(p.id) ?? [];
    store.delete(p.id);
    return drafts;
  }
}
