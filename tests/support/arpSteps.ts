/**
 * A real timeline (the OSI lesson, built by the simulator) with hand-made ARP steps (`Step.link`) put in
 * before its first packet leaves: the browser's request (broadcast) and the router's reply, as the engine's
 * ARP steps will be. Packet 0 carries both frames in `arp` (sim/engine/network.ts); the steps point at them.
 * Until the engine numbers them itself, the fixture gives them their wire numbers (1 and 2).
 */
import { lessonScenario } from '../../src/lesson/catalogue';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { LinkFrame, Packet, Step, Timeline } from '../../src/sim/types';

let osi: Timeline | undefined;

/** The OSI lesson's timeline, built once per test file. */
export function osiTimeline(): Timeline {
  osi ??= buildTimeline(lessonScenario('osi'), ALL_STORIES);
  return osi;
}

export interface ArpFixture {
  readonly timeline: Timeline;
  /** 0-based steps of the request and the reply. */
  readonly request: number;
  readonly reply: number;
  /** The 0-based step after them: packet 0's, the one that waited for the reply. */
  readonly next: number;
}

/**
 * `base` with two ARP steps inserted just before packet 0's layer-1 step: a packet-less step per frame,
 * about `packets[0].arp[0]` and `[1]`. `lost` marks the request lost (`LinkFrame.lost`, a 'drop' step).
 */
export function withArpSteps(base: Timeline = osiTimeline(), opts: { lost?: boolean } = {}): ArpFixture {
  const p0 = base.packets[0]!;
  const frames = p0.arp ?? [];
  if (frames.length < 2) throw new Error('packet 0 has no ARP exchange');
  const arp: LinkFrame[] = frames.map((f, i) => ({
    ...f,
    wireIndex: i + 1,
    ...(i === 0 && opts.lost ? { lost: true } : {}),
  }));
  const packets: Packet[] = [{ ...p0, arp }, ...base.packets.slice(1)];
  const at = base.steps.findIndex((s) => s.packet === 0 && s.layer === 1);
  if (at < 0) throw new Error('packet 0 has no layer-1 step');
  const model = base.steps[at]!;
  const linkStep = (index: number, frame: LinkFrame): Step => {
    const { packet: _packet, message: _message, code: _code, console: _console, ...rest } = model;
    return {
      ...rest,
      index: at + index,
      host: frame.from,
      layer: 2,
      kind: frame.lost ? 'drop' : 'transmit',
      link: { packet: 0, hop: null, index },
      title: `ARP: ${frame.summary}`,
      text: `The ${frame.from} puts an ARP frame on the wire: ${frame.summary}.`,
    };
  };
  const inserted = [linkStep(0, arp[0]!), linkStep(1, arp[1]!)];
  const steps: Step[] = [
    ...base.steps.slice(0, at),
    ...inserted,
    ...base.steps.slice(at).map((s) => ({ ...s, index: s.index + inserted.length })),
  ];
  const chapters = base.chapters.map((c) => ({
    ...c,
    firstStep: c.firstStep > at ? c.firstStep + inserted.length : c.firstStep,
    lastStep: c.lastStep >= at ? c.lastStep + inserted.length : c.lastStep,
  }));
  return {
    timeline: { ...base, packets, steps, chapters },
    request: at,
    reply: at + 1,
    next: at + 2,
  };
}
