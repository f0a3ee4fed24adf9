/**
 * TCP as Linux behaves (sim/engine/tcp.ts ACK POLICY, SACK, RST): the simulator's acknowledgments against
 * the reference capture chromium-ws.pcap (Chromium 156 and ws 8 across a Linux router), the teardown's three
 * or four segments, SACK blocks and SACK-based recovery, and resets for segments no connection owns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEthernet } from '../../src/protocol/ethernet';
import { decodeIpv4 } from '../../src/protocol/ipv4';
import { decodePcap } from '../../src/protocol/pcap';
import { decodeTcp, type TcpOption } from '../../src/protocol/tcp';
import { NS_PER_MS, World, type Socket } from '../../src/sim/engine/network';
import {
  TcpEndpoint,
  type TcpEvent,
  type TcpSegmentIn,
  type TcpTransmission,
} from '../../src/sim/engine/tcp';
import { CLIENT_HOST, SERVER_HOST } from '../../src/sim/stories/hosts';
import type { Packet } from '../../src/sim/types';

/** One segment of one connection, as either source sees it; times in milliseconds. */
interface Seg {
  readonly from: 'browser' | 'server';
  readonly relSeq: number;
  readonly relAck: number;
  readonly len: number;
  readonly syn: boolean;
  readonly fin: boolean;
  /** When it left its sender. */
  readonly sentAt: number;
  /** When it reached its receiver. */
  readonly arrivesAt: number;
}

type AckKind = 'immediate' | 'delayed' | 'piggybacked' | 'fin';

/**
 * How the receiver acknowledged each data segment and FIN of `from`: the first segment the other side sent
 * after it arrived that covers it is a FIN ('fin'), carries data ('piggybacked'), or is a pure ACK sent at
 * once ('immediate', under 20 ms) or after waiting ('delayed').
 */
function ackPattern(segs: readonly Seg[], from: Seg['from']): AckKind[] {
  const out: AckKind[] = [];
  for (const s of segs) {
    if (s.from !== from || s.syn || (s.len === 0 && !s.fin)) continue;
    const end = s.relSeq + s.len + (s.fin ? 1 : 0);
    const a = segs.find((x) => x.from !== from && x.sentAt >= s.arrivesAt && x.relAck >= end);
    if (!a) throw new Error(`no ACK for ${from} segment at ${s.relSeq}`);
    if (a.fin) out.push('fin');
    else if (a.len > 0) out.push('piggybacked');
    else out.push(a.sentAt - s.arrivesAt < 20 ? 'immediate' : 'delayed');
  }
  return out;
}

/** The WebSocket connection of chromium-ws.pcap (browser port 46226), captured at the browser's card. */
function referenceSegments(): Seg[] {
  const file = decodePcap(
    new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/capture/routed/chromium-ws.pcap'))),
  );
  if (!file.ok) throw new Error(file.error.message);
  const segs: Seg[] = [];
  let isn: Record<Seg['from'], number> | null = null;
  const t0 = file.repr.records[0]!.timestampUs;
  for (const r of file.repr.records) {
    const eth = decodeEthernet(r.data);
    if (!eth.ok) continue;
    const ip = decodeIpv4(eth.payload);
    if (!ip.ok) continue;
    const tcp = decodeTcp(ip.payload);
    if (!tcp.ok) continue;
    const { srcPort, dstPort, seq, ack, flags } = tcp.repr;
    if (srcPort !== 46226 && dstPort !== 46226) continue;
    const from: Seg['from'] = srcPort === 46226 ? 'browser' : 'server';
    const syn = flags.includes('SYN');
    if (syn && from === 'browser') isn = { browser: seq, server: 0 };
    if (syn && from === 'server' && isn) isn.server = seq;
    if (!isn) continue;
    const other = from === 'browser' ? 'server' : 'browser';
    const t = (r.timestampUs - t0) / 1000;
    segs.push({
      from,
      relSeq: (seq - isn[from]) >>> 0,
      relAck: flags.includes('ACK') ? (ack - isn[other]) >>> 0 : 0,
      len: tcp.payload.length,
      syn,
      fin: flags.includes('FIN'),
      // Captured at the browser: its own segments as they leave, the server's as they arrive; the
      // router adds some 20 µs, far below the 20 ms that separates an immediate ACK from a delayed one.
      sentAt: t,
      arrivesAt: t,
    });
  }
  return segs;
}

/**
 * The same exchange in the simulator, each program reacting as long after what it received as the real
 * one did (chromium-ws.pcap frames 13-34): GET 5 ms after the handshake, the 101 after 30.8 ms and
 * Welcome 5.4 ms later, Hello 63 ms after Welcome, Hi! after 4.6 ms and a ping 0.3 ms later, the pong
 * after 7.2 ms, the Close 103 ms after the pong, the echo after 1.4 ms and the server's FIN 1.4 ms later,
 * the browser's FIN 0.2 ms after the server's arrived.
 */
function simulatedSegments(): Seg[] {
  const world = new World({
    seed: 11,
    mss: 1460,
    loss: [],
    observer: { sent() {}, onWire() {}, arrived() {}, tcp() {} },
  });
  const after = (ms: number, fn: () => void): void => world.schedule(world.now + ms * NS_PER_MS, fn);
  const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(0x61);
  world.listen(SERVER_HOST, 80, (s) => {
    let writes = 0;
    s.handlers = {
      data: () => {
        writes++;
        if (writes === 1) {
          after(30.8, () => s.write(bytes(129)));
          after(36.2, () => s.write(bytes(10)));
        } else if (writes === 2) {
          after(4.6, () => s.write(bytes(5)));
          after(4.9, () => s.write(bytes(2)));
        } else if (writes === 4) {
          after(1.4, () => s.write(bytes(7)));
          after(2.8, () => s.end());
        }
      },
    };
  });
  let got = 0;
  const client: Socket = world.connect(CLIENT_HOST, SERVER_HOST, 80, {
    established: () => after(5, () => client.write(bytes(487))),
    data: () => {
      got++;
      if (got === 2) after(63, () => client.write(bytes(11)));
      if (got === 4) {
        after(7.2, () => client.write(bytes(6)));
        after(110.3, () => client.write(bytes(11)));
      }
    },
    end: () => after(0.2, () => client.end()),
  });
  world.run();
  return world.packets.map((p: Packet) => ({
    from: p.from === 'client' ? 'browser' : 'server',
    relSeq: p.tcp.relSeq,
    relAck: p.tcp.relAck,
    len: p.tcp.len,
    syn: p.tcp.flags.includes('SYN'),
    fin: p.tcp.flags.includes('FIN'),
    sentAt: p.sentAt,
    arrivesAt: p.arrivesAt,
  }));
}

describe('ACKs as Linux sends them, against chromium-ws.pcap', () => {
  const reference = referenceSegments();
  const simulated = simulatedSegments();

  it('reads the reference: quick ACKs, a piggybacked one, a 40 ms delayed one, the FIN carrying the ACK', () => {
    // Frames 16-35: the browser ACKs the 101, Welcome, Hi! and the ping at once (quick-ACK mode, frames 17,
    // 19, 25, 27); its FIN carries the ACK of the Close echo and of the server's FIN (frame 34).
    expect(ackPattern(reference, 'server')).toEqual([
      'immediate',
      'immediate',
      'immediate',
      'immediate',
      'fin',
      'fin',
    ]);
    // The server ACKs the GET at once (frame 15), Hello rides on Hi! (frame 24), the pong waits for the
    // delayed-ACK timer (frame 29, 43 ms), the Close is ACKed at once (frame 31), the FIN too (frame 35).
    expect(ackPattern(reference, 'browser')).toEqual([
      'immediate',
      'piggybacked',
      'delayed',
      'immediate',
      'immediate',
    ]);
  });

  it('acknowledges each segment of the server → browser direction as the real browser did', () => {
    expect(ackPattern(simulated, 'server')).toEqual(ackPattern(reference, 'server'));
  });

  it('acknowledges each segment of the browser → server direction as the real server did', () => {
    expect(ackPattern(simulated, 'browser')).toEqual(ackPattern(reference, 'browser'));
    // The delayed ACK left 40 ms (TCP_DELACK_MIN) after the pong arrived; the capture shows 43.5 ms (jiffies).
    const pong = simulated.filter((s) => s.from === 'browser' && s.len === 6)[0]!;
    const ack = simulated.find((s) => s.from === 'server' && s.sentAt > pong.arrivesAt)!;
    expect(ack.sentAt - pong.arrivesAt).toBeCloseTo(40, 6);
  });

  it('has each side send the same segments in the same order (the browser ends with FIN + ACK)', () => {
    // Per direction: the path delays differ (0.1 ms in the capture, 10 ms here), so the two directions
    // interleave differently; what each side sends, and in what order, is the same.
    const shape = (segs: readonly Seg[], from: Seg['from']): string[] =>
      segs.filter((s) => s.from === from).map((s) => `${s.syn ? 'SYN ' : ''}${s.fin ? 'FIN ' : ''}${s.len}`);
    for (const side of ['browser', 'server'] as const) {
      expect(shape(simulated, side)).toEqual(shape(reference, side));
    }
    expect(shape(simulated, 'browser').slice(-1)).toEqual(['FIN 0']);
  });
});

/** Two raw endpoints: the client writes `size` bytes once established; `loss` as in the scenario. */
function bulk(size: number, loss: number[] = []) {
  const world = new World({
    seed: 3,
    mss: 1460,
    loss,
    observer: { sent() {}, onWire() {}, arrived() {}, tcp() {} },
  });
  let received = 0;
  world.listen(SERVER_HOST, 80, (s) => {
    s.handlers = { data: (b) => (received += b.length) };
  });
  const client = world.connect(CLIENT_HOST, SERVER_HOST, 80, {
    established: () => client.write(new Uint8Array(size).fill(0x62)),
  });
  world.run();
  return { world, received: () => received };
}

const pureAcks = (packets: readonly Packet[], from: string): Packet[] =>
  packets.filter((p) => p.from === from && p.tcp.len === 0 && p.tcp.flags.join() === 'ACK');

function sackOf(p: Packet): { left: number; right: number }[] {
  const frame = p.frame;
  const ip = decodeIpv4(frame.subarray(14));
  if (!ip.ok) throw new Error(ip.error.message);
  const tcp = decodeTcp(ip.payload);
  if (!tcp.ok) throw new Error(tcp.error.message);
  const base = (p.tcp.ack - p.tcp.relAck) >>> 0;
  const sack = tcp.repr.options.find((o): o is Extract<TcpOption, { kind: 'sack' }> => o.kind === 'sack');
  return (sack?.blocks ?? []).map((b) => ({ left: (b.left - base) >>> 0, right: (b.right - base) >>> 0 }));
}

describe('the delayed-ACK rules', () => {
  it('ACKs the first 16 segments at once (quick-ACK mode), then every second full-sized segment', () => {
    const mss = 1448;
    const { world, received } = bulk(mss * 40);
    expect(received()).toBe(mss * 40);
    const acks = pureAcks(world.packets, 'server');
    const steps = acks.map((a, i) => a.tcp.relAck - (i === 0 ? 1 : acks[i - 1]!.tcp.relAck));
    // TCP_MAX_QUICKACKS = 16: one ACK per segment.
    expect(steps.slice(0, 16)).toEqual(new Array(16).fill(mss));
    // Then "more than one full frame received" (__tcp_ack_snd_check): one ACK per two segments.
    expect(steps.slice(16)).toEqual(new Array(12).fill(2 * mss));
    expect(acks.every((a) => a.ackWhy === (acks.indexOf(a) < 16 ? 'quick' : 'two-full-segments'))).toBe(true);
  });

  it('lets an odd last segment wait for the 40 ms delayed-ACK timer', () => {
    const mss = 1448;
    const { world } = bulk(mss * 41);
    const last = pureAcks(world.packets, 'server').at(-1)!;
    const lastData = world.packets.filter((p) => p.from === 'client' && p.tcp.len > 0).at(-1)!;
    expect(last.tcp.relAck).toBe(1 + mss * 41);
    expect(last.ackWhy).toBe('delayed');
    expect(last.sentAt - lastData.arrivesAt).toBeCloseTo(40, 6);
  });
});

describe('SACK (RFC 2018)', () => {
  const mss = 1448;

  it('sends SACK blocks in duplicate ACKs and resends only the hole', () => {
    // SYN, SYN-ACK, ACK, then data from #4: the second data segment (#5) is lost.
    const { world, received } = bulk(mss * 6, [5]);
    expect(received()).toBe(mss * 6);
    const dups = pureAcks(world.packets, 'server').filter((p) => p.tcp.relAck === 1 + mss);
    expect(dups).toHaveLength(5); // the ACK of segment 1, then one duplicate for each of segments 3-6
    expect(dups.map(sackOf)).toEqual([
      [],
      [{ left: 1 + 2 * mss, right: 1 + 3 * mss }],
      [{ left: 1 + 2 * mss, right: 1 + 4 * mss }],
      [{ left: 1 + 2 * mss, right: 1 + 5 * mss }],
      [{ left: 1 + 2 * mss, right: 1 + 6 * mss }],
    ]);
    const resent = world.packets.filter((p) => p.retransmissionOf !== undefined);
    expect(resent.map((p) => [p.tcp.relSeq, p.retransmitReason])).toEqual([[1 + mss, 'fast-retransmit']]);
  });

  it('with two holes puts the newest block first and resends both holes, nothing SACKed', () => {
    // Segments 2 and 4 (#5 and #7) are lost.
    const { world, received } = bulk(mss * 8, [5, 7]);
    expect(received()).toBe(mss * 8);
    const withTwo = pureAcks(world.packets, 'server').find((p) => sackOf(p).length === 2)!;
    // RFC 2018 §4: the block holding the segment that just arrived comes first.
    expect(sackOf(withTwo)).toEqual([
      { left: 1 + 4 * mss, right: 1 + 5 * mss },
      { left: 1 + 2 * mss, right: 1 + 3 * mss },
    ]);
    const resent = world.packets.filter((p) => p.retransmissionOf !== undefined).map((p) => p.tcp.relSeq);
    expect(resent).toEqual([1 + mss, 1 + 3 * mss]);
  });

  it('sends no SACK blocks when the peer did not offer SACK_PERM', () => {
    const sent: TcpTransmission[] = [];
    const ep = new TcpEndpoint(
      { transmit: (t) => sent.push(t) - 1, setTimer() {}, event() {} },
      { connection: 0, localPort: 80, remotePort: 50000, iss: 1000, mss: 1460, tsOffset: 0 },
    );
    ep.listen();
    const seg = (o: Partial<TcpSegmentIn>): TcpSegmentIn => ({
      seq: 0,
      ack: 0,
      flags: ['ACK'],
      window: 502,
      options: [],
      payload: new Uint8Array(0),
      ...o,
    });
    ep.segmentArrives(seg({ seq: 5000, flags: ['SYN'], options: [{ kind: 'mss', value: 1460 }] }), 0);
    ep.output(0);
    ep.segmentArrives(seg({ seq: 5001, ack: 1001 }), 1);
    ep.segmentArrives(seg({ seq: 5101, ack: 1001, payload: new Uint8Array(100) }), 2);
    ep.output(2);
    const dup = sent.at(-1)!;
    expect(dup.relAck).toBe(1);
    expect(dup.options.some((o) => o.kind === 'sack')).toBe(false);
  });
});

describe('RST for a segment no connection owns (RFC 9293 §3.10.7.1)', () => {
  const seg = (o: Partial<TcpSegmentIn>): TcpSegmentIn => ({
    seq: 7000,
    ack: 0,
    flags: ['ACK'],
    window: 502,
    options: [],
    payload: new Uint8Array(0),
    ...o,
  });
  const closedEndpoint = () => {
    const sent: TcpTransmission[] = [];
    const ep = new TcpEndpoint(
      { transmit: (t) => sent.push(t) - 1, setTimer() {}, event() {} },
      { connection: 0, localPort: 80, remotePort: 50000, iss: 1000, mss: 1460, tsOffset: 0 },
    );
    return { ep, sent };
  };

  it('answers a segment with an ACK by <SEQ=SEG.ACK><CTL=RST>', () => {
    const { ep, sent } = closedEndpoint();
    ep.segmentArrives(seg({ ack: 123456, payload: new Uint8Array(10) }), 0);
    expect(sent).toHaveLength(1);
    expect([sent[0]!.seq, sent[0]!.ack, sent[0]!.flags]).toEqual([123456, 0, ['RST']]);
    // As Linux's tcp_v4_send_reset: no options.
    expect(sent[0]!.options).toEqual([]);
  });

  it('answers one without an ACK by <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, and a reset with nothing', () => {
    const { ep, sent } = closedEndpoint();
    ep.segmentArrives(seg({ flags: ['SYN'] }), 0);
    expect([sent[0]!.seq, sent[0]!.ack, sent[0]!.flags]).toEqual([0, 7001, ['RST', 'ACK']]);
    ep.segmentArrives(seg({ flags: ['RST'] }), 1);
    ep.segmentArrives(seg({ flags: ['RST', 'ACK'] }), 2);
    expect(sent).toHaveLength(1);
  });

  it('refuses a connection to a port nobody listens on: RST, ACK, and the client aborts', () => {
    const events: TcpEvent[] = [];
    const world = new World({
      seed: 5,
      mss: 1460,
      loss: [],
      observer: {
        sent() {},
        onWire() {},
        arrived() {},
        tcp(h, _s, e) {
          if (h.id === 'client') events.push(e);
        },
      },
    });
    world.listen(SERVER_HOST, 80, () => {});
    let aborted: string | null = null;
    world.connect(CLIENT_HOST, SERVER_HOST, 81, { aborted: (r) => (aborted = r) });
    world.run();
    const [syn, rst] = world.packets;
    expect(world.packets).toHaveLength(2);
    expect(rst!.from).toBe('server');
    expect(rst!.tcp.flags).toEqual(['RST', 'ACK']);
    expect(rst!.tcp.seq).toBe(0);
    expect(rst!.tcp.ack).toBe((syn!.tcp.seq + 1) >>> 0);
    expect(aborted).toBe('reset');
    expect(events.at(-1)).toEqual({ kind: 'aborted', reason: 'reset' });
  });

  it('answers a late segment to a connection that has closed', () => {
    // The browser's program closes its socket while the server's data is on its way: that data has no
    // reader and is answered with a reset.
    const world = new World({
      seed: 9,
      mss: 1460,
      loss: [],
      observer: { sent() {}, onWire() {}, arrived() {}, tcp() {} },
    });
    let server: Socket | null = null;
    world.listen(SERVER_HOST, 80, (s) => {
      server = s;
    });
    const client = world.connect(CLIENT_HOST, SERVER_HOST, 80, {
      established: () => {
        // The server writes; 1 ms later (the data still on its way) the browser aborts.
        server!.write(new Uint8Array(100));
        world.schedule(world.now + NS_PER_MS, () => client.abort());
      },
    });
    world.run();
    const data = world.packets.find((p) => p.from === 'server' && p.tcp.len === 100)!;
    const resets = world.packets.filter((p) => p.tcp.flags.includes('RST'));
    // The browser's program closes its socket: a FIN, no reset (tcp_close: nothing unread); then the late
    // data meets the closed socket and is answered with a reset (RFC 1122 §4.2.2.13, tcp_rcv_state_process).
    const fin = world.packets.find((p) => p.from === 'client' && p.tcp.flags.includes('FIN'))!;
    expect(fin.sentAt).toBeLessThan(data.arrivesAt);
    // (Later segments, such as the server's FIN, reach the CLOSED endpoint and get resets too: §3.10.7.1.)
    expect(new Set(resets.map((p) => `${p.from} ${p.tcp.flags.join()}`))).toEqual(new Set(['client RST']));
    expect(resets[0]!.tcp.seq).toBe(data.tcp.ack);
    expect(resets[0]!.sentAt).toBeCloseTo(data.arrivesAt, 6);
  });
});
