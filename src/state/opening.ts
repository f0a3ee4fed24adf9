/**
 * A long scenario opens with its first steps. The page simulates up to the step the link opens at (its
 * `step=`, its embed range, or the lesson's start) and OPENING_STEPS more, draws that, and simulates the rest
 * in short slices between the page's frames; the whole timeline then replaces the first steps, the cursor
 * staying where it is (sim/types.ts StoryRun: the steps, packets and states of the first part are those of the
 * whole). A scenario of fewer steps (every lesson as it comes) is simulated whole before its first picture,
 * as before.
 *
 * Wirewalk's choice, for issue 13's "1 000 messages open in under a second": their 2 000-odd steps take a
 * few hundred milliseconds to simulate on a slow machine, and nobody reads step 1 500 first.
 */
import type { ViewState } from '../lesson/link';
import type { Scenario } from '../sim/scenario';
import type { StoryRun, Timeline } from '../sim/types';
import { lessonById, lessonStartFound } from './lesson';
import type { WirewalkStore } from './store';
import { postTask } from './tasks';

/** Steps simulated past the one the link opens at before the first picture (all lessons have fewer). */
export const OPENING_STEPS = 400;

/** How long one slice of the rest may run, ms: well inside a frame at 30 fps, so stepping stays smooth. */
export const SLICE_MS = 12;

/**
 * Advance `run` far enough to open `view` of `scenario` (see the file's comment) and give the timeline so
 * far: whole when the run has ended, else `partial`. `lessonStart`: a link without a step opens at the
 * lesson's start (state/boot.ts), so the start must be among the steps.
 */
export function openingTimeline(
  run: StoryRun,
  scenario: Scenario,
  view: ViewState,
  lessonStart: boolean,
): Timeline {
  // 1-based, as in the link: the step shown and the embed range must be among the steps.
  const asked = Math.max(view.step ?? 0, view.from ?? 0, view.to ?? 0);
  const lesson =
    lessonStart && view.step === null && !(view.embed && view.from !== null)
      ? lessonById(scenario.lesson)
      : undefined;
  let want = asked + OPENING_STEPS;
  for (;;) {
    if (run.advance((steps) => steps >= want)) return run.timeline();
    const sofar = run.timeline();
    const start = lesson ? lessonStartFound(lesson, sofar) : 0;
    if (start !== null && start + OPENING_STEPS <= sofar.steps.length) return sofar;
    // The lesson's start is not among the steps yet, or too near their end: simulate more.
    want = Math.max(want, start ?? 0) + OPENING_STEPS;
  }
}

/**
 * Simulate the rest of the store's opening timeline in slices of SLICE_MS (each posted as its own task, so
 * key presses and frames go between them) until it is whole. Stops by itself when the store's timeline has
 * been replaced meanwhile (another lesson, a message added, a capture opened). Resolves when done.
 */
export function finishOpening(
  store: WirewalkStore,
  now: () => number = () => performance.now(),
  post: (task: () => void) => unknown = postTask,
): Promise<void> {
  return new Promise((resolve) => {
    const slice = (): void => {
      const end = now() + SLICE_MS;
      if (store.getState().buildRest(() => now() >= end)) resolve();
      else post(slice);
    };
    post(slice);
  });
}
