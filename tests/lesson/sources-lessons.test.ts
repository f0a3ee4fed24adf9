/**
 * Every sentence of the Socket.IO, comparison, queries, loss and wss lessons names its source beside it
 * (issue 11, "every sentence true"; the check is tests/support/sources.ts).
 */
import { readFileSync } from 'node:fs';
import { unsourcedProse } from '../support/sources';

const files = [
  'src/lesson/content/socketio.ts',
  'src/lesson/content/compare.ts',
  'src/lesson/content/queries.ts',
  'src/lesson/content/websocket/loss.ts',
  'src/lesson/content/websocket/wss.ts',
];

describe('the lessons name a source beside every sentence', () => {
  it.each(files)('%s', (file) => {
    expect(unsourcedProse(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
});
