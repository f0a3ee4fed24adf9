/**
 * What the operating system tells us: reduced motion and dark mode. `prefers-reduced-motion` is read in
 * JavaScript because d3 transitions do not see CSS media queries.
 */
import type { WirewalkStore } from '../state/store';

export interface MediaSource {
  matchMedia?(query: string): MediaQueryList;
}

export const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
export const DARK = '(prefers-color-scheme: dark)';

export function initialPrefs(w: MediaSource): { theme: 'light' | 'dark'; reducedMotion: boolean } {
  const match = (q: string) => (typeof w.matchMedia === 'function' ? w.matchMedia(q).matches : false);
  return { theme: match(DARK) ? 'dark' : 'light', reducedMotion: match(REDUCED_MOTION) };
}

/** Follow changes to the reduced-motion setting while the page is open. */
export function watchReducedMotion(store: WirewalkStore, w: MediaSource): () => void {
  if (typeof w.matchMedia !== 'function') return () => {};
  const query = w.matchMedia(REDUCED_MOTION);
  const onChange = (e: MediaQueryListEvent) => store.getState().setReducedMotion(e.matches);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
