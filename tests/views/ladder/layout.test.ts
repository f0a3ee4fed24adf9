import {
  LOST_LABEL_WIDTH,
  clipLabel,
  labelChip,
  ladderIndex,
  ladderLayout,
  lifelines,
  lostLabelPlace,
  scrollToKeep,
} from '../../../src/views/ladder/layout';
import type { Packet, Step, Timeline } from '../../../src/sim/types';
import { FIXTURE, PACKETS, STEPS, WALK_START } from '../fixture';

const opts = {
  width: 600,
  top: 0,
  height: 2000,
  cursor: 0,
  rowHeight: 40,
  pad: 10,
  margin: 50,
  headerHeight: 20,
};

/** A timeline of n copies of the fixture's "Hello" packet, one transmit step each. */
function big(n: number): Timeline {
  const base = PACKETS[5]!;
  const packets: Packet[] = Array.from({ length: n }, (_, i) => ({
    ...base,
    id: i,
    wireIndex: i + 1,
    from: i % 2 ? 'server' : 'client',
    to: i % 2 ? 'client' : 'server',
    summary: `#${i}`,
  }));
  const steps: Step[] = packets.map((p, i) => ({
    ...STEPS[WALK_START + 7]!,
    index: i,
    packet: p.id,
    chapter: i < n / 2 ? 'a' : 'b',
  }));
  return {
    ...FIXTURE,
    packets,
    steps,
    chapters: [
      { id: 'a', title: 'First half', firstStep: 0, lastStep: n / 2 - 1 },
      { id: 'b', title: 'Second half', firstStep: n / 2, lastStep: n - 1 },
    ],
  };
}

describe('ladderIndex', () => {
  it('puts packets in sending order and finds the first step of each', () => {
    const index = ladderIndex(FIXTURE);
    expect([...index.rowPacket]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(index.packetFirstStep[5]).toBe(WALK_START);
    expect(index.packetFirstStep[0]).toBe(1);
    expect(ladderIndex(FIXTURE)).toBe(index); // memoised per timeline
  });

  it('places steps without a packet just below the last packet seen', () => {
    const index = ladderIndex(FIXTURE);
    expect(index.stepRow[0]).toBe(-0.5);
    expect(index.stepRow[WALK_START - 1]).toBe(4.5);
    expect(index.stepRow[WALK_START]).toBe(5);
  });

  it('groups rows into chapter runs', () => {
    expect(ladderIndex(FIXTURE).runs).toEqual([
      { chapter: 'tcp-handshake', title: 'TCP handshake', firstRow: 0, lastRow: 2 },
      { chapter: 'ws-upgrade', title: 'WebSocket upgrade', firstRow: 3, lastRow: 4 },
      { chapter: 'ws-data', title: 'Messages', firstRow: 5, lastRow: 7 },
    ]);
  });
});

describe('ladderLayout', () => {
  it('draws client → server arrows rightwards and server → client leftwards, one row each', () => {
    const l = ladderLayout(FIXTURE, opts);
    expect(l.lifelines.map((x) => [x.host, x.x])).toEqual([
      ['client', 50],
      ['server', 550],
    ]);
    const [syn, synAck] = l.arrows;
    expect(syn).toMatchObject({ x1: 50, x2: 550, rightward: true, label: PACKETS[0]!.summary });
    expect(synAck).toMatchObject({ x1: 550, x2: 50, rightward: false });
    expect(synAck!.y1 - syn!.y1).toBe(40);
    expect(syn!.y2).toBeGreaterThan(syn!.y1);
    // Eight rows and three chapter title strips.
    expect(l.totalHeight).toBe(10 * 2 + 8 * 40 + 3 * 20);
    // The first arrow of a chapter sits below that chapter's title strip.
    const get = l.arrows.find((a) => a.packet === 3)!;
    expect(get.y1 - syn!.y1).toBe(3 * 40 + 20);
  });

  it('ends a lost packet part-way, with the retransmission drawn whole on its own row', () => {
    const l = ladderLayout(FIXTURE, opts);
    const lost = l.arrows.find((a) => a.packet === 6)!;
    expect(lost.lost).toBe(true);
    expect(lost.x2).toBeGreaterThan(50);
    expect(lost.x2).toBeLessThan(550);
    const again = l.arrows.find((a) => a.packet === 7)!;
    expect(again).toMatchObject({ retransmission: true, lost: false, x2: 50 });
  });

  it('marks past, current and future relative to the cursor', () => {
    const l = ladderLayout(FIXTURE, { ...opts, cursor: WALK_START + 3 });
    expect(l.arrows.map((a) => a.time)).toEqual([
      'past',
      'past',
      'past',
      'past',
      'past',
      'current',
      'future',
      'future',
    ]);
    const before = ladderLayout(FIXTURE, { ...opts, cursor: 0 });
    expect(before.arrows.every((a) => a.time === 'future')).toBe(true);
    expect(before.cursorY).toBe(10);
    const noPacket = ladderLayout(FIXTURE, { ...opts, cursor: WALK_START - 1 });
    expect(noPacket.arrows.filter((a) => a.time === 'past')).toHaveLength(5);
    expect(noPacket.arrows.some((a) => a.time === 'current')).toBe(false);
    // Just below packet 4 (row 4: second row of the second chapter).
    expect(noPacket.cursorY).toBe(10 + 2 * 20 + 5 * 40);
    const onPacket = ladderLayout(FIXTURE, { ...opts, cursor: WALK_START });
    expect(onPacket.cursorY).toBe(10 + 3 * 20 + 5 * 40 + 20);
  });

  it('shades chapters and marks the current one', () => {
    const l = ladderLayout(FIXTURE, { ...opts, cursor: 6 });
    expect(l.bands.map((b) => [b.title, b.y, b.height, b.current])).toEqual([
      ['TCP handshake', 10, 140, false],
      ['WebSocket upgrade', 150, 100, true],
      ['Messages', 250, 140, false],
    ]);
    // Titles sit in their own strip, above the band's first arrow label.
    for (const b of l.bands) expect(b.labelY).toBeLessThan(b.y + 20);
  });

  it('is virtualised: a 4000-packet timeline draws only the rows in view', () => {
    const t = big(4000);
    const l = ladderLayout(t, { ...opts, top: 40_000, height: 400, overscan: 2 });
    expect(l.arrows.length).toBeLessThanOrEqual(400 / 40 + 2 * 2 + 2);
    expect(l.arrows.length).toBeGreaterThanOrEqual(10);
    expect(l.arrows[0]!.row).toBe(l.firstRow);
    // Row r's top is 10 + 20 + 40 r in the first chapter: the first row reaching y = 40 000 is 999.
    expect(l.firstRow).toBe(999 - 2);
    for (const a of l.arrows) {
      expect(a.y1 + 40).toBeGreaterThan(40_000 - 2 * 40);
      expect(a.y1).toBeLessThan(40_400 + 3 * 40);
    }
    expect(l.bands).toHaveLength(1);
    expect(l.totalHeight).toBe(20 + 4000 * 40 + 2 * 20);
    const boundary = ladderLayout(t, { ...opts, top: 80_000, height: 400, overscan: 2 });
    expect(boundary.bands.map((b) => b.title)).toEqual(['First half', 'Second half']);
  });
});

describe('lifelines', () => {
  it('spreads clients left to right and puts the server last', () => {
    const hosts = [
      FIXTURE.hosts[1]!,
      FIXTURE.hosts[0]!,
      { ...FIXTURE.hosts[0]!, id: 'client-2', label: 'Browser 2' },
    ];
    const l = lifelines({ ...FIXTURE, hosts }, 500, 50);
    expect(l.map((x) => [x.host, x.x])).toEqual([
      ['client', 50],
      ['client-2', 250],
      ['server', 450],
    ]);
  });
});

describe('scrollToKeep', () => {
  it('leaves the scroll alone while the cursor is comfortably in view', () => {
    expect(scrollToKeep(300, 100, 400, 5000, 60)).toBe(100);
  });
  it('brings an out-of-view cursor to 40% of the window, clamped to the diagram', () => {
    expect(scrollToKeep(2000, 0, 400, 5000, 60)).toBe(2000 - 160);
    expect(scrollToKeep(10, 500, 400, 5000, 60)).toBe(0);
    expect(scrollToKeep(4990, 0, 400, 5000, 60)).toBe(4600);
  });
  it('brings a cursor that has just left the band to its other end, so the next steps need no scroll', () => {
    // Window 100–500, band 160–440: one row on (500 > y > 440) puts y at the band's top, 60 below the edge.
    expect(scrollToKeep(470, 100, 400, 5000, 60)).toBe(410);
    // Going back: just above the band, y goes to the band's bottom (clamped at the diagram's top).
    expect(scrollToKeep(1130, 1100, 400, 5000, 60)).toBe(1130 - 340);
    expect(scrollToKeep(130, 100, 400, 5000, 60)).toBe(0);
    // Stepping on from there needs no scroll until the band is crossed.
    expect(scrollToKeep(470 + 270, 410, 400, 5000, 60)).toBe(410);
    // A band too thin for two margins (a small window): back to 40 %.
    expect(scrollToKeep(150, 0, 110, 5000, 60)).toBe(150 - 44);
  });
});

describe('labelChip', () => {
  // A chip is 8 px a character + 12; a label character 7.9 px; chip and label are centred together.
  const arrow = { x1: 50, x2: 550, labelX: 300, label: '[SYN] Seq=0' };
  it('names the packet’s top protocol in its colour', () => {
    expect(labelChip(arrow, PACKETS[0]!, 500, 500)).toMatchObject({ name: 'TCP', colour: 'tcp', width: 36 });
    expect(labelChip(arrow, PACKETS[3]!, 500, 500)).toMatchObject({ name: 'HTTP', colour: 'app', width: 44 });
    expect(labelChip(arrow, PACKETS[5]!, 500, 500)).toMatchObject({ name: 'WS', colour: 'app', width: 28 });
    const sio = { ...PACKETS[5]!, layers: { ...PACKETS[5]!.layers, socketio: { start: 60, end: 65 } } };
    expect(labelChip(arrow, sio, 500, 500)).toMatchObject({ name: 'Socket.IO', colour: 'socketio' });
  });

  it('centres chip and label on the arrow', () => {
    const chip = labelChip(arrow, PACKETS[0]!, 500, 500);
    // 36 + 6 + 11 × 7.9 = 128.9 wide, centred on 300.
    expect(chip.x).toBeCloseTo(235.55);
    expect(chip.textX).toBeCloseTo(277.55);
    expect(chip.text).toBe('[SYN] Seq=0');
    // Centred as if no wider than the arrow: a 40 px arrow centres a 36 + 6 + 40 px group.
    expect(labelChip({ ...arrow, x1: 280, x2: 320 }, PACKETS[0]!, 500, 500).x).toBeCloseTo(259);
    // An arrow without length uses the fallback span.
    expect(labelChip({ ...arrow, x1: 300, x2: 300 }, PACKETS[0]!, 500, 40).x).toBeCloseTo(259);
  });

  it('moves a label longer than its short arrow inward instead of past the diagram’s edges', () => {
    // Four lifelines in 800 px (several clients and a server): the last hop is 220 px, its label 40 characters.
    const label = '[SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 M';
    const width = 800;
    for (const [x1, x2] of [
      [510, 730],
      [70, 290],
    ] as const) {
      const chip = labelChip({ x1, x2, labelX: (x1 + x2) / 2, label }, PACKETS[0]!, 660, width, 1, width);
      const end = chip.textX + chip.text.length * 7.9;
      expect(chip.text).toBe(label);
      expect(chip.x).toBeGreaterThanOrEqual(4);
      expect(end).toBeLessThanOrEqual(width - 4 + 1e-9);
    }
    // Without a diagram width (or when it fits) the centring is unchanged.
    expect(labelChip(arrow, PACKETS[0]!, 500, 500, 1, 600).x).toBeCloseTo(235.55);
  });

  it('cuts the label to the room between the outer lifelines less the chip', () => {
    // 100 - 36 - 24 = 40 px: five characters, the last an ellipsis.
    expect(labelChip(arrow, PACKETS[0]!, 100, 500).text).toBe('[SYN…');
  });
});

describe('clipLabel', () => {
  it('keeps what fits and cuts the rest with an ellipsis, never below four characters', () => {
    expect(clipLabel('abcde', 40)).toBe('abcde');
    expect(clipLabel('abcdef', 40)).toBe('abcd…');
    expect(clipLabel('abcdefgh', 0)).toBe('abc…');
    expect(clipLabel('abcd', 0)).toBe('abcd');
  });
});

describe('the "lost" label', () => {
  it.each([320, 390, 600, 760, 1200])('stays inside a %i px diagram for every lost packet', (width) => {
    for (const rightward of [true, false]) {
      for (let x2 = 0; x2 <= width; x2 += 7) {
        const at = lostLabelPlace(x2, rightward, width);
        const left = at.anchor === 'start' ? at.x : at.x - LOST_LABEL_WIDTH;
        expect(left, `x2=${x2}`).toBeGreaterThanOrEqual(0);
        expect(left + LOST_LABEL_WIDTH, `x2=${x2}`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('sits beyond the cross, towards where the packet was going, when there is room', () => {
    expect(lostLabelPlace(300, true, 800)).toEqual({ x: 316, anchor: 'start' });
    expect(lostLabelPlace(300, false, 800)).toEqual({ x: 284, anchor: 'end' });
    expect(lostLabelPlace(790, true, 800).anchor).toBe('end');
  });
});
