// @vitest-environment jsdom
/**
 * "Check yourself" on a real lesson's questions: choices in the seed's order, graded by the Check button
 * only (right or wrong, the right answer, and why), no key ever changing an answer once given, answers kept
 * in localStorage only and read back on the next visit, cleared on request, and in presenter mode the
 * answers revealed for the class.
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { lessonById } from '../../src/lesson/catalogue';
import { DEFAULT_SEED } from '../../src/sim/scenario';
import { answersKey, lessonChoiceOrders } from '../../src/state/checks';
import { lessonChecks, loadLessonContent } from '../../src/state/lesson';
import { SelfCheck } from '../../src/views/checks/SelfCheck';

const lesson = lessonById('upgrade')!;
await loadLessonContent();
const checks = lessonChecks(lesson);

function renderChecks({ seed = DEFAULT_SEED, present = false, onHide = vi.fn() } = {}) {
  return {
    onHide,
    ...render(
      <SelfCheck lessonId={lesson.id} seed={seed} checks={checks} present={present} onHide={onHide} />,
    ),
  };
}

const question = (i: number) => screen.getByRole('group', { name: new RegExp(`^${i + 1}\\.`) });
const shown = (i: number) =>
  within(question(i))
    .getAllByRole('radio')
    .map((r) => r.parentElement!.textContent!.trim());
const feedback = (i: number) => question(i).querySelector('.check-feedback')!;
const stored = () =>
  JSON.parse(localStorage.getItem(answersKey(lesson.id)) ?? '{}') as Record<string, string>;

/** Picks choice `choice` of question `i` with a click and presses Check. */
async function answer(user: ReturnType<typeof userEvent.setup>, i: number, choice: string) {
  await user.click(within(question(i)).getByRole('radio', { name: choice }));
  await user.click(within(question(i)).getByRole('button', { name: 'Check' }));
}

const wrongOf = (i: number) => checks[i]!.choices.find((_, k) => k !== checks[i]!.answer)!;
const rightOf = (i: number) => checks[i]!.choices[checks[i]!.answer]!;

describe('SelfCheck', () => {
  beforeEach(() => localStorage.clear());

  it('asks every question, its choices in the order the seed gives (the same on every visit)', () => {
    const orders = lessonChoiceOrders(DEFAULT_SEED, lesson.id, checks);
    const { unmount } = renderChecks();
    expect(checks.length).toBeGreaterThanOrEqual(2);
    const first = checks.map((c, i) => {
      expect(question(i)).toHaveAccessibleName(`${i + 1}. ${c.question}`);
      expect(shown(i)).toEqual(orders[i]!.map((id) => c.choices[id]));
      expect([...shown(i)].sort()).toEqual([...c.choices].sort());
      return shown(i);
    });
    // The right answers are not all at one position.
    const positions = checks.map((c, i) => first[i]!.indexOf(c.choices[c.answer]!));
    expect(new Set(positions).size).toBeGreaterThan(1);
    unmount();
    renderChecks();
    checks.forEach((_, i) => expect(shown(i)).toEqual(first[i]));
    expect(screen.getByText(/never sent anywhere/)).toBeInTheDocument();
  });

  it('another seed shows another order', () => {
    const { unmount } = renderChecks();
    const before = checks.map((_, i) => shown(i).join('|'));
    unmount();
    // Some seed among the first few changes some question's order (one that changed none would be a bug).
    const differs = [1, 2, 3, 4, 5].some((seed) => {
      const r = renderChecks({ seed });
      const changed = checks.some((_, i) => shown(i).join('|') !== before[i]);
      r.unmount();
      return changed;
    });
    expect(differs).toBe(true);
  });

  it('a click only picks: Check grades it, by choice, wherever it is shown', async () => {
    const user = userEvent.setup();
    renderChecks();
    const c = checks[0]!;
    await user.click(within(question(0)).getByRole('radio', { name: wrongOf(0) }));
    expect(feedback(0)).toBeEmptyDOMElement();
    expect(stored()).toEqual({});
    expect(screen.getByText(`${checks.length} questions`)).toBeInTheDocument();
    await user.click(within(question(0)).getByRole('button', { name: 'Check' }));
    expect(feedback(0)).toHaveTextContent('✗ Not quite.');
    expect(feedback(0)).toHaveTextContent(`The answer is “${rightOf(0)}”.`);
    expect(feedback(0)).toHaveTextContent(c.explain);
    expect(screen.getByText(`0 of ${checks.length} right`)).toBeInTheDocument();
    // Answered: the choices are a marked list, no longer radio buttons.
    expect(within(question(0)).queryAllByRole('radio')).toHaveLength(0);
    expect(within(question(0)).getByText(wrongOf(0))).toHaveTextContent('✗ your answer');
    expect(within(question(0)).getByText(rightOf(0))).toHaveTextContent('✓ the answer');
    await user.click(within(question(0)).getByRole('button', { name: 'Try again' }));
    expect(feedback(0)).toBeEmptyDOMElement();
    expect(stored()).toEqual({});
    await answer(user, 0, rightOf(0));
    expect(feedback(0)).toHaveTextContent('✓ Correct.');
    expect(feedback(0)).not.toHaveTextContent('The answer is');
    expect(screen.getByText(`1 of ${checks.length} right`)).toBeInTheDocument();
  });

  it('arrow keys leave answers alone: they move an unchecked pick at most, never a given answer', async () => {
    const user = userEvent.setup();
    renderChecks();
    // Question 1 answered (wrong); question 2 only picked.
    await answer(user, 0, wrongOf(0));
    const given = stored();
    expect(given).toEqual({ [checks[0]!.question]: wrongOf(0) });
    await user.click(within(question(1)).getByRole('radio', { name: rightOf(1) }));
    // From the feedback (focus lands there after Check), from the Try again button, from a radio button.
    const focusables = [
      feedback(0) as HTMLElement,
      within(question(0)).getByRole('button', { name: 'Try again' }),
      within(question(1)).getByRole('radio', { name: rightOf(1) }),
    ];
    for (const el of focusables) {
      el.focus();
      await user.keyboard('{ArrowLeft}{ArrowRight}{ArrowUp}{ArrowDown}{ArrowLeft}');
      expect(stored()).toEqual(given);
      expect(feedback(0)).toHaveTextContent('✗ Not quite.');
      expect(within(question(0)).getByText(wrongOf(0))).toHaveTextContent('✗ your answer');
      expect(feedback(1)).toBeEmptyDOMElement();
    }
    expect(screen.getByText(`0 of ${checks.length} right`)).toBeInTheDocument();
  });

  it('keeps answers in this browser only, and reads them back next time', async () => {
    const user = userEvent.setup();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { unmount } = renderChecks();
    const c = checks[1]!;
    await answer(user, 1, rightOf(1));
    expect(stored()).toEqual({ [c.question]: rightOf(1) });
    expect(fetchSpy).not.toHaveBeenCalled();
    unmount();
    renderChecks();
    expect(question(1)).toHaveTextContent('✓ Correct.');
    expect(within(question(1)).getByText(rightOf(1))).toHaveTextContent('✓ your answer');
    await user.click(screen.getByRole('button', { name: 'Clear my answers' }));
    expect(localStorage.getItem(answersKey(lesson.id))).toBeNull();
    expect(within(question(1)).getByRole('radio', { name: rightOf(1) })).not.toBeChecked();
    fetchSpy.mockRestore();
  });

  it('in presenter mode reveals every answer for the class, and hides them again', async () => {
    const user = userEvent.setup();
    renderChecks({ present: true });
    const reveal = screen.getByRole('button', { name: 'Reveal the answers' });
    expect(reveal).toHaveAttribute('aria-pressed', 'false');
    checks.forEach((_, i) => expect(feedback(i)).toBeEmptyDOMElement());
    await user.click(reveal);
    expect(reveal).toHaveAttribute('aria-pressed', 'true');
    checks.forEach((c, i) => {
      expect(feedback(i)).toHaveTextContent(`The answer is “${rightOf(i)}”.`);
      expect(feedback(i)).toHaveTextContent(c.explain);
      expect(within(question(i)).getByText(rightOf(i))).toHaveTextContent('✓ the answer');
      expect(within(question(i)).queryAllByRole('radio')).toHaveLength(0);
    });
    expect(stored()).toEqual({}); // revealing answers nothing for anyone
    await user.click(reveal);
    checks.forEach((_, i) => expect(within(question(i)).getAllByRole('radio').length).toBeGreaterThan(1));
  });

  it('offers no reveal outside presenter mode', () => {
    renderChecks();
    expect(screen.queryByRole('button', { name: 'Reveal the answers' })).toBeNull();
  });

  it('can be put away', async () => {
    const user = userEvent.setup();
    const { onHide } = renderChecks();
    await user.click(screen.getByRole('button', { name: 'Hide the questions' }));
    expect(onHide).toHaveBeenCalledTimes(1);
  });
});
