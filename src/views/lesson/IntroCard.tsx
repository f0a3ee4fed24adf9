/**
 * The lesson's introduction, over the lower stage until the lesson starts moving or it is put away (its
 * button, or Esc: app/keyboard.ts). Focus starts on "Start the lesson", so Enter or Space starts; when the
 * card goes, focus goes to the narration rather than being dropped on the page.
 */
import { useEffect, useId, useRef } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import { lessonById, lessonIntro } from '../../state/lesson';
import './IntroCard.css';

export function IntroCard() {
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  useWirewalk((s) => s.lessonContentReady); // redraw when the introduction arrives
  const { dismissIntro } = useActions();
  const titleId = useId();
  const cardRef = useRef<HTMLElement | null>(null);
  const startRef = useRef<HTMLButtonElement | null>(null);
  const shown = lesson !== undefined;
  useEffect(() => {
    if (!shown) return;
    const card = cardRef.current;
    startRef.current?.focus();
    return () => {
      const active = document.activeElement;
      if (!active || active === document.body || card?.contains(active)) {
        document.querySelector<HTMLElement>('.narration[tabindex]')?.focus({ preventScroll: true });
      }
    };
  }, [shown]);
  if (!lesson) return null;
  return (
    <section ref={cardRef} className="lesson-card intro-card" aria-labelledby={titleId} data-export="skip">
      <p className="lesson-card-kicker">About this lesson</p>
      <h2 id={titleId} className="lesson-card-title">
        {lesson.title}
      </h2>
      <p className="intro-text">{lessonIntro(lesson)}</p>
      <p className="intro-hint">
        Step with → and ←, or the buttons below; Esc puts this away. At the end, check yourself with a few
        questions.
      </p>
      <button ref={startRef} type="button" className="btn btn-primary" onClick={dismissIntro}>
        Start the lesson
      </button>
    </section>
  );
}
