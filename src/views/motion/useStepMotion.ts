/**
 * When and how fast to animate a step change. Only a single step forward animates: going back, seeking and
 * jumping show the new state at once, and with `prefers-reduced-motion` nothing moves at all.
 */
import { useLayoutEffect, useRef } from 'react';
import { useWirewalk } from '../../state/context';

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
 * it runs when the step changes again, so pressing next mid-animation finishes it and moves on.
 */
export function useForwardAnimation(
  motion: StepMotion,
  animate: (duration: number) => (() => void) | void,
): void {
  const previous = useRef<number | null>(null);
  const run = useRef(animate);
  useLayoutEffect(() => {
    run.current = animate;
  });
  useLayoutEffect(() => {
    const from = previous.current;
    previous.current = motion.cursor;
    if (motion.reduced || from === null || motion.cursor !== from + 1) return;
    return run.current(motion.duration) ?? undefined;
  }, [motion.cursor, motion.duration, motion.reduced]);
}
