/**
 * The one store (zustand slices, actions beside their state):
 * - scenario: the link's scenario and view, its problems, and the timeline built from it;
 * - playback: the cursor (0-based step index), playing, speed;
 * - prefs: theme, reduced motion, which detail panel is open.
 * The current step is derived (`selectStep`), never copied into the store.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_VIEW, type LinkProblem, type ViewState } from '../lesson/link';
import { LIMITS, type Scenario, type Side } from '../sim/scenario';
import type { Chapter, Packet, Step, Timeline } from '../sim/types';
import { firstDifference, inspectedPacket, messageFirstStep } from './derive';

export type Build = (scenario: Scenario) => Timeline;

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

export type WirewalkState = ScenarioSlice & PlaybackSlice & PrefsSlice;
export type WirewalkStore = StoreApi<WirewalkState>;

function clampIndex(index: number, timeline: Timeline): number {
  const last = timeline.steps.length - 1;
  if (last < 0 || !Number.isFinite(index)) return 0;
  return Math.max(0, Math.min(last, Math.trunc(index)));
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

const createScenarioSlice =
  (
    build: Build,
    initial: { scenario: Scenario; view: ViewState; problems: readonly LinkProblem[] },
  ): StateCreator<WirewalkState, [], [], ScenarioSlice> =>
  (set, get) => ({
    scenario: initial.scenario,
    view: initial.view,
    problems: initial.problems,
    timeline: build(initial.scenario),
    setScenario(scenario, opts) {
      const timeline = build(scenario);
      const cursor = clampIndex(opts?.step ?? get().cursor, timeline);
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
      const cursor = clampIndex(
        messageFirstStep(timeline, from, ordinal, firstDifference(before, timeline)),
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
  (set, get) => ({
    cursor,
    playing: false,
    speed: 1,
    next() {
      const { cursor: at, timeline, playing } = get();
      const to = clampIndex(at + 1, timeline);
      // Playing stops at the last step rather than wrapping round.
      set({ cursor: to, playing: playing && to < timeline.steps.length - 1 });
    },
    prev() {
      set({ cursor: clampIndex(get().cursor - 1, get().timeline) });
    },
    first() {
      set({ cursor: 0 });
    },
    last() {
      set({ cursor: Math.max(0, get().timeline.steps.length - 1), playing: false });
    },
    seek(index) {
      set({ cursor: clampIndex(index, get().timeline) });
    },
    play() {
      const { cursor: at, timeline } = get();
      if (timeline.steps.length < 2) return;
      // Play from the end starts again from the beginning, as media players do.
      set({ playing: true, cursor: at >= timeline.steps.length - 1 ? 0 : at });
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
  });

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

export interface StoreInit {
  readonly scenario: Scenario;
  readonly build: Build;
  readonly view?: ViewState;
  readonly problems?: readonly LinkProblem[];
  readonly theme?: 'light' | 'dark';
  readonly reducedMotion?: boolean;
}

/** The app makes one; tests make as many as they like. The cursor starts at `view.step` (1-based in links). */
export function createWirewalkStore(init: StoreInit): WirewalkStore {
  const view = init.view ?? DEFAULT_VIEW;
  return createStore<WirewalkState>()((...a) => {
    const scenario = createScenarioSlice(init.build, {
      scenario: init.scenario,
      view,
      problems: init.problems ?? [],
    })(...a);
    return {
      ...scenario,
      ...createPlaybackSlice(clampIndex((view.step ?? 1) - 1, scenario.timeline))(...a),
      ...createPrefsSlice({ theme: init.theme ?? 'light', reducedMotion: init.reducedMotion ?? false })(...a),
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
