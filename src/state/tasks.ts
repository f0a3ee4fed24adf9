/**
 * When work runs, relative to the page's frames: one place for the three ways Wirewalk puts work off.
 *
 * - postTask: soon, as its own task after the page's pending work: a MessageChannel message to itself (HTML
 *   "posted message" tasks have no timer clamping, where nested setTimeout(0) waits ≥ 4 ms). The rest of a
 *   long scenario is simulated in such tasks (state/opening.ts), so key presses and frames go between them.
 * - afterNextPaint: requestAnimationFrame runs just before a frame's style, layout and paint; a task posted
 *   from it runs after that frame has painted. The page is drawn in stages with it (the frame first, the heavy
 *   panels next), and work a key press causes but the picture does not need (writing the address bar) waits
 *   for it, so the new step is on screen first.
 * - whenIdle: requestIdleCallback, at most `timeout` ms later (the service worker's precaching, warming a
 *   cache).
 *
 * Where a browser lacks one of these (jsdom, Node, a hidden iframe that never gets frames, Safari without
 * requestIdleCallback), a timeout stands in, so nothing waits forever. Each returns a cancel function.
 */

type IdleGlobal = typeof globalThis & {
  requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
};

/** Calls `task` soon, in a task of its own after the page's pending work; returns a cancel function. */
export function postTask(task: () => void): () => void {
  let cancelled = false;
  if (typeof MessageChannel !== 'function') {
    const id = setTimeout(task, 0);
    return () => clearTimeout(id);
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (!cancelled) task();
  };
  channel.port2.postMessage(null);
  return () => {
    cancelled = true;
    channel.port1.close();
  };
}

/** A background tab gets no frames: after this long (ms) afterNextPaint runs its work anyway. */
export const NO_FRAME_MS = 250;

/** Calls `run` in a task after the next frame has painted; returns a cancel function. */
export function afterNextPaint(run: () => void): () => void {
  let cancelled = false;
  let cancelTask: (() => void) | null = null;
  const go = () => {
    clearTimeout(fallback);
    if (!cancelled) run();
    cancelled = true;
  };
  const fallback = setTimeout(go, NO_FRAME_MS);
  const frame =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => {
          cancelTask = postTask(go);
        })
      : 0;
  return () => {
    cancelled = true;
    clearTimeout(fallback);
    cancelTask?.();
    if (frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
  };
}

/** Calls `run` once the page is idle (requestIdleCallback, at most `timeout` ms later); returns a cancel function. */
export function whenIdle(run: () => void, timeout = 5000): () => void {
  const idle = globalThis as IdleGlobal;
  if (idle.requestIdleCallback && idle.cancelIdleCallback) {
    const id = idle.requestIdleCallback(run, { timeout });
    const cancel = idle.cancelIdleCallback;
    return () => cancel(id);
  }
  const id = setTimeout(run, Math.min(200, timeout));
  return () => clearTimeout(id);
}
