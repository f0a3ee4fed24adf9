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
import type { Packet, Step, Timeline } from '../../src/sim/types';

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
    // No packets, so no OSI walk.
    expect(t.steps.some((s) => s.kind === 'encapsulate' || s.kind === 'decapsulate')).toBe(false);
  });
});

const isWalk = (s: Step) => s.kind === 'encapsulate' || s.kind === 'decapsulate';

/** The packets the OSI walk should choose, found from the packets themselves (each message here fits in one segment). */
function expectedWalked(t: Timeline): number[] {
  const out = new Set<number>();
  for (let c = 0; c < t.packets.reduce((n, p) => Math.max(n, p.connection + 1), 0); c++) {
    const of = t.packets.filter((p) => p.connection === c && p.retransmissionOf === undefined);
    const first = (f: (p: Packet) => boolean) => of.find(f)?.id;
    const picks = [
      first((p) => p.tcp.flags.join() === 'SYN'),
      first((p) => p.app?.kind === 'http-request'),
      first((p) => p.app?.kind === 'http-response'),
      first((p) => p.app?.kind === 'ws-frame' && p.from.startsWith('client')),
      first((p) => p.app?.kind === 'ws-frame' && p.from.startsWith('server')),
    ];
    for (const id of picks) if (id !== undefined) out.add(id);
  }
  return [...out].sort((a, b) => a - b);
}

describe('the OSI walk of chosen packets in a capture', () => {
  const t = open(`${REF}/real-ws-loopback.pcap`);
  const walked = [...new Set(t.steps.filter(isWalk).map((s) => s.packet!))].sort((a, b) => a - b);

  it('walks the SYN, the upgrade request, the 101 and the first WebSocket message each way, and nothing else', () => {
    expect(walked).toEqual(expectedWalked(t));
    expect(walked).toHaveLength(5);
    // Growth: 14 steps per walked packet, nothing more.
    const others = t.steps.filter((s) => !isWalk(s));
    expect(t.steps.length - others.length).toBe(14 * walked.length);
    expect(others.filter((s) => s.kind === 'transmit')).toHaveLength(t.packets.length);
    // The first step says which packets are walked.
    expect(t.steps[0]!.text).toContain('Chosen packets also get the OSI walk');
  });

  it('goes down the sender 7 → 1 right before the packet, and up the receiver 1 → 7 right after it', () => {
    for (const id of walked) {
      const p = t.packets[id]!;
      const tx = t.steps.find((s) => s.kind === 'transmit' && s.packet === id)!;
      const down = t.steps.slice(tx.index - 7, tx.index);
      const up = t.steps.slice(tx.index + 1, tx.index + 8);
      expect(down.map((s) => [s.kind, s.layer, s.host])).toEqual(
        [7, 6, 5, 4, 3, 2, 1].map((l) => ['encapsulate', l, p.from]),
      );
      expect(up.map((s) => [s.kind, s.layer, s.host])).toEqual(
        [1, 2, 3, 4, 5, 6, 7].map((l) => ['decapsulate', l, p.to]),
      );
      for (const s of [...down, ...up]) {
        expect(s.packet).toBe(id);
        expect(s.chapter).toBe(tx.chapter);
        expect(s.states).toEqual(tx.states);
        expect(s.curriculum).toContain('Q10');
        if (s.layer === 5 || s.layer === 6) expect(s.curriculum).toContain('M6');
      }
      for (const s of down) expect(s.time).toBe(p.sentAt);
      for (const s of up) expect(s.time).toBe(p.arrivesAt);
      // Read from this packet's bytes: its ports (TCP header, RFC 9293 §3.1) and its TTL (IPv4 byte 8, RFC 791).
      const ttl = p.frame[p.layers.ipv4!.start + 8]!;
      const tcpLength = (p.frame[p.layers.tcp!.start + 12]! >> 4) * 4;
      for (const s of [down[3]!, up[3]!]) {
        expect(s.text).toContain(`ports ${p.tcp.srcPort} → ${p.tcp.dstPort}`);
        expect(s.text).toContain(`TCP's header is ${tcpLength} bytes`);
      }
      for (const s of [down[4]!, up[2]!]) expect(s.text).toContain(`TTL ${ttl}`);
      // Linux's loopback writes an Ethernet header with zero MACs; the capture has no signal.
      expect(down[5]!.text).toContain('destination 00:00:00:00:00:00');
      expect(down[5]!.text).toContain('not a real Ethernet one');
      expect(down[6]!.text).toContain('The signal is not in a capture');
      expect(down[6]!.text).toContain(
        `This record's ${p.frame.length} bytes end exactly where the IP packet ends`,
      );
      expect(up[0]!.text).toContain('not something captured separately');
      expect(down[1]!.text).toMatch(/adds no bytes/);
    }
  });

  it('names the application header read from the bytes at layer 7', () => {
    const l7 = (id: number) =>
      t.steps.find((s) => s.packet === id && s.kind === 'encapsulate' && s.layer === 7)!;
    const byApp = (f: (p: Packet) => boolean) => walked.find((id) => f(t.packets[id]!))!;
    expect(l7(byApp((p) => p.tcp.flags.join() === 'SYN')).text).toContain("TCP's own SYN");
    expect(l7(byApp((p) => p.app?.kind === 'http-request')).text).toContain('"GET /chat HTTP/1.1"');
    expect(l7(byApp((p) => p.app?.kind === 'http-response')).text).toContain(
      '"HTTP/1.1 101 Switching Protocols"',
    );
    // "Hello" from the client: a 6-byte header (2 + the 4-byte masking key), MASK = 1, length 5 (RFC 6455 §5.2).
    const hello = l7(byApp((p) => p.app?.kind === 'ws-frame' && p.app.text === 'Hello')).text;
    expect(hello).toContain('frame header is 6 bytes');
    expect(hello).toContain('FIN = 1, opcode 0x1 (text), MASK = 1, payload length 5');
    const push = l7(byApp((p) => p.app?.kind === 'ws-frame' && p.app.text === 'server push')).text;
    expect(push).toContain('MASK = 0, payload length 11');
  });

  it('names the link header actually recorded (SLL2 on `any`) and IPv6 with its hop limit', () => {
    const sll2 = open(`${REF}/tcpdump-any-sll2.pcap`);
    const l2 = sll2.steps.filter((s) => isWalk(s) && s.layer === 2);
    expect(l2.length).toBeGreaterThan(0);
    for (const s of l2) {
      const p = sll2.packets[s.packet!]!;
      // LINKTYPE_LINUX_SLL2: the IP header starts 20 bytes in.
      expect(p.frame[20]! >> 4).toBe(4);
      expect(s.text).toContain('20-byte Linux cooked header v2');
      expect(s.text).toContain('No real Ethernet header was recorded');
    }
    const v6 = open(`${REF}/dumpcap-lo-ipv6.pcap`);
    const l3 = v6.steps.filter((s) => isWalk(s) && s.layer === 3);
    expect(l3.length).toBeGreaterThan(0);
    for (const s of l3) {
      const p = v6.packets[s.packet!]!;
      // RFC 8200 §3: the hop limit is byte 7 of the fixed 40-byte header.
      const hop = p.frame[p.layers.ipv6!.start + 7]!;
      expect(s.text).toContain(`hop limit ${hop}, 40 bytes fixed`);
    }
  });

  it('over TLS (chromium-wss.pcap with its key log): the record header at layer 6 and its 17 bytes more', () => {
    const w = open(`${REF}/routed/chromium-wss.pcap`, `${REF}/routed/chromium-wss.keys`);
    const walkedW = new Set(w.steps.filter(isWalk).map((s) => s.packet!));
    const hello = w.packets.find((p) => p.app?.kind === 'ws-frame' && p.app.text === 'Hello')!;
    expect(walkedW.has(hello.id)).toBe(true);
    const l6 = w.steps.find((s) => s.packet === hello.id && s.kind === 'encapsulate' && s.layer === 6)!;
    // The record header's bytes, read here from the frame: type 23 and its length (RFC 8446 §5.1).
    const at = hello.layers.tls!.start;
    const length = (hello.frame[at + 3]! << 8) | hello.frame[at + 4]!;
    expect(hello.frame[at]).toBe(23);
    expect(l6.text).toContain(`5-byte header (type 23, length ${length})`);
    expect(l6.text).toContain('plaintext plus 17');
    // Per connection at most 8, and the server's TTL as this capture saw it (63: past the router).
    for (let c = 0; c < 3; c++)
      expect([...walkedW].filter((id) => w.packets[id]!.connection === c).length).toBeLessThanOrEqual(8);
    const l3 = w.steps.find(
      (s) => isWalk(s) && s.layer === 3 && s.kind === 'encapsulate' && s.host === 'server',
    )!;
    expect(l3.text).toContain('TTL 63');
  });
});
