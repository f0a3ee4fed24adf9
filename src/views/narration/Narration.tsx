/**
 * The narration of the current step: its title and a few sentences, the lesson's aside where the lesson makes
 * its point, and the misconception it meets. A polite live region, so a screen reader reads each step after
 * the teacher moves on, without interrupting.
 */
import { useWirewalk } from '../../state/context';
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
            <span key={c} className="curriculum-tag">
              {c}
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
