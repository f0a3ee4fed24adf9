/**
 * What sits over the lower stage between the lesson and the stage: the introduction while it is open, and at
 * the last step the "Check yourself" questions (loaded when first needed), which can be put away and
 * brought back.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { useWirewalk } from '../../state/context';
import { lessonById, lessonChecks } from '../../state/lesson';
import { selectStepCount } from '../../state/store';
import { IntroCard } from './IntroCard';
import './LessonCards.css';

const SelfCheck = lazy(() => import('../checks/SelfCheck').then((m) => ({ default: m.SelfCheck })));

export function LessonCards() {
  const introOpen = useWirewalk((s) => s.introOpen);
  const atEnd = useWirewalk((s) => s.cursor === selectStepCount(s) - 1 && selectStepCount(s) > 1);
  const lessonId = useWirewalk((s) => s.scenario.lesson);
  const seed = useWirewalk((s) => s.scenario.seed);
  const present = useWirewalk((s) => s.view.present);
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  const ready = useWirewalk((s) => s.lessonContentReady);
  const checks = useMemo(() => (lesson && ready ? lessonChecks(lesson) : []), [lesson, ready]);
  const count = checks.length;
  // Put away per lesson: choosing another lesson (or coming back to the end of this one later) shows them again.
  const [hiddenFor, setHiddenFor] = useState<string | null>(null);
  if (introOpen) return <IntroCard />;
  if (!atEnd || count === 0) return null;
  if (hiddenFor === lessonId) {
    return (
      <button
        type="button"
        className="btn checks-reopen"
        data-export="skip"
        onClick={() => setHiddenFor(null)}
      >
        Check yourself ({count} question{count === 1 ? '' : 's'})
      </button>
    );
  }
  return (
    <Suspense fallback={<p className="lesson-card panel-loading">Loading the questions…</p>}>
      <SelfCheck
        lessonId={lessonId}
        seed={seed}
        checks={checks}
        present={present}
        onHide={() => setHiddenFor(lessonId)}
      />
    </Suspense>
  );
}
