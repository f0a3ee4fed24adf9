/**
 * `buildTimeline`, apart from the rest of timeline.ts (text, capture and key log of a timeline) so that the page
 * can build timelines without taking those along in its first download: they load with the export dialog.
 * timeline.ts re-exports it; everything but the page's state/stories.ts imports it from there.
 */
import { CLIENT_HOST, SERVER_HOST } from './stories/hosts';
import type { Scenario, Story } from './scenario';
import type { BuildOptions, HostId, HostState, Program, StoryBuilders, StoryRun, Timeline } from './types';

export { WEBSOCKET_STORY } from './stories/websocket/timeline';

const STORY_NAMES: { readonly [S in Story]: string } = {
  websocket: 'WebSocket',
  socketio: 'Socket.IO',
  compare: 'polling comparison',
};

const NO_PROGRAM = (title: string): Program => ({ title, language: 'javascript', lines: [] });

/** A timeline of one step that says what went wrong, instead of a story. */
function problemTimeline(scenario: Scenario, title: string, text: string): Timeline {
  const states: Record<HostId, HostState> = { [CLIENT_HOST.id]: {}, [SERVER_HOST.id]: {} };
  return {
    scenario,
    hosts: [CLIENT_HOST, SERVER_HOST],
    packets: [],
    steps: [
      {
        index: 0,
        chapter: 'problem',
        time: 0,
        host: 'wire',
        layer: null,
        kind: 'state',
        states,
        title,
        text,
      },
    ],
    chapters: [{ id: 'problem', title, firstStep: 0, lastStep: 0 }],
    programs: { client: NO_PROGRAM('client.js'), server: NO_PROGRAM('server.js') },
  };
}

/**
 * Compute the whole timeline of a scenario with the story builder `builders` has for it. Never throws: a
 * story that is not among `builders`, or an internal failure, becomes a one-step timeline saying so.
 */
export function buildTimeline(
  scenario: Scenario,
  builders: StoryBuilders,
  options: BuildOptions = {},
): Timeline {
  const run = startTimeline(scenario, builders, options);
  run.advance();
  return run.timeline();
}

/**
 * The same as a run that can pause between events (`StoryRun`): a long scenario's first steps can be drawn
 * before the rest is simulated. Never throws either: a failure at any point ends the run with the one-step
 * timeline saying so.
 */
export function startTimeline(
  scenario: Scenario,
  builders: StoryBuilders,
  options: BuildOptions = {},
): StoryRun {
  const name = STORY_NAMES[scenario.story] ?? String(scenario.story);
  const story = builders[scenario.story];
  const ended = (timeline: Timeline): StoryRun => ({ advance: () => true, timeline: () => timeline });
  if (!story) {
    return ended(
      problemTimeline(
        scenario,
        `The ${name} story is not loaded`,
        `This lesson tells the ${name} story, and that part of the simulator has not been loaded (is the ` +
          'network down?). Reload the page to try again.',
      ),
    );
  }
  const failed = (err: unknown): Timeline =>
    problemTimeline(
      scenario,
      'This scenario could not be simulated',
      `The engine stopped with an error: ${err instanceof Error ? err.message : String(err)}.`,
    );
  let run: StoryRun;
  try {
    run = story(scenario, options);
  } catch (err) {
    return ended(failed(err));
  }
  let failure: Timeline | null = null;
  return {
    advance(pause) {
      if (failure) return true;
      try {
        return run.advance(pause);
      } catch (err) {
        failure = failed(err);
        return true;
      }
    },
    timeline() {
      if (failure) return failure;
      try {
        return run.timeline();
      } catch (err) {
        return (failure = failed(err));
      }
    },
  };
}
