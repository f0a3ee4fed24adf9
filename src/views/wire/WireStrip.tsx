/**
 * The wire between the two stacks: the unit as it exists at this step (one block per header, in the
 * layer's colour and with its name and size), growing as the sender's layers wrap it, crossing the cable as
 * a Manchester-coded signal, and shrinking as the receiver's layers unwrap it.
 *
 * React renders the final picture of every step; d3 only animates *from* where the previous step left
 * things *to* that picture, on elements marked `.anim`, and the cleanup puts them back at once
 * (motion/stepAnimations.ts, loaded after the first paint).
 */
import { lazy, Suspense, useMemo, useRef } from 'react';
import { useWirewalk } from '../../state/context';
import { selectStep } from '../../state/store';
import { useElementSize } from '../motion/useElementSize';
import { loadStepAnimations, useForwardAnimation, useStepMotion } from '../motion/useStepMotion';
import { stageHosts, unitAt, unitBarLayout, unitBlocks, unitChange, type UnitView } from '../stack/layout';
import { usePreload } from '../lazy/usePreload';
import { idleLines } from './idle';

// The signal (and d3-shape with it) is drawn only while a frame is on the cable: it loads after the first
// paint, when the browser is idle, so it is there before the first frame reaches the wire.
const loadSignal = () => import('../signal/SignalTrace');
const SignalTrace = lazy(() => loadSignal().then((m) => ({ default: m.SignalTrace })));

/** About the width of one character of the caption (1rem bold at the projector's font size). */
const CAPTION_CHAR = 9.5;

/** A caption as one line, or two split at a space when one would be wider than the strip (SVG text never wraps). */
export function fitLines(text: string, width: number): string[] {
  if (text.length * CAPTION_CHAR <= width) return [text];
  const middle = text.length / 2;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ' ' && (cut < 0 || Math.abs(i - middle) < Math.abs(cut - middle))) cut = i;
  }
  return cut < 0 ? [text] : [text.slice(0, cut), text.slice(cut + 1)];
}

const PAD = 10;
const BAR_Y = 4;
const BAR_H = 50;
/** In root ems: a block is at least wide enough for a short name. */
const MIN_BLOCK_EM = 4.2;

/** Shorter names tried in turn when a block is narrow. */
const SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  preamble: ['preamble', 'pre.'],
  Ethernet: ['Ethernet', 'Eth'],
  WebSocket: ['WebSocket', 'WS'],
  'Engine.IO': ['Engine.IO', 'EIO'],
  'Socket.IO': ['Socket.IO', 'SIO'],
  padding: ['padding', 'pad'],
};

function rootFontSize(): number {
  if (typeof window === 'undefined' || typeof getComputedStyle !== 'function') return 16;
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** The longest candidate whose bold 0.92em text fits `width` (DejaVu/Segoe bold: ~0.64 em per character). */
function pick(candidates: readonly string[], width: number, em: number): string {
  const per = 0.92 * em * 0.64;
  return candidates.find((c) => c.length * per + 8 <= width) ?? candidates[candidates.length - 1] ?? '';
}

function describeUnit(unit: UnitView, from: string, to: string): string {
  const parts = unit.blocks.map(
    (b) =>
      `${b.name} ${b.end - b.start} bytes${b.state === 'adding' ? ' (just added)' : b.state === 'removing' ? ' (being removed)' : ''}`,
  );
  const where =
    unit.at === 'sender'
      ? `at the ${from}`
      : unit.at === 'receiver'
        ? `at the ${to}`
        : `on the wire from ${from} to ${to}`;
  return `The unit ${where}${unit.lost ? ', lost' : ''}: ${parts.join(', ')}.`;
}

export function WireStrip() {
  usePreload(loadSignal, loadStepAnimations);
  const timeline = useWirewalk((s) => s.timeline);
  const step = useWirewalk(selectStep);
  const motion = useStepMotion();
  // With the bytes or the code open below, the wire keeps only the unit: the panel needs the height.
  const compact = useWirewalk((s) => s.panel !== 'ladder' && !s.expanded);
  const [boxRef, size] = useElementSize<HTMLDivElement>({ width: 720, height: 170 });
  const svgRef = useRef<SVGSVGElement | null>(null);
  const unit = useMemo(() => unitAt(timeline, step), [timeline, step]);
  const { left, right } = stageHosts(timeline, step);

  const width = Math.max(200, size.width);
  // The root font follows the window (styles.css), so read it again whenever the strip is resized.
  const em = useMemo(() => (width > 0 ? rootFontSize() : 16), [width]);
  const barWidth = Math.max(160, Math.min(width - 2 * PAD, width * 0.84));
  const leftX = PAD;
  const rightX = width - PAD - barWidth;

  const packet = unit?.packet;
  const senderOnLeft = packet ? packet.from === left?.id || packet.to === right?.id : true;
  const sideX = (atSender: boolean) => (atSender === senderOnLeft ? leftX : rightX);
  const barX = !unit
    ? leftX
    : unit.at === 'sender'
      ? sideX(true)
      : unit.at === 'receiver'
        ? sideX(false)
        : unit.lost
          ? (width - barWidth) / 2
          : sideX(false);
  const travelFrom = unit && unit.at === 'wire' && step?.kind !== 'receive' ? sideX(true) - barX : 0;

  // Widths come from every block the packet ever has, so a block keeps its place and size while others
  // are added around it: the unit visibly grows and shrinks instead of being re-laid out.
  const placed = useMemo(() => {
    if (!packet) return new Map<string, { x: number; width: number }>();
    return new Map(unitBarLayout(unitBlocks(packet), barWidth, MIN_BLOCK_EM * em).map((p) => [p.id, p]));
  }, [packet, barWidth, em]);
  const change = unitChange(unit, step);
  const idle = useMemo(() => (unit ? [] : idleLines(timeline, step)), [unit, timeline, step]);
  const ghosts = packet ? unitBlocks(packet).filter((b) => !unit?.blocks.some((u) => u.id === b.id)) : [];

  const hostLabel = (id: string | undefined) => timeline.hosts.find((h) => h.id === id)?.label ?? id ?? '';
  const fromLabel = hostLabel(packet?.from);
  const toLabel = hostLabel(packet?.to);
  const present = unit ? unit.blocks.filter((b) => b.state !== 'removing') : [];
  const unitBytes = present.reduce((n, b) => n + (b.end - b.start), 0);
  const signalTop = BAR_Y + BAR_H + 6;
  const signalHeight = Math.max(56, Math.min(90, size.height - signalTop - 2));

  useForwardAnimation(motion, (duration, d3) => {
    const svg = svgRef.current;
    return svg ? d3.animateUnit(svg, duration, travelFrom) : undefined;
  });

  return (
    <section className={`wire${compact ? ' is-compact' : ''}`} aria-labelledby="wire-title">
      <h2 id="wire-title" className="wire-caption">
        {unit && packet ? (
          <>
            <span className="wire-route">
              #{packet.wireIndex} {fromLabel} → {toLabel}
            </span>
            <span className="visually-hidden">, </span>
            {compact && change ? (
              <span className="wire-size">{change}</span>
            ) : (
              <span className="wire-size">
                {unit.bits ? 'bits on the cable: ' : 'unit now: '}
                <strong>{unitBytes} bytes</strong>
              </span>
            )}
          </>
        ) : (
          <span className="wire-route">The wire</span>
        )}
      </h2>
      <div className="wire-box" ref={boxRef}>
        <svg
          ref={svgRef}
          className="wire-svg"
          width={width}
          height={Math.max(110, size.height)}
          role="img"
          aria-label={
            unit
              ? describeUnit(unit, fromLabel, toLabel)
              : ['No frame on the wire at this step.', ...idle.map((l) => l.text)].join(' ')
          }
        >
          {unit && packet ? (
            <g transform={`translate(${barX},${BAR_Y})`}>
              {ghosts.map((b) => {
                const p = placed.get(b.id);
                return p ? (
                  <rect
                    key={b.id}
                    className="block-ghost"
                    x={p.x}
                    y={0}
                    width={Math.max(0, p.width - 2)}
                    height={BAR_H}
                    rx={4}
                  />
                ) : null;
              })}
              <g className="unit-motion anim">
                {unit.blocks.map((b) => {
                  const p = placed.get(b.id);
                  if (!p) return null;
                  const n = b.end - b.start;
                  const label =
                    b.colour === 'data' && b.detail !== undefined
                      ? pick([`"${b.detail}"`, 'data', '…'], p.width, em)
                      : pick(SHORT_NAMES[b.name] ?? [b.name], p.width, em);
                  const edge = b.trailer ? p.x : p.x + p.width;
                  return (
                    <g
                      key={b.id}
                      className={`block colour-${b.colour} state-${b.state}`}
                      transform={b.state === 'removing' ? 'translate(0,-6)' : undefined}
                    >
                      <g className="anim" data-edge={edge}>
                        <rect
                          className="block-rect"
                          x={p.x}
                          y={0}
                          width={Math.max(0, p.width - 2)}
                          height={BAR_H}
                          rx={4}
                        />
                        <text
                          className="block-name"
                          x={p.x + p.width / 2 - 1}
                          y={BAR_H / 2 - 3}
                          textAnchor="middle"
                        >
                          {label}
                        </text>
                        <text
                          className="block-size"
                          x={p.x + p.width / 2 - 1}
                          y={BAR_H / 2 + 15}
                          textAnchor="middle"
                        >
                          {n} B
                        </text>
                      </g>
                    </g>
                  );
                })}
              </g>
              {unit.lost ? (
                <g className="lost-mark" transform={`translate(${barWidth / 2},${BAR_H / 2})`}>
                  <path d="M-26,-26L26,26M-26,26L26,-26" />
                  <text y={BAR_H / 2 + 22} textAnchor="middle">
                    lost
                  </text>
                </g>
              ) : null}
            </g>
          ) : (
            <text className="wire-idle" x={width / 2} y={BAR_Y + 16} textAnchor="middle">
              {idle.length === 0 ? (
                <tspan>No frame on the wire at this step</tspan>
              ) : (
                idle.slice(0, compact ? 2 : 4).map((l, i) => (
                  <tspan key={i} x={width / 2} dy={i === 0 ? 0 : 24} className={`idle-${l.kind}`}>
                    {l.text}
                  </tspan>
                ))
              )}
            </text>
          )}
          <g transform={`translate(${PAD},${signalTop})`} display={compact ? 'none' : undefined}>
            {unit?.bits && packet ? (
              <Suspense fallback={null}>
                <SignalTrace frame={packet.frame} width={width - 2 * PAD} height={signalHeight} />
              </Suspense>
            ) : (
              <>
                {change ? (
                  <text className="unit-change" x={width / 2 - PAD} y={22} textAnchor="middle">
                    {fitLines(change, width - 2 * PAD).map((line, i) => (
                      <tspan key={i} x={width / 2 - PAD} dy={i === 0 ? 0 : 20}>
                        {line}
                      </tspan>
                    ))}
                  </text>
                ) : null}
                <line
                  className="cable-idle"
                  x1={0}
                  x2={width - 2 * PAD}
                  y1={signalHeight - 6}
                  y2={signalHeight - 6}
                />
                <text className="cable-label" x={width / 2 - PAD} y={signalHeight - 12} textAnchor="middle">
                  cable
                </text>
              </>
            )}
          </g>
        </svg>
      </div>
    </section>
  );
}
