/**
 * Loading the simulator's larger stories on demand. The websocket story is in the main bundle; Socket.IO
 * and the polling comparison come with `sim/stories.ts`, fetched the first time a lesson needs them (and
 * in the background once the first step is drawn, so a later lesson change does not wait).
 */
import { storyLoaded } from '../sim/core';
import type { Story } from '../sim/scenario';

let loading: Promise<void> | null = null;

/** `null` when the story can be built now; otherwise a promise that resolves once it can. */
export function ensureStory(story: Story): Promise<void> | null {
  if (storyLoaded(story)) return null;
  return loadAllStories();
}

export function loadAllStories(): Promise<void> {
  loading ??= import('../sim/stories').then(
    (m) => m.registerAllStories(),
    (err: unknown) => {
      loading = null; // e.g. offline before the chunk was cached: let the next call try again
      throw err;
    },
  );
  return loading;
}
