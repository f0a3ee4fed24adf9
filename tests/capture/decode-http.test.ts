/**
 * HTTP/1.1 framing on hand-made connections (RFC 9112 §6.3 and §9.3): what real captures in tests/fixtures
 * do not happen to show. Each direction's bytes are one segment unless the test cuts them.
 */
import { describe, expect, it } from 'vitest';
import { gapIn } from '../../src/capture/decode/context';
import { decodeStreams } from '../../src/capture/decode/index';
import type { CapturedSegment, TcpStream } from '../../src/capture/model';

const enc = (t: string): Uint8Array => Uint8Array.from(t, (c) => c.charCodeAt(0));

function run(client: string, server: string, gaps: [number, number][] = []) {
  const c = enc(client);
  const s = enc(server);
  const st: TcpStream = {
    id: 0,
    client: { ip: '192.0.2.1', port: 50000 },
    server: { ip: '192.0.2.2', port: 80 },
    directions: [
      { bytes: c, chunks: [{ segment: 0, offset: 0, length: c.length }], gaps, fin: true },
      { bytes: s, chunks: [{ segment: 1, offset: 0, length: s.length }], gaps: [], fin: true },
    ],
    segments: [0, 1],
    synSeen: true,
    reset: false,
  };
  const segments = [0, 1].map((i) => ({
    record: i + 1,
    time: i,
    ranges: { payload: [54, 54] },
  })) as unknown as CapturedSegment[];
  const r = decodeStreams([st], segments);
  return {
    ...r,
    summaries: r.messages.map((m) => `${m.from}: ${m.summary}`),
    codes: r.problems.map((p) => p.code),
  };
}

describe('HTTP/1.1 on one connection', () => {
  it('pipelined requests are answered in order; HEAD and 304 have no body whatever Content-Length says', () => {
    const r = run(
      'HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi',
    );
    expect(r.summaries).toEqual([
      'client: HEAD /a HTTP/1.1',
      'client: GET /b HTTP/1.1',
      'client: GET /c HTTP/1.1',
      'server: HTTP/1.1 200 OK',
      'server: HTTP/1.1 304 Not Modified',
      'server: HTTP/1.1 200 OK',
    ]);
    expect(r.messages.at(-1)!.body).toMatchObject({ kind: 'http-response', body: 'hi' });
    expect(r.problems).toEqual([]);
  });

  it('100 Continue is interim; a response without length runs until the server closes', () => {
    const r = run(
      'POST /up HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nabcd',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of this until FIN',
    );
    expect(r.summaries).toEqual([
      'client: POST /up HTTP/1.1',
      'server: HTTP/1.1 100 Continue',
      'server: HTTP/1.1 200 OK',
    ]);
    expect(r.messages[0]!.body).toMatchObject({ body: 'abcd' });
    expect(r.messages[2]!.body).toMatchObject({ body: 'all of this until FIN' });
  });

  it('a refused upgrade leaves the connection HTTP', () => {
    const r = run(
      'GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\nGET /next HTTP/1.1\r\n\r\n',
      'HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    );
    expect(r.summaries).toEqual([
      // Both requests came in record 1, both responses in record 2: time order puts them so.
      'client: GET /chat HTTP/1.1 (Upgrade: websocket)',
      'client: GET /next HTTP/1.1',
      'server: HTTP/1.1 426 Upgrade Required',
      'server: HTTP/1.1 200 OK',
    ]);
  });

  it('chunked bodies with extensions and trailers; an Engine.IO polling body both ways', () => {
    const r = run(
      'POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n42["\r\n8\r\nhi",1]\x1e3\r\n0\r\nTrailer: z\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    );
    expect(r.messages[0]!.body).toMatchObject({ kind: 'http-request', body: '42["hi",1]\x1e3' });
    expect(r.messages[1]!.summary).toBe('2 Engine.IO packets: Socket.IO EVENT "hi" [1] · Engine.IO pong');
    expect(r.messages[1]!.place).toMatchObject({
      start: r.messages[0]!.fields!.find((f) => f.key === 'blankLine')!.end,
    });
    expect(r.problems).toEqual([]);
  });

  it('bad framing, a cut head and a gap are problems naming the stream byte and record', () => {
    expect(run('GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', '').codes).toEqual([
      'http-bad-body',
    ]);
    expect(run('GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n', '').codes).toEqual(['http-bad-body']);
    const cut = run('GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /more HTTP/1.1\r\nHo', '');
    expect(cut.codes).toEqual(['http-incomplete']);
    expect(cut.problems[0]).toMatchObject({ severity: 'note', record: 1, offset: 54 + 27 });
    const gap = run('GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n', '', [[30, 35]]);
    expect(gap.codes).toEqual(['tcp-gap']);
    expect(gap.summaries).toEqual(['client: GET / HTTP/1.1']);
  });

  it('what is not HTTP or TLS is named, and HTTP/2 in the clear too', () => {
    expect(run('SSH-2.0-OpenSSH_9.6\r\n', 'SSH-2.0-OpenSSH_9.6\r\n').problems[0]!.message).toMatch(
      /TCP stream 0 \(192\.0\.2\.1:50000 → 192\.0\.2\.2:80\) carries 42 bytes that are neither HTTP\/1\.1 nor TLS/,
    );
    expect(run('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', '').codes).toEqual(['http2']);
  });
});

describe('bodies', () => {
  it('gzip Content-Encoding is undone for display (pako), text stays text, binary is named', async () => {
    const { gzipSync } = await import('node:zlib');
    const gz = gzipSync('hello from a gzipped body');
    const head = `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`;
    const r = run(
      'GET / HTTP/1.1\r\n\r\nGET /img HTTP/1.1\r\n\r\n',
      head +
        String.fromCharCode(...gz) +
        'HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\n\x89PNG',
    );
    expect(
      r.messages
        .filter((m) => m.from === 'server')
        .map((m) => m.body.kind === 'http-response' && m.body.body),
    ).toEqual(['hello from a gzipped body', '(4 bytes of image/png, not text)']);
  });
});

describe('Engine.IO versions', () => {
  it('an EIO=3 (socket.io 2) polling body is left as HTTP, with a note', () => {
    const r = run(
      'GET /socket.io/?EIO=3&transport=polling HTTP/1.1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n6:0{"a"}',
    );
    expect(r.messages.map((m) => m.body.kind)).toEqual(['http-request', 'http-response']);
    expect(r.codes).toEqual(['engineio-version']);
  });
});

describe('gapIn', () => {
  it('finds the first gap overlapping a range among many', () => {
    const gaps: [number, number][] = Array.from({ length: 1000 }, (_, i) => [i * 10 + 5, i * 10 + 8]);
    const ch = {
      stream: 0,
      direction: 0,
      from: 'client',
      bytes: new Uint8Array(0),
      fin: false,
      gaps,
    } as const;
    expect(gapIn(ch, 0, 5)).toBeNull();
    expect(gapIn(ch, 0, 6)).toEqual([5, 8]);
    expect(gapIn(ch, 8, 15)).toBeNull();
    expect(gapIn(ch, 7, 7 + 1)).toEqual([5, 8]);
    expect(gapIn(ch, 5000, 9999)).toEqual([5005, 5008]);
    expect(gapIn(ch, 9999, 20000)).toBeNull();
  });
});
