import { lessonScenario } from '../../src/lesson/catalogue';
import { NS_PER_MS, World, type Socket } from '../../src/sim/engine/network';
import { CLIENT_HOST, SERVER_HOST } from '../../src/sim/stories/hosts';
import type { Scenario } from '../../src/sim/scenario';
import { TCP_CONSTANTS, type TcpEvent } from '../../src/sim/engine/tcp';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Packet, Timeline } from '../../src/sim/types';
import { checkFrames, checkSeqAck, parseStream, streamOf } from './wire-check';

/** Two raw TCP endpoints on the simulated network: the client writes `sizes`, then closes after `closeAfterMs`. */
function rawRun(o: {
  sizes: number[];
  loss?: number[];
  mss?: number;
  closeAfterMs?: number;
  serverCloses?: boolean;
  /** How long the server's program waits after the client's FIN before closing (default: next turn). */
  serverCloseDelayMs?: number;
}) {
  const events: { host: string; e: TcpEvent; at: number }[] = [];
  const received: number[] = [];
  const world = new World({
    seed: 7,
    mss: o.mss ?? 1460,
    loss: o.loss ?? [],
    observer: {
      sent() {},
      onWire() {},
      arrived() {},
      tcp(h, _s, e) {
        events.push({ host: h.id, e, at: world.now });
      },
    },
  });
  let server: Socket | null = null;
  world.listen(SERVER_HOST, 80, (s) => {
    server = s;
    s.handlers = {
      data: (b) => received.push(b.length),
      end: () =>
        o.serverCloseDelayMs === undefined
          ? s.end()
          : world.schedule(world.now + o.serverCloseDelayMs * NS_PER_MS, () => s.end()),
    };
  });
  const client = world.connect(CLIENT_HOST, SERVER_HOST, 80, {
    established: () => {
      for (const n of o.sizes) client.write(new Uint8Array(n).fill(0x61));
      world.schedule(world.now + (o.closeAfterMs ?? 3000) * NS_PER_MS, () =>
        o.serverCloses ? server?.end() : client.end(),
      );
    },
    end: () => client.end(),
  });
  world.run();
  const timeline: Timeline = {
    scenario: lessonScenario('websocket'),
    hosts: [CLIENT_HOST, SERVER_HOST],
    packets: world.packets,
    steps: [],
    chapters: [],
    programs: {
      client: { title: '', language: 'javascript', lines: [] },
      server: { title: '', language: 'javascript', lines: [] },
    },
  };
  return { world, events, received, timeline, client, server: server as Socket | null };
}

const states = (events: { host: string; e: TcpEvent }[], host: string): string[] =>
  events.filter((x) => x.host === host && x.e.kind === 'state').map((x) => (x.e as { to: string }).to);

describe('TCP endpoint', () => {
  it('opens with SYN, SYN-ACK, ACK; SYN consumes one sequence number; Linux options and windows', () => {
    const { world, timeline } = rawRun({ sizes: [] });
    const [syn, synAck, ack] = world.packets;
    expect(syn!.tcp.flags).toEqual(['SYN']);
    expect(synAck!.tcp.flags).toEqual(['SYN', 'ACK']);
    expect(ack!.tcp.flags).toEqual(['ACK']);
    expect(synAck!.tcp.ack).toBe((syn!.tcp.seq + 1) >>> 0);
    expect(ack!.tcp.seq).toBe((syn!.tcp.seq + 1) >>> 0);
    expect(ack!.tcp.ack).toBe((synAck!.tcp.seq + 1) >>> 0);
    expect(syn!.summary).toBe('[SYN] Seq=0 Win=64240 Len=0 MSS=1460');
    expect(ack!.summary).toBe('[ACK] Seq=1 Ack=1');
    // Options in Linux's order: MSS, SACK_PERM, TS, NOP, WS=7 (20 bytes): a 40-byte SYN header.
    const keys = syn!.fields.filter((f) => f.layer === 'tcp' && f.key.startsWith('option')).map((f) => f.key);
    expect(keys).toEqual([
      'optionMss',
      'optionSackPermitted',
      'optionTimestamps',
      'optionNop',
      'optionWindowScale',
    ]);
    expect(syn!.layers.tcp).toEqual({ start: 34, end: 74 });
    expect(ack!.layers.tcp).toEqual({ start: 34, end: 66 });
    // Window 502 << 7 after the handshake.
    expect((ack!.frame[48]! << 8) | ack!.frame[49]!).toBe(502);
    expect(checkFrames(timeline)).toEqual([]);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('segments a write at the MSS minus the timestamp option, PSH on the last segment only', () => {
    const { world, received, timeline } = rawRun({ sizes: [4000] });
    const data = world.packets.filter((p) => p.from === 'client' && p.tcp.len > 0);
    expect(data.map((p) => p.tcp.len)).toEqual([1448, 1448, 1104]);
    expect(data.map((p) => p.tcp.flags.includes('PSH'))).toEqual([false, false, true]);
    expect(received.reduce((a, b) => a + b, 0)).toBe(4000);
    expect(Math.max(...world.packets.map((p) => p.frame.length))).toBe(1514);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('honours a smaller MSS', () => {
    const { world } = rawRun({ sizes: [2000], mss: 536 });
    const data = world.packets.filter((p) => p.from === 'client' && p.tcp.len > 0);
    expect(data.map((p) => p.tcp.len)).toEqual([524, 524, 524, 428]);
  });

  it('in quick-ACK mode acknowledges every data segment at once, with a duplicate ACK for each out-of-order one', () => {
    const { world, timeline } = rawRun({ sizes: [1448 * 6], loss: [5] });
    // #4.. are data; #5 (second data segment) is lost: the next four arrive out of order.
    const acks = world.packets.filter(
      (p) => p.from === 'server' && p.tcp.flags.join() === 'ACK' && p.tcp.len === 0 && p.sentAt < 20,
    );
    expect(acks.map((p) => p.tcp.relAck)).toEqual([1449, 1449, 1449, 1449, 1449]);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('fast-retransmits after the third duplicate ACK when later segments are in flight', () => {
    const { world, events, received, timeline } = rawRun({ sizes: [1448 * 8], loss: [5] });
    const fast = world.packets.filter((p) => p.retransmitReason === 'fast-retransmit');
    expect(fast).toHaveLength(1);
    expect(fast[0]!.retransmissionOf).toBe(4);
    expect(fast[0]!.summary).toMatch(/^\[TCP Fast Retransmission\] /);
    // Resent when the third duplicate arrived: long before the 1 s timer.
    expect(fast[0]!.sentAt).toBeLessThan(30);
    expect(events.some((x) => x.e.kind === 'fast-retransmit')).toBe(true);
    expect(events.some((x) => x.e.kind === 'rto')).toBe(false);
    expect(received.reduce((a, b) => a + b, 0)).toBe(1448 * 8);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('retransmits a lone lost segment after the 1 s RTO (RFC 6298) and doubles the timer', () => {
    const { world, events, timeline } = rawRun({ sizes: [100], loss: [4, 5] });
    const first = world.packets[3]!;
    const again = world.packets.filter((p) => p.retransmissionOf === first.id);
    expect(again).toHaveLength(2);
    // The timer starts when TCP hands the segment to the card (a few µs before its first bit leaves).
    expect(Math.abs(again[0]!.sentAt - first.sentAt - 1000)).toBeLessThan(0.01);
    expect(Math.abs(again[1]!.sentAt - again[0]!.sentAt - 2000)).toBeLessThan(0.01);
    const rtos = events
      .filter((x) => x.e.kind === 'rto')
      .map((x) => x.e as Extract<TcpEvent, { kind: 'rto' }>);
    expect(rtos.map((r) => r.nextRtoNs)).toEqual([2e9, 4e9]);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('recovers a lost SYN and a lost SYN-ACK; a repeated SYN is answered at most once per 500 ms', () => {
    const lostSyn = rawRun({ sizes: [10], loss: [1] });
    expect(lostSyn.world.packets[1]!.retransmissionOf).toBe(0);
    expect(lostSyn.world.packets[1]!.sentAt).toBeCloseTo(1000, 6);
    expect(checkSeqAck(lostSyn.timeline)).toEqual([]);
    const lostSynAck = rawRun({ sizes: [10], loss: [2] });
    const synAcks = lostSynAck.world.packets.filter(
      (p) => p.tcp.flags.includes('SYN') && p.tcp.flags.includes('ACK'),
    );
    expect(synAcks).toHaveLength(2);
    expect(checkSeqAck(lostSynAck.timeline)).toEqual([]);
    expect(lostSynAck.received).toEqual([10]);
  });

  it('closes in three segments when the program closes at once: its FIN carries the ACK (Linux tcp_fin)', () => {
    const { world, events, timeline } = rawRun({ sizes: [10] });
    const tail = world.packets.slice(-3);
    expect(tail.map((p) => `${p.from} ${p.tcp.flags.join(',')}`)).toEqual([
      'client FIN,ACK',
      'server FIN,ACK',
      'client ACK',
    ]);
    // The server's FIN acknowledges the client's (FIN consumes one number), and the last ACK the server's.
    expect(tail[1]!.tcp.relAck).toBe(tail[0]!.tcp.relSeq + 1);
    expect(tail[2]!.tcp.relAck).toBe(tail[1]!.tcp.relSeq + 1);
    // The last ACK goes at once (a FIN in FIN-WAIT-2), one path delay after the FIN left.
    expect(tail[2]!.sentAt - tail[1]!.arrivesAt).toBe(0);
    expect(states(events, 'client')).toEqual([
      'SYN_SENT',
      'ESTABLISHED',
      'FIN_WAIT_1',
      'FIN_WAIT_2',
      'TIME_WAIT',
    ]);
    expect(states(events, 'server')).toEqual([
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('closes in four segments when the program closes after the 40 ms delayed ACK', () => {
    const { world, events, timeline } = rawRun({ sizes: [10], serverCloseDelayMs: 100 });
    const tail = world.packets.slice(-4);
    expect(tail.map((p) => `${p.from} ${p.tcp.flags.join(',')}`)).toEqual([
      'client FIN,ACK',
      'server ACK',
      'server FIN,ACK',
      'client ACK',
    ]);
    expect(tail[1]!.tcp.relAck).toBe(tail[0]!.tcp.relSeq + 1);
    expect(tail[3]!.tcp.relAck).toBe(tail[2]!.tcp.relSeq + 1);
    // The ACK of the FIN waited for Linux's delayed-ACK timer (TCP_DELACK_MIN, 40 ms), then went alone.
    expect(tail[1]!.sentAt - tail[0]!.arrivesAt).toBeCloseTo(40, 6);
    expect(tail[1]!.ackWhy).toBe('delayed');
    expect(tail[2]!.sentAt - tail[0]!.arrivesAt).toBeCloseTo(100, 6);
    // A program that closes within the 40 ms still gets three segments.
    const quick = rawRun({ sizes: [10], serverCloseDelayMs: 39 });
    expect(quick.world.packets.slice(-3).map((p) => `${p.from} ${p.tcp.flags.join(',')}`)).toEqual([
      'client FIN,ACK',
      'server FIN,ACK',
      'client ACK',
    ]);
    expect(states(events, 'server')).toEqual([
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
    expect(checkSeqAck(timeline)).toEqual([]);
  });

  it('retransmits a lost FIN and re-acknowledges a FIN repeated in TIME_WAIT', () => {
    // SYN, SYN-ACK, ACK, data, ACK, then the client's FIN (#6).
    const lostFin = rawRun({ sizes: [10], loss: [6] });
    const fin = lostFin.world.packets[5]!;
    expect(fin.tcp.flags).toContain('FIN');
    expect(lostFin.world.packets.some((p) => p.retransmissionOf === fin.id)).toBe(true);
    expect(checkSeqAck(lostFin.timeline)).toEqual([]);
    // The last ACK (#8, after FIN and FIN+ACK) is lost: the server resends its FIN; the client in
    // TIME_WAIT ACKs it again.
    const lostLast = rawRun({ sizes: [10], loss: [8] });
    expect(lostLast.world.packets[7]!.tcp.flags).toEqual(['ACK']);
    const n = lostLast.world.packets.length;
    expect(lostLast.world.packets[n - 2]!.summary).toMatch(/^\[TCP Retransmission\] \[FIN, ACK\]/);
    expect(lostLast.world.packets[n - 1]!.tcp.flags).toEqual(['ACK']);
    expect(states(lostLast.events, 'server').at(-1)).toBe('CLOSED');
    expect(checkSeqAck(lostLast.timeline)).toEqual([]);
  });

  it('gives up after six SYN retransmissions', () => {
    const { events, world } = rawRun({ sizes: [10], loss: [1, 2, 3, 4, 5, 6, 7] });
    expect(world.packets).toHaveLength(7);
    expect(events.at(-1)!.e).toEqual({ kind: 'aborted', reason: 'timeout' });
    // 1 + 2 + 4 + 8 + 16 + 32 seconds, then the RTO is capped at 60 s (RFC 6298 §2.5).
    expect(events.at(-1)!.at / 1e9).toBeCloseTo(123, 3);
  });

  it('keeps the constants the brief documents', () => {
    // Linux: TCP_TIMEWAIT_LEN 60 s, TCP_DELACK_MIN 40 ms, TCP_MAX_QUICKACKS 16 (include/net/tcp.h).
    expect(TCP_CONSTANTS.timeWaitNs).toBe(60e9);
    expect(TCP_CONSTANTS.delackNs).toBe(40e6);
    expect(TCP_CONSTANTS.maxQuickAcks).toBe(16);
    expect(TCP_CONSTANTS.initialRtoNs).toBe(1e9);
  });

  it("offers Linux's windows: the SYN 64240, the SYN-ACK 65160, then each rounded up to the scale", () => {
    // chromium-ws.pcap frames 1-3 and 8: 64240 (44 × 1460), 65160 (45 × 1448, timestamps on), then the same
    // windows rounded up to the shift (63 and 64 there with shift 10; 502 and 510 here with shift 7).
    const { world } = rawRun({ sizes: [10] });
    const win = (p: (typeof world.packets)[number]): number => (p.frame[48]! << 8) | p.frame[49]!;
    const windows = world.packets.map((p) => [p.from, p.tcp.flags.join(','), win(p)]);
    expect(windows.slice(0, 3)).toEqual([
      ['client', 'SYN', 64240],
      ['server', 'SYN,ACK', 65160],
      ['client', 'ACK', 502],
    ]);
    const serverWindows = new Set(
      world.packets.filter((p) => p.from === 'server' && !p.tcp.flags.includes('SYN')).map(win),
    );
    expect([...serverWindows]).toEqual([510]);
  });
});

/** Every check, for one WebSocket scenario. */
function checkScenario(s: Scenario): Timeline {
  const t = buildTimeline(s, ALL_STORIES);
  expect(checkFrames(t)).toEqual([]);
  expect(checkSeqAck(t)).toEqual([]);
  const last = t.steps.at(-1)!;
  expect(last.states['client']?.tcp?.state).toBe('CLOSED');
  expect(last.states['server']?.tcp?.state).toBe('TIME_WAIT');
  expect(last.states['client']?.ws).toBe('CLOSED');
  expect(last.states['server']?.ws).toBe('CLOSED');
  const fromClient = parseStream(streamOf(t, 'client'), 'client');
  const fromServer = parseStream(streamOf(t, 'server'), 'server');
  expect(fromClient.texts).toEqual(s.messages.filter((m) => m.from === 'c').map((m) => m.text));
  expect(fromServer.texts).toEqual(s.messages.filter((m) => m.from === 's').map((m) => m.text));
  // Each message reaches its reader exactly once (the console line of onmessage / 'message').
  const delivered = t.steps.flatMap((x) => x.console ?? []).filter((c) => c.text.startsWith('message: '));
  expect(delivered).toHaveLength(s.messages.length);
  return t;
}

describe('TCP under the websocket story', () => {
  const base = lessonScenario('websocket');
  const lossOf = (t: Timeline, pick: (p: Packet) => boolean): number => t.packets.find(pick)!.wireIndex;
  const plain = buildTimeline(base, ALL_STORIES);

  it.each([
    ['the SYN', (p: Packet) => p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK')],
    ['the SYN-ACK', (p: Packet) => p.tcp.flags.includes('SYN') && p.tcp.flags.includes('ACK')],
    ['the upgrade GET', (p: Packet) => p.app?.kind === 'http-request'],
    ['the 101', (p: Packet) => p.app?.kind === 'http-response'],
    ['a client data frame', (p: Packet) => p.app?.kind === 'ws-frame' && p.from === 'client'],
    ['a server data frame', (p: Packet) => p.app?.kind === 'ws-frame' && p.from === 'server'],
    ['the first FIN', (p: Packet) => p.tcp.flags.includes('FIN')],
    ['the last FIN', (p: Packet) => p.tcp.flags.includes('FIN') && p.from === 'client'],
    ['the last ACK', (p: Packet) => p.id === plain.packets.length - 1],
    [
      'a pure ACK',
      (p: Packet) =>
        p.tcp.len === 0 && p.from === 'server' && p.tcp.relAck > 1 && !p.tcp.flags.includes('FIN'),
    ],
  ])('recovers when %s is lost, delivering every message once', (_name, pick) => {
    const k = lossOf(plain, pick);
    const t = checkScenario({ ...base, loss: [k] });
    const lost = t.packets.find((p) => p.wireIndex === k)!;
    expect(lost.lost).toBe(true);
    expect(t.steps.some((s) => s.kind === 'drop' && s.packet === lost.id)).toBe(true);
  });

  it("counts the ARP frames on the browser's LAN: a lost request is asked again 1 s later; the SYN waits, unsent", () => {
    // Frames 1 and 2 are the browser's ARP request and the router's reply (sim/engine/network.ts).
    expect(plain.packets[0]!.wireIndex).toBe(3);
    expect(plain.packets[0]!.arp!.map((f) => f.wireIndex)).toEqual([1, 2]);
    const t = checkScenario({ ...base, loss: [1] });
    const arp = t.packets[0]!.arp!;
    expect(arp.map((f) => [f.wireIndex, f.lost ?? false, f.sentAt])).toEqual([
      [1, true, 0],
      [2, false, 1000],
      [3, false, arp[2]!.sentAt],
    ]);
    // The SYN leaves once the answer is in, as frame 4, and is never retransmitted: at 1 s its timer found it
    // still in the host (Linux tcp_retransmit_timer, -EBUSY) and looked again later.
    expect(t.packets[0]!.wireIndex).toBe(4);
    expect(t.packets[0]!.sentAt).toBeGreaterThan(1000);
    expect(t.packets.some((p) => p.retransmissionOf === 0)).toBe(false);
    expect(t.steps.filter((s) => s.link).map((s) => s.kind)).toEqual([
      'drop',
      'transmit',
      'transmit',
      'transmit',
      'transmit',
    ]);
    expect(t.steps.some((s) => s.title === 'Timeout, but the segment has not left yet')).toBe(true);
  });

  it('drops the waiting SYN after three unanswered ARP requests, and its retransmission asks again', () => {
    const t = checkScenario({ ...base, loss: [1, 2, 3] });
    const syn = t.packets[0]!;
    expect(syn.unresolved).toBe(true);
    expect(syn.arp!.map((f) => f.sentAt)).toEqual([0, 1000, 2000]);
    expect(syn.sentAt).toBe(3000);
    const again = t.packets.find((p) => p.retransmissionOf === 0)!;
    expect(again.lost).toBe(false);
    expect(again.arp!.map((f) => f.wireIndex)).toEqual([4, 5]);
    expect(again.wireIndex).toBe(6);
  });

  it('recovers from several losses in a long message (fast retransmit and NewReno partial ACKs)', () => {
    const t = checkScenario({
      ...base,
      messages: [
        { from: 'c', text: 'x'.repeat(60000) },
        { from: 's', text: 'é'.repeat(30000) },
      ],
      loss: [9, 11, 13, 40],
    });
    expect(t.packets.some((p) => p.retransmitReason === 'fast-retransmit')).toBe(true);
  });

  it('keeps going with mss=536, frag, close=s and a server push first', () => {
    checkScenario({
      ...base,
      mss: 536,
      frag: 100,
      close: 's',
      messages: [
        { from: 's', text: 'pushed' },
        { from: 'c', text: 'שלום 👋 é'.repeat(40) },
        { from: 'c', text: '' },
      ],
    });
  });
});
