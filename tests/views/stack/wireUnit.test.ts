import { FIXTURE, PACKETS, STEPS, WALK_START } from '../fixture';
import { frameBlocks, unitAt, unitBlocks, unitChange } from '../../../src/views/stack/wireUnit';
import type { Step } from '../../../src/sim/types';

const hello = PACKETS[5]!;
const walkDown = STEPS.slice(WALK_START, WALK_START + 7);
const transmit = STEPS[WALK_START + 7]!;
const walkUp = STEPS.slice(WALK_START + 8, WALK_START + 15);

describe('unitBlocks', () => {
  it('starts a simulated unit with the preamble, and a captured one (which never recorded it) without', () => {
    expect(unitBlocks(hello)[0]!.id).toBe('preamble');
    const captured = {
      ...hello,
      padding: 0,
      captured: { record: 6, link: 'ethernet', originalLength: hello.frame.length },
    };
    const blocks = unitBlocks(captured);
    expect(blocks.map((b) => b.id)).not.toContain('preamble');
    expect(blocks.map((b) => b.id)).not.toContain('fcs');
    expect(blocks[0]!.start).toBe(0);
  });
});

describe('frameBlocks', () => {
  it('cuts the frame into contiguous blocks that cover every byte, then padding and FCS', () => {
    for (const p of PACKETS) {
      const blocks = frameBlocks(p);
      let at = 0;
      for (const b of blocks) {
        expect(b.start).toBe(at);
        expect(b.end).toBeGreaterThan(b.start);
        at = b.end;
      }
      expect(at).toBe(p.frame.length + p.padding + 4);
      expect(blocks.at(-1)!.id).toBe('fcs');
      expect(blocks.some((b) => b.id === 'padding')).toBe(p.padding > 0);
    }
  });

  it('separates the WebSocket header from the data it carries', () => {
    const blocks = frameBlocks(hello);
    expect(blocks.map((b) => `${b.name}:${b.end - b.start}`)).toEqual([
      'Ethernet:14',
      'IPv4:20',
      'TCP:20',
      'WebSocket:6',
      'data:5',
      'FCS:4',
    ]);
    expect(blocks.find((b) => b.id === 'data')!.detail).toBe('Hello');
  });

  it('gives a SYN no data block and pads a 54-byte ACK to 60', () => {
    expect(frameBlocks(PACKETS[0]!).map((b) => b.id)).toEqual(['ethernet', 'ipv4', 'tcp', 'fcs']);
    const ack = frameBlocks(PACKETS[2]!);
    expect(ack.find((b) => b.id === 'padding')).toMatchObject({ start: 54, end: 60, trailer: true });
  });
});

describe('unitAt', () => {
  it('grows on the way down the sender: each layer adds its own header, 6 and 5 add none', () => {
    const sizes = walkDown.map((s) =>
      unitAt(FIXTURE, s)!
        .blocks.map((b) => b.id)
        .join(','),
    );
    expect(sizes).toEqual([
      'websocket,data',
      'websocket,data',
      'websocket,data',
      'tcp,websocket,data',
      'ipv4,tcp,websocket,data',
      'ethernet,ipv4,tcp,websocket,data,fcs',
      'preamble,ethernet,ipv4,tcp,websocket,data,fcs',
    ]);
    const at4 = unitAt(FIXTURE, walkDown[3])!;
    expect(at4.blocks.filter((b) => b.state === 'adding').map((b) => b.id)).toEqual(['tcp']);
    expect(unitAt(FIXTURE, walkDown[1])!.blocks.every((b) => b.state === 'present')).toBe(true);
    expect(unitAt(FIXTURE, walkDown[6])!.bits).toBe(true);
    expect(unitAt(FIXTURE, walkDown[6])!.blocks[0]).toMatchObject({
      id: 'preamble',
      state: 'adding',
      start: -8,
    });
    expect(unitAt(FIXTURE, walkDown[0])!.at).toBe('sender');
  });

  it('crosses the wire whole, as bits', () => {
    const u = unitAt(FIXTURE, transmit)!;
    expect(u.at).toBe('wire');
    expect(u.bits).toBe(true);
    expect(u.blocks.map((b) => b.id)).toEqual(unitBlocks(hello).map((b) => b.id));
    expect(u.blocks[0]!.id).toBe('preamble');
  });

  it('shrinks on the way up the receiver: each layer removes what its peer added', () => {
    const up = walkUp.map((s) => unitAt(FIXTURE, s)!);
    expect(up.every((u) => u.at === 'receiver')).toBe(true);
    expect(up[0]!.blocks.find((b) => b.id === 'preamble')!.state).toBe('removing');
    expect(up[1]!.blocks.some((b) => b.id === 'preamble')).toBe(false);
    const at2 = up[1]!;
    expect(at2.blocks.filter((b) => b.state === 'removing').map((b) => b.id)).toEqual(['ethernet', 'fcs']);
    const at4 = up[3]!;
    expect(at4.blocks.map((b) => b.id)).toEqual(['tcp', 'websocket', 'data']);
    expect(at4.blocks.find((b) => b.id === 'tcp')!.state).toBe('removing');
    // The data itself is never "removed": it is what the application receives.
    expect(up[6]!.blocks.find((b) => b.id === 'data')!.state).toBe('present');
  });

  it('marks a dropped packet lost, and a step without a packet has no unit', () => {
    const drop = STEPS.find((s) => s.kind === 'drop')!;
    expect(unitAt(FIXTURE, drop)!.lost).toBe(true);
    expect(unitAt(FIXTURE, STEPS[0])).toBeNull();
    expect(unitAt(FIXTURE, undefined)).toBeNull();
  });
});

describe('unitChange', () => {
  const line = (s: Step | undefined) => unitChange(unitAt(FIXTURE, s), s);
  it('says what each layer added on the way down', () => {
    expect(line(walkDown[0])).toBe('+ WebSocket header: 6 bytes, added by layer 7 (application)');
    expect(line(walkDown[1])).toBe('layer 6 (presentation) adds no header: the unit stays 11 bytes');
    expect(line(walkDown[3])).toBe('+ TCP header: 20 bytes, added by layer 4 (transport)');
    expect(line(walkDown[5])).toBe('+ Ethernet header + FCS: 18 bytes, added by layer 2 (data link)');
  });
  it('says what each layer removed on the way up', () => {
    expect(line(walkUp[1])).toBe('− Ethernet header + FCS: 18 bytes, removed by layer 2 (data link)');
    expect(line(walkUp[4])).toBe('layer 5 (session) removes nothing: no header of its own');
  });
  it('is silent for bits and for steps that do not walk', () => {
    expect(line(walkDown[6])).toBeNull();
    expect(line(transmit)).toBeNull();
    expect(line(STEPS[0])).toBeNull();
  });
});

describe('unitChange for a segment without data', () => {
  it('says there is no application data at the upper layers', () => {
    const synWalk: Step = { ...walkDown[0]!, packet: 0 };
    expect(unitChange(unitAt(FIXTURE, synWalk), synWalk)).toBe(
      "layer 7 (application): no application data, this segment is TCP's own",
    );
  });
});
