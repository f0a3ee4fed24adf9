/**
 * "Check yourself" answers live in this browser's localStorage and nowhere else: nothing is sent, graded or
 * shared. Keyed by lesson, and by each question's text (so a reworded question starts afresh instead of
 * inheriting an answer to a different one). Storage may be missing or refuse (private windows, file://,
 * quota): then answers last as long as the page.
 */

/** The subset of the Web Storage API used here (a Map-backed fake in tests). */
export interface AnswerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Question text → the text of the choice picked. */
export type Answers = Readonly<Record<string, string>>;

export const answersKey = (lesson: string): string => `wirewalk:checks:${lesson}`;

export function loadAnswers(storage: AnswerStorage | null, lesson: string): Answers {
  try {
    const raw = storage?.getItem(answersKey(lesson));
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const answers: Record<string, string> = {};
    for (const [q, a] of Object.entries(parsed)) if (typeof a === 'string') answers[q] = a;
    return answers;
  } catch {
    return {};
  }
}

/** Returns false when the browser refused to keep them. */
export function saveAnswers(storage: AnswerStorage | null, lesson: string, answers: Answers): boolean {
  try {
    if (!storage) return false;
    if (Object.keys(answers).length === 0) storage.removeItem(answersKey(lesson));
    else storage.setItem(answersKey(lesson), JSON.stringify(answers));
    return true;
  } catch {
    return false;
  }
}

/** window.localStorage, or null where reading it throws (sandboxed iframes, some file:// setups). */
export function browserStorage(): AnswerStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
