/**
 * "After the next paint" and "once the page is idle", for drawing the page in stages: the frame (top bar,
 * narration, playback bar) paints first, the heavy panels (stacks, wire, ladder) in a following frame, and
 * background work (the service worker's precaching) waits until both are up and the page is idle.
 *
 * afterNextPaint: requestAnimationFrame runs just before a frame's style, layout and paint; a MessageChannel
 * message posted from it is a task that runs after that frame has painted. Without requestAnimationFrame (jsdom
 * without pretendToBeVisual, a hidden iframe never gets frames) a timeout stands in, so nothing waits forever.
 */
import { startTransition, useEffect, useState } from 'react';

type IdleWindow = Window & {
  requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
};

/** Calls `run` in a task after the next frame has painted; returns a cancel function. */
export function afterNextPaint(run: () => void): () => void {
  let cancelled = false;
  const go = () => {
    if (!cancelled) run();
  };
  // A background tab gets no frames: the timeout makes sure the stage still completes.
  const fallback = setTimeout(go, 250);
  const done = () => {
    clearTimeout(fallback);
    go();
  };
  let frame = 0;
  if (typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      if (typeof MessageChannel === 'function') {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          done();
        };
        channel.port2.postMessage(null);
      } else setTimeout(done, 0);
    });
  }
  return () => {
    cancelled = true;
    clearTimeout(fallback);
    if (frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
  };
}

/** Calls `run` once the page is idle (requestIdleCallback, at most `timeout` ms later); returns a cancel function. */
export function whenIdle(run: () => void, timeout = 5000): () => void {
  const w = typeof window === 'undefined' ? undefined : (window as IdleWindow);
  if (w?.requestIdleCallback && w.cancelIdleCallback) {
    const id = w.requestIdleCallback(run, { timeout });
    return () => w.cancelIdleCallback!(id);
  }
  const id = setTimeout(run, 200);
  return () => clearTimeout(id);
}

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
