/**
 * A hand-built `Capture`: the packets of a simulated lesson read back as a capture's segments, streams and
 * messages (what the capture readers produce from a file), so captureTimeline can be tested on frames whose
 * every byte and field is known. The Ethernet/IPv4/TCP fields are the simulator's own annotations of the
 * frame; the application fields are moved from frame offsets to offsets from the message's start in its
 * stream, as `CapturedMessage.fields` holds them.
 */
import type {
  Capture,
  CapturedMessage,
  CapturedMessageBody,
  CapturedSegment,
  StreamChunk,
  TcpStream,
} from '../../src/capture/model';
import type { FieldAnnotation } from '../../src/protocol/fields';
import type { Packet, Timeline } from '../../src/sim/types';

function bodyOf(p: Packet): CapturedMessageBody | null {
  const a = p.app;
  if (!a) return null;
  switch (a.kind) {
    case 'http-request':
      return {
        kind: 'http-request',
        method: a.method,
        target: a.target,
        headers: [],
        body: '',
        upgrade: a.upgrade,
      };
    case 'http-response':
      return { kind: 'http-response', status: a.status, reason: a.reason, headers: [], body: '' };
    case 'ws-frame':
      return {
        kind: 'ws-frame',
        opcode: a.opcode,
        fin: a.fin,
        compressed: false,
        masked: a.masked,
        text: a.text,
        payloadLength: new TextEncoder().encode(a.text).length,
        ...(a.closeCode !== undefined ? { closeCode: a.closeCode } : {}),
      };
    default:
      return null;
  }
}

/** The client host's packets of a one-connection lesson timeline (no loss), as a capture on that host's card. */
export function captureFromTimeline(t: Timeline, name = 'fixture.pcap'): Capture {
  const client = t.hosts.find((h) => h.role === 'client')!;
  const server = t.hosts.find((h) => h.role === 'server')!;
  const wire = t.packets.filter((p) => !p.lost && p.connection === 0);
  const cPort = wire[0]!.tcp.srcPort;
  const sPort = wire[0]!.tcp.dstPort;
  const segments: CapturedSegment[] = [];
  const chunks: [StreamChunk[], StreamChunk[]] = [[], []];
  const bytes: [number[], number[]] = [[], []];
  const messages: CapturedMessage[] = [];
  wire.forEach((p, i) => {
    const direction = p.from === client.id ? 0 : 1;
    const eth = p.layers.ethernet!;
    const ip = p.layers.ipv4!;
    const tcp = p.layers.tcp!;
    const payload: [number, number] = [tcp.end, p.frame.length];
    const offset = p.tcp.relSeq - 1;
    if (p.tcp.len > 0) {
      chunks[direction].push({ segment: i, offset, length: p.tcp.len });
      bytes[direction].push(...p.frame.subarray(payload[0], payload[1]));
    }
    segments.push({
      record: i + 1,
      time: p.sentAt,
      iface: 0,
      link: 'ethernet',
      data: p.frame,
      originalLength: p.frame.length,
      fields: p.fields.filter((f) => f.layer === 'ethernet' || f.layer === 'ipv4' || f.layer === 'tcp'),
      ranges: { link: [eth.start, eth.end], ip: [ip.start, ip.end], tcp: [tcp.start, tcp.end], payload },
      ipVersion: 4,
      ttl: 64,
      src: { ip: direction === 0 ? client.ip : server.ip, port: p.tcp.srcPort },
      dst: { ip: direction === 0 ? server.ip : client.ip, port: p.tcp.dstPort },
      srcMac: direction === 0 ? client.mac : server.mac,
      dstMac: direction === 0 ? server.mac : client.mac,
      seq: p.tcp.seq,
      ack: p.tcp.ack,
      flags: p.tcp.flags,
      window: 64240,
      payloadLength: p.tcp.len,
      stream: 0,
      direction,
      relSeq: p.tcp.relSeq,
      relAck: p.tcp.relAck,
    });
    const body = bodyOf(p);
    if (body) {
      const fields: FieldAnnotation[] = p.fields
        .filter((f) => f.start >= payload[0] && f.layer !== 'tcp')
        .map((f) => ({ ...f, start: f.start - payload[0], end: f.end - payload[0] }));
      messages.push({
        place: { stream: 0, direction, start: offset, end: offset + p.tcp.len, segments: [i] },
        time: p.sentAt,
        from: direction === 0 ? 'client' : 'server',
        body,
        summary: p.summary,
        fields,
      });
    }
  });
  const stream: TcpStream = {
    id: 0,
    client: { ip: client.ip, port: cPort },
    server: { ip: server.ip, port: sPort },
    directions: [
      { bytes: Uint8Array.from(bytes[0]), chunks: chunks[0], gaps: [], fin: true },
      { bytes: Uint8Array.from(bytes[1]), chunks: chunks[1], gaps: [], fin: true },
    ],
    segments: segments.map((_, i) => i),
    synSeen: true,
    reset: false,
  };
  return {
    source: {
      name,
      format: 'pcap',
      size: 24 + segments.reduce((n, s) => n + 16 + s.data.length, 0),
      records: segments.length,
      interfaces: [{ link: 'ethernet' }],
      skipped: {},
      keyLog: 'none',
    },
    segments,
    streams: [stream],
    messages,
    problems: [],
  };
}
