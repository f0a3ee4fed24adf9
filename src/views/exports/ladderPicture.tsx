/**
 * The sequence diagram for slides: every packet of the scenario, or of the current chapter — not the window the
 * panel happens to be scrolled to. The panel draws only the rows in view (ladder/layout.ts is virtualised), so
 * the picture is drawn once more, whole, off screen inside the app (where the stylesheet and the theme apply),
 * written out by `svgOfElement` with its styles inlined, and removed.
 *
 * On a slide nothing is "still to come": every arrow is drawn as already sent, without the step highlight.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Timeline } from '../../sim/types';
import { Arrow } from '../ladder/LadderDiagram';
import { LABEL_CHAR, ladderIndex, ladderLayout, type LadderLayout } from '../ladder/layout';
import { svgOfElement, type Picture } from './snapshot';

export type LadderScope = 'all' | 'chapter';

/** The ladder's geometry (LadderDiagram.tsx draws with the same numbers). */
const GEOMETRY = { rowHeight: 50, margin: 64, pad: 8, headerHeight: 24, overscan: 0 } as const;

export interface LadderExtent {
  /** Every row, laid out. */
  readonly layout: LadderLayout;
  /** The part of the drawing the picture shows. */
  readonly y: number;
  readonly height: number;
  /** Wire numbers of the packets inside it. */
  readonly packets: readonly number[];
  /** The chapter's title when the scope is a chapter. */
  readonly title?: string;
}

/**
 * What the picture shows: all rows, or the rows of the chapter of step `cursor` (every run of it). A chapter
 * without packets (an introduction) falls back to the whole diagram.
 */
export function ladderExtent(
  timeline: Timeline,
  width: number,
  cursor: number,
  scope: LadderScope,
): LadderExtent {
  const full = ladderLayout(timeline, {
    ...GEOMETRY,
    width,
    top: 0,
    height: Number.MAX_SAFE_INTEGER,
    cursor,
  });
  const layout: LadderLayout = {
    ...full,
    arrows: full.arrows.map((a) => ({ ...a, time: 'past' as const })),
    bands: full.bands.map((b) => ({ ...b, current: false })),
  };
  const all: LadderExtent = {
    layout,
    y: 0,
    height: full.totalHeight,
    packets: layout.arrows.map((a) => a.wireIndex),
  };
  if (scope === 'all') return all;
  const chapter = timeline.steps[cursor]?.chapter;
  const bands = layout.bands.filter((b) => b.chapter === chapter);
  if (!chapter || bands.length === 0) return all;
  const index = ladderIndex(timeline);
  const rows = new Set<number>();
  for (const run of index.runs) {
    if (run.chapter !== chapter) continue;
    for (let r = run.firstRow; r <= run.lastRow; r++) rows.add(r);
  }
  const y = Math.min(...bands.map((b) => b.y));
  const bottom = Math.max(...bands.map((b) => b.y + b.height));
  return {
    layout,
    y: Math.max(0, y - GEOMETRY.pad),
    height: Math.min(full.totalHeight, bottom + GEOMETRY.pad) - Math.max(0, y - GEOMETRY.pad),
    packets: layout.arrows.filter((a) => rows.has(a.row)).map((a) => a.wireIndex),
    title: bands[0]!.title,
  };
}

function WholeLadder({
  timeline,
  layout,
  width,
}: {
  readonly timeline: Timeline;
  readonly layout: LadderLayout;
  readonly width: number;
}) {
  const lines = layout.lifelines;
  const span = lines.length ? Math.abs(lines[lines.length - 1]!.x - lines[0]!.x) : 0;
  return (
    <svg className="ladder-svg" width={width} height={layout.totalHeight}>
      <defs>
        <marker
          id="export-head"
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
        <g key={`${b.chapter}-${b.y}`} className={`band${b.odd ? ' band-odd' : ''}`}>
          <rect x={0} y={b.y} width={width} height={b.height} />
          <text x={14} y={b.labelY} className="band-title">
            {b.title}
          </text>
        </g>
      ))}
      {lines.map((l) => (
        <line key={l.host} className="lifeline" x1={l.x} x2={l.x} y1={0} y2={layout.totalHeight} />
      ))}
      {layout.arrows.map((a) => (
        <Arrow
          key={a.packet}
          arrow={a}
          packet={timeline.packets[a.packet]!}
          hosts={timeline.hosts}
          width={width}
          span={span}
          markerId="export"
          chipScale={1}
          charWidth={LABEL_CHAR}
          row={GEOMETRY.rowHeight}
          onOpen={() => undefined}
        />
      ))}
    </svg>
  );
}

/**
 * Draw the extent off screen inside `host` (an element under the app's root, so the theme applies), write it
 * out, and remove it again. `headerStyle` is the on-screen lifeline names' style, when there is one.
 */
export function ladderPicture(
  timeline: Timeline,
  extent: LadderExtent,
  width: number,
  host: Element,
  headerStyle?: CSSStyleDeclaration,
): Picture {
  const doc = host.ownerDocument;
  const box = doc.createElement('div');
  box.className = 'ladder-export';
  box.setAttribute('aria-hidden', 'true');
  box.inert = true;
  // CSSOM, not a style attribute: the page's Content-Security-Policy allows the one and not the other.
  box.style.position = 'fixed';
  box.style.left = '-100000px';
  box.style.top = '0';
  box.style.width = `${width}px`;
  host.appendChild(box);
  const root = createRoot(box);
  try {
    flushSync(() => root.render(<WholeLadder timeline={timeline} layout={extent.layout} width={width} />));
    const svg = box.querySelector<SVGSVGElement>('svg');
    if (!svg) throw new Error('the sequence diagram could not be drawn');
    return svgOfElement(svg, {
      crop: { x: 0, y: extent.y, width, height: extent.height },
      header: extent.layout.lifelines.map((l) => ({ x: l.x, text: l.label })),
      ...(headerStyle ? { headerStyle } : {}),
    });
  } finally {
    root.unmount();
    box.remove();
  }
}
