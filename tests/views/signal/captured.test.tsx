// @vitest-environment jsdom
/**
 * The signal of a captured frame: a capture file starts at layer 2 (tcpdump.org LINKTYPE_ETHERNET), so the
 * wire strip draws the record's own bytes, from its first to its last, with no preamble, SFD, /J/K/, /T/R/
 * or FCS that the file never held (the reference capture chromium-ws.pcap, opened as the app opens it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCaptureTimeline } from '../../../src/capture/open';
import { WireStrip } from '../../../src/views/wire/WireStrip';
import { preloadLazyChunks } from '../../support/lazyChunks';
import { renderWithStore } from '../../support/renderWithStore';

// The signal trace is a lazy chunk: load it before a test waits for it to show.
beforeAll(preloadLazyChunks, 120_000);

describe('the signal of a captured frame', () => {
  const file = join(import.meta.dirname, '../../fixtures/capture/routed/chromium-ws.pcap');
  const timeline = openCaptureTimeline([
    { name: 'chromium-ws.pcap', bytes: new Uint8Array(readFileSync(file)) },
  ]);

  it('starts at the first captured byte and ends at the last, with no preamble part', async () => {
    const at = timeline.steps.findIndex((s) => s.kind === 'transmit' && s.packet !== undefined);
    expect(at).toBeGreaterThanOrEqual(0);
    const packet = timeline.packets[timeline.steps[at]!.packet!]!;
    expect(packet.captured).toBeDefined();
    const { container } = renderWithStore(<WireStrip />, { timeline, step: at + 1 });
    await waitFor(() => expect(container.querySelector('path.signal-wave')).not.toBeNull());
    const nibbles = (b: number) => `${(b & 15).toString(16)} ${(b >> 4).toString(16)}`.toUpperCase();
    const groups = [...container.querySelector('.signal-group')!.textContent!];
    const labels = [...container.querySelectorAll('.signal-byte')].map((t) => t.textContent);
    // The frame's first byte is drawn first; its last two (the record's, not an FCS) last.
    expect(groups.slice(0, 2).join(' ')).toBe(nibbles(packet.frame[0]!));
    expect(groups.slice(-4).join(' ')).toBe([...packet.frame.slice(-2)].map(nibbles).join(' '));
    expect(groups).not.toContain('J');
    expect(groups).not.toContain('T');
    expect(labels.some((l) => /SFD|×6|start|end/.test(l ?? ''))).toBe(false);
    expect(container.querySelector('.signal title')!.textContent).toMatch(/never recorded/);
  });
});
