/**
 * The stories with the TLS library (scenario.tls: wss://) and permessage-deflate's compressor (scenario.deflate):
 * the page imports this module with `import()` only when such a scenario opens, so the cryptography (@noble)
 * and pako stay out of every other download.
 */
import { DEFLATE_KIT } from './libs/deflate';
import { TLS_KIT } from './libs/tls/kit';
import { TLS_STEPS, type TlsSupport } from './steps/tls';
import { withPlainClient } from './stories/socketio/plainClient';
import { socketIoStory } from './stories/socketio/timeline';
import { webSocketStory } from './stories/websocket/timeline';
import type { StoryBuilders } from './types';

const TLS: TlsSupport = { kit: TLS_KIT, steps: TLS_STEPS };

export const TLS_STORIES: StoryBuilders = {
  websocket: webSocketStory(TLS, DEFLATE_KIT),
  socketio: withPlainClient(socketIoStory(TLS)),
};
