/**
 * The simulator's stories as the page has them. The websocket story is in the main bundle; Socket.IO
 * and the polling comparison come with `sim/stories.ts`, fetched the first time a lesson needs them (and
 * in the background once the first step is drawn, so a later lesson change does not wait). Timelines are
 * built with the stories loaded so far: one that is not loaded yet is a one-step timeline saying so.
 */
import { WEBSOCKET_STORY, buildTimeline } from '../sim/timeline';
import type { Scenario, Story } from '../sim/scenario';
import type { StoryBuilders, Timeline } from '../sim/types';

let builders: StoryBuilders = WEBSOCKET_STORY;
let loading: Promise<void> | null = null;

/** `null` when the story can be built now; otherwise a promise that resolves once it can. */
export function ensureStory(story: Story): Promise<void> | null {
  if (builders[story]) return null;
  return loadAllStories();
}

export function loadAllStories(): Promise<void> {
  loading ??= import('../sim/stories').then(
    (m) => {
      builders = m.ALL_STORIES;
    },
    (err: unknown) => {
      loading = null; // e.g. offline before the chunk was cached: let the next call try again
      throw err;
    },
  );
  return loading;
}

/** The timeline of a scenario, told with the stories loaded so far. */
export function buildWithLoadedStories(scenario: Scenario): Timeline {
  return buildTimeline(scenario, builders);
}
