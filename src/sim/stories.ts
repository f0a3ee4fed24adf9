/**
 * The stories beyond the websocket one: Socket.IO and the polling comparison. Registering them is a
 * separate step so that the browser can load this module (and everything it pulls in) only when a lesson
 * needs it; `timeline.ts` registers them for the command line and the tests.
 */
import { buildCompareTimeline } from './stories/compare/timeline';
import { registerStory } from './core';
import { buildSocketIoTimeline } from './stories/socketio/timeline';

export function registerAllStories(): void {
  registerStory('socketio', (scenario) => buildSocketIoTimeline(scenario));
  registerStory('compare', (scenario) => buildCompareTimeline(scenario));
}
