/**
 * Playing: while `playing`, step forward every `dwellMs / speed` milliseconds (the animation takes the first
 * part of that, the rest is for reading). Runs outside React: a timer and a store subscription.
 */
import type { WirewalkStore } from '../state/store';

/** Time per step at 1×. */
export const DWELL_MS = 2400;

export function startPlaybackClock(store: WirewalkStore, dwellMs = DWELL_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const { playing, speed } = store.getState();
    if (!playing) return;
    timer = setTimeout(() => {
      timer = null;
      store.getState().next();
    }, dwellMs / speed);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.playing !== prev.playing ||
      s.cursor !== prev.cursor ||
      s.speed !== prev.speed ||
      s.timeline !== prev.timeline
    ) {
      arm();
    }
  });
  arm();
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
