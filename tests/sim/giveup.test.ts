/**
 * Giving up on a silent peer closes the way the libraries do (issue 11): engine.io's Socket#onClose and
 * engine.io-client's Socket#_onClose call transport.close() for 'ping timeout' as for any reason (lib/socket.ts
 * of each), which on the WebSocket transport is ws's `socket.close()` and the browser's `ws.close()`: empty
 * Close frames, no RST. ws then waits its closeTimeout (30 s, lib/websocket.js) before socket.destroy(), and
 * Linux closes that socket with a FIN (tcp_close: nothing unread).
 */
import { parseLink } from '../../src/lesson/link';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { Packet, Timeline } from '../../src/sim/types';

function timeline(link: string): Timeline {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return buildTimeline(state.scenario, ALL_STORIES);
}

function payload(p: Packet): Uint8Array {
  // The TCP payload: tcp.len bytes after the TCP header (Ethernet padding, if any, is left out).
  return p.frame.subarray(p.layers.tcp!.end, p.layers.tcp!.end + p.tcp.len);
}

const isClose = (p: Packet): boolean => p.app?.kind === 'ws-frame' && p.app.opcode === 8;

describe('a ping timeout on a broken path (lesson=reconnect)', () => {
  const t = timeline('?lesson=reconnect');
  const down = t.steps.find((s) => /network path .* breaks/.test(s.title))!;
  const back = t.steps.find((s) => /network path .* is back/.test(s.title))!;
  const wsConn = t.packets.find((p) => p.app?.kind === 'ws-frame')!.connection;
  const firstCloses = t.packets.filter(
    (p) => p.connection === wsConn && isClose(p) && p.retransmissionOf === undefined,
  );

  it('sends no RST while the path is down: neither program aborts', () => {
    expect(down && back).toBeTruthy();
    const resets = t.packets.filter(
      (p) => p.tcp.flags.includes('RST') && p.sentAt >= down.time && p.sentAt < back.time,
    );
    expect(resets).toEqual([]);
  });

  it("closes with ws's empty Close frame (88 00) and the browser's empty masked one (88 80 + mask)", () => {
    const server = firstCloses.find((p) => p.from === 'server')!;
    const client = firstCloses.find((p) => p.from === 'client')!;
    expect(server.lost && client.lost).toBe(true);
    // ws lib/sender.js close(): code undefined → EMPTY_BUFFER; server frames are not masked (RFC 6455 §5.1).
    expect([...payload(server)]).toEqual([0x88, 0x00]);
    // WHATWG close() without a code: an empty Close frame, masked (RFC 6455 §5.3).
    const c = payload(client);
    expect(c.length).toBe(6);
    expect([c[0], c[1]]).toEqual([0x88, 0x80]);
    // engine.io gives up pingTimeout after its ping; engine.io-client pingInterval + pingTimeout after the last ping.
    const disconnect = t.steps.find((s) => s.title === "Browser: 'disconnect' (ping timeout)")!;
    expect(client.sentAt).toBe(disconnect.time);
  });

  it('lets TCP resend the Close frames, which the broken path loses', () => {
    for (const first of firstCloses) {
      const copies = t.packets.filter((p) => p.retransmissionOf === first.id && p.sentAt < back.time);
      expect(copies.length, first.from).toBeGreaterThan(0);
      expect(copies.every((p) => p.lost)).toBe(true);
    }
  });

  it("closes the server's socket 30 s after its Close frame (ws closeTimeout, then socket.destroy()): no RST until data meets it", () => {
    // ws lib/websocket.js setCloseTimer: destroy() 30 s after the Close frame. Linux's tcp_close queues a FIN
    // behind the unacknowledged frames (a window of one segment after the timeouts, tcp_cwnd_test), so none
    // leaves on the broken path; the browser's next retransmission after the path is back meets the closed
    // socket and is answered with a reset (RFC 1122 §4.2.2.13).
    const server = firstCloses.find((p) => p.from === 'server')!;
    const inConn = t.packets.filter((p) => p.connection === wsConn);
    const resets = inConn.filter((p) => p.tcp.flags.includes('RST'));
    expect(resets.length).toBeGreaterThan(0);
    const reset = resets[0]!;
    expect(reset.from).toBe('server');
    expect(reset.sentAt - server.sentAt).toBeGreaterThan(30_000);
    expect(reset.sentAt).toBeGreaterThan(back.time);
    const cause = inConn
      .filter((p) => p.from === 'client' && p.tcp.len > 0 && p.arrivesAt <= reset.sentAt)
      .at(-1)!;
    expect(cause.retransmissionOf).toBeDefined();
    expect(reset.tcp.seq).toBe(cause.tcp.ack);
    // No FIN from the server while its frames wait for an acknowledgment that cannot come.
    expect(
      inConn.some((p) => p.from === 'server' && p.tcp.flags.includes('FIN') && p.sentAt < reset.sentAt),
    ).toBe(false);
    const step = t.steps.find((s) => s.packet === reset.id)!;
    expect(step.text).toMatch(/closed its socket/);
  });

  it('narrates the lost Close frame as the program giving up politely (M15), not as a reset', () => {
    const server = firstCloses.find((p) => p.from === 'server')!;
    const step = t.steps.find((s) => s.packet === server.id)!;
    expect(step.curriculum).toContain('M15');
    expect(step.text).toMatch(/No RST is sent/);
    expect(t.steps.some((s) => /aborts .*WebSocket/.test(s.title))).toBe(false);
  });
});

describe('a ping timeout on long-polling', () => {
  const t = timeline('?lesson=socketio&transport=polling&drop=40&m=c:1&m=c:2&m=c:3&m=c:4&ping=0');
  it('closes with the close packet 1 in a POST (engine.io-client lib/transports/polling.ts doClose), no RST', () => {
    const disconnect = t.steps.find((s) => s.title === "Browser: 'disconnect' (ping timeout)")!;
    const post = t.packets.find((p) => p.from === 'client' && p.sentAt === disconnect.time && p.tcp.len > 0)!;
    const text = new TextDecoder().decode(payload(post));
    expect(text.startsWith('POST /socket.io/')).toBe(true);
    expect(text.endsWith('\r\n\r\n1')).toBe(true);
    const back = t.steps.find((s) => /network path .* is back/.test(s.title))!;
    expect(t.packets.some((p) => p.tcp.flags.includes('RST') && p.sentAt < back.time)).toBe(false);
  });
});
