/** Every sentence of the websocket lessons' intros, asides, self-checks and teacher notes names its source (issue 11). */
import { readFileSync } from 'node:fs';
import { unsourcedProse } from '../support/sources';

const FILES = ['src/lesson/content/websocket/connection.ts', 'src/lesson/content/websocket/frames.ts'];

describe('the websocket lessons name their sources', () => {
  it.each(FILES)('%s has no prose without a source comment beside it', (file) => {
    expect(unsourcedProse(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
});
