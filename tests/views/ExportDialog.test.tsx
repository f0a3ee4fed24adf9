// @vitest-environment jsdom
/**
 * Exports on a real timeline: the capture downloaded is byte for byte what the command line writes for the
 * same link (parseLink → buildTimeline → timelinePcap, as scripts/pcap.ts does), named after lesson and seed;
 * the timeline text is `npm run timeline`'s. (Pictures need a real browser's layout: tests/e2e/classroom.)
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { parseLink } from '../../src/lesson/link';
import { buildTimeline, timelineKeyLog, timelinePcap, timelineText } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import { loadStoreFromLink, storeFromLink } from '../../src/state/boot';
import { StoreProvider } from '../../src/state/context';
import { ExportDialog } from '../../src/views/exports/ExportDialog';
import { StagePanels } from '../../src/views/panels/StagePanels';
import type { Timeline } from '../../src/sim/types';

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(
    await new Promise<ArrayBuffer>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result as ArrayBuffer);
      r.onerror = () => reject(r.error);
      r.readAsArrayBuffer(blob);
    }),
  );
}

function captureDownloads() {
  const saved: { blob: Blob; name: string }[] = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:test/${n++}`;
    blobs.set(url, b);
    return url;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ blob: blobs.get(this.href)!, name: this.download });
  });
  return saved;
}

function renderExport(link: string) {
  const store = storeFromLink(link, { reducedMotion: true });
  store.getState().openDialog('export');
  render(
    <StoreProvider store={store}>
      <ExportDialog />
    </StoreProvider>,
  );
  return store;
}

describe('ExportDialog', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    '?lesson=websocket',
    '?lesson=loss&seed=4242&m=c:one&m=s:two&step=9',
    '?lesson=masking&m=c:%F0%9F%91%8B%20%C3%A9t%C3%A9&mss=200',
  ])('downloads the same capture bytes as the command line for %s', async (link) => {
    const saved = captureDownloads();
    const store = renderExport(link);
    fireEvent.click(screen.getByRole('button', { name: 'Download the capture (.pcap)' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const cli = timelinePcap(buildTimeline(parseLink(link).state.scenario, ALL_STORIES));
    expect(await bytesOf(saved[0]!.blob)).toEqual(cli);
    const { lesson, seed } = store.getState().scenario;
    expect(saved[0]!.name).toBe(`wirewalk-${lesson}-${seed}.pcap`);
    expect(saved[0]!.blob.type).toBe('application/vnd.tcpdump.pcap');
    // A classic libpcap file: magic a1b2c3d4 (little-endian here), Ethernet link type 1.
    expect([...cli.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(screen.getByRole('status')).toHaveTextContent(`Saved wirewalk-${lesson}-${seed}.pcap.`);
  });

  it('offers the key log of a TLS scenario, the same lines as npm run pcap writes beside the capture', async () => {
    const saved = captureDownloads();
    const link = '?lesson=websocket&tls=1';
    // The TLS stories load on demand, as in the page.
    const store = await loadStoreFromLink(link, { reducedMotion: true });
    store.getState().openDialog('export');
    render(
      <StoreProvider store={store}>
        <ExportDialog />
      </StoreProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Download the key log (.keys)' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const cli = timelineKeyLog(buildTimeline(parseLink(link).state.scenario, ALL_STORIES));
    expect(new TextDecoder().decode(await bytesOf(saved[0]!.blob))).toBe(cli);
    expect(
      cli!
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    ).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
    ]);
    expect(saved[0]!.name).toBe(`wirewalk-websocket-${store.getState().scenario.seed}.keys`);
  });

  it('offers no key log without TLS', () => {
    renderExport('?lesson=websocket');
    expect(screen.queryByRole('button', { name: 'Download the key log (.keys)' })).toBeNull();
  });

  it('follows the scenario as it is now, messages added in the composer included', async () => {
    const saved = captureDownloads();
    const store = renderExport('?lesson=websocket');
    store.getState().addMessage('c', 'added later');
    fireEvent.click(screen.getByRole('button', { name: 'Download the capture (.pcap)' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const withMessage = timelinePcap(buildTimeline(store.getState().scenario, ALL_STORIES));
    const without = timelinePcap(buildTimeline(parseLink('?lesson=websocket').state.scenario, ALL_STORIES));
    const got = await bytesOf(saved[0]!.blob);
    expect(got).toEqual(withMessage);
    expect(got).not.toEqual(without);
  });

  it('downloads the timeline as text, one line per step', async () => {
    const saved = captureDownloads();
    const store = renderExport('?lesson=tcp&seed=5');
    fireEvent.click(screen.getByRole('button', { name: 'Download the timeline (.txt)' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const text = new TextDecoder().decode(await bytesOf(saved[0]!.blob));
    expect(text).toBe(
      timelineText(buildTimeline(parseLink('?lesson=tcp&seed=5').state.scenario, ALL_STORIES)),
    );
    expect(text.trimEnd().split('\n')).toHaveLength(store.getState().timeline.steps.length);
    expect(saved[0]!.name).toBe('wirewalk-tcp-5-timeline.txt');
  });

  it('is a labelled modal with every button named', () => {
    renderExport('?lesson=websocket');
    const dialog = screen.getByRole('dialog', { name: 'Export' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    for (const b of screen.getAllByRole('button')) expect(b).toHaveAccessibleName();
    expect(screen.getByRole('button', { name: 'Stage as PNG' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sequence diagram as SVG' })).toBeInTheDocument();
  });

  /** Wire numbers of the arrows in an exported sequence diagram, read back from the parsed SVG. */
  async function arrowsOf(blob: Blob): Promise<number[]> {
    const text = new TextDecoder().decode(await bytesOf(blob));
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.localName).toBe('svg');
    return [...doc.querySelectorAll('g.arrow')].map((g) => {
      const m = /^Packet (\d+),/.exec(g.getAttribute('aria-label') ?? '');
      expect(m, g.getAttribute('aria-label') ?? '').not.toBeNull();
      return Number(m![1]);
    });
  }

  /** Packets whose first step is in the chapter of step `cursor` (0-based), by wire number. */
  function chapterPackets(t: Timeline, cursor: number): number[] {
    const chapter = t.steps[cursor]!.chapter;
    return t.packets
      .filter((p) => t.steps.find((s) => s.packet === p.id)?.chapter === chapter)
      .map((p) => p.wireIndex);
  }

  /** As renderExport, for the stories that are not in the main bundle (Socket.IO, the comparison). */
  async function renderExportLoaded(link: string) {
    const store = await loadStoreFromLink(link, { reducedMotion: true });
    store.getState().openDialog('export');
    render(
      <StoreProvider store={store}>
        <ExportDialog />
      </StoreProvider>,
    );
    return store;
  }

  it.each(['?lesson=loss', '?lesson=polling-vs-websocket&step=40'])(
    'the sequence diagram as SVG holds every packet of the scenario (%s), not the window on screen',
    async (link) => {
      const saved = captureDownloads();
      const store = await renderExportLoaded(link);
      fireEvent.click(screen.getByRole('button', { name: 'Sequence diagram as SVG' }));
      await waitFor(() => expect(saved).toHaveLength(1));
      const all = store.getState().timeline.packets.map((p) => p.wireIndex);
      expect(all.length).toBeGreaterThan(20);
      expect((await arrowsOf(saved[0]!.blob)).sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
      expect(saved[0]!.name).toMatch(/-ladder-step\d+\.svg$/);
      // Nothing of the off-screen drawing is left behind.
      expect(document.querySelector('.ladder-export')).toBeNull();
    },
  );

  it.each(['?lesson=polling-vs-websocket&step=40', '?lesson=websocket&step=64', '?lesson=loss&step=40'])(
    'or, when chosen, exactly the packets of the current chapter (%s)',
    async (link) => {
      const saved = captureDownloads();
      const store = await renderExportLoaded(link);
      fireEvent.click(screen.getByRole('radio', { name: 'the current chapter' }));
      fireEvent.click(screen.getByRole('button', { name: 'Sequence diagram as SVG' }));
      await waitFor(() => expect(saved).toHaveLength(1));
      const { timeline, cursor } = store.getState();
      const want = chapterPackets(timeline, cursor);
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(timeline.packets.length);
      // The picture is cropped to the chapter: arrows outside it may be drawn but must lie outside the viewBox.
      const text = new TextDecoder().decode(await bytesOf(saved[0]!.blob));
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const inner = doc.documentElement.querySelector('svg')!;
      const [, y, , h] = inner.getAttribute('viewBox')!.split(' ').map(Number);
      const visible = [...doc.querySelectorAll('g.arrow')]
        .filter((g) => {
          const line = g.querySelector('line.arrow-line')!;
          const y1 = Number(line.getAttribute('y1'));
          return y1 >= y! && y1 <= y! + h!;
        })
        .map((g) => Number(/^Packet (\d+),/.exec(g.getAttribute('aria-label')!)![1]));
      expect(visible.sort((a, b) => a - b)).toEqual([...want].sort((a, b) => a - b));
      expect(saved[0]!.name).toMatch(/-ladder-chapter-step\d+\.svg$/);
    },
  );

  it('the stage picture leaves the tabs and buttons out, and says what it is doing', async () => {
    const saved = captureDownloads();
    const store = storeFromLink('?lesson=websocket&step=30', { reducedMotion: true });
    store.getState().openDialog('export');
    render(
      <StoreProvider store={store}>
        <div className="app">
          <main className="stage">
            <p>the narration stays</p>
            <StagePanels />
          </main>
          <ExportDialog />
        </div>
      </StoreProvider>,
    );
    // On the page, the tabs and the Enlarge button are there.
    expect(document.querySelector('.stage [role="tablist"]')).not.toBeNull();
    expect(document.querySelector('.stage .btn-expand')).not.toBeNull();
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const status = document.querySelector('.export-status')?.textContent ?? '';
      if (status && !seen.includes(status)) seen.push(status);
      if (document.querySelector('.export-progress') && !seen.includes('<progress>')) seen.push('<progress>');
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    fireEvent.click(screen.getByRole('button', { name: 'Stage as SVG' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    observer.disconnect();
    const svg = new TextDecoder().decode(await bytesOf(saved[0]!.blob));
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(svg).toContain('the narration stays');
    expect(doc.querySelector('[role="tablist"]')).toBeNull();
    expect(doc.querySelector('[role="tab"]')).toBeNull();
    expect(doc.getElementsByTagName('button')).toHaveLength(0);
    expect(svg).not.toContain('Enlarge');
    expect(svg).not.toContain('Packet bytes');
    // The panel itself is in the picture.
    expect(doc.querySelector('[role="tabpanel"]')).not.toBeNull();
    expect(seen).toContain('<progress>');
    expect(seen.some((s) => /Writing out the stage/.test(s))).toBe(true);
    expect(screen.getByRole('status').textContent).toMatch(
      /^Saved wirewalk-websocket-.*-stage-step30\.svg\.$/,
    );
  });
});
