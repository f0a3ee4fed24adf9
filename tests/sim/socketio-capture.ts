/**
 * Reads a capture back into what travelled on each TCP connection, independently of the simulator's
 * own bookkeeping: frames → IPv4 → TCP, each direction reassembled by sequence number (a retransmission
 * counts once), then cut into HTTP messages until an upgrade and WebSocket frames after it. Used on the
 * generated captures and on the real one (tests/fixtures/real-socketio-loopback.pcap) alike.
 */
import { concatBytes } from '../../src/protocol/bytes';
import { decodeEthernet } from '../../src/protocol/ethernet';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  decodeHttpResponseHead,
  headerValue,
} from '../../src/protocol/http';
import { ChunkedDecoder } from '../../src/protocol/sse';
import { decodeIpv4 } from '../../src/protocol/ipv4';
import { decodePcap } from '../../src/protocol/pcap';
import { decodeTcp } from '../../src/protocol/tcp';
import { WS_OPCODES, decodeWsFrame } from '../../src/protocol/websocket';
import { decodePacket, decodePayload, type Packet as EioPacket } from 'engine.io-parser';
import { Decoder, type Packet as SioPacket } from 'socket.io-parser';
import type { Timeline } from '../../src/sim/types';

export interface WireMessage {
  /** Capture order: index of the record whose segment completed the message. */
  readonly time: number;
  /** `ip:port` of the client end. */
  readonly client: string;
  readonly dir: 'c2s' | 's2c';
  readonly kind: 'http-request' | 'http-response' | 'ws-text' | 'ws-close' | 'ws-other';
  /** HTTP start line, for HTTP messages. */
  readonly line?: string;
  readonly contentType?: string;
  /** HTTP body or WebSocket payload, as text. */
  readonly text: string;
  /** A chunked response (RFC 9112 §7.1): each chunk's data as text, as far as the capture goes. */
  readonly chunks?: readonly string[];
}

interface Segment {
  readonly seq: number;
  readonly payload: Uint8Array;
  readonly time: number;
}

interface Direction {
  isn: number | null;
  readonly segments: Map<number, Segment>;
}

const TEXT = new TextDecoder();

/** Every HTTP message and WebSocket frame in the capture, in order of completion. */
export function captureMessages(pcap: Uint8Array, serverPort = 80): WireMessage[] {
  const file = decodePcap(pcap);
  if (!file.ok) throw new Error(`pcap: ${file.error.message}`);
  const dirs = new Map<string, Direction>();
  file.repr.records.forEach((r, index) => {
    const eth = decodeEthernet(r.data);
    if (!eth.ok) return;
    const ip = decodeIpv4(eth.payload);
    if (!ip.ok) return;
    const tcp = decodeTcp(ip.payload);
    if (!tcp.ok) return;
    const key = `${ip.repr.src}:${tcp.repr.srcPort}>${ip.repr.dst}:${tcp.repr.dstPort}`;
    let d = dirs.get(key);
    if (!d) dirs.set(key, (d = { isn: null, segments: new Map() }));
    if (tcp.repr.flags.includes('SYN')) d.isn = tcp.repr.seq;
    if (tcp.payload.length > 0 && !d.segments.has(tcp.repr.seq)) {
      d.segments.set(tcp.repr.seq, { seq: tcp.repr.seq, payload: tcp.payload, time: index });
    }
  });
  const out: WireMessage[] = [];
  for (const [key, d] of dirs) {
    if (d.isn === null || d.segments.size === 0) continue;
    const [from, to] = key.split('>') as [string, string];
    const c2s = Number(to.split(':')[1]) === serverPort;
    const client = c2s ? from : to;
    const segs = [...d.segments.values()]
      .map((s) => ({ ...s, rel: (s.seq - d.isn! - 1) >>> 0 }))
      .sort((a, b) => a.rel - b.rel);
    const pieces: Uint8Array[] = [];
    const ends: { end: number; time: number }[] = [];
    let at = 0;
    for (const s of segs) {
      if (s.rel !== at) throw new Error(`${key}: gap in the stream at ${at} (next segment at ${s.rel})`);
      pieces.push(s.payload);
      at += s.payload.length;
      ends.push({ end: at, time: s.time });
    }
    const stream = concatBytes(...pieces);
    const timeAt = (offset: number): number => ends.find((e) => e.end >= offset)!.time;
    let pos = 0;
    let upgraded = false;
    while (pos < stream.length) {
      const rest = stream.subarray(pos);
      const head = c2s ? null : decodeHttpResponseHead(rest);
      if (
        !upgraded &&
        head?.ok &&
        /chunked/i.test(headerValue(head.repr.headers, 'Transfer-Encoding') ?? '')
      ) {
        // A streamed response: its chunks, to the end of the capture (the server never ends it).
        const decoder = new ChunkedDecoder();
        const chunks: string[] = [];
        for (const item of decoder.push(rest.subarray(head.length))) {
          if (item.kind === 'error') throw new Error(`${key}: chunked body: ${item.message}`);
          if (item.kind === 'chunk') chunks.push(TEXT.decode(item.data));
        }
        const r = head.repr;
        const ct = headerValue(r.headers, 'Content-Type');
        out.push({
          time: timeAt(stream.length),
          client,
          dir: 's2c',
          kind: 'http-response',
          line: `${r.version} ${r.status} ${r.reason}`,
          ...(ct !== undefined ? { contentType: ct } : {}),
          text: chunks.join(''),
          chunks,
        });
        break;
      }
      if (!upgraded) {
        const m = c2s ? decodeHttpRequest(rest) : decodeHttpResponse(rest);
        if (!m.ok) throw new Error(`${key}: HTTP at ${pos}: ${m.error.message}`);
        const repr = m.repr;
        const line =
          'method' in repr
            ? `${repr.method} ${repr.target} ${repr.version}`
            : `${repr.version} ${repr.status} ${repr.reason}`;
        const ct = headerValue(repr.headers, 'Content-Type');
        out.push({
          time: timeAt(pos + m.length),
          client,
          dir: c2s ? 'c2s' : 's2c',
          kind: c2s ? 'http-request' : 'http-response',
          line,
          ...(ct !== undefined ? { contentType: ct } : {}),
          text: TEXT.decode(m.payload),
        });
        if ('method' in repr ? headerValue(repr.headers, 'Upgrade') !== undefined : repr.status === 101)
          upgraded = true;
        pos += m.length;
      } else {
        const f = decodeWsFrame(rest, { from: c2s ? 'client' : 'server' });
        if (!f.ok) throw new Error(`${key}: WebSocket frame at ${pos}: ${f.error.message}`);
        const kind =
          f.repr.opcode === WS_OPCODES.text
            ? 'ws-text'
            : f.repr.opcode === WS_OPCODES.close
              ? 'ws-close'
              : 'ws-other';
        out.push({
          time: timeAt(pos + f.length),
          client,
          dir: c2s ? 'c2s' : 's2c',
          kind,
          text: TEXT.decode(f.repr.payload),
        });
        pos += f.length;
      }
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** Engine.IO packets of one message, decoded by the real engine.io-parser (empty for non-Engine.IO ones). */
export function realEioPackets(m: WireMessage): EioPacket[] {
  if (m.kind === 'ws-text') return [decodePacket(m.text, 'arraybuffer') as EioPacket];
  const isEio =
    (m.kind === 'http-response' && m.contentType === 'text/plain; charset=UTF-8') ||
    (m.kind === 'http-request' && m.line!.startsWith('POST ') && m.text.length > 0);
  if (!isEio) return [];
  return decodePayload(m.text, 'arraybuffer') as EioPacket[];
}

/** The Socket.IO packet inside an Engine.IO message, decoded by the real socket.io-parser. */
export function realSioPacket(data: string): SioPacket {
  const d = new Decoder();
  let out: SioPacket | undefined;
  d.on('decoded', (p: SioPacket) => (out = p));
  d.add(data);
  if (!out) throw new Error(`socket.io-parser decoded nothing from ${JSON.stringify(data)}`);
  return out;
}

const SIO_NAMES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];

/** One word per Engine.IO packet: `open`, `ping:probe`, `message:EVENT`, `message:ACK`, `noop`… */
export function packetKind(p: EioPacket): string {
  if (p.type === 'message') {
    const s = realSioPacket(String(p.data));
    return `message:${SIO_NAMES[s.type] ?? s.type}${s.id !== undefined ? '+ack' : ''}`;
  }
  if ((p.type === 'ping' || p.type === 'pong') && p.data === 'probe') return `${p.type}:probe`;
  return p.type;
}

export interface KindAt {
  readonly time: number;
  readonly dir: 'c2s' | 's2c';
  readonly client: string;
  readonly kind: string;
  readonly text: string;
}

/** Every Engine.IO packet in the capture, as kinds, in capture order. */
export function captureKinds(pcap: Uint8Array, serverPort = 80): KindAt[] {
  const out: KindAt[] = [];
  for (const m of captureMessages(pcap, serverPort)) {
    for (const p of realEioPackets(m)) {
      out.push({
        time: m.time,
        dir: m.dir,
        client: m.client,
        kind: packetKind(p),
        text:
          p.type === 'message'
            ? `4${String(p.data)}`
            : `${['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'].indexOf(p.type)}${p.data ?? ''}`,
      });
    }
  }
  return out;
}

/** Consecutive repeats merged: the shape of a sequence, whatever the number of events. */
export function collapse(xs: readonly string[]): string[] {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}

/**
 * Frames and TCP of a multi-host timeline: every frame decodes with good IPv4 and TCP checksums between
 * the hosts it claims, and on every connection each direction uses its sequence space contiguously
 * (retransmissions repeat their original), ACKs never acknowledge bytes not yet sent, never go back.
 */
export function checkConnections(t: Timeline): string[] {
  const problems: string[] = [];
  const ipOf = new Map(t.hosts.map((h) => [h.id, h.ip]));
  const next = new Map<string, number>();
  const sent = new Map<string, number>();
  const lastAck = new Map<string, number>();
  for (const p of t.packets) {
    const at = `#${p.wireIndex}`;
    const eth = decodeEthernet(p.frame);
    const ip = eth.ok ? decodeIpv4(eth.payload) : null;
    if (!ip || !ip.ok || !ip.repr.checksumOk) {
      problems.push(`${at}: bad IPv4`);
      continue;
    }
    if (ip.repr.src !== ipOf.get(p.from) || ip.repr.dst !== ipOf.get(p.to)) problems.push(`${at}: addresses`);
    const tcp = decodeTcp(ip.payload, { src: ip.repr.src, dst: ip.repr.dst });
    if (!tcp.ok || tcp.repr.checksumOk !== true) {
      problems.push(`${at}: bad TCP`);
      continue;
    }
    const me = `${p.connection}:${p.from}`;
    const peer = `${p.connection}:${p.to}`;
    const len = p.tcp.len + (p.tcp.flags.includes('SYN') ? 1 : 0) + (p.tcp.flags.includes('FIN') ? 1 : 0);
    if (p.retransmissionOf !== undefined) {
      const o = t.packets[p.retransmissionOf]!;
      if (o.tcp.relSeq !== p.tcp.relSeq || o.tcp.len !== p.tcp.len)
        problems.push(`${at}: retransmission differs`);
    } else if (!p.tcp.flags.includes('RST')) {
      if (p.tcp.relSeq !== (next.get(me) ?? 0))
        problems.push(`${at}: Seq=${p.tcp.relSeq}, expected ${next.get(me) ?? 0}`);
      next.set(me, p.tcp.relSeq + len);
      sent.set(me, p.tcp.relSeq + len);
    }
    if (p.tcp.flags.includes('ACK') && !p.tcp.flags.includes('SYN')) {
      if (p.tcp.relAck > (sent.get(peer) ?? 0))
        problems.push(`${at}: Ack=${p.tcp.relAck} beyond what the peer sent`);
      if (p.tcp.relAck < (lastAck.get(me) ?? 0)) problems.push(`${at}: Ack went back`);
      lastAck.set(me, Math.max(lastAck.get(me) ?? 0, p.tcp.relAck));
    }
  }
  return problems;
}
