/**
 * Every story, with TLS, for callers that are not size-sensitive (the command line, the tests). The browser
 * has only the websocket story in its main bundle and loads `pageStories.ts` (Socket.IO, the comparison)
 * and `tlsStories.ts` (wss://) when a lesson needs them.
 */
import { PAGE_STORIES } from './pageStories';
import { TLS_STORIES } from './tlsStories';
import type { StoryBuilders } from './types';

export const ALL_STORIES: StoryBuilders = { ...PAGE_STORIES, ...TLS_STORIES };
