/**
 * The one store (zustand slices, actions beside their state):
 * - scenario: the link's scenario and view, its problems, and the timeline built from it;
 * - playback: the cursor (0-based step index), playing, speed;
 * - prefs: theme, reduced motion, which detail panel is open;
 * - classroom: the lesson introduction, presenter mode and its blackout, the open dialog.
 * The current step is derived (`selectStep`), never copied into the store.
 *
 * Embed mode with `from=`/`to=` locks the cursor to that range: every playback action stays inside it.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { lessonById, lessonScenario } from '../lesson/catalogue';
import { DEFAULT_VIEW, type LinkProblem, type ViewState } from '../lesson/link';
import { LIMITS, type Scenario, type Side } from '../sim/scenario';
import type { Chapter, Packet, Step, Timeline } from '../sim/types';
import { firstDifference, inspectedPacket, messageFirstStep } from './derive';
import { lessonAside, lessonContentLoaded, lessonStartIndex, loadLessonContent } from './lesson';

export type Build = (scenario: Scenario) => Timeline;
type Prepare = (story: Scenario['story']) => Promise<void> | null;

export interface ScenarioSlice {
  readonly scenario: Scenario;
  readonly view: ViewState;
  /** Problems found in the link (or in a composed message), shown as a notice until dismissed. */
  readonly problems: readonly LinkProblem[];
  readonly timeline: Timeline;
  /** Replace the scenario and rebuild; the cursor goes to `step` (0-based, clamped) or stays where it was. */
  setScenario(scenario: Scenario, opts?: { readonly step?: number }): void;
  /**
   * The scenario gains a message at the end; the timeline is rebuilt and the cursor jumps to the message's
   * first step. Returns false (and adds a problem) when the scenario's limits would be exceeded.
   */
  addMessage(from: Side, text: string): boolean;
  dismissProblems(): void;
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;

export interface PlaybackSlice {
  readonly cursor: number;
  readonly playing: boolean;
  readonly speed: number;
  next(): void;
  prev(): void;
  first(): void;
  last(): void;
  seek(index: number): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
}

/** The lower centre of the stage shows one of these at a time. */
export type Panel = 'ladder' | 'bytes' | 'code' | 'compare';

export interface PrefsSlice {
  readonly theme: 'light' | 'dark';
  readonly reducedMotion: boolean;
  readonly panel: Panel;
  /** The panel takes the whole stage (stacks and wire hidden): room for bytes and code on a small screen. */
  readonly expanded: boolean;
  setTheme(theme: 'light' | 'dark'): void;
  toggleTheme(): void;
  setReducedMotion(reduced: boolean): void;
  setPanel(panel: Panel): void;
  toggleExpanded(): void;
}

export type Dialog = 'share' | 'export';

export interface ClassroomSlice {
  /** The lesson's introduction card is showing (after choosing a lesson, or on a link without a step). */
  readonly introOpen: boolean;
  /** The lessons' classroom content (intros, questions, notes, asides) has been loaded. */
  readonly lessonContentReady: boolean;
  /** Presenter mode's black screen (B or `.`). */
  readonly blackout: boolean;
  readonly dialog: Dialog | null;
  /**
   * Load a lesson's own scenario, open at its start step and show its introduction. The embed range and
   * the old link's problems go with the old scenario.
   */
  chooseLesson(id: string): void;
  /** Called when `loadLessonContent()` resolves, so views that show lesson content draw it. */
  markLessonContentReady(): void;
  dismissIntro(): void;
  /** Presenter mode lives in the view (`present=1` in the link); leaving it also ends a blackout. */
  setPresent(on: boolean): void;
  setBlackout(on: boolean): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
}

export type WirewalkState = ScenarioSlice & PlaybackSlice & PrefsSlice & ClassroomSlice;
export type WirewalkStore = StoreApi<WirewalkState>;

function clampIndex(index: number, timeline: Timeline): number {
  const last = timeline.steps.length - 1;
  if (last < 0 || !Number.isFinite(index)) return 0;
  return Math.max(0, Math.min(last, Math.trunc(index)));
}

/**
 * The steps the cursor may visit, 0-based and inclusive: every step, or in embed mode the `from`–`to` range
 * (each end clamped to the timeline).
 */
export function stepRange(
  view: ViewState,
  timeline: Timeline,
): { readonly first: number; readonly last: number } {
  const last = Math.max(0, timeline.steps.length - 1);
  if (!view.embed) return { first: 0, last };
  const lo = view.from === null ? 0 : clampIndex(view.from - 1, timeline);
  const hi = view.to === null ? last : clampIndex(view.to - 1, timeline);
  return { first: Math.min(lo, hi), last: Math.max(lo, hi) };
}

function clampToRange(index: number, view: ViewState, timeline: Timeline): number {
  const { first, last } = stepRange(view, timeline);
  if (!Number.isFinite(index)) return first;
  return Math.max(first, Math.min(last, Math.trunc(index)));
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

const createScenarioSlice =
  (
    build: Build,
    initial: { scenario: Scenario; view: ViewState; problems: readonly LinkProblem[] },
    prepare: Prepare,
  ): StateCreator<WirewalkState, [], [], ScenarioSlice> =>
  (set, get) => ({
    scenario: initial.scenario,
    view: initial.view,
    problems: initial.problems,
    timeline: build(initial.scenario),
    setScenario(scenario, opts) {
      const pending = prepare(scenario.story);
      if (pending) {
        // A story not loaded yet: build it once it is (a later setScenario wins, as it runs after).
        void pending.then(() => get().setScenario(scenario, opts)).catch(() => undefined);
        return;
      }
      const timeline = build(scenario);
      const cursor = clampToRange(opts?.step ?? get().cursor, get().view, timeline);
      set({ scenario, timeline, cursor });
    },
    addMessage(from, text) {
      const { scenario, timeline: before } = get();
      const bytes = scenario.messages.reduce((n, m) => n + utf8Length(m.text), 0) + utf8Length(text);
      const problem =
        scenario.messages.length + 1 > LIMITS.maxMessages
          ? `a scenario holds at most ${LIMITS.maxMessages} messages`
          : bytes > LIMITS.maxMessageBytes
            ? `all messages together may hold at most ${LIMITS.maxMessageBytes} bytes of text`
            : null;
      if (problem) {
        set({
          problems: [
            ...get().problems,
            { param: 'm', message: `The message was not added: ${problem}.`, used: '' },
          ],
        });
        return false;
      }
      const next: Scenario = { ...scenario, messages: [...scenario.messages, { from, text }] };
      const timeline = build(next);
      const ordinal = next.messages.filter((m) => m.from === from).length - 1;
      const cursor = clampToRange(
        messageFirstStep(timeline, from, ordinal, firstDifference(before, timeline)),
        get().view,
        timeline,
      );
      set({ scenario: next, timeline, cursor, playing: false });
      return true;
    },
    dismissProblems() {
      set({ problems: [] });
    },
  });

const createPlaybackSlice =
  (cursor: number): StateCreator<WirewalkState, [], [], PlaybackSlice> =>
  (set, get) => {
    const range = () => stepRange(get().view, get().timeline);
    const to = (index: number) => clampToRange(index, get().view, get().timeline);
    // Moving through the lesson puts its introduction away.
    return {
      cursor,
      playing: false,
      speed: 1,
      next() {
        const { cursor: at, playing } = get();
        const next = to(at + 1);
        // Playing stops at the last step rather than wrapping round.
        set({ cursor: next, playing: playing && next < range().last, introOpen: false });
      },
      prev() {
        set({ cursor: to(get().cursor - 1), introOpen: false });
      },
      first() {
        set({ cursor: range().first, introOpen: false });
      },
      last() {
        set({ cursor: range().last, playing: false, introOpen: false });
      },
      seek(index) {
        set({ cursor: to(index), introOpen: false });
      },
      play() {
        const { first, last } = range();
        if (last <= first) return;
        // Play from the end starts again from the beginning, as media players do.
        set({ playing: true, cursor: get().cursor >= last ? first : get().cursor, introOpen: false });
      },
      pause() {
        set({ playing: false });
      },
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      setSpeed(speed) {
        if (!Number.isFinite(speed)) return;
        set({ speed: Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed)) });
      },
    };
  };

const createPrefsSlice =
  (prefs: {
    theme: 'light' | 'dark';
    reducedMotion: boolean;
  }): StateCreator<WirewalkState, [], [], PrefsSlice> =>
  (set, get) => ({
    theme: prefs.theme,
    reducedMotion: prefs.reducedMotion,
    panel: 'ladder',
    expanded: false,
    setTheme(theme) {
      set({ theme });
    },
    toggleTheme() {
      set({ theme: get().theme === 'light' ? 'dark' : 'light' });
    },
    setReducedMotion(reducedMotion) {
      set({ reducedMotion });
    },
    setPanel(panel) {
      set({ panel });
    },
    toggleExpanded() {
      set({ expanded: !get().expanded });
    },
  });

const createClassroomSlice =
  (build: Build, introOpen: boolean, prepare: Prepare): StateCreator<WirewalkState, [], [], ClassroomSlice> =>
  (set, get) => ({
    introOpen,
    blackout: false,
    dialog: null,
    lessonContentReady: lessonContentLoaded(),
    chooseLesson(id) {
      const lesson = lessonById(id);
      if (!lesson) return;
      const pending = prepare(lesson.story);
      if (pending) {
        void pending.then(() => get().chooseLesson(id)).catch(() => undefined);
        return;
      }
      const scenario = lessonScenario(lesson.id);
      const timeline = build(scenario);
      const view: ViewState = { ...get().view, step: null, from: null, to: null };
      set({
        scenario,
        timeline,
        view,
        cursor: clampToRange(lessonStartIndex(lesson, timeline), view, timeline),
        playing: false,
        problems: [],
        introOpen: true,
      });
      if (!lessonContentLoaded()) {
        // The start step is part of the lazily loaded content: move there once it lands, unless the
        // viewer has moved or chosen something else meanwhile.
        void loadLessonContent().then(() => {
          const s = get();
          if (s.timeline !== timeline || s.cursor !== clampToRange(0, view, timeline)) return;
          set({ cursor: clampToRange(lessonStartIndex(lesson, timeline), view, timeline) });
        });
      }
    },
    markLessonContentReady() {
      if (!get().lessonContentReady) set({ lessonContentReady: lessonContentLoaded() });
    },
    dismissIntro() {
      set({ introOpen: false });
    },
    setPresent(on) {
      const view = get().view;
      if (view.embed || view.present === on) return;
      set({ view: { ...view, present: on }, blackout: false, introOpen: on ? false : get().introOpen });
    },
    setBlackout(blackout) {
      set({ blackout: blackout && get().view.present });
    },
    openDialog(dialog) {
      if (!get().view.embed) set({ dialog, playing: false });
    },
    closeDialog() {
      set({ dialog: null });
    },
  });

export interface StoreInit {
  readonly scenario: Scenario;
  readonly build: Build;
  /**
   * Makes sure a story can be built: `null` when it can now, else a promise for when it can (the larger
   * stories are loaded on demand). Absent: every story is always there.
   */
  readonly prepare?: (story: Scenario['story']) => Promise<void> | null;
  readonly view?: ViewState;
  readonly problems?: readonly LinkProblem[];
  readonly theme?: 'light' | 'dark';
  readonly reducedMotion?: boolean;
  /** Open with the lesson's introduction showing. */
  readonly intro?: boolean;
}

/**
 * What the link asked for that only the built timeline can refuse: a step past the end, an embed range past
 * the end or a step outside it. Each becomes a problem saying what is shown instead.
 */
function stepProblems(view: ViewState, timeline: Timeline, cursor: number): LinkProblem[] {
  const count = timeline.steps.length;
  const steps = `${count} step${count === 1 ? '' : 's'}`;
  const problems: LinkProblem[] = [];
  if (view.embed) {
    for (const param of ['from', 'to'] as const) {
      const n = view[param];
      if (n !== null && n > count) {
        problems.push({
          param,
          message: `${param}=${n} is past the end (${steps}); the range ends at step ${count}`,
          used: String(count),
        });
      }
    }
  }
  if (view.step !== null && view.step - 1 !== cursor) {
    const shown = String(cursor + 1);
    const message =
      view.step > count
        ? `step=${view.step} is past the end (${steps}); showing step ${shown}`
        : `step=${view.step} is outside the embedded range (steps ${stepRange(view, timeline).first + 1}` +
          `–${stepRange(view, timeline).last + 1}); showing step ${shown}`;
    problems.push({ param: 'step', message, used: shown });
  }
  return problems;
}

/**
 * The app makes one; tests make as many as they like. The cursor starts at `view.step` (1-based in links),
 * or at the start of the embed range.
 */
export function createWirewalkStore(init: StoreInit): WirewalkStore {
  const view = init.view ?? DEFAULT_VIEW;
  const prepare: Prepare = init.prepare ?? (() => null);
  return createStore<WirewalkState>()((...a) => {
    const scenario = createScenarioSlice(
      init.build,
      { scenario: init.scenario, view, problems: init.problems ?? [] },
      prepare,
    )(...a);
    const timeline = scenario.timeline;
    const start = view.step === null ? stepRange(view, timeline).first : view.step - 1;
    const cursor = clampToRange(start, view, timeline);
    const problems = [...scenario.problems, ...stepProblems(view, timeline, cursor)];
    return {
      ...scenario,
      problems,
      ...createPlaybackSlice(cursor)(...a),
      ...createPrefsSlice({ theme: init.theme ?? 'light', reducedMotion: init.reducedMotion ?? false })(...a),
      ...createClassroomSlice(init.build, init.intro ?? false, prepare)(...a),
    };
  });
}

// Selectors: narrow, and returning values already in the store (no new objects), so subscribers re-render
// only when their answer changes.
export const selectStep = (s: WirewalkState): Step | undefined => s.timeline.steps[s.cursor];
export const selectStepCount = (s: WirewalkState): number => s.timeline.steps.length;
export const selectChapter = (s: WirewalkState): Chapter | undefined => {
  const id = s.timeline.steps[s.cursor]?.chapter;
  return s.timeline.chapters.find((c) => c.id === id);
};
export const selectPacket = (s: WirewalkState): Packet | undefined => {
  const id = s.timeline.steps[s.cursor]?.packet;
  return id === undefined ? undefined : s.timeline.packets[id];
};
export const selectInspected = (s: WirewalkState): Packet | undefined =>
  inspectedPacket(s.timeline, s.cursor);

/** First and last step (0-based) the cursor may visit: the embed range, or the whole timeline. */
export const selectFirstAllowed = (s: WirewalkState): number => stepRange(s.view, s.timeline).first;
export const selectLastAllowed = (s: WirewalkState): number => stepRange(s.view, s.timeline).last;

/** The lesson's aside for the current step (a string, so subscribers re-render only when the words change). */
export const selectAside = (s: WirewalkState): string | undefined => {
  if (!s.lessonContentReady) return undefined;
  const step = s.timeline.steps[s.cursor];
  const lesson = lessonById(s.scenario.lesson);
  return step && lesson ? lessonAside(lesson, step, s.timeline) : undefined;
};
