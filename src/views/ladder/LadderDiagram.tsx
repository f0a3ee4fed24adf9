/**
 * The ladder (sequence) diagram: lifelines for the hosts, one arrow per packet labelled as Wireshark would,
 * chapters shaded, lost packets ending in a cross, the current step highlighted and kept in view.
 * Only the rows in the scrolled window are drawn (`ladderLayout` is virtualised).
 * Clicking (or Enter on) an arrow seeks to the packet's first step and opens it in the inspector.
 */
import {
  memo,
  useCallback,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { useWirewalk } from '../../state/context';
import { selectHideFuture } from '../../state/selectors';
import type { HostInfo, Packet } from '../../sim/types';
import { useElementSize } from '../motion/useElementSize';
import { loadStepAnimations, useForwardAnimation, useStepMotion } from '../motion/useStepMotion';
import { usePreload } from '../lazy/usePreload';
import { afterNextPaint } from '../../state/tasks';
import { layerColour } from '../theme/layers';
import { LABEL_CHAR, labelChip, ladderLayout, scrollToKeep, type LadderArrow } from './layout';
import {
  chaptersUpTo,
  relativeChapterSteps,
  relativeNote,
  showsRelativeNumbers,
  shownArrows,
} from './spoilers';
import './LadderDiagram.css';

const ROW = 50;
/** Presenter mode: rows a little tighter (the chip still clears the arrow above), so more packets fit. */
const ROW_PRESENT = 44;
const MARGIN = 64;

/**
 * Presenter mode reads from the back row: the whole drawing is scaled up (an SVG viewBox, so the geometry in
 * layout.ts is unchanged) until the labels (0.85rem in LadderDiagram.css) are 24 px on a 1080 px high screen
 * and the same share of the height on any other (17 px at 768), never smaller than in the normal view. The
 * protocol chips and packet numbers are drawn as large as the labels there (CHIP_PRESENT: 0.85rem / 0.72rem).
 * A presenter link opened on a phone (.is-compact) keeps the phone's sizes.
 */
const LABEL_REM = 0.85;
const PRESENT_LABEL_SHARE = 24 / 1080;
const CHIP_PRESENT = 0.85 / 0.72;

function drawingScale(el: HTMLElement, present: boolean): number {
  if (!present || el.closest('.is-compact')) return 1;
  const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const wanted = PRESENT_LABEL_SHARE * window.innerHeight;
  return Math.max(1, Math.round((wanted / (LABEL_REM * rootPx)) * 100) / 100);
}

function sameArrow(a: LadderArrow, b: LadderArrow): boolean {
  for (const key in a) {
    if (a[key as keyof LadderArrow] !== b[key as keyof LadderArrow]) return false;
  }
  return true;
}

export interface ArrowProps {
  readonly arrow: LadderArrow;
  readonly packet: Packet;
  readonly hosts: readonly HostInfo[];
  readonly width: number;
  /** Room between the outermost lifelines, for the label. */
  readonly span: number;
  readonly markerId: string;
  /** The chip's size relative to the normal view's (CHIP_PRESENT in presenter mode). */
  readonly chipScale: number;
  /** One label character's width in the drawing's units (LABEL_CHAR at a 16 px root font). */
  readonly charWidth: number;
  /** The row's height in the drawing's units. */
  readonly row: number;
  onOpen(arrow: LadderArrow): void;
}

/**
 * One packet's arrow. A step changes the `time` of one or two arrows only; the layout makes new arrow objects
 * every time, so they are compared field by field and the others are not rendered again.
 */
export const Arrow = memo(
  function Arrow({
    arrow: a,
    packet: p,
    hosts,
    width,
    span: lifelineSpan,
    markerId,
    chipScale,
    charWidth,
    row,
    onOpen,
  }: ArrowProps) {
    const hostLabel = (id: string) => hosts.find((h) => h.id === id)?.label ?? id;
    const chip = labelChip(a, p, lifelineSpan, width - 2 * MARGIN, chipScale, width, charWidth);
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onOpen(a);
      }
    };
    return (
      <g
        className={`arrow time-${a.time}${a.lost ? ' is-lost' : ''}${a.retransmission ? ' is-retransmission' : ''}`}
        role="button"
        tabIndex={0}
        aria-current={a.time === 'current' ? 'step' : undefined}
        aria-label={`Packet ${a.wireIndex}, ${hostLabel(p.from)} to ${hostLabel(p.to)}: ${a.label}${showsRelativeNumbers(a.label) ? ' (relative Seq and Ack)' : ''}${a.lost ? ', lost' : ''}. Show it in the inspector.`}
        onClick={() => onOpen(a)}
        onKeyDown={onKeyDown}
      >
        <rect
          className="arrow-hit"
          x={Math.min(a.x1, a.x2) - 8}
          y={a.labelY - 18}
          width={Math.abs(a.x2 - a.x1) + 16}
          height={row - 4}
        />
        <line
          className="arrow-line"
          x1={a.x1}
          y1={a.y1}
          x2={a.x2}
          y2={a.y2}
          markerEnd={a.lost ? undefined : `url(#${markerId}-head)`}
        />
        {a.lost ? (
          <>
            <path className="lost-cross" d={`M${a.x2 - 9},${a.y2 - 9}l18,18m0,-18l-18,18`} />
            <text className="lost-label" x={a.lostX} y={a.y2 + 6} textAnchor={a.lostAnchor}>
              lost
            </text>
          </>
        ) : null}
        <text
          className="arrow-num"
          x={a.x1 < a.x2 ? a.x1 - 10 : a.x1 + 10}
          y={a.y1 + 5}
          textAnchor={a.x1 < a.x2 ? 'end' : 'start'}
        >
          {a.wireIndex}
        </text>
        <g className={`chip colour-${chip.colour}`} style={layerColour(chip.colour)}>
          <rect x={chip.x} y={a.labelY - 15 * chipScale} width={chip.width} height={19 * chipScale} rx={3} />
          <text x={chip.x + chip.width / 2} y={a.labelY - 1} textAnchor="middle">
            {chip.name}
          </text>
        </g>
        <text className="arrow-label" x={chip.textX} y={a.labelY}>
          {chip.text}
          {chip.text !== a.label ? <title>{a.label}</title> : null}
        </text>
      </g>
    );
  },
  (before, after) =>
    sameArrow(before.arrow, after.arrow) &&
    before.packet === after.packet &&
    before.hosts === after.hosts &&
    before.width === after.width &&
    before.span === after.span &&
    before.markerId === after.markerId &&
    before.chipScale === after.chipScale &&
    before.charWidth === after.charWidth &&
    before.row === after.row &&
    before.onOpen === after.onOpen,
);

/** "Seq/Ack relative" at the right of a band's title strip, where the band's labels have such numbers. */
function RelativeNote(props: { show: boolean; title: string; width: number; y: number }) {
  const note = props.show ? relativeNote(props.title, props.width) : null;
  return note ? (
    <text x={props.width - 14} y={props.y} className="band-note" textAnchor="end">
      {note}
    </text>
  ) : null;
}

/**
 * The scroll position the rows are drawn for: the real one rounded down to a multiple of OVERSCAN / 2 rows.
 * The layout draws OVERSCAN rows beyond each edge of the window, so the rows on screen are always drawn (a
 * chapter's title strip only makes a stretch of pixels hold fewer rows), and a smooth scroll redraws the
 * diagram every fourth row instead of at every frame of its movement. 8 rather than 4 (Wirewalk's choice):
 * stepping through 1 000 messages at 1280×720 re-windows half as often, and keys slower than 24 ms fell from
 * 50 to 38 of 800 (1 MiB message: 39 to 27), four alternating runs of each build of scripts/bench.ts --only
 * big (2-core AMD EPYC, Chromium 150); opening, scrubbing and heap did not move.
 */
const OVERSCAN = 8;
function windowTop(scrollTop: number, rowPx: number): number {
  const stride = (OVERSCAN / 2) * Math.max(1, rowPx);
  return Math.floor(Math.max(0, scrollTop) / stride) * stride;
}

export function LadderDiagram() {
  usePreload(loadStepAnimations);
  const timeline = useWirewalk((s) => s.timeline);
  const cursor = useWirewalk((s) => s.cursor);
  const reduced = useWirewalk((s) => s.reducedMotion);
  const hideFuture = useWirewalk(selectHideFuture);
  const present = useWirewalk((s) => s.view.present);
  const toggleHideFuture = useWirewalk((s) => s.toggleHideFuture);
  const seek = useWirewalk((s) => s.seek);
  const setPanel = useWirewalk((s) => s.setPanel);
  const motion = useStepMotion();
  const markerId = useId().replace(/:/g, '');
  const [scrollRef, size] = useElementSize<HTMLDivElement>({ width: 760, height: 320 });
  const svgRef = useRef<SVGSVGElement | null>(null);
  const [top, setTop] = useState(0);
  const [scale, setScale] = useState(1);
  const [charWidth, setCharWidth] = useState(LABEL_CHAR);
  // Read when the box or the mode changes (the window's height and the root font size decide it).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) setScale(drawingScale(el, present));
    // The labels are 0.82rem: the root font (14-20 px, app/styles.css) decides how wide a character is.
    setCharWidth((LABEL_CHAR * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16)) / 16);
  }, [present, size.width, size.height, scrollRef]);
  const chipScale = scale > 1 ? CHIP_PRESENT : 1;
  const row = scale > 1 ? ROW_PRESENT : ROW;

  // The layout works in the drawing's units: the window's pixels divided by the scale.
  const width = Math.max(320, size.width / scale);
  const layout = useMemo(
    () =>
      ladderLayout(timeline, {
        width,
        top: top / scale,
        height: size.height / scale,
        overscan: OVERSCAN,
        cursor,
        rowHeight: row,
        margin: MARGIN,
        pad: 8,
        headerHeight: 24,
      }),
    [timeline, width, top, size.height, cursor, scale, row],
  );

  // The scroll position as of the frame after the last scroll event (or the last scroll this component asked
  // for). Reading el.scrollTop right after a step's DOM changes would force a synchronous layout inside the key
  // press; so would reading it in the scroll event itself, which the frame runs before its own style and layout
  // (HTML "update the rendering": scroll steps first), while the step's new DOM is not laid out yet (measured:
  // up to 10 ms of a key press's frame). After that frame has painted, the read is free; the rows the window
  // shows would only have changed in a task after that frame anyway (React renders setTop from a scheduled task).
  const scrolled = useRef(0);
  const cancelRead = useRef<(() => void) | null>(null);
  // A row's height on screen, for windowTop (read by the scroll callback, which outlives a render).
  const rowPx = useRef(row * scale);
  rowPx.current = row * scale;
  const onScroll = useCallback(() => {
    if (cancelRead.current) return;
    cancelRead.current = afterNextPaint(() => {
      cancelRead.current = null;
      scrolled.current = scrollRef.current?.scrollTop ?? 0;
      setTop(windowTop(scrolled.current, rowPx.current));
    });
  }, [scrollRef]);

  const smoothFrame = useRef(0);
  // The step the diagram was last kept in view for. Only a step moves it smoothly; opening (a link that opens
  // at step 104) or a new size puts the step in view at once, without a smooth scroll from the first packet.
  const placedFor = useRef(-1);
  useLayoutEffect(
    () => () => {
      cancelRead.current?.();
      cancelAnimationFrame(smoothFrame.current);
    },
    [],
  );

  // Keep the current step in view (layout effect: before paint, so stepping never shows a stale window).
  const cursorY = layout.cursorY * scale;
  const totalHeight = layout.totalHeight * scale;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    cancelAnimationFrame(smoothFrame.current);
    const want = scrollToKeep(cursorY, scrolled.current, size.height, totalHeight, row * 1.2 * scale);
    const stepped = placedFor.current >= 0 && placedFor.current !== cursor;
    placedFor.current = cursor;
    if (Math.abs(want - scrolled.current) > 1) {
      if (reduced || motion.hurried || !stepped) {
        // At once, but in the frame (its animation-frame callbacks run before its style, layout and paint, so
        // this frame shows it): here it would force a layout of the step's new DOM inside the key press.
        smoothFrame.current = requestAnimationFrame(() => {
          if (typeof el.scrollTo === 'function') el.scrollTo({ top: want, behavior: 'auto' });
          else el.scrollTop = want;
        });
        scrolled.current = want;
        setTop(windowTop(want, row * scale));
      } else if (typeof el.scrollTo === 'function') {
        // A smooth scroll only starts moving at the next frame, so it is started there: scrollTo needs an
        // up-to-date layout, and asking for it here, right after this step's DOM changes, forced a whole
        // style and layout pass inside the key press (profile: ~40 % of the press's script time).
        smoothFrame.current = requestAnimationFrame(() => el.scrollTo({ top: want, behavior: 'smooth' }));
      } else {
        el.scrollTop = want;
      }
    }
  }, [cursor, cursorY, size.height, totalHeight, reduced, motion.hurried, scrollRef, row, scale]);

  // The arrow draws itself when its packet goes onto the wire, not on every layer of the walk before.
  const onWire = timeline.steps[cursor]?.kind === 'transmit' || timeline.steps[cursor]?.kind === 'drop';
  useForwardAnimation(motion, (duration, d3) => {
    const svg = svgRef.current;
    return svg && onWire ? d3.drawArrow(svg, duration) : undefined;
  });

  const open = useCallback(
    (a: LadderArrow) => {
      if (a.firstStep >= 0) seek(a.firstStep);
      setPanel('bytes');
    },
    [seek, setPanel],
  );
  const arrows = useMemo(() => shownArrows(layout.arrows, hideFuture), [layout.arrows, hideFuture]);
  // When hiding, only the packets shown so far count: a note must not announce what is still to come.
  const upTo = hideFuture ? cursor : null;
  const relativeFirsts = useMemo(() => relativeChapterSteps(timeline), [timeline]);
  const relative = useMemo(() => chaptersUpTo(relativeFirsts, upTo), [relativeFirsts, upTo]);
  const lines = layout.lifelines;
  const lifelineSpan = lines.length ? Math.abs(lines[lines.length - 1]!.x - lines[0]!.x) : 0;
  const lanes = layout.lifelines.length;
  const laneGap = lanes > 1 ? Math.abs(layout.lifelines[1]!.x - layout.lifelines[0]!.x) * scale : Infinity;

  return (
    <div className={`ladder${hideFuture ? ' is-hiding-future' : ''}`}>
      <div className="ladder-heads" aria-hidden="true">
        {layout.lifelines.map((l) => {
          // A capture's hosts are named by address and port ("Client 192.0.2.10:46226"); where lanes are too
          // narrow for that, the port alone tells them apart ("Client :46226"), and the rest is cut.
          const room = lanes > 1 ? laneGap - 8 : Infinity;
          const label = l.label.length * 10 > room ? l.label.replace(/ \S+:(\d+)$/, ' :$1') : l.label;
          return (
            <span
              key={l.host}
              className="ladder-head"
              title={l.label}
              style={
                {
                  left: `${l.x * scale}px`,
                  '--to-right': `${Math.max(0, size.width - l.x * scale)}px`,
                  ...(Number.isFinite(room) ? { maxWidth: `${room}px` } : {}),
                } as CSSProperties
              }
            >
              {label}
            </span>
          );
        })}
      </div>
      {present ? null : (
        // Presenter mode has this in its toolbar (ClassroomControls); here it must not widen the header.
        <button
          type="button"
          className="ladder-hide-next"
          data-export="skip"
          aria-pressed={hideFuture}
          aria-label="Hide next packets"
          title="Hide next packets: the packets that have not happened yet are not drawn, so you can guess them"
          onClick={toggleHideFuture}
        >
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="M2 12c2.5-4.5 6-7 10-7s7.5 2.5 10 7c-2.5 4.5-6 7-10 7s-7.5-2.5-10-7z" />
            <circle cx="12" cy="12" r="3.2" />
            {hideFuture ? <line x1="4" y1="20" x2="20" y2="4" /> : null}
          </svg>
        </button>
      )}
      <div
        className="ladder-scroll"
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={-1}
        aria-label={`Sequence diagram: one arrow per packet, time runs downwards${hideFuture ? '; packets still to come are hidden' : ''}`}
        role="region"
      >
        <svg
          ref={svgRef}
          className="ladder-svg"
          width={width * scale}
          height={totalHeight}
          viewBox={`0 0 ${width} ${layout.totalHeight}`}
        >
          <defs>
            <marker
              id={`${markerId}-head`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0L10,5L0,10z" className="arrow-head" />
            </marker>
          </defs>
          {layout.bands.map((b) => (
            <g
              key={`${b.chapter}-${b.y}`}
              className={`band${b.odd ? ' band-odd' : ''}${b.current ? ' band-current' : ''}`}
            >
              <rect x={0} y={b.y} width={width} height={b.height} />
              {b.current ? <rect className="band-marker" x={0} y={b.y} width={6} height={b.height} /> : null}
              <text x={14} y={b.labelY} className="band-title">
                {b.title}
              </text>
              <RelativeNote show={relative.has(b.chapter)} title={b.title} width={width} y={b.labelY} />
            </g>
          ))}
          {layout.lifelines.map((l) => (
            <line key={l.host} className="lifeline" x1={l.x} x2={l.x} y1={0} y2={layout.totalHeight} />
          ))}
          <line className="cursor-line" x1={0} x2={width} y1={layout.cursorY} y2={layout.cursorY} />
          {arrows.map((a) => (
            <Arrow
              key={a.packet}
              arrow={a}
              packet={timeline.packets[a.packet]!}
              hosts={timeline.hosts}
              width={width}
              span={lifelineSpan}
              markerId={markerId}
              chipScale={chipScale}
              charWidth={charWidth}
              row={row}
              onOpen={open}
            />
          ))}
        </svg>
      </div>
    </div>
  );
}
