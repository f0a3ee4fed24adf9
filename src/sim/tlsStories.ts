/**
 * The stories with the TLS library (scenario.tls: wss://): the page imports this module with `import()` only
 * when such a scenario opens, so the cryptography (@noble) stays out of every other download.
 */
import { TLS_KIT } from './libs/tls/kit';
import { socketIoStory } from './stories/socketio/timeline';
import { webSocketStory } from './stories/websocket/timeline';
import type { StoryBuilders } from './types';

export const TLS_STORIES: StoryBuilders = {
  websocket: webSocketStory(TLS_KIT),
  socketio: socketIoStory(TLS_KIT),
};
