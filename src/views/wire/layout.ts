/**
 * Geometry of the wire strip, as numbers for WireStrip.tsx to render: where the unit bar stands and where it
 * travels from, how wide each block is and which name fits on it, where the signal goes, and how the caption
 * breaks. No DOM: the root font size comes in as `em`.
 */
import type { HostInfo, Step } from '../../sim/types';
import type { UnitBlock, UnitView } from '../stack/wireUnit';

/** Room left and right of the bar and the cable. */
export const WIRE_PAD = 10;
export const BAR_Y = 4;
export const BAR_HEIGHT = 50;
/** In root ems: a block is at least wide enough for a short name. */
export const MIN_BLOCK_EM = 4.2;
/** About the width of one character of the caption (1rem bold at the projector's font size). */
const CAPTION_CHAR = 9.5;

export interface BarPlacement {
  readonly width: number;
  /** Left edge of the bar at this step. */
  readonly x: number;
  /** Offset from `x` the bar travels from when the step animates (0: it does not travel). */
  readonly travelFrom: number;
}

/**
 * Where the unit bar stands: at its sender's side while the sender's layers wrap it, at the receiver's while
 * they unwrap it and while it crosses the wire (it slides over from the sender's side, except on `receive`),
 * and in the middle when it was lost. The sender is on the left when it is the left host or talks to the
 * right one.
 */
export function barPlacement(
  width: number,
  unit: Pick<UnitView, 'packet' | 'at' | 'lost'> | null,
  step: Pick<Step, 'kind'> | undefined,
  hosts: { readonly left?: Pick<HostInfo, 'id'>; readonly right?: Pick<HostInfo, 'id'> },
): BarPlacement {
  const barWidth = Math.max(160, Math.min(width - 2 * WIRE_PAD, width * 0.84));
  const leftX = WIRE_PAD;
  const rightX = width - WIRE_PAD - barWidth;
  if (!unit) return { width: barWidth, x: leftX, travelFrom: 0 };
  const senderOnLeft = unit.packet.from === hosts.left?.id || unit.packet.to === hosts.right?.id;
  const senderX = senderOnLeft ? leftX : rightX;
  const receiverX = senderOnLeft ? rightX : leftX;
  const x =
    unit.at === 'sender' ? senderX : unit.at === 'wire' && unit.lost ? (width - barWidth) / 2 : receiverX;
  const travelFrom = unit.at === 'wire' && step?.kind !== 'receive' ? senderX - x : 0;
  return { width: barWidth, x, travelFrom };
}

export interface PlacedBlock {
  readonly id: string;
  readonly x: number;
  readonly width: number;
}

/**
 * Block widths for the unit bar: every block gets `minWidth` (room for its name), the rest of `width` is
 * shared by the square root of the byte counts, so a 4-byte FCS and a 1400-byte payload both stay readable
 * while bigger blocks still look bigger. Returns x positions from 0.
 */
export function unitBarLayout(
  blocks: readonly { readonly id: string; readonly start: number; readonly end: number }[],
  width: number,
  minWidth: number,
): PlacedBlock[] {
  if (blocks.length === 0) return [];
  const floor = Math.min(minWidth, width / blocks.length);
  const spare = Math.max(0, width - floor * blocks.length);
  const weights = blocks.map((b) => Math.sqrt(Math.max(0, b.end - b.start)));
  const total = weights.reduce((a, b) => a + b, 0);
  let x = 0;
  return blocks.map((b, i) => {
    const w = floor + (total > 0 ? (spare * weights[i]!) / total : spare / blocks.length);
    const placed = { id: b.id, x, width: w };
    x += w;
    return placed;
  });
}

/** Shorter names tried in turn when a block is narrow. */
const SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  preamble: ['preamble', 'pre.'],
  Ethernet: ['Ethernet', 'Eth'],
  WebSocket: ['WebSocket', 'WS'],
  'Engine.IO': ['Engine.IO', 'EIO'],
  'Socket.IO': ['Socket.IO', 'SIO'],
  padding: ['padding', 'pad'],
};

/**
 * The name printed on a block `width` pixels wide: the longest candidate whose bold 0.92em text fits
 * (DejaVu/Segoe bold: ~0.64 em per character), else the shortest. A data block shows its message text.
 */
export function blockLabel(
  block: Pick<UnitBlock, 'name' | 'colour' | 'detail'>,
  width: number,
  em: number,
): string {
  const candidates =
    block.colour === 'data' && block.detail !== undefined
      ? [`"${block.detail}"`, 'data', '…']
      : (SHORT_NAMES[block.name] ?? [block.name]);
  const per = 0.92 * em * 0.64;
  return candidates.find((c) => c.length * per + 8 <= width) ?? candidates[candidates.length - 1] ?? '';
}

/** The signal (or the idle cable) sits under the bar and takes what height is left, within 56–90 px. */
export function signalBox(height: number): { readonly top: number; readonly height: number } {
  const top = BAR_Y + BAR_HEIGHT + 6;
  return { top, height: Math.max(56, Math.min(90, height - top - 2)) };
}

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

/**
 * One line cut with an ellipsis to fit `width` at about `charWidth` px a character (SVG text never wraps): the
 * idle lines on a phone's narrow wire. The whole text stays in the picture's accessible name.
 */
export function clipLine(text: string, width: number, charWidth: number): string {
  const max = Math.max(4, Math.floor(width / charWidth));
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** Bytes the unit has once this step is done: what is being removed no longer counts. */
export function unitBytes(unit: Pick<UnitView, 'blocks'>): number {
  return unit.blocks.filter((b) => b.state !== 'removing').reduce((n, b) => n + (b.end - b.start), 0);
}

/** The unit in words, for the picture's accessible name. */
export function describeUnit(unit: UnitView, from: string, to: string): string {
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

/** Where the change caption's lines go in the signal box (WireStrip.tsx draws them there). */
export const CHANGE_FIRST_BASELINE = 22;
export const CHANGE_LINE_STEP = 20;

export interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * The change caption's box in the signal box's coordinates (`width` wide, text centred, 1rem bold at root
 * font `em`: about 0.62 em a character, ascent 0.8 em above the first baseline, descent 0.25 em below the last).
 */
export function changeBox(lines: readonly string[], width: number, em: number): Box | null {
  if (lines.length === 0) return null;
  // Bold text runs wider than the average character (DejaVu Sans Bold about 0.68 em): a box too wide only
  // moves the "cable" label aside, one too narrow lets the two collide.
  const widest = Math.max(...lines.map((l) => l.length * Math.max(CAPTION_CHAR, 0.68 * em)));
  return {
    left: width / 2 - widest / 2,
    right: width / 2 + widest / 2,
    top: CHANGE_FIRST_BASELINE - 0.8 * em,
    bottom: CHANGE_FIRST_BASELINE + (lines.length - 1) * CHANGE_LINE_STEP + 0.25 * em,
  };
}

export interface CableLabel {
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle';
  readonly box: Box;
}

/**
 * The idle cable's "cable" label (0.75rem), just above the line at `height - 6`: in the middle when nothing is
 * written above it, else at the line's left end when that is clear of the caption, else nowhere — the label
 * is never drawn over the caption.
 */
export function cableLabel(
  caption: Box | null,
  width: number,
  height: number,
  em: number,
): CableLabel | null {
  const y = height - 12;
  const w = 'cable'.length * 0.62 * 0.75 * em;
  // The label's box as the browser measures it: the font's ascent (about 0.93 em for DejaVu Sans) above y.
  const boxAt = (left: number): Box => ({ left, right: left + w, top: y - 0.75 * em * 0.95, bottom: y + 3 });
  const overlaps = (a: Box, b: Box) =>
    a.left < b.right + 4 && b.left < a.right + 4 && a.top < b.bottom && b.top < a.bottom;
  const middle = boxAt(width / 2 - w / 2);
  if (!caption || !overlaps(middle, caption)) return { x: width / 2, y, anchor: 'middle', box: middle };
  const left = boxAt(0);
  if (!overlaps(left, caption)) return { x: 0, y, anchor: 'start', box: left };
  return null;
}
