/** Steps: what only the built timeline can refuse. */
import type { LinkProblem, ViewState } from './types';

function clampStep(index: number, count: number): number {
  const last = count - 1;
  if (last < 0 || !Number.isFinite(index)) return 0;
  return Math.max(0, Math.min(last, Math.trunc(index)));
}

/**
 * The steps a view lets the cursor visit in a timeline of `count` steps, 0-based and inclusive: every step,
 * or in embed mode the `from`–`to` range (each end clamped to the timeline).
 */
export function viewRange(view: ViewState, count: number): { readonly first: number; readonly last: number } {
  const last = Math.max(0, count - 1);
  if (!view.embed) return { first: 0, last };
  const lo = view.from === null ? 0 : clampStep(view.from - 1, count);
  const hi = view.to === null ? last : clampStep(view.to - 1, count);
  return { first: Math.min(lo, hi), last: Math.max(lo, hi) };
}

/**
 * What the link asked for that only the built timeline (of `count` steps) can refuse: a step past the end,
 * an embed range past the end or a step outside it. `cursor` is the step shown instead (0-based). Each
 * becomes a problem saying what is shown instead.
 */
export function stepProblems(view: ViewState, count: number, cursor: number): LinkProblem[] {
  const steps = `${count} step${count === 1 ? '' : 's'}`;
  const problems: LinkProblem[] = [];
  if (view.embed) {
    for (const param of ['from', 'to'] as const) {
      const n = view[param];
      if (n !== null && n > count) {
        problems.push({
          param,
          message: `${param}=${n} is past the end (${steps}); the range ends at step ${count}`,
          used: String(count),
        });
      }
    }
  }
  if (view.step !== null && view.step - 1 !== cursor) {
    const showing = String(cursor + 1);
    const range = viewRange(view, count);
    const message =
      view.step > count
        ? `step=${view.step} is past the end (${steps}); showing step ${showing}`
        : `step=${view.step} is outside the embedded range (steps ${range.first + 1}` +
          `–${range.last + 1}); showing step ${showing}`;
    problems.push({ param: 'step', message, used: showing });
  }
  return problems;
}
