/**
 * `npm run golden:update`: write the pinned timeline texts and digests of tests/golden/cases.ts. Run it
 * only when a change of bytes or words is intended, and read the diff of the .txt files it rewrites.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_CASES } from '../tests/golden/cases';
import { goldenOf, type GoldenDigest } from '../tests/golden/digest';

const dir = join(import.meta.dirname, '../tests/golden/pinned');
mkdirSync(dir, { recursive: true });
const digests: Record<string, GoldenDigest> = {};
for (const c of GOLDEN_CASES) {
  const g = goldenOf(c.link);
  if (g.problems > 0) throw new Error(`${c.name}: the link ${c.link} has problems`);
  digests[c.name] = g.digest;
  if (c.text) writeFileSync(join(dir, `${c.name}.timeline.txt`), g.text);
  process.stderr.write(`${c.name}\n`);
}
writeFileSync(join(dir, 'digests.json'), JSON.stringify(digests, null, 2) + '\n');
