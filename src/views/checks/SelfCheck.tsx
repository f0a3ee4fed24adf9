/**
 * "Check yourself": the lesson's questions, each a group of radio buttons in the order the link's seed shuffles
 * them to (state/checks.ts), and a Check button. Choosing a choice (by click, touch, Space or the arrow keys,
 * as radio buttons do) only picks it; the Check button grades it, and then the question shows its choices as
 * a plain list with the answer marked, so no key can change an answer once given: "Try again" takes it back.
 * In presenter mode "Reveal the answers" marks the right answer of every question for the class.
 * Not graded; the answers stay in this browser's localStorage and are never sent anywhere.
 *
 * Arrow keys inside the card belong to the card (`data-own-arrows`, app/keyboard.ts): they never step the
 * lesson, which would take the questions off the screen.
 *
 * Takes the lesson's questions as props rather than reading the store: this lazily loaded module then reaches
 * nothing of the stage's code, which keeps the bundler from splitting the stage's first download in pieces.
 */
import { useId, useMemo, useRef, useState } from 'react';
import {
  browserStorage,
  lessonChoiceOrders,
  loadAnswers,
  saveAnswers,
  type Answers,
} from '../../state/checks';
import type { SelfCheckQuestion } from '../../state/lesson';
import './SelfCheck.css';

interface QuestionProps {
  readonly check: SelfCheckQuestion;
  /** `order[position]`: the id (index in `check.choices`) of the choice shown at that position. */
  readonly order: readonly number[];
  readonly number: number;
  /** The text of the choice given as the answer, if any. */
  readonly given: string | undefined;
  /** The presenter revealed the answers. */
  readonly revealed: boolean;
  onAnswer(choice: string | undefined): void;
}

function Question({ check, order, number, given, revealed, onAnswer }: QuestionProps) {
  const name = useId();
  const [pick, setPick] = useState<number | null>(null);
  const feedbackRef = useRef<HTMLDivElement | null>(null);
  // Graded by id (the choice's index in the content), never by the position it is shown at.
  const givenId = given === undefined ? -1 : check.choices.indexOf(given);
  const answered = givenId >= 0;
  const right = givenId === check.answer;
  const settled = answered || revealed;
  const rightText = check.choices[check.answer];

  const grade = () => {
    if (pick === null) return;
    onAnswer(check.choices[pick]);
    // The radio buttons give way to the marked list: keep the keyboard in this question, on its feedback.
    requestAnimationFrame(() => feedbackRef.current?.focus());
  };
  const retry = () => {
    setPick(null);
    onAnswer(undefined);
  };

  return (
    <li className="check">
      <fieldset className="check-fieldset">
        <legend className="check-question">
          <span className="check-number">{number}.</span> {check.question}
        </legend>
        {settled ? (
          <ul className="check-choices is-settled">
            {order.map((id) => {
              const isRight = id === check.answer;
              const isGiven = id === givenId;
              const mark = isGiven
                ? isRight
                  ? 'is-right is-given'
                  : 'is-wrong is-given'
                : isRight
                  ? 'is-right'
                  : '';
              return (
                <li key={id} className={`check-choice ${mark}`.trimEnd()}>
                  {check.choices[id]}
                  {isGiven || isRight ? (
                    <span className="check-mark">
                      {isGiven ? (isRight ? '✓ your answer' : '✗ your answer') : '✓ the answer'}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <div className="check-choices">
            {order.map((id) => (
              <label key={id} className={`check-choice${pick === id ? ' is-picked' : ''}`}>
                <input type="radio" name={name} checked={pick === id} onChange={() => setPick(id)} />{' '}
                {check.choices[id]}
              </label>
            ))}
          </div>
        )}
        <div className="check-feedback" aria-live="polite" tabIndex={-1} ref={feedbackRef}>
          {answered ? (
            <p className={right ? 'feedback-right' : 'feedback-wrong'}>
              <strong>{right ? '✓ Correct.' : '✗ Not quite.'}</strong>{' '}
              {right ? null : <>The answer is “{rightText}”. </>}
              {check.explain}
            </p>
          ) : revealed ? (
            <p className="feedback-revealed">
              <strong>The answer is “{rightText}”.</strong> {check.explain}
            </p>
          ) : null}
        </div>
        <div className="check-actions">
          {answered ? (
            <button type="button" className="btn" onClick={retry}>
              Try again
            </button>
          ) : revealed ? null : (
            <button type="button" className="btn check-submit" disabled={pick === null} onClick={grade}>
              Check
            </button>
          )}
        </div>
      </fieldset>
    </li>
  );
}

export function SelfCheck({
  lessonId,
  seed,
  checks,
  present = false,
  onHide,
}: {
  readonly lessonId: string;
  /** The link's seed: it shuffles the choices (the same link, the same order). */
  readonly seed: number;
  readonly checks: readonly SelfCheckQuestion[];
  /** Presenter mode: offers "Reveal the answers" to show the class. */
  readonly present?: boolean;
  onHide(): void;
}) {
  const [state, setState] = useState<{ lesson: string; answers: Answers }>(() => ({
    lesson: lessonId,
    answers: loadAnswers(browserStorage(), lessonId),
  }));
  const [revealedFor, setRevealedFor] = useState<string | null>(null);
  const revealed = present && revealedFor === lessonId;
  const titleId = useId();
  const orders = useMemo(() => lessonChoiceOrders(seed, lessonId, checks), [seed, lessonId, checks]);
  // Another lesson chosen while the panel stays mounted: read that lesson's answers.
  const answers = state.lesson === lessonId ? state.answers : loadAnswers(browserStorage(), lessonId);
  const update = (next: Answers) => {
    saveAnswers(browserStorage(), lessonId, next);
    setState({ lesson: lessonId, answers: next });
  };
  const answer = (question: string, choice: string | undefined) => {
    const next = { ...answers };
    if (choice === undefined) delete next[question];
    else next[question] = choice;
    update(next);
  };
  const done = checks.filter(
    (c) => answers[c.question] !== undefined && c.choices.includes(answers[c.question]!),
  );
  const right = done.filter((c) => c.choices.indexOf(answers[c.question]!) === c.answer);
  return (
    <section
      className="lesson-card checks-card"
      aria-labelledby={titleId}
      data-export="skip"
      data-own-arrows=""
    >
      <div className="checks-head">
        <h2 id={titleId} className="lesson-card-title">
          Check yourself
        </h2>
        <p className="checks-score" aria-live="polite">
          {done.length ? `${right.length} of ${checks.length} right` : `${checks.length} questions`}
        </p>
        {present ? (
          <button
            type="button"
            className="btn checks-reveal"
            aria-pressed={revealed}
            onClick={() => setRevealedFor(revealed ? null : lessonId)}
          >
            Reveal the answers
          </button>
        ) : null}
        <button type="button" className="btn" onClick={onHide}>
          Hide the questions
        </button>
      </div>
      <p className="checks-note">
        Pick an answer, then Check. Not graded: your answers stay in this browser and are never sent anywhere.
      </p>
      <ol className="checks">
        {checks.map((c, i) => (
          <Question
            key={c.question}
            check={c}
            order={orders[i]!}
            number={i + 1}
            given={answers[c.question]}
            revealed={revealed}
            onAnswer={(choice) => answer(c.question, choice)}
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
