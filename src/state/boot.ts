/**
 * Start from a link: parse it (problems become a notice), build the timeline, and open at its step.
 * The only place outside sim/ that runs the simulator (views never re-simulate).
 */
import { parseLink } from '../lesson/link';
import { buildTimeline } from '../sim/timeline';
import { createWirewalkStore, type WirewalkStore } from './store';

export function storeFromLink(
  link: string,
  prefs: { readonly theme?: 'light' | 'dark'; readonly reducedMotion?: boolean } = {},
): WirewalkStore {
  const { state, problems } = parseLink(link);
  return createWirewalkStore({
    scenario: state.scenario,
    view: state.view,
    problems,
    build: buildTimeline,
    ...prefs,
  });
}
