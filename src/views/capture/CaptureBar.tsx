/**
 * The capture's line under the header: while a file is read, its progress and a Cancel button; when the read
 * failed, what went wrong; while a capture is on the stage, its name, that it was read in this browser and
 * never uploaded, every problem the readers noted (what and where: record number, byte offset), and the way
 * back to the lessons. Whatever could be read is on the stage even when there are problems.
 */
import { useActions, useWirewalk } from '../../state/context';
import type { CaptureProgress } from '../../capture/model';
import type { TimelineCapture } from '../../sim/types';
import './CaptureBar.css';

const PHASES: Readonly<Record<CaptureProgress['phase'], string>> = {
  reading: 'Reading the records',
  reassembling: 'Putting the TCP streams together',
  decoding: 'Decoding HTTP, WebSocket, TLS',
  drawing: 'Drawing the steps',
};

const PRIVATE = 'Read in this browser; the file is never uploaded.';

function where(p: TimelineCapture['problems'][number]): string {
  const parts: string[] = [];
  if (p.record !== undefined) parts.push(`record ${p.record}`);
  if (p.offset !== undefined) parts.push(`byte ${p.offset}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function Problems({ capture }: { readonly capture: TimelineCapture }) {
  const errors = capture.problems.filter((p) => p.severity === 'error').length;
  const notes = capture.problems.length - errors;
  if (capture.problems.length === 0) return null;
  const label = [
    errors ? `${errors} could not be read` : '',
    notes ? `${notes} ${notes === 1 ? 'note' : 'notes'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <details className="capture-problems" open={errors > 0}>
      <summary>{label}</summary>
      <ul>
        {capture.problems.map((p, i) => (
          <li key={i} className={p.severity === 'error' ? 'is-error' : 'is-note'}>
            <span className="capture-severity">{p.severity === 'error' ? 'Error' : 'Note'}</span>
            {where(p)}: {p.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function CaptureBar() {
  const status = useWirewalk((s) => s.captureStatus);
  const capture = useWirewalk((s) => s.timeline.capture);
  const canGoBack = useWirewalk((s) => s.lessonBeforeCapture !== null);
  const { cancelCapture, dismissCaptureError, closeCapture } = useActions();
  if (status.kind === 'reading') {
    const percent = Math.round(status.progress.fraction * 100);
    return (
      <div className="capture-bar is-reading" role="status" aria-live="polite">
        <p className="capture-what">
          Opening <strong>{status.names}</strong>: {PHASES[status.progress.phase]}…
        </p>
        <progress className="capture-progress" max={100} value={percent} aria-label="Reading the capture">
          {percent} %
        </progress>
        <button type="button" className="btn" onClick={cancelCapture}>
          Cancel
        </button>
        <p className="capture-private">{PRIVATE}</p>
      </div>
    );
  }
  if (status.kind === 'failed') {
    return (
      <div className="capture-bar is-failed" role="alert">
        <p className="capture-what">
          <strong>{status.names}</strong> could not be opened: {status.message}
        </p>
        <button type="button" className="btn" onClick={dismissCaptureError}>
          Dismiss
        </button>
      </div>
    );
  }
  if (!capture) return null;
  return (
    <div className="capture-bar is-open" role="region" aria-label="Opened capture">
      <p className="capture-what">
        Capture <strong>{capture.name}</strong> ({capture.format === 'har' ? 'HAR' : capture.format},{' '}
        {capture.records} {capture.format === 'har' ? 'entries' : 'records'}).{' '}
        <span className="capture-private">{PRIVATE}</span>
      </p>
      {canGoBack ? (
        <button type="button" className="btn btn-back" onClick={closeCapture}>
          Back to the lessons
        </button>
      ) : null}
      <Problems capture={capture} />
    </div>
  );
}
