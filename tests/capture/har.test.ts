/**
 * HAR 1.2 as Chrome DevTools writes it (front_end/models/har/Log.ts): the fixtures in
 * tests/fixtures/capture are built from the values of real exchanges (chromium-ws.har: routed/chromium-ws.pcap
 * frames 7-32; socketio.har: real-socketio-loopback.pcap frames 4-64), in Chrome's shape and field order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readHar } from '../../src/capture/har';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/capture/${name}`, import.meta.url), 'utf8');

describe('readHar', () => {
  it('chromium-ws.har: the page, the upgrade and every WebSocket message, in time order', () => {
    const cap = readHar(fixture('chromium-ws.har'), 'chromium-ws.har');
    expect(cap.source).toMatchObject({ format: 'har', records: 2, name: 'chromium-ws.har' });
    expect(cap.segments).toEqual([]);
    expect(cap.messages.map((m) => [m.entry, m.from, m.summary])).toEqual([
      [0, 'client', 'GET / HTTP/1.1'],
      [0, 'server', 'HTTP/1.1 200 OK'],
      [1, 'client', 'GET /chat HTTP/1.1'],
      [1, 'server', 'HTTP/1.1 101 Switching Protocols'],
      [1, 'server', 'WebSocket Text [FIN] "Welcome!"'],
      [1, 'client', 'WebSocket Text [FIN] [MASKED] "Hello"'],
      [1, 'server', 'WebSocket Text [FIN] "Hi!"'],
    ]);
    // Times: ms since the first entry started (startedDateTime 18:39:14.800Z; frame time 1796236755.085176 s).
    const welcome = cap.messages[4]!;
    expect(welcome.time).toBeCloseTo(1796236755085.176 - Date.parse('2026-12-02T18:39:14.800Z'), 3);
    const upgrade = cap.messages[2]!.body;
    expect(upgrade.kind === 'http-request' && upgrade.upgrade).toBe(true);
    expect(cap.problems).toEqual([]);
  });

  it('socketio.har: polling bodies and WebSocket frames read as Engine.IO / Socket.IO', () => {
    const cap = readHar(fixture('socketio.har'), 'socketio.har');
    const eio = cap.messages.filter((m) => m.body.kind === 'engineio').map((m) => [m.from, m.summary]);
    expect(eio).toEqual([
      ['server', 'Engine.IO open {"sid":"7Pt7FRwAOOvd07I0AAAA","upgrades":["websocket"],"pin…'],
      ['client', 'Socket.IO CONNECT'],
      ['client', 'Engine.IO ping probe'],
      ['server', 'Socket.IO CONNECT {"sid":"YFkcNikbQZhPj-1MAAAA"}'],
      ['server', 'Engine.IO pong probe'],
      ['server', 'Engine.IO noop'],
      ['client', 'Engine.IO upgrade'],
      ['client', 'Socket.IO EVENT "chat message" ["Hello"]'],
      ['server', 'Socket.IO EVENT "chat message" ["Hello"]'],
      ['server', 'Engine.IO ping'],
      ['client', 'Engine.IO pong'],
      ['client', 'Socket.IO DISCONNECT'],
    ]);
    // The POST's "ok" answer is not an Engine.IO payload.
    expect(
      cap.messages.some((m) => m.body.kind === 'engineio' && m.body.packets.some((p) => p.data === 'k')),
    ).toBe(false);
  });

  it('bad JSON: one problem with line and column, no throw', () => {
    const text = '{\n  "log": {\n    "version": "1.2",\n    "entries": [ }\n}';
    const cap = readHar(text, 'broken.har');
    expect(cap.messages).toEqual([]);
    expect(cap.problems).toHaveLength(1);
    expect(cap.problems[0]).toMatchObject({ code: 'bad-json', severity: 'error', offset: text.indexOf('}') });
    expect(cap.problems[0]!.message).toMatch(/line 4, column 18/);
  });

  it('not a HAR, entries missing, a bad entry: problems naming where; the rest still read', () => {
    expect(readHar('[1,2]', 'x.har').problems.map((p) => p.code)).toEqual(['har-no-log']);
    expect(
      readHar('{"log":{"version":"1.2","creator":{"name":"x","version":"1"}}}', 'x.har').problems.map(
        (p) => p.code,
      ),
    ).toEqual(['har-no-entries']);
    const har = JSON.parse(fixture('chromium-ws.har')) as { log: { entries: unknown[]; creator?: unknown } };
    har.log.entries.unshift({ request: { method: 'GET' } });
    delete har.log.creator;
    const cap = readHar(JSON.stringify(har), 'x.har');
    expect(cap.problems.map((p) => [p.code, p.record])).toEqual([
      ['har-creator', undefined],
      ['har-entry', 1],
    ]);
    expect(cap.messages).toHaveLength(7);
  });

  it('a HAR without WebSocket messages says so (Firefox leaves them out)', () => {
    const har = JSON.parse(fixture('chromium-ws.har')) as {
      log: { creator: { name: string }; entries: { _webSocketMessages?: unknown }[] };
    };
    har.log.creator.name = 'Firefox';
    delete har.log.entries[1]!._webSocketMessages;
    const cap = readHar(JSON.stringify(har), 'firefox.har');
    const codes = cap.problems.map((p) => p.code);
    expect(codes).toEqual(['har-no-ws-messages', 'har-no-websocket']);
    expect(cap.problems[0]!.message).toContain('Firefox');
    const plain = JSON.parse(fixture('chromium-ws.har')) as { log: { entries: unknown[] } };
    plain.log.entries.pop();
    expect(readHar(JSON.stringify(plain), 'page.har').problems.map((p) => p.message)).toEqual([
      'page.har holds no WebSocket connection: only HTTP requests and responses (1 entries).',
    ]);
  });
});
