// @vitest-environment jsdom
/**
 * The inspector's hint promises that selecting any field says what it means. Every field of every packet of
 * every lesson has its sentence, and the inspector shows it for the fields a box also works out (MASK, the
 * masked payload, the masking key, Sec-WebSocket-Key/Accept), not only for the others. The FCS is listed once.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LESSONS, lessonScenario } from '../../../src/lesson/catalogue';
import { buildTimeline } from '../../../src/sim/timeline';
import { ALL_STORIES } from '../../../src/sim/stories';
import type { Packet, Timeline } from '../../../src/sim/types';
import { hexDump } from '../../../src/views/hex/layout';
import { Inspector } from '../../../src/views/inspector/Inspector';
import { renderWithStore } from '../../support/renderWithStore';

const timelines = new Map<string, Timeline>();
function timelineOf(lesson: string): Timeline {
  let t = timelines.get(lesson);
  if (!t) {
    t = buildTimeline(lessonScenario(lesson), ALL_STORIES);
    timelines.set(lesson, t);
  }
  return t;
}

/** The 1-based step that shows `packet` first. */
function stepOf(timeline: Timeline, packet: Packet): number {
  return timeline.steps.findIndex((s) => s.packet === packet.id) + 1;
}

describe('every field the inspector lists has its explanation', () => {
  it.each(LESSONS.map((l) => l.id))('%s: every field has a meaning, the FCS once', (lesson) => {
    const timeline = timelineOf(lesson);
    expect(timeline.packets.length).toBeGreaterThan(0);
    for (const packet of timeline.packets) {
      const dump = hexDump(packet, 8);
      const missing = dump.fields.filter((f) => !f.meaning.trim()).map((f) => `${f.layer}:${f.name}`);
      expect(missing, `packet ${packet.wireIndex}`).toEqual([]);
      expect(dump.fields.filter((f) => f.name === 'Frame check sequence')).toHaveLength(1);
      const keys = dump.fields.map((f) => `${f.layer}:${f.key}:${f.start}:${f.bits?.start ?? ''}`);
      expect(new Set(keys).size, `packet ${packet.wireIndex} lists a field twice`).toBe(keys.length);
    }
  });

  const cases: readonly [string, (p: Packet) => boolean][] = [
    ['a masked frame', (p) => p.app?.kind === 'ws-frame' && p.app.masked],
    ['an unmasked frame', (p) => p.app?.kind === 'ws-frame' && !p.app.masked],
    ['the upgrade request', (p) => p.app?.kind === 'http-request' && p.app.upgrade],
    ['the 101 response', (p) => p.app?.kind === 'http-response' && p.app.status === 101],
  ];
  it.each(cases)(
    '%s: selecting each field shows its sentence',
    async (_, which) => {
      const timeline = timelineOf('websocket');
      const packet = timeline.packets.find(which)!;
      expect(packet).toBeDefined();
      const user = userEvent.setup();
      const { container } = renderWithStore(<Inspector />, { timeline, step: stepOf(timeline, packet) });
      expect(screen.getByText(/Select a field, or click a byte, to see what it means/)).toBeInTheDocument();
      const dump = hexDump(packet, 8);
      const options = within(screen.getByRole('listbox')).getAllByRole('option');
      expect(options).toHaveLength(dump.fields.length);
      const names: string[] = [];
      for (const option of options) {
        await user.click(option);
        const meaning = container.querySelector('.field-detail-meaning');
        const name = container.querySelector('.field-detail-head strong')?.textContent ?? '';
        const field = dump.fields.find((f) => f.name === name)!;
        expect(meaning?.textContent?.trim(), name).toBe(field.meaning.trim());
        expect(meaning!.textContent!.length, name).toBeGreaterThan(10);
        names.push(name);
      }
      if (packet.app?.kind === 'ws-frame') {
        expect(names).toEqual(expect.arrayContaining(['MASK']));
        expect(names.some((n) => /^Payload/.test(n))).toBe(true);
      }
      // One click per field: Chrome's twelve upgrade headers make this the longest case (about 18 s on a
      // loaded two-core machine); a budget, not a measurement.
    },
    60_000,
  );
});
