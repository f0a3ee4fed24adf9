/**
 * Pure derivations from a timeline, memoised per timeline object (timelines are immutable), so selectors and
 * components can ask for them on every render without recomputing.
 */
import { linkFrameOf } from '../sim/linkFrame';
import type { ConsoleLine, LinkFrame, Packet, Step, Timeline } from '../sim/types';

interface TimelineIndex {
  /** For each step, the packet it concerns or else the latest packet any earlier step concerned; -1 before any. */
  readonly recentPacket: Int32Array;
  /**
   * For each step, the step whose ARP frame (`Step.link`) is the latest thing on screen: the step itself, or an
   * earlier one when no packet step came between; -1 when a packet (or nothing) is.
   */
  readonly recentLink: Int32Array;
  /** Every console line with the step that printed it, in step order. */
  readonly consoleLines: readonly (ConsoleLine & { readonly step: number })[];
  /** For each step, how many console lines have been printed up to and including it. */
  readonly consoleCount: Int32Array;
}

const cache = new WeakMap<Timeline, TimelineIndex>();

function indexOf(timeline: Timeline): TimelineIndex {
  const hit = cache.get(timeline);
  if (hit) return hit;
  const n = timeline.steps.length;
  const recentPacket = new Int32Array(n);
  const recentLink = new Int32Array(n);
  const consoleCount = new Int32Array(n);
  const consoleLines: (ConsoleLine & { step: number })[] = [];
  let recent = -1;
  let link = -1;
  timeline.steps.forEach((step, i) => {
    if (step.packet !== undefined) {
      recent = step.packet;
      link = -1;
    }
    if (step.link !== undefined) link = i;
    recentPacket[i] = recent;
    recentLink[i] = link;
    for (const line of step.console ?? []) consoleLines.push({ ...line, step: i });
    consoleCount[i] = consoleLines.length;
  });
  const index = { recentPacket, recentLink, consoleLines, consoleCount };
  cache.set(timeline, index);
  return index;
}

/** The packet the inspector shows at a step: the step's own, or the one most recently on screen. */
export function inspectedPacket(timeline: Timeline, cursor: number): Packet | undefined {
  const id = indexOf(timeline).recentPacket[cursor];
  return id === undefined || id < 0 ? undefined : timeline.packets[id];
}

/** The ARP frame a step is about (`Step.link`), for the views (which take only types from sim). */
export function stepLinkFrame(
  timeline: Pick<Timeline, 'packets'>,
  step: Step | undefined,
): LinkFrame | undefined {
  return step?.link && linkFrameOf(timeline, step.link);
}

/**
 * The ARP frame the inspector shows at a step instead of a packet: the step's own (`Step.link`), or the one
 * most recently on screen when no packet step has come since. Undefined when a packet is shown.
 */
export function inspectedLink(timeline: Timeline, cursor: number): LinkFrame | undefined {
  const at = indexOf(timeline).recentLink[cursor];
  const link = at === undefined || at < 0 ? undefined : timeline.steps[at]?.link;
  return link && linkFrameOf(timeline, link);
}

/** Console lines printed up to and including step `cursor` (a view of one shared array, no copying per step). */
export function consoleUpTo(
  timeline: Timeline,
  cursor: number,
): readonly (ConsoleLine & { readonly step: number })[] {
  const index = indexOf(timeline);
  const count = index.consoleCount[Math.min(cursor, timeline.steps.length - 1)] ?? 0;
  return index.consoleLines.slice(0, count);
}

export interface RoleConsole {
  /** Every line printed by the hosts of one role, in step order, with the step that printed it. */
  readonly lines: readonly (ConsoleLine & { readonly step: number })[];
  /** For each step, how many of `lines` have been printed up to and including it. */
  readonly countAt: Int32Array;
}

const roleCache = new WeakMap<Timeline, Readonly<Record<'client' | 'server', RoleConsole>>>();

/**
 * The browser's and the server's console over the whole timeline, computed once per timeline: a step shows
 * the first `countAt[step]` lines of each (no filtering or copying per step).
 */
export function consolesByRole(timeline: Timeline): Readonly<Record<'client' | 'server', RoleConsole>> {
  const hit = roleCache.get(timeline);
  if (hit) return hit;
  const { consoleLines, consoleCount } = indexOf(timeline);
  const roleOf = new Map(timeline.hosts.map((h) => [h.id, h.role]));
  const split = (role: 'client' | 'server'): RoleConsole => {
    const mine = consoleLines.map((l) => roleOf.get(l.host) === role);
    const lines = consoleLines.filter((_, i) => mine[i]);
    // Lines before index k in consoleLines that are this role's.
    const before = new Int32Array(consoleLines.length + 1);
    for (let i = 0; i < consoleLines.length; i++) before[i + 1] = before[i]! + (mine[i] ? 1 : 0);
    const countAt = new Int32Array(consoleCount.length);
    for (let step = 0; step < consoleCount.length; step++) countAt[step] = before[consoleCount[step]!]!;
    return { lines, countAt };
  };
  const result = { client: split('client'), server: split('server') };
  roleCache.set(timeline, result);
  return result;
}

/** First step at which two timelines tell a different story (length of the shorter when one extends the other). */
export function firstDifference(a: Timeline, b: Timeline): number {
  const n = Math.min(a.steps.length, b.steps.length);
  for (let i = 0; i < n; i++) {
    const x = a.steps[i]!;
    const y = b.steps[i]!;
    if (
      x.title !== y.title ||
      x.text !== y.text ||
      x.host !== y.host ||
      x.kind !== y.kind ||
      x.packet !== y.packet
    ) {
      return i;
    }
  }
  return n;
}

/**
 * The first step of scenario message `index`: the first step the story marks as sending, carrying or
 * delivering it (`Step.message`) — the `ws.send` frame, the Socket.IO `socket.emit`, the news item published on
 * the polling server. Falls back to `notBefore` (where the timeline stopped matching the previous one) when
 * no step is marked, e.g. a run cut short before the message.
 */
export function messageFirstStep(timeline: Timeline, index: number, notBefore: number): number {
  const first = timeline.steps.findIndex((s) => s.message === index);
  if (first >= 0) return first;
  return Math.min(notBefore, Math.max(0, timeline.steps.length - 1));
}
