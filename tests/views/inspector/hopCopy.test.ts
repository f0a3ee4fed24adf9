/**
 * The inspector's copies of a packet across routers (views/inspector/hopCopy.ts): the server's card gets a
 * copy with TTL 63, a new header checksum and both MACs rewritten (RFC 1812 §5.3.1), and exactly those
 * fields (and the FCS of the new frame) are marked with what the browser wrote.
 */
import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/lesson/link';
import { ALL_STORIES } from '../../../src/sim/stories';
import { buildTimeline } from '../../../src/sim/timeline';
import { changedNote, copyAtStep, packetAsCopy, packetCopies } from '../../../src/views/inspector/hopCopy';

const timeline = (link: string) => buildTimeline(parseLink(link).state.scenario, ALL_STORIES);

describe('the copies of a packet', () => {
  const t = timeline('lesson=websocket');
  const syn = t.packets[0]!;

  it("one router: the browser's card and the server's card, TTL 64 and 63", () => {
    const copies = packetCopies(t, syn);
    expect(copies.map((c) => [c.label, c.ttl])).toEqual([
      ["At Browser's card", 64],
      ["At Server's card", 63],
    ]);
  });

  it('marks TTL, header checksum, both MACs and the FCS, each with the value the browser wrote', () => {
    const [, server] = packetCopies(t, syn);
    const view = packetAsCopy(syn, server!);
    const marked = [...view.changed].map(([i, was]) => [
      syn.fields[i]!.layer,
      syn.fields[i]!.key,
      view.packet.fields[i]!.value !== was,
    ]);
    expect(marked.map(([l, k]) => `${l}:${k}`).sort()).toEqual(
      ['ethernet:dst', 'ethernet:src', 'ethernet:fcs', 'ipv4:ttl', 'ipv4:checksum'].sort(),
    );
    expect(marked.every(([, , differs]) => differs)).toBe(true);
    const ttl = syn.fields.findIndex((f) => f.layer === 'ipv4' && f.key === 'ttl');
    expect(view.packet.fields[ttl]!.value).toBe('63');
    expect(changedNote(server!, view.changed.get(ttl)!)).toBe('changed by the router: was 64');
    const dst = syn.fields.findIndex((f) => f.layer === 'ethernet' && f.key === 'dst');
    expect(view.changed.get(dst)).toBe('02:00:00:00:00:01');
    expect(view.packet.fields[dst]!.value).toBe('02:00:00:00:00:14');
    // The same bytes as the router's capture, and nothing above IPv4 touched.
    expect(view.packet.frame).toBe(syn.hops![0]!.frame);
    const tcp = syn.fields.filter((f) => f.layer === 'tcp');
    expect(view.packet.fields.filter((f) => f.layer === 'tcp')).toEqual(tcp);
    expect(packetAsCopy(syn, packetCopies(t, syn)[0]!).changed.size).toBe(0);
  });

  it("follows the step: the sender's copy while it sends, the router's in and out, the receiver's", () => {
    const steps = t.steps.filter((s) => s.packet === 0);
    const at = (pred: (s: (typeof steps)[number]) => boolean) => copyAtStep(syn, steps.find(pred));
    expect(at((s) => s.host === 'client')).toBe(0);
    expect(at((s) => s.host === 'router-1' && s.kind === 'decapsulate')).toBe(0);
    expect(at((s) => s.host === 'router-1' && s.kind === 'encapsulate')).toBe(1);
    expect(at((s) => s.host === 'server')).toBe(1);
  });

  it('three routers: copies between them, "changed by 2 routers"; one LAN: one copy', () => {
    const t3 = timeline('lesson=websocket&hops=3');
    const copies = packetCopies(t3, t3.packets[0]!);
    expect(copies.map((c) => [c.label, c.ttl])).toEqual([
      ["At Browser's card", 64],
      ['Between Router 1 and Router 2', 63],
      ['Between Router 2 and Router 3', 62],
      ["At Server's card", 61],
    ]);
    expect(changedNote(copies[2]!, '64')).toBe('changed by 2 routers: was 64');
    const lan = timeline('lesson=websocket&hops=0');
    expect(packetCopies(lan, lan.packets[0]!)).toHaveLength(1);
  });
});
