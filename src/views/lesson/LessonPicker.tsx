/**
 * The lesson picker: every lesson in teaching order, as a native select (keyboard, screen readers and touch
 * for free). Choosing one loads its scenario, opens at its start step and shows its introduction.
 */
import { useActions, useWirewalk } from '../../state/context';
import { lessonsInOrder } from '../../state/lesson';
import './LessonPicker.css';

export function LessonPicker() {
  const current = useWirewalk((s) => s.scenario.lesson);
  const capture = useWirewalk((s) => s.timeline.capture?.name);
  const { chooseLesson } = useActions();
  const lessons = lessonsInOrder();
  return (
    <div className="picker">
      <select
        className="picker-select"
        aria-label="Lesson"
        value={capture !== undefined ? '' : current}
        onChange={(e) => chooseLesson(e.target.value)}
      >
        {/* With a capture open, the picker names it; choosing a lesson leaves the capture. */}
        {capture !== undefined ? (
          <option value="" disabled>
            Capture: {capture}
          </option>
        ) : null}
        {lessons.map((l, i) => (
          <option key={l.id} value={l.id}>
            {i + 1}. {l.title}
          </option>
        ))}
      </select>
    </div>
  );
}
