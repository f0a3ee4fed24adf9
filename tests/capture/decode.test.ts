/**
 * The application decoders on the reference captures (/work/shared/reference, copied into tests/fixtures
 * where a test already uses them): every WebSocket and Socket.IO message a real exchange holds comes out
 * with its exact text, in order, each placed on the record that completed it.
 */
import { describe, expect, it } from 'vitest';
import { decodeStreams } from '../../src/capture/decode/index';
import { load, wsLines } from './pcapStreams';

const tsv = (s: string): string[] =>
  s
    .trim()
    .split('\n')
    .map((l) => l.trim().replace(/ {2,}/g, '\t').replace(/\\t/g, '\t'));

describe('decodeStreams on real ws and socket.io captures', () => {
  it('real-ws-loopback.pcap: the upgrade, every frame with its text, close 1000 "bye"', () => {
    const cap = load('real-ws-loopback.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments);
    // tshark (see wsLines) on real-ws-loopback.pcap
    expect(wsLines(cap, messages)).toEqual(
      tsv(`
        8\\t1\\t0\\tserver push\\t\\t
        10\\t1\\t1\\tHello\\t\\t
        11\\t1\\t0\\techo:Hello\\t\\t
        12\\t8\\t1\\t\\t1000\\tbye
        13\\t8\\t0\\t\\t1000\\tbye`),
    );
    expect(messages.map((m) => m.summary).slice(0, 4)).toEqual([
      'GET /chat HTTP/1.1 (Upgrade: websocket)',
      'HTTP/1.1 101 Switching Protocols (Upgrade: websocket)',
      'WebSocket Text [FIN] "server push"',
      'WebSocket Text [FIN] [MASKED] "Hello"',
    ]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('real-socketio-loopback.pcap: polling bodies, the probe, and every Socket.IO packet both ways', () => {
    const cap = load('real-socketio-loopback.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments);
    // tshark (see wsLines) on real-socketio-loopback.pcap
    expect(wsLines(cap, messages)).toEqual(
      tsv(`
        33\\t1\\t1\\t2probe\\t\\t
        37\\t1\\t0\\t3probe\\t\\t
        51\\t1\\t1\\t5\\t\\t
        52\\t1\\t1\\t42["chat message","Hello"]\\t\\t
        54\\t1\\t0\\t42["chat message","Hello"]\\t\\t
        56\\t1\\t0\\t2\\t\\t
        58\\t1\\t1\\t3\\t\\t
        60\\t1\\t1\\t41\\t\\t
        62\\t8\\t1\\t\\t\\t
        64\\t8\\t0\\t\\t\\t`),
    );
    // tshark -r real-socketio-loopback.pcap -Y http -T fields -e frame.number -e http.file_data: the polling
    // bodies (frame 26's "ok" answers a POST and is no Engine.IO payload).
    const polling = messages.filter((m) => m.body.kind === 'engineio' && m.body.transport === 'polling');
    expect(polling.map((m) => [cap.segments[m.place!.segments.at(-1)!]!.record, m.from, m.summary])).toEqual([
      [6, 'server', 'Engine.IO open {"sid":"7Pt7FRwAOOvd07I0AAAA","upgrades":["websocket"],"pin…'],
      [20, 'client', 'Socket.IO CONNECT'],
      [34, 'server', 'Socket.IO CONNECT {"sid":"YFkcNikbQZhPj-1MAAAA"}'],
      [46, 'server', 'Engine.IO noop'],
    ]);
    const event = messages.find((m) => m.summary.startsWith('Socket.IO EVENT'))!;
    expect(event.summary).toBe('Socket.IO EVENT "chat message" ["Hello"]');
    expect(event.body).toEqual({
      kind: 'engineio',
      transport: 'websocket',
      packets: [
        {
          type: 'message',
          data: '2["chat message","Hello"]',
          socketio: { type: 'EVENT', nsp: '/', event: 'chat message', args: '["Hello"]' },
        },
      ],
    });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it.each(['routed/chromium-ws.pcap', 'routed/routed-ws.pcap'])(
    '%s: ping, pong and close across the router',
    (name) => {
      const cap = load(name);
      const { messages, problems } = decodeStreams(cap.streams, cap.segments);
      const frames = name.includes('chromium')
        ? // tshark (see wsLines) on routed/chromium-ws.pcap
          `18\\t1\\t0\\tWelcome!\\t\\t
         23\\t1\\t1\\tHello\\t\\t
         24\\t1\\t0\\tHi!\\t\\t
         26\\t9\\t0\\t\\t\\t
         28\\t10\\t1\\t\\t\\t
         30\\t8\\t1\\t\\t1000\\tbye
         32\\t8\\t0\\t\\t1000\\tbye`
        : // tshark (see wsLines) on routed/routed-ws.pcap
          `8\\t1\\t0\\tWelcome!\\t\\t
         10\\t1\\t1\\tHello\\t\\t
         11\\t1\\t0\\tHi!\\t\\t
         13\\t9\\t0\\t\\t\\t
         15\\t10\\t1\\t\\t\\t
         17\\t8\\t1\\t\\t1000\\tbye
         19\\t8\\t0\\t\\t1000\\tbye`;
      expect(wsLines(cap, messages)).toEqual(tsv(frames));
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    },
  );

  it('chromium-ws.pcap: keep-alive HTTP with chunked bodies, in request/response order', () => {
    const cap = load('routed/chromium-ws.pcap');
    const { messages } = decodeStreams(cap.streams, cap.segments);
    const http = messages.filter((m) => m.body.kind === 'http-request' || m.body.kind === 'http-response');
    // tshark -r chromium-ws.pcap -Y http -T fields -e frame.number -e http.request.uri -e http.response.code
    expect(
      http.map((m) => [cap.segments[m.place!.segments.at(-1)!]!.record, m.place!.stream, m.summary]),
    ).toEqual([
      [7, 0, 'GET / HTTP/1.1'],
      [9, 0, 'HTTP/1.1 200 OK'],
      [14, 2, 'GET /chat HTTP/1.1 (Upgrade: websocket)'],
      [16, 2, 'HTTP/1.1 101 Switching Protocols (Upgrade: websocket)'],
      [20, 0, 'GET /favicon.ico HTTP/1.1'],
      [21, 0, 'HTTP/1.1 200 OK'],
    ]);
    const page = http[1]!;
    // tshark … -e http.file_data: the page as ws's peer.js serves it, chunked (RFC 9112 §7.1).
    expect(
      page.body.kind === 'http-response' &&
        page.body.body.startsWith('<!doctype html><meta charset="utf-8"><title>ws</title>'),
    ).toBe(true);
    const sizes = page.fields!.filter((f) => f.key.startsWith('chunkSize')).map((f) => parseInt(f.value, 10));
    expect(sizes.at(-1)).toBe(0);
    expect(page.body.kind === 'http-response' && new TextEncoder().encode(page.body.body).length).toBe(
      sizes.reduce((a, b) => a + b, 0),
    );
  });

  it('places each message on the segments carrying its bytes and times it by the last', () => {
    const cap = load('real-ws-loopback.pcap');
    const { messages } = decodeStreams(cap.streams, cap.segments);
    for (const m of messages) {
      const p = m.place!;
      const chunks = cap.streams[p.stream]!.directions[p.direction].chunks;
      const expected = chunks
        .filter((c) => c.offset < p.end && c.offset + c.length > p.start)
        .map((c) => c.segment);
      expect(p.segments).toEqual(expected);
      expect(m.time).toBe(cap.segments[p.segments.at(-1)!]!.time);
      // The fields tile the message from place.start.
      const ends = m.fields!.map((f) => f.end);
      expect(Math.max(...ends)).toBeLessThanOrEqual(p.end - p.start);
    }
    const times = messages.map((m) => m.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('checks Sec-WebSocket-Accept against the key', () => {
    const cap = load('real-ws-loopback.pcap');
    // Flip one character of the accept value in the 101's bytes.
    const server = cap.streams[0]!.directions[1];
    const text = new TextDecoder().decode(server.bytes);
    const at = text.indexOf('Sec-WebSocket-Accept: ') + 'Sec-WebSocket-Accept: '.length;
    const bytes = server.bytes.slice();
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    const streams = [
      { ...cap.streams[0]!, directions: [cap.streams[0]!.directions[0], { ...server, bytes }] as const },
    ];
    const { problems } = decodeStreams(streams, cap.segments);
    expect(problems.map((p) => p.code)).toContain('ws-bad-accept');
    const bad = problems.find((p) => p.code === 'ws-bad-accept')!;
    expect(bad.record).toBe(6); // the 101 arrived in record 6
  });
});
