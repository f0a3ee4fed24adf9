/**
 * "Check yourself": the lesson's questions, each a group of radio buttons with instant feedback (correct or
 * not, and why). Not graded; the answers stay in this browser's localStorage and are never sent anywhere.
 *
 * Takes the lesson's questions as props rather than reading the store: this lazily loaded module then reaches
 * nothing of the stage's code, which keeps the bundler from splitting the stage's first download in pieces.
 */
import { useId, useState } from 'react';
import { browserStorage, loadAnswers, saveAnswers, type Answers } from '../../state/checks';
import type { SelfCheckQuestion } from '../../state/lesson';
import './SelfCheck.css';

function Question({
  check,
  number,
  picked,
  onPick,
}: {
  readonly check: SelfCheckQuestion;
  readonly number: number;
  readonly picked: string | undefined;
  onPick(choice: string): void;
}) {
  const name = useId();
  const pickedIndex = picked === undefined ? -1 : check.choices.indexOf(picked);
  const answered = pickedIndex >= 0;
  const right = pickedIndex === check.answer;
  return (
    <li className="check">
      <fieldset className="check-fieldset">
        <legend className="check-question">
          <span className="check-number">{number}.</span> {check.question}
        </legend>
        <div className="check-choices">
          {check.choices.map((choice, i) => (
            <label
              key={i}
              className={`check-choice${answered && i === pickedIndex ? (right ? ' is-right' : ' is-wrong') : ''}`}
            >
              <input type="radio" name={name} checked={i === pickedIndex} onChange={() => onPick(choice)} />{' '}
              {choice}
            </label>
          ))}
        </div>
        <div className="check-feedback" aria-live="polite">
          {answered ? (
            <p className={right ? 'feedback-right' : 'feedback-wrong'}>
              <strong>{right ? '✓ Correct.' : '✗ Not quite.'}</strong>{' '}
              {right ? null : <>The answer is “{check.choices[check.answer]}”. </>}
              {check.explain}
            </p>
          ) : null}
        </div>
      </fieldset>
    </li>
  );
}

export function SelfCheck({
  lessonId,
  checks,
  onHide,
}: {
  readonly lessonId: string;
  readonly checks: readonly SelfCheckQuestion[];
  onHide(): void;
}) {
  const [state, setState] = useState<{ lesson: string; answers: Answers }>(() => ({
    lesson: lessonId,
    answers: loadAnswers(browserStorage(), lessonId),
  }));
  const titleId = useId();
  // Another lesson chosen while the panel stays mounted: read that lesson's answers.
  const answers = state.lesson === lessonId ? state.answers : loadAnswers(browserStorage(), lessonId);
  const update = (next: Answers) => {
    saveAnswers(browserStorage(), lessonId, next);
    setState({ lesson: lessonId, answers: next });
  };
  const done = checks.filter(
    (c) => answers[c.question] !== undefined && c.choices.includes(answers[c.question]!),
  );
  const right = done.filter((c) => answers[c.question] === c.choices[c.answer]);
  return (
    <section className="lesson-card checks-card" aria-labelledby={titleId} data-export="skip">
      <div className="checks-head">
        <h2 id={titleId} className="lesson-card-title">
          Check yourself
        </h2>
        <p className="checks-score" aria-live="polite">
          {done.length ? `${right.length} of ${checks.length} right` : `${checks.length} questions`}
        </p>
        <button type="button" className="btn" onClick={onHide}>
          Hide the questions
        </button>
      </div>
      <p className="checks-note">
        Not graded. Your answers stay in this browser and are never sent anywhere.
      </p>
      <ol className="checks">
        {checks.map((c, i) => (
          <Question
            key={c.question}
            check={c}
            number={i + 1}
            picked={answers[c.question]}
            onPick={(choice) => update({ ...answers, [c.question]: choice })}
          />
        ))}
      </ol>
      {done.length ? (
        <button type="button" className="btn" onClick={() => update({})}>
          Clear my answers
        </button>
      ) : null}
    </section>
  );
}
