/**
 * Selectors: narrow, and returning values already in the store (no new objects), so subscribers re-render
 * only when their answer changes. The current step is derived here from the timeline and the cursor, never
 * copied into the store.
 */
import { lessonById } from '../lesson/catalogue';
import type { Chapter, LinkFrame, Packet, Step } from '../sim/types';
import { stepRange } from './cursor';
import { inspectedLink, inspectedPacket } from './derive';
import { lessonAside } from './lesson';
import type { WirewalkState } from './store';

export const selectStep = (s: WirewalkState): Step | undefined => s.timeline.steps[s.cursor];
export const selectStepCount = (s: WirewalkState): number => s.timeline.steps.length;
/**
 * The step count as the page writes it ("Step 3 of 2125"): "…" while only a long scenario's first steps are
 * simulated (state/opening.ts), the rest still to come.
 */
export const selectStepTotal = (s: WirewalkState): string =>
  s.timeline.partial ? '…' : String(s.timeline.steps.length);
export const selectChapter = (s: WirewalkState): Chapter | undefined => {
  const id = s.timeline.steps[s.cursor]?.chapter;
  return s.timeline.chapters.find((c) => c.id === id);
};
export const selectPacket = (s: WirewalkState): Packet | undefined => {
  const id = s.timeline.steps[s.cursor]?.packet;
  return id === undefined ? undefined : s.timeline.packets[id];
};
/** The packet the inspector shows (the step's, or the latest on screen); an ARP step's frame comes first. */
export const selectInspected = (s: WirewalkState): Packet | undefined =>
  inspectedPacket(s.timeline, s.cursor);
/** The ARP frame the inspector shows instead of a packet: the step's own, or one no packet step has followed. */
export const selectInspectedLink = (s: WirewalkState): LinkFrame | undefined =>
  inspectedLink(s.timeline, s.cursor);

/** First and last step (0-based) the cursor may visit: the embed range, or the whole timeline. */
export const selectFirstAllowed = (s: WirewalkState): number => stepRange(s.view, s.timeline).first;
export const selectLastAllowed = (s: WirewalkState): number => stepRange(s.view, s.timeline).last;

/** The lesson's aside for the current step (a string, so subscribers re-render only when the words change). */
export const selectAside = (s: WirewalkState): string | undefined => {
  if (!s.lessonContentReady) return undefined;
  const step = s.timeline.steps[s.cursor];
  const lesson = lessonById(s.scenario.lesson);
  return step && lesson ? lessonAside(lesson, step, s.timeline) : undefined;
};

/** The sequence diagram hides the packets that have not happened yet (per mode: presenter or normal). */
export const selectHideFuture = (s: WirewalkState): boolean =>
  s.hideFuture[s.view.present ? 'present' : 'normal'];
