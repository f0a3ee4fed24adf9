/**
 * Share: a link to this step and a link from the start, each with a Copy button; a QR code of either, large
 * enough to scan from the back of a room; and the iframe snippet for a course page, with an optional locked
 * step range. Loaded only when it first opens (it brings the QR library).
 */
import { useId, useRef, useState } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import { lessonById } from '../../state/lesson';
import { absoluteLink, embedQuery, iframeSnippet, startQuery, stepQuery } from '../../state/links';
import { selectStepCount } from '../../state/store';
import { Modal } from '../dialog/Modal';
import { QrCode } from './QrCode';
import { copyText } from './copyText';
import '../classroom.css';

type Which = 'step' | 'start';

function CopyField({
  label,
  value,
  button,
  onCopied,
  rows,
  autoFocus,
}: {
  readonly label: string;
  readonly value: string;
  readonly button: string;
  onCopied(result: 'copied' | 'selected'): void;
  readonly rows: number;
  readonly autoFocus?: boolean;
}) {
  const id = useId();
  const field = useRef<HTMLTextAreaElement | null>(null);
  return (
    <div className="copy-field">
      <label htmlFor={id} className="copy-label">
        {label}
      </label>
      <div className="copy-row">
        <textarea
          id={id}
          ref={(el) => {
            field.current = el;
          }}
          className="copy-text"
          readOnly
          rows={rows}
          value={value}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn"
          data-autofocus={autoFocus ? '' : undefined}
          onClick={() => void copyText(value, field.current).then(onCopied)}
        >
          {button}
        </button>
      </div>
    </div>
  );
}

/** A 1-based step number typed into a range field, or null for empty or nonsense. */
function stepNumber(text: string, count: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= 1 && n <= count ? n : null;
}

export function ShareDialog() {
  const scenario = useWirewalk((s) => s.scenario);
  const view = useWirewalk((s) => s.view);
  const cursor = useWirewalk((s) => s.cursor);
  const count = useWirewalk(selectStepCount);
  const { closeDialog } = useActions();
  const [which, setWhich] = useState<Which>('step');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState('');
  const fromId = useId();
  const toId = useId();
  const qrGroup = useId();

  const title = lessonById(scenario.lesson)?.title ?? scenario.lesson;
  const href = window.location.href;
  const state = { scenario, view, cursor };
  const stepUrl = absoluteLink(href, stepQuery(state));
  const startUrl = absoluteLink(href, startQuery(state));
  const f = stepNumber(from, count);
  const t = stepNumber(to, count);
  const rangeOk = f === null || t === null || f <= t;
  const embedUrl = absoluteLink(href, embedQuery(state, rangeOk ? f : null, rangeOk ? t : null));
  const snippet = iframeSnippet(embedUrl, title);
  const qrUrl = which === 'step' ? stepUrl : startUrl;
  const said = (what: string) => (result: 'copied' | 'selected') =>
    setStatus(
      result === 'copied' ? `${what} copied.` : `${what} selected: press Ctrl+C (⌘C on a Mac) to copy it.`,
    );

  return (
    <Modal title="Share this lesson" onClose={closeDialog} className="share-dialog">
      <div className="share-grid">
        <div className="share-links">
          <CopyField
            label={`Link to step ${cursor + 1}`}
            value={stepUrl}
            button="Copy link to this step"
            onCopied={said(`Link to step ${cursor + 1}`)}
            rows={2}
            autoFocus
          />
          <CopyField
            label="Link from the start"
            value={startUrl}
            button="Copy link from the start"
            onCopied={said('Link from the start')}
            rows={2}
          />
          <fieldset className="embed-fields">
            <legend>Embed in a course page or slide deck</legend>
            <div className="range-row">
              <label htmlFor={fromId}>From step</label>
              <input
                id={fromId}
                className="range-input"
                type="number"
                inputMode="numeric"
                min={1}
                max={count}
                value={from}
                placeholder="1"
                onChange={(e) => setFrom(e.target.value)}
              />
              <label htmlFor={toId}>to step</label>
              <input
                id={toId}
                className="range-input"
                type="number"
                inputMode="numeric"
                min={1}
                max={count}
                value={to}
                placeholder={String(count)}
                onChange={(e) => setTo(e.target.value)}
              />
              <span className="range-hint">(optional: lock the embed to these steps)</span>
            </div>
            {!rangeOk ? <p className="range-error">“From” is after “to”: the embed is not locked.</p> : null}
            <CopyField
              label="Embed code (HTML)"
              value={snippet}
              button="Copy embed code"
              onCopied={said('Embed code')}
              rows={5}
            />
          </fieldset>
          <p className="share-status" role="status" aria-live="polite">
            {status}
          </p>
        </div>
        <figure className="share-qr">
          <QrCode
            text={qrUrl}
            label={`QR code of the link ${which === 'step' ? `to step ${cursor + 1}` : 'from the start'}`}
          />
          <figcaption>
            <span className="qr-caption">
              Scan to open {which === 'step' ? `step ${cursor + 1}` : 'the lesson'}
            </span>
            <fieldset className="qr-choice">
              <legend className="visually-hidden">The QR code opens</legend>
              <label>
                <input
                  type="radio"
                  name={qrGroup}
                  checked={which === 'step'}
                  onChange={() => setWhich('step')}
                />{' '}
                this step
              </label>
              <label>
                <input
                  type="radio"
                  name={qrGroup}
                  checked={which === 'start'}
                  onChange={() => setWhich('start')}
                />{' '}
                from the start
              </label>
            </fieldset>
          </figcaption>
        </figure>
      </div>
    </Modal>
  );
}
