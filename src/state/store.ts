/**
 * The one store, built from slices (zustand's slices pattern, actions beside their state), one file each:
 * - scenario (scenarioSlice.ts): the link's scenario and view, its problems, and the timeline built from it;
 * - playback (playbackSlice.ts): the cursor (0-based step index), playing, speed;
 * - prefs (prefsSlice.ts): theme, reduced motion, which detail panel is open;
 * - classroom (classroomSlice.ts): the lesson introduction, presenter mode and its blackout, the open dialog.
 * The current step is derived (`selectStep`, selectors.ts), never copied into the store. A new scenario gets
 * its timeline through loadScenario.ts, which waits for a story that is not loaded yet.
 *
 * Embed mode with `from=`/`to=` locks the cursor to that range (cursor.ts): every playback action stays
 * inside it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_VIEW, stepProblems, type LinkProblem, type ViewState } from '../lesson/link';
import type { Scenario } from '../sim/scenario';
import type { StoryRun } from '../sim/types';
import { createCaptureSlice, type CaptureOpener, type CaptureSlice } from './captureSlice';
import { createClassroomSlice, type ClassroomSlice } from './classroomSlice';
import { clampToRange, stepRange } from './cursor';
import { lessonStartCursor } from './lesson';
import { scenarioLoader, type Build, type Prepare } from './loadScenario';
import { createPlaybackSlice, type PlaybackSlice } from './playbackSlice';
import { createPrefsSlice, type HideFuture, type PrefsSlice } from './prefsSlice';
import { createScenarioSlice, type ScenarioSlice } from './scenarioSlice';

export type { Build } from './loadScenario';
export type { ScenarioSlice } from './scenarioSlice';
export { MAX_SPEED, MIN_SPEED, SPEEDS, type PlaybackSlice } from './playbackSlice';
export type { HideFuture, Panel, PrefsSlice } from './prefsSlice';
export type { ClassroomSlice, Dialog } from './classroomSlice';
export {
  selectCaptureOpen,
  type CaptureFile,
  type CaptureOpener,
  type CaptureSlice,
  type CaptureStatus,
} from './captureSlice';
export { stepRange } from './cursor';
export * from './selectors';

export type WirewalkState = ScenarioSlice & PlaybackSlice & PrefsSlice & ClassroomSlice & CaptureSlice;
export type WirewalkStore = StoreApi<WirewalkState>;

export interface StoreInit {
  readonly scenario: Scenario;
  readonly build: Build;
  /**
   * The scenario's run, advanced as far as the store opens (state/opening.ts): the store opens with its
   * timeline so far, and `buildRest` simulates the rest. Absent: the scenario is built whole with `build`.
   */
  readonly run?: StoryRun;
  /**
   * Makes sure a story can be built: `null` when it can now, else a promise for when it can (the larger
   * stories are loaded on demand). Absent: every story is always there.
   */
  readonly prepare?: Prepare;
  readonly view?: ViewState;
  readonly problems?: readonly LinkProblem[];
  readonly theme?: 'light' | 'dark';
  readonly reducedMotion?: boolean;
  /** Whether the diagram hides the packets to come, per mode (remembered in this browser). */
  readonly hideFuture?: HideFuture;
  /** The page's clock, for hurried steps (PrefsSlice.stepClock). */
  readonly stepClock?: () => number;
  /** Open with the lesson's introduction showing. */
  readonly intro?: boolean;
  /**
   * Without `view.step`, open where choosing the lesson opens (`lessonStartCursor`, which needs the lesson
   * content loaded) rather than at the first step of the range. Links do; tests of other things need not.
   */
  readonly lessonStart?: boolean;
  /** How an opened capture file is read: by default in a Web Worker (captureWorker.ts, loaded on first use). */
  readonly openCapture?: CaptureOpener;
}

/**
 * The app's reader (captureWorker.ts, or captureInline.ts in the single-file build), fetched with the first file
 * opened rather than in the first download. Cancelling before it has arrived starts nothing.
 */
const lazyWorkerOpener: CaptureOpener = (files, events) => {
  let cancelled = false;
  let cancel: (() => void) | null = null;
  import('./captureWorker').then(
    (m) => {
      if (!cancelled) cancel = m.workerCaptureOpener(files, events);
    },
    (err: unknown) => {
      if (!cancelled)
        events.failed(
          `The capture reader could not be loaded (is the network down?): ${err instanceof Error ? err.message : String(err)}.`,
        );
    },
  );
  return () => {
    cancelled = true;
    cancel?.();
  };
};

/**
 * The app makes one; tests make as many as they like. The cursor starts at `view.step` (1-based in links),
 * or, without one, at the lesson's start (`lessonStart`) or the start of the embed range; what the link
 * asked for that the timeline refuses becomes a problem.
 */
export function createWirewalkStore(init: StoreInit): WirewalkStore {
  const view = init.view ?? DEFAULT_VIEW;
  const loader = scenarioLoader(init.build, init.prepare ?? (() => null));
  return createStore<WirewalkState>()((...a) => {
    const scenario = createScenarioSlice(loader, {
      scenario: init.scenario,
      view,
      problems: init.problems ?? [],
      ...(init.run ? { run: init.run } : {}),
    })(...a);
    const timeline = scenario.timeline;
    const start =
      view.step !== null
        ? view.step - 1
        : init.lessonStart
          ? lessonStartCursor(init.scenario.lesson, view, timeline)
          : stepRange(view, timeline).first;
    const cursor = clampToRange(start, view, timeline);
    const problems = [...scenario.problems, ...stepProblems(view, timeline.steps.length, cursor)];
    return {
      ...scenario,
      problems,
      ...createPlaybackSlice(cursor)(...a),
      ...createPrefsSlice({
        theme: init.theme ?? 'light',
        reducedMotion: init.reducedMotion ?? false,
        ...(init.hideFuture ? { hideFuture: init.hideFuture } : {}),
        ...(init.stepClock ? { stepClock: init.stepClock } : {}),
      })(...a),
      ...createClassroomSlice(loader, init.intro ?? false)(...a),
      ...createCaptureSlice(loader, init.openCapture ?? lazyWorkerOpener)(...a),
    };
  });
}
