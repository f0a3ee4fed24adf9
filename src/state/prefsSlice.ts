/**
 * The prefs slice: theme, reduced motion, which detail panel is open and whether it fills the stage.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { WirewalkState } from './store';

/** The lower centre of the stage shows one of these at a time. */
/** `layers`: the two stacks as a panel, offered only by the phone layout (views/panels/StagePanels.tsx). */
export type Panel = 'layers' | 'ladder' | 'bytes' | 'code' | 'compare';

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

export const createPrefsSlice =
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
