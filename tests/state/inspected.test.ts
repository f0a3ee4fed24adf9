/**
 * What the inspector shows at a step: an ARP step's frame (`Step.link`) instead of the latest packet, kept on
 * the packet-less steps after it, until a packet step shows its packet again.
 */
import { inspectedLink, inspectedPacket } from '../../src/state/derive';
import { linkFrameOf } from '../../src/sim/linkFrame';
import type { Step, Timeline } from '../../src/sim/types';
import { withArpSteps } from '../support/arpSteps';

describe('linkFrameOf', () => {
  const { timeline } = withArpSteps();
  it("finds the sender's frame (hop null) and a router's (hop k)", () => {
    const p0 = timeline.packets[0]!;
    expect(linkFrameOf(timeline, { packet: 0, hop: null, index: 1 })).toBe(p0.arp![1]);
    const routed = p0.hops?.findIndex((h) => (h.arp?.length ?? 0) > 0) ?? -1;
    expect(routed).toBeGreaterThanOrEqual(0);
    expect(linkFrameOf(timeline, { packet: 0, hop: routed, index: 0 })).toBe(p0.hops![routed]!.arp![0]);
  });
  it('is undefined for a link that points at nothing', () => {
    expect(linkFrameOf(timeline, { packet: 0, hop: null, index: 9 })).toBeUndefined();
    expect(linkFrameOf(timeline, { packet: 9999, hop: null, index: 0 })).toBeUndefined();
    expect(linkFrameOf(timeline, { packet: 1, hop: 7, index: 0 })).toBeUndefined();
  });
});

describe('inspectedLink', () => {
  const arp = withArpSteps();
  const frames = arp.timeline.packets[0]!.arp!;

  it('an ARP step shows its frame; the next packet step shows the packet, not the frame', () => {
    expect(inspectedLink(arp.timeline, arp.request)).toBe(frames[0]);
    expect(inspectedLink(arp.timeline, arp.reply)).toBe(frames[1]);
    expect(inspectedLink(arp.timeline, arp.next)).toBeUndefined();
    expect(inspectedPacket(arp.timeline, arp.next)).toBe(arp.timeline.packets[0]);
    expect(inspectedLink(arp.timeline, arp.request - 1)).toBeUndefined();
  });

  it('a packet-less step after an ARP step keeps the frame on screen', () => {
    const note: Step = {
      ...arp.timeline.steps[arp.reply]!,
      kind: 'state',
      title: 'The browser remembers the MAC',
    };
    const { link: _link, ...plain } = note;
    const steps = [
      ...arp.timeline.steps.slice(0, arp.next),
      { ...plain, index: arp.next },
      ...arp.timeline.steps.slice(arp.next).map((s) => ({ ...s, index: s.index + 1 })),
    ];
    const t: Timeline = { ...arp.timeline, steps };
    expect(inspectedLink(t, arp.next)).toBe(frames[1]);
    expect(inspectedLink(t, arp.next + 1)).toBeUndefined();
  });
});
