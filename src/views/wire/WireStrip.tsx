/**
 * The wire between the two stacks: the unit as it exists at this step (one block per header, in the
 * layer's colour and with its name and size), growing as the sender's layers wrap it, crossing the cable as
 * a 100BASE-TX signal (4B/5B + MLT-3), and shrinking as the receiver's layers unwrap it.
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
import { stageHosts } from '../stack/layout';
import { unitAt, unitBlocks, unitChange } from '../stack/wireUnit';
import { usePreload } from '../lazy/usePreload';
import { trailerBytes } from '../hex/layout';
import { layerColour } from '../theme/layers';
import { idleLines } from './idle';
import {
  BAR_HEIGHT,
  BAR_Y,
  CHANGE_FIRST_BASELINE,
  CHANGE_LINE_STEP,
  cableLabel,
  changeBox,
  MIN_BLOCK_EM,
  WIRE_PAD,
  barPlacement,
  blockLabel,
  describeUnit,
  clipLine,
  fitLines,
  signalBox,
  unitBarLayout,
  unitBytes,
  type PlacedBlock,
} from './layout';
import '../theme/surfaces.css';
import './WireStrip.css';

// The signal (and d3-shape with it) is drawn only while a frame is on the cable: it loads after the first
// paint, when the browser is idle, so it is there before the first frame reaches the wire.
const loadSignal = () => import('../signal/SignalTrace');
const SignalTrace = lazy(() => loadSignal().then((m) => ({ default: m.SignalTrace })));

function rootFontSize(): number {
  if (typeof window === 'undefined' || typeof getComputedStyle !== 'function') return 16;
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** One block's box in the bar (a 2 px gap after it). */
function BlockRect({ className, at }: { readonly className: string; readonly at: PlacedBlock }) {
  return (
    <rect className={className} x={at.x} y={0} width={Math.max(0, at.width - 2)} height={BAR_HEIGHT} rx={4} />
  );
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

  const width = Math.max(200, size.width);
  // The root font follows the window (styles.css), so read it again whenever the strip is resized.
  const em = useMemo(() => (width > 0 ? rootFontSize() : 16), [width]);
  const bar = barPlacement(width, unit, step, stageHosts(timeline, step));
  const packet = unit?.packet;
  // What the card sends after the SFD: the frame, its padding and its FCS (a captured frame: the record,
  // which holds neither, so trailerBytes is empty).
  const cableFrame = useMemo(() => {
    if (!packet) return new Uint8Array(0);
    const trailer = trailerBytes(packet);
    const out = new Uint8Array(packet.frame.length + trailer.length);
    out.set(packet.frame);
    out.set(trailer, packet.frame.length);
    return out;
  }, [packet]);

  // Widths come from every block the packet ever has, so a block keeps its place and size while others
  // are added around it: the unit visibly grows and shrinks instead of being re-laid out.
  const placed = useMemo(() => {
    if (!packet) return new Map<string, PlacedBlock>();
    return new Map(unitBarLayout(unitBlocks(packet), bar.width, MIN_BLOCK_EM * em).map((p) => [p.id, p]));
  }, [packet, bar.width, em]);
  const change = unitChange(unit, step);
  const idle = useMemo(() => (unit ? [] : idleLines(timeline, step)), [unit, timeline, step]);
  const ghosts = packet ? unitBlocks(packet).filter((b) => !unit?.blocks.some((u) => u.id === b.id)) : [];

  const hostLabel = (id: string | undefined) => timeline.hosts.find((h) => h.id === id)?.label ?? id ?? '';
  // An ARP frame (Step.link) is named by its own sender and receiver, and says what it asks or answers.
  const link = unit?.link;
  const fromLabel = hostLabel(link ? link.from : packet?.from);
  const toLabel = hostLabel(link ? link.to : packet?.to);
  const signal = signalBox(size.height);
  // The change caption and the idle cable's label, placed so that they never overlap (layout.ts).
  const signalWidth = width - 2 * WIRE_PAD;
  const changeLines = change && !(unit?.bits && packet) ? fitLines(change, signalWidth) : [];
  const cable = cableLabel(changeBox(changeLines, signalWidth, em), signalWidth, signal.height, em);

  useForwardAnimation(motion, (duration, d3) => {
    const svg = svgRef.current;
    return svg ? d3.animateUnit(svg, duration, bar.travelFrom) : undefined;
  });

  return (
    <section className={`card wire${compact ? ' is-compact' : ''}`} aria-labelledby="wire-title">
      <h2 id="wire-title" className="wire-caption">
        {unit && packet ? (
          <>
            <span className="wire-route">
              {/* A packet that never left has no number (wireIndex 0); nor has an ARP frame off the browsers' LAN. */}
              {packet.wireIndex ? `#${packet.wireIndex} ` : ''}
              {fromLabel} → {toLabel}
              {link ? `: ${link.summary}` : ''}
            </span>
            <span className="visually-hidden">, </span>
            {compact && change ? (
              <span className="wire-size">{change}</span>
            ) : (
              <span className="wire-size">
                {unit.bits ? 'on the cable: ' : 'unit now: '}
                <strong>{unitBytes(unit)} bytes</strong>
                {/* The line code drawn below (signal/layout.ts): the link is 100 Mbit/s, i.e. 100BASE-TX. */}
                {unit.bits && !compact ? ' · 100BASE-TX, unscrambled' : ''}
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
            <g transform={`translate(${bar.x},${BAR_Y})`}>
              {ghosts.map((b) => {
                const p = placed.get(b.id);
                return p ? <BlockRect key={b.id} className="block-ghost" at={p} /> : null;
              })}
              <g className="unit-motion anim">
                {unit.blocks.map((b) => {
                  const p = placed.get(b.id);
                  if (!p) return null;
                  const n = b.end - b.start;
                  const edge = b.trailer ? p.x : p.x + p.width;
                  return (
                    <g
                      key={b.id}
                      className={`block colour-${b.colour} state-${b.state}`}
                      style={layerColour(b.colour)}
                      transform={b.state === 'removing' ? 'translate(0,-6)' : undefined}
                    >
                      <g className="anim" data-edge={edge}>
                        <BlockRect className="block-rect" at={p} />
                        <text
                          className="block-name"
                          x={p.x + p.width / 2 - 1}
                          y={BAR_HEIGHT / 2 - 3}
                          textAnchor="middle"
                        >
                          {blockLabel(b, p.width, em)}
                        </text>
                        <text
                          className="block-size"
                          x={p.x + p.width / 2 - 1}
                          y={BAR_HEIGHT / 2 + 15}
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
                <g className="lost-mark" transform={`translate(${bar.width / 2},${BAR_HEIGHT / 2})`}>
                  <path d="M-26,-26L26,26M-26,26L26,-26" />
                  {/* On the cross, haloed: below the bar it would run into the signal's labels. */}
                  <text y={7} textAnchor="middle">
                    {unit.unsent ? 'not sent' : 'lost'}
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
                    {/* Character widths of WireStrip.css's sizes: 1.1rem bold sans, 0.95rem mono. */}
                    {clipLine(l.text, width - 2 * WIRE_PAD, em * (l.kind === 'state' ? 0.7 : 0.6))}
                  </tspan>
                ))
              )}
            </text>
          )}
          <g transform={`translate(${WIRE_PAD},${signal.top})`} display={compact ? 'none' : undefined}>
            {unit?.bits && packet ? (
              <Suspense fallback={null}>
                <SignalTrace
                  frame={cableFrame}
                  width={width - 2 * WIRE_PAD}
                  height={signal.height}
                  captured={packet.captured !== undefined}
                />
              </Suspense>
            ) : (
              <>
                {changeLines.length ? (
                  <text
                    className="unit-change"
                    x={signalWidth / 2}
                    y={CHANGE_FIRST_BASELINE}
                    textAnchor="middle"
                  >
                    {changeLines.map((line, i) => (
                      <tspan key={i} x={signalWidth / 2} dy={i === 0 ? 0 : CHANGE_LINE_STEP}>
                        {line}
                      </tspan>
                    ))}
                  </text>
                ) : null}
                <line
                  className="cable-idle"
                  x1={0}
                  x2={signalWidth}
                  y1={signal.height - 6}
                  y2={signal.height - 6}
                />
                {cable ? (
                  <text className="cable-label" x={cable.x} y={cable.y} textAnchor={cable.anchor}>
                    cable
                  </text>
                ) : null}
              </>
            )}
          </g>
        </svg>
      </div>
    </section>
  );
}
