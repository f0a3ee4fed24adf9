import { readFileSync } from 'node:fs';
import { parseLink, serialiseLink } from '../../src/lesson/link';

// The README documents the link format with example links; they must stay true.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/^(lesson=[^\s`]+)$/gm)].map((m) => m[1]!);

describe('README example links', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples)('%s parses with no problem and is written back exactly', (link) => {
    const { state, problems } = parseLink(link);
    expect(problems).toEqual([]);
    expect(serialiseLink(state, { includeStep: true, includeView: true })).toBe(link);
  });
});
