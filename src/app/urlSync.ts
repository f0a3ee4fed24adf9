/**
 * The address bar follows the lesson: scenario, view and the current step (`step=`, 1-based), written with
 * history.replaceState so stepping does not fill the back button's history. Throttled: browsers refuse
 * more than about a hundred replaceState calls in a few seconds (Safari throws), and holding an arrow key
 * repeats thirty times a second.
 *
 * What a write costs grows with the link, faster than linearly: Chromium 156 spends about 0.2 ms of the page's
 * main thread on replaceState with a 10 kB address, 3 ms at 100 kB, 20 ms at 200 kB and 200 ms at 1 MB (a
 * thousand 1 kB messages), plus a favicon reload after it. Building the link is cheap (links.ts serialises the
 * scenario once and adds the step). So a short link is written at once and then at most once per interval; a
 * long one only once the step has stayed put for `settleMs`, so stepping through a big scenario never waits
 * for the address bar, and the address bar still ends on the step shown.
 */
import { linkFor, linkLength } from '../state/links';
import type { WirewalkStore } from '../state/store';

export { linkFor };

/** Links longer than this (characters) are written only once stepping has settled. */
export const LONG_LINK = 50_000;
/** How long the step must stay put before a long link is written. */
export const SETTLE_MS = 1000;

export interface UrlTarget {
  readonly location: { readonly pathname: string; readonly hash: string; readonly search: string };
  readonly history: { replaceState(data: unknown, unused: string, url?: string): void };
}

/** Run `work` once the page is idle (soon after, where there is no requestIdleCallback: Safari, Node). */
function whenIdle(work: () => void): () => void {
  const idle = globalThis as {
    requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
    cancelIdleCallback?: (id: number) => void;
  };
  if (idle.requestIdleCallback && idle.cancelIdleCallback) {
    const id = idle.requestIdleCallback(work, { timeout: 2000 });
    const cancel = idle.cancelIdleCallback;
    return () => cancel(id);
  }
  const id = setTimeout(work, 0);
  return () => clearTimeout(id);
}

export function syncUrl(
  store: WirewalkStore,
  target: UrlTarget,
  minIntervalMs = 250,
  settleMs = SETTLE_MS,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastWrite = -Infinity;
  let written = target.location.search.replace(/^\?/, '');
  const write = () => {
    timer = null;
    lastWrite = Date.now();
    const query = linkFor(store.getState());
    if (query === written) return;
    written = query;
    target.history.replaceState(null, '', `${target.location.pathname}?${query}${target.location.hash}`);
  };
  const schedule = () => {
    if (linkLength(store.getState()) > LONG_LINK) {
      // Every change starts the wait again: the write comes after the last step of a burst.
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(write, Math.max(minIntervalMs, settleMs));
      return;
    }
    if (timer !== null) return;
    const wait = Math.max(0, lastWrite + minIntervalMs - Date.now());
    timer = setTimeout(write, wait);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.cursor !== prev.cursor || s.scenario !== prev.scenario || s.view !== prev.view) schedule();
  });
  // The first step would otherwise pay for serialising the scenario (50 ms and a garbage collection for a
  // 1 MB link): do it while the page is idle after opening.
  const cancelWarm = whenIdle(() => void linkLength(store.getState()));
  return () => {
    unsubscribe();
    cancelWarm();
    if (timer !== null) clearTimeout(timer);
  };
}
