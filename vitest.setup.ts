// Component tests opt into jsdom with a `// @vitest-environment jsdom` docblock;
// jest-dom matchers are harmless in node tests.
import '@testing-library/jest-dom/vitest';

// jsdom lacks HTMLDialogElement.showModal()/close(), which views/dialog/Modal.tsx uses (no-op under node).
import { installDialogPolyfill } from './tests/support/dialog';
installDialogPolyfill();

// No story is registered here: tests pass the builders (`ALL_STORIES`) to buildTimeline, and a store
// starts with the websocket story only and loads the others as the page does (src/state/stories.ts).

// The lessons' classroom content, which the page fetches right after the first step is drawn.
import { loadLessonContent } from './src/state/lesson';
await loadLessonContent();
