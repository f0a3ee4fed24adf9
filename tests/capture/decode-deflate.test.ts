/**
 * permessage-deflate (RFC 7692) from a real exchange: tests/fixtures/capture/deflate.pcap, made by
 * make-fixtures.ts (`ws` 8 server and client on loopback, threshold 0), stream 0 with context takeover
 * (ws's default), stream 1 with server_no_context_takeover and client_no_context_takeover.
 */
import { Deflate, Z_SYNC_FLUSH } from 'pako';
import { describe, expect, it } from 'vitest';
import { decodeStreams } from '../../src/capture/decode/index';
import type { CapturedMessage, TcpStream } from '../../src/capture/model';
import { encodeWsFrame } from '../../src/protocol/websocket';
import { load } from './pcapStreams';

const frames = (messages: readonly CapturedMessage[], stream: number) =>
  messages.flatMap((m) => (m.place!.stream === stream && m.body.kind === 'ws-frame' ? [m.body] : []));

/**
 * The texts tshark inflates: `tshark -r deflate.pcap -d tcp.port==18201,http -d tcp.port==18202,http
 * -Y websocket -T fields -e frame.number -e websocket.opcode -e websocket.pmc -e websocket.payload.text`
 * (tshark leaves the fragments of a compressed message compressed; their texts are what make-fixtures.ts sent).
 */
const EXPECTED = [
  ['server', 1, true, 'Welcome! Welcome! Welcome!'],
  ['client', 1, true, 'Hello, compressed world! Hello, compressed world!'],
  ['client', 1, true, 'Hello, compressed world! Hello, compressed world!'],
  ['client', 1, true, 'fragment one, '],
  ['client', 0, true, 'fragment two, '],
  ['server', 1, true, 'echo:Hello, compressed world! Hello, compress'],
  ['client', 0, true, 'fragment three'],
  ['server', 1, true, 'echo:Hello, compressed world! Hello, compress'],
  ['client', 1, true, 'x'.repeat(50_000) + 'y'.repeat(50_000)],
  ['server', 1, true, 'echo:fragment one, fragment two, fragment thr'],
  ['server', 1, true, 'echo:' + 'x'.repeat(40)],
  ['client', 8, false, '\u0003\ufffdbye'],
  ['server', 8, false, '\u0003\ufffdbye'],
];

/**
 * A server that compresses with pako: two messages from one raw deflate stream (context takeover), each
 * sync-flushed and stripped of its 0x00 0x00 0xff 0xff (RFC 7692 §7.2.1). The second is mostly a back-reference.
 */
const TEXT = 'the same words, the same words, the same words';
function senderPayloads(): Uint8Array[] {
  const deflater = new Deflate({ raw: true });
  const out: Uint8Array[] = [];
  deflater.onData = (c: Uint8Array) => {
    out.push(c);
  };
  const flush = (t: string): Uint8Array => {
    out.length = 0;
    deflater.push(new TextEncoder().encode(t), Z_SYNC_FLUSH);
    const all = Uint8Array.from(out.flatMap((c) => [...c]));
    return all.subarray(0, all.length - 4);
  };
  return [flush(TEXT), flush(TEXT)];
}

/**
 * One connection: the client's upgrade request (offering `offer` in Sec-WebSocket-Extensions, or nothing),
 * the server's 101 answering `extension`, then the two compressed messages as text frames with RSV1.
 */
function upgradeWith(extension: string, offer: string | null = 'permessage-deflate; client_max_window_bits') {
  const payloads = senderPayloads();
  const frame = (payload: Uint8Array) =>
    encodeWsFrame({ fin: true, rsv1: true, rsv2: false, rsv3: false, opcode: 1, maskKey: null, payload });
  const head = new TextEncoder().encode(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: ${extension}\r\n\r\n`,
  );
  const req = new TextEncoder().encode(
    'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
      (offer === null ? '' : `Sec-WebSocket-Extensions: ${offer}\r\n`) +
      '\r\n',
  );
  const server = Uint8Array.from([...head, ...frame(payloads[0]!), ...frame(payloads[1]!)]);
  const st: TcpStream = {
    id: 0,
    client: { ip: '192.0.2.1', port: 50000 },
    server: { ip: '192.0.2.2', port: 80 },
    directions: [
      { bytes: req, chunks: [{ segment: 0, offset: 0, length: req.length }], gaps: [], fin: false },
      { bytes: server, chunks: [{ segment: 1, offset: 0, length: server.length }], gaps: [], fin: false },
    ],
    segments: [0, 1],
    synSeen: false,
    reset: false,
  };
  return decodeStreams([st], []);
}

const texts = (d: ReturnType<typeof upgradeWith>): string[] =>
  d.messages.flatMap((m) => (m.body.kind === 'ws-frame' ? [m.body.text] : []));

describe('permessage-deflate', () => {
  it("reads the 101 as the browser does (RFC 7692 §5.1, §7.1: protocol/wsExtensions.ts's clientAcceptDeflate)", () => {
    // Chrome's offer answered with ws's `permessage-deflate`: both messages inflate.
    const agreed = upgradeWith('permessage-deflate');
    expect(texts(agreed)).toEqual([TEXT, TEXT]);
    expect(agreed.problems).toEqual([]);
    // Quoted values are values (RFC 6455 §9.1); a 9-bit window holds this short text's back-references.
    expect(texts(upgradeWith('permessage-deflate; server_max_window_bits="9"'))).toEqual([TEXT, TEXT]);
    // An answer with an extension the client did not offer, or with no offer at all: a client fails the
    // connection (RFC 6455 §4.1), so the frames are read without an extension and RSV1 is an error.
    for (const bad of [
      upgradeWith('x-webkit-deflate-frame, permessage-deflate'),
      upgradeWith('permessage-deflate', null),
      upgradeWith('permessage-deflate; client_max_window_bits'),
    ]) {
      expect(bad.problems.map((p) => p.code)).toContain('ws-bad-extensions');
      expect(bad.problems.some((p) => p.severity === 'error' && /RSV1/.test(p.message))).toBe(true);
      expect(texts(bad)).toEqual([]);
    }
  });

  it.each([
    [0, 'context takeover'],
    [1, 'no context takeover'],
  ])('stream %i (%s): every message inflated, fragments included', (stream) => {
    const cap = load('capture/deflate.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments);
    const got = messages.filter((m) => m.place!.stream === stream && m.body.kind === 'ws-frame');
    expect(
      got.map((m) => m.body.kind === 'ws-frame' && [m.from, m.body.opcode, m.body.compressed, m.body.text]),
    ).toEqual(EXPECTED);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(got[1]!.summary).toBe(
      'WebSocket Text [FIN] [RSV1] [MASKED] "Hello, compressed world! Hello, compressed world!"',
    );
    expect(got[4]!.summary).toBe('WebSocket Continuation [MASKED] "fragment two, "');
  });

  it('the fixture really exercises the window: with context takeover the repeated message is shorter on the wire', () => {
    const cap = load('capture/deflate.pcap');
    const { messages } = decodeStreams(cap.streams, cap.segments);
    const [a0, b0] = frames(messages, 0).filter((f) => f.text.startsWith('Hello'));
    const [a1, b1] = frames(messages, 1).filter((f) => f.text.startsWith('Hello'));
    expect(b0!.payloadLength).toBeLessThan(a0!.payloadLength); // a back-reference into the previous message
    expect(b1!.payloadLength).toBe(a1!.payloadLength); // a fresh window each time
  });

  it('the window matters: a message that refers back into the previous one fails to inflate after a reset, as a problem', () => {
    const payloads = senderPayloads();
    expect(payloads[1]!.length).toBeLessThan(payloads[0]!.length);
    const kept = upgradeWith('permessage-deflate');
    expect(texts(kept)).toEqual([TEXT, TEXT]);
    expect(kept.problems).toEqual([]);
    // The same bytes with a 101 that says the server resets its window: the second message cannot inflate.
    const reset = upgradeWith('permessage-deflate; server_no_context_takeover');
    const second = reset.messages.filter((m) => m.body.kind === 'ws-frame')[1]!;
    expect(second.problems!.map((p) => p.code)).toEqual(['ws-inflate']);
    expect(second.problems![0]!.message).toMatch(/Could not inflate/);
  });
});
