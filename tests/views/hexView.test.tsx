// @vitest-environment jsdom
/**
 * The hex dump draws only the rows in view. jsdom has no layout, so the scroll box's size and the row height
 * are given (the component falls back to its estimate when the row measures 0).
 */
import { act, fireEvent, render } from '@testing-library/react';
import { useRef } from 'react';
import { hexDump } from '../../src/views/hex/layout';
import { HexView, visibleRows } from '../../src/views/inspector/HexView';
import type { Packet } from '../../src/sim/types';
import { FIXTURE } from './fixture';

describe('visibleRows', () => {
  it('the rows crossing the window, plus the overscan, clamped to the dump', () => {
    expect(visibleRows(100, 0, 100, 20, 2)).toEqual([0, 6]);
    expect(visibleRows(100, 410, 100, 20, 2)).toEqual([18, 27]);
    expect(visibleRows(100, 5000, 100, 20, 2)).toEqual([99, 99]);
    expect(visibleRows(3, 0, 500, 20, 8)).toEqual([0, 2]);
    expect(visibleRows(0, 0, 500, 20, 8)).toEqual([0, -1]);
  });
});

/** The fixture's "Hello" frame stretched to a full-size frame: 1500 bytes, the same fields. */
function bigPacket(): Packet {
  const base = FIXTURE.packets[5]!;
  const frame = new Uint8Array(1500);
  frame.set(base.frame);
  return { ...base, frame, padding: 0 };
}

function Harness({ packet, selected }: { packet: Packet; selected: readonly [number, number] | null }) {
  const box = useRef<HTMLDivElement | null>(null);
  const dump = hexDump(packet, 16);
  return (
    <div ref={box} className="hex-scroll">
      <HexView
        dump={dump}
        selected={selected}
        hovered={null}
        onByte={() => {}}
        onHoverByte={() => {}}
        scrollBox={box}
        viewHeight={210}
      />
    </div>
  );
}

describe('HexView', () => {
  const offsets = (c: HTMLElement) =>
    [...c.querySelectorAll('.hex-bytes [data-offset]')].map((e) => Number(e.getAttribute('data-offset')));

  it('draws the visible rows of a full-size frame, with spacers for the rest', () => {
    const { container } = render(<Harness packet={bigPacket()} selected={null} />);
    const rows = container.querySelectorAll('.hex-row');
    // 210 px at the 21 px estimate: 10 rows, +8 below (none above at the top); 1500 + 4 FCS bytes are 94 rows.
    expect(rows).toHaveLength(18);
    expect(offsets(container)[0]).toBe(0);
    const spacers = [...container.querySelectorAll<HTMLElement>('.hex-spacer')];
    expect(spacers.map((s) => s.style.height)).toEqual([`${(94 - 18) * 21}px`]);
  });

  it('scrolling moves the window', async () => {
    const { container } = render(<Harness packet={bigPacket()} selected={null} />);
    const box = container.querySelector<HTMLElement>('.hex-scroll')!;
    box.scrollTop = 50 * 21;
    await act(async () => {
      fireEvent.scroll(box);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    });
    const drawn = offsets(container);
    expect(drawn[0]).toBe((50 - 8) * 16);
    expect(drawn).toContain(55 * 16);
    expect(container.querySelectorAll('.hex-spacer')).toHaveLength(2);
  });

  it('selecting a field outside the window scrolls to it and draws its bytes', () => {
    const { container, rerender } = render(<Harness packet={bigPacket()} selected={null} />);
    expect(offsets(container)).not.toContain(1200);
    rerender(<Harness packet={bigPacket()} selected={[1200, 1210]} />);
    const box = container.querySelector<HTMLElement>('.hex-scroll')!;
    expect(box.scrollTop).toBeGreaterThan(0);
    const selected = [...container.querySelectorAll('.hex-bytes .byte.is-selected')].map((e) =>
      Number(e.getAttribute('data-offset')),
    );
    expect(selected).toEqual([1200, 1201, 1202, 1203, 1204, 1205, 1206, 1207, 1208, 1209]);
  });
});
