/**
 * The compare story's lesson: HTTP polling next to a WebSocket.
 */
import type { ComparisonSeries, Step, Timeline } from '../../sim/types';
import { packetOf, appBytes, wsFrameOf, wsHeaderBytes, isTextFrame, seriesOf, httpBody } from './queries';
import type { LessonContent } from './types';
import { bytes, span } from './wording';

/** Polling vs WebSocket: what an empty poll costs, how long news waits, and the totals side by side. */
function pollingAside(step: Step, t: Timeline): string | undefined {
  const c = t.comparison;
  const series = seriesOf(step, t);
  if (!c || !series) return undefined;
  const ws = c.series.find((s) => s.method === 'websocket');
  const total = (s: ComparisonSeries): number => s.cumulativeBytes.at(-1) ?? 0;
  const p = packetOf(step, t);
  if (
    p &&
    step.kind === 'transmit' &&
    p.from === 'server' &&
    p.app?.kind === 'http-response' &&
    httpBody(p) === '[]'
  ) {
    const get = [...t.packets]
      .reverse()
      .find((q) => q.id < p.id && q.from === 'client' && q.app?.kind === 'http-request');
    const ack = t.packets.find((q) => q.id > p.id && q.from === 'client' && q.tcp.len === 0);
    if (!get || !ack) return undefined;
    const cost = get.frame.length + p.frame.length + ack.frame.length;
    // Frames as captured (no preamble, no FCS), as sim/stories/compare/timeline.ts counts them; RFC 9112 §2-3
    // (request line and headers) and RFC 9110 §8.6 (Content-Length) are most of the bytes.
    return (
      `Nothing new: the answer is []. This poll still cost ${bytes(cost)} in the capture (${get.frame.length} for the ` +
      `GET, ${p.frame.length} for the answer, ${ack.frame.length} for the ACK), almost all of it headers.`
    );
  }
  if (step.kind === 'app' && step.host === 'client') {
    const k = Number(/news (\d+)/.exec(step.title)?.[1] ?? NaN);
    const delay = series.delays[k - 1];
    if (step.console && delay !== undefined) {
      if (series.method === 'short-polling') {
        // sim/stories/compare/timeline.ts: the delay from the server having the news to the page showing it.
        return `News ${k} reached the page ${span(delay)} after the server had it: it waited for the next poll.`;
      }
      // Without polling every delay is the same one-way trip; saying it once is enough. The delay is measured
      // by sim/stories/compare/timeline.ts; a long poll is held by the server until news comes (RFC 6202 §2.1).
      const why =
        series.method === 'long-polling'
          ? 'the page’s request was already waiting at the server'
          : 'the connection was already open and no request was needed';
      // The delay: sim/stories/compare/timeline.ts (deliveredAt - availableAt).
      return k === 1
        ? `News 1 reached the page ${span(delay)} after the server had it: just the time one packet takes to ` +
            `cross the network, because ${why}.`
        : undefined;
    }
    if (step.title.startsWith(`${series.label}: `) && /\d+ bytes/.test(step.title) && ws) {
      // The totals: sim/stories/compare/timeline.ts (seriesOf), every frame of the method as captured.
      const others = c.series
        .filter((s) => s !== ws)
        .map((s) => `${s.label} ${(total(s) / total(ws)).toFixed(1)}×`);
      // The totals: sim/stories/compare/timeline.ts (seriesOf).
      return series === ws
        ? `For the same ${c.messages} messages, counting every header, the others needed: ${others.join(', ')} the WebSocket's ${bytes(total(ws))}.`
        : `${series.label}: ${bytes(total(series))} for ${c.messages} messages, ${(total(series) / total(ws)).toFixed(1)}× the WebSocket's ${bytes(total(ws))}.`;
    }
  }
  if (
    p &&
    step.kind === 'transmit' &&
    series.method === 'websocket' &&
    p.from === 'server' &&
    isTextFrame(p)
  ) {
    const first = t.packets.find(
      (q) =>
        q.from === 'server' &&
        isTextFrame(q) &&
        t.steps.some((s) => s.packet === q.id && s.chapter === 'websocket'),
    );
    const f = wsFrameOf(p);
    if (first !== p || !f) return undefined;
    // RFC 6455 §5.2 (a 2-byte header for a short unmasked frame); Ethernet 14, IPv4 20, TCP 32 with timestamps
    // (sim/engine/tcp.ts); counted as captured (sim/stories/compare/timeline.ts).
    return (
      `This news costs ${bytes(p.frame.length)} in the capture: a ${wsHeaderBytes(p, f)}-byte WebSocket header, ` +
      `${bytes(f.payload.length)} of text and ${bytes(p.frame.length - appBytes(p).length)} of TCP, IPv4 and ` +
      'Ethernet headers. No request went before it, and no HTTP headers travel with it.'
    );
  }
  return undefined;
}

export const COMPARE_LESSONS: readonly LessonContent[] = [
  {
    id: 'polling-vs-websocket',
    // RFC 9112 §3-4: an HTTP response answers a request. RFC 6202 §1 (polling), §2.1 (long polling).
    // WHATWG HTML §9.2 "Server-sent events": EventSource, one response the server keeps writing to (RFC 6202
    // §3's HTTP streaming; RFC 9112 §7.1 chunks). The five runs and what the chart counts:
    // sim/stories/compare/timeline.ts.
    intro:
      'With plain requests, a page gets news only by asking: again and again (short polling), or with a ' +
      'request the server holds until it has news (long polling). HTTP can push too, one way: with ' +
      'Server-Sent Events (EventSource) one response stays open and carries each message as it comes. Here ' +
      'the same messages reach the browser five ways: short polling, long polling, Server-Sent Events, a ' +
      'WebSocket and Socket.IO, and the chart counts every byte of every captured frame and how late each ' +
      'message arrives.',
    checks: [
      {
        // RFC 9112 §3 and §4 (request and response each carry their headers); RFC 6202 §1.
        question: 'Why does short polling cost so many bytes?',
        choices: [
          // RFC 9112 §3-4; the run's empty polls (the aside above counts them).
          'Every poll is a whole HTTP request and response with headers, even when there is nothing new',
          // RFC 9110 §8.4: HTTP can compress bodies (Content-Encoding); the headers are the cost here.
          'HTTP cannot compress text',
          // sim/stories/compare/timeline.ts: each message is delivered once.
          'Polling sends every message twice',
        ],
        answer: 0,
        // RFC 9112 §3-4; Ethernet, IPv4 and TCP headers on every packet (sim/stories/compare/timeline.ts).
        explain:
          'Each poll carries a request line and headers, a response with its own headers, and the TCP, IPv4 ' +
          'and Ethernet headers of every packet, whether or not a message was waiting.',
      },
      {
        // RFC 6202 §1 (polling latency); the run's delays (sim/stories/compare/timeline.ts).
        question: 'With short polling every second, how late can a message reach the browser?',
        choices: [
          // RFC 6202 §1: news waits for the next poll, plus the trip back.
          'Up to about one polling interval',
          // The run: short polling's delays reach hundreds of ms (sim/stories/compare/timeline.ts).
          'Never late at all',
          // sim/stories/compare/methods.ts: news comes at irregular times, so delays vary.
          'Exactly two seconds, always',
        ],
        answer: 0,
        // RFC 6202 §1 and §2.1; RFC 6455 §5 (frames sent whenever the server has data).
        explain:
          'A message that arrives at the server just after a poll waits for the next one. A long poll delivers ' +
          'it as soon as the server has it when a request is waiting (the page asks again right after each ' +
          'answer), and a WebSocket always does.',
      },
      {
        // RFC 6455 §5.2: a frame header of 2 to 14 bytes.
        question: 'What does a WebSocket add to each message once it is open?',
        choices: [
          // RFC 6455 §5.2; Ethernet, IPv4 and TCP headers (sim/engine/tcp.ts).
          'A frame header of 2 to 14 bytes, plus the TCP, IP and Ethernet headers every packet has',
          // RFC 6455 §1.2: after the handshake no HTTP is sent on the connection.
          'A complete HTTP request and response',
          // RFC 6455 §5.2: every message has a frame header.
          'Nothing at all',
        ],
        answer: 0,
        // RFC 6455 §4 (one handshake) and §5.2 (2 bytes for a short unmasked frame); the chart's lines come
        // from sim/stories/compare/timeline.ts.
        explain:
          'The handshake is paid once; after that a short server message costs a 2-byte frame header. That ' +
          'is why the WebSocket line on the chart stays flat while the polling line climbs.',
      },
    ],
    // RFC 6202 §1 (the polling trade-off); WHATWG HTML §9.2 (Server-Sent Events; their bytes in the run:
    // sim/stories/compare/timeline.ts); interval= is a link knob (src/lesson/link.ts).
    teacherNotes:
      'Start with a show of hands: "how would you build a chat with only HTTP?" Then open the chart. Ask ' +
      'which line climbs fastest and why (headers on every poll). Compare delays: short polling waits for the ' +
      'next poll; long polling (with a request waiting), Server-Sent Events and WebSocket deliver at once. ' +
      'Point at the Server-Sent Events line: the server pushes over HTTP, one way, nearly as cheaply as a ' +
      'WebSocket. Change interval= in the link (e.g. 250 or 5000) to ' +
      'show the trade-off between delay and bytes.',
    aside: pollingAside,
  },
];
