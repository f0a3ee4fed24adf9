import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../src/protocol/bytes';
import {
  ChunkedDecoder,
  LAST_CHUNK,
  SseParser,
  encodeChunk,
  encodeSseEvent,
  sseChunkFields,
  sseEventChunk,
  type ChunkItem,
} from '../../src/protocol/sse';

const LATIN1 = new TextDecoder('latin1');

/** Bytes Node 20's http module wrote for `res.write('event: news\ndata: Hello\n\n')` and a 20-byte message. */
const NODE_CHUNKS = [
  '19\r\nevent: news\ndata: Hello\n\n\r\n',
  '28\r\nevent: news\ndata: xxxxxxxxxxxxxxxxxxxx\n\n\r\n',
];

/** An independent reading of RFC 9112 §7.1, for the encoder: size line in hex, data, CRLF. */
function dechunk(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    const size = parseInt(text.slice(at, eol), 16);
    if (size === 0) return out;
    out.push(text.slice(eol + 2, eol + 2 + size));
    expect(text.slice(eol + 2 + size, eol + 4 + size)).toBe('\r\n');
    at = eol + 4 + size;
  }
}

describe('chunked transfer coding (RFC 9112 §7.1)', () => {
  it('writes each event as Node does: size in lowercase hex, data, CRLF', () => {
    expect(LATIN1.decode(sseEventChunk('Hello', 'news'))).toBe(NODE_CHUNKS[0]);
    expect(LATIN1.decode(sseEventChunk('x'.repeat(20), 'news'))).toBe(NODE_CHUNKS[1]);
    // 255 and 256 bytes: two and three hex digits.
    expect(LATIN1.decode(encodeChunk(new Uint8Array(255))).slice(0, 4)).toBe('ff\r\n');
    expect(LATIN1.decode(encodeChunk(new Uint8Array(256))).slice(0, 5)).toBe('100\r\n');
    expect(() => encodeChunk(new Uint8Array(0))).toThrow(/last chunk|LAST_CHUNK/);
    expect(LATIN1.decode(LAST_CHUNK)).toBe('0\r\n\r\n');
  });

  it('decodes a body cut anywhere, and an independent reading agrees', () => {
    const texts = ['Hello', 'Ünïcödé ✓', 'x'.repeat(300)];
    const body = concatBytes(...texts.map((t) => sseEventChunk(t, 'news')), LAST_CHUNK);
    const expected = texts.map((t) => encodeSseEvent(t, 'news'));
    expect(dechunk(LATIN1.decode(body)).map((s) => new TextDecoder().decode(latin1Bytes(s)))).toEqual(
      expected,
    );
    for (const step of [1, 2, 3, 7, body.length]) {
      const d = new ChunkedDecoder();
      const items: ChunkItem[] = [];
      for (let i = 0; i < body.length; i += step) items.push(...d.push(body.subarray(i, i + step)));
      const chunks = items.flatMap((x) => (x.kind === 'chunk' ? [new TextDecoder().decode(x.data)] : []));
      expect(chunks).toEqual(expected);
      expect(items.at(-1)).toEqual({ kind: 'end' });
      expect(d.done).toBe(true);
    }
  });

  it('ignores chunk extensions and trailer fields, and reports a bad size', () => {
    const d = new ChunkedDecoder();
    const items = d.push(utf8('5;name=value\r\nHello\r\n0\r\nExpires: never\r\n\r\n'));
    expect(items.map((x) => x.kind)).toEqual(['chunk', 'end']);
    expect(new ChunkedDecoder().push(utf8('zz\r\n'))).toEqual([
      { kind: 'error', message: 'chunk size "zz" is not hex' },
    ]);
    expect(new ChunkedDecoder().push(utf8('2\r\nabX!')).map((x) => x.kind)).toEqual(['chunk', 'error']);
  });

  it('annotates a chunk: size line, event lines, blank line, closing CRLF, tiling its bytes', () => {
    const bytes = sseEventChunk('Hello', 'news');
    const f = sseChunkFields(bytes);
    expect(f.map((x) => x.key)).toEqual([
      'chunkSize',
      'sse:event:1',
      'sse:data:2',
      'sseBlankLine',
      'chunkEnd',
    ]);
    for (let i = 1; i < f.length; i++) expect(f[i]!.start).toBe(f[i - 1]!.end);
    expect(f[0]!.start).toBe(0);
    expect(f.at(-1)!.end).toBe(bytes.length);
    expect(f[0]!.value).toBe('19 (25 bytes)');
    expect(f[2]!.value).toBe('data: Hello');
  });
});

function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

describe('the event stream (WHATWG HTML §9.2.5–§9.2.6)', () => {
  const parse = (text: string, step = text.length): ReturnType<SseParser['push']> => {
    const p = new SseParser();
    const b = utf8(text);
    const out = [];
    for (let i = 0; i < b.length; i += Math.max(1, step)) out.push(...p.push(b.subarray(i, i + step)));
    return out;
  };

  it('reads back what the server writes, one or many data lines', () => {
    for (const text of ['Hello', '', 'two\nlines', 'a\r\nb\rc', ' leading space', 'colon: inside']) {
      const events = parse(encodeSseEvent(text, 'news'));
      expect(events).toEqual([{ type: 'news', data: text.replace(/\r\n|\r/g, '\n'), lastEventId: '' }]);
    }
  });

  it('follows the spec’s rules for fields, comments, line ends and dispatch', () => {
    // One leading BOM is dropped; CRLF, LF and CR all end lines, even split across pushes.
    expect(parse('\uFEFFdata: a\r\n\r\ndata: b\r\rdata:c\n\n', 1)).toEqual([
      { type: 'message', data: 'a', lastEventId: '' },
      { type: 'message', data: 'b', lastEventId: '' },
      { type: 'message', data: 'c', lastEventId: '' },
    ]);
    // A comment, an unknown field, a field without a colon, an id, an event with no data (not dispatched).
    expect(parse(': keep-alive\nfoo: bar\nevent: x\n\nid: 7\ndata\ndata\n\n')).toEqual([
      { type: 'message', data: '\n', lastEventId: '7' },
    ]);
    const p = new SseParser();
    p.push(utf8('retry: 1500\nretry: 2s\n\n'));
    expect(p.reconnectionTime).toBe(1500);
    // Only one space after the colon is removed.
    expect(parse('data:  two\n\n')[0]!.data).toBe(' two');
    // No blank line yet: nothing is dispatched.
    expect(parse('data: pending\n')).toEqual([]);
  });
});
