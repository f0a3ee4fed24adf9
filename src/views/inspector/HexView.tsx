/**
 * The hex + ASCII dump. Each byte is tinted with its layer's colour; the selected field's bytes are
 * outlined, the hovered field's underlined; padding and FCS (not in the captured frame) are set apart.
 * Clicking a byte selects its field (again: the next wider field covering it, as Wireshark).
 */
import { memo } from 'react';
import type { HexDump, HexRow } from '../hex/layout';

type Range = readonly [number, number] | null;

const Row = memo(function Row({
  row,
  sel,
  hov,
  onByte,
  onHoverByte,
}: {
  readonly row: HexRow;
  /** Highlight ranges clipped to this row (primitive-equal when unchanged, so memo skips the row). */
  readonly sel: string;
  readonly hov: string;
  onByte(offset: number): void;
  onHoverByte(offset: number | null): void;
}) {
  const [s0, s1] = sel ? sel.split(',').map(Number) : [-1, -1];
  const [h0, h1] = hov ? hov.split(',').map(Number) : [-1, -1];
  const cls = (offset: number, colour: string, trailer: boolean) =>
    `byte colour-${colour}` +
    (trailer ? ' is-trailer' : '') +
    (offset >= s0! && offset < s1! ? ' is-selected' : '') +
    (offset >= h0! && offset < h1! ? ' is-hovered' : '');
  return (
    <div className="hex-row">
      <span className="hex-offset">{row.label}</span>
      <span className="hex-bytes">
        {row.cells.map((c) => (
          <span
            key={c.offset}
            className={cls(c.offset, c.colour, c.trailer)}
            data-offset={c.offset}
            onClick={() => onByte(c.offset)}
            onMouseEnter={() => onHoverByte(c.offset)}
          >
            {c.hex}
          </span>
        ))}
      </span>
      <span className="hex-ascii" aria-hidden="true">
        {row.cells.map((c) => (
          <span
            key={c.offset}
            className={cls(c.offset, c.colour, c.trailer)}
            onClick={() => onByte(c.offset)}
            onMouseEnter={() => onHoverByte(c.offset)}
          >
            {c.ascii}
          </span>
        ))}
      </span>
    </div>
  );
});

function clipTo(range: Range, row: HexRow): string {
  if (!range) return '';
  const start = Math.max(range[0], row.offset);
  const end = Math.min(range[1], row.offset + row.cells.length);
  return start < end ? `${start},${end}` : '';
}

export function HexView({
  dump,
  selected,
  hovered,
  onByte,
  onHoverByte,
}: {
  readonly dump: HexDump;
  readonly selected: Range;
  readonly hovered: Range;
  onByte(offset: number): void;
  onHoverByte(offset: number | null): void;
}) {
  return (
    <div
      className="hex"
      role="group"
      aria-label="Bytes of the frame in hex and ASCII; click a byte to select its field"
      onMouseLeave={() => onHoverByte(null)}
    >
      {dump.rows.map((row) => (
        <Row
          key={row.offset}
          row={row}
          sel={clipTo(selected, row)}
          hov={clipTo(hovered, row)}
          onByte={onByte}
          onHoverByte={onHoverByte}
        />
      ))}
    </div>
  );
}
