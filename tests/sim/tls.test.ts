/**
 * The websocket story over TLS 1.3 (tls=1): the handshake's records in order, every record decrypts with the
 * run's own secrets to exactly what the programs sent, same link same bytes, another seed other keys.
 */
import { parseLink } from '../../src/lesson/link';
import { concatBytes, fromHex, toHex } from '../../src/protocol/bytes';
import { decodeInnerPlaintext, decodeTlsRecord, TLS_CONTENT_TYPES } from '../../src/protocol/tls';
import { openRecord, trafficKeys } from '../../src/protocol/tlsKeys';
import { decodeWsFrame } from '../../src/protocol/websocket';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline, timelineKeyLog } from '../../src/sim/timeline';
import type { Timeline } from '../../src/sim/types';

const build = (link: string): Timeline => {
  const { state, problems } = parseLink(link);
  expect(problems).toEqual([]);
  return buildTimeline(state.scenario, ALL_STORIES);
};

/** Each direction's TCP byte stream, from the first transmission of every segment, in sequence order. */
function streams(t: Timeline): { client: Uint8Array; server: Uint8Array } {
  const out = {
    client: [] as { seq: number; bytes: Uint8Array }[],
    server: [] as { seq: number; bytes: Uint8Array }[],
  };
  const seen = new Set<string>();
  for (const p of t.packets) {
    if (p.tcp.len === 0 || p.connection !== 0) continue;
    const key = `${p.from}:${p.tcp.relSeq}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const side = p.from === 'client' ? out.client : out.server;
    side.push({ seq: p.tcp.relSeq, bytes: p.frame.subarray(p.frame.length - p.tcp.len) });
  }
  const join = (xs: { seq: number; bytes: Uint8Array }[]): Uint8Array =>
    concatBytes(...xs.sort((a, b) => a.seq - b.seq).map((x) => x.bytes));
  return { client: join(out.client), server: join(out.server) };
}

/** Secrets by label from the key log of a run with one TLS connection (or from one connection's lines). */
function keyLog(t: Timeline | string): Map<string, Uint8Array> {
  const log = typeof t === 'string' ? t : timelineKeyLog(t);
  if (!log) throw new Error('no key log');
  return new Map(
    log
      .trim()
      .split('\n')
      .map((l) => {
        const [label, , secret] = l.split(' ');
        return [label!, fromHex(secret!)] as const;
      }),
  );
}

interface Opened {
  readonly outer: number;
  readonly type: number;
  readonly content: Uint8Array;
}

/** Every record of one direction, opened with the handshake keys until its Finished, then the application keys. */
function openAll(stream: Uint8Array, hsSecret: Uint8Array, apSecret: Uint8Array): Opened[] {
  const out: Opened[] = [];
  let keys = trafficKeys(hsSecret);
  let seq = 0;
  let at = 0;
  while (at < stream.length) {
    const r = decodeTlsRecord(stream.subarray(at));
    if (!r.ok) throw new Error(`record at ${at}: ${r.error.message}`);
    const wire = stream.subarray(at, at + r.length);
    at += r.length;
    if (r.repr.type !== TLS_CONTENT_TYPES.application_data) {
      out.push({ outer: r.repr.type, type: r.repr.type, content: r.repr.fragment });
      continue;
    }
    const inner = openRecord(keys, seq++, wire);
    if (!inner) throw new Error(`record at ${at - r.length} does not decrypt`);
    const plain = decodeInnerPlaintext(inner);
    if (!plain.ok) throw new Error(plain.error.message);
    out.push({ outer: 23, type: plain.repr.type, content: plain.repr.content });
    // The Finished (handshake type 20) is the last record under the handshake keys.
    if (plain.repr.type === TLS_CONTENT_TYPES.handshake && plain.repr.content[0] === 20) {
      keys = trafficKeys(apSecret);
      seq = 0;
    }
  }
  return out;
}

/** The application data of a direction, joined, and the WebSocket frames in it after the HTTP head. */
function application(records: readonly Opened[]): { head: string; payloads: string[] } {
  const data = concatBytes(...records.filter((r) => r.type === 23).map((r) => r.content));
  const text = new TextDecoder('latin1').decode(data);
  const end = text.indexOf('\r\n\r\n') + 4;
  const payloads: string[] = [];
  let at = end;
  while (at < data.length) {
    const from = data[at + 1]! & 0x80 ? 'client' : 'server';
    const f = decodeWsFrame(data.subarray(at), { from });
    if (!f.ok) throw new Error(f.error.message);
    payloads.push(new TextDecoder().decode(f.repr.payload));
    at += f.length;
  }
  return { head: text.slice(0, end), payloads };
}

describe('lesson=websocket&tls=1', () => {
  const t = build('lesson=websocket&tls=1');

  it('runs on port 443 with wss:// in the program, and a TLS handshake before the upgrade', () => {
    expect(t.packets[0]!.tcp.dstPort).toBe(443);
    expect(t.programs.client.lines.join('\n')).toContain("new WebSocket('wss://server/chat')");
    expect(t.programs.server.lines.join('\n')).toContain('server.listen(443)');
    const data = t.packets.filter((p) => p.tcp.len > 0).map((p) => p.summary);
    expect(data.slice(0, 6)).toEqual([
      'Client Hello',
      'Server Hello, Change Cipher Spec, Encrypted Extensions, Certificate, Certificate Verify, Finished',
      'Change Cipher Spec, Finished',
      'GET /chat HTTP/1.1 (Upgrade)',
      'New Session Ticket, New Session Ticket',
      'HTTP/1.1 101 Switching Protocols',
    ]);
    expect(data.filter((s) => s === 'Alert (close_notify)')).toHaveLength(2);
    expect(t.chapters.map((c) => c.id)).toContain('tls-handshake');
    expect(t.packets.some((p) => p.layers.tls)).toBe(true);
  });

  it('every record decrypts with the key log’s secrets to what the programs sent', () => {
    const keys = keyLog(t);
    expect([...keys.keys()].sort()).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
    ]);
    const s = streams(t);
    const fromClient = openAll(
      s.client,
      keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!,
      keys.get('CLIENT_TRAFFIC_SECRET_0')!,
    );
    const fromServer = openAll(
      s.server,
      keys.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!,
      keys.get('SERVER_TRAFFIC_SECRET_0')!,
    );
    const c = application(fromClient);
    const sv = application(fromServer);
    expect(c.head.startsWith('GET /chat HTTP/1.1\r\n')).toBe(true);
    expect(sv.head.startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
    // The scenario's messages (Hello from the browser, Hi! from the server), then pong/ping and the Close frames.
    expect(c.payloads[0]).toBe('Hello');
    expect(sv.payloads[0]).toBe('Hi!');
    // close_notify is the last record each way (RFC 8446 §6.1).
    expect(fromClient.at(-1)).toMatchObject({ type: 21, content: Uint8Array.of(1, 0) });
    expect(fromServer.at(-1)).toMatchObject({ type: 21, content: Uint8Array.of(1, 0) });
  });

  it('the ClientHello’s narration quotes this run’s key share', () => {
    const hello = t.packets.find((p) => p.summary === 'Client Hello')!;
    // The ClientHello walks the layers: layer 6 is where TLS says what it sends.
    const step = t.steps.find((s) => s.packet === hello.id && s.layer === 6 && s.kind === 'encapsulate')!;
    const share = t.tls![0]!.values.find(([n]) => n === 'client X25519 public key')![1];
    expect(step.text).toContain(share.slice(0, 16));
  });

  it('same link, same bytes; another seed, other keys', () => {
    const again = build('lesson=websocket&tls=1');
    expect(again.packets.map((p) => toHex(p.frame, ''))).toEqual(t.packets.map((p) => toHex(p.frame, '')));
    expect(timelineKeyLog(again)).toBe(timelineKeyLog(t));
    const other = build('lesson=websocket&tls=1&seed=7');
    const a = keyLog(t);
    const b = keyLog(other);
    for (const label of a.keys()) expect(toHex(b.get(label)!)).not.toBe(toHex(a.get(label)!));
    expect(timelineKeyLog(other)!.split(' ')[1]).not.toBe(timelineKeyLog(t)!.split(' ')[1]);
  });

  it('without tls=1 nothing changes: port 80, no key log', () => {
    const plain = build('lesson=websocket');
    expect(plain.packets[0]!.tcp.dstPort).toBe(80);
    expect(timelineKeyLog(plain)).toBeNull();
    expect(plain.scenario.tls).toBeUndefined();
  });
});

describe('big messages over TLS: records of at most 16 KiB, split across segments', () => {
  const sizes = [125, 126, 65535, 65536];
  const link =
    'lesson=websocket&tls=1&' + sizes.map((n, i) => `m=${i % 2 ? 's' : 'c'}:${'x'.repeat(n)}`).join('&');
  const t = build(link);

  it('every record decrypts and the payloads are what was sent', () => {
    const keys = keyLog(t);
    const s = streams(t);
    const c = application(
      openAll(s.client, keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!, keys.get('CLIENT_TRAFFIC_SECRET_0')!),
    );
    const sv = application(
      openAll(s.server, keys.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!, keys.get('SERVER_TRAFFIC_SECRET_0')!),
    );
    expect(c.payloads.slice(0, 2).map((p) => p.length)).toEqual([125, 65535]);
    expect(sv.payloads.slice(0, 2).map((p) => p.length)).toEqual([126, 65536]);
    expect(c.payloads[1]).toBe('x'.repeat(65535));
  });

  it('a message of 65 536 bytes goes as four full 16 384-byte records and a fifth, each split across segments', () => {
    const keys = keyLog(t);
    const s = streams(t);
    const fromClient = openAll(
      s.client,
      keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!,
      keys.get('CLIENT_TRAFFIC_SECRET_0')!,
    );
    const fromServer = openAll(
      s.server,
      keys.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!,
      keys.get('SERVER_TRAFFIC_SECRET_0')!,
    );
    const lengths = (rs: readonly Opened[]): number[] =>
      rs.filter((r) => r.type === 23).map((r) => r.content.length);
    // RFC 8446 §5.1: at most 2^14 bytes of plaintext a record. 65535 + an 8-byte masked header; 65536 + 10.
    expect(lengths(fromClient).filter((n) => n === 16384)).toHaveLength(4);
    expect(lengths(fromClient)).toContain(65543 - 4 * 16384);
    expect(lengths(fromServer).filter((n) => n === 16384)).toHaveLength(4);
    expect(lengths(fromServer)).toContain(65546 - 4 * 16384);
    expect(Math.max(...t.packets.map((p) => p.tcp.len))).toBeLessThanOrEqual(1448);
  });
});

describe('lesson=socketio&tls=1: https:// polling and wss:// on every connection', () => {
  const t = build('lesson=socketio&tls=1');

  it('every TCP connection opens with a TLS handshake on port 443 and has its own secrets', () => {
    const connections = new Set(t.packets.map((p) => p.connection));
    expect(connections.size).toBeGreaterThan(1);
    for (const c of connections) {
      const first = t.packets.find((p) => p.connection === c && p.tcp.len > 0)!;
      expect(first.tcp.dstPort).toBe(443);
      expect(first.summary).toBe('Client Hello');
    }
    const sessions = t.tls!;
    expect(sessions.map((s) => s.connection).sort()).toEqual([...connections].sort());
    const randoms = sessions.map((s) => s.keyLog.split(' ')[1]);
    expect(new Set(randoms).size).toBe(sessions.length);
    expect(t.programs.server.lines.join('\n')).toContain("import { createServer } from 'node:https';");
    expect(t.steps[0]!.title).toBe('The server listens on port 443');
  });

  it('the first connection’s records decrypt with its own secrets: the Engine.IO handshake request', () => {
    // The first connection carries the Engine.IO handshake: GET /socket.io/?EIO=4&transport=polling.
    const keys = keyLog(t.tls!.find((x) => x.connection === 0)!.keyLog);
    const s = streams(t);
    const c = openAll(
      s.client,
      keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!,
      keys.get('CLIENT_TRAFFIC_SECRET_0')!,
    );
    const text = new TextDecoder().decode(
      concatBytes(...c.filter((r) => r.type === 23).map((r) => r.content)),
    );
    expect(text.startsWith('GET /socket.io/?EIO=4&transport=polling&t=')).toBe(true);
    // An https:// page: Chrome's client hints and Sec-Fetch-* in its order (chromium-wss.pcap frame 41),
    // the https Referer and br/zstd offered.
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    const names = head
      .split('\r\n')
      .slice(1)
      .map((l) => l.slice(0, l.indexOf(':')));
    expect(names).toEqual([
      'Host',
      'Connection',
      'sec-ch-ua-platform',
      'User-Agent',
      'sec-ch-ua',
      'sec-ch-ua-mobile',
      'Accept',
      'Sec-Fetch-Site',
      'Sec-Fetch-Mode',
      'Sec-Fetch-Dest',
      'Referer',
      'Accept-Encoding',
      'Accept-Language',
    ]);
    expect(head).toContain('\r\nReferer: https://server/');
    expect(head).toContain('\r\nSec-Fetch-Mode: cors');
    expect(head).toContain('\r\nAccept-Encoding: gzip, deflate, br, zstd');
    expect(head).not.toContain('http://server');
  });

  it('every request of an https:// page names it: no http://server anywhere in the decrypted streams', () => {
    const s = streams(t);
    const keys = keyLog(t.tls!.find((x) => x.connection === 0)!.keyLog);
    const c = openAll(
      s.client,
      keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!,
      keys.get('CLIENT_TRAFFIC_SECRET_0')!,
    );
    const text = new TextDecoder('latin1').decode(
      concatBytes(...c.filter((r) => r.type === 23).map((r) => r.content)),
    );
    expect(text).toContain('Origin: https://server');
    expect(text).not.toContain('http://server');
  });
});
