/**
 * When and how fast to animate a step change. Only a single step forward animates: going back, seeking and
 * jumping show the new state at once, and with `prefers-reduced-motion` nothing moves at all.
 *
 * Hurried steps do not animate either (Wirewalk's choice): a step that comes sooner after the one before than
 * that step's animation takes (600 ms at 1×; a held arrow key, a teacher clicking through to a slide) would
 * only start a motion that the next step cuts off, and the frames would go to motion nobody sees. Motion comes
 * back with the first step taken at a reading pace. The time comes from the store's `stepClock` (the page's
 * performance.now()); without one (tests of other things) no step is hurried.
 *
 * The animations themselves (and d3 with them) are a separate chunk: `loadStepAnimations` fetches it, which the
 * stage does once the page is idle after its first paint. A step forward taken before it has arrived animates
 * as soon as it does (unless the step has changed again by then).
 */
import { useLayoutEffect, useRef } from 'react';
import { useWirewalk, useWirewalkStore } from '../../state/context';
import type { WirewalkStore } from '../../state/store';

export type StepAnimations = typeof import('./stepAnimations');

let animations: StepAnimations | null = null;
let loading: Promise<StepAnimations> | null = null;

export function loadStepAnimations(): Promise<StepAnimations> {
  loading ??= import('./stepAnimations').then(
    (m) => (animations = m),
    (error: unknown) => {
      // Try again next time (a flaky network while the page was idle); meanwhile steps simply do not animate.
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** Animation length at 1×, in ms; playback speed divides it. */
export const BASE_ANIMATION_MS = 600;

export interface StepMotion {
  readonly cursor: number;
  readonly duration: number;
  readonly reduced: boolean;
  /** This step came sooner after the one before than an animation takes: show it at once. */
  readonly hurried: boolean;
}

/** The step a store last moved to, when, and whether that was hurried: worked out once per step for every view. */
interface Pace {
  cursor: number | null;
  at: number;
  hurried: boolean;
}
const paces = new WeakMap<WirewalkStore, Pace>();

export function useStepMotion(): StepMotion {
  const store = useWirewalkStore();
  const cursor = useWirewalk((s) => s.cursor);
  const speed = useWirewalk((s) => s.speed);
  const reduced = useWirewalk((s) => s.reducedMotion);
  const clock = useWirewalk((s) => s.stepClock);
  const duration = BASE_ANIMATION_MS / speed;
  // Read and written while rendering, once per step and store: the first view to render a new step asks the
  // clock; the others (and a second render of the same step: StrictMode, another store change) find the
  // cursor unchanged and share its answer.
  let p = paces.get(store);
  if (!p) paces.set(store, (p = { cursor: null, at: -Infinity, hurried: false }));
  if (p.cursor !== cursor) {
    // Opening the page is no step (`at` stays -Infinity): the first step after it is never hurried.
    const now = clock && p.cursor !== null ? clock() : -Infinity;
    p.hurried = now > -Infinity && now - p.at < duration;
    p.cursor = cursor;
    p.at = now;
  }
  return { cursor, duration, reduced, hurried: p.hurried };
}

/**
 * Run `animate` after the DOM shows step `cursor`, when it is exactly one step after the previous one.
 * `animate` returns a function that stops the animation and leaves the final state (what React rendered);
 * it runs when the step changes again, so pressing next mid-animation finishes it and moves on, and when
 * playback pauses, so the pause control stops all motion at once (WCAG 2.2 SC 2.2.2).
 */
export function useForwardAnimation(
  motion: StepMotion,
  animate: (duration: number, d3: StepAnimations) => (() => void) | void,
): void {
  const previous = useRef<number | null>(null);
  const run = useRef(animate);
  const finish = useRef<(() => void) | null>(null);
  const playing = useWirewalk((s) => s.playing);
  useLayoutEffect(() => {
    run.current = animate;
  });
  useLayoutEffect(() => {
    const from = previous.current;
    previous.current = motion.cursor;
    if (motion.reduced || motion.hurried || from === null || motion.cursor !== from + 1) return;
    let stopped = false;
    let stop: (() => void) | void;
    if (animations) stop = run.current(motion.duration, animations);
    else
      loadStepAnimations().then(
        (loaded) => {
          if (!stopped) stop = run.current(motion.duration, loaded);
        },
        () => {},
      );
    const end = () => {
      if (stopped) return;
      stopped = true;
      stop?.();
    };
    finish.current = end;
    return end;
  }, [motion.cursor, motion.duration, motion.reduced, motion.hurried]);
  useLayoutEffect(() => {
    if (!playing) finish.current?.();
  }, [playing]);
}
