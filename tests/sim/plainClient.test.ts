/**
 * CURRICULUM Q9 (`?lesson=socketio&client=ws`): a plain browser WebSocket meets a Socket.IO server. The bytes are
 * checked with the real engine.io-parser (node_modules): the server's first frame is its open packet, the
 * page's "Hello" decodes to engine.io-parser's ERROR_PACKET, and the server then closes as engine.io does
 * (onClose("parse error") → ws socket.close(): an empty Close frame), Chrome answering with an empty masked one.
 */
import { readFileSync } from 'node:fs';
import { decodePacket } from 'engine.io-parser';
import { unsourcedProse } from '../support/sources';
import { decodeWsFrame } from '../../src/protocol/websocket';
import { parseLink } from '../../src/lesson/link';
import { consoleText } from '../../src/sim/steps/recorder';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { Packet, Timeline } from '../../src/sim/types';

function timeline(link: string): Timeline {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return buildTimeline(state.scenario, ALL_STORIES);
}

/** The TCP payload: tcp.len bytes after the TCP header. */
function payload(p: Packet): Uint8Array {
  return p.frame.subarray(p.layers.tcp!.end, p.layers.tcp!.end + p.tcp.len);
}

function frames(
  t: Timeline,
  from: 'client' | 'server',
): {
  readonly packet: Packet;
  readonly opcode: number;
  readonly data: Uint8Array;
  readonly masked: boolean;
}[] {
  return t.packets
    .filter((p) => p.from === from && p.app?.kind === 'ws-frame' && p.retransmissionOf === undefined)
    .map((p) => {
      const d = decodeWsFrame(payload(p), { from });
      if (!d.ok) throw new Error(d.error.message);
      return { packet: p, opcode: d.repr.opcode, data: d.repr.payload, masked: d.repr.maskKey !== null };
    });
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('a plain WebSocket page and a Socket.IO server (client=ws)', () => {
  const t = timeline('?lesson=socketio&client=ws');

  it('upgrades at /socket.io/ without a sid: 101 Switching Protocols', () => {
    const get = t.packets.find((p) => p.from === 'client' && text(payload(p)).startsWith('GET '))!;
    expect(text(payload(get)).split('\r\n')[0]).toBe('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1');
    const ok = t.packets.find((p) => p.from === 'server' && text(payload(p)).startsWith('HTTP/1.1 101'));
    expect(ok).toBeDefined();
  });

  it("sends engine.io's open packet first, which engine.io-parser decodes to the handshake", () => {
    const [first] = frames(t, 'server');
    expect(first!.opcode).toBe(1);
    expect(first!.masked).toBe(false);
    const packet = decodePacket(text(first!.data));
    expect(packet.type).toBe('open');
    const h = JSON.parse(packet.data as string) as Record<string, unknown>;
    expect(Object.keys(h)).toEqual(['sid', 'upgrades', 'pingInterval', 'pingTimeout', 'maxPayload']);
    expect(h).toMatchObject({ upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 });
    expect(h.sid).toMatch(/^[A-Za-z0-9_-]{20}$/);
    // The page's onmessage gets that text as it is (the console panel shortens long lines: consoleText).
    const lines = t.steps.flatMap((s) => s.console ?? []).map((c) => c.text);
    expect(lines).toContain(`message: ${consoleText(text(first!.data), true)}`);
    const onmessage = t.steps.find((s) => s.title.startsWith('Browser: onmessage'))!;
    expect(onmessage.text).toContain(JSON.stringify(text(first!.data)));
  });

  it('carries "Hello" in a masked text frame, which engine.io-parser reads as its error packet', () => {
    const [hello] = frames(t, 'client');
    expect(hello!.opcode).toBe(1);
    expect(hello!.masked).toBe(true);
    expect(text(hello!.data)).toBe('Hello');
    expect(decodePacket(text(hello!.data))).toEqual({ type: 'error', data: 'parser error' });
  });

  it("then closes as ws does: an empty Close frame (88 00), Chrome's empty masked answer, the server's FIN first", () => {
    const close = frames(t, 'server').find((f) => f.opcode === 8)!;
    expect([...payload(close.packet)]).toEqual([0x88, 0x00]);
    const echo = frames(t, 'client').find((f) => f.opcode === 8)!;
    const e = payload(echo.packet);
    expect([e[0], e[1], e.length]).toEqual([0x88, 0x80, 6]);
    expect(echo.packet.sentAt).toBeGreaterThan(close.packet.sentAt);
    const fins = t.packets.filter((p) => p.tcp.flags.includes('FIN'));
    expect(fins.map((p) => p.from)).toEqual(['server', 'client']);
    expect(t.packets.some((p) => p.tcp.flags.includes('RST'))).toBe(false);
    const lines = t.steps.flatMap((s) => s.console ?? []).map((c) => c.text);
    expect(lines).toContain('close 1005');
    // No Socket.IO CONNECT ever came: io.on('connection') never ran.
    expect(lines).not.toContain('a user connected');
  });

  it('narrates the parse error at the step the curriculum links (Q9)', () => {
    const step = t.steps.find((s) => s.title.startsWith('engine.io cannot read "Hello"'))!;
    expect(step.curriculum).toContain('Q9');
    expect(step.text).toMatch(/parser error/);
    expect(step.index + 1).toBe(21);
  });

  it('without a message from the page, socket.io closes it after connectTimeout (45 s)', () => {
    const silent = timeline('?lesson=socketio&client=ws&m=');
    expect(frames(silent, 'client').filter((f) => f.opcode === 1)).toEqual([]);
    const close = frames(silent, 'server').find((f) => f.opcode === 8)!;
    const open = frames(silent, 'server')[0]!;
    expect(close.packet.sentAt - open.packet.sentAt).toBeCloseTo(45_000, -1);
    expect(silent.steps.some((s) => s.title === 'engine.io closes the session (forced close)')).toBe(true);
  });

  it('is refused outside the Socket.IO lessons, and with tls=1', () => {
    expect(parseLink('?lesson=websocket&client=ws').problems.map((p) => p.param)).toEqual(['client']);
    expect(parseLink('?lesson=websocket&client=ws').state.scenario.client).toBeUndefined();
    expect(parseLink('?lesson=socketio&client=ws&tls=1').problems.map((p) => p.param)).toEqual(['tls']);
    // One page, no network failure, no long-polling: what the plain-WebSocket page models.
    for (const link of [
      '?lesson=emit&client=ws',
      '?lesson=reconnect&client=ws',
      '?lesson=socketio&client=ws&transport=polling',
    ]) {
      const { state, problems } = parseLink(link);
      expect(
        problems.map((p) => p.param),
        link,
      ).toEqual(['client']);
      expect(state.scenario.client, link).toBeUndefined();
    }
  });
});

describe('sim/stories/socketio/plainClient.ts', () => {
  it('names a source beside every sentence it shows (tests/support/sources.ts)', () => {
    const file = 'src/sim/stories/socketio/plainClient.ts';
    expect(unsourcedProse(file, readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'))).toEqual([]);
  });
});
