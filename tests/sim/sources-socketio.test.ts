/**
 * Issue 11, "every sentence true": every sentence of the Socket.IO and comparison narration has its source
 * named in a comment beside it (tests/support/sources.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unsourcedProse } from '../support/sources';

const FILES = [
  'src/sim/stories/socketio/narration.ts',
  'src/sim/stories/socketio/phrases.ts',
  'src/sim/stories/socketio/timeline.ts',
  'src/sim/stories/socketio/packets.ts',
  'src/sim/stories/socketio/programs.ts',
  'src/sim/stories/compare/narration.ts',
  'src/sim/stories/compare/sse.ts',
  'src/sim/stories/compare/methods.ts',
  'src/sim/stories/compare/programs.ts',
];

describe('Socket.IO and comparison narration: every sentence names its source', () => {
  for (const file of FILES) {
    it(file, () => {
      expect(unsourcedProse(file, readFileSync(file, 'utf8'))).toEqual([]);
    });
  }
});
