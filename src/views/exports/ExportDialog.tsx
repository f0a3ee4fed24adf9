/**
 * Exports: the scenario's capture (.pcap, for Wireshark: the same bytes as `npm run pcap` for this link), the
 * stage and the sequence diagram as PNG (2×) and SVG for slides, and the timeline as text. Loaded only when
 * it first opens.
 */
import { useState } from 'react';
import { useActions, useWirewalk, useWirewalkStore } from '../../state/context';
import { captureKeyLog, capturePcap, captureText, exportFileName } from '../../state/exports';
import type { WirewalkStore } from '../../state/store';
import { Modal } from '../dialog/Modal';
import { downloadBlob } from './download';
import { svgOfElement, svgOfHtml, svgToPng, type Picture } from './snapshot';
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

/** The sequence diagram as drawn: the window scrolled to, with the lifelines' names above it. */
function ladderPicture(root: ParentNode): Picture | null {
  const svg = root.querySelector<SVGSVGElement>('.ladder-svg');
  const scroller = root.querySelector<HTMLElement>('.ladder-scroll');
  if (!svg || !scroller) return null;
  const heads = [...root.querySelectorAll<HTMLElement>('.ladder-head')];
  const headerStyle = heads[0] ? getComputedStyle(heads[0]) : undefined;
  return svgOfElement(svg, {
    crop: {
      x: 0,
      y: scroller.scrollTop,
      width: svg.width.baseVal.value || scroller.clientWidth,
      height: Math.min(scroller.clientHeight, svg.height.baseVal.value || scroller.clientHeight),
    },
    header: heads.map((h) => ({ x: parseFloat(h.style.left) || 0, text: h.textContent ?? '' })),
    headerStyle,
  });
}

/** The picture of the stage or the ladder; the ladder's tab is opened for a moment if another is showing. */
async function takePicture(store: WirewalkStore, what: PictureOf): Promise<Picture> {
  const root = document.querySelector('.app') ?? document;
  if (what === 'stage') {
    const stage = root.querySelector<HTMLElement>('.stage');
    if (!stage) throw new Error('the stage is not on screen');
    return svgOfHtml(stage);
  }
  const before = store.getState().panel;
  let picture = ladderPicture(root);
  if (!picture) {
    store.getState().setPanel('ladder');
    await nextFrame();
    await nextFrame();
    picture = ladderPicture(root);
    store.getState().setPanel(before);
  }
  if (!picture) throw new Error('the sequence diagram is not on screen');
  return picture;
}

export function ExportDialog() {
  const store = useWirewalkStore();
  const scenario = useWirewalk((s) => s.scenario);
  const cursor = useWirewalk((s) => s.cursor);
  const tls = useWirewalk((s) => (s.timeline.tls?.length ?? 0) > 0);
  const { closeDialog } = useActions();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

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
    }
  };

  const pcap = () =>
    run('the capture', async () => {
      const bytes = capturePcap(store.getState().timeline);
      return {
        blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }),
        name: exportFileName(scenario, 'pcap'),
      };
    });
  const keys = () =>
    run('the key log', async () => {
      const log = captureKeyLog(store.getState().timeline);
      if (log === null) throw new Error('this scenario has no TLS');
      return {
        blob: new Blob([log], { type: 'text/plain;charset=utf-8' }),
        name: exportFileName(scenario, 'keys'),
      };
    });
  const text = () =>
    run('the timeline', async () => ({
      blob: new Blob([captureText(store.getState().timeline)], { type: 'text/plain;charset=utf-8' }),
      name: exportFileName(scenario, 'txt', 'timeline'),
    }));
  const picture = (what: PictureOf, format: 'png' | 'svg') =>
    run(`the ${PICTURE_NAMES[what].toLowerCase()} as ${format.toUpperCase()}`, async () => {
      const p = await takePicture(store, what);
      const name = exportFileName(scenario, format, `${what}-step${cursor + 1}`);
      if (format === 'svg') return { blob: new Blob([p.svg], { type: 'image/svg+xml' }), name };
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
        <p className="export-note">PNG at twice the screen&apos;s resolution; SVG scales to any size.</p>
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
      <p className="export-status" role="status" aria-live="polite">
        {status}
      </p>
    </Modal>
  );
}
