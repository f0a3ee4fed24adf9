/**
 * Issue 11, "every sentence true": every sentence a learner reads names its source in a comment beside it
 * (the check is tests/support/sources.ts). The files are found, not listed, so a new story, lesson or codec
 * is held to the same rule the day it is added:
 * - the narration: src/sim/steps and src/sim/stories (templates, phrases, program text shown to learners);
 * - the lessons: src/lesson/content (intros, asides, self-checks, teacher notes), the catalogue's titles and
 *   summaries, the curriculum map;
 * - the inspector's field explanations and the error texts of src/protocol, which a learner meets in the
 *   inspector, the export dialog and a capture's problems.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unsourcedProse } from '../support/sources';

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .flatMap((path) => (statSync(path).isDirectory() ? tsFiles(path) : /\.tsx?$/.test(path) ? [path] : []));
}

const FILES = [
  ...tsFiles('src/sim/steps'),
  ...tsFiles('src/sim/stories'),
  ...tsFiles('src/lesson/content'),
  'src/lesson/catalogue.ts',
  'src/lesson/curriculum.ts',
  ...tsFiles('src/protocol'),
];

describe('every sentence a learner reads names its source', () => {
  it('finds the files it checks', () => {
    expect(FILES.length).toBeGreaterThan(50);
    for (const must of ['src/sim/steps/osi.ts', 'src/sim/stories/compare/sse.ts', 'src/protocol/sse.ts']) {
      expect(FILES).toContain(must);
    }
  });

  it.each(FILES)('%s', (file) => {
    expect(unsourcedProse(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
});
