import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_CASES } from './cases';
import { goldenOf, type GoldenDigest } from './digest';

const dir = join(import.meta.dirname, 'pinned');
const digests = JSON.parse(readFileSync(join(dir, 'digests.json'), 'utf8')) as Record<string, GoldenDigest>;

describe('pinned bytes and words (npm run golden:update rewrites them on purpose)', () => {
  it('pins every case and nothing else', () => {
    expect(Object.keys(digests).sort()).toEqual(GOLDEN_CASES.map((c) => c.name).sort());
  });

  for (const c of GOLDEN_CASES) {
    it(`${c.name}: ${c.link.length > 80 ? c.link.slice(0, 77) + '...' : c.link}`, () => {
      const g = goldenOf(c.link);
      expect(g.problems).toBe(0);
      if (c.text) expect(g.text).toBe(readFileSync(join(dir, `${c.name}.timeline.txt`), 'utf8'));
      expect(g.digest).toEqual(digests[c.name]);
    });
  }
});
