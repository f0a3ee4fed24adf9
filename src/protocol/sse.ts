/**
 * Server-Sent Events on the wire: the chunked transfer coding that carries a response with no
 * Content-Length (RFC 9112 §7.1), and the `text/event-stream` format inside it (WHATWG HTML §9.2.5
 * "Parsing an event stream", §9.2.6 "Interpreting an event stream").
 *
 * Encoders write the bytes as Node's `http` module and an SSE server write them (checked against Node 20:
 * `res.write('event: news\ndata: Hello\n\n')` goes out as `19\r\nevent: news\ndata: Hello\n\n\r\n`, the size
 * in lowercase hex); decoders read them as a browser does, byte by byte as they arrive.
 */
import { concatBytes, utf8 } from './bytes';
import type { FieldAnnotation } from './fields';

const CRLF = '\r\n';
const ASCII = new TextEncoder();
const LATIN1 = new TextDecoder('latin1');

/** RFC 9112 §7.1: chunk = chunk-size CRLF chunk-data CRLF, chunk-size = 1*HEXDIG (Node writes lowercase). */
export function encodeChunk(data: Uint8Array): Uint8Array {
  // RFC 9112 §7.1: a chunk of size 0 is the last chunk.
  if (data.length === 0) throw new RangeError('an empty chunk would end the body: use LAST_CHUNK');
  return concatBytes(ASCII.encode(data.length.toString(16) + CRLF), data, ASCII.encode(CRLF));
}

/** RFC 9112 §7.1: last-chunk (`0` CRLF), no trailer fields (§7.1.2), the final CRLF. */
export const LAST_CHUNK: Uint8Array = ASCII.encode(`0${CRLF}${CRLF}`);

/** What a chunked body yields as its bytes come in. */
export type ChunkItem =
  | { readonly kind: 'chunk'; readonly data: Uint8Array }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Reads a chunked body incrementally (RFC 9112 §7.1.3's decoding algorithm): size line, data, CRLF, until
 * the last chunk and its trailer section. Chunk extensions after `;` are ignored (§7.1.1: a recipient
 * ignores extensions it does not understand); trailer fields are read and dropped (§7.1.2).
 */
export class ChunkedDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' | 'failed' = 'size';
  private need = 0;

  get done(): boolean {
    return this.state === 'done';
  }

  push(bytes: Uint8Array): ChunkItem[] {
    const out: ChunkItem[] = [];
    if (this.state === 'done' || this.state === 'failed') return out;
    this.buf = this.buf.length ? concatBytes(this.buf, bytes) : bytes;
    for (;;) {
      if (this.state === 'size' || this.state === 'trailer') {
        const eol = lineEnd(this.buf);
        if (eol < 0) break;
        const line = LATIN1.decode(this.buf.subarray(0, eol));
        this.buf = this.buf.subarray(eol + 2);
        if (this.state === 'trailer') {
          // §7.1.2: trailer fields until an empty line, which ends the message.
          if (line === '') {
            this.state = 'done';
            out.push({ kind: 'end' });
            return out;
          }
          continue;
        }
        const size = line.split(';')[0]!.replace(/[ \t]+$/, '');
        if (!/^[0-9a-fA-F]{1,15}$/.test(size)) {
          this.state = 'failed';
          out.push({
            kind: 'error',
            // RFC 9112 §7.1: chunk-size = 1*HEXDIG.
            message: `chunk size ${JSON.stringify(size.slice(0, 20))} is not hex`,
          });
          return out;
        }
        this.need = parseInt(size, 16);
        this.state = this.need === 0 ? 'trailer' : 'data';
        continue;
      }
      if (this.state === 'data') {
        if (this.buf.length < this.need) break;
        out.push({ kind: 'chunk', data: this.buf.slice(0, this.need) });
        this.buf = this.buf.subarray(this.need);
        this.state = 'data-crlf';
        continue;
      }
      // 'data-crlf': the CRLF that closes chunk-data.
      if (this.buf.length < 2) break;
      if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) {
        this.state = 'failed';
        out.push({
          kind: 'error',
          // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
          message: 'chunk data is not followed by CRLF',
        });
        return out;
      }
      this.buf = this.buf.subarray(2);
      this.state = 'size';
    }
    return out;
  }
}

function lineEnd(b: Uint8Array): number {
  for (let i = 0; i + 1 < b.length; i++) if (b[i] === 0x0d && b[i + 1] === 0x0a) return i;
  return -1;
}

/**
 * One event as an SSE server writes it (WHATWG HTML §9.2.5's ABNF: `field: value` lines ending in LF,
 * a blank line ending the event): `event: <name>` when named, then one `data:` line per line of the text
 * (§9.2.6: the browser joins data lines with LF).
 */
export function encodeSseEvent(data: string, event?: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`);
  return `${event ? `event: ${event}\n` : ''}${lines.join('')}\n`;
}

/** An event the browser dispatches (§9.2.6): its type (`message` unless named), data, last event ID. */
export interface SseEvent {
  readonly type: string;
  readonly data: string;
  readonly lastEventId: string;
}

/**
 * The browser's event-stream parser (WHATWG HTML §9.2.6 "Interpreting an event stream"), fed the body's
 * bytes as they arrive:
 * - the stream is UTF-8, and one leading BOM is dropped (§9.2.5);
 * - lines end in CRLF, LF or CR (§9.2.5's `end-of-line`);
 * - an empty line dispatches the event; a line starting with `:` is a comment; otherwise the field name
 *   runs to the first `:` and one space after it is dropped from the value; a line without `:` is a field
 *   name with an empty value (§9.2.6);
 * - `event` sets the type, `data` appends the value and an LF, `id` sets the last event ID (unless it holds
 *   NUL), `retry` (digits only) sets the reconnection time; other fields are ignored (§9.2.6);
 * - dispatch: an empty data buffer dispatches nothing; one trailing LF is removed; no type means `message`
 *   (§9.2.6 "dispatch the event").
 */
export class SseParser {
  private readonly text = new TextDecoder('utf-8');
  private pending = '';
  private started = false;
  private lastCR = false;
  private type = '';
  private data = '';
  lastEventId = '';
  /** Set by a `retry:` field (ms). */
  reconnectionTime: number | null = null;

  push(bytes: Uint8Array): SseEvent[] {
    let s = this.text.decode(bytes, { stream: true });
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    // A CR ended the last push: an LF that starts this one belongs to it (CRLF is one end-of-line).
    if (this.lastCR && s.startsWith('\n')) s = s.slice(1);
    this.lastCR = false;
    this.pending += s;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.pending);
      if (!m) break;
      // A CR at the very end may be the first half of a CRLF: take the line, remember the CR.
      if (m[0] === '\r' && m.index === this.pending.length - 1) this.lastCR = true;
      const line = this.pending.slice(0, m.index);
      this.pending = this.pending.slice(m.index + m[0].length);
      const e = this.line(line);
      if (e) out.push(e);
    }
    return out;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (name) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data += value + '\n';
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.reconnectionTime = Number(value);
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const data = this.data;
    const type = this.type;
    this.data = '';
    this.type = '';
    if (data === '') return null;
    return { type: type || 'message', data: data.slice(0, -1), lastEventId: this.lastEventId };
  }
}

/**
 * The inspector's fields of one chunk that carries one event, offsets within the chunk's bytes: the size
 * line (RFC 9112 §7.1), each line of the event (WHATWG HTML §9.2.5), the blank line, the closing CRLF.
 */
export function sseChunkFields(chunk: Uint8Array): FieldAnnotation[] {
  const text = LATIN1.decode(chunk);
  const sizeEnd = text.indexOf(CRLF);
  if (sizeEnd < 0) return [];
  const size = parseInt(text.slice(0, sizeEnd), 16);
  const out: FieldAnnotation[] = [
    {
      layer: 'http',
      key: 'chunkSize',
      name: 'Chunk size',
      start: 0,
      end: sizeEnd + 2,
      value: `${text.slice(0, sizeEnd)} (${size} bytes)`,
      meaning:
        // RFC 9112 §7.1: the chunk-size line.
        'Chunked transfer coding (RFC 9112 §7.1): the size of the chunk that follows, in hexadecimal. The response has no Content-Length, so each piece says how long it is.',
    },
  ];
  const dataStart = sizeEnd + 2;
  const dataEnd = dataStart + size;
  // Lines are counted in bytes (UTF-8), so split the raw bytes at LF.
  let at = dataStart;
  let n = 0;
  while (at < dataEnd) {
    let eol = at;
    while (eol < dataEnd && chunk[eol] !== 0x0a) eol++;
    const raw = new TextDecoder('utf-8').decode(chunk.subarray(at, eol));
    const colon = raw.indexOf(':');
    const field = raw === '' ? '' : colon < 0 ? raw : raw.slice(0, colon);
    n++;
    out.push({
      layer: 'http',
      key: raw === '' ? 'sseBlankLine' : `sse:${field}:${n}`,
      name: raw === '' ? 'Blank line' : `Event field ${field}`,
      start: at,
      end: Math.min(eol + 1, dataEnd),
      value: raw === '' ? '\\n' : raw,
      meaning:
        raw === ''
          ? // WHATWG HTML §9.2.6 (dispatch on an empty line; the event, data and other fields).
            'An empty line ends the event: the browser dispatches it now (WHATWG HTML §9.2.6).'
          : field === 'event'
            ? 'The event type: the page listens for it with addEventListener (WHATWG HTML §9.2.6).'
            : field === 'data'
              ? 'The message itself; several data lines would be joined with line feeds (WHATWG HTML §9.2.6).'
              : 'An event-stream field (WHATWG HTML §9.2.5).',
    });
    at = eol + 1;
  }
  out.push({
    layer: 'http',
    key: 'chunkEnd',
    name: 'Chunk end',
    start: dataEnd,
    end: dataEnd + 2,
    value: '\\r\\n',
    meaning:
      // RFC 9112 §7.1: chunk-data is followed by CRLF.
      'CR LF closes the chunk (RFC 9112 §7.1); the next size line follows whenever the server writes again.',
  });
  return out;
}

/** The bytes of one SSE event as one chunk: what `res.write(event)` puts on a chunked response. */
export function sseEventChunk(data: string, event?: string): Uint8Array {
  return encodeChunk(utf8(encodeSseEvent(data, event)));
}
