/** The lesson's introduction, over the lower stage until the lesson starts moving or it is put away. */
import { useId } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import { lessonById, lessonIntro } from '../../state/lesson';
import './IntroCard.css';

export function IntroCard() {
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  useWirewalk((s) => s.lessonContentReady); // redraw when the introduction arrives
  const { dismissIntro } = useActions();
  const titleId = useId();
  if (!lesson) return null;
  return (
    <section className="lesson-card intro-card" aria-labelledby={titleId} data-export="skip">
      <p className="lesson-card-kicker">About this lesson</p>
      <h2 id={titleId} className="lesson-card-title">
        {lesson.title}
      </h2>
      <p className="intro-text">{lessonIntro(lesson)}</p>
      <p className="intro-hint">
        Step with → and ←, or the buttons below. At the end, check yourself with a few questions.
      </p>
      <button type="button" className="btn btn-primary" onClick={dismissIntro}>
        Start the lesson
      </button>
    </section>
  );
}
