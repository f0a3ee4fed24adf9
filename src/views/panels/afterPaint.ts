/**
 * Drawing the page in stages: the frame (top bar, narration, playback bar) paints first, the heavy panels
 * (stacks, wire, ladder) in a following frame. The scheduling itself is state/tasks.ts.
 */
import { startTransition, useEffect, useState } from 'react';
import { afterNextPaint } from '../../state/tasks';

/**
 * False on the first render, true from a render after the first frame has painted (a transition, so it never
 * holds up input). `defer = false` is true from the start (tests, and wherever staging is not wanted).
 */
export function useAfterFirstPaint(defer: boolean): boolean {
  const [ready, setReady] = useState(!defer);
  useEffect(() => {
    if (ready) return;
    return afterNextPaint(() => startTransition(() => setReady(true)));
  }, [ready]);
  return ready;
}
