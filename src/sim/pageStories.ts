/**
 * The stories the page loads after its first picture (`state/stories.ts` imports this module with
 * `import()`): Socket.IO and the polling comparison, with everything they pull in. Not TLS: that comes
 * with `tlsStories.ts`, only when a wss:// or https:// scenario opens.
 */
import { buildCompareTimeline } from './stories/compare/timeline';
import { withPlainClient } from './stories/socketio/plainClient';
import { socketIoStory } from './stories/socketio/timeline';
import { wholeRun } from './steps/recorder';
import { WEBSOCKET_STORY } from './stories/websocket/timeline';
import type { StoryBuilders } from './types';

export const PAGE_STORIES: StoryBuilders = {
  ...WEBSOCKET_STORY,
  socketio: withPlainClient(socketIoStory(null)),
  // Wirewalk's choice: the comparison (a few hundred steps at most) is simulated in one go.
  compare: (scenario) => wholeRun(() => buildCompareTimeline(scenario)),
};
