// Component tests opt into jsdom with a `// @vitest-environment jsdom` docblock;
// jest-dom matchers are harmless in node tests.
import '@testing-library/jest-dom/vitest';

// The browser loads the Socket.IO and comparison stories on demand (src/state/stories.ts); tests build
// every story synchronously, as the command line does.
import { registerAllStories } from './src/sim/stories';
registerAllStories();

// Likewise the lessons' classroom content, which the page fetches right after the first step is drawn.
import { loadLessonContent } from './src/state/lesson';
await loadLessonContent();
