/**
 * Playback: first / previous / play-pause / next / last, speed 0.25×–4×, a scrubber with the chapters marked
 * and named beneath it, and "Step 12 of 87". Every control is named and shows its keyboard shortcut.
 * An embed locked to a step range gets a scrubber (and chapter marks) over that range only.
 */
import { useId } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import {
  SPEEDS,
  selectChapter,
  selectFirstAllowed,
  selectLastAllowed,
  selectStep,
  selectStepCount,
  selectStepTotal,
} from '../../state/store';
import { Icon, type IconName } from './icons';
import './PlaybackBar.css';

function Transport({
  icon,
  label,
  keys,
  onClick,
  disabled,
  className,
}: {
  readonly icon: IconName;
  readonly label: string;
  readonly keys: string;
  onClick(): void;
  readonly disabled?: boolean;
  readonly className?: string;
}) {
  return (
    <button
      type="button"
      className={`btn btn-icon${className ? ` ${className}` : ''}`}
      aria-label={label}
      aria-keyshortcuts={keys}
      title={`${label} (${keys.replace(/ /g, ', ')})`}
      onClick={onClick}
      disabled={disabled}
    >
      <Icon name={icon} />
    </button>
  );
}

export function PlaybackBar() {
  const cursor = useWirewalk((s) => s.cursor);
  const count = useWirewalk(selectStepCount);
  const total = useWirewalk(selectStepTotal);
  const playing = useWirewalk((s) => s.playing);
  const speed = useWirewalk((s) => s.speed);
  const chapters = useWirewalk((s) => s.timeline.chapters);
  const chapter = useWirewalk(selectChapter);
  const title = useWirewalk((s) => selectStep(s)?.title ?? '');
  const { first, prev, next, last, togglePlay, setSpeed, seek } = useActions();
  const firstAllowed = useWirewalk(selectFirstAllowed);
  const lastAllowed = useWirewalk(selectLastAllowed);
  const speedId = useId();
  const atStart = cursor <= firstAllowed;
  const atEnd = cursor >= lastAllowed;
  const locked = firstAllowed > 0 || lastAllowed < count - 1;
  const span = Math.max(1, lastAllowed - firstAllowed + 1);
  return (
    <nav className="playback" aria-label="Playback">
      <div className="transport" role="group" aria-label="Step controls">
        <Transport
          icon="first"
          label="First step"
          keys="Home"
          onClick={first}
          disabled={atStart}
          className="btn-first"
        />
        <Transport
          icon="prev"
          label="Previous step"
          keys="ArrowLeft J PageUp"
          onClick={prev}
          disabled={atStart}
          className="btn-step"
        />
        <Transport
          icon={playing ? 'pause' : 'play'}
          label={playing ? 'Pause' : 'Play'}
          keys="Space K"
          onClick={togglePlay}
          disabled={lastAllowed <= firstAllowed}
          className="btn-play"
        />
        <Transport
          icon="next"
          label="Next step"
          keys="ArrowRight L PageDown"
          onClick={next}
          disabled={atEnd}
          className="btn-step"
        />
        <Transport
          icon="last"
          label="Last step"
          keys="End"
          onClick={last}
          disabled={atEnd}
          className="btn-last"
        />
      </div>
      <div className="speed">
        <label htmlFor={speedId}>Speed</label>
        <select id={speedId} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </div>
      <div className="scrubber">
        <input
          type="range"
          className="scrubber-input"
          min={firstAllowed + 1}
          max={Math.max(firstAllowed + 1, lastAllowed + 1)}
          step={1}
          value={cursor + 1}
          aria-label="Step"
          aria-valuetext={`Step ${cursor + 1} of ${total}: ${title}`}
          onChange={(e) => seek(Number(e.target.value) - 1)}
        />
        <ol className="chapters" aria-label="Chapters">
          {chapters.map((c) => {
            const lo = Math.max(c.firstStep, firstAllowed);
            const hi = Math.min(c.lastStep, lastAllowed);
            if (hi < lo) return null;
            const left = ((lo - firstAllowed) / span) * 100;
            const width = ((hi - lo + 1) / span) * 100;
            const current = chapter?.id === c.id;
            return (
              <li key={c.id} className="chapter-mark" style={{ left: `${left}%`, width: `${width}%` }}>
                <button
                  type="button"
                  className={`chapter-btn${current ? ' is-current' : ''}`}
                  aria-current={current ? 'true' : undefined}
                  title={`${c.title}: steps ${c.firstStep + 1}–${c.lastStep + 1}`}
                  onClick={() => seek(lo)}
                >
                  {c.title}
                </button>
              </li>
            );
          })}
        </ol>
      </div>
      <p className="step-count">
        Step <strong>{cursor + 1}</strong> of {total}
        {locked ? (
          <span className="step-range">
            {' '}
            (steps {firstAllowed + 1}–{lastAllowed + 1})
          </span>
        ) : null}
      </p>
    </nav>
  );
}
