/**
 * The speaker window, for the teacher's own screen: a timer, the current step's narration, the next step's
 * title, and notes (the lesson's teacher notes and what this step is about). It steps the presentation too:
 * both windows follow whichever moves (the shell connects them).
 */
import { useEffect, useState } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import { stepLinkFrame } from '../../state/derive';
import { lessonById, lessonNotes } from '../../state/lesson';
import { selectAside, selectChapter, selectStep, selectStepCount, selectStepTotal } from '../../state/store';
import '../theme/surfaces.css';
import './SpeakerView.css';

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Wall-clock time since the talk started (the UI's own timer: it never touches the simulation). */
function Timer() {
  const [started, setStarted] = useState(() => Date.now());
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, []);
  const elapsed = Math.max(0, Math.floor(((pausedAt ?? now) - started) / 1000));
  return (
    <div className="timer" role="timer" aria-label="Time since the start">
      <span className="timer-value" aria-hidden="true">
        {clock(elapsed)}
      </span>
      <span className="visually-hidden">{clock(elapsed)}</span>
      <button
        type="button"
        className="btn"
        onClick={() => {
          if (pausedAt === null) setPausedAt(Date.now());
          else {
            setStarted(started + (Date.now() - pausedAt));
            setPausedAt(null);
          }
        }}
      >
        {pausedAt === null ? 'Pause timer' : 'Resume timer'}
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => {
          setStarted(Date.now());
          setNow(Date.now());
          setPausedAt(pausedAt === null ? null : Date.now());
        }}
      >
        Reset timer
      </button>
    </div>
  );
}

export function SpeakerView() {
  const step = useWirewalk(selectStep);
  const chapter = useWirewalk(selectChapter);
  const aside = useWirewalk(selectAside);
  const cursor = useWirewalk((s) => s.cursor);
  const count = useWirewalk(selectStepCount);
  const total = useWirewalk(selectStepTotal);
  const next = useWirewalk((s) => s.timeline.steps[s.cursor + 1]);
  const nextChapter = useWirewalk((s) => {
    const id = s.timeline.steps[s.cursor + 1]?.chapter;
    return id === undefined || id === s.timeline.steps[s.cursor]?.chapter
      ? undefined
      : s.timeline.chapters.find((c) => c.id === id);
  });
  const timeline = useWirewalk((s) => s.timeline);
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  const blackout = useWirewalk((s) => s.blackout);
  const { prev, next: goNext, setBlackout } = useActions();

  useEffect(() => {
    document.title = `Speaker notes · ${lesson?.title ?? 'Wirewalk'}`;
  }, [lesson]);

  const packet = step?.packet !== undefined ? timeline.packets[step.packet] : undefined;
  // An ARP step is about a frame, not a packet (Step.link).
  const link = stepLinkFrame(timeline, step);
  const where =
    step?.host === 'wire'
      ? 'on the wire'
      : `${timeline.hosts.find((h) => h.id === step?.host)?.label ?? step?.host ?? ''}` +
        (step?.layer ? `, layer ${step.layer}` : '');
  const contentReady = useWirewalk((s) => s.lessonContentReady);
  const notes = lesson && contentReady ? lessonNotes(lesson) : '';

  return (
    <div className="speaker">
      <header className="head-row speaker-top">
        <h1 className="speaker-heading">
          Speaker notes <span className="speaker-lesson">· {lesson?.title ?? ''}</span>
        </h1>
        <Timer />
      </header>
      <nav className="speaker-nav" aria-label="Presentation">
        <button type="button" className="btn" onClick={prev} disabled={cursor <= 0}>
          ← Previous
        </button>
        <p className="speaker-count">
          Step <strong>{cursor + 1}</strong> of {total}
          {chapter ? <span className="speaker-chapter"> · {chapter.title}</span> : null}
        </p>
        <button type="button" className="btn btn-primary" onClick={goNext} disabled={cursor >= count - 1}>
          Next →
        </button>
        <button type="button" className="btn" aria-pressed={blackout} onClick={() => setBlackout(!blackout)}>
          {blackout ? 'Show the screen again' : 'Black screen'}
        </button>
        {blackout ? (
          <span className="speaker-black" role="status">
            The class sees a black screen
          </span>
        ) : null}
      </nav>
      <main className="speaker-main">
        <section className="card speaker-now" aria-labelledby="speaker-now" aria-live="polite">
          <p className="speaker-kicker" id="speaker-now">
            Now · step {cursor + 1}
          </p>
          <h2 className="speaker-title">{step?.title ?? ''}</h2>
          <p className="speaker-text">{step?.text ?? ''}</p>
          {aside ? (
            <p className="speaker-aside">
              <strong>In this lesson:</strong> {aside}
            </p>
          ) : null}
          {step?.misconception ? (
            <p className="speaker-myth">
              <strong>Myth busted:</strong> {step.misconception}
            </p>
          ) : null}
        </section>
        <aside className="speaker-side">
          <section className="card speaker-next" aria-labelledby="speaker-next">
            <h2 className="speaker-kicker" id="speaker-next">
              Next · step {next ? cursor + 2 : '–'}
            </h2>
            {next ? (
              <>
                {nextChapter ? (
                  <p className="speaker-next-chapter">New chapter: {nextChapter.title}</p>
                ) : null}
                <p className="speaker-next-title">{next.title}</p>
              </>
            ) : (
              <p className="speaker-next-title">The end of the lesson: time for the questions.</p>
            )}
          </section>
          <section className="card speaker-notes" aria-labelledby="speaker-notes">
            <h2 className="speaker-kicker" id="speaker-notes">
              Notes
            </h2>
            {notes ? <p className="speaker-notes-text">{notes}</p> : null}
            <dl className="speaker-facts">
              <dt>Where</dt>
              <dd>
                {where}
                {step ? ` (${step.kind})` : ''}
              </dd>
              {packet ? (
                <>
                  <dt>Packet</dt>
                  <dd>
                    <code>
                      {packet.unresolved ? '' : `#${packet.wireIndex} `}
                      {packet.summary}
                    </code>
                    {/* Packet.unresolved: ARP got no answer, so it never left its sender. */}
                    {packet.unresolved
                      ? ' — never sent: ARP got no answer'
                      : packet.lost
                        ? ' — lost on the wire'
                        : ''}
                  </dd>
                </>
              ) : null}
              {link ? (
                <>
                  <dt>ARP frame</dt>
                  <dd>
                    <code>
                      {link.wireIndex !== undefined ? `#${link.wireIndex} ` : ''}
                      {link.summary}
                    </code>
                    {link.lost ? ' — lost on the wire' : ''}
                  </dd>
                </>
              ) : null}
              {step?.curriculum?.length ? (
                <>
                  <dt>Curriculum</dt>
                  <dd>{step.curriculum.join(', ')}</dd>
                </>
              ) : null}
            </dl>
          </section>
        </aside>
      </main>
    </div>
  );
}
