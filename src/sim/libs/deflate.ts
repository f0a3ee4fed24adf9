/**
 * permessage-deflate's compressor for the WebSocket endpoints (libs/websocket.ts DeflateKit): pako through
 * protocol/permessageDeflate.ts. Its own module so that only the stories that compress (sim/tlsStories.ts)
 * load pako.
 */
import { MessageDeflater, MessageInflater } from '../../protocol/permessageDeflate';
import type { DeflateKit } from './websocket';

export const DEFLATE_KIT: DeflateKit = {
  deflater: (windowBits, noContextTakeover, emptyResets) =>
    new MessageDeflater(windowBits, noContextTakeover, emptyResets),
  inflater: (windowBits, noContextTakeover) => new MessageInflater(windowBits, noContextTakeover),
};
