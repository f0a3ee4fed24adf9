/**
 * Real timelines of the OSI lesson (built by the simulator) and where their ARP steps (`Step.link`) are: the
 * browser asks for the router's MAC before its first packet (packet 0) can go, the router answers, and only
 * then does layer 2 wrap the packet. With `loss=1` the first request is lost (a 'drop' step) and asked again;
 * with `loss=1,2,3` no request gets through and packet 0 never leaves (`Packet.unresolved`).
 */
import { lessonScenario } from '../../src/lesson/catalogue';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { Timeline } from '../../src/sim/types';

const built = new Map<string, Timeline>();

/** The OSI lesson with these frames lost, built once per test file. */
export function osiTimeline(loss: readonly number[] = []): Timeline {
  const key = loss.join(',');
  let t = built.get(key);
  if (!t) {
    t = buildTimeline({ ...lessonScenario('osi'), loss }, ALL_STORIES);
    built.set(key, t);
  }
  return t;
}

export interface ArpFixture {
  readonly timeline: Timeline;
  /** 0-based steps of the browser's first request and the step after it (the reply, or the request again). */
  readonly request: number;
  readonly reply: number;
  /** The first step after them with a packet: packet 0's, the one that waited for the reply. */
  readonly next: number;
}

/** The browser's ARP steps before packet 0; `lost`: its first request is lost on the wire (loss=1). */
export function withArpSteps(opts: { lost?: boolean } = {}): ArpFixture {
  const timeline = osiTimeline(opts.lost ? [1] : []);
  const request = timeline.steps.findIndex(
    (s) => s.link?.packet === 0 && s.link.hop === null && s.link.index === 0,
  );
  if (request < 0) throw new Error('no ARP step before packet 0');
  const reply = request + 1;
  if (!timeline.steps[reply]?.link) throw new Error('the ARP request is not followed by another ARP step');
  const next = timeline.steps.findIndex((s, i) => i > reply && s.packet !== undefined);
  return { timeline, request, reply, next };
}

/** Packet 0 never leaves: its three requests are lost (loss=1,2,3). `dropped` is the step that gives it up. */
export function neverSent(): { readonly timeline: Timeline; readonly dropped: number } {
  const timeline = osiTimeline([1, 2, 3]);
  if (!timeline.packets[0]?.unresolved) throw new Error('packet 0 was sent after all');
  const dropped = timeline.steps.findIndex((s) => s.packet === 0 && s.kind === 'drop');
  return { timeline, dropped };
}
