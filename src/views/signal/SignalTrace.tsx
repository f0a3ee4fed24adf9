/**
 * The physical layer drawn with d3-shape: the first bytes of the frame as a Manchester-coded signal
 * (IEEE 802.3 10BASE-T), each bit cell labelled with its bit, each byte with its hex value.
 */
import { useMemo } from 'react';
import { signalGeometry, wireBits } from './layout';
import './SignalTrace.css';

/** Two bytes: 16 bit cells stay readable from the back of a room. */
const BITS = 16;

export function SignalTrace({
  frame,
  width,
  height,
}: {
  readonly frame: Uint8Array;
  readonly width: number;
  readonly height: number;
}) {
  const bits = useMemo(() => wireBits(frame, BITS), [frame]);
  const high = 22;
  const low = height - 22;
  const g = useMemo(() => signalGeometry(bits, width, high, low), [bits, width, high, low]);
  const bytes = [...new Set(bits.map((b) => b.byteIndex))];
  return (
    <g className="signal">
      <title>
        {`The first ${bytes.length} bytes of the frame on the cable, Manchester-coded: each byte goes out least significant bit first; a 1 is a rise in the middle of its bit cell, a 0 a fall.`}
      </title>
      {bytes.map((byteIndex) => {
        const cells = bits.map((b, i) => (b.byteIndex === byteIndex ? i : -1)).filter((i) => i >= 0);
        const x = ((cells[0]! + cells[cells.length - 1]! + 1) / 2) * g.cell;
        const value = frame[byteIndex] ?? 0;
        return (
          <text key={byteIndex} className="signal-byte" x={x} y={12} textAnchor="middle">
            {`byte ${byteIndex}: 0x${value.toString(16).padStart(2, '0')}, sent LSB first`}
          </text>
        );
      })}
      {g.byteEdges.map((x) => (
        <line key={x} className="signal-edge" x1={x} x2={x} y1={16} y2={height} />
      ))}
      <path className="signal-wave anim" d={g.path} data-length={g.length} />
      {g.centres.map((x, i) => (
        <text key={i} className="signal-bit" x={x} y={height - 4} textAnchor="middle">
          {bits[i]!.bit}
        </text>
      ))}
    </g>
  );
}
