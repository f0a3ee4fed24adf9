/**
 * This browser's localStorage, as the answers to "Check yourself" (checks.ts) and the remembered choices
 * (prefsStorage.ts) use it; apart from checks.ts so that the page's first download need not take the questions'
 * code along to read the preferences.
 */
/** The subset of the Web Storage API used here (a Map-backed fake in tests). */
export interface AnswerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** window.localStorage, or null where reading it throws (sandboxed iframes, some file:// setups). */
export function browserStorage(): AnswerStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
