/**
 * "Check yourself": the order the choices are shown in, and the answers.
 *
 * Order: the lesson content lists each question's right answer where its author wrote it (mostly first), so
 * the choices are shown shuffled, with the link's seed: the same link shows the same order, another seed
 * another one. A question's choices keep their ids (their index in the content), and grading compares ids,
 * never positions.
 *
 * Answers live in this browser's localStorage and nowhere else: nothing is sent, graded or shared. Keyed by
 * lesson, and by each question's text (so a reworded question starts afresh instead of inheriting an answer
 * to a different one); the value is the text of the choice picked. Storage may be missing or refuse (private
 * windows, file://, quota): then answers last as long as the page.
 */
import { rngStream } from '../sim/random';
import type { AnswerStorage } from './storage';

export { browserStorage, type AnswerStorage } from './storage';

/** What the order needs of a question: its text (its id), how many choices, and which one is right. */
export interface ShuffledQuestion {
  readonly question: string;
  readonly choices: readonly unknown[];
  readonly answer: number;
}

/**
 * The order one question's choices are shown in: `order[position]` is the id (content index) of the choice
 * shown there. A Fisher–Yates shuffle drawn from the stream `checks:<lesson>:<question>` of the seed.
 */
export function choiceOrder(seed: number, lesson: string, question: string, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = rngStream(seed, `checks:${lesson}:${question}`);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * The orders of a lesson's questions. With two questions or more, the right answers never all sit at the
 * same position (a shuffle alone would do that for one seed in three on a two-question lesson): when they
 * would, the last question's order is turned by one place, which moves its right answer and nothing else.
 */
export function lessonChoiceOrders(
  seed: number,
  lesson: string,
  questions: readonly ShuffledQuestion[],
): number[][] {
  const orders = questions.map((q) => choiceOrder(seed, lesson, q.question, q.choices.length));
  const positions = orders.map((o, i) => o.indexOf(questions[i]!.answer));
  const last = orders.length - 1;
  if (last >= 1 && orders[last]!.length >= 2 && positions.every((p) => p === positions[0])) {
    orders[last] = [...orders[last]!.slice(1), orders[last]![0]!];
  }
  return orders;
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
