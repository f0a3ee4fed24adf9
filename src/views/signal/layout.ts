/**
 * The physical layer drawn honestly: the first bytes of the frame as 10BASE-T would put them on the cable.
 *
 * IEEE 802.3 §3.3 / §4.2.8: each octet is transmitted least-significant bit first. §7.2.1.1 (Manchester):
 * every bit cell has a transition in its middle; a 0 is high then low, a 1 is low then high. (The 7-byte
 * preamble and the start-frame delimiter go first; the drawing starts at the destination MAC.)
 */
import { line, curveStepAfter } from 'd3-shape';

export interface SignalBit {
  /** 0 or 1. */
  readonly bit: number;
  /** Which byte of the frame, and which bit of it (0 = least significant). */
  readonly byteIndex: number;
  readonly bitOfByte: number;
}

/** The first `count` bits of `bytes` in wire order (LSB first within each byte). */
export function wireBits(bytes: Uint8Array, count: number): SignalBit[] {
  const out: SignalBit[] = [];
  for (let i = 0; i < bytes.length && out.length < count; i++) {
    for (let b = 0; b < 8 && out.length < count; b++) {
      out.push({ bit: (bytes[i]! >> b) & 1, byteIndex: i, bitOfByte: b });
    }
  }
  return out;
}

/** Manchester levels per half bit cell (1 = high). */
export function manchesterLevels(bits: readonly SignalBit[]): number[] {
  const levels: number[] = [];
  for (const { bit } of bits) levels.push(bit ? 0 : 1, bit ? 1 : 0);
  return levels;
}

export interface SignalGeometry {
  /** SVG path of the waveform. */
  readonly path: string;
  /** Width of one bit cell. */
  readonly cell: number;
  /** Centre x of each bit cell, for the 0/1 labels. */
  readonly centres: readonly number[];
  /** Byte boundaries (x) after every 8 bits. */
  readonly byteEdges: readonly number[];
  /**
   * Length of the waveform's path (what SVGGeometryElement.getTotalLength would measure), so the drawing-on
   * animation needs no layout to find it.
   */
  readonly length: number;
}

const stepLine = line<readonly [number, number]>()
  .x((d) => d[0])
  .y((d) => d[1])
  .curve(curveStepAfter);

export function signalGeometry(
  bits: readonly SignalBit[],
  width: number,
  high: number,
  low: number,
): SignalGeometry {
  const levels = manchesterLevels(bits);
  const cell = bits.length ? width / bits.length : width;
  const half = cell / 2;
  const points: [number, number][] = levels.map((level, i) => [i * half, level ? high : low]);
  const last = levels[levels.length - 1];
  if (last !== undefined) points.push([levels.length * half, last ? high : low]);
  const byteEdges: number[] = [];
  bits.forEach((b, i) => {
    if (b.bitOfByte === 0 && i > 0) byteEdges.push(i * cell);
  });
  // curveStepAfter goes across, then up or down, from each point to the next.
  let length = 0;
  for (let i = 1; i < points.length; i++) {
    length += Math.abs(points[i]![0] - points[i - 1]![0]) + Math.abs(points[i]![1] - points[i - 1]![1]);
  }
  return {
    path: stepLine(points) ?? '',
    cell,
    centres: bits.map((_, i) => i * cell + half),
    byteEdges,
    length,
  };
}
