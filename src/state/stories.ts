/**
 * The simulator's stories as the page has them. The websocket story is in the main bundle; Socket.IO
 * and the polling comparison come with `sim/pageStories.ts`, fetched the first time a lesson needs them (and
 * in the background once the first step is drawn, so a later lesson change does not wait); TLS (wss://) with
 * `sim/tlsStories.ts`, only when a TLS scenario opens. Timelines are built with the stories loaded so far:
 * one that is not loaded yet is a one-step timeline saying so.
 */
// Not from sim/timeline.ts, whose capture and text writers load with the export dialog.
import { WEBSOCKET_STORY, buildTimeline, startTimeline } from '../sim/buildTimeline';
import type { Scenario, Story } from '../sim/scenario';
import type { StoryBuilders, StoryRun, Timeline } from '../sim/types';

let builders: StoryBuilders = WEBSOCKET_STORY;
let tlsBuilders: StoryBuilders = {};
let loading: Promise<void> | null = null;
let loadingTls: Promise<void> | null = null;
let tlsLoaded = false;

/** `null` when the story can be built now; otherwise a promise that resolves once it can. */
export function ensureStory(story: Story, tls = false): Promise<void> | null {
  // Once loaded, a story without TLS support builds as a one-step timeline saying so.
  if (tls) return tlsLoaded ? null : loadTlsStories();
  if (builders[story]) return null;
  return loadAllStories();
}

export function loadAllStories(): Promise<void> {
  loading ??= import('../sim/pageStories').then(
    (m) => {
      builders = m.PAGE_STORIES;
    },
    (err: unknown) => {
      loading = null; // e.g. offline before the chunk was cached: let the next call try again
      throw err;
    },
  );
  return loading;
}

function loadTlsStories(): Promise<void> {
  loadingTls ??= import('../sim/tlsStories').then(
    (m) => {
      tlsBuilders = m.TLS_STORIES;
      tlsLoaded = true;
    },
    (err: unknown) => {
      loadingTls = null;
      throw err;
    },
  );
  return loadingTls;
}

/**
 * Whether a scenario needs `sim/tlsStories.ts`: TLS (wss://), or permessage-deflate (deflate=1), whose
 * compressor (pako) comes in the same chunk so that neither is in the first download.
 */
export function needsExtraLibraries(scenario: Scenario): boolean {
  return (scenario.tls ?? false) || (scenario.deflate ?? false);
}

/** The timeline of a scenario, told with the stories loaded so far. */
export function buildWithLoadedStories(scenario: Scenario): Timeline {
  return buildTimeline(scenario, needsExtraLibraries(scenario) ? tlsBuilders : builders);
}

/** The same as a run that can pause (state/opening.ts). */
export function startWithLoadedStories(scenario: Scenario): StoryRun {
  return startTimeline(scenario, needsExtraLibraries(scenario) ? tlsBuilders : builders);
}
