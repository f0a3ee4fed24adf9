import { chartLayout, formatValue } from '../../../src/views/compare/layout';
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
});
