/**
 * What sits over the lower stage between the lesson and the stage: the introduction while it is open, and at
 * the last step the "Check yourself" questions (loaded when first needed), which can be put away and
 * brought back.
 */
import { lazy, Suspense, useLayoutEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useWirewalk } from '../../state/context';
import { lessonById, lessonChecks } from '../../state/lesson';
import { selectStepCount } from '../../state/store';
import { PANELS_SLOT_ID } from '../panels/StagePanels';
import { IntroCard } from './IntroCard';
import './LessonCards.css';

const SelfCheck = lazy(() => import('../checks/SelfCheck').then((m) => ({ default: m.SelfCheck })));

export function LessonCards() {
  const introOpen = useWirewalk((s) => s.introOpen);
  const atEnd = useWirewalk(
    (s) => s.cursor === selectStepCount(s) - 1 && selectStepCount(s) > 1 && !s.timeline.partial,
  );
  const lessonId = useWirewalk((s) => s.scenario.lesson);
  const seed = useWirewalk((s) => s.scenario.seed);
  const present = useWirewalk((s) => s.view.present);
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  const ready = useWirewalk((s) => s.lessonContentReady);
  const checks = useMemo(() => (lesson && ready ? lessonChecks(lesson) : []), [lesson, ready]);
  const count = checks.length;
  // Put away per lesson: choosing another lesson (or coming back to the end of this one later) shows them again.
  const [hiddenFor, setHiddenFor] = useState<string | null>(null);
  // The chart is the comparison lesson's answer: there the questions never open by themselves over the panels
  // (they would hide the chart and its tab); their button waits beside the tabs until asked.
  const overChart = useWirewalk((s) => s.timeline.comparison !== undefined);
  const [askedFor, setAskedFor] = useState<string | null>(null);
  // The slot beside the tabs (StagePanels.tsx), found after it is on the page.
  const [slot, setSlot] = useState<HTMLElement | null>(null);
  useLayoutEffect(() => {
    setSlot(overChart ? document.getElementById(PANELS_SLOT_ID) : null);
  }, [overChart]);
  if (introOpen) return <IntroCard />;
  if (!atEnd || count === 0) return null;
  if (hiddenFor === lessonId || (overChart && askedFor !== lessonId)) {
    const button = (
      <button
        type="button"
        className={`btn checks-reopen${overChart ? ' is-over-chart' : ''}`}
        title={`${count} question${count === 1 ? '' : 's'} about this lesson`}
        data-export="skip"
        onClick={() => {
          setHiddenFor(null);
          setAskedFor(lessonId);
        }}
      >
        {/* Beside the tabs it is shorter; the full count is in its title there. */}
        {overChart
          ? `Check yourself (${count})`
          : `Check yourself (${count} question${count === 1 ? '' : 's'})`}
      </button>
    );
    return overChart && slot ? createPortal(button, slot) : button;
  }
  return (
    <Suspense fallback={<p className="lesson-card panel-loading">Loading the questions…</p>}>
      <SelfCheck
        lessonId={lessonId}
        seed={seed}
        checks={checks}
        present={present}
        onHide={() => {
          setHiddenFor(lessonId);
          setAskedFor(null);
        }}
      />
    </Suspense>
  );
}
