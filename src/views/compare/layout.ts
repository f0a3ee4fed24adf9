/**
 * Geometry of the polling-vs-WebSocket charts (CURRICULUM Q12): d3 scales and line shapes computed here,
 * rendered as JSX. One chart per measure: cumulative bytes on the wire, and delay per message.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Comparison, ComparisonSeries } from '../../sim/types';

export type Measure = 'bytes' | 'delay';

export interface ChartSeries {
  readonly method: ComparisonSeries['method'];
  readonly label: string;
  readonly path: string;
  readonly points: readonly { readonly x: number; readonly y: number; readonly value: number }[];
  /** Where the direct label goes (end of the line), nudged so labels do not overlap. */
  readonly labelY: number;
  readonly last: number;
}

export interface Tick {
  readonly value: number;
  readonly pos: number;
  readonly label: string;
}

export interface ChartLayout {
  readonly series: readonly ChartSeries[];
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
  };
}

export const CHART_MARGIN = { left: 64, right: 150, top: 16, bottom: 40 } as const;

function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 10_000) return `${Math.round(n / 1000)} kB`;
  return `${n} B`;
}

export function formatValue(measure: Measure, n: number): string {
  return measure === 'bytes' ? formatBytes(n) : `${+n.toFixed(1)} ms`;
}

export function chartLayout(
  comparison: Comparison,
  measure: Measure,
  width: number,
  height: number,
): ChartLayout {
  const plot = {
    left: CHART_MARGIN.left,
    top: CHART_MARGIN.top,
    right: Math.max(CHART_MARGIN.left + 40, width - CHART_MARGIN.right),
    bottom: Math.max(CHART_MARGIN.top + 40, height - CHART_MARGIN.bottom),
  };
  const values = (s: ComparisonSeries) => (measure === 'bytes' ? s.cumulativeBytes : s.delays);
  const n = Math.max(1, ...comparison.series.map((s) => values(s).length));
  const max = Math.max(1, ...comparison.series.flatMap((s) => [...values(s)]));
  const x = scaleLinear()
    .domain([1, Math.max(2, n)])
    .range([plot.left, plot.right]);
  const y = scaleLinear().domain([0, max]).nice().range([plot.bottom, plot.top]);
  const shape = line<{ x: number; y: number }>()
    .x((d) => d.x)
    .y((d) => d.y);
  const series = comparison.series.map((s) => {
    const points = values(s).map((value, i) => ({ x: x(i + 1), y: y(value), value }));
    return {
      method: s.method,
      label: s.label,
      path: shape(points) ?? '',
      points,
      labelY: points.at(-1)?.y ?? plot.bottom,
      last: values(s).at(-1) ?? 0,
    };
  });
  // Direct labels at the line ends, pushed apart to at least 18 px (never colour alone: the name is there).
  const order = [...series].sort((a, b) => a.labelY - b.labelY);
  for (let i = 1; i < order.length; i++) {
    const prev = order[i - 1]!;
    const cur = order[i]!;
    if (cur.labelY - prev.labelY < 18) order[i] = { ...cur, labelY: prev.labelY + 18 };
  }
  const nudged = new Map(order.map((s) => [s.method, s.labelY]));
  return {
    series: series.map((s) => ({ ...s, labelY: nudged.get(s.method) ?? s.labelY })),
    xTicks: x
      .ticks(Math.min(n, 10))
      .filter(Number.isInteger)
      .map((v) => ({ value: v, pos: x(v), label: String(v) })),
    yTicks: y.ticks(5).map((v) => ({ value: v, pos: y(v), label: formatValue(measure, v) })),
    plot,
  };
}
