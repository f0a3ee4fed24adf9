import './styles.css'; // first: it declares the order of the cascade layers (see styles.css)
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { loadStoreFromLink } from '../state/boot';
import { browserStorage } from '../state/storage';
import { loadPrefs, rememberPrefs } from '../state/prefsStorage';
import { StoreProvider } from '../state/context';
import { loadLessonContent } from '../state/lesson';
import { loadAllStories } from '../state/stories';
import { finishOpening } from '../state/opening';
import { withoutSpeaker } from '../state/links';
import { App } from './App';
import { loadStageBody } from './loadStage';
import { initialPrefs } from './environment';
import { afterNextPaint } from '../state/tasks';
import { registerServiceWorker } from './registerServiceWorker';

// `speaker=1` opens the speaker window (presenter mode's second screen) instead of the stage.
const SpeakerApp = lazy(() => import('./SpeakerApp').then((m) => ({ default: m.SpeakerApp })));

// Resolved once the whole first step (panels included) has painted: background work waits for it.
let stageDrawn: () => void = () => undefined;
const drawn = new Promise<void>((resolve) => (stageDrawn = resolve));

const root = document.getElementById('root');
if (root) {
  // The query and the fragment: a long link keeps its scenario in `#z=…` (lesson/link/compact.ts).
  const { search, speaker } = withoutSpeaker(window.location.search + window.location.hash);
  // The stacks, the wire and the panels are their own chunk (app/StageBody.tsx): fetched while the first step
  // is simulated, drawn after the first paint. A failure shows in the stage (App) and is tried again there.
  if (!speaker) void loadStageBody().catch(() => undefined);
  // The system's theme and motion, then what this browser remembers choosing (state/prefsStorage.ts).
  const prefs = { ...initialPrefs(window), ...loadPrefs(browserStorage()) };
  // The page's clock tells a hurried step (no motion) from one taken at a reading pace (views/motion/useStepMotion.ts).
  // A long scenario opens with its first steps; the rest is simulated once they are drawn (state/opening.ts).
  const opening = { firstSteps: true };
  void loadStoreFromLink(search, { ...prefs, stepClock: () => performance.now() }, opening).then((store) => {
    rememberPrefs(store, browserStorage());
    createRoot(root).render(
      <StrictMode>
        <StoreProvider store={store}>
          {speaker ? (
            <Suspense fallback={null}>
              <SpeakerApp />
            </Suspense>
          ) : (
            <App staged onStageDrawn={stageDrawn} />
          )}
        </StoreProvider>
      </StrictMode>,
    );
    // Fetched once the first step is up: the lessons' intros, questions, notes and asides, and the
    // Socket.IO and comparison stories, so choosing another lesson later does not wait. (The speaker window
    // draws in one go and has no onStageDrawn: its first paint stands for it.)
    void drawn.then(() => {
      void finishOpening(store);
      void loadLessonContent().then(() => store.getState().markLessonContentReady());
      void loadAllStories().catch(() => undefined);
    });
    if (speaker) afterNextPaint(stageDrawn);
  });
} else stageDrawn();
registerServiceWorker(drawn);
