/**
 * The preferences this browser remembers between visits: the theme once chosen (until then the operating
 * system's), and whether the sequence diagram hides the packets to come, per mode. One localStorage key;
 * nothing is sent anywhere. Storage may be missing or refuse (private windows, file://, quota): then the
 * choices last as long as the page. What is read back is checked, so a hand-edited value cannot break the page.
 */
import type { AnswerStorage } from './storage';
import type { HideFuture } from './prefsSlice';
import type { WirewalkStore } from './store';

export const PREFS_KEY = 'wirewalk:prefs';

export interface StoredPrefs {
  readonly theme?: 'light' | 'dark';
  readonly hideFuture?: HideFuture;
}

export function loadPrefs(storage: AnswerStorage | null): StoredPrefs {
  try {
    const raw = storage?.getItem(PREFS_KEY);
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { theme, hideFuture } = parsed as Record<string, unknown>;
    const out: { theme?: 'light' | 'dark'; hideFuture?: HideFuture } = {};
    if (theme === 'light' || theme === 'dark') out.theme = theme;
    if (typeof hideFuture === 'object' && hideFuture !== null) {
      const { present, normal } = hideFuture as Record<string, unknown>;
      if (typeof present === 'boolean' && typeof normal === 'boolean') out.hideFuture = { present, normal };
    }
    return out;
  } catch {
    return {};
  }
}

/** Returns false when the browser refused to keep them. */
export function savePrefs(storage: AnswerStorage | null, prefs: StoredPrefs): boolean {
  try {
    if (!storage) return false;
    storage.setItem(PREFS_KEY, JSON.stringify(prefs));
    return true;
  } catch {
    return false;
  }
}

/**
 * Remember the theme and the diagram's hiding whenever they change from now on (the theme the page opened
 * with, the system's, is not written: only a choice is). Returns the unsubscribe function.
 */
export function rememberPrefs(store: WirewalkStore, storage: AnswerStorage | null): () => void {
  let kept: StoredPrefs = loadPrefs(storage);
  return store.subscribe((s, before) => {
    if (s.theme === before.theme && s.hideFuture === before.hideFuture) return;
    kept = {
      ...kept,
      ...(s.theme !== before.theme ? { theme: s.theme } : {}),
      ...(s.hideFuture !== before.hideFuture ? { hideFuture: s.hideFuture } : {}),
    };
    savePrefs(storage, kept);
  });
}
