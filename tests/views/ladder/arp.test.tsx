// @vitest-environment jsdom
/**
 * The ladder on steps about ARP frames (`Step.link`, no packet) and with a packet that never left
 * (`Packet.unresolved`: ARP got no answer): nothing crashes, no arrow is current while the browser asks, and
 * a packet that crossed no wire has no arrow.
 */
import { act, screen } from '@testing-library/react';
import type { Timeline } from '../../../src/sim/types';
import { LadderDiagram } from '../../../src/views/ladder/LadderDiagram';
import { ladderIndex, ladderLayout } from '../../../src/views/ladder/layout';
import { neverSent, withArpSteps } from '../../support/arpSteps';
import { renderWithStore } from '../../support/renderWithStore';

const opts = { width: 600, top: 0, height: 100_000, rowHeight: 40, pad: 10, margin: 50, headerHeight: 20 };
const arp = withArpSteps();
const arrowsAt = (t: Timeline, cursor: number) => ladderLayout(t, { ...opts, cursor });

describe('ladder layout with ARP steps', () => {
  it("the browser's ARP steps sit just above the waiting packet's arrow, none current; its own step makes it current", () => {
    for (const cursor of [arp.request, arp.reply]) {
      const layout = arrowsAt(arp.timeline, cursor);
      expect(layout.arrows.filter((a) => a.time === 'current')).toEqual([]);
      const waiting = layout.arrows.find((a) => a.packet === 0)!;
      expect(waiting.time).toBe('future');
      expect(layout.cursorY).toBeLessThan(waiting.y1);
    }
    const next = arrowsAt(arp.timeline, arp.next);
    expect(next.arrows.filter((a) => a.time === 'current').map((a) => a.packet)).toEqual([0]);
  });

  it("a router's ARP step keeps the packet on its way current", () => {
    const routed = arp.timeline.steps.findIndex((s) => s.link?.packet === 0 && s.link.hop !== null);
    expect(routed).toBeGreaterThan(arp.next);
    const layout = arrowsAt(arp.timeline, routed);
    expect(layout.arrows.filter((a) => a.time === 'current').map((a) => a.packet)).toEqual([0]);
  });

  it('a packet that never left has no row and no arrow; its steps sit between rows', () => {
    const { timeline: t, dropped } = neverSent();
    const index = ladderIndex(t);
    expect(index.rowPacket).toHaveLength(t.packets.length - 1);
    expect([...index.rowPacket]).not.toContain(0);
    expect(index.packetRow[0]).toBe(-1);
    const all = arrowsAt(t, 0).arrows;
    expect(all.map((a) => a.packet)).not.toContain(0);
    expect(all).toHaveLength(t.packets.length - 1);
    expect(Number.isInteger(index.stepRow[dropped])).toBe(false);
    expect(arrowsAt(t, dropped).arrows.filter((a) => a.time === 'current')).toEqual([]);
  });
});

describe('LadderDiagram with ARP steps', () => {
  const arrows = () => screen.getAllByRole('button', { name: /^Packet \d+/ });

  it('draws the packets, none current on an ARP step, and skips a packet that never left', () => {
    const { store } = renderWithStore(<LadderDiagram />, { timeline: arp.timeline, step: arp.request + 1 });
    // The diagram draws a screenful (virtualised): the first arrows.
    expect(arrows().length).toBeGreaterThan(2);
    expect(arrows().filter((a) => a.getAttribute('aria-current') === 'step')).toEqual([]);
    act(() => store.getState().seek(arp.next));
    expect(arrows().filter((a) => a.getAttribute('aria-current') === 'step')).toHaveLength(1);
  });

  it('draws no arrow for a packet that never left (it would be "Packet 0")', () => {
    const never = neverSent();
    renderWithStore(<LadderDiagram />, { timeline: never.timeline, step: never.dropped + 1 });
    expect(arrows().length).toBeGreaterThan(2);
    expect(screen.queryByRole('button', { name: /^Packet 0\b/ })).toBeNull();
    expect(arrows().filter((a) => a.getAttribute('aria-current') === 'step')).toEqual([]);
  });
});
