import { lessonScenario } from '../../src/lesson/catalogue';
import { fromBase64 } from '../../src/protocol/bytes';
import { websocketAccept } from '../../src/protocol/http';
import { WS_OPCODES } from '../../src/protocol/websocket';
import { websocketPrograms } from '../../src/sim/stories/websocket/programs';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';
import { parseStream, streamOf } from './wire-check';

const lesson = lessonScenario('websocket');

function streams(t: Timeline) {
  return {
    client: parseStream(streamOf(t, 'client'), 'client'),
    server: parseStream(streamOf(t, 'server'), 'server'),
  };
}

function header(head: string, name: string): string | undefined {
  return head
    .split('\r\n')
    .find((l) => l.startsWith(name + ': '))
    ?.slice(name.length + 2);
}

describe('the WebSocket handshake', () => {
  const { client, server } = streams(buildTimeline(lesson, ALL_STORIES));

  it('sends GET /chat with the upgrade headers and a 16-byte key', () => {
    expect(client.head.split('\r\n')[0]).toBe('GET /chat HTTP/1.1');
    expect(header(client.head, 'Host')).toBe('server');
    expect(header(client.head, 'Upgrade')).toBe('websocket');
    expect(header(client.head, 'Connection')).toBe('Upgrade');
    expect(header(client.head, 'Sec-WebSocket-Version')).toBe('13');
    expect(header(client.head, 'Origin')).toBe('http://server');
    expect(fromBase64(header(client.head, 'Sec-WebSocket-Key')!)).toHaveLength(16);
  });

  it('answers 101 with the Accept value of that key', () => {
    expect(server.head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(header(server.head, 'Sec-WebSocket-Accept')).toBe(
      websocketAccept(header(client.head, 'Sec-WebSocket-Key')!),
    );
  });

  it('uses a given key instead of the seeded one (RFC 6455 §1.3 example)', () => {
    const t = buildTimeline(lesson, ALL_STORIES, { wsKey: fromBase64('dGhlIHNhbXBsZSBub25jZQ==')! });
    const s = streams(t);
    expect(header(s.client.head, 'Sec-WebSocket-Key')).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(header(s.server.head, 'Sec-WebSocket-Accept')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('WebSocket frames', () => {
  it('masks every client frame with a fresh key and never a server frame', () => {
    const { client, server } = streams(
      buildTimeline({ ...lesson, messages: [...lesson.messages, { from: 'c', text: 'again' }] }, ALL_STORIES),
    );
    expect(client.frames.every((f) => f.maskKey !== null)).toBe(true);
    expect(server.frames.every((f) => f.maskKey === null)).toBe(true);
    const keys = client.frames.map((f) => Array.from(f.maskKey!).join());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fragments messages longer than frag into frames of frag bytes', () => {
    const text = 'é'.repeat(10); // 20 bytes of UTF-8
    const { client } = streams(
      buildTimeline({ ...lesson, frag: 6, messages: [{ from: 'c', text }] }, ALL_STORIES),
    );
    const data = client.frames.filter(
      (f) => f.opcode === WS_OPCODES.text || f.opcode === WS_OPCODES.continuation,
    );
    expect(data.map((f) => [f.opcode, f.fin, f.payload.length])).toEqual([
      [WS_OPCODES.text, false, 6],
      [WS_OPCODES.continuation, false, 6],
      [WS_OPCODES.continuation, false, 6],
      [WS_OPCODES.continuation, true, 2],
    ]);
    expect(client.texts).toEqual([text]);
  });

  it('lets the server ping and the browser pong with the same payload; ping=false sends none', () => {
    const { client, server } = streams(buildTimeline(lesson, ALL_STORIES));
    expect(server.controls.map((c) => c.opcode)).toEqual([WS_OPCODES.ping, WS_OPCODES.close]);
    expect(client.controls.map((c) => c.opcode)).toEqual([WS_OPCODES.pong, WS_OPCODES.close]);
    expect(client.controls[0]!.data).toEqual(server.controls[0]!.data);
    const quiet = streams(buildTimeline({ ...lesson, ping: false }, ALL_STORIES));
    expect(quiet.server.controls.map((c) => c.opcode)).toEqual([WS_OPCODES.close]);
  });

  it('closes with 1000 "bye" from the side the link names, echoed, and the server closes TCP first', () => {
    for (const close of ['c', 's'] as const) {
      const t = buildTimeline({ ...lesson, close }, ALL_STORIES);
      const closes = t.packets.filter((p) => p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.close);
      expect(closes.map((p) => p.from)).toEqual(close === 'c' ? ['client', 'server'] : ['server', 'client']);
      for (const p of closes) expect(p.app).toMatchObject({ closeCode: 1000, text: 'bye' });
      expect(t.packets.find((p) => p.tcp.flags.includes('FIN'))!.from).toBe('server');
    }
  });

  it('carries empty and non-ASCII messages, and a server push before any client message', () => {
    const messages = [
      { from: 's' as const, text: 'pushed' },
      { from: 'c' as const, text: '' },
      { from: 'c' as const, text: 'café 😀 שלום' },
    ];
    const t = buildTimeline({ ...lesson, messages }, ALL_STORIES);
    const { client, server } = streams(t);
    expect(client.texts).toEqual(['', 'café 😀 שלום']);
    expect(server.texts).toEqual(['pushed']);
    const push = t.steps.find((s) => s.title.startsWith('onmessage'))!;
    expect(push.curriculum).toContain('Q3');
    expect(push.text).toMatch(/no request came first/);
  });
});

describe('the programs', () => {
  it('write the link’s messages as send lines, or a loop when there are many', () => {
    const p = websocketPrograms(lesson);
    expect(p.client.lines).toContain("ws.send('Hello');");
    expect(p.server.lines).toContain("  ws.send('Hi!');");
    expect(p.server.lines).toContain('  ws.ping();');
    expect(p.client.lines).toContain("ws.close(1000, 'bye');");
    const many = websocketPrograms({
      ...lesson,
      close: 's',
      messages: Array.from({ length: 9 }, (_, i) => ({ from: 'c' as const, text: `it's #${i}` })),
    });
    expect(many.client.lines.filter((l) => l.includes('ws.send'))).toEqual([
      'for (const text of messages) ws.send(text);',
    ]);
    expect(many.server.lines).toContain("  ws.close(1000, 'bye');");
    expect(many.client.lines.some((l) => l.includes('ws.close'))).toBe(false);
    const quoted = websocketPrograms({
      ...lesson,
      messages: [{ from: 'c', text: "it's\n" + 'x'.repeat(40) }],
    });
    expect(quoted.client.lines).toContain("ws.send('it\\'s\\n" + 'x'.repeat(19) + "…'); // 45 characters");
  });
});
