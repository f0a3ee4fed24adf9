/**
 * `npm run curriculum:map`: write docs/curriculum-map.md from src/lesson/curriculum.ts, formatted by the
 * repository's Prettier settings (so `prettier --check .` accepts it). With `--check`, write nothing and
 * exit 1 if the file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { curriculumMapMarkdown } from '../src/lesson/curriculum';

export const CURRICULUM_MAP_PATH = fileURLToPath(new URL('../docs/curriculum-map.md', import.meta.url));

/** The file's full, formatted text. */
export async function renderCurriculumMap(): Promise<string> {
  const options = (await prettier.resolveConfig(CURRICULUM_MAP_PATH)) ?? {};
  return prettier.format(curriculumMapMarkdown(), { ...options, filepath: CURRICULUM_MAP_PATH });
}

async function main(): Promise<void> {
  const text = await renderCurriculumMap();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CURRICULUM_MAP_PATH, 'utf8');
    } catch {
      // A missing file is out of date.
    }
    if (current !== text) {
      process.stderr.write('docs/curriculum-map.md is out of date: run npm run curriculum:map\n');
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(CURRICULUM_MAP_PATH, text);
  process.stdout.write('wrote docs/curriculum-map.md\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
