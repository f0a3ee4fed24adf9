/**
 * Start from a link: parse it (problems become a notice), build the timeline, and open at its step.
 * The only place outside sim/ that runs the simulator (views never re-simulate). A link without a step opens
 * with the lesson's introduction showing, except in embed and presenter mode, where the stage speaks for itself.
 */
import { parseLink } from '../lesson/link';
import { buildTimeline } from '../sim/core';
import { ensureStory } from './stories';
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
    prepare: ensureStory,
    intro: state.view.step === null && !state.view.embed && !state.view.present,
    ...prefs,
  });
}

/**
 * The same, for the page: first loads the story the link needs when it is not in the main bundle
 * (Socket.IO, the comparison), so the first picture is already the right story.
 */
export async function loadStoreFromLink(
  link: string,
  prefs: { readonly theme?: 'light' | 'dark'; readonly reducedMotion?: boolean } = {},
): Promise<WirewalkStore> {
  const { state } = parseLink(link);
  try {
    await ensureStory(state.scenario.story);
  } catch {
    // The story's chunk could not be fetched: buildTimeline falls back to the websocket story and says so.
  }
  return storeFromLink(link, prefs);
}
