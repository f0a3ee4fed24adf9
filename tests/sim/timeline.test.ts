import fc from 'fast-check';
import { lessonScenario } from '../../src/lesson/catalogue';
import { websocketAccept } from '../../src/protocol/http';
import { toHex } from '../../src/protocol/bytes';
import { LIMITS, type Scenario } from '../../src/sim/scenario';
import { WEBSOCKET_STORY, buildTimeline, timelineText } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import { WEBSOCKET_CHAPTERS as CHAPTERS } from '../../src/sim/stories/websocket/timeline';
import type { Step, Timeline } from '../../src/sim/types';
import { checkFrames, checkSeqAck, parseStream, streamOf } from './wire-check';

const lesson = lessonScenario('websocket');
const t = buildTimeline(lesson, ALL_STORIES);

function stepsOf(tl: Timeline, packet: number): Step[] {
  return tl.steps.filter((s) => s.packet === packet);
}

/** The kinds and layers of a packet's steps, e.g. 'E7 E6 … T1 D1 … D7'. */
function shape(tl: Timeline, packet: number): string {
  return stepsOf(tl, packet)
    .filter((s) => s.kind !== 'state')
    .map((s) => `${s.kind[0]!.toUpperCase()}${s.layer}`)
    .join(' ');
}

// Down the sender, on the wire, through the router (up to layer 3 and down again), up the receiver.
const ROUTER = 'D2 D3 E2';
const WALK = `E7 E6 E5 E4 E3 E2 E1 T1 ${ROUTER} D1 D2 D3 D4 D5 D6 D7`;

describe('the websocket lesson timeline', () => {
  it('matches its snapshot', async () => {
    await expect(timelineText(t)).toMatchFileSnapshot('./__snapshots__/websocket-lesson.timeline.txt');
  });

  it('is a well-formed sequence of steps in chapters', () => {
    t.steps.forEach((s, i) => {
      expect(s.index).toBe(i);
      if (i > 0) expect(s.time).toBeGreaterThanOrEqual(t.steps[i - 1]!.time);
      expect(s.title.length).toBeGreaterThan(2);
      expect(s.text.length).toBeGreaterThan(20);
    });
    // A ws:// run has no TLS handshake chapter.
    expect(t.chapters.map((c) => c.id)).toEqual(
      CHAPTERS.filter((c) => c.id !== 'tls-handshake').map((c) => c.id),
    );
    let next = 0;
    for (const c of t.chapters) {
      expect(c.firstStep).toBe(next);
      expect(c.title).toBe(CHAPTERS.find((x) => x.id === c.id)!.title);
      for (let i = c.firstStep; i <= c.lastStep; i++) expect(t.steps[i]!.chapter).toBe(c.id);
      next = c.lastStep + 1;
    }
    expect(next).toBe(t.steps.length);
  });

  it('walks the SYN, the GET, the 101 and the first data frame each way through all seven layers', () => {
    const walked = t.packets.filter((p) => stepsOf(t, p.id).some((s) => s.kind === 'encapsulate'));
    expect(walked.map((p) => p.summary)).toEqual([
      '[SYN] Seq=0 Win=64240 Len=0 MSS=1460',
      'GET /chat HTTP/1.1 (Upgrade)',
      'HTTP/1.1 101 Switching Protocols',
      'WebSocket Text [FIN] [MASKED] "Hello"',
      'WebSocket Text [FIN] "Hi!"',
    ]);
    for (const p of walked) {
      expect(shape(t, p.id)).toBe(WALK);
      const steps = stepsOf(t, p.id);
      const atRouter = (s: Step): boolean => s.host === 'router-1';
      expect(
        steps.filter((s) => s.kind === 'encapsulate' && !atRouter(s)).every((s) => s.host === p.from),
      ).toBe(true);
      expect(
        steps.filter((s) => s.kind === 'decapsulate' && !atRouter(s)).every((s) => s.host === p.to),
      ).toBe(true);
      expect(steps.filter(atRouter).map((s) => s.curriculum)).toEqual([['M12'], ['M12'], ['M12']]);
      expect(steps.find((s) => s.kind === 'transmit')!.host).toBe('wire');
    }
    // Every other packet is one transmit step.
    for (const p of t.packets.filter((x) => !walked.includes(x))) expect(shape(t, p.id)).toBe('T1');
  });

  it('changes the TCP view at layer 4 of the walk, not before', () => {
    const syn = stepsOf(t, 0);
    const at = (layer: number, kind: string): Step => syn.find((s) => s.layer === layer && s.kind === kind)!;
    expect(at(5, 'encapsulate').states['client']!.tcp!.relSndNxt).toBe(0);
    expect(at(4, 'encapsulate').states['client']!.tcp!.relSndNxt).toBe(1);
    expect(at(3, 'decapsulate').states['server']!.tcp!.state).toBe('LISTEN');
    expect(at(4, 'decapsulate').states['server']!.tcp!.state).toBe('SYN_RECEIVED');
  });

  it('shares state objects between steps while nothing changes', () => {
    const distinct = new Set(t.steps.map((s) => s.states));
    expect(distinct.size).toBeLessThan(t.steps.length / 2);
    for (let i = 1; i < t.steps.length; i++) {
      const a = t.steps[i - 1]!.states;
      const b = t.steps[i]!.states;
      for (const host of ['client', 'server']) {
        if (JSON.stringify(a[host]) === JSON.stringify(b[host])) expect(b[host]).toBe(a[host]);
      }
    }
  });

  it('ends with the browser CLOSED and the server in TIME_WAIT, both WebSockets CLOSED', () => {
    const last = t.steps.at(-1)!;
    expect(last.states['client']).toMatchObject({ ws: 'CLOSED', tcp: { state: 'CLOSED' } });
    expect(last.states['server']).toMatchObject({ ws: 'CLOSED', tcp: { state: 'TIME_WAIT' } });
  });

  it('prints the console lines of both programs at the steps that cause them', () => {
    const lines = t.steps.flatMap((s) => (s.console ?? []).map((c) => `${c.host}: ${c.text}`));
    expect(lines).toEqual([
      'server: client connected',
      'client: connected',
      'server: message: Hello',
      'client: message: Hi!',
      'server: pong: the client is alive',
      'client: closed 1000 bye',
      'server: closed 1000 bye',
    ]);
    // Each console step points at the console.log line that prints it.
    for (const s of t.steps.filter((x) => x.console)) {
      const program = t.programs[s.code!.program];
      expect(program.lines[s.code!.line - 1]).toContain('console.log');
    }
  });

  it('points steps at the program lines that cause them', () => {
    const line = (s: Step): string => t.programs[s.code!.program].lines[s.code!.line - 1]!;
    for (const s of t.steps.filter((x) => x.code)) {
      expect(s.code!.line).toBeGreaterThanOrEqual(1);
      expect(s.code!.line).toBeLessThanOrEqual(t.programs[s.code!.program].lines.length);
    }
    const hello = t.packets.find((p) => p.summary.includes('"Hello"'))!;
    expect(line(stepsOf(t, hello.id)[0]!)).toBe("ws.send('Hello');");
    const hi = t.packets.find((p) => p.summary.includes('"Hi!"'))!;
    expect(line(stepsOf(t, hi.id)[0]!)).toBe("  ws.send('Hi!');");
    expect(line(stepsOf(t, 0)[0]!)).toBe("const ws = new WebSocket('ws://server/chat');");
    const close = t.steps.find((s) => s.title.startsWith('ws.close'))!;
    expect(line(close)).toBe("ws.close(1000, 'bye');");
  });

  it('answers Q1, Q2, Q3, Q10, Q11 and meets M2, M3, M6, M7', () => {
    const tags = new Set(t.steps.flatMap((s) => s.curriculum ?? []));
    for (const id of ['Q1', 'Q2', 'Q3', 'Q10', 'Q11', 'M2', 'M3', 'M6', 'M7']) expect(tags).toContain(id);
    const met = t.steps.filter((s) => s.misconception).map((s) => s.misconception!);
    expect(met.some((m) => m.includes('three-way handshake'))).toBe(true);
    expect(met.some((m) => m.includes('reset'))).toBe(true);
    expect(met.some((m) => m.includes('every OSI layer adds a header'))).toBe(true);
    expect(met.some((m) => m.includes('stays open forever'))).toBe(true);
    // Q10: the walk names the units layer by layer.
    const get = t.packets.find((p) => p.app?.kind === 'http-request')!;
    const walkText = stepsOf(t, get.id)
      .map((s) => s.text)
      .join(' ');
    for (const unit of ['segment', 'packet', 'frame', 'bits']) expect(walkText).toContain(unit);
  });

  it('tells this run’s real numbers', () => {
    const [syn, synAck, ack] = t.packets;
    const all = t.steps.map((s) => s.text).join('\n');
    expect(all).toContain(`x = ${syn!.tcp.seq}`);
    expect(all).toContain(`y = ${synAck!.tcp.seq}`);
    expect(all).toContain(`Seq = x+1 = ${ack!.tcp.seq}`);
    expect(all).toContain(`Ack = y+1 = ${ack!.tcp.ack}`);
    expect(all).toContain(`source port (${syn!.tcp.srcPort})`);
    const get = parseStream(streamOf(t, 'client'), 'client');
    const key = /Sec-WebSocket-Key: (\S+)/.exec(get.head)![1]!;
    expect(all).toContain(key);
    expect(all).toContain(websocketAccept(key));
    const helloMask = get.frames[0]!.maskKey!;
    expect(all).toContain(toHex(helloMask));
    expect(all).toContain('1000 (normal closure)');
  });
});

describe('packets', () => {
  it('annotate every byte of every frame, for long writes cut into segments too', () => {
    const long = buildTimeline(
      { ...lesson, mss: 200, messages: [{ from: 'c', text: 'é'.repeat(700) }] },
      ALL_STORIES,
    );
    for (const tl of [t, long]) {
      for (const p of tl.packets) {
        const covered = new Uint8Array(p.frame.length);
        for (const f of p.fields)
          for (let i = f.start; i < Math.min(f.end, p.frame.length); i++) covered[i] = 1;
        expect(covered.every((c) => c === 1)).toBe(true);
        const fcs = p.fields.find((f) => f.key === 'fcs')!;
        expect(fcs.start).toBe(p.frame.length + p.padding);
        expect(p.layers.tcp!.start).toBe(34);
      }
    }
    const pieces = long.packets.filter((p) => p.app?.kind === 'continuation');
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.every((p) => p.summary.startsWith('[TCP segment of a reassembled PDU]'))).toBe(true);
  });

  it('take 80 ns a byte on each card (with preamble, FCS and gap) and 5 ms on the path, 2.5 ms a segment', () => {
    for (const p of t.packets) {
      const wire = ((Math.max(p.frame.length, 60) + 24) * 80) / 1e6;
      const hop = p.hops![0]!;
      expect(hop.receivedAt - p.sentAt).toBeCloseTo(wire + 2.5, 9);
      expect(hop.sentAt).toBeGreaterThanOrEqual(hop.receivedAt);
      expect(p.arrivesAt - hop.sentAt).toBeCloseTo(wire + 2.5, 9);
    }
  });
});

describe('walk modes and losses', () => {
  it('walk=all walks every packet, walk=none none', () => {
    const all = buildTimeline({ ...lesson, walk: 'all' }, ALL_STORIES);
    for (const p of all.packets) expect(shape(all, p.id)).toBe(WALK);
    const none = buildTimeline({ ...lesson, walk: 'none' }, ALL_STORIES);
    expect(none.steps.some((s) => s.kind === 'encapsulate' || s.kind === 'decapsulate')).toBe(false);
    for (const p of none.packets) expect(shape(none, p.id)).toBe('T1');
  });

  it('shows a lost walked packet as a drop; its retransmission walks from layer 4 down and all the way up', () => {
    // Frames 1 and 2 are the browser's ARP request and the router's reply: the SYN is 3.
    const lost = buildTimeline({ ...lesson, loss: [3] }, ALL_STORIES);
    expect(shape(lost, 0)).toBe('E7 E6 E5 E4 E3 E2 E1 D1');
    expect(
      stepsOf(lost, 0)
        .filter((s) => s.kind !== 'state')
        .at(-1)!.kind,
    ).toBe('drop');
    expect(lost.packets[1]!.retransmissionOf).toBe(0);
    expect(shape(lost, 1)).toBe(`E4 E3 E2 E1 T1 ${ROUTER} D1 D2 D3 D4 D5 D6 D7`);
    const timeout = lost.steps.find((s) => s.title.startsWith('Timeout'))!;
    expect(timeout.time).toBe(1000);
    expect(timeout.kind).toBe('state');
  });

  it('gives up after seven lost SYNs: onclose 1006 in the browser, nothing in server.js', () => {
    const dead = buildTimeline({ ...lesson, walk: 'none', loss: [3, 4, 5, 6, 7, 8, 9] }, ALL_STORIES);
    const last = dead.steps.at(-1)!;
    expect(last.title).toBe('onclose: 1006 (abnormal)');
    expect(last.states['client']).toMatchObject({ ws: 'CLOSED', tcp: { state: 'CLOSED' } });
    expect(dead.steps.filter((s) => s.host === 'server' && s.kind === 'app').map((s) => s.title)).toEqual([
      'The server listens on port 80',
    ]);
  });

  it('tells only the stories it is given; another one is a one-step timeline saying so', () => {
    const ws = buildTimeline(lesson, WEBSOCKET_STORY);
    expect(timelineText(ws)).toBe(timelineText(t));
    const sio = buildTimeline(lessonScenario('socketio'), WEBSOCKET_STORY);
    expect(sio.steps.map((s) => s.title)).toEqual(['The Socket.IO story is not loaded']);
    expect(sio.packets).toEqual([]);
    expect(sio.chapters).toEqual([
      { id: 'problem', title: 'The Socket.IO story is not loaded', firstStep: 0, lastStep: 0 },
    ]);
    expect(buildTimeline(lessonScenario('polling-vs-websocket'), {}).steps[0]!.title).toBe(
      'The polling comparison story is not loaded',
    );
  });

  it('dispatches the socketio and compare stories to their own builders', () => {
    const sio = buildTimeline(lessonScenario('socketio'), ALL_STORIES);
    expect(sio.steps[0]!.title).not.toMatch(/not loaded/);
    expect(sio.chapters[0]!.id).toBe('eio-handshake');
    const cmp = buildTimeline(lessonScenario('polling-vs-websocket'), ALL_STORIES);
    expect(cmp.comparison?.series.map((s) => s.method)).toEqual([
      'short-polling',
      'long-polling',
      'sse',
      'websocket',
      'socketio',
    ]);
  });
});

describe('any valid scenario', () => {
  const message = fc.record({
    from: fc.constantFrom('c' as const, 's' as const),
    text: fc.string({ unit: 'grapheme', maxLength: 300 }),
  });
  const scenario = fc.record({
    messages: fc.array(message, { maxLength: 6 }),
    seed: fc.nat({ max: 0xffffffff }),
    mss: fc.integer({ min: LIMITS.minMss, max: LIMITS.maxMss }),
    frag: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    loss: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
    close: fc.constantFrom('c' as const, 's' as const),
    walk: fc.constantFrom('default' as const, 'all' as const, 'none' as const),
    ping: fc.boolean(),
  });

  it('builds, with good frames, consistent seq/ack, every message delivered and a clean close', () => {
    fc.assert(
      fc.property(scenario, (o) => {
        const s: Scenario = { ...lesson, ...o };
        const tl = buildTimeline(s, ALL_STORIES);
        expect(checkFrames(tl)).toEqual([]);
        expect(checkSeqAck(tl)).toEqual([]);
        expect(parseStream(streamOf(tl, 'client'), 'client').texts).toEqual(
          s.messages.filter((m) => m.from === 'c').map((m) => m.text),
        );
        expect(parseStream(streamOf(tl, 'server'), 'server').texts).toEqual(
          s.messages.filter((m) => m.from === 's').map((m) => m.text),
        );
        const last = tl.steps.at(-1)!;
        expect(last.states['client']!.tcp!.state).toBe('CLOSED');
        expect(last.states['server']!.tcp!.state).toBe('TIME_WAIT');
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});
