/**
 * The prefs slice: theme, reduced motion, which detail panel is open and whether it fills the stage, and
 * whether the sequence diagram hides the packets still to come. The theme and that choice are remembered in
 * this browser (prefsStorage.ts).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { WirewalkState } from './store';

/** The lower centre of the stage shows one of these at a time. */
/** `layers`: the two stacks as a panel, offered only by the phone layout (views/panels/StagePanels.tsx). */
export type Panel = 'layers' | 'ladder' | 'bytes' | 'code' | 'compare';

/**
 * Hide the packets that have not happened yet (no spoilers: the class guesses Seq and Ack before they show),
 * chosen separately for presenter mode (on unless turned off) and for the normal view (off unless turned on).
 */
export interface HideFuture {
  readonly present: boolean;
  readonly normal: boolean;
}

export const HIDE_FUTURE_DEFAULT: HideFuture = { present: true, normal: false };

export interface PrefsSlice {
  readonly theme: 'light' | 'dark';
  readonly reducedMotion: boolean;
  readonly panel: Panel;
  /** The panel takes the whole stage (stacks and wire hidden): room for bytes and code on a small screen. */
  readonly expanded: boolean;
  readonly hideFuture: HideFuture;
  /**
   * The page's clock (performance.now) for telling hurried steps from paced ones (views/motion/useStepMotion.ts);
   * null: every step is taken at a reading pace (tests, unless they hand one in).
   */
  readonly stepClock: (() => number) | null;
  setTheme(theme: 'light' | 'dark'): void;
  toggleTheme(): void;
  setReducedMotion(reduced: boolean): void;
  setPanel(panel: Panel): void;
  toggleExpanded(): void;
  /** Turn hiding the packets to come on or off for the mode showing now (presenter or normal). */
  toggleHideFuture(): void;
}

export const createPrefsSlice =
  (prefs: {
    theme: 'light' | 'dark';
    reducedMotion: boolean;
    hideFuture?: HideFuture;
    stepClock?: () => number;
  }): StateCreator<WirewalkState, [], [], PrefsSlice> =>
  (set, get) => ({
    theme: prefs.theme,
    reducedMotion: prefs.reducedMotion,
    panel: 'ladder',
    expanded: false,
    hideFuture: prefs.hideFuture ?? HIDE_FUTURE_DEFAULT,
    stepClock: prefs.stepClock ?? null,
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
    toggleHideFuture() {
      const { hideFuture, view } = get();
      const mode = view.present ? 'present' : 'normal';
      set({ hideFuture: { ...hideFuture, [mode]: !hideFuture[mode] } });
    },
  });
