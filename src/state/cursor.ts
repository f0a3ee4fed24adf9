/**
 * Where the cursor may go: every step, or in embed mode with `from=`/`to=` the locked range (the range itself
 * is the link's rule, `viewRange` in lesson/link.ts). Every playback action stays inside it.
 */
import { viewRange, type ViewState } from '../lesson/link';
import type { Timeline } from '../sim/types';

/** The steps the cursor may visit, 0-based and inclusive. */
export function stepRange(
  view: ViewState,
  timeline: Timeline,
): { readonly first: number; readonly last: number } {
  return viewRange(view, timeline.steps.length);
}

/** `index` moved into the steps the cursor may visit (the first of them when it is not a number). */
export function clampToRange(index: number, view: ViewState, timeline: Timeline): number {
  const { first, last } = stepRange(view, timeline);
  if (!Number.isFinite(index)) return first;
  return Math.max(first, Math.min(last, Math.trunc(index)));
}
