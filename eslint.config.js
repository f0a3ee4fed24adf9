import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

/**
 * The one import-boundary guard (ARCHITECTURE.md, "The shape"): every rule about who may import whom lives
 * here, and tests/architecture.test.ts proves on bad and good snippets that it can fail.
 *
 * Rooms, each importing only itself and those below it: app -> views -> state -> lesson -> sim -> protocol.
 * Inside sim: stories -> steps -> libs -> engine, with the front door (timeline.ts and the other files at the
 * top of sim/) above them all, and the shared data and types (scenario.ts, types.ts, osiLayers.ts) below them.
 * Views never re-simulate: views and app take only types from sim (values from the pure data tables alone);
 * state may call the front door and load the stories lazily; views never import state/boot.ts.
 */
const SIM_DATA = ['src/sim/scenario.ts', 'src/sim/types.ts', 'src/sim/osiLayers.ts'];

/** Selectors: elements (folders) by type; the pure data files and boot.ts by their file category. */
const el = (...types) => ({ element: { types: { anyOf: types } } });
const DATA = { file: { categories: 'sim-data' } };
const BOOT = { file: { categories: 'state-boot' } };
const SIM = ['sim', 'sim-stories', 'sim-steps', 'sim-libs', 'sim-engine'];
const typesOnly = { kind: 'type' };

/** Checked in order; a later policy that matches overrides an earlier one. */
const policies = [
  { from: el('protocol'), allow: { to: el('protocol') } },
  // sim: stories -> steps -> libs -> engine; the front door (the other files at the top of sim/) uses them all.
  { from: el('sim-engine'), allow: { to: [el('sim-engine', 'protocol'), DATA] } },
  { from: el('sim-libs'), allow: { to: [el('sim-libs', 'sim-engine', 'protocol'), DATA] } },
  { from: el('sim-steps'), allow: { to: [el('sim-steps', 'sim-libs', 'sim-engine', 'protocol'), DATA] } },
  {
    from: el('sim-stories'),
    allow: { to: [el('sim-stories', 'sim-steps', 'sim-libs', 'sim-engine', 'protocol'), DATA] },
  },
  { from: el('sim'), allow: { to: el(...SIM, 'protocol') } },
  // The data tables and types at the bottom of sim/ import only each other and protocol.
  { from: DATA, disallow: { to: el(...SIM) } },
  { from: DATA, allow: { to: DATA } },
  { from: el('lesson'), allow: { to: el('lesson', ...SIM, 'protocol') } },
  // capture: a file the user opened, read into the same Timeline the views draw (protocol and sim's data types).
  { from: el('capture'), allow: { to: [el('capture', 'protocol'), DATA] } },
  { from: el('capture'), allow: { to: el(...SIM), dependency: typesOnly } },
  // state: the front door (buildTimeline and the exports of a built timeline) and the data tables; the
  // stories only through import(), so they stay out of the first download; the rest of sim for types only.
  { from: el('state'), allow: { to: el('state', 'lesson', 'capture', 'sim', 'protocol') } },
  { from: el('state'), allow: { to: el('sim-stories'), dependency: { nodeKind: 'dynamic-import' } } },
  { from: el('state'), allow: { to: el(...SIM), dependency: typesOnly } },
  // views and app never re-simulate: from sim they take types, and values from the data tables only.
  { from: el('views'), allow: { to: [el('views', 'state', 'lesson', 'protocol'), DATA] } },
  { from: el('app'), allow: { to: [el('app', 'views', 'state', 'lesson', 'protocol'), DATA] } },
  { from: el('views', 'app'), allow: { to: el(...SIM, 'capture'), dependency: typesOnly } },
  // boot.ts runs the simulator on the link: app calls it, views never do.
  { from: el('views'), disallow: { to: BOOT } },
];

export default tseslint.config(
  { ignores: ['dist', 'dist-single', 'node_modules', 'bench/results.json', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
      'boundaries/root-path': import.meta.dirname,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'boundaries/files': [
        { category: 'sim-data', pattern: SIM_DATA },
        { category: 'state-boot', pattern: 'src/state/boot.ts' },
      ],
      'boundaries/elements': [
        { type: 'protocol', pattern: 'src/protocol', partialMatch: false },
        { type: 'sim-engine', pattern: 'src/sim/engine', partialMatch: false },
        { type: 'sim-libs', pattern: 'src/sim/libs', partialMatch: false },
        { type: 'sim-steps', pattern: 'src/sim/steps', partialMatch: false },
        { type: 'sim-stories', pattern: 'src/sim/stories', partialMatch: false },
        { type: 'sim', pattern: 'src/sim', partialMatch: false },
        { type: 'lesson', pattern: 'src/lesson', partialMatch: false },
        { type: 'capture', pattern: 'src/capture', partialMatch: false },
        { type: 'state', pattern: 'src/state', partialMatch: false },
        { type: 'views', pattern: 'src/views', partialMatch: false },
        { type: 'app', pattern: 'src/app', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkInternals: true, policies }],
    },
  },
  {
    // The pure rooms stay pure: no DOM, React, zustand or d3 DOM code, no Node, no clock, no randomness.
    files: ['src/protocol/**', 'src/sim/**', 'src/capture/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'react',
            'react-dom',
            'react/*',
            'zustand',
            'zustand/*',
            'd3',
            'd3-selection',
            'd3-transition',
            'node:*',
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Simulated time comes from the scenario.' },
        { object: 'performance', property: 'now', message: 'Simulated time comes from the scenario.' },
        { object: 'Math', property: 'random', message: 'Randomness comes from the seed.' },
        { object: 'crypto', property: 'getRandomValues', message: 'Randomness comes from the seed.' },
      ],
      'no-restricted-globals': ['error', 'Buffer', 'window', 'document'],
    },
  },
);
