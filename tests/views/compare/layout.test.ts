import type { Comparison } from '../../../src/sim/types';
import {
  LABEL_FONT,
  TICK_FONT,
  chartLayout,
  endLabel,
  formatValue,
  textWidth,
  thinTicks,
} from '../../../src/views/compare/layout';
import { COMPARISON } from '../fixture';

describe('chartLayout', () => {
  const W = 600;
  const H = 300;
  it('plots every series with one point per message, x by message number, y up with the value', () => {
    const l = chartLayout(COMPARISON, 'bytes', W, H);
    expect(l.series.map((s) => s.method)).toEqual(['short-polling', 'long-polling', 'websocket']);
    for (const s of l.series) {
      expect(s.points).toHaveLength(5);
      expect(s.points[0]!.x).toBeCloseTo(l.plot.left);
      expect(s.points[4]!.x).toBeCloseTo(l.plot.right);
      expect(s.path.startsWith('M')).toBe(true);
    }
    const [poll, , ws] = l.series;
    // More bytes is higher on screen (smaller y).
    expect(poll!.points[4]!.y).toBeLessThan(ws!.points[4]!.y);
    expect(poll!.last).toBe(7250);
    expect(ws!.last).toBe(940);
    // The y axis starts at zero and reaches at least the largest value.
    expect(l.yTicks[0]).toMatchObject({ value: 0, pos: l.plot.bottom });
    expect(l.yTicks.at(-1)!.value).toBeGreaterThanOrEqual(7000);
    expect(l.xTicks.map((t) => t.label)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('plots delays on their own scale', () => {
    const l = chartLayout(COMPARISON, 'delay', W, H);
    expect(l.series[2]!.points.every((p) => p.value === 6)).toBe(true);
    expect(l.yTicks.at(-1)!.label).toMatch(/ms$/);
  });

  it('pushes end labels at least 18 px apart', () => {
    const l = chartLayout(COMPARISON, 'delay', W, H);
    const ys = l.series.map((s) => s.labelY).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(18);
  });

  it('formats values for people', () => {
    expect(formatValue('bytes', 940)).toBe('940 B');
    expect(formatValue('bytes', 72_500)).toBe('73 kB');
    expect(formatValue('bytes', 2_400_000)).toBe('2.4 MB');
    expect(formatValue('delay', 12.25)).toBe('12.3 ms');
  });

  /** Ten or forty messages, every delay ending near zero (the labels crowd at the bottom, as in the lesson). */
  function many(n: number): Comparison {
    return {
      messages: n,
      series: COMPARISON.series.map((s, k) => ({
        ...s,
        cumulativeBytes: Array.from({ length: n }, (_, i) => (i + 1) * (300 + 100 * k)),
        delays: Array.from({ length: n }, (_, i) => (k === 0 ? (i * 97) % 800 : 5)),
      })),
    };
  }

  it.each([
    [10, 240, 15.6],
    [10, 420, 17.2],
    [40, 300, 20],
    [10, 160, 16],
  ])('x ticks for %i messages on a %i px chart (em %f) never collide and start at 1', (n, width, em) => {
    const l = chartLayout(many(n), 'bytes', width, 260, em);
    expect(l.xTicks[0]!.value).toBe(1);
    for (let i = 1; i < l.xTicks.length; i++) {
      const a = l.xTicks[i - 1]!;
      const b = l.xTicks[i]!;
      const half = (textWidth(a.label, TICK_FONT, em) + textWidth(b.label, TICK_FONT, em)) / 2;
      expect(b.pos - a.pos, `${a.label}→${b.label}`).toBeGreaterThanOrEqual(half);
    }
    // Evenly spaced message numbers, as many as fit.
    const steps = new Set(l.xTicks.slice(1).map((t, i) => t.value - l.xTicks[i]!.value));
    expect(steps.size).toBeLessThanOrEqual(1);
  });

  it('keeps every tick when there is room', () => {
    expect(
      thinTicks(
        10,
        (v) => v * 50,
        () => 10,
      ),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(
      thinTicks(
        10,
        (v) => v * 12,
        () => 10,
      ),
    ).toEqual([1, 3, 5, 7, 9]);
  });

  it('keeps the end labels inside the plot, apart, and clear of the axis title', () => {
    for (const width of [340, 420]) {
      const l = chartLayout(many(10), 'delay', width, 240, 16);
      const ys = l.series.map((s) => s.labelY).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(18);
      for (const y of ys) {
        expect(y).toBeLessThanOrEqual(l.plot.bottom);
        expect(y).toBeGreaterThanOrEqual(l.plot.top);
      }
      // Room on the right for the widest label.
      const widest = Math.max(...l.series.map((s) => textWidth(endLabel(s.label), LABEL_FONT, 16, 0.66)));
      expect(width - l.plot.right).toBeGreaterThanOrEqual(widest + 8);
    }
  });
});
