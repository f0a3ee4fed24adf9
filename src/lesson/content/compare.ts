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
    return (
      `Nothing new: the answer is []. This poll still cost ${bytes(cost)} on the wire (${get.frame.length} for the ` +
      `GET, ${p.frame.length} for the answer, ${ack.frame.length} for the ACK), almost all of it headers.`
    );
  }
  if (step.kind === 'app' && step.host === 'client') {
    const k = Number(/news (\d+)/.exec(step.title)?.[1] ?? NaN);
    const delay = series.delays[k - 1];
    if (step.console && delay !== undefined) {
      if (series.method === 'short-polling') {
        return `News ${k} reached the page ${span(delay)} after the server had it: it waited for the next poll.`;
      }
      // Without polling every delay is the same one-way trip; saying it once is enough.
      return k === 1
        ? `News 1 reached the page ${span(delay)} after the server had it: just the time one packet takes to ` +
            'cross the network, with no poll to wait for.'
        : undefined;
    }
    if (step.title.startsWith(`${series.label}: `) && /\d+ bytes/.test(step.title) && ws) {
      const others = c.series
        .filter((s) => s !== ws)
        .map((s) => `${s.label} ${(total(s) / total(ws)).toFixed(1)}×`);
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
    return (
      `This news costs ${bytes(p.frame.length)} on the wire: a ${wsHeaderBytes(p, f)}-byte WebSocket header, ` +
      `${bytes(f.payload.length)} of text and ${bytes(p.frame.length - appBytes(p).length)} of TCP, IPv4 and ` +
      'Ethernet headers. No request went before it, and no HTTP headers travel with it.'
    );
  }
  return undefined;
}

export const COMPARE_LESSONS: readonly LessonContent[] = [
  {
    id: 'polling-vs-websocket',
    intro:
      'Before WebSockets, a page that wanted news had to ask for it, again and again. Here the same messages ' +
      'reach the browser four ways: short polling, long polling, a WebSocket and Socket.IO. The chart counts ' +
      'every byte on the wire, headers of every layer included, and how late each message arrives.',
    checks: [
      {
        question: 'Why does short polling cost so many bytes?',
        choices: [
          'Every poll is a whole HTTP request and response with headers, even when there is nothing new',
          'HTTP cannot compress text',
          'Polling sends every message twice',
        ],
        answer: 0,
        explain:
          'Each poll carries a request line and headers, a response with its own headers, and the TCP, IPv4 ' +
          'and Ethernet headers of every packet, whether or not a message was waiting.',
      },
      {
        question: 'With short polling every second, how late can a message reach the browser?',
        choices: ['Up to about one polling interval', 'Never late at all', 'Exactly two seconds, always'],
        answer: 0,
        explain:
          'A message that arrives at the server just after a poll waits for the next one. Long polling and ' +
          'WebSockets deliver it as soon as the server has it.',
      },
      {
        question: 'What does a WebSocket add to each message once it is open?',
        choices: [
          'A frame header of 2 to 14 bytes, plus the TCP, IP and Ethernet headers every packet has',
          'A complete HTTP request and response',
          'Nothing at all',
        ],
        answer: 0,
        explain:
          'The handshake is paid once; after that a short server message costs a 2-byte frame header. That ' +
          'is why the WebSocket line on the chart stays flat while the polling line climbs.',
      },
    ],
    teacherNotes:
      'Start with a show of hands: "how would you build a chat with only HTTP?" Then open the chart. Ask ' +
      'which line climbs fastest and why (headers on every poll). Compare delays: short polling waits for the ' +
      'next poll, long polling and WebSocket deliver at once. Change interval= in the link (e.g. 250 or ' +
      '5000) to show the trade-off between delay and bytes.',
    aside: pollingAside,
  },
];
