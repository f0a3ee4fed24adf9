/**
 * The hex + ASCII dump. Each byte is tinted with its layer's colour; the selected field's bytes are
 * outlined, the hovered field's underlined; padding and FCS (not in the captured frame) are set apart.
 * Clicking a byte selects its field (again: the next wider field covering it, as Wireshark).
 *
 * Virtualised: only the rows inside the scrolling box (plus a margin) are in the DOM, with spacers standing in
 * for the rest, so a full-size frame (95–190 rows, two elements per byte) does not cost thousands of elements
 * on every packet. Selecting a field scrolls its first byte into view, rendered or not.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { HexDump, HexRow } from '../hex/layout';
import { scrollWithin } from '../motion/scrollWithin';
import { layerColour } from '../theme/layers';
import './HexView.css';

/** Rows drawn above and below the visible ones. */
const OVERSCAN = 8;
/** Row height until one is measured (0.9rem × 1.45 at 16 px); the last measurement is kept for the next dump. */
let knownRowHeight = 21;

type Range = readonly [number, number] | null;

const Row = memo(function Row({
  rowRef,
  row,
  sel,
  hov,
  onByte,
  onHoverByte,
}: {
  readonly rowRef?: RefObject<HTMLDivElement | null> | undefined;
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
    <div className="hex-row" ref={rowRef}>
      <span className="hex-offset">{row.label}</span>
      <span className="hex-bytes">
        {row.cells.map((c) => (
          <span
            key={c.offset}
            className={cls(c.offset, c.colour, c.trailer)}
            style={layerColour(c.colour)}
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
            style={layerColour(c.colour)}
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

/** The rows to draw for a scroll window: [first, last], inclusive. */
export function visibleRows(
  rows: number,
  top: number,
  height: number,
  rowHeight: number,
  overscan = OVERSCAN,
): readonly [number, number] {
  if (rows === 0) return [0, -1];
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(rows - 1, Math.ceil((top + height) / rowHeight) - 1 + overscan);
  return [Math.min(first, last), last];
}

export function HexView({
  dump,
  selected,
  hovered,
  onByte,
  onHoverByte,
  scrollBox,
  viewHeight,
  resetKey,
}: {
  readonly dump: HexDump;
  readonly selected: Range;
  readonly hovered: Range;
  onByte(offset: number): void;
  onHoverByte(offset: number | null): void;
  /** The element that scrolls the dump (the dump is its only content). */
  readonly scrollBox: RefObject<HTMLElement | null>;
  /** Its height in pixels. */
  readonly viewHeight: number;
  /** When this changes (another packet), the dump starts again at its top. */
  readonly resetKey?: unknown;
}) {
  const [top, setTop] = useState(0);
  const [shownKey, setShownKey] = useState(resetKey);
  if (shownKey !== resetKey) {
    setShownKey(resetKey);
    setTop(0);
  }
  // The box follows before paint (`top` was the scroll position as of the last scroll event).
  const scrolledTo = useRef(0);
  useLayoutEffect(() => {
    const box = scrollBox.current;
    if (box && scrolledTo.current !== 0) box.scrollTop = 0;
    scrolledTo.current = 0;
  }, [resetKey, scrollBox]);
  const [rowHeight, setRowHeight] = useState(knownRowHeight);
  const firstRowRef = useRef<HTMLDivElement | null>(null);
  const rows = dump.rows;
  const [first, last] = visibleRows(rows.length, top, viewHeight, rowHeight);
  const bytesPerRow = rows[0]?.cells.length || 16;

  useEffect(() => {
    const box = scrollBox.current;
    if (!box) return;
    let frame = 0;
    const onScroll = () => {
      scrolledTo.current = box.scrollTop;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setTop(box.scrollTop));
    };
    box.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      box.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [scrollBox]);

  // The real row height (it follows the root font size); jsdom and hidden panels report 0: keep the estimate.
  useLayoutEffect(() => {
    const h = firstRowRef.current?.getBoundingClientRect().height ?? 0;
    if (h > 0 && Math.abs(h - rowHeight) > 0.01) {
      knownRowHeight = h;
      setRowHeight(h);
    }
  }, [rowHeight, viewHeight, bytesPerRow]);

  // Bring the selected field's first byte into view when the selection changes (only then: a later resize
  // must not pull the dump back), drawing its row first when it is outside the window.
  const firstSelected = selected?.[0] ?? null;
  const geometry = useRef({ bytesPerRow, rowHeight });
  geometry.current = { bytesPerRow, rowHeight };
  useEffect(() => {
    if (firstSelected === null) return;
    const box = scrollBox.current;
    if (!box) return;
    const el = box.querySelector<HTMLElement>(`[data-offset="${firstSelected}"]`);
    if (el) {
      scrollWithin(box, el);
      return;
    }
    const y = Math.floor(firstSelected / geometry.current.bytesPerRow) * geometry.current.rowHeight;
    box.scrollTop = Math.max(0, y - box.clientHeight * 0.33);
    scrolledTo.current = box.scrollTop;
    setTop(box.scrollTop);
  }, [firstSelected, scrollBox]);

  return (
    <div
      className="hex"
      role="group"
      aria-label="Bytes of the frame in hex and ASCII; click a byte to select its field"
      onMouseLeave={() => onHoverByte(null)}
    >
      {first > 0 ? (
        <div className="hex-spacer" aria-hidden="true" style={{ height: first * rowHeight }} />
      ) : null}
      {rows.slice(first, last + 1).map((row, i) => (
        <Row
          key={row.offset}
          rowRef={i === 0 ? firstRowRef : undefined}
          row={row}
          sel={clipTo(selected, row)}
          hov={clipTo(hovered, row)}
          onByte={onByte}
          onHoverByte={onHoverByte}
        />
      ))}
      {last < rows.length - 1 ? (
        <div
          className="hex-spacer"
          aria-hidden="true"
          style={{ height: (rows.length - 1 - last) * rowHeight }}
        />
      ) : null}
    </div>
  );
}
