/**
 * When and how fast to animate a step change. Only a single step forward animates: going back, seeking and
 * jumping show the new state at once, and with `prefers-reduced-motion` nothing moves at all.
 *
 * The animations themselves (and d3 with them) are a separate chunk: `loadStepAnimations` fetches it, which the
 * stage does once the page is idle after its first paint. A step forward taken before it has arrived animates
 * as soon as it does (unless the step has changed again by then).
 */
import { useLayoutEffect, useRef } from 'react';
import { useWirewalk } from '../../state/context';

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
}

export function useStepMotion(): StepMotion {
  const cursor = useWirewalk((s) => s.cursor);
  const speed = useWirewalk((s) => s.speed);
  const reduced = useWirewalk((s) => s.reducedMotion);
  return { cursor, duration: BASE_ANIMATION_MS / speed, reduced };
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
    if (motion.reduced || from === null || motion.cursor !== from + 1) return;
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
  }, [motion.cursor, motion.duration, motion.reduced]);
  useLayoutEffect(() => {
    if (!playing) finish.current?.();
  }, [playing]);
}
