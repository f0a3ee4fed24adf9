/**
 * The classroom slice: the lesson introduction, presenter mode and its blackout, the open dialog, and
 * choosing a lesson.
 */
import type { StateCreator } from 'zustand/vanilla';
import { lessonById, lessonScenario } from '../lesson/catalogue';
import type { ViewState } from '../lesson/link';
import { lessonContentLoaded, lessonStartCursor, loadLessonContent } from './lesson';
import type { ScenarioLoader } from './loadScenario';
import type { WirewalkState } from './store';

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

export const createClassroomSlice =
  (loader: ScenarioLoader, introOpen: boolean): StateCreator<WirewalkState, [], [], ClassroomSlice> =>
  (set, get) => ({
    introOpen,
    blackout: false,
    dialog: null,
    lessonContentReady: lessonContentLoaded(),
    chooseLesson(id) {
      const lesson = lessonById(id);
      if (!lesson) return;
      const scenario = lessonScenario(lesson.id);
      loader.load(scenario, (timeline) => {
        const view: ViewState = { ...get().view, step: null, from: null, to: null };
        const before = lessonStartCursor(lesson.id, view, timeline);
        set({
          scenario,
          timeline,
          view,
          cursor: before,
          playing: false,
          problems: [],
          introOpen: true,
        });
        if (!lessonContentLoaded()) {
          // The start step is part of the lazily loaded content: move there once it lands, unless the
          // viewer has moved or chosen something else meanwhile.
          void loadLessonContent().then(() => {
            const s = get();
            if (s.timeline !== timeline || s.cursor !== before) return;
            set({ cursor: lessonStartCursor(lesson.id, view, timeline) });
          });
        }
      });
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
