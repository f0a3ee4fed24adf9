/**
 * The polling-vs-websocket story's plan (CURRICULUM Q12): the five methods in the order they run, the
 * story's chapters, its constants, and when each message becomes available on the server.
 */
import { NS_PER_MS } from '../../engine/network';
import { rngStream } from '../../engine/rng';
import type { ChapterSpec } from '../../steps/recorder';
import type { Scenario } from '../../scenario';
import type { ComparisonSeries } from '../../types';

export type CompareMethod = ComparisonSeries['method'];

export const COMPARE = {
  /** The page is up this long before the first message can appear (connections are open by then). */
  leadNs: 500 * NS_PER_MS,
  /** Gaps between messages: uniform in [0.2, 1.8] × interval, so on average one interval. */
  gapMin: 0.2,
  gapMax: 1.8,
  /** How long a long-poll request is held without news before the server answers `[]`. */
  holdNs: 25_000 * NS_PER_MS,
  /** Pause between one method's last message and the next method's start (idle connections close). */
  pauseNs: 6_000 * NS_PER_MS,
  path: '/updates',
  event: 'news',
} as const;

export interface MethodSpec {
  readonly method: CompareMethod;
  readonly label: string;
  readonly chapter: string;
}

export const METHODS: readonly MethodSpec[] = [
  { method: 'short-polling', label: 'Short polling', chapter: 'short-polling' },
  { method: 'long-polling', label: 'Long polling', chapter: 'long-polling' },
  // The browser's API names the line, as for WebSocket: short enough for the chart's end labels.
  { method: 'sse', label: 'EventSource', chapter: 'sse' },
  { method: 'websocket', label: 'WebSocket', chapter: 'websocket' },
  { method: 'socketio', label: 'Socket.IO', chapter: 'socketio' },
];

export const COMPARE_CHAPTERS: readonly ChapterSpec[] = [
  {
    id: 'intro',
    // CURRICULUM Q12; the five methods and their order are Wirewalk's choice (METHODS).
    title: 'The same messages, five ways',
  },
  {
    id: 'short-polling',
    // RFC 6202 §2.1: with traditional polling the client asks at regular intervals.
    title: 'Short polling: ask every interval',
  },
  {
    id: 'long-polling',
    // RFC 6202 §2.1: with long polling the server holds each request until it has news.
    title: 'Long polling: the server holds the question',
  },
  {
    id: 'sse',
    // WHATWG HTML §9.2: an EventSource reads one response that the server keeps writing to.
    title: 'Server-Sent Events: one response that never ends',
  },
  {
    id: 'websocket',
    // RFC 6455 §1.2 and §5: one opening handshake, then each message in a frame (one frame here, §5.4).
    title: 'WebSocket: one connection, one frame per message',
  },
  {
    id: 'socketio',
    // engine.io-client lib/socket.ts: the handshake over polling, the upgrade; socket.io-parser: EVENT packets.
    title: 'Socket.IO: handshake, upgrade, then events',
  },
  {
    id: 'summary',
    // Measured in this run (sim/stories/compare/timeline.ts).
    title: 'Bytes and delay, side by side',
  },
];

/** When each message becomes available, relative to the start of a method's run (ns). */
export function messageTimes(scenario: Scenario): number[] {
  const rng = rngStream(scenario.seed, 'compare:times');
  const interval = scenario.interval * NS_PER_MS;
  const out: number[] = [];
  let t = COMPARE.leadNs;
  for (let i = 0; i < scenario.messages.length; i++) {
    const f = COMPARE.gapMin + ((COMPARE.gapMax - COMPARE.gapMin) * rng.int(0, 1000)) / 1000;
    t += Math.round(f * interval);
    out.push(t);
  }
  return out;
}
