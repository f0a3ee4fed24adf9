/**
 * Bytes on the wire and delay per message for each method (polling-vs-websocket lesson, CURRICULUM Q12).
 * Lines differ by colour, dash pattern and marker, and each is labelled at its end.
 */
import { useMemo } from 'react';
import type { Comparison } from '../../sim/types';
import { useElementSize } from '../motion/useElementSize';
import { chartLayout, endLabel, formatValue, type Measure } from './layout';

function rootFontSize(): number {
  if (typeof getComputedStyle !== 'function') return 16;
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}
import './ComparisonChart.css';

function Chart({
  comparison,
  measure,
  title,
}: {
  readonly comparison: Comparison;
  readonly measure: Measure;
  readonly title: string;
}) {
  const [ref, size] = useElementSize<HTMLDivElement>({ width: 420, height: 240 });
  // The root font follows the window (styles.css): read it again whenever the chart is resized.
  const em = useMemo(() => (size.width > 0 ? rootFontSize() : 16), [size.width]);
  const layout = useMemo(
    () => chartLayout(comparison, measure, size.width, size.height, em),
    [comparison, measure, size, em],
  );
  const { plot } = layout;
  const summary = layout.series.map((s) => `${s.label}: ${formatValue(measure, s.last)}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box" ref={ref}>
        <svg
          width={size.width}
          height={size.height}
          role="img"
          aria-label={`${title}. After message ${comparison.messages}: ${summary}.`}
        >
          {layout.yTicks.map((t) => (
            <g key={t.value} className="tick">
              <line x1={plot.left} x2={plot.right} y1={t.pos} y2={t.pos} />
              <text x={plot.left - 8} y={t.pos + 5} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          {layout.xTicks.map((t) => (
            <text key={t.value} className="tick-x" x={t.pos} y={plot.bottom + 20} textAnchor="middle">
              {t.label}
            </text>
          ))}
          <text
            className="axis-title"
            x={(plot.left + plot.right) / 2}
            y={plot.bottom + 38}
            textAnchor="middle"
          >
            message number
          </text>
          {layout.series.map((s) => (
            <g key={s.method} className={`series method-${s.method}`}>
              <path className="series-line" d={s.path} />
              {s.points.map((p, i) => (
                <circle key={i} className="series-dot" cx={p.x} cy={p.y} r={4} />
              ))}
              <text className="series-label" x={plot.right + 8} y={s.labelY + 5}>
                {endLabel(s.label)}
                <title>{s.label}</title>
              </text>
            </g>
          ))}
        </svg>
      </div>
    </figure>
  );
}

export function ComparisonChart({ comparison }: { readonly comparison: Comparison }) {
  return (
    <div className="comparison">
      <Chart
        comparison={comparison}
        measure="bytes"
        title="Bytes on the wire, all headers included (cumulative)"
      />
      <Chart comparison={comparison} measure="delay" title="Delay from server to browser, per message" />
      <table className="visually-hidden">
        <caption>Comparison per method after {comparison.messages} messages</caption>
        <thead>
          <tr>
            <th scope="col">method</th>
            <th scope="col">bytes on the wire</th>
            <th scope="col">packets</th>
            <th scope="col">mean delay</th>
          </tr>
        </thead>
        <tbody>
          {comparison.series.map((s) => (
            <tr key={s.method}>
              <th scope="row">{s.label}</th>
              <td>{formatValue('bytes', s.cumulativeBytes.at(-1) ?? 0)}</td>
              <td>{s.packets}</td>
              <td>
                {formatValue('delay', s.delays.reduce((a, b) => a + b, 0) / Math.max(1, s.delays.length))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
