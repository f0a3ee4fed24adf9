/**
 * TLS 1.3 with the key log: the routed wss captures (Chromium 156 and ws 8, both negotiating
 * TLS_AES_256_GCM_SHA384) decrypt, and every WebSocket message inside comes out with its text, placed on
 * the TLS records that carried it. Without the key log: records named, and a note asking for it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeStreams } from '../../src/capture/decode/index';
import { parseKeyLog } from '../../src/capture/keylog';
import { load, reference, wsLines } from './pcapStreams';

const keys = (name: string) => parseKeyLog(readFileSync(reference(name), 'utf8'), name);

describe('TLS 1.3 decryption with the key log', () => {
  it('routed-wss.pcap (ws client, full handshake with a certificate): every frame', () => {
    const cap = load('routed/routed-wss.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments, {
      keyLog: keys('routed/routed-wss.keys'),
    });
    // tshark -r routed-wss.pcap -o tls.keylog_file:routed-wss.keys -Y websocket -T fields -e frame.number
    //   -e websocket.opcode -e websocket.mask -e websocket.payload.text -e websocket.payload.close.status_code
    //   -e websocket.payload.close.reason
    expect(wsLines(cap, messages)).toEqual([
      '10\t1\t0\tWelcome!\t\t',
      '12\t1\t1\tHello\t\t',
      '13\t1\t0\tHi!\t\t',
      '14\t9\t0\t\t\t',
      '16\t10\t1\t\t\t',
      '18\t8\t1\t\t1000\tbye',
      '20\t8\t0\t\t1000\tbye',
    ]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(messages[1]!.summary).toBe(
      'TLS Server Hello, Change Cipher Spec, Encrypted Extensions, Certificate, Certificate Verify, Finished',
    );
    // The upgrade request is read from decrypted bytes: they come with the message, and its fields index them.
    const upgrade = messages.find((m) => m.body.kind === 'http-request')!;
    expect(new TextDecoder().decode(upgrade.plaintext!).startsWith('GET /chat HTTP/1.1\r\n')).toBe(true);
    expect(upgrade.fields!.find((f) => f.key === 'method')).toMatchObject({ start: 0, end: 4, value: 'GET' });
    // …and its place is the TLS record in the TCP stream (5-byte header + ciphertext + 1 type byte + 16-byte tag).
    expect(upgrade.place!.end - upgrade.place!.start).toBe(upgrade.plaintext!.length + 5 + 1 + 16);
  });

  it('chromium-wss.pcap (Chromium: two-segment ClientHello, PSK resumption without Certificate): every frame', () => {
    const cap = load('routed/chromium-wss.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments, {
      keyLog: keys('routed/chromium-wss.keys'),
    });
    // tshark (as above) on chromium-wss.pcap with chromium-wss.keys
    expect(wsLines(cap, messages)).toEqual([
      '43\t1\t0\tWelcome!\t\t',
      '47\t1\t1\tHello\t\t',
      '48\t1\t0\tHi!\t\t',
      '49\t9\t0\t\t\t',
      '51\t10\t1\t\t\t',
      '53\t8\t1\t\t1000\tbye',
      '55\t8\t0\t\t1000\tbye',
    ]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const hellos = messages.filter((m) => m.summary === 'TLS Client Hello');
    // tshark -r chromium-wss.pcap -Y tls.handshake.type==1: frames 4-5, 11-12, 32-33 (reassembled).
    expect(hellos.map((m) => m.place!.segments.map((s) => cap.segments[s]!.record))).toEqual([
      [4, 5],
      [11, 12],
      [32, 33],
    ]);
    const resumed = messages.find((m) => m.place!.stream === 2 && m.summary.startsWith('TLS Server Hello'))!;
    expect(resumed.summary).toBe('TLS Server Hello, Change Cipher Spec, Encrypted Extensions, Finished');
    const http = messages.filter((m) => m.body.kind === 'http-request').map((m) => m.summary);
    expect(http).toEqual([
      'GET / HTTP/1.1',
      'GET /chat HTTP/1.1 (Upgrade: websocket)',
      'GET /favicon.ico HTTP/1.1',
    ]);
  });

  it('without the key log: the records, and a note asking for SSLKEYLOGFILE', () => {
    const cap = load('routed/routed-wss.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments);
    expect(messages.every((m) => m.body.kind === 'tls')).toBe(true);
    expect(messages.some((m) => m.body.kind === 'tls' && m.body.records.includes('Application Data'))).toBe(
      true,
    );
    expect(problems.map((p) => p.message)).toContain(
      'TLS: encrypted: open the key log too (SSLKEYLOGFILE) to see inside.',
    );
  });

  it("another connection's key log: no match by client random, said so", () => {
    const cap = load('routed/routed-wss.pcap');
    const { messages, problems } = decodeStreams(cap.streams, cap.segments, {
      keyLog: keys('routed/chromium-wss.keys'),
    });
    expect(messages.every((m) => m.body.kind === 'tls')).toBe(true);
    expect(problems.map((p) => p.code)).toContain('tls-no-key');
  });

  it('a wrong secret: the record does not verify (bad_record_mac), reported on the record', () => {
    const cap = load('routed/routed-wss.pcap');
    const text = readFileSync(reference('routed/routed-wss.keys'), 'utf8').replace(
      /^(SERVER_TRAFFIC_SECRET_0 \S+ )(.)/m,
      (_, head: string, c: string) => head + (c === '0' ? '1' : '0'),
    );
    const { messages, problems } = decodeStreams(cap.streams, cap.segments, { keyLog: parseKeyLog(text) });
    const bad = problems.find((p) => p.code === 'tls-decrypt')!;
    expect(bad.severity).toBe('error');
    expect(bad.message).toContain('server');
    // The client's side still decrypts (its upgrade request); the server's stays records, so no 101 and no frames.
    expect(messages.some((m) => m.from === 'client' && m.body.kind === 'http-request')).toBe(true);
    expect(messages.some((m) => m.body.kind === 'ws-frame' || m.body.kind === 'http-response')).toBe(false);
  });
});
