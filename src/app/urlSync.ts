/**
 * The address bar follows the lesson: scenario, view and the current step (`step=`, 1-based), written with
 * history.replaceState so stepping does not fill the back button's history. A link longer than LINK_BUDGET
 * keeps only `lesson` and the view in the query and the rest compressed in a `#z=` fragment (links.ts), which
 * stays the same from step to step: stepping changes only the short query.
 *
 * When it writes: while playing or stepping, at most once every INTERVAL_MS (2 s), the first step of a burst
 * at once; as soon as playback pauses or the step has stayed put for SETTLE_MS (stepping has stopped), the
 * step shown. "At once" is right after the frame that shows the step (state/tasks.ts afterNextPaint), never
 * inside the key press: the step paints first. Browsers refuse more than about a hundred replaceState calls in
 * a few seconds (Safari throws), holding an arrow key repeats thirty times a second, and every write costs the
 * page's main thread more the longer the address is. Measured by scripts/bench-replacestate.ts (Chromium 156,
 * the 2-core bench machine, quiet), calls 150 ms apart (median / max): 0.9 / 1.8 ms with a 10 kB address,
 * 1.3 / 5.6 ms at 22 kB (the 1 000-message link), 6.6 / 13 ms at 50 kB, 14 / 17 ms at 100 kB; back to back,
 * 1.3 / 3.3 ms at 22 kB and 17 / 23 ms at 50 kB (under load: up to 30 ms at 22 kB). So an address longer
 * than LONG_LINK is written only once stepping has stopped. And when opening the link needed correcting (a
 * step past the end, a value out of range, an unknown parameter), the corrected link is written at once.
 */
import { CAPTURE_QUERY, linkFor, linkLength } from '../state/links';
import type { WirewalkStore } from '../state/store';
import { afterNextPaint, whenIdle } from '../state/tasks';

export { linkFor };

/** While playing or stepping, the address bar is written at most this often (ms). */
export const INTERVAL_MS = 2000;
/** Stepping has stopped once the step has stayed put this long (ms): the step shown is written then. */
export const SETTLE_MS = 500;
/** Addresses longer than this (characters) are written only once stepping has stopped. */
export const LONG_LINK = 50_000;

export interface UrlSyncOptions {
  readonly intervalMs?: number;
  readonly settleMs?: number;
  /** The clock (ms); Date.now by default. */
  readonly now?: () => number;
  /**
   * Where a write that is due at once goes: after the frame that shows the change (afterNextPaint), so a
   * key press paints its step before the address is written. Returns a cancel function.
   */
  readonly soon?: (write: () => void) => () => void;
}

export interface UrlTarget {
  readonly location: { readonly pathname: string; readonly hash: string; readonly search: string };
  readonly history: { replaceState(data: unknown, unused: string, url?: string): void };
}

/** The fragment a link carries, if it is Wirewalk's compressed `#z=` part. */
function compressedHash(hash: string): string {
  return hash.startsWith('#z=') ? hash : '';
}

export function syncUrl(store: WirewalkStore, target: UrlTarget, opts: UrlSyncOptions = {}): () => void {
  const interval = opts.intervalMs ?? INTERVAL_MS;
  const settle = opts.settleMs ?? SETTLE_MS;
  const now = opts.now ?? (() => Date.now());
  const soon = opts.soon ?? afterNextPaint;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastWrite = -Infinity;
  let written = target.location.search.replace(/^\?/, '') + compressedHash(target.location.hash);
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const write = () => {
    cancel();
    lastWrite = now();
    const state = store.getState();
    // A capture is not in any link: the address says so rather than naming the placeholder scenario.
    const link = state.timeline.capture ? CAPTURE_QUERY : linkFor(state);
    if (link === written) return;
    written = link;
    // Our own `#z=` goes with the link; any other fragment is left as it was (unless the link brings its own).
    const hash = link.includes('#') || compressedHash(target.location.hash) ? '' : target.location.hash;
    target.history.replaceState(null, '', `${target.location.pathname}?${link}${hash}`);
  };
  const later = (ms: number) => {
    cancel();
    timer = setTimeout(write, Math.max(0, ms));
  };
  // A write due at once, waiting for the frame that shows the change; it writes what is shown by then.
  let cancelSoon: (() => void) | null = null;
  const writeSoon = () => {
    cancel();
    lastWrite = now();
    cancelSoon ??= soon(() => {
      cancelSoon = null;
      write();
    });
  };
  const changed = () => {
    const t = now();
    if (!store.getState().timeline.capture && linkLength(store.getState()) > LONG_LINK) {
      later(settle); // every change starts the wait again: the write comes after the last step of a burst
      return;
    }
    if (cancelSoon) return; // a write is coming after this frame: it takes this change along
    const due = lastWrite + interval - t;
    if (due <= 0) writeSoon();
    else if (store.getState().playing) {
      if (timer === null) later(due);
    } else later(Math.min(due, settle));
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.cursor !== prev.cursor ||
      s.scenario !== prev.scenario ||
      s.view !== prev.view ||
      s.timeline !== prev.timeline
    )
      changed();
    else if (prev.playing && !s.playing && timer !== null) writeSoon();
  });
  // Opening corrected the link: show what is shown.
  if (store.getState().problems.length > 0) write();
  // The first step would otherwise pay for serialising (and compressing) the scenario, 50 ms and a garbage
  // collection for a 1 MB link: do it while the page is idle after opening.
  const cancelWarm = whenIdle(() => void linkLength(store.getState()), 2000);
  return () => {
    unsubscribe();
    cancelWarm();
    cancel();
    cancelSoon?.();
  };
}
