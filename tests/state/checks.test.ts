import { lessonsInOrder } from '../../src/lesson/catalogue';
import { DEFAULT_SEED } from '../../src/sim/scenario';
import {
  answersKey,
  choiceOrder,
  lessonChoiceOrders,
  loadAnswers,
  saveAnswers,
  type AnswerStorage,
} from '../../src/state/checks';
import { lessonChecks, loadLessonContent } from '../../src/state/lesson';

function memory(): AnswerStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('self-check answers in local storage', () => {
  it('round-trips per lesson, keyed by question text', () => {
    const s = memory();
    expect(saveAnswers(s, 'tcp', { 'Why SYN?': 'Because' })).toBe(true);
    expect(s.data.get(answersKey('tcp'))).toBe('{"Why SYN?":"Because"}');
    expect(loadAnswers(s, 'tcp')).toEqual({ 'Why SYN?': 'Because' });
    expect(loadAnswers(s, 'upgrade')).toEqual({});
  });

  it('clearing removes the key', () => {
    const s = memory();
    saveAnswers(s, 'tcp', { q: 'a' });
    saveAnswers(s, 'tcp', {});
    expect(s.data.has(answersKey('tcp'))).toBe(false);
  });

  it('reads garbage as no answers and keeps only string answers', () => {
    const s = memory();
    for (const junk of ['{', '[1,2]', 'null', '"x"', '{"q":3,"r":"ok"}']) {
      s.data.set(answersKey('x'), junk);
      expect(loadAnswers(s, 'x')).toEqual(junk.includes('"r"') ? { r: 'ok' } : {});
    }
  });

  it('a storage that throws (private windows, quota) loses answers quietly instead of breaking', () => {
    const broken: AnswerStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadAnswers(broken, 'tcp')).toEqual({});
    expect(saveAnswers(broken, 'tcp', { q: 'a' })).toBe(false);
    expect(saveAnswers(null, 'tcp', { q: 'a' })).toBe(false);
  });
});

describe('the order choices are shown in', () => {
  const lessons = () =>
    lessonsInOrder()
      .map((l) => ({ id: l.id, checks: lessonChecks(l) }))
      .filter((l) => l.checks.length > 0);
  beforeAll(() => loadLessonContent());

  it('every lesson has questions to shuffle', () => {
    expect(lessons().length).toBe(lessonsInOrder().length);
  });

  /** The position each question's right answer is shown at. */
  const answerPositions = (seed: number, id: string, checks: ReturnType<typeof lessonChecks>) =>
    lessonChoiceOrders(seed, id, checks).map((order, i) => order.indexOf(checks[i]!.answer));

  it.each([DEFAULT_SEED, 1, 42, 0xffffffff])(
    'no lesson shows every right answer at one position (seed %i)',
    (seed) => {
      for (const { id, checks } of lessons()) {
        const positions = answerPositions(seed, id, checks);
        if (checks.length >= 2) expect(new Set(positions).size, id).toBeGreaterThan(1);
      }
    },
  );

  it('holds for any seed (500 seeds, every lesson)', () => {
    for (let seed = 0; seed < 500; seed++) {
      for (const { id, checks } of lessons()) {
        if (checks.length < 2) continue;
        expect(new Set(answerPositions(seed * 2654435761, id, checks)).size).toBeGreaterThan(1);
      }
    }
  });

  it('every order is a permutation of the choices, the same for the same seed, lesson and question', () => {
    for (const { id, checks } of lessons()) {
      const a = lessonChoiceOrders(DEFAULT_SEED, id, checks);
      expect(lessonChoiceOrders(DEFAULT_SEED, id, checks)).toEqual(a);
      a.forEach((order, i) => expect([...order].sort()).toEqual(checks[i]!.choices.map((_, k) => k)));
    }
  });

  it('differs between questions, lessons and seeds', () => {
    const orders = (seed: number, lesson: string) =>
      ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'].map((q) => choiceOrder(seed, lesson, q, 4).join(''));
    expect(new Set(orders(DEFAULT_SEED, 'tcp')).size).toBeGreaterThan(1);
    expect(orders(DEFAULT_SEED, 'tcp')).not.toEqual(orders(DEFAULT_SEED, 'upgrade'));
    expect(orders(DEFAULT_SEED, 'tcp')).not.toEqual(orders(7, 'tcp'));
    // Across the real content the right answer is not always shown first (it is in the content, 40 of 41).
    const firsts = lessons().flatMap(({ id, checks }) =>
      lessonChoiceOrders(DEFAULT_SEED, id, checks).map((o, i) => o[0] === checks[i]!.answer),
    );
    expect(firsts.filter(Boolean).length).toBeLessThan(firsts.length / 2);
  });

  it('leaves the content as written', () => {
    const { id, checks } = lessons()[0]!;
    const before = JSON.stringify(checks);
    lessonChoiceOrders(3, id, checks);
    expect(JSON.stringify(checks)).toBe(before);
  });
});
