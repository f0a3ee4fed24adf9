/**
 * Real peers: the simulated browser's bytes go to a real `ws` server, and the simulated server's bytes
 * to a real `ws` client, over loopback TCP. Both must complete the handshake and receive exactly the
 * link's messages, with the close code and reason.
 */
import { once } from 'node:events';
import net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { parseLink } from '../../src/lesson/link';
import { fromBase64 } from '../../src/protocol/bytes';
import type { Scenario } from '../../src/sim/scenario';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { BuildOptions, Timeline } from '../../src/sim/types';

/** The TCP payloads one side sent, in order, each byte once (first transmissions only). */
function segmentsOf(t: Timeline, from: 'client' | 'server'): Uint8Array[] {
  const seen = new Set<number>();
  const out: { seq: number; bytes: Uint8Array }[] = [];
  for (const p of t.packets) {
    if (p.from !== from || p.tcp.len === 0 || seen.has(p.tcp.relSeq)) continue;
    seen.add(p.tcp.relSeq);
    out.push({ seq: p.tcp.relSeq, bytes: p.frame.subarray(p.frame.length - p.tcp.len) });
  }
  return out.sort((a, b) => a.seq - b.seq).map((x) => x.bytes);
}

function headOf(bytes: Buffer): string | null {
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? null : bytes.subarray(0, end).toString('latin1');
}

function header(head: string, name: string): string | undefined {
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
  return line?.slice(line.indexOf(':') + 1).trim();
}

const LINKS = [
  'lesson=websocket',
  'lesson=websocket&m=c:Hello&m=s:Hi!&m=c:&m=c:caf%C3%A9%20%F0%9F%98%80%20%D7%A9%D7%9C%D7%95%D7%9D&frag=4&loss=7,12',
  'lesson=websocket&m=s:first&m=c:second&close=s&mss=536',
  // permessage-deflate: the real server is created with perMessageDeflate: true, the real client offers it.
  'lesson=websocket&deflate=1',
  'lesson=websocket&deflate=1&m=c:Hello&m=c:Hello&m=s:Hi!&m=s:Hi!&m=c:caf%C3%A9&m=c:&m=s:&m=c:Hello&m=s:Hi!&frag=3&close=s',
];

function scenarioOf(link: string): Scenario {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return state.scenario;
}

/**
 * Adds messages longer than 65 535 bytes (64-bit length field). Not with tiny fragments: ws refuses a
 * message in more than a few thousand parts (WS_ERR_TOO_MANY_BUFFERED_PARTS), as a real server should.
 */
function withLongMessage(s: Scenario): Scenario {
  if (s.frag !== null && s.frag < 1000) return s;
  return {
    ...s,
    messages: [...s.messages, { from: 'c', text: 'λ'.repeat(35000) }, { from: 's', text: 'z'.repeat(70000) }],
  };
}

describe('the simulated browser talks to a real ws server', () => {
  it.each(LINKS)('%s', async (link) => {
    const scenario = withLongMessage(scenarioOf(link));
    const t = buildTimeline(scenario, ALL_STORIES);
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      perMessageDeflate: scenario.deflate ?? false,
    });
    await once(wss, 'listening');
    const received: string[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      wss.on('connection', (ws) => {
        ws.on('message', (data, isBinary) => {
          expect(isBinary).toBe(false);
          received.push(data.toString());
        });
        ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      });
    });
    const { port } = wss.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const fromServer: Buffer[] = [];
    socket.on('data', (b) => fromServer.push(b));
    const ended = once(socket, 'close');
    for (const piece of segmentsOf(t, 'client')) socket.write(piece);
    const result = await closed;
    await ended;
    wss.close();

    expect(received).toEqual(scenario.messages.filter((m) => m.from === 'c').map((m) => m.text));
    expect(result).toEqual({ code: 1000, reason: 'bye' });
    // The real server computed the same Sec-WebSocket-Accept as the simulated one.
    const realHead = headOf(Buffer.concat(fromServer))!;
    const simHead = headOf(Buffer.from(segmentsOf(t, 'server')[0]!))!;
    expect(realHead.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(header(realHead, 'Sec-WebSocket-Accept')).toBe(header(simHead, 'Sec-WebSocket-Accept'));
    // ws's 101 and the simulated one are the same bytes: its header order, and its answer to Chrome's offer
    // (Sec-WebSocket-Extensions: permessage-deflate with deflate=1, no such header without).
    expect(realHead).toBe(simHead);
    expect(header(realHead, 'Sec-WebSocket-Extensions')).toBe(
      scenario.deflate ? 'permessage-deflate' : undefined,
    );
  });
});

describe('the simulated server talks to a real ws client', () => {
  it.each(LINKS)('%s', async (link) => {
    const scenario = withLongMessage(scenarioOf(link));
    const server = net.createServer();
    server.on('connection', (socket) => {
      let buffered = Buffer.alloc(0);
      const onData = (b: Buffer): void => {
        buffered = Buffer.concat([buffered, b]);
        const head = headOf(buffered);
        if (head === null) return;
        socket.off('data', onData);
        socket.on('data', () => {});
        // The real client chose its own key: simulate the server's answer for that key.
        const key = fromBase64(header(head, 'Sec-WebSocket-Key') ?? '');
        expect(key).not.toBeNull();
        const options: BuildOptions = { wsKey: key! };
        const t = buildTimeline(scenario, ALL_STORIES, options);
        for (const piece of segmentsOf(t, 'server')) socket.write(piece);
        socket.end();
      };
      socket.on('data', onData);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;

    // ws's client offers `permessage-deflate; client_max_window_bits`, as Chrome does.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    let extensions = '';
    ws.on('upgrade', (res) => (extensions = String(res.headers['sec-websocket-extensions'] ?? '')));
    const received: string[] = [];
    let opened = false;
    ws.on('open', () => (opened = true));
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      received.push(data.toString());
    });
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    server.close();

    expect(opened).toBe(true);
    expect(extensions).toBe(scenario.deflate ? 'permessage-deflate' : '');
    expect(received).toEqual(scenario.messages.filter((m) => m.from === 's').map((m) => m.text));
    expect(code).toBe(1000);
    expect(reason.toString()).toBe('bye');
  });
});
