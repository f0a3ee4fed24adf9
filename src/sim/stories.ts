/**
 * Every story, for callers that are not size-sensitive (the command line, the tests). The browser's main
 * bundle has only the websocket story (`WEBSOCKET_STORY` from `timeline.ts`) and loads this module, with
 * the Socket.IO and polling-comparison stories and everything they pull in, when a lesson needs them.
 */
import { buildCompareTimeline } from './stories/compare/timeline';
import { buildSocketIoTimeline } from './stories/socketio/timeline';
import { WEBSOCKET_STORY } from './stories/websocket/timeline';
import type { StoryBuilders } from './types';

export const ALL_STORIES: StoryBuilders = {
  ...WEBSOCKET_STORY,
  socketio: buildSocketIoTimeline,
  compare: buildCompareTimeline,
};
