/**
 * Issue 11, "every sentence true": the field explanations the inspector shows (src/protocol/*), the lesson
 * summaries (src/lesson/catalogue.ts) and the curriculum map's texts (src/lesson/curriculum.ts) each name the
 * source they rest on in a comment beside them (tests/support/sources.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unsourcedProse } from '../support/sources';

const FILES = [
  'src/protocol/http.ts',
  'src/protocol/websocket.ts',
  'src/protocol/wsExtensions.ts',
  'src/protocol/engineio.ts',
  'src/protocol/socketio.ts',
  'src/protocol/tls.ts',
  'src/protocol/sse.ts',
  'src/lesson/catalogue.ts',
  'src/lesson/curriculum.ts',
];

describe('field explanations, lesson summaries and the curriculum map name their sources', () => {
  for (const file of FILES) {
    it(file, () => {
      expect(unsourcedProse(file, readFileSync(file, 'utf8'))).toEqual([]);
    });
  }
});
