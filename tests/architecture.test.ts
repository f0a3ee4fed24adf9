/**
 * ARCHITECTURE.md: imports point one way (app -> views -> state -> lesson -> sim -> protocol; inside sim,
 * stories -> steps -> libs -> engine), views never re-simulate, and the pure rooms (protocol, sim) take time and
 * randomness only from the scenario. One guard enforces all of it: the rules in eslint.config.js, run over the
 * tree by `npm run lint`. This test runs that same configuration, through ESLint's Node API, on snippets placed
 * in each room, and shows it reports the bad ones and passes the good ones: the guard can fail.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = resolve(__dirname, '..');
const GUARD_RULES = new Set([
  'boundaries/dependencies',
  'no-restricted-imports',
  'no-restricted-properties',
  'no-restricted-globals',
]);

/** A module under src/ that snippets import; it must exist, or the resolver could not see the import at all. */
const TARGETS = {
  protocolTcp: 'protocol/tcp.ts',
  engineTcp: 'sim/engine/tcp.ts',
  engineNetwork: 'sim/engine/network.ts',
  libWebSocket: 'sim/libs/websocket.ts',
  stepsOsi: 'sim/steps/osi.ts',
  story: 'sim/stories/websocket/timeline.ts',
  frontDoor: 'sim/timeline.ts',
  scenario: 'sim/scenario.ts',
  types: 'sim/types.ts',
  link: 'lesson/link.ts',
  store: 'state/store.ts',
  boot: 'state/boot.ts',
  ladderLayout: 'views/ladder/layout.ts',
  app: 'app/App.tsx',
} as const;
type Target = keyof typeof TARGETS;

/** The import specifier a file at src/`from` writes for a target: relative, without its extension. */
function spec(from: string, target: Target): string {
  const path = relative(dirname(join('src', from)), join('src', TARGETS[target])).replace(/\\/g, '/');
  return (path.startsWith('.') ? path : `./${path}`).replace(/\.tsx?$/, '');
}

interface Case {
  /** A file path under src/, in the room the snippet is linted as. */
  readonly file: string;
  readonly code: (s: (t: Target) => string) => string;
  readonly why: string;
}

const BAD: readonly Case[] = [
  { file: 'protocol/x.ts', code: (s) => `import { a } from '${s('frontDoor')}';`, why: 'protocol -> sim' },
  { file: 'sim/engine/x.ts', code: (s) => `import { a } from '${s('link')}';`, why: 'sim -> lesson' },
  { file: 'lesson/x.ts', code: (s) => `import { a } from '${s('store')}';`, why: 'lesson -> state' },
  { file: 'state/x.ts', code: (s) => `import { a } from '${s('ladderLayout')}';`, why: 'state -> views' },
  { file: 'views/x/T.tsx', code: (s) => `import { a } from '${s('app')}';`, why: 'views -> app' },
  {
    file: 'sim/engine/x.ts',
    code: (s) => `import { a } from '${s('libWebSocket')}';`,
    why: 'engine -> libs',
  },
  { file: 'sim/engine/x.ts', code: (s) => `import { a } from '${s('stepsOsi')}';`, why: 'engine -> steps' },
  { file: 'sim/libs/x.ts', code: (s) => `import { a } from '${s('stepsOsi')}';`, why: 'libs -> steps' },
  { file: 'sim/steps/x.ts', code: (s) => `import { a } from '${s('story')}';`, why: 'steps -> stories' },
  {
    file: 'sim/stories/x/y.ts',
    code: (s) => `import { a } from '${s('frontDoor')}';`,
    why: 'stories -> the front door',
  },
  { file: 'sim/types.ts', code: (s) => `import { a } from '${s('engineTcp')}';`, why: 'sim data -> engine' },
  {
    file: 'views/x/T.tsx',
    code: (s) => `import { buildTimeline } from '${s('frontDoor')}';`,
    why: 'views call buildTimeline',
  },
  {
    file: 'views/x/T.tsx',
    code: (s) => `import * as sim from '${s('frontDoor')}';`,
    why: 'views take the front door whole',
  },
  {
    file: 'views/x/T.tsx',
    code: (s) => `export const load = () => import('${s('stepsOsi')}');`,
    why: 'views load sim code lazily',
  },
  {
    file: 'views/x/T.tsx',
    code: (s) => `export { a } from '${s('engineTcp')}';`,
    why: 'views re-export sim',
  },
  {
    file: 'views/x/T.tsx',
    code: (s) => `import { storeFromLink } from '${s('boot')}';`,
    why: 'views run the simulator via boot.ts',
  },
  { file: 'app/x.ts', code: (s) => `import { a } from '${s('engineTcp')}';`, why: 'app takes a sim value' },
  {
    file: 'state/x.ts',
    code: (s) => `import { a } from '${s('engineTcp')}';`,
    why: 'state takes engine values',
  },
  {
    file: 'state/x.ts',
    code: (s) => `import { a } from '${s('story')}';`,
    why: 'state imports a story statically',
  },
  { file: 'sim/engine/x.ts', code: () => `import { useState } from 'react';`, why: 'React in sim' },
  { file: 'sim/libs/x.ts', code: () => `import { create } from 'zustand';`, why: 'zustand in sim' },
  { file: 'protocol/x.ts', code: () => `import { select } from 'd3-selection';`, why: 'd3 DOM in protocol' },
  { file: 'protocol/x.ts', code: () => `import { readFileSync } from 'node:fs';`, why: 'Node in protocol' },
  { file: 'sim/steps/x.ts', code: () => `export const t = Date.now();`, why: 'the clock in sim' },
  { file: 'sim/engine/x.ts', code: () => `export const t = performance.now();`, why: 'the clock in sim' },
  { file: 'sim/engine/x.ts', code: () => `export const r = Math.random();`, why: 'randomness in sim' },
  {
    file: 'protocol/x.ts',
    code: () => `export const r = crypto.getRandomValues(new Uint8Array(4));`,
    why: 'randomness in protocol',
  },
  { file: 'protocol/x.ts', code: () => `export const b = Buffer.from('x');`, why: 'Node Buffer in protocol' },
  { file: 'sim/stories/x/y.ts', code: () => `export const w = window.innerWidth;`, why: 'the DOM in sim' },
];

const GOOD: readonly Case[] = [
  { file: 'views/x/T.tsx', code: (s) => `import type { Step } from '${s('types')}';`, why: 'views: types' },
  {
    file: 'views/x/T.tsx',
    code: (s) => `import type { TcpState } from '${s('engineTcp')}';`,
    why: 'views: types from anywhere in sim',
  },
  {
    file: 'views/x/T.tsx',
    code: (s) => `import { LIMITS } from '${s('scenario')}';`,
    why: 'views: values from the data tables',
  },
  {
    file: 'views/x/T.tsx',
    code: (s) => `import { a } from '${s('store')}';\nimport { b } from '${s('protocolTcp')}';`,
    why: 'views: state and protocol',
  },
  {
    file: 'state/x.ts',
    code: (s) => `import { buildTimeline, timelinePcap } from '${s('frontDoor')}';`,
    why: 'state: the front door',
  },
  {
    file: 'state/x.ts',
    code: (s) => `export const load = () => import('${s('story')}');`,
    why: 'state: stories, lazily',
  },
  {
    file: 'state/x.ts',
    code: (s) => `import type { Endpoint } from '${s('engineTcp')}';`,
    why: 'state: types from sim',
  },
  { file: 'app/x.ts', code: (s) => `import { storeFromLink } from '${s('boot')}';`, why: 'app: boot.ts' },
  { file: 'lesson/x.ts', code: (s) => `import { a } from '${s('engineTcp')}';`, why: 'lesson: sim' },
  {
    file: 'sim/stories/x/y.ts',
    code: (s) =>
      ['engineNetwork', 'libWebSocket', 'stepsOsi', 'scenario', 'protocolTcp']
        .map((t, i) => `import { a${i} } from '${s(t as Target)}';`)
        .join('\n'),
    why: 'stories: everything below',
  },
  {
    file: 'sim/steps/x.ts',
    code: (s) => `import { a } from '${s('libWebSocket')}';\nimport { b } from '${s('engineTcp')}';`,
    why: 'steps: libs and engine',
  },
  { file: 'sim/libs/x.ts', code: (s) => `import { a } from '${s('engineNetwork')}';`, why: 'libs: engine' },
  {
    file: 'sim/engine/x.ts',
    code: (s) =>
      `import type { Scenario } from '${s('scenario')}';\nimport { b } from '${s('protocolTcp')}';`,
    why: 'engine: data and protocol',
  },
  { file: 'sim/x.ts', code: (s) => `import { a } from '${s('story')}';`, why: 'the front door: stories' },
  {
    file: 'sim/engine/x.ts',
    code: () => `export const pure = (seed: number): number => (seed * 48271) % 0x7fffffff;`,
    why: 'pure code',
  },
];

let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({ cwd: ROOT });
  // Load the configuration and the parser once, outside any single test's time.
  await eslint.lintText('export {};', { filePath: join(ROOT, 'src', 'sim', 'x.ts') });
}, 120_000);

async function guardMessages({ file, code }: Case): Promise<string[]> {
  const [result] = await eslint.lintText(
    code((t) => spec(file, t)),
    { filePath: join(ROOT, 'src', file) },
  );
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result!.messages.filter((m) => m.ruleId && GUARD_RULES.has(m.ruleId)).map((m) => m.message);
}

describe('the import-boundary guard (eslint.config.js)', () => {
  it('the modules the snippets import exist, so the resolver sees each import', () => {
    const missing = Object.values(TARGETS).filter((t) => !existsSync(join(ROOT, 'src', t)));
    expect(missing).toEqual([]);
  });

  it.each(BAD.map((c) => [c.why, c] as const))('reports: %s', async (_why, c) => {
    expect(await guardMessages(c)).toHaveLength(1);
  });

  it.each(GOOD.map((c) => [c.why, c] as const))('allows: %s', async (_why, c) => {
    expect(await guardMessages(c)).toEqual([]);
  });
});
