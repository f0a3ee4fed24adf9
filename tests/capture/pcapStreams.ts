/**
 * Test-only stand-in for the capture reader (src/capture/read.ts, written elsewhere): classic pcap,
 * Ethernet, IPv4, TCP, into the `Capture` model's segments and streams. Streams are keyed by the
 * 4-tuple; each direction's bytes are placed by sequence number relative to the SYN (first copy
 * wins), which is enough for the reference captures (no loss, no reordering).
 */
import { readFileSync } from 'node:fs';
import type {
  CapturedMessage,
  CapturedSegment,
  Endpoint,
  StreamChunk,
  TcpStream,
} from '../../src/capture/model';
import { EIO_PACKET_TYPES, type EioPacketType } from '../../src/protocol/engineio';
import { decodeEthernet } from '../../src/protocol/ethernet';
import { decodeIpv4 } from '../../src/protocol/ipv4';
import { decodePcap } from '../../src/protocol/pcap';
import { decodeTcp } from '../../src/protocol/tcp';

export interface TestCapture {
  readonly segments: CapturedSegment[];
  readonly streams: TcpStream[];
}

interface Building {
  client: Endpoint;
  server: Endpoint;
  isn: [number | null, number | null];
  parts: [
    { offset: number; bytes: Uint8Array; segment: number }[],
    { offset: number; bytes: Uint8Array; segment: number }[],
  ];
  segments: number[];
  fin: [boolean, boolean];
  synSeen: boolean;
  reset: boolean;
}

const key = (a: Endpoint, b: Endpoint): string => `${a.ip}:${a.port}-${b.ip}:${b.port}`;

export function readFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export function pcapStreams(file: Uint8Array): TestCapture {
  const pcap = decodePcap(file);
  if (!pcap.ok) throw new Error(pcap.error.message);
  const segments: CapturedSegment[] = [];
  const building: Building[] = [];
  const byKey = new Map<string, number>();
  const t0 = pcap.repr.records[0]?.timestampUs ?? 0;
  pcap.repr.records.forEach((rec, i) => {
    const eth = decodeEthernet(rec.data);
    if (!eth.ok || eth.repr.etherType !== 0x0800) return;
    const ip = decodeIpv4(eth.payload);
    if (!ip.ok || ip.repr.protocol !== 6) return;
    const tcp = decodeTcp(ip.payload);
    if (!tcp.ok) return;
    const src = { ip: ip.repr.src, port: tcp.repr.srcPort };
    const dst = { ip: ip.repr.dst, port: tcp.repr.dstPort };
    let id = byKey.get(key(src, dst)) ?? byKey.get(key(dst, src));
    const syn = tcp.repr.flags.includes('SYN');
    if (id === undefined) {
      id = building.length;
      const clientIsSrc = syn ? !tcp.repr.flags.includes('ACK') : src.port > dst.port;
      building.push({
        client: clientIsSrc ? src : dst,
        server: clientIsSrc ? dst : src,
        isn: [null, null],
        parts: [[], []],
        segments: [],
        fin: [false, false],
        synSeen: syn,
        reset: false,
      });
      byKey.set(key(src, dst), id);
    }
    const s = building[id]!;
    const direction: 0 | 1 = s.client.ip === src.ip && s.client.port === src.port ? 0 : 1;
    if (syn) s.isn[direction] = tcp.repr.seq;
    else s.isn[direction] ??= (tcp.repr.seq - 1) >>> 0;
    const relSeq = (tcp.repr.seq - s.isn[direction]! - 1) >>> 0;
    const index = segments.length;
    const ethLen = 14;
    const ipLen = ip.repr.headerLength;
    const tcpLen = tcp.repr.headerLength;
    const payloadStart = ethLen + ipLen + tcpLen;
    segments.push({
      record: i + 1,
      time: (rec.timestampUs - t0) / 1000,
      iface: 0,
      link: 'ethernet',
      data: rec.data,
      originalLength: rec.originalLength ?? rec.data.length,
      fields: [],
      ranges: {
        link: [0, ethLen],
        ip: [ethLen, ethLen + ipLen],
        tcp: [ethLen + ipLen, payloadStart],
        payload: [payloadStart, payloadStart + tcp.payload.length],
      },
      ipVersion: 4,
      ttl: ip.repr.ttl,
      src,
      dst,
      seq: tcp.repr.seq,
      ack: tcp.repr.ack,
      flags: tcp.repr.flags,
      window: tcp.repr.window,
      payloadLength: tcp.payload.length,
      stream: id,
      direction,
      relSeq: syn ? 0 : relSeq + 1,
      relAck: 0,
    });
    s.segments.push(index);
    if (tcp.repr.flags.includes('FIN')) s.fin[direction] = true;
    if (tcp.repr.flags.includes('RST')) s.reset = true;
    if (tcp.payload.length > 0)
      s.parts[direction].push({ offset: relSeq, bytes: tcp.payload, segment: index });
  });
  const streams: TcpStream[] = building.map((b, id) => ({
    id,
    client: b.client,
    server: b.server,
    segments: b.segments,
    synSeen: b.synSeen,
    reset: b.reset,
    directions: [0, 1].map((d) => {
      const parts = b.parts[d as 0 | 1].slice().sort((x, y) => x.offset - y.offset);
      let end = 0;
      const chunks: StreamChunk[] = [];
      for (const p of parts) {
        if (p.offset + p.bytes.length <= end) continue;
        const from = Math.max(p.offset, end);
        chunks.push({ segment: p.segment, offset: from, length: p.offset + p.bytes.length - from });
        end = p.offset + p.bytes.length;
      }
      const bytes = new Uint8Array(end);
      for (const p of parts.slice().reverse()) bytes.set(p.bytes, p.offset);
      return { bytes, chunks, gaps: [], fin: b.fin[d as 0 | 1] };
    }) as unknown as TcpStream['directions'],
  }));
  return { segments, streams };
}

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/**
 * A reference capture (README of /work/shared/reference): the loopback ones are in tests/fixtures, the
 * routed ones (and their key logs) copied into tests/fixtures/capture/routed.
 */
export function reference(name: string): string {
  return name.startsWith('routed/') ? `${FIXTURES}capture/${name}` : FIXTURES + name;
}

export function load(name: string): TestCapture {
  return pcapStreams(readFile(reference(name)));
}

/**
 * One line per WebSocket frame, as `tshark -r F -Y websocket -T fields -e frame.number -e websocket.opcode
 * -e websocket.mask -e websocket.payload.text -e websocket.payload.close.status_code
 * -e websocket.payload.close.reason` prints it (tab-separated; empty fields empty).
 */
export function wsLines(cap: TestCapture, messages: readonly CapturedMessage[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    const last = m.place!.segments[m.place!.segments.length - 1]!;
    const record = cap.segments[last]!.record;
    const b = m.body;
    if (b.kind === 'ws-frame') {
      const text = b.opcode === 8 ? '' : b.text;
      out.push([record, b.opcode, b.masked ? 1 : 0, text, b.closeCode ?? '', b.closeReason ?? ''].join('\t'));
    } else if (b.kind === 'engineio' && b.transport === 'websocket') {
      const text = b.packets.map((p) => `${EIO_PACKET_TYPES[p.type as EioPacketType]}${p.data}`).join('');
      out.push([record, 1, m.from === 'client' ? 1 : 0, text, '', ''].join('\t'));
    }
  }
  return out;
}
