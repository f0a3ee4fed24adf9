/**
 * The physical layer drawn as the simulated link sends it. The network is 100 Mbit/s Ethernet
 * (sim/engine/network.ts: 80 ns a byte), i.e. 100BASE-TX, so the signal is what 100BASE-TX puts on the pair,
 * with one simplification that the caption states: it is drawn before scrambling.
 *
 * - IEEE 802.3 §3.2.1–3.2.2 (and §4.2.5): the MAC sends 7 preamble octets 0x55 and the start frame
 *   delimiter 0xD5, then the frame (padding and FCS included).
 * - IEEE 802.3 §22.2.3 (MII): each octet crosses to the PHY as two nibbles, the low-order nibble first.
 * - IEEE 802.3 §24.2.2.1, Table 24-1 (100BASE-X PCS, 4B/5B): each nibble becomes a 5-bit code-group; the
 *   first preamble octet is replaced by the start-of-stream delimiter /J/K/, and /T/R/ follows the last
 *   nibble of the FCS. A code-group is sent as Table 24-1 writes it, leftmost bit (bit 4) first.
 * - IEEE 802.3 §24.3 and Clause 25 (100BASE-TX PMD, ANSI X3.263 TP-PMD): the code bits are scrambled and
 *   sent as MLT-3: a 1 moves the line to the next level of the cycle 0, +, 0, −; a 0 keeps it. The scrambler
 *   (an 11-bit stream cipher) only spreads the spectrum; it is left out so the code-groups can be read.
 *
 * 10BASE-T (IEEE 802.3 Clause 14, Manchester per §7.3) would instead send every bit, LSB first, as a
 * transition in the middle of its cell; that is not this link, so it is not drawn.
 */
import { line, curveStepAfter } from 'd3-shape';
import { hex8 } from '../../protocol/bytes';

/** IEEE 802.3 §3.2.1: seven octets 10101010 in wire order, i.e. 0x55. */
export const PREAMBLE_OCTET = 0x55;
export const PREAMBLE_LENGTH = 7;
/** IEEE 802.3 §3.2.2: the start frame delimiter, 10101011 in wire order. */
export const SFD = 0xd5;

/** Table 24-1: data code-groups for nibbles 0x0–0xF, written bit 4 … bit 0 (sent left to right). */
export const FOUR_B_FIVE_B: readonly string[] = [
  '11110',
  '01001',
  '10100',
  '10101',
  '01010',
  '01011',
  '01110',
  '01111',
  '10010',
  '10011',
  '10110',
  '10111',
  '11010',
  '11011',
  '11100',
  '11101',
];

/** Table 24-1: the control code-groups used around a frame (and IDLE between frames). */
export const CONTROL_CODES = {
  I: '11111',
  J: '11000',
  K: '10001',
  T: '01101',
  R: '00111',
} as const;

/** The octets the MAC hands down for one frame: preamble, SFD, then the frame's own bytes. */
export function macOctets(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREAMBLE_LENGTH + 1 + frame.length);
  out.fill(PREAMBLE_OCTET, 0, PREAMBLE_LENGTH);
  out[PREAMBLE_LENGTH] = SFD;
  out.set(frame, PREAMBLE_LENGTH + 1);
  return out;
}

export interface CodeGroup {
  /** 'J', 'K', 'T', 'R' or the nibble's hex digit. */
  readonly name: string;
  /** Five code bits in the order they are sent. */
  readonly bits: readonly number[];
  /** Index into the MAC octets (preamble first); -1 for /T/R/, which follow the frame. */
  readonly octet: number;
}

/**
 * 4B/5B for one frame as the 100BASE-X PCS sends it: /J/K/ in place of the first preamble octet, then every
 * other octet as its low nibble's code-group and its high nibble's, then /T/R/.
 */
export function encode4b5b(octets: Uint8Array): CodeGroup[] {
  const out: CodeGroup[] = [];
  octets.forEach((octet, i) => out.push(...(i === 0 ? START_GROUPS : dataGroups(octet, i))));
  out.push(...END_GROUPS);
  return out;
}

const codeBits = (code: string): number[] => [...code].map((c) => (c === '1' ? 1 : 0));
const control = (name: keyof typeof CONTROL_CODES, octet: number): CodeGroup => ({
  name,
  bits: codeBits(CONTROL_CODES[name]),
  octet,
});
/** /J/K/ in place of the first preamble octet, and /T/R/ after the frame. */
const START_GROUPS: readonly CodeGroup[] = [control('J', 0), control('K', 0)];
const END_GROUPS: readonly CodeGroup[] = [control('T', -1), control('R', -1)];

/** One octet as its low nibble's data code-group, then its high nibble's (§22.2.3, Table 24-1). */
function dataGroups(octet: number, index: number): CodeGroup[] {
  return [octet & 0x0f, octet >> 4].map((nibble) => ({
    name: nibble.toString(16).toUpperCase(),
    bits: codeBits(FOUR_B_FIVE_B[nibble]!),
    octet: index,
  }));
}

export type Mlt3Level = -1 | 0 | 1;
const MLT3_CYCLE: readonly Mlt3Level[] = [0, 1, 0, -1];

/** MLT-3: the level of the line during each bit. A 1 steps to the next level of 0, +, 0, −; a 0 stays. */
export function mlt3(bits: readonly number[], startPhase = 0): Mlt3Level[] {
  let phase = startPhase & 3;
  return bits.map((bit) => {
    if (bit) phase = (phase + 1) & 3;
    return MLT3_CYCLE[phase]!;
  });
}

/** One stretch of the drawing: the code-groups of one octet (or /J/K/, or /T/R/), with its caption. */
export interface SignalSegment {
  readonly label: string;
  /** What the octet is, for the accessible description. */
  readonly role: 'start' | 'preamble' | 'sfd' | 'frame' | 'end';
  readonly groups: readonly CodeGroup[];
  /** Index of the segment's first code bit in the whole stream. */
  readonly firstBit: number;
  /** The line's level during each of the segment's code bits (MLT-3, carried on from every bit before it). */
  readonly levels: readonly Mlt3Level[];
}

export interface SignalWindow {
  readonly segments: readonly SignalSegment[];
  /** Where a run of octets is left out: after segment `after`, `octets` octets. */
  readonly gaps: readonly { readonly after: number; readonly octets: number }[];
  /** Code bits in the whole stream, and MAC octets behind them. */
  readonly totalBits: number;
  readonly totalOctets: number;
}

const ones = (code: string): number => [...code].filter((c) => c === '1').length;
/** 1s in each data code-group: what an octet left out of the drawing does to the MLT-3 phase after it. */
const DATA_ONES: readonly number[] = FOUR_B_FIVE_B.map(ones);

/**
 * What the strip shows of one frame (`frame` = the frame's bytes as on the cable: header, payload, padding,
 * FCS): the start /J/K/, one of the remaining preamble octets, the SFD, the first `head` bytes of the frame,
 * then — after a gap — its last `tail` bytes (the end of the FCS, different for every frame) and /T/R/.
 *
 * `captured`: the frame is a record of a capture file the user opened, which starts at layer 2 (tcpdump.org
 * LINKTYPE_ETHERNET: a record begins with the destination MAC; src/capture/walk.ts says so at layer 1): no
 * preamble, SFD, /J/K/ or /T/R/ was ever recorded, so only the captured bytes are drawn, coded as 100BASE-TX
 * codes them, from the first byte to the last.
 *
 * Only the drawn octets are coded. The level a drawn segment starts at depends on every 1 sent before it
 * (MLT-3), so the octets left out are only counted: their code bits and 1s, from DATA_ONES. (Coding the whole of
 * a 1 514-byte frame, as encode4b5b and mlt3 do, took 2.5 ms warm in Node on the bench machine, and about as
 * much of every key press that put such a frame on the wire; this takes 0.09 ms.)
 */
export function signalWindow(frame: Uint8Array, head: number, tail = 2, captured = false): SignalWindow {
  const f0 = captured ? 0 : PREAMBLE_LENGTH + 1;
  const totalOctets = f0 + frame.length;
  const octetAt = (i: number): number =>
    i >= f0 ? frame[i - f0]! : i === PREAMBLE_LENGTH ? SFD : PREAMBLE_OCTET;
  const shownHead = Math.max(0, Math.min(head, frame.length));
  const shownTail = Math.max(0, Math.min(tail, frame.length - shownHead));
  const tailStart = frame.length - shownTail;
  const label = (i: number): { label: string; role: SignalSegment['role'] } | null => {
    if (i >= f0 && (i - f0 < shownHead || i - f0 >= tailStart))
      return { label: hex8(frame[i - f0]!), role: 'frame' };
    if (captured) return null;
    if (i === 0) return { label: 'J K: start', role: 'start' };
    if (i === PREAMBLE_LENGTH - 1) return { label: `${hex8(PREAMBLE_OCTET)} ×6`, role: 'preamble' };
    if (i === PREAMBLE_LENGTH) return { label: `SFD ${hex8(SFD)}`, role: 'sfd' };
    return null;
  };
  const segments: SignalSegment[] = [];
  let bit = 0;
  let phase = 0;
  const add = (shown: { label: string; role: SignalSegment['role'] }, groups: readonly CodeGroup[]) => {
    const bits = groups.flatMap((g) => g.bits);
    const levels = mlt3(bits, phase);
    segments.push({ ...shown, groups, firstBit: bit, levels });
    bit += bits.length;
    phase = (phase + bits.filter((b) => b === 1).length) & 3;
  };
  for (let i = 0; i < totalOctets; i++) {
    const shown = label(i);
    if (shown) {
      add(shown, i === 0 && !captured ? START_GROUPS : dataGroups(octetAt(i), i));
    } else {
      const octet = octetAt(i);
      bit += 10;
      phase = (phase + DATA_ONES[octet & 0x0f]! + DATA_ONES[octet >> 4]!) & 3;
    }
  }
  if (!captured) {
    add({ label: 'T R: end', role: 'end' }, END_GROUPS);
  }
  const gaps: { after: number; octets: number }[] = [];
  // Preamble octets 2 to 6 are left out: the drawn one stands for them.
  if (!captured) gaps.push({ after: 0, octets: PREAMBLE_LENGTH - 2 });
  if (tailStart > shownHead) {
    const before = (captured ? 0 : 3) + shownHead;
    gaps.push({ after: before - 1, octets: tailStart - shownHead });
  }
  return { segments, gaps, totalBits: bit, totalOctets };
}

export interface SignalGeometry {
  /** SVG path of the waveform (one sub-path per run of drawn segments). */
  readonly path: string;
  /** Width of one code bit. */
  readonly cell: number;
  /** Width left for each gap. */
  readonly gapWidth: number;
  /** Each segment's left edge and width. */
  readonly segments: readonly { readonly x: number; readonly width: number }[];
  /** Each gap's left edge. */
  readonly gaps: readonly number[];
  /** Centre x of every drawn code bit (rounded to 0.01 px: they go into one `x` attribute). */
  readonly bitXs: readonly number[];
  /** The drawn code bits, one character each ('0' or '1'), in the order of bitXs. */
  readonly bitText: string;
  /** Centre x of every drawn code-group. */
  readonly groupXs: readonly number[];
  /** The drawn code-groups' names, one character each (a hex digit, J, K, T or R), in the order of groupXs. */
  readonly groupNames: string;
  /**
   * Length of the drawn path (what SVGGeometryElement.getTotalLength measures; moves do not count), so the
   * drawing-on animation needs no layout to find it.
   */
  readonly length: number;
}

const stepLine = line<readonly [number, number]>()
  .x((d) => d[0])
  .y((d) => d[1])
  .curve(curveStepAfter);

/** Lay a window out across `width`: gaps get two code bits' room each; levels +, 0, − at `high`, middle, `low`. */
export function signalGeometry(
  window: SignalWindow,
  width: number,
  high: number,
  low: number,
): SignalGeometry {
  const drawn = window.segments.reduce((n, s) => n + s.groups.length * 5, 0);
  const gapCells = 2;
  const cell = width / Math.max(1, drawn + gapCells * window.gaps.length);
  const gapWidth = gapCells * cell;
  const y = (level: Mlt3Level) => (level === 1 ? high : level === -1 ? low : (high + low) / 2);
  const segments: { x: number; width: number }[] = [];
  const gaps: number[] = [];
  const bitXs: number[] = [];
  let bitText = '';
  const groupXs: number[] = [];
  let groupNames = '';
  const runs: [number, number][][] = [[]];
  let x = 0;
  let length = 0;
  window.segments.forEach((s, i) => {
    const count = s.groups.length * 5;
    segments.push({ x, width: count * cell });
    const run = runs[runs.length - 1]!;
    const codeBits = s.groups.flatMap((g) => g.bits);
    for (let b = 0; b < count; b++) {
      const point: [number, number] = [x + b * cell, y(s.levels[b]!)];
      const prev = run[run.length - 1];
      if (prev) length += Math.abs(point[0] - prev[0]) + Math.abs(point[1] - prev[1]);
      run.push(point);
      bitXs.push(centi(x + (b + 0.5) * cell));
      bitText += codeBits[b]!;
    }
    s.groups.forEach((cg, k) => {
      groupXs.push(centi(x + (k * 5 + 2.5) * cell));
      groupNames += cg.name;
    });
    x += count * cell;
    const last = run[run.length - 1]!;
    // Close the run at the segment's right edge, at its last level.
    if (window.gaps.some((g) => g.after === i) || i === window.segments.length - 1) {
      length += x - last[0];
      run.push([x, last[1]]);
    }
    if (window.gaps.some((g) => g.after === i)) {
      gaps.push(x);
      x += gapWidth;
      runs.push([]);
    }
  });
  const path = runs
    .filter((r) => r.length > 0)
    .map((r) => stepLine(r) ?? '')
    .join('');
  return { path, cell, gapWidth, segments, gaps, bitXs, bitText, groupXs, groupNames, length };
}

/** Rounded to 0.01 px: finer than any screen, and short in an attribute. */
const centi = (v: number) => Math.round(v * 100) / 100;

/** How many frame bytes the head shows at this width (at least one, at most four; about 9 px a code bit). */
export function headBytesFor(width: number): number {
  const cells = Math.floor(width / 9);
  // Fixed: /J/K/, a preamble octet, the SFD, two tail octets and /T/R/ (6 × 10 bits) and two gaps (4 bits).
  return Math.max(1, Math.min(4, Math.floor((cells - 64) / 10)));
}

/** The labels' type size in px (SignalTrace.css): the drawing is laid out in px, so its text is set in px. */
export const SIGNAL_LABEL_PX = 11;
/** A bold label character's advance, about 0.62 em in the UI font: enough to decide what fits. */
const LABEL_ADVANCE = 0.62 * SIGNAL_LABEL_PX;

/** The shorter name each part goes by when its full label is wider than its part of the signal. */
const SHORT_LABEL: Record<SignalSegment['role'], ((label: string) => string) | null> = {
  start: () => 'J K',
  preamble: () => '×6',
  sfd: () => 'SFD',
  frame: null,
  end: () => 'T R',
};

/** The label a segment `width` px wide can hold: its own, a shorter one, or none (never over its neighbour). */
export function fitSignalLabel(label: string, role: SignalSegment['role'], width: number): string {
  const fits = (text: string) => text.length * LABEL_ADVANCE <= width - 2;
  if (fits(label)) return label;
  const short = SHORT_LABEL[role]?.(label);
  return short !== undefined && fits(short) ? short : '';
}
