/**
 * What each step of the polling-vs-websocket story says (CURRICULUM Q12, with Q8 and Q9): the plan, each
 * method's start, every packet with its bytes per layer, each message's delay, and the figures side by side.
 */
import type { EioWrite } from '../../libs/engineio/writes';
import type { Scenario } from '../../scenario';
import type { Narration } from '../../steps/narration';
import { bytesText, msText } from '../../steps/phrases';
import type { ComparisonSeries, Packet } from '../../types';
import { COMPARE, type CompareMethod } from './methods';
import { utf8 } from '../../../protocol/bytes';
import { sseEventChunk } from '../../../protocol/sse';

function layerBreakdown(p: Packet): string {
  const tcp = p.layers.tcp ? p.layers.tcp.end - p.layers.tcp.start : 0;
  // IEEE 802.3 clause 3: the 14-byte Ethernet header (the frame as a capture shows it: no preamble, FCS or
  // padding); RFC 791 §3.1: IPv4 20 bytes without options; RFC 9293 §3.1: the TCP header with its options.
  return (
    `${bytesText(p.frame.length)} in the frame: Ethernet 14 + IPv4 20 + TCP ${tcp}` +
    (p.tcp.len > 0 ? ` + ${bytesText(p.tcp.len)} of ${p.layers.websocket ? 'WebSocket' : 'HTTP'}` : '')
  );
}

/** A packet's one step: its bytes per layer, and what they bought. */
export function narrateComparePacket(
  p: Packet,
  w: EioWrite | undefined,
  fromBrowser: boolean,
  method: CompareMethod | undefined,
): Narration {
  return {
    title: `${fromBrowser ? 'Browser → server' : 'Server → browser'}: ${w ? w.summary : p.summary}`,
    text:
      `${layerBreakdown(p)}.` +
      (w?.purpose === 'http-request' && method === 'short-polling'
        ? // RFC 6202 §2.2 (header overhead): every request repeats its header fields (RFC 9112 §3).
          ' The page asks whether there is news; most of these bytes are headers, sent again every time.'
        : '') +
      (w?.purpose === 'http-response' && w.text === '[]'
        ? // sim/stories/compare/programs.ts answer(): the body [] when there is no news.
          ' Nothing new: the whole round trip carried no news.'
        : '') +
      ssePacketNote(w, method) +
      sseCloseNote(p, fromBrowser, method) +
      (p.tcp.len === 0 && !p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('FIN')
        ? // RFC 9293 §3.1: a segment with no data still carries the IP and TCP headers; IEEE 802.3: a frame.
          ' A bare acknowledgment: it carries no data but still costs a whole frame.'
        : ''),
  };
}

/** HTTP bytes around one message when it travels as one chunked event (protocol/sse.ts sseEventChunk). */
function sseFraming(text: string): number {
  return sseEventChunk(text, COMPARE.event).length - utf8(text).length;
}

/** What a packet of the Server-Sent Events run adds to its bytes (empty for the other methods). */
function ssePacketNote(w: EioWrite | undefined, method: CompareMethod | undefined): string {
  if (method !== 'sse' || !w) return '';
  switch (w.purpose) {
    case 'http-request':
      // WHATWG HTML §9.2.2: the EventSource constructor fetches the URL with Accept: text/event-stream.
      return ' EventSource asks once, with Accept: text/event-stream. This one request stays open for the whole run.';
    case 'http-response':
      // RFC 9112 §7.1 (chunked transfer coding); Node lib/_http_outgoing.js adds it when no Content-Length is set.
      return (
        ' The answer has no Content-Length. Transfer-Encoding: chunked says the body comes in pieces, each ' +
        'with its own size, and this body never ends.'
      );
    case 'sse-chunk': {
      const size = w.info.kind === 'http-chunk' ? w.info.size : 0;
      // RFC 9112 §7.1 (chunk-size in hex, CRLF); WHATWG HTML §9.2.5 (event and data lines, a blank line ends the event).
      return (
        ` One chunk: its size in hexadecimal (${size.toString(16)} = ${size} bytes), the event ` +
        `("event: ${COMPARE.event}", "data: …", a blank line), then CR LF. That is ` +
        `${bytesText(sseFraming(w.text))} of HTTP around the message.`
      );
    }
    default:
      return '';
  }
}

/** The page's FIN that ends the Server-Sent Events run (empty for every other packet). */
function sseCloseNote(p: Packet, fromBrowser: boolean, method: CompareMethod | undefined): string {
  if (method !== 'sse' || !fromBrowser || !p.tcp.flags.includes('FIN')) return '';
  // WHATWG HTML §9.2.2 close(); sim/libs/http.ts ExchangeHandle.close: Chrome closes a connection whose
  // response it stopped reading (net/http/http_network_transaction.cc), with a FIN as nothing is unread.
  return (
    ' The page has all its messages and calls source.close(). The response never ended, so the ' +
    'connection cannot carry another request: the browser closes it.'
  );
}

/** The story's first step: what is about to happen. */
export function narratePlan(scenario: Scenario, n: number): Narration {
  return {
    // CURRICULUM Q12: the five methods; their order is Wirewalk's choice (methods.ts METHODS).
    title: `${n} messages, five ways`,
    // Wirewalk's choice (sim/stories/compare/methods.ts messageTimes()): gaps uniform in [0.2, 1.8] × interval;
    // the byte counts are the frames' lengths (sim/stories/compare/timeline.ts cumulativeBytes).
    text:
      `The server will have ${n} message${n === 1 ? '' : 's'} for the page, at irregular times ` +
      `(on average one every ${msText(scenario.interval)}). The page gets them by short polling (asking every ` +
      `${msText(scenario.interval)}), by long polling, with Server-Sent Events, over a WebSocket and with ` +
      'Socket.IO, one method after the other. For each, the chart counts every byte of every frame, headers of ' +
      'every layer included, and ' +
      'how long each message waited before the page saw it.',
    curriculum: ['Q12'],
  };
}

/** Message `i` (0-based) of `n` becomes available on the server. */
export function narrateNews(text: string, i: number, n: number): Narration {
  return {
    // Wirewalk's choice (sim/stories/compare/methods.ts messageTimes()): when each message appears.
    title: `News ${i + 1} of ${n} on the server: ${JSON.stringify(text)}`,
    // sim/stories/compare/programs.ts publish(): the server's function for a new message.
    text: `publish(${JSON.stringify(text)}): the server has message ${i + 1} now. How soon will the page see it?`,
  };
}

/** The page shows message `i` (0-based), `delayNs` after the server had it. */
export function narrateDelivery(text: string, i: number, delayNs: number): Narration {
  return {
    // sim/stories/compare/programs.ts show(): the page prints the message.
    title: `The page shows news ${i + 1}: ${JSON.stringify(text)}`,
    // Measured in this run (sim/stories/compare/timeline.ts): delivery time minus publish time.
    text: `It reached the page ${msText(Math.round(delayNs / 100_000) / 10)} after the server had it.`,
  };
}

export function phaseIntro(method: CompareMethod, scenario: Scenario, n: number): Narration {
  switch (method) {
    case 'short-polling':
      return {
        // sim/stories/compare/programs.ts: setInterval() with fetch(); RFC 6202 §2 (polling).
        title: `Short polling: GET ${COMPARE.path} every ${msText(scenario.interval)}`,
        // RFC 6202 §2: the client polls at regular intervals and the server answers at once, news or not;
        // sim/stories/compare/programs.ts answer(): [] when there is nothing new.
        text:
          `The page asks the server every ${msText(scenario.interval)} whether there is news, with an ordinary ` +
          'HTTP request and all its headers. The server answers at once, usually with nothing ([]). A message ' +
          'waits on the server until the next question comes: up to one whole interval.',
        curriculum: ['Q12'],
      };
    case 'long-polling':
      return {
        // RFC 6202 §2.1: the server holds the request until it has news.
        title: 'Long polling: one question held open',
        // RFC 6202 §2.1 (the server holds the request, the client asks again at once) and §2.2 (header overhead).
        text:
          'The page asks once; the server keeps the question open until it has news, then answers, and the ' +
          'page asks again at once. Messages arrive quickly, but each still costs a whole HTTP request and ' +
          'response with their headers.',
        curriculum: ['Q12'],
      };
    case 'sse':
      return {
        // WHATWG HTML §9.2.2: the EventSource constructor; the page's line in sim/stories/compare/programs.ts.
        title: `Server-Sent Events: new EventSource('${COMPARE.path}')`,
        // WHATWG HTML §9.2.2 (EventSource sends one GET), §9.2.5 (the event stream format); RFC 9112 §7.1 (chunked).
        text:
          'The page sends one ordinary HTTP request. The server answers 200 OK with Content-Type: ' +
          'text/event-stream and no Content-Length, so the answer never has to end: the body comes in chunks. ' +
          `The server pushes each message as one chunk holding "event: ${COMPARE.event}" and "data: …" lines. ` +
          // WHATWG HTML §9.2.2: EventSource has no send(); a message to the server is another request.
          'It works in one direction only: the page cannot send on it, it would need a separate request.',
        curriculum: ['Q12'],
      };
    case 'websocket':
      return {
        // sim/stories/compare/programs.ts: new WebSocket('ws://server/updates').
        title: `WebSocket: ws://server${COMPARE.path}`,
        // RFC 6455 §4.1 (one HTTP upgrade) and §5.2: 2 header bytes, 2 more for 126 to 65535 bytes of payload,
        // 8 more above; the server's frames carry no mask (§5.1), so at most 10.
        text:
          'One HTTP upgrade, then the connection stays open and the server sends each message as a frame with ' +
          `a header of 2 bytes for a short message (at most 10). ${n} messages, no more questions.`,
        curriculum: ['Q12', 'Q9'],
      };
    case 'socketio':
      return {
        // sim/stories/compare/programs.ts: const socket = io().
        title: 'Socket.IO: io()',
        // engine.io-client lib/socket.ts: polling first, then the WebSocket probe and upgrade; socket.io-parser
        // lib/index.ts: an EVENT is 2["name",…] inside the Engine.IO message 4; CURRICULUM Q8: its features.
        text:
          'Socket.IO starts with its Engine.IO handshake over HTTP long-polling, upgrades to a WebSocket, then ' +
          `sends each message as an event (42["${COMPARE.event}",…]): a little more than a bare WebSocket, ` +
          'for its extra features.',
        curriculum: ['Q12', 'Q8'],
      };
  }
}

/** `Label: N bytes, P packets, D average delay`: one method's figures. */
function figures(s: ComparisonSeries): { total: number; mean: number; line: string } {
  const total = s.cumulativeBytes.at(-1) ?? 0;
  const mean = s.delays.length ? s.delays.reduce((a, b) => a + b, 0) / s.delays.length : 0;
  // Measured in this run (sim/stories/compare/timeline.ts): bytes of the frames, packets, mean delay.
  const line = `${s.label}: ${total} bytes, ${s.packets} packets, ${msText(Math.round(mean * 10) / 10)} average delay`;
  return { total, mean, line };
}

export function phaseSummary(method: CompareMethod, s: ComparisonSeries): Narration {
  const { total, mean, line } = figures(s);
  const max = s.delays.length ? Math.round(Math.max(...s.delays) * 10) / 10 : 0;
  return {
    title: line,
    // Measured in this run (sim/stories/compare/timeline.ts): the phase's frames and delivery delays.
    text:
      `All ${s.delays.length} messages arrived. In the frames: ${total} bytes in ${s.packets} packets ` +
      `(${s.delays.length ? Math.round(total / s.delays.length) : 0} bytes per message), counting every ` +
      `TCP connection ${method === 'short-polling' || method === 'long-polling' ? 'and every request ' : ''}it ` +
      `needed. Delay from the server having a message to the page showing it: ${msText(Math.round(mean * 10) / 10)} ` +
      `on average, at worst ${msText(max)}.`,
    curriculum: ['Q12'],
  };
}

export function summaryNarration(series: readonly ComparisonSeries[], scenario: Scenario): Narration {
  return {
    // CURRICULUM Q12.
    title: 'Why not just HTTP polling?',
    text:
      // Measured in this run; RFC 6202 §2 and §2.2 (polling's latency and header overhead); RFC 6455 §5.2
      // (server frames: 2 to 10 header bytes); WHATWG HTML §9.2 (Server-Sent Events: one response kept open,
      // the server writes each event into it); CURRICULUM Q8 and Q9.
      series.map((s) => figures(s).line).join('; ') +
      `. Short polling pays full HTTP headers for every question, news or not, and makes each message wait up ` +
      `to ${msText(scenario.interval)}; asking more often cuts the wait but multiplies the bytes. Long polling ` +
      'cuts the wait, but every message still costs a request and a response with headers. ' +
      sseSummary(scenario) +
      // RFC 6455 §5.2: the server's frames are unmasked (§5.1), so 2 to 10 header bytes.
      'A WebSocket pays its handshake once, then 2 to 10 bytes of frame header per message from the server, ' +
      'and the message leaves as soon as the server has it. Socket.IO adds its handshake, upgrade and a few ' +
      'bytes per event to that, in exchange for its features.',
    curriculum: ['Q12', 'Q9', 'Q8'],
  };
}

/** The summary's sentence on Server-Sent Events, with the framing of the first message. */
function sseSummary(scenario: Scenario): string {
  const first = scenario.messages[0]?.text ?? '';
  // RFC 9112 §7.1 and WHATWG HTML §9.2.5: the chunk's size line and event lines; figures from protocol/sse.ts.
  return (
    'Server-Sent Events (EventSource) pay one request; after that each message leaves as soon as the server has it, ' +
    `with about ${bytesText(sseFraming(first))} of chunk and event lines around it. But the stream only runs ` +
    'from server to page. '
  );
}
