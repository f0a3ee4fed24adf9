/**
 * The engine's front door with every story registered: what the command line, the tests and anything else
 * that is not size-sensitive import. (The browser imports `core.ts` and loads `stories.ts` when needed.)
 */
import { registerAllStories } from './stories';

registerAllStories();

export * from './core';
