/**
 * The application layer of a capture: every reassembled TCP stream is recognised by its first bytes
 * (an HTTP/1.x request line, or a TLS record header) and read by the decoder for it, which turns byte
 * ranges of the stream into `CapturedMessage`s. A stream neither HTTP nor TLS is named in a note and its
 * segments stand alone.
 *
 * What becomes a message: each HTTP request and response (head and body); each Engine.IO polling body,
 * again, as an `engineio` message over the body's bytes; each WebSocket frame (over Engine.IO, a complete
 * text frame is one `engineio` message instead of a `ws-frame`); the TLS records that carry no application
 * data (or all of them, without the key log).
 */
import {
  CAPTURE_LIMITS,
  type CapturedMessage,
  type CapturedSegment,
  type CaptureProblem,
  type TcpStream,
} from '../model';
import type { KeyLog } from '../keylog';
import { Decoding, type Channel } from './context';
import { decodeHttp } from './http';
import { decodeTls } from './tls';
import { decodeWebSocket, recogniseWebSocket } from './websocket';

export interface DecodeOptions {
  readonly keyLog?: KeyLog;
}

export interface Decoded {
  readonly messages: CapturedMessage[];
  readonly problems: CaptureProblem[];
}

/** `index`: the stream's place in `Capture.streams`, which `MessagePlace.stream` names. */
function channel(stream: TcpStream, index: number, direction: 0 | 1): Channel {
  const dir = stream.directions[direction];
  return {
    stream: index,
    direction,
    from: direction === 0 ? 'client' : 'server',
    bytes: dir.bytes,
    fin: dir.fin,
    gaps: dir.gaps,
  };
}

type Protocol = 'http' | 'tls' | 'http2' | 'empty' | 'unknown';

// RFC 9112 §3: method SP request-target SP HTTP-version CRLF (a token, then anything up to "HTTP/1.x").
const REQUEST_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [^ \r\n]+ HTTP\/1\.[019]\r\n/;
const STATUS_LINE = /^HTTP\/1\.[019] [0-9]{3}[ \r]/;
/** RFC 9113 §3.4: the client connection preface. */
const H2_PREFACE = 'PRI * HTTP/2.0\r\n';

function startText(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, 8192);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    s += String.fromCharCode(c);
    if (c === 0x0a) break;
  }
  return s;
}

/** RFC 8446 §5.1: a record starts with its content type (20-23) and legacy version 0x03xx. */
function looksLikeTls(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0]! >= 20 && bytes[0]! <= 23 && bytes[1] === 0x03 && bytes[2]! <= 0x04;
}

export function detectProtocol(stream: TcpStream): Protocol {
  const [c, s] = [stream.directions[0].bytes, stream.directions[1].bytes];
  if (c.length === 0 && s.length === 0) return 'empty';
  if (c.length > 0 && c[0] === 0x16 && looksLikeTls(c)) return 'tls';
  const first = startText(c);
  if (first.startsWith(H2_PREFACE)) return 'http2';
  if (REQUEST_LINE.test(first)) return 'http';
  if (c.length === 0 && STATUS_LINE.test(startText(s))) return 'http';
  if (c.length === 0 && looksLikeTls(s)) return 'tls';
  return 'unknown';
}

function describeStream(st: TcpStream): string {
  return `TCP stream ${st.id} (${st.client.ip}:${st.client.port} → ${st.server.ip}:${st.server.port})`;
}

export function decodeStreams(
  streams: readonly TcpStream[],
  segments: readonly CapturedSegment[],
  opts: DecodeOptions = {},
): Decoded {
  const d = new Decoding(streams, segments);
  streams.forEach((st, index) => {
    const client = channel(st, index, 0);
    const server = channel(st, index, 1);
    const protocol = detectProtocol(st);
    switch (protocol) {
      case 'empty':
        break;
      case 'http':
        decodeHttp(d, client, server);
        break;
      case 'tls':
        decodeTls(d, client, server, opts.keyLog);
        break;
      case 'http2':
        d.problem(
          'http2',
          `${describeStream(st)} speaks HTTP/2 in the clear (its preface, RFC 9113 §3.4), which Wirewalk does not decode; its segments stand alone.`,
          'note',
          { ch: client, offset: 0 },
        );
        break;
      case 'unknown': {
        const bytes = st.directions[0].bytes.length + st.directions[1].bytes.length;
        const ws = recogniseWebSocket([client, server]);
        if (ws) {
          // The upgrade happened before the capture began, so its Sec-WebSocket-Extensions is unknown: RSV1 on a
          // frame says permessage-deflate was agreed; with context takeover (the default, RFC 7692 §7.1.1) the
          // first messages may not inflate, because their window was filled before the capture.
          d.problem(
            'ws-no-upgrade',
            `${describeStream(st)} began before the capture (no HTTP upgrade in it), but its ${bytes} bytes are ${ws.frames} whole WebSocket frames, so they are read as such${ws.rsv1 ? ', assuming permessage-deflate with context takeover' : ''}${ws.engineIo ? ', their text as Engine.IO packets' : ''}.`,
            'note',
            { ch: st.directions[0].bytes.length > 0 ? client : server, offset: 0 },
          );
          const deflate = ws.rsv1
            ? {
                serverNoContextTakeover: false,
                clientNoContextTakeover: false,
                serverMaxWindowBits: 15,
                clientMaxWindowBits: 15,
              }
            : null;
          decodeWebSocket(d, client, 0, { deflate, engineIo: ws.engineIo });
          decodeWebSocket(d, server, 0, { deflate, engineIo: ws.engineIo });
          break;
        }
        d.problem(
          'unknown-payload',
          `${describeStream(st)} carries ${bytes} bytes that are neither HTTP/1.1 nor TLS, so they are not decoded; its segments stand alone.`,
          'note',
          { ch: st.directions[0].bytes.length > 0 ? client : server, offset: 0 },
        );
        break;
      }
    }
  });
  // Time order; ties keep record order (the segment that completed each), then decoding order.
  const keyed = d.messages.map((m, i) => ({
    m,
    i,
    last: m.place?.segments[m.place.segments.length - 1] ?? -1,
  }));
  keyed.sort((a, b) => a.m.time - b.m.time || a.last - b.last || a.i - b.i);
  let messages = keyed.map((k) => k.m);
  if (messages.length > CAPTURE_LIMITS.messages) {
    const last = messages[CAPTURE_LIMITS.messages - 1]!;
    d.problem(
      'too-many-messages',
      `The capture holds ${messages.length} application messages; only the first ${CAPTURE_LIMITS.messages} are kept (up to ${last.time.toFixed(3)} ms). Cut the capture to the part you want first, e.g. editcap -r in.pcap out.pcap 1-5000.`,
      'error',
    );
    messages = messages.slice(0, CAPTURE_LIMITS.messages);
  }
  return { messages, problems: d.problems };
}
