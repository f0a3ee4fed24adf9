import { CLIENT, FIXTURE, PACKETS, SERVER, STEPS, WALK_START } from '../fixture';
import { frameBlocks, unitAt } from '../../../src/views/stack/wireUnit';
import {
  cableLabel,
  changeBox,
  type Box,
  barPlacement,
  blockLabel,
  describeUnit,
  fitLines,
  signalBox,
  unitBarLayout,
  unitBytes,
} from '../../../src/views/wire/layout';

const hello = PACKETS[5]!;
const walkDown = STEPS.slice(WALK_START, WALK_START + 7);
const transmit = STEPS[WALK_START + 7]!;
const walkUp = STEPS.slice(WALK_START + 8, WALK_START + 15);
const hosts = { left: CLIENT, right: SERVER };

describe('barPlacement', () => {
  // 1000 px: the bar is 84 % wide (840), 10 px from the left edge or 150 px (1000 - 10 - 840).
  it('stands at the sender while it wraps the unit, and does not travel', () => {
    expect(barPlacement(1000, unitAt(FIXTURE, walkDown[0]), walkDown[0], hosts)).toEqual({
      width: 840,
      x: 10,
      travelFrom: 0,
    });
  });

  it('crosses the wire from the sender’s side to the receiver’s', () => {
    expect(barPlacement(1000, unitAt(FIXTURE, transmit), transmit, hosts)).toEqual({
      width: 840,
      x: 150,
      travelFrom: -140,
    });
    // Once received, the unit stands at the receiver without moving again.
    const receive = { ...transmit, kind: 'receive' as const };
    expect(barPlacement(1000, unitAt(FIXTURE, receive), receive, hosts)).toMatchObject({
      x: 150,
      travelFrom: 0,
    });
    expect(barPlacement(1000, unitAt(FIXTURE, walkUp[3]), walkUp[3], hosts)).toMatchObject({ x: 150 });
  });

  it('mirrors for a packet from the right-hand host, and stops a lost unit half way', () => {
    const back = { packet: { ...hello, from: 'server', to: 'client' }, at: 'sender' as const, lost: false };
    expect(barPlacement(1000, back, walkDown[0], hosts).x).toBe(150);
    expect(barPlacement(1000, { ...back, at: 'wire' }, transmit, hosts)).toMatchObject({
      x: 10,
      travelFrom: 140,
    });
    // The lost "Hi!" goes from the server (right) to the browser: it stops in the middle, 70 px from its start.
    const drop = STEPS.find((s) => s.kind === 'drop')!;
    expect(barPlacement(1000, unitAt(FIXTURE, drop), drop, hosts)).toMatchObject({ x: 80, travelFrom: 70 });
  });

  it('keeps the bar at least 160 px wide, and at the left without a unit', () => {
    expect(barPlacement(180, unitAt(FIXTURE, transmit), transmit, hosts)).toEqual({
      width: 160,
      x: 10,
      travelFrom: 0,
    });
    expect(barPlacement(1000, null, STEPS[0], hosts)).toEqual({ width: 840, x: 10, travelFrom: 0 });
  });
});

describe('blockLabel', () => {
  // At a 16 px root font a bold character is 0.92 × 16 × 0.64 ≈ 9.42 px, plus 8 px of room.
  const ethernet = frameBlocks(hello).find((b) => b.id === 'ethernet')!;
  const data = frameBlocks(hello).find((b) => b.id === 'data')!;
  it('prints the full name where it fits, else the shorter one, else the shortest', () => {
    expect(blockLabel(ethernet, 84, 16)).toBe('Ethernet');
    expect(blockLabel(ethernet, 83, 16)).toBe('Eth');
    expect(blockLabel(ethernet, 10, 16)).toBe('Eth');
    expect(blockLabel(ethernet, 60, 8)).toBe('Ethernet');
    expect(blockLabel({ name: 'TCP', colour: 'tcp' }, 1, 16)).toBe('TCP');
  });

  it('prints a data block’s message, else "data", else an ellipsis', () => {
    expect(blockLabel(data, 74, 16)).toBe('"Hello"');
    expect(blockLabel(data, 73, 16)).toBe('data');
    expect(blockLabel(data, 45, 16)).toBe('…');
    expect(blockLabel({ name: 'data', colour: 'data' }, 200, 16)).toBe('data');
  });
});

describe('signalBox', () => {
  it('puts the signal 6 px under the bar and gives it the height left, 56 to 90 px', () => {
    expect(signalBox(170)).toEqual({ top: 60, height: 90 });
    expect(signalBox(130)).toEqual({ top: 60, height: 68 });
    expect(signalBox(100)).toEqual({ top: 60, height: 56 });
  });
});

describe('unitBytes and describeUnit', () => {
  it('counts what the unit keeps once the step is done', () => {
    // Layer 2 of the receiver removes the Ethernet header (14) and FCS (4) of a 69-byte frame + FCS.
    expect(unitBytes(unitAt(FIXTURE, walkUp[1])!)).toBe(51);
    expect(unitBytes(unitAt(FIXTURE, walkDown[3])!)).toBe(31);
    expect(unitBytes(unitAt(FIXTURE, transmit)!)).toBe(8 + 65 + 4);
  });

  it('says where the unit is and what it is made of', () => {
    expect(describeUnit(unitAt(FIXTURE, walkDown[3])!, 'Browser', 'Server')).toBe(
      'The unit at the Browser: TCP 20 bytes (just added), WebSocket 6 bytes, data 5 bytes.',
    );
    expect(describeUnit(unitAt(FIXTURE, walkUp[6])!, 'Browser', 'Server')).toBe(
      'The unit at the Server: WebSocket 6 bytes (being removed), data 5 bytes.',
    );
    expect(describeUnit(unitAt(FIXTURE, transmit)!, 'Browser', 'Server')).toMatch(
      /^The unit on the wire from Browser to Server: preamble 8 bytes, Ethernet 14 bytes, /,
    );
  });
});

describe('fitLines', () => {
  it('keeps a caption that fits on one line, and splits a long one at the space nearest its middle', () => {
    // 9.5 px a character: 20 characters need 190 px.
    expect(fitLines('twenty chars caption', 190)).toEqual(['twenty chars caption']);
    expect(fitLines('twenty chars caption', 189)).toEqual(['twenty chars', 'caption']);
    const long = 'layer 6 (presentation): no application data, this segment is TCP’s own';
    const lines = fitLines(long, 400);
    expect(lines).toEqual(['layer 6 (presentation): no application', 'data, this segment is TCP’s own']);
    expect(fitLines('x'.repeat(100), 100)).toEqual(['x'.repeat(100)]);
  });
});

describe('unitBarLayout', () => {
  const blocks = frameBlocks(hello);
  it('fills the width exactly, in order, with every block at least the minimum', () => {
    const placed = unitBarLayout(blocks, 600, 50);
    expect(placed.map((p) => p.id)).toEqual(blocks.map((b) => b.id));
    let x = 0;
    for (const p of placed) {
      expect(p.x).toBeCloseTo(x);
      expect(p.width).toBeGreaterThanOrEqual(50);
      x += p.width;
    }
    expect(x).toBeCloseTo(600);
  });

  it('gives more bytes more room', () => {
    const placed = unitBarLayout(blocks, 600, 40);
    const w = (id: string) => placed.find((p) => p.id === id)!.width;
    expect(w('ipv4')).toBeGreaterThan(w('fcs'));
    expect(w('ipv4')).toBeCloseTo(w('tcp'));
  });

  it('shrinks the minimum when the width is too small for it', () => {
    const placed = unitBarLayout(blocks, 120, 50);
    expect(placed.reduce((a, p) => a + p.width, 0)).toBeCloseTo(120);
    expect(unitBarLayout([], 100, 10)).toEqual([]);
  });
});

describe('the idle cable label', () => {
  const overlap = (a: Box, b: Box) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

  it('is in the middle when nothing is written above the cable', () => {
    expect(cableLabel(null, 600, 60, 16)).toMatchObject({ x: 300, anchor: 'middle' });
  });

  it.each([
    ['+ IPv4 header: 20 bytes, added by layer 3 (network)', 560, 56, 15.6],
    ['+ IPv4 header: 20 bytes, added by layer 3 (network)', 380, 56, 17.2],
    ['− TCP header: 32 bytes, read and removed by layer 4 (transport)', 300, 60, 20],
    ['+ WebSocket frame header: 6 bytes, added by layer 7 (application)', 740, 90, 17.2],
    ['short', 600, 56, 16],
  ])('never overlaps the change caption %j (%i px, box %i px, em %f)', (text, width, height, em) => {
    const lines = fitLines(text, width);
    const caption = changeBox(lines, width, em)!;
    const label = cableLabel(caption, width, height, em);
    if (label) {
      expect(overlap(label.box, caption)).toBe(false);
      expect(label.box.left).toBeGreaterThanOrEqual(0);
      expect(label.box.right).toBeLessThanOrEqual(width);
    }
  });
});
