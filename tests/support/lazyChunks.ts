/**
 * The code the app splits off with `import()` (React.lazy components, chunks loaded when idle or on demand),
 * loaded up front for component tests. In the browser such a chunk arrives over the network; under vitest its
 * first import transforms the module and its dependencies, which on a busy machine takes longer than a
 * `findBy…` query's default second. A test that has awaited `preloadLazyChunks()` waits only for React to render
 * what is already here. tests/support/lazyChunks.test.ts fails if the app gains an `import()` missing here.
 */

import { loadStageBody } from '../../src/app/loadStage';
import { LazyCaptureBar } from '../../src/views/capture/lazy';

/** Keyed by the module's path under src/, as the completeness test finds it. */
export const LAZY_CHUNKS: Readonly<Record<string, () => Promise<unknown>>> = {
  'app/presenterChannel.ts': () => import('../../src/app/presenterChannel'),
  'app/SpeakerApp.tsx': () => import('../../src/app/SpeakerApp'),
  // Through the app's own loader, so that App finds the stage's heavy half already there on its first render.
  'app/StageBody.tsx': () => loadStageBody(),
  'views/capture/CaptureBar.tsx': () => LazyCaptureBar.preload(),
  'views/checks/SelfCheck.tsx': () => import('../../src/views/checks/SelfCheck'),
  'views/code/CodePanel.tsx': () => import('../../src/views/code/CodePanel'),
  'views/compare/ComparisonChart.tsx': () => import('../../src/views/compare/ComparisonChart'),
  'views/exports/ExportDialog.tsx': () => import('../../src/views/exports/ExportDialog'),
  'views/inspector/Inspector.tsx': () => import('../../src/views/inspector/Inspector'),
  'views/inspector/TlsPanel.tsx': () => import('../../src/views/inspector/TlsPanel'),
  'views/motion/stepAnimations.ts': () => import('../../src/views/motion/stepAnimations'),
  'views/share/ShareDialog.tsx': () => import('../../src/views/share/ShareDialog'),
  'views/signal/SignalTrace.tsx': () => import('../../src/views/signal/SignalTrace'),
};

/** Await every lazily loaded chunk of the app (call it in `beforeAll`). */
export async function preloadLazyChunks(): Promise<void> {
  await Promise.all(Object.values(LAZY_CHUNKS).map((load) => load()));
}
