// @vitest-environment jsdom
/**
 * "Check yourself" on a real lesson's questions: instant feedback (right or wrong, the right answer, and
 * why), answers kept in localStorage only, read back on the next visit, cleared on request.
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { lessonById } from '../../src/lesson/catalogue';
import { answersKey } from '../../src/state/checks';
import { lessonChecks, loadLessonContent } from '../../src/state/lesson';
import { SelfCheck } from '../../src/views/checks/SelfCheck';

const lesson = lessonById('upgrade')!;
await loadLessonContent();
const checks = lessonChecks(lesson);

function renderChecks(onHide = vi.fn()) {
  return { onHide, ...render(<SelfCheck lessonId={lesson.id} checks={checks} onHide={onHide} />) };
}

const question = (i: number) => screen.getByRole('group', { name: new RegExp(`^${i + 1}\\.`) });

describe('SelfCheck', () => {
  beforeEach(() => localStorage.clear());

  it('asks every question of the lesson, each a named group of radio buttons', () => {
    renderChecks();
    expect(checks.length).toBeGreaterThanOrEqual(2);
    checks.forEach((c, i) => {
      const group = question(i);
      expect(group).toHaveAccessibleName(`${i + 1}. ${c.question}`);
      expect(
        within(group)
          .getAllByRole('radio')
          .map((r) => r.parentElement!.textContent!.trim()),
      ).toEqual(c.choices);
    });
    expect(screen.getByText(/never sent anywhere/)).toBeInTheDocument();
  });

  it('tells at once whether an answer is right, and why', async () => {
    const user = userEvent.setup();
    renderChecks();
    const c = checks[0]!;
    const wrong = c.choices.findIndex((_, i) => i !== c.answer);
    await user.click(within(question(0)).getByRole('radio', { name: c.choices[wrong] }));
    const feedback = question(0).querySelector('[aria-live="polite"]')!;
    expect(feedback).toHaveTextContent('✗ Not quite.');
    expect(feedback).toHaveTextContent(`The answer is “${c.choices[c.answer]}”.`);
    expect(feedback).toHaveTextContent(c.explain);
    expect(screen.getByText(`0 of ${checks.length} right`)).toBeInTheDocument();
    await user.click(within(question(0)).getByRole('radio', { name: c.choices[c.answer] }));
    expect(feedback).toHaveTextContent('✓ Correct.');
    expect(feedback).not.toHaveTextContent('The answer is');
    expect(feedback).toHaveTextContent(c.explain);
    expect(screen.getByText(`1 of ${checks.length} right`)).toBeInTheDocument();
  });

  it('keeps answers in this browser only, and reads them back next time', async () => {
    const user = userEvent.setup();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { unmount } = renderChecks();
    const c = checks[1]!;
    await user.click(within(question(1)).getByRole('radio', { name: c.choices[c.answer] }));
    expect(JSON.parse(localStorage.getItem(answersKey(lesson.id))!)).toEqual({
      [c.question]: c.choices[c.answer],
    });
    expect(fetchSpy).not.toHaveBeenCalled();
    unmount();
    renderChecks();
    expect(within(question(1)).getByRole('radio', { name: c.choices[c.answer] })).toBeChecked();
    expect(question(1)).toHaveTextContent('✓ Correct.');
    await user.click(screen.getByRole('button', { name: 'Clear my answers' }));
    expect(localStorage.getItem(answersKey(lesson.id))).toBeNull();
    expect(within(question(1)).getByRole('radio', { name: c.choices[c.answer] })).not.toBeChecked();
    fetchSpy.mockRestore();
  });

  it('can be put away', async () => {
    const user = userEvent.setup();
    const { onHide } = renderChecks();
    await user.click(screen.getByRole('button', { name: 'Hide the questions' }));
    expect(onHide).toHaveBeenCalledTimes(1);
  });
});
