/**
 * What this browser remembers between visits: the theme once chosen, and whether the sequence diagram hides
 * the packets to come, per mode. Read back checked; a storage that refuses loses them quietly.
 */
import { SCENARIO_DEFAULTS } from '../../src/sim/scenario';
import type { AnswerStorage } from '../../src/state/checks';
import { loadPrefs, PREFS_KEY, rememberPrefs, savePrefs } from '../../src/state/prefsStorage';
import { createWirewalkStore, selectHideFuture } from '../../src/state/store';
import { FIXTURE } from '../views/fixture';

function memory(): AnswerStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** A page visit: the store starts from what storage remembers (as main.tsx does), and remembers changes. */
function visit(storage: AnswerStorage, present = false) {
  const store = createWirewalkStore({
    scenario: SCENARIO_DEFAULTS,
    build: () => FIXTURE,
    view: { step: 1, present, embed: false, from: null, to: null },
    theme: 'light', // what the system says
    ...loadPrefs(storage),
  });
  const stop = rememberPrefs(store, storage);
  return { store, stop };
}

describe('remembered preferences', () => {
  it('the theme, once chosen, is the theme of the next visit', () => {
    const storage = memory();
    const first = visit(storage);
    expect(storage.data.has(PREFS_KEY)).toBe(false); // nothing chosen yet: the system's theme is not written
    first.store.getState().toggleTheme();
    first.stop();
    const second = visit(storage);
    expect(second.store.getState().theme).toBe('dark');
    second.store.getState().setTheme('light');
    expect(visit(storage).store.getState().theme).toBe('light');
  });

  it('hiding the packets to come: on in presenter mode and off otherwise, until changed; then remembered', () => {
    const storage = memory();
    const { store } = visit(storage, true);
    expect(selectHideFuture(store.getState())).toBe(true);
    store.getState().toggleHideFuture();
    expect(selectHideFuture(store.getState())).toBe(false);
    const next = visit(storage, true).store;
    expect(selectHideFuture(next.getState())).toBe(false);
    next.getState().setPresent(false);
    expect(selectHideFuture(next.getState())).toBe(false);
    next.getState().toggleHideFuture();
    expect(visit(storage, false).store.getState().hideFuture).toEqual({ present: false, normal: true });
  });

  it('keeps the theme when the diagram choice changes, and the other way round', () => {
    const storage = memory();
    const { store } = visit(storage);
    store.getState().setTheme('dark');
    store.getState().toggleHideFuture();
    expect(loadPrefs(storage)).toEqual({ theme: 'dark', hideFuture: { present: true, normal: true } });
  });

  it('reads garbage as nothing remembered, and keeps only well-formed values', () => {
    const storage = memory();
    for (const junk of ['{', '[1]', 'null', '"dark"', '{"theme":"blue"}', '{"hideFuture":{"present":1}}']) {
      storage.data.set(PREFS_KEY, junk);
      expect(loadPrefs(storage)).toEqual({});
    }
    storage.data.set(PREFS_KEY, '{"theme":"dark","hideFuture":{"present":false}}');
    expect(loadPrefs(storage)).toEqual({ theme: 'dark' });
  });

  it('a storage that throws (private windows, quota) loses them quietly instead of breaking', () => {
    const broken: AnswerStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(loadPrefs(broken)).toEqual({});
    expect(savePrefs(broken, { theme: 'dark' })).toBe(false);
    expect(savePrefs(null, { theme: 'dark' })).toBe(false);
    const { store } = visit(broken);
    expect(() => store.getState().toggleTheme()).not.toThrow();
  });
});
