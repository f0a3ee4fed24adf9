/**
 * The address bar follows the lesson: scenario, view and the current step (`step=`, 1-based), written with
 * history.replaceState so stepping does not fill the back button's history. Throttled: browsers refuse
 * more than about a hundred replaceState calls in a few seconds (Safari throws), and holding an arrow key
 * repeats thirty times a second.
 */
import { serialiseLink } from '../lesson/link';
import type { WirewalkState, WirewalkStore } from '../state/store';

export function linkFor(state: Pick<WirewalkState, 'scenario' | 'view' | 'cursor'>): string {
  return serialiseLink(
    { scenario: state.scenario, view: { ...state.view, step: state.cursor + 1 } },
    { includeStep: true, includeView: true },
  );
}

export interface UrlTarget {
  readonly location: { readonly pathname: string; readonly hash: string; readonly search: string };
  readonly history: { replaceState(data: unknown, unused: string, url?: string): void };
}

export function syncUrl(store: WirewalkStore, target: UrlTarget, minIntervalMs = 250): () => void {
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
    if (timer !== null) return;
    const wait = Math.max(0, lastWrite + minIntervalMs - Date.now());
    timer = setTimeout(write, wait);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.cursor !== prev.cursor || s.scenario !== prev.scenario || s.view !== prev.view) schedule();
  });
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
