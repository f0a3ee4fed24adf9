/**
 * The loss, Socket.IO and comparison lessons say what the run and the sources say (issue 11, "every sentence
 * true"): the retransmission timer is counted from the event that really started it (RFC 6298 §5), the loss
 * self-check names whose program it asks about, Server-Sent Events are named, and the reconnect lesson says
 * what really ends the connection.
 */
import { lessonContent, type LessonContent } from '../../src/lesson/content';
import { rtoStart } from '../../src/lesson/content/queries';
import { parseLink } from '../../src/lesson/link';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';

function run(link: string): Timeline {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return buildTimeline(state.scenario, ALL_STORIES);
}

function content(id: string): LessonContent {
  const c = lessonContent(id);
  if (!c) throw new Error(`no content for ${id}`);
  return c;
}

/** The timeout the engine waited, from the step's title ("Timeout: no ACK after 1 s"), in ms. */
function waitedMs(title: string): number {
  const m = /after ([\d.]+) (ms|s)$/.exec(title);
  if (!m) throw new Error(`no wait in ${title}`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

describe('loss: the retransmission timer, counted from what started it', () => {
  it.each([
    'lesson=loss',
    // loss= counts the ARP request and reply first (frames 1 and 2), so the GET is 6 and the data 14.
    'lesson=loss&loss=6',
    'lesson=loss&loss=17',
    'lesson=loss&loss=14,26,28',
    'lesson=loss&loss=14,15',
  ])('%s: every timeout fires the engine’s RTO after the start RFC 6298 §5 names', (link) => {
    const t = run(link);
    const timeouts = t.steps.filter((s) => s.kind === 'state' && s.title.startsWith('Timeout'));
    expect(timeouts.length).toBeGreaterThan(0);
    for (const s of timeouts) {
      const lost = t.packets[s.packet!]!;
      const start = rtoStart(lost.from, lost.connection, s.time, t);
      expect(start, s.title).toBeDefined();
      // The engine arms the timer when the segment is queued, a few microseconds before it leaves.
      expect(Math.abs(s.time - start!.time - waitedMs(s.title)), `${link} step ${s.index + 1}`).toBeLessThan(
        0.05,
      );
    }
  });

  it('the lost FIN: the silence is counted from the ACK of new data that restarted the timer, not from the FIN', () => {
    const t = run('lesson=loss');
    const step = t.steps.find((s) => s.kind === 'state' && s.title.startsWith('Timeout'))!;
    const fin = t.packets[step.packet!]!;
    expect(fin.tcp.flags).toContain('FIN');
    const text = content('loss').aside!(step, t)!;
    const m = /^([\d.]+) ms since the last ACK of new data reached the server \(packet #(\d+)\)/.exec(text);
    expect(m, text).not.toBeNull();
    const ack = t.packets.find((p) => p.wireIndex === Number(m![2]))!;
    // The ACK came from the browser, after the FIN was sent, and acknowledged data the server had sent.
    expect([ack.from, ack.to]).toEqual(['client', 'server']);
    expect(ack.arrivesAt).toBeGreaterThan(fin.sentAt);
    expect(ack.tcp.relAck).toBeGreaterThan(1);
    expect(Number(m![1])).toBeCloseTo(step.time - ack.arrivesAt, 3);
    expect(Number(m![1])).toBe(waitedMs(step.title));
    expect(text).toContain(`The FIN itself was sent ${Number((step.time - fin.sentAt).toFixed(3))} ms ago`);
  });

  it('self-check 4 asks about the server’s program, whose message was cut, and the answer is that nothing showed', () => {
    const check = content('loss').checks[3]!;
    expect(check.question).toMatch(/server's program/);
    expect(check.question).toMatch(/browser's long message/);
    expect(check.choices[check.answer]).toMatch(/^No/);
  });

  it('a lost pure ACK or SYN is not described as a range of data bytes', () => {
    // Frames 1 and 2 are ARP: the SYN is 3, the handshake's last ACK 5.
    for (const link of ['lesson=loss&loss=3', 'lesson=loss&loss=5']) {
      const t = run(link);
      const drop = t.steps.find((s) => s.kind === 'drop')!;
      expect(content('loss').aside!(drop, t), link).not.toMatch(/carried bytes/);
    }
  });
});

describe('polling-vs-websocket: HTTP can push one way', () => {
  it('the introduction names Server-Sent Events (WHATWG HTML §9.2) among the five runs the lesson makes', () => {
    const intro = content('polling-vs-websocket').intro;
    expect(intro).toMatch(/Server-Sent Events \(EventSource\)/);
    expect(intro).toMatch(
      /five ways: short polling, long polling, Server-Sent Events, a WebSocket and Socket\.IO/,
    );
    expect(intro).not.toMatch(/does not run them/);
    expect(intro).not.toMatch(/had to ask/);
    // The runs the intro names are the runs the lesson makes (sim/stories/compare/methods.ts).
    const t = run('lesson=polling-vs-websocket');
    expect(t.comparison!.series.map((x) => x.method)).toEqual([
      'short-polling',
      'long-polling',
      'sse',
      'websocket',
      'socketio',
    ]);
  });
});

describe('reconnect: what really ends the connection', () => {
  it('the break is on the path with no packet saying so; the browser’s own Wi-Fi would fire offline', () => {
    const t = run('lesson=reconnect');
    const c = content('reconnect');
    const first = t.steps[c.start!(t) - 1]!;
    const text = c.aside!(first, t)!;
    expect(text).toMatch(/no packet reports it/);
    expect(text).toMatch(/'offline'/);
    expect(text).not.toMatch(/router/i);
    expect(c.intro).not.toMatch(/router|Wi-Fi drops/i);
  });
});
