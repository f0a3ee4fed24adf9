/**
 * Geometry of the ladder (sequence) diagram: one row per packet in sending order, time downwards, one
 * lifeline per host, chapters as shaded bands.
 *
 * Virtualised: `ladderIndex` is computed once per timeline (O(steps + packets)); `ladderLayout` then only
 * touches the rows inside the visible window, so a scenario with thousands of packets draws a screenful.
 */
import type { HostId, Packet, Timeline } from '../../sim/types';
import { PROTO_LAYERS, type LayerKey } from '../theme/layers';

export interface ChapterRun {
  readonly chapter: string;
  readonly title: string;
  /** Inclusive rows. */
  readonly firstRow: number;
  readonly lastRow: number;
}

export interface LadderIndex {
  /** Row of each packet id (sending order); -1 for a packet that never left (`Packet.unresolved`). */
  readonly packetRow: Int32Array;
  /** Packet id on each row. */
  readonly rowPacket: Int32Array;
  /** First step that concerns each packet id, or -1. */
  readonly packetFirstStep: Int32Array;
  /**
   * Where each step sits on the ladder: its packet's row; an ARP step (`Step.link`) half a row above the row
   * of the packet waiting for the answer (a router's ARP: on that row); any other step without a packet on
   * the wire half a row below the last packet seen so far (-0.5 before any).
   */
  readonly stepRow: Float64Array;
  /** Runs of consecutive rows in one chapter. */
  readonly runs: readonly ChapterRun[];
  /** Index into `runs` of each row. */
  readonly runOfRow: Int32Array;
}

const indexCache = new WeakMap<Timeline, LadderIndex>();

export function ladderIndex(timeline: Timeline): LadderIndex {
  const cached = indexCache.get(timeline);
  if (cached) return cached;
  const { packets, steps } = timeline;
  // A packet that never left (ARP got no answer, Packet.unresolved) crossed no wire: it has no row, and its
  // steps sit between rows like any step without a packet.
  const order = packets
    .filter((p) => !p.unresolved)
    .map((p) => p.id)
    .sort((a, b) => packets[a]!.wireIndex - packets[b]!.wireIndex || a - b);
  const rowPacket = Int32Array.from(order);
  const packetRow = new Int32Array(packets.length).fill(-1);
  order.forEach((id, row) => {
    packetRow[id] = row;
  });
  const packetFirstStep = new Int32Array(packets.length).fill(-1);
  const stepRow = new Float64Array(steps.length);
  let lastRow = -1;
  for (const step of steps) {
    const row = step.packet !== undefined ? (packetRow[step.packet] ?? -1) : -1;
    if (step.packet !== undefined && packetFirstStep[step.packet] === -1) {
      packetFirstStep[step.packet] = step.index;
    }
    // An ARP step (Step.link) has no packet: the one waiting for the answer places it. The sender's ARP comes
    // before that packet goes on the wire (just above its row); a router's, while it is on its way (on it).
    const waiting = row < 0 && step.link ? (packetRow[step.link.packet] ?? -1) : -1;
    if (row >= 0) {
      stepRow[step.index] = row;
      lastRow = Math.max(lastRow, row);
    } else if (waiting >= 0) {
      stepRow[step.index] = step.link?.hop === null ? waiting - 0.5 : waiting;
    } else {
      stepRow[step.index] = lastRow + 0.5;
    }
  }
  const titles = new Map(timeline.chapters.map((c) => [c.id, c.title]));
  const runs: ChapterRun[] = [];
  let previous = timeline.chapters[0]?.id ?? '';
  for (let row = 0; row < rowPacket.length; row++) {
    const first = packetFirstStep[rowPacket[row]!]!;
    const chapter = first >= 0 ? steps[first]!.chapter : previous;
    previous = chapter;
    const run = runs[runs.length - 1];
    if (run && run.chapter === chapter) {
      runs[runs.length - 1] = { ...run, lastRow: row };
    } else {
      runs.push({ chapter, title: titles.get(chapter) ?? chapter, firstRow: row, lastRow: row });
    }
  }
  const runOfRow = new Int32Array(rowPacket.length);
  runs.forEach((run, i) => runOfRow.fill(i, run.firstRow, run.lastRow + 1));
  const index = { packetRow, rowPacket, packetFirstStep, stepRow, runs, runOfRow };
  indexCache.set(timeline, index);
  return index;
}

export interface LadderOptions {
  readonly width: number;
  /** Scroll position and height of the visible window, in the diagram's pixels. */
  readonly top: number;
  readonly height: number;
  /** Current step (0-based). */
  readonly cursor: number;
  readonly rowHeight?: number;
  /** Space above the first row and below the last. */
  readonly pad?: number;
  /** Distance of the lifelines from the left and right edges. */
  readonly margin?: number;
  /** Extra rows drawn above and below the window. */
  readonly overscan?: number;
  /** Height of the title strip at the top of each chapter band. */
  readonly headerHeight?: number;
}

export interface Lifeline {
  readonly host: HostId;
  readonly label: string;
  readonly x: number;
}

export type ArrowTime = 'past' | 'current' | 'future';

export interface LadderArrow {
  readonly packet: number;
  readonly row: number;
  readonly wireIndex: number;
  readonly label: string;
  readonly x1: number;
  readonly y1: number;
  /** Where the arrow ends: at the receiver, or where a lost packet died. */
  readonly x2: number;
  readonly y2: number;
  readonly labelX: number;
  readonly labelY: number;
  readonly lost: boolean;
  readonly retransmission: boolean;
  readonly rightward: boolean;
  readonly time: ArrowTime;
  /** Step that a click on this arrow seeks to. */
  readonly firstStep: number;
  /** Where a lost arrow's "lost" label starts (or ends, for anchor 'end'): always inside the diagram. */
  readonly lostX: number;
  readonly lostAnchor: 'start' | 'end';
}

/** Room for the "lost" label: 4 capitals at 0.8rem, weight 800, up to a 20 px root font (presenter mode 1.2×). */
export const LOST_LABEL_WIDTH = 4 * 0.78 * 0.8 * 20 * 1.2;

/**
 * The "lost" label of an arrow that dies at `x2`: on the far side of its cross (towards where it was going),
 * unless that would leave the diagram (`width` wide), then on the near side.
 */
export function lostLabelPlace(
  x2: number,
  rightward: boolean,
  width: number,
): { readonly x: number; readonly anchor: 'start' | 'end' } {
  const beyond = rightward ? x2 + 16 : x2 - 16;
  const fits = rightward ? beyond + LOST_LABEL_WIDTH <= width - 2 : beyond - LOST_LABEL_WIDTH >= 2;
  if (fits) return { x: beyond, anchor: rightward ? 'start' : 'end' };
  return rightward
    ? { x: Math.max(LOST_LABEL_WIDTH + 2, x2 - 16), anchor: 'end' }
    : { x: Math.min(width - LOST_LABEL_WIDTH - 2, x2 + 16), anchor: 'start' };
}

export interface ChapterBand {
  readonly chapter: string;
  readonly title: string;
  readonly y: number;
  readonly height: number;
  /** Baseline of the title, in the band's own title strip (so it never collides with an arrow's label). */
  readonly labelY: number;
  /** Alternate shading. */
  readonly odd: boolean;
  readonly current: boolean;
}

export interface LadderLayout {
  readonly totalHeight: number;
  readonly lifelines: readonly Lifeline[];
  readonly arrows: readonly LadderArrow[];
  readonly bands: readonly ChapterBand[];
  /** Vertical position of the current step. */
  readonly cursorY: number;
  /** Visible rows drawn (inclusive), for tests and the virtualisation contract. */
  readonly firstRow: number;
  readonly lastRow: number;
}

const DEFAULTS = { rowHeight: 48, pad: 16, margin: 70, overscan: 4, headerHeight: 24 } as const;

/** Lifelines: the clients left to right in host order, the server at the far right. */
export function lifelines(timeline: Timeline, width: number, margin: number): Lifeline[] {
  const hosts = [
    ...timeline.hosts.filter((h) => h.role === 'client'),
    ...timeline.hosts.filter((h) => h.role === 'server'),
  ];
  const n = hosts.length;
  return hosts.map((h, i) => ({
    host: h.id,
    label: h.label,
    x: n === 1 ? width / 2 : margin + (i * (width - 2 * margin)) / (n - 1),
  }));
}

export function ladderLayout(timeline: Timeline, options: LadderOptions): LadderLayout {
  const rowHeight = options.rowHeight ?? DEFAULTS.rowHeight;
  const pad = options.pad ?? DEFAULTS.pad;
  const margin = options.margin ?? DEFAULTS.margin;
  const overscan = options.overscan ?? DEFAULTS.overscan;
  const header = options.headerHeight ?? DEFAULTS.headerHeight;
  const index = ladderIndex(timeline);
  const rows = index.rowPacket.length;
  const totalHeight = pad * 2 + rows * rowHeight + index.runs.length * header;
  // Each chapter run starts with its title strip, so row r sits below r rows and (its run + 1) strips.
  const rowTop = (row: number): number => pad + row * rowHeight + ((index.runOfRow[row] ?? -1) + 1) * header;
  /** First row whose bottom is below y (binary search: rowTop is increasing). */
  const rowAt = (y: number): number => {
    let lo = 0;
    let hi = rows;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rowTop(mid) + rowHeight <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lines = lifelines(timeline, options.width, margin);
  const xOf = new Map(lines.map((l) => [l.host, l.x]));
  const cursorRow = index.stepRow[options.cursor] ?? -0.5;
  const currentStep = timeline.steps[options.cursor];
  // A router's ARP step happens while its packet is on the way: that packet's arrow stays current.
  const currentPacket =
    currentStep?.packet ??
    (currentStep?.link && currentStep.link.hop !== null ? currentStep.link.packet : undefined);

  const firstRow = Math.max(0, rowAt(options.top) - overscan);
  const lastRow = Math.min(rows - 1, rowAt(options.top + options.height) + overscan);
  const labelRise = Math.min(20, rowHeight * 0.42);
  const drop = rowHeight - labelRise - 8;

  const arrows: LadderArrow[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    const id = index.rowPacket[row]!;
    const p = timeline.packets[id]!;
    const xFrom = xOf.get(p.from) ?? margin;
    const xTo = xOf.get(p.to) ?? options.width - margin;
    const y1 = rowTop(row) + labelRise + 4;
    const reach = p.lost ? 0.62 : 1;
    const x2 = xFrom + (xTo - xFrom) * reach;
    const y2 = y1 + drop * reach;
    const lost = lostLabelPlace(x2, xTo >= xFrom, options.width);
    arrows.push({
      packet: id,
      row,
      wireIndex: p.wireIndex,
      label: p.summary,
      x1: xFrom,
      y1,
      x2,
      y2,
      labelX: (xFrom + xTo) / 2,
      labelY: y1 - 6,
      lost: p.lost,
      retransmission: p.retransmissionOf !== undefined,
      rightward: xTo >= xFrom,
      time: id === currentPacket ? 'current' : row < cursorRow ? 'past' : 'future',
      firstStep: index.packetFirstStep[id]!,
      lostX: lost.x,
      lostAnchor: lost.anchor,
    });
  }

  const bands: ChapterBand[] = [];
  const currentChapter = currentStep?.chapter;
  // Runs are sorted by row: binary-search the first one reaching the window, stop after the last.
  let lo = 0;
  let hi = index.runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.runs[mid]!.lastRow < firstRow) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < index.runs.length && index.runs[i]!.firstRow <= lastRow; i++) {
    const run = index.runs[i]!;
    const y = rowTop(run.firstRow) - header;
    const height = header + (run.lastRow - run.firstRow + 1) * rowHeight;
    bands.push({
      chapter: run.chapter,
      title: run.title,
      y,
      height,
      labelY: y + header * 0.72,
      odd: i % 2 === 1,
      current: run.chapter === currentChapter,
    });
  }

  let cursorY = pad;
  if (cursorRow >= 0) {
    const whole = Math.floor(cursorRow);
    cursorY = rowTop(whole) + (cursorRow === whole ? rowHeight / 2 : rowHeight);
  }

  return { totalHeight, lifelines: lines, arrows, bands, cursorY, firstRow, lastRow };
}

/** About the width of one character of an arrow's label (0.82rem monospace) with a 16 px root font. */
export const LABEL_CHAR = 7.9;
/** Gap between the chip and the label. */
const CHIP_GAP = 6;

export interface LabelChip {
  /** The protocol the label is about (the packet's top layer), in its colour. */
  readonly name: string;
  readonly colour: LayerKey;
  readonly x: number;
  readonly width: number;
  /** The label, cut with an ellipsis when it would not fit between the outermost lifelines. */
  readonly text: string;
  readonly textX: number;
}

/** The protocol a packet's label is about, for its colour chip: its top layer. */
function topLayer(p: Packet): { readonly name: string; readonly colour: LayerKey } {
  if (p.layers.socketio) return { name: 'Socket.IO', colour: PROTO_LAYERS.socketio.colour };
  if (p.layers.engineio) return { name: 'Engine.IO', colour: PROTO_LAYERS.engineio.colour };
  if (p.layers.websocket) return { name: 'WS', colour: PROTO_LAYERS.websocket.colour };
  if (p.layers.http) return { name: 'HTTP', colour: PROTO_LAYERS.http.colour };
  return { name: 'TCP', colour: PROTO_LAYERS.tcp.colour };
}

/** `text` cut to what fits in `width` pixels (at least 4 characters), ending in an ellipsis when cut. */
export function clipLabel(text: string, width: number, charWidth = LABEL_CHAR): string {
  const max = Math.max(4, Math.floor(width / charWidth));
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/**
 * An arrow's label: a chip naming its protocol, then the label, the two centred together on the arrow's
 * `labelX`. The label may use the room between the outermost lifelines (`lifelineSpan`) less the chip's;
 * it is centred as if no wider than the arrow (`fallbackSpan` for an arrow without length).
 */
export function labelChip(
  arrow: Pick<LadderArrow, 'x1' | 'x2' | 'labelX' | 'label'>,
  packet: Packet,
  lifelineSpan: number,
  fallbackSpan: number,
  /** The chip's type relative to the normal 0.72rem (presenter mode draws it as large as the label). */
  chipScale = 1,
  /**
   * The diagram's drawable width: a label longer than its arrow (a short hop between neighbouring lifelines, as
   * with several clients) is moved inward rather than run past either edge.
   */
  diagramWidth = Infinity,
  /** One label character's width: LABEL_CHAR scaled by the root font size (it grows to 20 px on big screens). */
  charWidth = LABEL_CHAR,
): LabelChip {
  const { name, colour } = topLayer(packet);
  const span = Math.abs(arrow.x2 - arrow.x1) || fallbackSpan;
  const width = (name.length * 8 + 12) * chipScale;
  const text = clipLabel(arrow.label, lifelineSpan - width - 24, charWidth);
  const textWidth = Math.min(text.length * charWidth, span);
  const whole = width + CHIP_GAP + text.length * charWidth;
  const centred = arrow.labelX - (width + CHIP_GAP + textWidth) / 2;
  const x = Math.max(EDGE_GAP, Math.min(centred, diagramWidth - EDGE_GAP - whole));
  return { name, colour, x, width, text, textX: x + width + CHIP_GAP };
}

/** Room kept between a label and the diagram's edge. */
const EDGE_GAP = 4;

/**
 * Scroll position that keeps `y` comfortably in view, at least `margin` from either edge (the row before and
 * the row after stay visible). Unchanged while `y` is inside that band. A `y` that has just left the band
 * (one step on, still inside the window) is brought to the band's other end, so the steps that follow in the
 * same direction have the whole band to move through before the diagram scrolls again. On a 1280×720 window
 * (a band of about one row) the forward steps that scroll fell from 40 to 26 of 80 (Wirewalk's choice; a
 * scroll redraws the rows and is the dearest part of a step there: profile of 1 000 messages,
 * scripts/profile-step.ts). Any other `y` (a jump, a new window) is brought to 40 % of the window's height.
 */
export function scrollToKeep(
  y: number,
  top: number,
  height: number,
  totalHeight: number,
  margin: number,
): number {
  if (y >= top + margin && y <= top + height - margin) return top;
  // Outside the band but inside the window (and the band not empty): just left it, one way or the other.
  const justLeft = height > 2 * margin && y >= top && y <= top + height;
  const wanted = !justLeft ? y - height * 0.4 : y > top + margin ? y - margin : y - height + margin;
  return Math.max(0, Math.min(Math.max(0, totalHeight - height), wanted));
}
