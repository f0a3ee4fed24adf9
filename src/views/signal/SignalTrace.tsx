/**
 * The physical layer drawn with d3-shape: the frame as 100BASE-TX puts it on the pair — the start of the
 * preamble (/J/K/), the SFD, the frame's first bytes, a gap, its last bytes (the end of the FCS) and /T/R/ —
 * 4B/5B code bits drawn as MLT-3 levels, before scrambling (the sources are in ./layout.ts).
 */
import { useMemo } from 'react';
import { fitSignalLabel, headBytesFor, signalGeometry, signalWindow } from './layout';
import './SignalTrace.css';

/** Below this width per code bit the 0/1 digits would touch: the code-group names stay. */
const MIN_DIGIT_CELL = 11;

export function SignalTrace({
  frame,
  width,
  height,
  captured = false,
}: {
  /** The frame as on the cable: header, payload, padding and FCS (a captured frame: its record's bytes). */
  readonly frame: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** A frame of a capture file: it starts at layer 2, so no preamble, SFD, /J/K/ or /T/R/ is drawn. */
  readonly captured?: boolean;
}) {
  const head = headBytesFor(width);
  const win = useMemo(() => signalWindow(frame, head, 2, captured), [frame, head, captured]);
  // Under the byte labels (baseline 10) and the code-group names (baseline 23), both set in px.
  const top = 27;
  const digits = height >= 70;
  const bottom = height - (digits ? 16 : 4);
  const g = useMemo(() => signalGeometry(win, width, top, bottom), [win, width, top, bottom]);
  const showDigits = digits && g.cell >= MIN_DIGIT_CELL;
  return (
    <g className="signal">
      <title>
        {captured
          ? // A capture starts at layer 2 (tcpdump.org LINKTYPE_ETHERNET; src/capture/walk.ts at layer 1).
            `The ${frame.length} captured bytes as 100BASE-TX would code them, drawn before scrambling: ` +
            `${win.totalBits} code bits. A capture starts at layer 2, so the preamble, the SFD and the signal ` +
            'itself were never recorded. Each octet goes as its low nibble then its high nibble, each nibble as a ' +
            '5-bit 4B/5B code; the line changes level (0, +, 0, −) on every 1 (MLT-3). Shown: the first and last ' +
            'captured bytes.'
          : // IEEE 802.3 §3.2.1-3.2.2, §22.2.3, §24.2.2.1 Table 24-1, Clause 25 (./layout.ts).
            `100BASE-TX, drawn before scrambling: ${win.totalOctets} octets (preamble, SFD and the ${frame.length}-byte frame) ` +
            `become ${win.totalBits} code bits. Each octet goes as its low nibble then its high nibble, each nibble as a ` +
            '5-bit 4B/5B code; the line changes level (0, +, 0, −) on every 1 (MLT-3). Shown: the start, one preamble ' +
            'octet, the SFD, the first and last bytes of the frame, and the end.'}
      </title>
      {win.segments.map((s, i) => {
        const at = g.segments[i]!;
        return (
          <text
            key={i}
            className={`signal-byte signal-${s.role}`}
            x={at.x + at.width / 2}
            y={10}
            textAnchor="middle"
          >
            {fitSignalLabel(s.label, s.role, at.width)}
          </text>
        );
      })}
      {/* One element for all the edges, one for all the code-group names and one for all the code bits: each
          name and bit is one character, placed by its own x (SVG 1.1 §10.4: an absolute x starts a new text
          chunk, so each is centred on its own). As some 130 elements, inserted on every frame-on-the-wire step and
          removed on the next, they cost each such step style for 26 more elements and layout for 39 more objects
          (traced on the 1 000-message link: 112 → 86 and 217 → 178). */}
      <path className="signal-edge" d={g.segments.map((at) => `M${at.x},14V${height}`).join('')} />
      <text className="signal-group" x={g.groupXs.join(' ')} y={23} textAnchor="middle">
        {g.groupNames}
      </text>
      {g.gaps.map((x, i) => (
        <text
          key={`gap${i}`}
          className="signal-gap"
          x={x + g.gapWidth / 2}
          y={(top + bottom) / 2 + 4}
          textAnchor="middle"
        >
          …
        </text>
      ))}
      <line className="signal-zero" x1={0} x2={width} y1={(top + bottom) / 2} y2={(top + bottom) / 2} />
      <path className="signal-wave anim" d={g.path} data-length={g.length} />
      {showDigits ? (
        <text className="signal-bit" x={g.bitXs.join(' ')} y={height - 3} textAnchor="middle">
          {g.bitText}
        </text>
      ) : null}
    </g>
  );
}
