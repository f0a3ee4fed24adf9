/**
 * The narration of the current step: its title and a few sentences, the lesson's aside where the lesson makes
 * its point, and the misconception it meets. A polite live region, so a screen reader reads each step after
 * the teacher moves on, without interrupting.
 */
import { useWirewalk } from '../../state/context';
import { curriculumEntry, lessonById } from '../../state/lesson';
import { selectAside, selectChapter, selectStep } from '../../state/store';
import '../theme/surfaces.css';
import './Narration.css';

const KIND_WORDS: Readonly<Record<string, string>> = {
  encapsulate: 'wrapping',
  decapsulate: 'unwrapping',
  transmit: 'on the wire',
  drop: 'lost',
  receive: 'arriving',
  state: 'state change',
  app: 'application',
};

/**
 * A curriculum tag (`Q11`, `M3`) that explains itself: its question or misconception as the curriculum map
 * (lesson/curriculum.ts, from CURRICULUM.md) words it, as its name and tooltip, and a link to the step the map
 * names for it (this lesson's, where the map has one), as docs/curriculum-map.md links it. Until the lesson
 * content (which carries the map) has loaded, or for an id the map does not know, the bare id.
 */
function CurriculumTag({ id, lesson }: { readonly id: string; readonly lesson: string }) {
  const ready = useWirewalk((s) => s.lessonContentReady);
  const entry = ready ? curriculumEntry(id, lesson) : undefined;
  if (!entry) return <span className="curriculum-tag">{id}</span>;
  const where = lessonById(entry.lesson)?.title ?? entry.lesson;
  const kind = id.startsWith('M') ? 'Misconception' : 'Question';
  return (
    <a
      className="curriculum-tag"
      href={`?lesson=${encodeURIComponent(entry.lesson)}&step=${entry.step}`}
      aria-label={`${id}: ${entry.text}`}
      title={`${kind} ${id}: ${entry.text}\nCurriculum map: “${where}”, step ${entry.step} (follow the link)`}
    >
      {id}
    </a>
  );
}

export function Narration() {
  const step = useWirewalk(selectStep);
  const chapter = useWirewalk(selectChapter);
  const timeline = useWirewalk((s) => s.timeline);
  const aside = useWirewalk(selectAside);
  if (!step) {
    return (
      <section className="card narration" aria-live="polite">
        <h2 className="narration-title">Nothing to show</h2>
      </section>
    );
  }
  const where =
    step.host === 'wire'
      ? 'the wire'
      : (timeline.hosts.find((h) => h.id === step.host)?.label ?? step.host) +
        (step.layer ? `, layer ${step.layer}` : '');
  return (
    <section
      className={`card narration${step.misconception ? ' has-myth' : ''}`}
      aria-labelledby="narration-title"
      // The box scrolls when a step says more than fits (max-height in Narration.css): focusable, so the
      // keyboard can scroll it too (WCAG 2.1.1; axe rule scrollable-region-focusable).
      tabIndex={0}
    >
      <div className="narration-main" aria-live="polite" aria-atomic="true">
        <p className="narration-where">
          <span className={`tag kind kind-${step.kind}`}>{KIND_WORDS[step.kind] ?? step.kind}</span>
          <span className="narration-place">{where}</span>
          {chapter ? <span className="narration-chapter">{chapter.title}</span> : null}
        </p>
        <h2 id="narration-title" className="narration-title">
          {step.title}
        </h2>
        <p className="narration-text">{step.text}</p>
        {aside ? (
          <p className="narration-aside">
            <span className="aside-label">In this lesson</span> {aside}
          </p>
        ) : null}
        {step.misconception ? (
          <aside className="myth" aria-label="Misconception">
            <p>
              <strong className="myth-label">Myth busted</strong> {step.misconception}
            </p>
          </aside>
        ) : null}
      </div>
      {step.curriculum && step.curriculum.length ? (
        <p className="curriculum" aria-label="Curriculum questions and misconceptions this step covers">
          {step.curriculum.map((c) => (
            <CurriculumTag key={c} id={c} lesson={timeline.scenario.lesson} />
          ))}
        </p>
      ) : null}
    </section>
  );
}
