/**
 * Share: a link to this step and a link from the start, each with a Copy button; a QR code of either, large
 * enough to scan from the back of a room; and the iframe snippet for a course page, with an optional locked
 * step range. Loaded only when it first opens (it brings the QR library).
 *
 * It tells the truth about long links (a scenario of long messages makes one): each link's length is shown;
 * a link longer than a QR code holds gets a sentence saying so instead of a code, and one longer than chat
 * apps reliably keep gets a warning (the limits and their sources are in linkLength.ts).
 */
import { useId, useRef, useState } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import { lessonById } from '../../state/lesson';
import { absoluteLink, embedQuery, iframeSnippet, startQuery, stepQuery } from '../../state/links';
import { selectStepCount } from '../../state/store';
import { Modal } from '../dialog/Modal';
import { QrCode } from './QrCode';
import { copyText } from './copyText';
import { characters, fitsQrCode, longLinkWarning, tooLongForQr } from './linkLength';
import './ShareDialog.css';

type Which = 'step' | 'start';

/** What the QR code can open, as the radio buttons under it say it. */
const QR_CHOICES: readonly (readonly [Which, string])[] = [
  ['step', 'this step'],
  ['start', 'from the start'],
];

function CopyField({
  label,
  value,
  button,
  onCopied,
  rows,
  autoFocus,
  showLength,
}: {
  readonly label: string;
  readonly value: string;
  readonly button: string;
  onCopied(result: 'copied' | 'selected'): void;
  readonly rows: number;
  readonly autoFocus?: boolean;
  /** Show how many characters the value has (beside the label, and as the field's description). */
  readonly showLength?: boolean;
}) {
  const id = useId();
  const lengthId = useId();
  const field = useRef<HTMLTextAreaElement | null>(null);
  return (
    <div className="copy-field">
      <div className="copy-head">
        <label htmlFor={id} className="copy-label">
          {label}
        </label>
        {showLength ? (
          <span id={lengthId} className="copy-length">
            {characters(value.length)}
          </span>
        ) : null}
      </div>
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
          aria-describedby={showLength ? lengthId : undefined}
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

/** A step number field of the embed's range: empty means "no limit". */
function StepField({
  label,
  value,
  placeholder,
  count,
  onChange,
}: {
  readonly label: string;
  readonly value: string;
  readonly placeholder: number;
  readonly count: number;
  onChange(value: string): void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="range-input"
        type="number"
        inputMode="numeric"
        min={1}
        max={count}
        value={value}
        placeholder={String(placeholder)}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}

/** A 1-based step number typed into a range field, or null for empty or nonsense. */
function stepNumber(text: string, count: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= 1 && n <= count ? n : null;
}

export function ShareDialog() {
  const capture = useWirewalk((s) => s.timeline.capture?.name);
  return capture !== undefined ? <CaptureShare name={capture} /> : <LessonShare />;
}

/** A capture is not in any link: the dialog says so and how to share it instead, rather than a wrong link. */
function CaptureShare({ name }: { readonly name: string }) {
  const { closeDialog } = useActions();
  return (
    <Modal title="Share this capture" onClose={closeDialog} className="share-dialog">
      <p className="share-capture">
        A capture is not in the link: {name} was read in this browser and stays on this machine. To show it to
        someone, send them the file (and its key log); they open it with “Open capture…”.
      </p>
    </Modal>
  );
}

function LessonShare() {
  const scenario = useWirewalk((s) => s.scenario);
  const view = useWirewalk((s) => s.view);
  const cursor = useWirewalk((s) => s.cursor);
  const count = useWirewalk(selectStepCount);
  const { closeDialog } = useActions();
  const [which, setWhich] = useState<Which>('step');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState('');
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
  const qrFits = fitsQrCode(qrUrl);
  // The link from the start is a few characters shorter: when only it fits, the sentence points to it.
  const qrInstead = which === 'step' && fitsQrCode(startUrl) ? 'from the start' : null;
  // About the longer of the two links (the one to this step, unless a form to come writes it otherwise).
  const warning =
    stepUrl.length >= startUrl.length
      ? longLinkWarning(stepUrl, `The link to step ${cursor + 1}`)
      : longLinkWarning(startUrl, 'The link from the start');
  /** The two links: label, link, button. */
  const links = [
    [`Link to step ${cursor + 1}`, stepUrl, 'Copy link to this step'],
    ['Link from the start', startUrl, 'Copy link from the start'],
  ] as const;
  const said = (what: string) => (result: 'copied' | 'selected') =>
    setStatus(
      result === 'copied' ? `${what} copied.` : `${what} selected: press Ctrl+C (⌘C on a Mac) to copy it.`,
    );

  return (
    <Modal title="Share this lesson" onClose={closeDialog} className="share-dialog">
      <div className="share-grid">
        <div className="share-links">
          {links.map(([label, value, button], i) => (
            <CopyField
              key={button}
              label={label}
              value={value}
              button={button}
              onCopied={said(label)}
              rows={2}
              autoFocus={i === 0}
              showLength
            />
          ))}
          {warning ? <p className="share-warning">{warning}</p> : null}
          <fieldset className="embed-fields">
            <legend>Embed in a course page or slide deck</legend>
            <div className="range-row">
              <StepField label="From step" value={from} placeholder={1} count={count} onChange={setFrom} />
              <StepField label="to step" value={to} placeholder={count} count={count} onChange={setTo} />
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
          {qrFits ? (
            <QrCode
              text={qrUrl}
              label={`QR code of the link ${which === 'step' ? `to step ${cursor + 1}` : 'from the start'}`}
            />
          ) : (
            <p className="qr-missing qr-too-long">{tooLongForQr(qrUrl, qrInstead)}</p>
          )}
          <figcaption>
            {qrFits ? (
              <span className="qr-caption">
                Scan to open {which === 'step' ? `step ${cursor + 1}` : 'the lesson'}
              </span>
            ) : null}
            <fieldset className="qr-choice">
              <legend className="visually-hidden">The QR code opens</legend>
              {QR_CHOICES.map(([value, label]) => (
                <label key={value}>
                  <input
                    type="radio"
                    name={qrGroup}
                    checked={which === value}
                    onChange={() => setWhich(value)}
                  />{' '}
                  {label}
                </label>
              ))}
            </fieldset>
          </figcaption>
        </figure>
      </div>
    </Modal>
  );
}
