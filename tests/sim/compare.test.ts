import { lessonScenario } from '../../src/lesson/catalogue';
import { parseLink } from '../../src/lesson/link';
import { bytesEqual } from '../../src/protocol/bytes';
import { COMPARE, messageTimes } from '../../src/sim/stories/compare/methods';
import { buildCompareTimeline } from '../../src/sim/stories/compare/timeline';
import type { Scenario } from '../../src/sim/scenario';
import { timelinePcap } from '../../src/sim/timeline';
import type { ComparisonSeries, Timeline } from '../../src/sim/types';
import { captureMessages, checkConnections, realEioPackets } from './socketio-capture';
import { tilingProblems } from '../protocol/tiling';

const lesson = lessonScenario('polling-vs-websocket');

function build(s: Scenario): Timeline {
  return buildCompareTimeline(s);
}

const t = build(lesson);
const series = (m: ComparisonSeries['method']): ComparisonSeries =>
  t.comparison!.series.find((s) => s.method === m)!;

/** Connections of a method: from the step that starts it to the one that starts the next. */
function methodPackets(m: ComparisonSeries['method']) {
  const starts = t.chapters.filter((c) => c.id === m);
  expect(starts).toHaveLength(1);
  const chapter = starts[0]!;
  const ids = new Set(
    t.steps
      .slice(chapter.firstStep, chapter.lastStep + 1)
      .flatMap((s) => (s.packet !== undefined ? [s.packet] : [])),
  );
  const conns = new Set([...ids].map((id) => t.packets[id]!.connection));
  return t.packets.filter((p) => conns.has(p.connection));
}

describe('the polling-vs-websocket comparison', () => {
  it('delivers the lesson’s ten messages by each of the five methods, in order', () => {
    expect(t.comparison!.messages).toBe(10);
    expect(t.comparison!.series.map((s) => s.method)).toEqual([
      'short-polling',
      'long-polling',
      'sse',
      'websocket',
      'socketio',
    ]);
    for (const s of t.comparison!.series) {
      expect(s.cumulativeBytes).toHaveLength(10);
      expect(s.delays).toHaveLength(10);
      // Two messages answered by one poll share a total: the totals never go down.
      for (let i = 1; i < 10; i++)
        expect(s.cumulativeBytes[i]!).toBeGreaterThanOrEqual(s.cumulativeBytes[i - 1]!);
    }
    const shown = t.steps.flatMap((s) => s.console ?? []).map((c) => c.text);
    const texts = lesson.messages.map((m) => m.text);
    expect(shown).toEqual([...texts, ...texts, ...texts, ...texts, ...texts]);
  });

  it('counts every frame of a method, headers of every layer included, up to each delivery', () => {
    for (const m of ['short-polling', 'long-polling', 'sse', 'websocket', 'socketio'] as const) {
      const s = series(m);
      const pkts = methodPackets(m);
      const lastDelivery = t.steps.filter((x) => x.chapter === m && x.console).at(-1)!.time;
      const upTo = pkts.filter((p) => p.sentAt <= lastDelivery);
      expect(s.cumulativeBytes.at(-1)).toBe(upTo.reduce((n, p) => n + p.frame.length, 0));
      expect(s.packets).toBe(upTo.length);
      // Ethernet 14 + IPv4 20 + TCP (32 with timestamps, 40 in a SYN) + payload: the frame as captured.
      for (const p of upTo) {
        const tcp = p.layers.tcp!.end - p.layers.tcp!.start;
        expect(p.frame.length).toBe(14 + 20 + tcp + p.tcp.len);
        expect(tcp).toBe(p.tcp.flags.includes('SYN') ? 40 : 32);
      }
    }
  });

  it('shows polling’s cost: more bytes per message than a WebSocket, and short polling’s wait', () => {
    const perMessage = (m: ComparisonSeries['method']) => {
      const b = series(m).cumulativeBytes;
      return (b.at(-1)! - b[0]!) / (b.length - 1);
    };
    expect(perMessage('short-polling')).toBeGreaterThan(4 * perMessage('websocket'));
    expect(perMessage('long-polling')).toBeGreaterThan(3 * perMessage('websocket'));
    expect(perMessage('socketio')).toBeGreaterThan(perMessage('websocket'));
    const mean = (m: ComparisonSeries['method']) => series(m).delays.reduce((a, b) => a + b, 0) / 10;
    expect(mean('short-polling')).toBeGreaterThan(100);
    for (const m of ['long-polling', 'sse', 'websocket', 'socketio'] as const) {
      for (const d of series(m).delays) expect(d).toBeGreaterThanOrEqual(5);
      expect(mean(m)).toBeLessThan(10);
    }
    // Short polling: nobody waits longer than one interval plus a round trip.
    for (const d of series('short-polling').delays) expect(d).toBeLessThanOrEqual(lesson.interval + 15);
  });

  it('polls more often, and pays more bytes, with a shorter interval', () => {
    const fast = build({ ...lesson, interval: 250 });
    const slow = build({ ...lesson, interval: 2000 });
    const sp = (x: Timeline) => x.comparison!.series.find((s) => s.method === 'short-polling')!;
    // The same seeded arrival pattern, scaled: more polls per message when polling more often.
    const gaps = (x: Scenario) => messageTimes(x).map((v, i, a) => v - (a[i - 1] ?? COMPARE.leadNs));
    expect(gaps({ ...lesson, interval: 250 }).map((g) => g / 250)).toEqual(
      gaps({ ...lesson, interval: 2000 }).map((g) => g / 2000),
    );
    const polls = (x: Timeline) =>
      captureMessages(timelinePcap(x)).filter(
        (m) => m.line?.startsWith('GET /updates?since=') && !m.line.includes('wait'),
      ).length;
    expect(polls(fast)).toBeGreaterThan(10);
    expect(sp(fast).cumulativeBytes.at(-1)! / polls(fast)).toBeCloseTo(
      sp(slow).cumulativeBytes.at(-1)! / polls(slow),
      -2,
    );
    expect(Math.max(...sp(fast).delays)).toBeLessThanOrEqual(250 + 15);
  });

  it('puts real bytes on the wire: HTTP, WebSocket and Engine.IO that the parsers read back', () => {
    expect(checkConnections(t)).toEqual([]);
    const msgs = captureMessages(timelinePcap(t));
    const polls = msgs.filter(
      (m) => m.kind === 'http-response' && m.contentType === 'application/json; charset=utf-8',
    );
    expect(polls.length).toBeGreaterThan(10);
    for (const p of polls) expect(Array.isArray(JSON.parse(p.text))).toBe(true);
    // Server-Sent Events: one text/event-stream response, chunked, one chunk per message (protocol/sse.ts).
    const streams = msgs.filter((m) => m.contentType === 'text/event-stream');
    expect(streams).toHaveLength(1);
    expect(streams[0]!.chunks).toEqual(
      lesson.messages.map((m) => `event: ${COMPARE.event}\ndata: ${m.text}\n\n`),
    );
    const asks = msgs.filter((m) => m.kind === 'http-request' && m.client === streams[0]!.client);
    expect(asks.map((m) => m.line)).toEqual(['GET /updates HTTP/1.1']);
    // The WebSocket run comes before the Socket.IO run: its ten frames are the first, plain text.
    const frames = msgs.filter((m) => m.kind === 'ws-text' && m.dir === 's2c');
    expect(frames.slice(0, 10).map((f) => f.text)).toEqual(lesson.messages.map((m) => m.text));
    const events = msgs
      .flatMap((m) => realEioPackets(m))
      .filter((p) => p.type === 'message' && String(p.data).startsWith('2'));
    expect(events.map((p) => JSON.parse(String(p.data).slice(1))[1])).toEqual(
      lesson.messages.map((m) => m.text),
    );
  });

  it('answers Q12 in its steps and is deterministic', () => {
    expect(t.steps.some((s) => s.curriculum?.includes('Q12'))).toBe(true);
    expect(t.chapters.map((c) => c.id)).toEqual([
      'intro',
      'short-polling',
      'long-polling',
      'sse',
      'websocket',
      'socketio',
      'summary',
    ]);
    const again = build(parseLink('lesson=polling-vs-websocket').state.scenario);
    expect(bytesEqual(timelinePcap(again), timelinePcap(t))).toBe(true);
    expect(again.comparison).toEqual(t.comparison);
    const other = build({ ...lesson, seed: 7 });
    expect(other.comparison!.series[0]!.delays).not.toEqual(t.comparison!.series[0]!.delays);
  });

  it('streams a message longer than a segment as one chunk, read back whole (Server-Sent Events)', () => {
    const long = 'x'.repeat(4000) + ' é ✓';
    const x = build({
      ...lesson,
      messages: [
        { from: 's', text: 'short' },
        { from: 's', text: long },
      ],
    });
    const sse = x.comparison!.series.find((s) => s.method === 'sse')!;
    expect(sse.delays).toHaveLength(2);
    const shown = x.steps.filter((s) => s.chapter === 'sse').flatMap((s) => s.console ?? []);
    expect(shown.map((c) => c.text)).toEqual(['short', long]);
    // The chunk left in several segments (MSS 1460): the first carries the size line, the rest continue it.
    const chunkPkts = x.packets.filter((p) => p.app?.kind === 'http-chunk');
    expect(chunkPkts.map((p) => (p.app?.kind === 'http-chunk' ? p.app.size : -1))).toEqual([
      'event: news\ndata: short\n\n'.length,
      new TextEncoder().encode(`event: news\ndata: ${long}\n\n`).length,
    ]);
    const msgs = captureMessages(timelinePcap(x)).filter((m) => m.contentType === 'text/event-stream');
    expect(msgs[0]!.chunks).toEqual([`event: news\ndata: short\n\n`, `event: news\ndata: ${long}\n\n`]);
    // The page closed the stream: its FIN, the server's FIN, no RST.
    const conn = chunkPkts[0]!.connection;
    const pieces = x.packets.filter((p) => p.connection === conn && p.app?.kind === 'continuation');
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    const flags = x.packets.filter((p) => p.connection === conn).map((p) => p.tcp.flags);
    expect(flags.some((f) => f.includes('RST'))).toBe(false);
    expect(flags.filter((f) => f.includes('FIN'))).toHaveLength(2);
  });

  it('shows every byte of the event stream in the inspector: the head’s fields and each chunk’s', () => {
    const conn = t.packets.find((p) => p.app?.kind === 'http-chunk')!.connection;
    const carrying = t.packets.filter((p) => p.connection === conn && p.tcp.len > 0 && p.from === 'server');
    expect(carrying).toHaveLength(1 + lesson.messages.length);
    for (const p of carrying) {
      const app = p.layers.http!;
      expect(tilingProblems(p.fields, app.start, app.end), p.summary).toEqual([]);
    }
    const head = carrying[0]!.fields.filter((f) => f.layer === 'http').map((f) => f.name);
    expect(head).toEqual(expect.arrayContaining(['Transfer-Encoding', 'Content-Type', 'Blank line']));
    expect(carrying[1]!.fields.filter((f) => f.layer === 'http').map((f) => f.key)).toEqual([
      'chunkSize',
      'sse:event:1',
      'sse:data:2',
      'sseBlankLine',
      'chunkEnd',
    ]);
  });

  it('copes with no messages and with a single one', () => {
    const none = build({ ...lesson, messages: [] });
    expect(none.comparison!.messages).toBe(0);
    expect(none.comparison!.series.every((s) => s.cumulativeBytes.length === 0)).toBe(true);
    const one = build({ ...lesson, messages: [{ from: 'c', text: 'only one' }] });
    expect(one.comparison!.series.every((s) => s.delays.length === 1)).toBe(true);
  });
});
