/**
 * captureTimeline on the reference captures of real traffic (/work/shared/reference, copied into
 * tests/fixtures/capture), read by the same code the page's worker runs
 * (open.ts). What to expect comes from the file's bytes: tshark's view of them is in the reference README
 * (a ws 8 client and server on loopback: GET /chat, 101, a server push, "Hello", its echo, Close 1000 "bye").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureTimeline } from '../../src/capture/open';

const REF = join(import.meta.dirname, '..', 'fixtures', 'capture');
const open = (...paths: string[]) =>
  openCaptureTimeline(
    paths.map((p) => ({ name: p.split('/').pop()!, bytes: new Uint8Array(readFileSync(p)) })),
  );

describe('captureTimeline on real captures', () => {
  it('real-ws-loopback.pcap: every record a step, every WebSocket message a step with its exact text', () => {
    const t = open(`${REF}/real-ws-loopback.pcap`);
    expect(t.capture?.records).toBe(t.packets.length);
    expect(t.hosts.map((h) => h.label)).toEqual([
      expect.stringMatching(/^Client 127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^Server 127\.0\.0\.1:\d+$/),
    ]);
    const texts = t.steps.filter((s) => s.kind === 'app').map((s) => s.title);
    expect(texts).toEqual([
      'HTTP request: GET /chat',
      'HTTP response: 101 Switching Protocols',
      'WebSocket text: "server push"',
      'WebSocket text: "Hello"',
      'WebSocket text: "echo:Hello"',
      'WebSocket close',
      'WebSocket close',
    ]);
    // The frame carrying "Hello" is annotated where its bytes are: the payload field's bytes, unmasked with the
    // masking key field's bytes (RFC 6455 §5.3), read "Hello".
    const hello = t.packets.find((p) => p.app?.kind === 'ws-frame' && p.app.text === 'Hello')!;
    const key = hello.fields.find(
      (f) => f.layer === 'websocket' && /mask/i.test(f.key) && f.end - f.start === 4,
    )!;
    const range = hello.layers.websocket!;
    expect(range.end).toBe(hello.frame.length);
    const masked = hello.frame.subarray(key.end, range.end);
    const k = hello.frame.subarray(key.start, key.end);
    expect(new TextDecoder().decode(masked.map((b, i) => b ^ k[i & 3]!))).toBe('Hello');
    // The states inferred from the segments end as RFC 9293 says for a close the server starts.
    const last = t.steps[t.steps.length - 1]!;
    expect(last.states['server']?.tcp?.state).toBe('TIME_WAIT');
    expect(last.states['client']?.tcp?.state).toBe('CLOSED');
    expect(t.capture?.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('chromium-wss.pcap with its key log: three connections, three client hosts, the decrypted messages', () => {
    const t = open(`${REF}/routed/chromium-wss.pcap`, `${REF}/routed/chromium-wss.keys`);
    expect(t.hosts.filter((h) => h.role === 'client')).toHaveLength(3);
    expect(t.hosts.filter((h) => h.role === 'server').map((h) => h.label)).toEqual([
      'Server 198.51.100.20:443',
    ]);
    const titles = t.steps.filter((s) => s.kind === 'app').map((s) => s.title);
    expect(titles).toContain('WebSocket text: "Welcome!"');
    expect(titles).toContain('WebSocket text: "Hello"');
    // Decrypted: the frame's bytes are TLS ciphertext, so the frame shows the TLS record range, not WebSocket fields.
    const hello = t.packets.find((p) => p.app?.kind === 'ws-frame' && p.app.text === 'Hello')!;
    expect(hello.layers.tls).toBeDefined();
    expect(hello.fields.some((f) => f.layer === 'websocket')).toBe(false);
    // Every TTL from the server is 63: the router took one (reference README).
    const fromServer = t.steps.find((s) => s.kind === 'transmit' && s.text.startsWith("The server's TCP"))!;
    expect(fromServer.text).toContain('TTL 63');
  });

  it('a DevTools HAR: the application layer only, saying why, with the WebSocket messages Chrome recorded', () => {
    const t = open(`${REF}/chromium-ws.har`);
    expect(t.packets).toEqual([]);
    expect(t.steps[0]!.text).toContain('A HAR has no packets');
    expect(t.steps.slice(1).every((s) => s.kind === 'app' && s.layer === 7)).toBe(true);
    expect(t.steps.some((s) => s.title === 'WebSocket text: "Hello"')).toBe(true);
  });
});
