import { readFileSync } from 'node:fs';
import { encodePacket, type Packet as EioPacket } from 'engine.io-parser';
import { lessonScenario } from '../../src/lesson/catalogue';
import { parseLink } from '../../src/lesson/link';
import { bytesEqual } from '../../src/protocol/bytes';
import type { Scenario } from '../../src/sim/scenario';
import { socketIoHosts } from '../../src/sim/stories/socketio/script';
import { buildSocketIoTimeline } from '../../src/sim/stories/socketio/timeline';
import { timelinePcap, timelineText } from '../../src/sim/timeline';
import type { Timeline } from '../../src/sim/types';
import {
  captureKinds,
  captureMessages,
  checkConnections,
  collapse,
  realEioPackets,
  realSioPacket,
  type KindAt,
} from './socketio-capture';

const REFERENCE = readFileSync(new URL('../fixtures/real-socketio-loopback.pcap', import.meta.url));

function scenario(link: string): Scenario {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return state.scenario;
}

const cache = new Map<string, Timeline>();
function timeline(link: string): Timeline {
  let t = cache.get(link);
  if (!t) cache.set(link, (t = buildSocketIoTimeline(scenario(link))));
  return t;
}

function realEncode(p: EioPacket): string {
  let out = '';
  encodePacket(p, false, (s) => (out = String(s)));
  return out;
}

/**
 * What the timeline says each write carried, per TCP connection and direction, in sending order, as a
 * capture at `at` would show it: what it sent, and what reached it (a lost packet counts if a
 * retransmission of it got through).
 */
function timelineTexts(t: Timeline, at = 'server'): Map<string, string[]> {
  const ipOf = new Map(t.hosts.map((h) => [h.id, h.ip]));
  const out = new Map<string, string[]>();
  const delivered = (id: number): boolean =>
    !t.packets[id]!.lost || t.packets.some((q) => q.retransmissionOf === id && !q.lost);
  for (const p of t.packets) {
    if (p.retransmissionOf !== undefined || !p.app) continue;
    if (p.from !== at && p.to !== at && at !== 'server') continue;
    if (p.from !== at && !delivered(p.id)) continue;
    const client =
      p.from === 'server' ? `${ipOf.get(p.to)}:${p.tcp.dstPort}` : `${ipOf.get(p.from)}:${p.tcp.srcPort}`;
    const key = `${client} ${p.from === 'server' ? 's2c' : 'c2s'}`;
    let texts: string[] = [];
    if (p.app.kind === 'engineio') texts = [...p.app.packets];
    else if (p.app.kind === 'ws-frame' && p.app.opcode === 1) texts = [p.app.text];
    if (texts.length === 0) continue;
    out.set(key, [...(out.get(key) ?? []), ...texts]);
  }
  return out;
}

/** The same, from the capture, decoded by engine.io-parser and re-encoded by it. */
function captureTexts(pcap: Uint8Array): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of captureMessages(pcap)) {
    const ps = realEioPackets(m);
    if (ps.length === 0) continue;
    const key = `${m.client} ${m.dir}`;
    out.set(key, [...(out.get(key) ?? []), ...ps.map(realEncode)]);
  }
  return out;
}

/** `message: X` console lines of one host, in order. */
function messagesAt(t: Timeline, host: string): string[] {
  return t.steps.flatMap((s) =>
    (s.console ?? [])
      .filter((c) => c.host === host && c.text.startsWith('message: '))
      .map((c) => c.text.slice(9)),
  );
}

const LINKS = [
  'lesson=socketio',
  'lesson=socketio&clients=3&emit=room',
  'lesson=socketio&clients=2&emit=io&m=c:a&m=s:b&m=c:c',
  'lesson=socketio&transport=polling&m=c:Hello&m=s:Hi!&m=c:again',
  'lesson=socketio&drop=60&m=c:one&m=c:two&m=s:three&m=c:four',
  'lesson=socketio&ev=news&m=c:%C3%A9t%C3%A9%20%F0%9F%98%80&m=s:%D7%A9%D7%9C%D7%95%D7%9D',
];

describe('the one-client socketio lesson', () => {
  const t = timeline('lesson=socketio');

  it('has the reference capture’s packet kinds in the same order (ids and times aside)', () => {
    const shape = (ks: readonly KindAt[]): string[] => collapse(ks.map((k) => `${k.dir} ${k.kind}`));
    const reference = shape(captureKinds(REFERENCE, 18082));
    expect(reference).toEqual([
      's2c open',
      'c2s message:CONNECT',
      'c2s ping:probe',
      's2c message:CONNECT',
      's2c pong:probe',
      's2c noop',
      'c2s upgrade',
      'c2s message:EVENT',
      's2c message:EVENT',
      's2c ping',
      'c2s pong',
      'c2s message:DISCONNECT',
    ]);
    const ours = captureKinds(timelinePcap(t));
    // The lesson adds one acknowledged emit (42<id>[…] → 43<id>[…]); the reference has none.
    const acks = ours.filter((k) => k.kind.endsWith('+ack'));
    expect(acks.map((k) => k.text)).toEqual(['420["users online"]', '430[1]']);
    expect(shape(ours.filter((k) => !k.kind.endsWith('+ack')))).toEqual(reference);
  });

  it('carries the real handshake values: socket.io defaults, a 20-character sid, the t cache-buster', () => {
    const msgs = captureMessages(timelinePcap(t));
    const open = msgs.find((m) => m.text.startsWith('0{'))!;
    const h = JSON.parse(open.text.slice(1)) as Record<string, unknown>;
    expect(Object.keys(h)).toEqual(['sid', 'upgrades', 'pingInterval', 'pingTimeout', 'maxPayload']);
    expect(h).toMatchObject({
      upgrades: ['websocket'],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1000000,
    });
    expect(h['sid']).toMatch(/^[A-Za-z0-9_-]{16}AAAA$/);
    const first = msgs.find((m) => m.kind === 'http-request')!;
    expect(first.line).toMatch(/^GET \/socket\.io\/\?EIO=4&transport=polling&t=[0-9a-z]{8} HTTP\/1\.1$/);
    const post = msgs.find((m) => m.line?.startsWith('POST'))!;
    expect(post.line).toMatch(new RegExp(`&t=[0-9a-z]{8}&sid=${h['sid'] as string} HTTP`));
    const upgrade = msgs.find((m) => m.line?.includes('transport=websocket'))!;
    expect(upgrade.line).toBe(`GET /socket.io/?EIO=4&transport=websocket&sid=${h['sid'] as string} HTTP/1.1`);
    const connect = msgs.find((m) => m.text.startsWith('40{'))!;
    const socketId = (JSON.parse(connect.text.slice(2)) as { sid: string }).sid;
    expect(socketId).not.toBe(h['sid']);
    expect(t.steps.find((s) => s.console?.some((c) => c.text === `connect ${socketId}`))).toBeDefined();
  });

  it('prints the console lines at the step whose packet causes them', () => {
    const at = (host: string, text: string) =>
      t.steps.find((s) => s.console?.some((c) => c.host === host && c.text === text));
    const cause = (host: string, text: string) => {
      const s = at(host, text);
      expect(s, `${host}: ${text}`).toBeDefined();
      return t.packets[s!.packet!]!;
    };
    expect(cause('server', 'a user connected').app).toMatchObject({ kind: 'engineio', packets: ['40'] });
    expect(cause('server', 'message: Hello').app).toMatchObject({
      kind: 'ws-frame',
      text: '42["chat message","Hello"]',
    });
    expect(cause('client', 'message: Hi!').app).toMatchObject({
      kind: 'ws-frame',
      text: '42["chat message","Hi!"]',
    });
    expect(cause('server', 'user disconnected').app).toMatchObject({ kind: 'ws-frame', text: '41' });
    expect(cause('client', '1 users online').app).toMatchObject({ text: '430[1]' });
    const connect = at(
      'client',
      `connect ${t.steps
        .flatMap((s) => s.console ?? [])
        .find((c) => c.text.startsWith('connect '))!
        .text.slice(8)}`,
    )!;
    expect(t.packets[connect.packet!]!.app).toMatchObject({
      kind: 'engineio',
      packets: [expect.stringMatching(/^40\{"sid":/)],
    });
    const lines = t.steps.flatMap((s) => s.console ?? []).map((c) => `${c.host}: ${c.text}`);
    expect(lines.filter((l) => !l.startsWith('client: connect '))).toEqual([
      'server: a user connected',
      'server: message: Hello',
      'client: message: Hello',
      'client: message: Hi!',
      'client: 1 users online',
      'client: disconnect: io client disconnect',
      'server: user disconnected',
    ]);
  });

  it('points steps at the program lines that cause them', () => {
    const line = (s: { code?: { program: string; line: number } }) =>
      s.code ? t.programs[s.code.program as 'client' | 'server'].lines[s.code.line - 1] : undefined;
    const byTitle = (re: RegExp) => t.steps.find((s) => re.test(s.title))!;
    expect(line(byTitle(/^io\.on\('connection'\)/))).toContain("console.log('a user connected')");
    expect(line(byTitle(/^Browser: socket\.emit\("chat message", "Hello"\)/))).toBe(
      "socket.emit('chat message', 'Hello');",
    );
    expect(line(byTitle(/^socket\.emit\("chat message", "Hi!"\)/))).toContain(
      "socket.emit('chat message', 'Hi!')",
    );
    expect(line(byTitle(/^Browser: socket\.disconnect\(\)/))).toBe('socket.disconnect();');
    const echo = t.steps.find(
      (s) =>
        s.kind === 'transmit' &&
        s.packet !== undefined &&
        t.packets[s.packet!]!.from === 'server' &&
        /42\["chat message","Hello"\]/.test(t.packets[s.packet!]!.summary),
    )!;
    expect(line(echo)).toBe("    socket.emit('chat message', msg);");
  });

  it('answers its curriculum questions and meets its misconceptions, with this run’s values', () => {
    const tags = new Set(t.steps.flatMap((s) => s.curriculum ?? []));
    for (const id of ['Q4', 'Q5', 'Q6', 'Q7', 'Q8', 'Q9', 'Q13', 'M1', 'M4', 'M5', 'M8'])
      expect(tags, id).toContain(id);
    const sid = (
      JSON.parse(
        captureMessages(timelinePcap(t))
          .find((m) => m.text.startsWith('0{'))!
          .text.slice(1),
      ) as {
        sid: string;
      }
    ).sid;
    expect(t.steps.some((s) => s.text.includes(sid))).toBe(true);
    expect(
      t.steps
        .filter((s) => s.misconception)
        .map((s) => s.curriculum)
        .flat(),
    ).toEqual(expect.arrayContaining(['M4', 'M5', 'M8']));
    for (const s of t.steps) {
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.text).not.toMatch(/undefined|NaN|\[object/);
    }
  });

  it('names its chapters in order and ends with every connection closed', () => {
    expect(t.chapters.map((c) => c.id)).toEqual([
      'eio-handshake',
      'sio-connect',
      'sio-events',
      'heartbeat',
      'sio-disconnect',
      'tcp-teardown',
    ]);
    const last = t.steps.at(-1)!.states;
    expect(last['client']).toMatchObject({ ws: 'CLOSED', sio: { connected: false } });
    expect(checkConnections(t)).toEqual([]);
  });
});

describe('every Engine.IO and Socket.IO packet on the wire', () => {
  it.each(LINKS)(
    'decodes with engine.io-parser and socket.io-parser to what the timeline says: %s',
    (link) => {
      const t = timeline(link);
      const server = captureTexts(timelinePcap(t, 'server'));
      expect(server).toEqual(timelineTexts(t, 'server'));
      expect(captureTexts(timelinePcap(t))).toEqual(timelineTexts(t, 'client'));
      // Every Socket.IO packet inside decodes with socket.io-parser.
      for (const texts of server.values()) {
        for (const x of texts.filter((s) => s.startsWith('4')))
          expect(() => realSioPacket(x.slice(1))).not.toThrow();
      }
      expect(checkConnections(t)).toEqual([]);
    },
  );
});

describe('fan-out with three browsers (M1)', () => {
  const who = {
    socket: ['client'],
    broadcast: ['client-2', 'client-3'],
    io: ['client', 'client-2', 'client-3'],
    room: ['client', 'client-3'],
  } as const;
  for (const [emit, expected] of Object.entries(who)) {
    it(`${emit}: exactly ${expected.join(', ')} receive each event`, () => {
      const t = timeline(`lesson=socketio&clients=3&emit=${emit}&m=c:Hello&m=s:News`);
      const hosts = socketIoHosts(3).browsers;
      const frames = captureMessages(timelinePcap(t, 'server')).filter(
        (m) => m.dir === 's2c' && m.text.startsWith('42["chat message"'),
      );
      for (const text of ['Hello', 'News']) {
        const to = frames
          .filter((m) => m.text === `42["chat message","${text}"]`)
          .map((m) => hosts.find((h) => m.client.startsWith(`${h.ip}:`))!.id);
        expect(to.sort()).toEqual([...expected]);
        for (const h of hosts) {
          expect(messagesAt(t, h.id).filter((x) => x === text)).toHaveLength(
            (expected as readonly string[]).includes(h.id) ? 1 : 0,
          );
        }
      }
      expect(messagesAt(t, 'server')).toEqual(['Hello']);
    });
  }

  it('shows the join as a server method: no packet, the rooms in the server’s state', () => {
    const t = timeline('lesson=socketio&clients=3&emit=room');
    const join = t.steps.filter((s) => /^socket\.join\('room1'\)/.test(s.title));
    expect(join).toHaveLength(2);
    expect(join.every((s) => s.kind === 'app' && s.curriculum?.includes('M8'))).toBe(true);
    expect(t.steps.at(-20)!.states['server']!.sio?.rooms ?? ['room1']).toEqual(['room1']);
    const joinPackets = captureTexts(timelinePcap(t, 'server'));
    const all = [...joinPackets.values()].flat();
    expect(all.filter((x) => x === '42["join room","room1"]')).toHaveLength(2);
    expect(all.some((x) => x.includes('room1') && x.startsWith('42') && !x.includes('join room'))).toBe(
      false,
    );
  });
});

describe('reconnection (drop) and polling-only sessions deliver every event once, in order', () => {
  const base = 'lesson=socketio&m=c:one&m=s:two&m=c:three&m=c:four&m=s:five&ping=0';
  const calm = timeline(base);
  const stepOf = (re: RegExp): number => calm.steps.findIndex((s) => re.test(s.title)) + 1;
  const drops = {
    'during the handshake': 3,
    'during the upgrade': stepOf(/^Probe: 2probe/),
    'as Browser 1 emits': stepOf(/^Browser: socket\.emit\("chat message", "one"\)/),
    'as the server pushes': stepOf(/^socket\.emit\("chat message", "two"\)/),
    'between two messages': stepOf(/^Browser: message: three/),
    'before the acknowledgement': stepOf(/^Browser: socket\.emit\("users online"/),
  };
  it.each(Object.entries(drops))('drop %s (step %i)', (_, drop) => {
    expect(drop).toBeGreaterThan(0);
    const link = `${base}&drop=${drop}`;
    const t = timeline(link);
    expect(messagesAt(t, 'client')).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(messagesAt(t, 'server')).toEqual(['one', 'three', 'four']);
    const lines = t.steps.flatMap((s) => s.console ?? []).map((c) => c.text);
    expect(lines).toContain('reconnect_attempt 1');
    expect(lines).toContain('connect_error: timeout');
    expect(lines).toContain('reconnect_attempt 2');
    expect(lines.filter((l) => /^reconnect after 2 attempt/.test(l))).toHaveLength(1);
    expect(t.steps.some((s) => s.kind === 'drop')).toBe(true);
    expect(t.steps.find((s) => s.title.includes('network path') && s.title.includes('breaks'))).toBeDefined();
    expect(captureTexts(timelinePcap(t, 'server'))).toEqual(timelineTexts(t, 'server'));
  });

  it('mends the network after 30 s when the page has already left: no reconnection, everything closes', () => {
    const drop = stepOf(/^Browser: socket\.disconnect\(\)/) + 2;
    const t = timeline(`${base}&drop=${drop}`);
    const lines = t.steps.flatMap((s) => s.console ?? []).map((c) => c.text);
    expect(lines.some((l) => l.startsWith('reconnect'))).toBe(false);
    const down = t.steps.find((s) => /network path .* breaks/.test(s.title))!;
    const up = t.steps.find((s) => /network path .* is back/.test(s.title))!;
    expect(up.time - down.time).toBe(30000);
    expect(messagesAt(t, 'client')).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(t.steps.at(-1)!.time).toBeLessThan(down.time + 120_000);
  });

  it('sends the emits made while offline after the reconnection, from the send buffer', () => {
    const t = timeline('lesson=socketio&drop=60&m=c:one&m=c:two&m=c:three&m=c:four&ping=0');
    const buffered = t.steps.filter(
      (s) => /socket\.emit\("chat message"/.test(s.title) && /send buffer/.test(s.text),
    );
    expect(buffered.length).toBeGreaterThan(0);
    expect(t.steps.some((s) => s.console?.some((c) => c.text === 'disconnect: ping timeout'))).toBe(true);
    expect(
      t.steps.some((s) => s.console?.some((c) => c.host === 'server' && c.text === 'user disconnected')),
    ).toBe(true);
    expect(messagesAt(t, 'client')).toEqual(['one', 'two', 'three', 'four']);
  });

  it('stays on long-polling with transport=polling: no upgrade, no WebSocket frame, POSTs answered ok', () => {
    const t = timeline('lesson=socketio&transport=polling&m=c:Hello&m=s:Hi!&m=c:again');
    const msgs = captureMessages(timelinePcap(t));
    expect(msgs.some((m) => m.kind !== 'http-request' && m.kind !== 'http-response')).toBe(false);
    expect(msgs.some((m) => m.line?.includes('transport=websocket'))).toBe(false);
    expect(JSON.parse(msgs.find((m) => m.text.startsWith('0{'))!.text.slice(1))).toMatchObject({
      upgrades: [],
    });
    const posts = msgs.filter((m) => m.line?.startsWith('POST'));
    const oks = msgs.filter((m) => m.kind === 'http-response' && m.text === 'ok');
    expect(oks).toHaveLength(posts.length);
    expect(posts.map((m) => m.text)).toEqual(
      expect.arrayContaining(['40', '42["chat message","Hello"]', '420["users online"]', '3', '41', '1']),
    );
    expect(messagesAt(t, 'client')).toEqual(['Hello', 'Hi!', 'again']);
    expect(t.steps.at(-1)!.states['client']!.sio).toMatchObject({ connected: false });
  });

  it('joins several waiting packets with the record separator 0x1e in one polling body', () => {
    const t = timeline('lesson=socketio&transport=polling&drop=44&m=c:one&m=c:two&m=c:three&m=c:four&ping=0');
    const bodies = captureMessages(timelinePcap(t)).filter((m) => m.text.includes('\x1e'));
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(realEioPackets(b).length).toBeGreaterThan(1);
    expect(messagesAt(t, 'client')).toEqual(['one', 'two', 'three', 'four']);
  });
});

describe('determinism', () => {
  it('gives byte-identical captures and text for the same link', () => {
    for (const link of ['lesson=socketio&clients=3&emit=broadcast', 'lesson=socketio&drop=90']) {
      const a = buildSocketIoTimeline(scenario(link));
      const b = buildSocketIoTimeline(scenario(link));
      expect(bytesEqual(timelinePcap(a, 'server'), timelinePcap(b, 'server'))).toBe(true);
      expect(timelineText(a)).toBe(timelineText(b));
    }
  });

  it('changes the sid, the socket id, the ports and the cache-busters with the seed', () => {
    const pick = (t: Timeline) => {
      const msgs = captureMessages(timelinePcap(t));
      return {
        open: msgs.find((m) => m.text.startsWith('0{'))!.text,
        connect: msgs.find((m) => m.text.startsWith('40{'))!.text,
        first: msgs[0]!.line,
        port: t.packets[0]!.tcp.srcPort,
      };
    };
    const a = pick(buildSocketIoTimeline(lessonScenario('socketio')));
    const b = pick(buildSocketIoTimeline({ ...lessonScenario('socketio'), seed: 12345 }));
    expect(b.open).not.toBe(a.open);
    expect(b.connect).not.toBe(a.connect);
    expect(b.first).not.toBe(a.first);
    expect(b.port).not.toBe(a.port);
  });
});

describe('offline=: the browser’s own network goes down (engine.io-client’s offline listener)', () => {
  const base = 'lesson=socketio&m=c:one&m=s:two&m=c:three&m=c:four&m=s:five&ping=0';
  const calm = timeline(base);
  const stepOf = (re: RegExp): number => calm.steps.findIndex((s) => re.test(s.title)) + 1;
  const moments = {
    'as Browser 1 emits': stepOf(/^Browser: socket\.emit\("chat message", "one"\)/),
    'between two messages': stepOf(/^Browser: message: three/),
    'before the acknowledgement': stepOf(/^Browser: socket\.emit\("users online"/),
  };
  it.each(Object.entries(moments))('offline %s (step %i)', (_, at) => {
    expect(at).toBeGreaterThan(0);
    const t = timeline(`${base}&offline=${at}`);
    const down = t.steps.find((s) => s.title === 'Browser goes offline')!;
    const up = t.steps.find((s) => s.title === 'Browser is online again')!;
    expect(down).toBeDefined();
    expect(up).toBeDefined();
    // lib/socket.ts: onClose("transport close") at once, not after a missed heartbeat.
    const disconnect = t.steps.find((s) => s.title === "Browser: 'disconnect' (transport close)")!;
    expect(disconnect.time).toBe(down.time);
    expect(t.steps.some((s) => s.title.includes('ping timeout'))).toBe(false);
    // The transport closes the ordinary way: a Close frame, never a reset, until the Manager has reconnected.
    const back = t.steps.find((s) => /^Browser: reconnect after/.test(s.title))!;
    expect(
      t.packets.some((p) => p.tcp.flags.includes('RST') && p.sentAt >= down.time && p.sentAt <= back.time),
    ).toBe(false);
    const closeFrames = t.packets.filter(
      (p) => p.from === 'client' && p.app?.kind === 'ws-frame' && p.app.opcode === 8 && p.sentAt >= down.time,
    );
    expect(closeFrames.length).toBeGreaterThan(0);
    // While offline Chrome fails every new request at once: no new connection is tried.
    const offlineSyns = t.packets.filter(
      (p) =>
        p.from === 'client' && p.tcp.flags.join() === 'SYN' && p.sentAt > down.time && p.sentAt < up.time,
    );
    expect(offlineSyns).toEqual([]);
    const lines = t.steps.flatMap((s) => s.console ?? []).map((c) => c.text);
    expect(lines).toContain('connect_error: xhr poll error');
    expect(lines.filter((l) => /^reconnect after 2 attempt/.test(l))).toHaveLength(1);
    expect(messagesAt(t, 'client')).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(messagesAt(t, 'server')).toEqual(['one', 'three', 'four']);
    expect(captureTexts(timelinePcap(t, 'server'))).toEqual(timelineTexts(t, 'server'));
  });

  it('drop= stays the silent failure: nothing tells the page, the heartbeat does', () => {
    const t = timeline(`${base}&drop=${moments['between two messages']}`);
    const down = t.steps.find((s) => /network path .* breaks/.test(s.title))!;
    const disconnect = t.steps.find((s) => /^Browser: 'disconnect'/.test(s.title))!;
    expect(disconnect.title).toBe("Browser: 'disconnect' (ping timeout)");
    expect(disconnect.time).toBeGreaterThan(down.time);
  });

  it('is refused outside the Socket.IO lessons, and written back as given', () => {
    const { problems, state } = parseLink('lesson=websocket&offline=5');
    expect(problems.map((p) => p.param)).toEqual(['offline']);
    expect(state.scenario.offline).toBeUndefined();
    expect(scenario('lesson=socketio&offline=7').offline).toBe(7);
  });
});
