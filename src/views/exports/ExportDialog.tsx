/**
 * Exports: the scenario's capture (.pcap, for Wireshark: the same bytes as `npm run pcap` for this link), the
 * stage (without its tabs and buttons) and the sequence diagram (every packet, or the current chapter's) as
 * PNG (2×) and SVG for slides, with the export's progress shown, and the timeline as text. Loaded only when
 * it first opens.
 */
import { useState } from 'react';
import { useActions, useWirewalk, useWirewalkStore } from '../../state/context';
import { captureKeyLog, capturePcap, captureText, exportFileName, wholeTimeline } from '../../state/exports';
import type { WirewalkStore } from '../../state/store';
import { Modal } from '../dialog/Modal';
import { downloadBlob } from './download';
import { ladderExtent, ladderPicture, type LadderScope } from './ladderPicture';
import { isControl, svgOfHtml, svgToPng, type Picture } from './snapshot';
import './ExportDialog.css';

type PictureOf = 'stage' | 'ladder';

const PICTURE_NAMES: Readonly<Record<PictureOf, string>> = { stage: 'Stage', ladder: 'Sequence diagram' };
/** The picture buttons, in order. */
const PICTURES: readonly (readonly [PictureOf, 'png' | 'svg'])[] = [
  ['stage', 'png'],
  ['stage', 'svg'],
  ['ladder', 'png'],
  ['ladder', 'svg'],
];

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** What a picture export is doing, shown as it goes (a picture of a big stage takes a moment). */
export interface Progress {
  readonly done: number;
  readonly of: number;
  readonly doing: string;
}
type Report = (p: Progress) => Promise<void>;

/**
 * The picture of the stage (without its tabs and buttons) or of the sequence diagram (whole, or the current
 * chapter: ladderPicture.tsx). `report` is told each phase before it starts and gets a frame to show it.
 */
async function takePicture(
  store: WirewalkStore,
  what: PictureOf,
  scope: LadderScope,
  report: Report,
): Promise<Picture> {
  const root = document.querySelector('.app') ?? document.body;
  if (what === 'stage') {
    const stage = root.querySelector<HTMLElement>('.stage');
    if (!stage) throw new Error('the stage is not on screen');
    await report({ done: 1, of: 3, doing: 'Writing out the stage (tabs and buttons left out)' });
    return svgOfHtml(stage, { skip: isControl });
  }
  const timeline = wholeTimeline(store);
  const { cursor } = store.getState();
  // The same width as on screen when the diagram is showing, else the panel's.
  const onScreen = root.querySelector<SVGSVGElement>('.ladder-svg');
  const panel = root.querySelector<HTMLElement>('.panel');
  const width = Math.max(320, onScreen?.width.baseVal.value || panel?.clientWidth || 760);
  const head = root.querySelector<HTMLElement>('.ladder-head');
  const extent = ladderExtent(timeline, width, cursor, scope);
  await report({
    done: 1,
    of: 3,
    doing: `Drawing ${extent.packets.length} packets${extent.title ? ` of “${extent.title}”` : ''}`,
  });
  return ladderPicture(timeline, extent, width, root, head ? getComputedStyle(head) : undefined);
}

export function ExportDialog() {
  const store = useWirewalkStore();
  const scenario = useWirewalk((s) => s.scenario);
  const cursor = useWirewalk((s) => s.cursor);
  const tls = useWirewalk((s) => (s.timeline.tls?.length ?? 0) > 0);
  const { closeDialog } = useActions();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [scope, setScope] = useState<LadderScope>('all');
  const report: Report = async (p) => {
    setProgress(p);
    setStatus(`${p.doing}…`);
    // Two frames: React paints the bar before the work of this phase blocks the page.
    await nextFrame();
    await nextFrame();
  };

  // aria-disabled rather than disabled while busy: a disabled button would drop the focus out of the dialog.
  const run = async (what: string, make: () => Promise<{ blob: Blob; name: string }>) => {
    if (busy) return;
    setBusy(true);
    setStatus(`Preparing ${what}…`);
    try {
      const { blob, name } = await make();
      downloadBlob(blob, name);
      setStatus(`Saved ${name}.`);
    } catch (error) {
      setStatus(`Could not make ${what}: ${error instanceof Error ? error.message : String(error)}.`);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const pcap = () =>
    run('the capture', async () => {
      const bytes = capturePcap(wholeTimeline(store));
      return {
        blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }),
        name: exportFileName(scenario, 'pcap'),
      };
    });
  const keys = () =>
    run('the key log', async () => {
      const log = captureKeyLog(wholeTimeline(store));
      if (log === null) throw new Error('this scenario has no TLS');
      return {
        blob: new Blob([log], { type: 'text/plain;charset=utf-8' }),
        name: exportFileName(scenario, 'keys'),
      };
    });
  const text = () =>
    run('the timeline', async () => ({
      blob: new Blob([captureText(wholeTimeline(store))], { type: 'text/plain;charset=utf-8' }),
      name: exportFileName(scenario, 'txt', 'timeline'),
    }));
  const picture = (what: PictureOf, format: 'png' | 'svg') =>
    run(`the ${PICTURE_NAMES[what].toLowerCase()} as ${format.toUpperCase()}`, async () => {
      const p = await takePicture(store, what, scope, report);
      const part = what === 'ladder' && scope === 'chapter' ? 'ladder-chapter' : what;
      const name = exportFileName(scenario, format, `${part}-step${cursor + 1}`);
      if (format === 'svg') return { blob: new Blob([p.svg], { type: 'image/svg+xml' }), name };
      await report({ done: 2, of: 3, doing: 'Drawing the PNG at 2×' });
      return { blob: await svgToPng(p, document), name };
    });

  return (
    <Modal title="Export" onClose={closeDialog} className="export-dialog">
      <section className="export-group" aria-labelledby="export-capture">
        <h3 id="export-capture">Capture for Wireshark</h3>
        <p className="export-note">
          Every packet of this scenario as the browser&apos;s network card sees it: the same bytes as{' '}
          <code>npm run pcap</code> writes for this link.
        </p>
        <button type="button" className="btn" aria-disabled={busy} onClick={() => void pcap()}>
          Download the capture (.pcap)
        </button>
        {tls && (
          <>
            <p className="export-note">
              The TLS secrets of this run, in the key log format browsers write (SSLKEYLOGFILE). Give it to
              Wireshark (Preferences › Protocols › TLS › (Pre)-Master-Secret log filename, or{' '}
              <code>-o tls.keylog_file:FILE</code>) and every record of the capture decrypts.
            </p>
            <button type="button" className="btn" aria-disabled={busy} onClick={() => void keys()}>
              Download the key log (.keys)
            </button>
          </>
        )}
      </section>
      <section className="export-group" aria-labelledby="export-pictures">
        <h3 id="export-pictures">Pictures for slides (step {cursor + 1})</h3>
        <p className="export-note">
          PNG at twice the screen&apos;s resolution; SVG scales to any size. The stage is pictured without its
          tabs and buttons.
        </p>
        <fieldset className="export-scope">
          <legend>Sequence diagram</legend>
          <label>
            <input
              type="radio"
              name="ladder-scope"
              value="all"
              checked={scope === 'all'}
              onChange={() => setScope('all')}
            />{' '}
            every packet of the scenario
          </label>
          <label>
            <input
              type="radio"
              name="ladder-scope"
              value="chapter"
              checked={scope === 'chapter'}
              onChange={() => setScope('chapter')}
            />{' '}
            the current chapter
          </label>
        </fieldset>
        <div className="export-buttons">
          {PICTURES.map(([what, format]) => (
            <button
              key={`${what}-${format}`}
              type="button"
              className="btn"
              aria-disabled={busy}
              onClick={() => void picture(what, format)}
            >
              {PICTURE_NAMES[what]} as {format.toUpperCase()}
            </button>
          ))}
        </div>
        <p className="export-note">
          The stage&apos;s SVG opens in browsers; for slide programs use its PNG or the sequence
          diagram&apos;s SVG.
        </p>
      </section>
      <section className="export-group" aria-labelledby="export-text">
        <h3 id="export-text">Timeline as text</h3>
        <p className="export-note">
          One line per step, as <code>npm run timeline</code> prints it.
        </p>
        <button type="button" className="btn" aria-disabled={busy} onClick={() => void text()}>
          Download the timeline (.txt)
        </button>
      </section>
      {progress ? (
        <progress
          className="export-progress"
          max={progress.of}
          value={progress.done}
          aria-label="Export progress"
        />
      ) : null}
      <p className="export-status" role="status" aria-live="polite">
        {status}
      </p>
    </Modal>
  );
}
