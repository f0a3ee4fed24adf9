/**
 * The lesson picker: every lesson in teaching order, as a native select (keyboard, screen readers and touch
 * for free). Choosing one loads its scenario, opens at its start step and shows its introduction.
 */
import { useId } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import { lessonsInOrder } from '../../state/lesson';

export function LessonPicker() {
  const current = useWirewalk((s) => s.scenario.lesson);
  const { chooseLesson } = useActions();
  const id = useId();
  const lessons = lessonsInOrder();
  return (
    <div className="picker">
      <label htmlFor={id} className="picker-label visually-hidden">
        Lesson
      </label>
      <select
        id={id}
        className="picker-select"
        value={current}
        onChange={(e) => chooseLesson(e.target.value)}
      >
        {lessons.map((l, i) => (
          <option key={l.id} value={l.id}>
            {i + 1}. {l.title}
          </option>
        ))}
      </select>
    </div>
  );
}
