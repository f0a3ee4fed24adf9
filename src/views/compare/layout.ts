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

/** The right margin is as wide as the end labels (chartLayout). */
export const CHART_MARGIN = { left: 64, top: 16, bottom: 40 } as const;

/**
 * Text widths estimated from the root font size `em` (no DOM here): DejaVu Sans/Segoe UI digits are about
 * 0.64 em wide, bold letters about 0.66 em. The chart's CSS sets ticks at 0.75rem and end labels at 0.8rem bold.
 */
export const TICK_FONT = 0.75;
export const LABEL_FONT = 0.8;
export function textWidth(text: string, fontRem: number, em: number, per = 0.64): number {
  return text.length * per * fontRem * em;
}
/** End labels longer than this are cut with an ellipsis (the full name is in their <title>). */
export const LABEL_CHARS = 18;
export function endLabel(label: string): string {
  return label.length > LABEL_CHARS ? label.slice(0, LABEL_CHARS - 1) + '…' : label;
}
/** Space kept between two tick labels. */
const TICK_GAP = 8;
/** Vertical room of an end label (at least its line height at 0.8rem). */
const LABEL_STEP = 18;

/**
 * Message-number ticks that do not collide: every k-th number (k from 1, 2, 5, 10, 20, 50 …) for the
 * smallest k whose labels, `labelWidth(v)` wide, keep TICK_GAP between them. Always starts at 1.
 */
export function thinTicks(
  n: number,
  pos: (v: number) => number,
  labelWidth: (v: number) => number,
): number[] {
  const steps = [1, 2, 5];
  for (let scale = 1; ; scale *= 10) {
    for (const base of steps) {
      const k = base * scale;
      const values: number[] = [];
      for (let v = 1; v <= n; v += k) values.push(v);
      const fits = values.every(
        (v, i) =>
          i === 0 ||
          pos(v) - pos(values[i - 1]!) >= (labelWidth(v) + labelWidth(values[i - 1]!)) / 2 + TICK_GAP,
      );
      if (fits || k >= n) return values;
    }
  }
}

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
  em = 16,
): ChartLayout {
  // The right margin holds the end labels: as wide as the widest, plus the 8 px before it.
  const labels = Math.max(
    ...comparison.series.map((s) => textWidth(endLabel(s.label), LABEL_FONT, em, 0.66)),
  );
  const right = Math.ceil(labels) + 14;
  const plot = {
    left: CHART_MARGIN.left,
    top: CHART_MARGIN.top,
    right: Math.max(CHART_MARGIN.left + 40, width - right),
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
  // Direct labels at the line ends, pushed apart to at least LABEL_STEP (never colour alone: the name is
  // there), and kept between the plot's top and bottom so none runs into the axis title below.
  const order = [...series].sort((a, b) => a.labelY - b.labelY);
  for (let i = 1; i < order.length; i++) {
    const prev = order[i - 1]!;
    const cur = order[i]!;
    if (cur.labelY - prev.labelY < LABEL_STEP) order[i] = { ...cur, labelY: prev.labelY + LABEL_STEP };
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const limit = i === order.length - 1 ? plot.bottom : order[i + 1]!.labelY - LABEL_STEP;
    if (order[i]!.labelY > limit) order[i] = { ...order[i]!, labelY: limit };
  }
  const nudged = new Map(order.map((s) => [s.method, s.labelY]));
  return {
    series: series.map((s) => ({ ...s, labelY: nudged.get(s.method) ?? s.labelY })),
    xTicks: thinTicks(n, x, (v) => textWidth(String(v), TICK_FONT, em)).map((v) => ({
      value: v,
      pos: x(v),
      label: String(v),
    })),
    yTicks: y.ticks(5).map((v) => ({ value: v, pos: y(v), label: formatValue(measure, v) })),
    plot,
  };
}
