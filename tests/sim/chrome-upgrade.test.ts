/**
 * The WebSocket lessons' opening handshake against the real one: Debian's Chromium 156 and ws 8 across a
 * router (tests/fixtures/chromium-ws.pcap, copied from the shared reference captures). The simulated
 * browser's upgrade request has Chrome's headers in Chrome's order with Chrome's values, and the simulated
 * server's 101 has ws's; with deflate=1 the 101 adds ws's answer to Chrome's offer.
 */
import { readFileSync } from 'node:fs';
import { parseLink } from '../../src/lesson/link';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { Timeline } from '../../src/sim/types';

const CAPTURE = readFileSync(new URL('../fixtures/chromium-ws.pcap', import.meta.url)).toString('latin1');

/** The head (start line and headers) that begins with `start` in the capture. */
function capturedHead(start: string): [string, string][] {
  const at = CAPTURE.indexOf(start);
  expect(at).toBeGreaterThanOrEqual(0);
  const head = CAPTURE.slice(at, CAPTURE.indexOf('\r\n\r\n', at));
  return head
    .split('\r\n')
    .slice(1)
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
}

function simHead(t: Timeline, kind: 'http-request' | 'http-response'): [string, string][] {
  const p = t.packets.find((q) => q.app?.kind === kind)!;
  const text = Buffer.from(p.frame.subarray(p.frame.length - p.tcp.len)).toString('latin1');
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .split('\r\n')
    .slice(1)
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
}

function timeline(link: string): Timeline {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return buildTimeline(state.scenario, ALL_STORIES);
}

/** Headers whose values name this run's addresses, identity or random key, not Chrome's choices. */
const PER_RUN = new Set(['Host', 'Origin', 'User-Agent', 'Sec-WebSocket-Key']);

describe("the browser's upgrade request is Chrome's", () => {
  const real = capturedHead('GET /chat HTTP/1.1');
  it.each(['lesson=websocket', 'lesson=upgrade', 'lesson=socketio'])('%s', (link) => {
    // Socket.IO's first request is a polling GET: find the upgrade among them.
    const t = timeline(link);
    const upgrade = t.packets.find(
      (p) => p.app?.kind === 'http-request' && p.app.upgrade && p.from === 'client',
    )!;
    const text = Buffer.from(upgrade.frame.subarray(upgrade.frame.length - upgrade.tcp.len)).toString(
      'latin1',
    );
    const head = text
      .slice(0, text.indexOf('\r\n\r\n'))
      .split('\r\n')
      .slice(1)
      .map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
    expect(head.map(([n]) => n)).toEqual(real.map(([n]) => n));
    for (const [i, [name, value]] of head.entries()) {
      if (!PER_RUN.has(name)) expect(value, name).toBe(real[i]![1]);
    }
  });

  it('the key is the seed’s, and changes with it', () => {
    const key = (link: string): string =>
      simHead(timeline(link), 'http-request').find(([n]) => n === 'Sec-WebSocket-Key')![1];
    expect(key('lesson=websocket')).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(key('lesson=websocket&seed=7')).not.toBe(key('lesson=websocket'));
  });
});

describe("the server's 101 is ws's", () => {
  it('without deflate: Upgrade, Connection, Sec-WebSocket-Accept, as in the capture', () => {
    const real = capturedHead('HTTP/1.1 101 Switching Protocols');
    const sim = simHead(timeline('lesson=websocket'), 'http-response');
    expect(sim.map(([n]) => n)).toEqual(real.map(([n]) => n));
  });

  it('with deflate=1: ws accepts the offer and says so last', () => {
    const sim = simHead(timeline('lesson=websocket&deflate=1'), 'http-response');
    expect(sim.map(([n]) => n)).toEqual([
      'Upgrade',
      'Connection',
      'Sec-WebSocket-Accept',
      'Sec-WebSocket-Extensions',
    ]);
    expect(sim[3]![1]).toBe('permessage-deflate');
  });
});

describe('deflate=1 on the wire', () => {
  const t = timeline('lesson=websocket&deflate=1');
  const frames = t.packets.filter((p) => p.app?.kind === 'ws-frame' && p.app.opcode === 1);

  it('sets RSV1 on every message and never on a control frame', () => {
    expect(frames.length).toBe(2);
    for (const p of t.packets.filter((q) => q.app?.kind === 'ws-frame')) {
      const byte0 = p.frame[p.layers.websocket!.start]!;
      expect((byte0 & 0x40) !== 0, p.summary).toBe(p.app?.kind === 'ws-frame' && p.app.opcode === 1);
    }
  });

  it("the inspector shows the deflate bytes and what they inflate to, and the story's text", () => {
    const p = frames[0]!;
    const fields = p.fields;
    const payload = fields.find((f) => f.key === 'payload')!;
    expect(payload.name).toMatch(/compressed/);
    expect(payload.meaning).toContain('"Hello"');
    expect(fields.find((f) => f.key === 'rsv1')!.value).toBe('1 (compressed)');
    expect(p.app?.kind === 'ws-frame' && p.app.text).toBe('Hello');
    const told = t.steps.filter((s) => s.packet === p.id && /RSV1 = 1/.test(s.text));
    expect(told.length).toBeGreaterThan(0);
    expect(t.steps.some((s) => s.curriculum?.includes('M10'))).toBe(true);
  });
});
