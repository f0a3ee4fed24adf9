/**
 * A capture the user opened, as the `Timeline` every view already draws (ladder, inspector, hex, OSI stacks).
 *
 * Everything said here is read from the capture's bytes: the hosts are its addresses and ports, every
 * packet is one record, and the narration states what the bytes are and what the protocols define them to
 * mean (citing the RFC section beside each sentence). Nothing is said about a program (a capture has no
 * source code) and nothing is invented: a TCP state is the one RFC 9293's state diagram puts a host in after
 * the segments seen, and the narration says it is inferred from them.
 *
 * Steps: one `transmit` step per record on the wire (layer 1: the capture saw the bits there), and after the
 * record that completes an application message, one `app` step (layer 7) saying what the message is.
 * Chapters follow each TCP connection's phases: handshake, HTTP, upgrade, TLS, WebSocket, teardown.
 * A HAR has no packets: its timeline is the application layer only, and its first step says why.
 */
import { WS_OPCODE_NAMES } from '../protocol/websocket';
import type { FieldAnnotation, ProtoLayer } from '../protocol/fields';
import { toHex } from '../protocol/bytes';
import { SCENARIO_DEFAULTS, type Scenario } from '../sim/scenario';
import type {
  AppInfo,
  ByteRange,
  Chapter,
  HostId,
  HostInfo,
  HostState,
  Packet,
  Step,
  TcpStateName,
  Timeline,
} from '../sim/types';
import type {
  Capture,
  CapturedMessage,
  CapturedMessageBody,
  CapturedSegment,
  Endpoint,
  TcpStream,
} from './model';
import { MAX_WALKS, MAX_WALKS_PER_CONNECTION, chooseWalked, walkTexts, type WalkText } from './walk';

/** The lesson id a capture timeline's placeholder scenario carries (no lesson has it). */
export const CAPTURE_LESSON = 'capture';

/** `127.0.0.1:8080`, `[::1]:8080` (RFC 3986 §3.2.2: an IPv6 literal goes in brackets before a port). */
export function endpointText(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

const LINK_NAMES: Readonly<Record<string, string>> = {
  ethernet: 'Ethernet II',
  sll: 'Linux cooked capture (SLL)',
  sll2: 'Linux cooked capture v2 (SLL2)',
  null: 'BSD loopback (null)',
  raw: 'raw IP (no link-layer header)',
};

function ms(t: number): string {
  return `${t.toFixed(3)} ms`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `"Hello"`, cut after 80 characters. */
function quoted(text: string, limit = 80): string {
  const cut = text.length > limit ? `${text.slice(0, limit)}…` : text;
  return `"${cut}"`;
}

// --- Hosts -------------------------------------------------------------------------------------------------

interface HostTable {
  readonly hosts: HostInfo[];
  /** For each stream: [client host, server host]. */
  readonly streamHosts: (readonly [HostId, HostId])[];
}

/**
 * Lanes per role the ladder draws before it groups: one per endpoint (address and port) while that is at most
 * this many, else one per address, and past that many addresses one lane for the rest. A student's capture
 * has a few connections; a long one may have thousands (a lane each would be unreadable, and every lane is
 * drawn on every step).
 */
export const MAX_LANES_PER_ROLE = 8;

function buildHosts(capture: Capture): HostTable {
  const hosts: HostInfo[] = [];
  const byKey = new Map<string, HostId>();
  const macOf = new Map<string, string>();
  for (const seg of capture.segments) {
    if (seg.srcMac && !macOf.has(endpointText(seg.src))) macOf.set(endpointText(seg.src), seg.srcMac);
  }
  const laneKey = lanesFor(capture);
  let clients = 0;
  let servers = 0;
  const hostFor = (e: Endpoint, role: 'client' | 'server'): HostId => {
    const lane = laneKey[role](e);
    const key = `${role} ${lane.key}`;
    const known = byKey.get(key);
    if (known) return known;
    const n = role === 'client' ? ++clients : ++servers;
    const id = n === 1 ? role : `${role}-${n}`;
    hosts.push({
      id,
      label: `${role === 'client' ? 'Client' : 'Server'} ${lane.label}`,
      role,
      mac: lane.key === endpointText(e) ? (macOf.get(endpointText(e)) ?? 'not captured') : 'several',
      ip: lane.ip,
    });
    byKey.set(key, id);
    return id;
  };
  const streamHosts = capture.streams.map(
    (s: TcpStream) => [hostFor(s.client, 'client'), hostFor(s.server, 'server')] as const,
  );
  return { hosts, streamHosts };
}

interface Lane {
  readonly key: string;
  readonly label: string;
  readonly ip: string;
}

/** How each role's endpoints become lanes (see MAX_LANES_PER_ROLE). */
function lanesFor(capture: Capture): Record<'client' | 'server', (e: Endpoint) => Lane> {
  const lanes = (ends: readonly Endpoint[]): ((e: Endpoint) => Lane) => {
    const endpoints = new Set(ends.map(endpointText));
    if (endpoints.size <= MAX_LANES_PER_ROLE) {
      return (e) => ({ key: endpointText(e), label: endpointText(e), ip: e.ip });
    }
    const connections = new Map<string, number>();
    for (const e of ends) connections.set(e.ip, (connections.get(e.ip) ?? 0) + 1);
    const ips = [...connections.keys()];
    const own = new Set(ips.length <= MAX_LANES_PER_ROLE ? ips : ips.slice(0, MAX_LANES_PER_ROLE - 1));
    const rest = ips.filter((ip) => !own.has(ip));
    const restConnections = rest.reduce((n, ip) => n + connections.get(ip)!, 0);
    return (e) =>
      own.has(e.ip)
        ? {
            key: e.ip,
            label: `${e.ip} (${plural(connections.get(e.ip)!, 'connection')})`,
            ip: e.ip,
          }
        : {
            key: 'others',
            label: `${rest.length} other addresses (${plural(restConnections, 'connection')})`,
            ip: 'several',
          };
  };
  return {
    client: lanes(capture.streams.map((s) => s.client)),
    server: lanes(capture.streams.map((s) => s.server)),
  };
}

// --- TCP state, as RFC 9293's state diagram (§3.3.2, Figure 5) puts each side after the segments seen ------

interface SideState {
  state: TcpStateName;
  sndNxt: number;
  relSndNxt: number;
  rcvNxt: number;
  relRcvNxt: number;
  finSent: boolean;
  finSeq: number;
}

function fresh(): SideState {
  return { state: 'CLOSED', sndNxt: 0, relSndNxt: 0, rcvNxt: 0, relRcvNxt: 0, finSent: false, finSeq: 0 };
}

/** Moves both sides of a connection on one segment; returns the transitions, for the narration. */
function advance(sides: [SideState, SideState], seg: CapturedSegment): string[] {
  const from = sides[seg.direction];
  const to = sides[seg.direction === 0 ? 1 : 0];
  const has = (f: string) => seg.flags.includes(f);
  const before: [TcpStateName, TcpStateName] = [sides[0].state, sides[1].state];
  const len = seg.payloadLength + (has('SYN') ? 1 : 0) + (has('FIN') ? 1 : 0);
  // RFC 9293 §3.4: SYN and FIN each take one sequence number.
  from.sndNxt = (seg.seq + len) >>> 0;
  from.relSndNxt = seg.relSeq + len;
  to.rcvNxt = from.sndNxt;
  to.relRcvNxt = from.relSndNxt;
  if (has('RST')) {
    from.state = 'CLOSED';
    to.state = 'CLOSED';
  } else if (has('SYN') && !has('ACK')) {
    from.state = 'SYN_SENT';
    if (to.state === 'CLOSED') to.state = 'LISTEN';
  } else if (has('SYN') && has('ACK')) {
    from.state = 'SYN_RECEIVED';
    if (to.state === 'SYN_SENT' || to.state === 'CLOSED') to.state = 'ESTABLISHED';
  } else {
    if (has('ACK')) {
      if (from.state === 'SYN_SENT' || from.state === 'CLOSED') from.state = 'ESTABLISHED';
      if (to.state === 'SYN_RECEIVED') to.state = 'ESTABLISHED';
      // The peer's FIN is acknowledged: FIN_WAIT_1 → FIN_WAIT_2, CLOSING → TIME_WAIT, LAST_ACK → CLOSED.
      if (to.finSent && seg.ack === (to.finSeq + 1) >>> 0) {
        if (to.state === 'FIN_WAIT_1') to.state = 'FIN_WAIT_2';
        else if (to.state === 'CLOSING') to.state = 'TIME_WAIT';
        else if (to.state === 'LAST_ACK') to.state = 'CLOSED';
      }
    }
    if (has('FIN')) {
      from.finSent = true;
      from.finSeq = (seg.seq + seg.payloadLength) >>> 0;
      if (from.state === 'ESTABLISHED') from.state = 'FIN_WAIT_1';
      else if (from.state === 'CLOSE_WAIT') from.state = 'LAST_ACK';
      if (to.state === 'ESTABLISHED') to.state = 'CLOSE_WAIT';
      else if (to.state === 'FIN_WAIT_1')
        to.state = to.finSent && has('ACK') && seg.ack === (to.finSeq + 1) >>> 0 ? 'TIME_WAIT' : 'CLOSING';
      else if (to.state === 'FIN_WAIT_2') to.state = 'TIME_WAIT';
    }
  }
  const out: string[] = [];
  const names = ['client', 'server'];
  for (const i of [0, 1] as const) {
    if (sides[i].state !== before[i]) out.push(`the ${names[i]} ${before[i]} → ${sides[i].state}`);
  }
  return out;
}

// --- Packets -----------------------------------------------------------------------------------------------

/** Where each segment's payload lies in its direction's stream (first copy wins, as reassembly chose). */
function chunkOffsets(capture: Capture): Map<number, { offset: number; length: number }> {
  const out = new Map<number, { offset: number; length: number }>();
  for (const stream of capture.streams) {
    for (const dir of stream.directions) {
      for (const c of dir.chunks) {
        if (!out.has(c.segment)) out.set(c.segment, { offset: c.offset, length: c.length });
      }
    }
  }
  return out;
}

/** The application layer a message's bytes belong to, for the frame's layer ranges and the colours. */
function appLayer(body: CapturedMessageBody): ProtoLayer {
  switch (body.kind) {
    case 'http-request':
    case 'http-response':
      return 'http';
    case 'ws-frame':
      return 'websocket';
    case 'engineio':
      return body.transport === 'polling' ? 'http' : 'websocket';
    case 'tls':
      return 'tls';
  }
}

export function appInfo(body: CapturedMessageBody): AppInfo {
  switch (body.kind) {
    case 'http-request':
      return { kind: 'http-request', method: body.method, target: body.target, upgrade: body.upgrade };
    case 'http-response':
      return { kind: 'http-response', status: body.status, reason: body.reason };
    case 'ws-frame':
      return {
        kind: 'ws-frame',
        opcode: body.opcode,
        fin: body.fin,
        masked: body.masked,
        text: body.text,
        ...(body.closeCode !== undefined ? { closeCode: body.closeCode } : {}),
      };
    case 'engineio':
      return {
        kind: 'engineio',
        transport: body.transport,
        packets: body.packets.map((p) => (p.data ? `${p.type} ${p.data}` : p.type)),
      };
    case 'tls':
      return { kind: 'tls', records: body.records };
  }
}

/** TCP's flag bits from the lowest (FIN, 0x01) up: the order Wireshark lists them in (`[SYN, ACK]`, `[FIN, PSH, ACK]`). */
const FLAG_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

function orderedFlags(flags: readonly string[]): string[] {
  return [...flags].sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b));
}

/** `[SYN, ACK] Seq=0 Ack=1 Win=65495 Len=0`, as Wireshark's Info column writes a TCP segment. */
function tcpSummary(seg: CapturedSegment): string {
  const flags = seg.flags.length > 0 ? `[${orderedFlags(seg.flags).join(', ')}] ` : '';
  const ack = seg.flags.includes('ACK') ? ` Ack=${seg.relAck}` : '';
  return `${flags}Seq=${seg.relSeq}${ack} Win=${seg.window} Len=${seg.payloadLength}`;
}

function analysisPrefix(seg: CapturedSegment): string {
  const a = seg.analysis ?? [];
  if (a.includes('retransmission')) return '[TCP Retransmission] ';
  if (a.includes('out-of-order')) return '[TCP Out-Of-Order] ';
  if (a.includes('gap-before')) return '[TCP Previous segment not captured] ';
  if (a.includes('dup-ack')) return '[TCP Dup ACK] ';
  if (a.includes('zero-window')) return '[TCP ZeroWindow] ';
  return '';
}

interface Placed {
  readonly message: CapturedMessage;
  readonly index: number;
}

/** Message fields (offsets from `place.start` in the stream) moved into one segment's frame, clipped to it. */
function fieldsInFrame(
  seg: CapturedSegment,
  chunk: { offset: number; length: number } | undefined,
  messages: readonly Placed[],
): { fields: FieldAnnotation[]; ranges: Partial<Record<ProtoLayer, ByteRange>> } {
  const fields: FieldAnnotation[] = [];
  const ranges: Partial<Record<ProtoLayer, ByteRange>> = {};
  if (!chunk) return { fields, ranges };
  const payloadStart = seg.ranges.payload[0];
  const captured = seg.ranges.payload[1] - payloadStart;
  const lo = chunk.offset;
  const hi = chunk.offset + Math.min(chunk.length, captured);
  for (const { message } of messages) {
    const place = message.place;
    if (!place) continue;
    const s = Math.max(lo, place.start);
    const e = Math.min(hi, place.end);
    // A message read from decrypted TLS records: its bytes on the wire are TLS ciphertext, and its fields
    // index the plaintext (CapturedMessage.plaintext), not the frame; the frame shows the TLS records.
    const decrypted = message.plaintext !== undefined;
    if (s < e) {
      const layer = decrypted ? 'tls' : appLayer(message.body);
      const r = ranges[layer];
      const start = payloadStart + s - lo;
      const end = payloadStart + e - lo;
      ranges[layer] = r ? { start: Math.min(r.start, start), end: Math.max(r.end, end) } : { start, end };
    }
    for (const f of decrypted ? [] : (message.fields ?? [])) {
      const fs = place.start + f.start;
      const fe = place.start + f.end;
      const cs = Math.max(lo, fs);
      const ce = Math.min(hi, fe);
      if (cs >= ce) continue;
      const moved: FieldAnnotation = {
        ...f,
        start: payloadStart + cs - lo,
        end: payloadStart + ce - lo,
      };
      fields.push(cs === fs && ce === fe ? moved : { ...moved, bits: undefined, name: `${f.name} (part)` });
    }
  }
  return { fields: fields.map(stripUndefinedBits), ranges };
}

function stripUndefinedBits(f: FieldAnnotation): FieldAnnotation {
  if ('bits' in f && f.bits === undefined) {
    const { bits: _bits, ...rest } = f;
    return rest;
  }
  return f;
}

function linkLayerOf(seg: CapturedSegment): ProtoLayer | undefined {
  const [s, e] = seg.ranges.link;
  if (e <= s) return undefined;
  const f = seg.fields.find((x) => x.start >= s && x.end <= e);
  return f?.layer ?? (seg.link === 'ethernet' ? 'ethernet' : undefined);
}

function ipLayerOf(seg: CapturedSegment): ProtoLayer {
  const [s, e] = seg.ranges.ip;
  const f = seg.fields.find((x) => x.start >= s && x.end <= e && x.layer !== 'tcp');
  return f?.layer ?? 'ipv4';
}

// --- Narration ---------------------------------------------------------------------------------------------

function sideName(direction: 0 | 1): 'client' | 'server' {
  return direction === 0 ? 'client' : 'server';
}

function segmentTitle(seg: CapturedSegment, completes: readonly Placed[]): string {
  if (completes.length > 0) {
    const first = completes[0]!.message.summary;
    return completes.length > 1 ? `${first} (+${completes.length - 1} more)` : first;
  }
  const has = (f: string) => seg.flags.includes(f);
  if (has('RST')) return 'RST';
  if (has('SYN')) return has('ACK') ? 'SYN, ACK' : 'SYN';
  if (has('FIN')) return 'FIN';
  if (seg.payloadLength > 0) return `TCP data (${plural(seg.payloadLength, 'byte')})`;
  return 'ACK';
}

/**
 * What one record's bytes say. Sources: RFC 9293 §3.1 (header), §3.4 (sequence numbers; SYN and FIN take
 * one), §3.5 (the three-way handshake), §3.6 (closing with FIN), §3.5.2 (RST); relative numbers are what
 * Wireshark shows by default (its `tcp.relative_sequence_numbers` preference).
 */
function segmentText(
  seg: CapturedSegment,
  stream: TcpStream,
  completes: readonly Placed[],
  carries: readonly Placed[],
  transitions: readonly string[],
): string {
  const who = sideName(seg.direction);
  const peer = sideName(seg.direction === 0 ? 1 : 0);
  const to = endpointText(seg.direction === 0 ? stream.server : stream.client);
  const from = endpointText(seg.direction === 0 ? stream.client : stream.server);
  const has = (f: string) => seg.flags.includes(f);
  const parts: string[] = [];
  const seqs = `seq ${seg.seq} (${seg.relSeq} relative to its first sequence number)`;
  if (has('RST')) {
    // RFC 9293 §3.5.2: a reset aborts the connection at once; no data is delivered after it.
    parts.push(
      `The ${who}'s TCP (${from}) sends a RST to ${to}: it aborts the connection at once (RFC 9293 §3.5.2).`,
    );
  } else if (has('SYN') && !has('ACK')) {
    parts.push(
      `The ${who}'s TCP (${from}) sends a SYN to ${to}: it asks to open a connection and says its sequence ` +
        `numbers start at ${seg.seq} (seq 0 relative: Wireshark counts from this first number) (RFC 9293 §3.5).`,
    );
  } else if (has('SYN')) {
    parts.push(
      `The ${who}'s TCP (${from}) answers with SYN, ACK: it agrees, its own sequence numbers start at ${seg.seq}, ` +
        `and ack ${seg.ack} (${seg.relAck} relative) acknowledges the ${peer}'s SYN (RFC 9293 §3.5).`,
    );
  } else {
    const ack = has('ACK')
      ? `, ack ${seg.ack} (${seg.relAck} relative: the next byte it expects from the ${peer})`
      : '';
    if (seg.payloadLength > 0) {
      parts.push(
        `The ${who} (${from}) sends ${plural(seg.payloadLength, 'byte')} of data to ${to}: ${seqs}${ack}.`,
      );
    } else if (has('FIN')) {
      parts.push(
        `The ${who}'s TCP (${from}) sends a FIN to ${to}: it has no more data to send (RFC 9293 §3.6); ${seqs}${ack}.`,
      );
    } else {
      parts.push(
        `The ${who}'s TCP (${from}) sends an ACK without data: everything the ${peer} sent before ack ` +
          `${seg.relAck} (relative) has arrived (RFC 9293 §3.4); ${seqs}${ack}.`,
      );
    }
    if (seg.payloadLength > 0 && has('FIN'))
      parts.push('The same segment carries a FIN: nothing more will follow.');
  }
  if (completes.length > 0) {
    parts.push(
      `With this segment the ${who}'s bytes complete ${completes.map((p) => p.message.summary).join('; ')}.`,
    );
  } else if (carries.length > 0) {
    parts.push(`These bytes are part of ${carries[0]!.message.summary}, which later segments complete.`);
  }
  for (const a of seg.analysis ?? []) {
    if (a === 'retransmission')
      parts.push('Its bytes were already sent earlier in this capture: it is a retransmission (sent again).');
    else if (a === 'gap-before')
      parts.push(
        'Bytes before this segment were never captured (a gap in the capture, not necessarily on the wire).',
      );
    else if (a === 'truncated')
      parts.push(
        `The capture kept only ${seg.data.length} of its ${seg.originalLength} bytes (the snapshot length).`,
      );
    else if (a === 'zero-window')
      parts.push(
        `Its window is 0: the ${who}'s receive buffer is full, and the ${peer} must wait (RFC 9293 §3.8.6).`,
      );
    else if (a === 'out-of-order')
      parts.push('It arrived out of order: its sequence number is lower than expected.');
  }
  if (transitions.length > 0) {
    parts.push(
      `After it, by RFC 9293's state diagram (§3.3.2): ${transitions.join(', ')} (inferred from the segments; a capture shows no states).`,
    );
  }
  const link = LINK_NAMES[seg.link] ?? seg.link;
  parts.push(
    `Record ${seg.record}, ${plural(seg.data.length, 'byte')} captured at ${ms(seg.time)}: ${link}, ` +
      `IPv${seg.ipVersion} (${seg.ipVersion === 4 ? 'TTL' : 'hop limit'} ${seg.ttl}), TCP.`,
  );
  return parts.join(' ');
}

function headerCount(headers: readonly (readonly [string, string])[]): string {
  return plural(headers.length, 'header');
}

function headerValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

/** What one application message says. Sources beside each case. */
function messageText(m: CapturedMessage, where: string): { title: string; text: string } {
  const who = m.from;
  const b = m.body;
  switch (b.kind) {
    case 'http-request': {
      const up = b.upgrade
        ? ` It asks to switch this connection to WebSocket (Upgrade: ${headerValue(b.headers, 'upgrade') ?? 'websocket'}, RFC 6455 §4.1).`
        : '';
      const key = headerValue(b.headers, 'sec-websocket-key');
      const keyText = key
        ? ` Its Sec-WebSocket-Key is ${key} (RFC 6455 §4.1: 16 random bytes in base64).`
        : '';
      const body = b.body ? ` Body: ${quoted(b.body)}.` : '';
      return {
        title: `HTTP request: ${b.method} ${b.target}`,
        text: `The ${who} sent an HTTP request, ${b.method} ${b.target}, with ${headerCount(b.headers)} (RFC 9112 §3).${up}${keyText}${body} ${where}`,
      };
    }
    case 'http-response': {
      const accept = headerValue(b.headers, 'sec-websocket-accept');
      const switching =
        b.status === 101
          ? ` 101 means the server agrees: from the next byte on, this connection carries WebSocket frames (RFC 6455 §4.2.2).${accept ? ` Sec-WebSocket-Accept ${accept} proves it read the key (SHA-1 of the key and RFC 6455's GUID).` : ''}`
          : '';
      const body = b.body ? ` Body: ${quoted(b.body)}.` : '';
      return {
        title: `HTTP response: ${b.status} ${b.reason}`,
        text: `The ${who} sent an HTTP response, ${b.status} ${b.reason}, with ${headerCount(b.headers)} (RFC 9112 §4).${switching}${body} ${where}`,
      };
    }
    case 'ws-frame': {
      const name = WS_OPCODE_NAMES[b.opcode] ?? `opcode 0x${b.opcode.toString(16)}`;
      const mask = b.masked
        ? ` It is masked${b.maskKey ? ` with key ${toHex(b.maskKey)}` : ''}: RFC 6455 §5.3 makes every client-to-server frame masked.`
        : ' It is not masked: RFC 6455 §5.1 forbids masking server-to-client frames.';
      const deflate = b.compressed
        ? ' RSV1 is set: its payload is compressed with permessage-deflate (RFC 7692 §6), and the text below is after inflating it.'
        : '';
      const fin = b.fin ? '' : ' FIN is 0: more fragments of this message follow (RFC 6455 §5.4).';
      let content: string;
      if (b.opcode === 8) {
        content =
          b.closeCode !== undefined
            ? ` It closes the WebSocket with code ${b.closeCode}${b.closeReason ? ` and reason ${quoted(b.closeReason)}` : ''} (RFC 6455 §5.5.1, §7.4).`
            : ' It closes the WebSocket without a code (RFC 6455 §5.5.1).';
      } else if (b.opcode === 9 || b.opcode === 10) {
        content = ` ${b.opcode === 9 ? 'A ping asks the peer to answer with a pong' : 'A pong answers a ping'} (RFC 6455 §5.5.2–5.5.3)${b.payloadLength ? `, carrying ${quoted(b.text)}` : ''}.`;
      } else {
        content = ` Its payload is ${plural(b.payloadLength, 'byte')}${b.opcode === 2 ? ' of binary data' : ''}: ${quoted(b.text)}.`;
      }
      return {
        title: `WebSocket ${name}${b.opcode === 1 || b.opcode === 0 ? `: ${quoted(b.text, 40)}` : ''}`,
        text: `The ${who} sent a WebSocket ${name} frame.${content}${mask}${deflate}${fin} ${where}`,
      };
    }
    case 'engineio': {
      const items = b.packets.map((p) => {
        if (p.socketio) {
          const s = p.socketio;
          return `Socket.IO ${s.type}${s.nsp !== '/' ? ` on ${s.nsp}` : ''}${s.event ? ` event ${quoted(s.event)}` : ''}${s.args ? ` with ${s.args}` : ''}`;
        }
        return `Engine.IO ${p.type}${p.data ? ` ${quoted(p.data)}` : ''}`;
      });
      // Engine.IO protocol v4 (socket.io/engine.io-protocol README): packet types open 0 … noop 6;
      // Socket.IO protocol v5: a Socket.IO packet travels inside an Engine.IO message (4).
      return {
        title: `Engine.IO (${b.transport}): ${items[0] ?? 'empty'}`,
        text: `The ${who} sent ${plural(b.packets.length, 'Engine.IO packet')} over ${b.transport === 'polling' ? 'HTTP long-polling' : 'the WebSocket'}: ${items.join('; ')} (Engine.IO protocol v4, Socket.IO protocol v5). ${where}`,
      };
    }
    case 'tls':
      return {
        title: `TLS: ${b.records.join(', ') || 'records'}`,
        text: `The ${who} sent ${plural(b.records.length, 'TLS record')}: ${b.records.join(', ')} (RFC 8446 §5).${b.decrypted ? ' The key log opened them: what they carry is decoded in the steps that follow.' : ' Without a key log for this connection their content stays encrypted: open the SSLKEYLOGFILE with the capture to read it (RFC 8446 §7.1).'} ${where}`,
      };
  }
}

// --- Chapters ----------------------------------------------------------------------------------------------

type Phase = 'handshake' | 'http' | 'upgrade' | 'tls' | 'websocket' | 'socketio' | 'teardown';

const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  handshake: 'TCP handshake',
  http: 'HTTP',
  upgrade: 'WebSocket upgrade',
  tls: 'TLS',
  websocket: 'WebSocket messages',
  socketio: 'Engine.IO / Socket.IO',
  teardown: 'teardown',
};

function messagePhase(body: CapturedMessageBody): Phase {
  switch (body.kind) {
    case 'http-request':
      return body.upgrade ? 'upgrade' : 'http';
    case 'http-response':
      return body.status === 101 ? 'upgrade' : 'http';
    case 'ws-frame':
      return 'websocket';
    case 'engineio':
      return 'socketio';
    case 'tls':
      return 'tls';
  }
}

class ChapterBuilder {
  readonly chapters: Chapter[] = [];
  private key = '';
  private count = 0;

  /** The chapter id for a step at `index`, starting a new chapter when (connection, phase) changes. */
  at(index: number, key: string, title: string): string {
    const last = this.chapters[this.chapters.length - 1];
    if (last && key === this.key) {
      this.chapters[this.chapters.length - 1] = { ...last, lastStep: index };
      return last.id;
    }
    this.key = key;
    const id = `${key}-${++this.count}`;
    this.chapters.push({ id, title, firstStep: index, lastStep: index });
    return id;
  }
}

// --- The timeline ------------------------------------------------------------------------------------------

function placeholderScenario(capture: Capture): Scenario {
  const socketio = capture.messages.some((m) => m.body.kind === 'engineio');
  const tls = capture.messages.some((m) => m.body.kind === 'tls');
  return {
    ...SCENARIO_DEFAULTS,
    lesson: CAPTURE_LESSON,
    story: socketio ? 'socketio' : 'websocket',
    messages: [],
    ping: false,
    ...(tls ? { tls: true } : {}),
  };
}

function emptyPrograms(): Timeline['programs'] {
  const none = (title: string) => ({ title, language: 'javascript' as const, lines: [] });
  return { client: none('client program'), server: none('server program') };
}

function captureFacts(capture: Capture): NonNullable<Timeline['capture']> {
  return {
    name: capture.source.name,
    format: capture.source.format,
    size: capture.source.size,
    records: capture.source.records,
    problems: capture.problems,
  };
}

/** A HAR: the application layer only (no packets were recorded). */
function harTimeline(capture: Capture): Timeline {
  const client: HostInfo = {
    id: 'client',
    label: 'Browser (HAR)',
    role: 'client',
    mac: 'not recorded',
    ip: 'not recorded',
  };
  const server: HostInfo = {
    id: 'server',
    label: 'Server (HAR)',
    role: 'server',
    mac: 'not recorded',
    ip: 'not recorded',
  };
  const states: Record<HostId, HostState> = { client: {}, server: {} };
  const chapters = new ChapterBuilder();
  const steps: Step[] = [];
  // HAR 1.2 (W3C draft "HTTP Archive format"): a log of requests and responses, with timings; no packets.
  steps.push({
    index: 0,
    chapter: chapters.at(0, 'har', 'What a HAR holds'),
    time: 0,
    host: 'wire',
    layer: 7,
    kind: 'state',
    states,
    title: `${capture.source.name}: the application layer only`,
    text:
      `${capture.source.name} is a HAR file (HTTP Archive, what DevTools saves with "Save all as HAR"): ` +
      `${plural(capture.source.records, 'entry', 'entries')} of HTTP requests and responses, and the WebSocket ` +
      "messages DevTools recorded. A HAR has no packets: it records what the browser's application layer sent " +
      'and received, not the TCP segments, IP packets or frames that carried them, so the ladder shows messages ' +
      'only and the inspector has no bytes to show. Record the same traffic with Wireshark or tcpdump to see every layer.',
  });
  for (const m of capture.messages) {
    const i = steps.length;
    const entry = m.entry !== undefined ? `HAR entry ${m.entry + 1}, at ${ms(m.time)}.` : `At ${ms(m.time)}.`;
    const { title, text } = messageText(m, entry);
    steps.push({
      index: i,
      chapter: chapters.at(
        i,
        `entry-${m.entry ?? 0}`,
        `Entry ${(m.entry ?? 0) + 1}: ${PHASE_TITLES[messagePhase(m.body)]}`,
      ),
      time: m.time,
      host: m.from,
      layer: 7,
      kind: 'app',
      states,
      title,
      text,
    });
  }
  return {
    scenario: placeholderScenario(capture),
    hosts: [client, server],
    packets: [],
    steps,
    chapters: chapters.chapters,
    programs: emptyPrograms(),
    capture: captureFacts(capture),
  };
}

/** A capture as a timeline: one step per record, one per application message. Never throws on a well-formed `Capture`. */
export function captureTimeline(capture: Capture): Timeline {
  if (capture.source.format === 'har') return harTimeline(capture);
  const { hosts, streamHosts } = buildHosts(capture);
  const chunks = chunkOffsets(capture);

  // Messages by the segment that completes them (the last of `place.segments`), and by every segment carrying them.
  const completesAt = new Map<number, Placed[]>();
  const carriedBy = new Map<number, Placed[]>();
  const loose: Placed[] = [];
  capture.messages.forEach((message, index) => {
    const segs = message.place?.segments ?? [];
    const last = segs[segs.length - 1];
    if (last === undefined) {
      loose.push({ message, index });
      return;
    }
    const list = completesAt.get(last) ?? [];
    list.push({ message, index });
    completesAt.set(last, list);
    for (const s of segs) {
      const c = carriedBy.get(s) ?? [];
      c.push({ message, index });
      carriedBy.set(s, c);
    }
  });

  const packets: Packet[] = [];
  const steps: Step[] = [];
  const chapters = new ChapterBuilder();
  const sides = capture.streams.map(() => [fresh(), fresh()] as [SideState, SideState]);
  const phases = capture.streams.map((): Phase => 'handshake');
  let states: Record<HostId, HostState> = {};
  const firstSent = new Map<string, number>();
  let looseAt = 0;
  // The OSI walk for chosen packets (walk.ts): the SYN, the first request and response, the first WebSocket
  // message and TLS record each way, per connection; bounded so a big capture grows by a few hundred steps.
  const walked = chooseWalked(capture);

  const pushApp = (p: Placed, packet: number | undefined, streamLabel: string, streamKey: string) => {
    const m = p.message;
    const place = m.place;
    const where = place
      ? `Bytes ${place.start}–${place.end} of the ${m.from}'s stream, in ${plural(place.segments.length, 'segment')} (record${place.segments.length === 1 ? '' : 's'} ${place.segments.map((s) => capture.segments[s]?.record ?? '?').join(', ')}).`
      : `At ${ms(m.time)}.`;
    const { title, text } = messageText(m, where);
    const problems = (m.problems ?? []).map((x) => x.message).join(' ');
    const hostPair = place ? streamHosts[place.stream] : undefined;
    const host: HostId = hostPair ? (m.from === 'client' ? hostPair[0] : hostPair[1]) : m.from;
    const i = steps.length;
    const phase = messagePhase(m.body);
    steps.push({
      index: i,
      chapter: chapters.at(i, `${streamKey}-${phase}`, `${streamLabel}: ${PHASE_TITLES[phase]}`),
      time: m.time,
      host,
      layer: 7,
      kind: 'app',
      ...(packet !== undefined ? { packet } : {}),
      states,
      title,
      text: problems ? `${text} Problem: ${problems}` : text,
    });
  };

  const flushLoose = (until: number) => {
    while (looseAt < loose.length && loose[looseAt]!.message.time <= until) {
      pushApp(loose[looseAt]!, undefined, 'Messages', 'loose');
      looseAt++;
    }
  };

  capture.segments.forEach((seg, segIndex) => {
    flushLoose(seg.time);
    const stream = capture.streams[seg.stream];
    const pair = streamHosts[seg.stream];
    if (!stream || !pair) return;
    const from = pair[seg.direction];
    const to = pair[seg.direction === 0 ? 1 : 0];
    const completes = completesAt.get(segIndex) ?? [];
    const carries = carriedBy.get(segIndex) ?? [];

    const { fields: appFields, ranges } = fieldsInFrame(seg, chunks.get(segIndex), carries);
    const linkLayer = linkLayerOf(seg);
    const layers: Partial<Record<ProtoLayer, ByteRange>> = {
      ...(linkLayer ? { [linkLayer]: { start: seg.ranges.link[0], end: seg.ranges.link[1] } } : {}),
      [ipLayerOf(seg)]: { start: seg.ranges.ip[0], end: seg.ranges.ip[1] },
      tcp: { start: seg.ranges.tcp[0], end: seg.ranges.tcp[1] },
      ...ranges,
    };
    const id = packets.length;
    const key = `${seg.stream}:${seg.direction}:${seg.seq}:${seg.payloadLength}`;
    const original = seg.analysis?.includes('retransmission') ? firstSent.get(key) : undefined;
    if (!firstSent.has(key)) firstSent.set(key, id);
    const completing = completes[0]?.message;
    const summary =
      analysisPrefix(seg) +
      (completing
        ? completes.map((p) => p.message.summary).join(', ')
        : carries.length > 0
          ? `${tcpSummary(seg)} [TCP segment of a reassembled PDU]`
          : tcpSummary(seg));
    packets.push({
      id,
      wireIndex: seg.record,
      from,
      to,
      connection: seg.stream,
      sentAt: seg.time,
      arrivesAt: seg.time,
      lost: false,
      ...(original !== undefined ? { retransmissionOf: original } : {}),
      frame: seg.data,
      fcs: 0,
      padding: 0,
      fields: appFields.length > 0 ? [...seg.fields, ...appFields] : seg.fields,
      layers,
      tcp: {
        srcPort: seg.src.port,
        dstPort: seg.dst.port,
        seq: seg.seq,
        ack: seg.ack,
        flags: orderedFlags(seg.flags),
        len: seg.payloadLength,
        relSeq: seg.relSeq,
        relAck: seg.relAck,
      },
      ...(completing ? { app: appInfo(completing.body) } : {}),
      summary,
      captured: {
        record: seg.record,
        link: seg.link,
        originalLength: seg.originalLength,
        ...(seg.analysis && seg.analysis.length > 0 ? { analysis: seg.analysis } : {}),
      },
    });

    // TCP states after this segment (inferred by RFC 9293's diagram).
    const s = sides[seg.stream]!;
    const transitions = advance(s, seg);
    const view = (side: SideState, peer: SideState) => ({
      connection: seg.stream,
      state: side.state,
      sndNxt: side.sndNxt,
      relSndNxt: side.relSndNxt,
      rcvNxt: peer.sndNxt,
      relRcvNxt: peer.relSndNxt,
    });
    // Only this connection's two hosts: with hundreds of connections, copying every host's state into every
    // step would grow as hosts × steps; the stage shows the hosts a step concerns (views/stack/layout.ts).
    states = {
      [pair[0]]: { tcp: view(s[0], s[1]) },
      [pair[1]]: { tcp: view(s[1], s[0]) },
    };

    // Phase of the connection: SYN → handshake, FIN/RST → teardown (and stays), data → its message's phase.
    const has = (f: string) => seg.flags.includes(f);
    let phase = phases[seg.stream]!;
    if (phase !== 'teardown') {
      if (has('SYN')) phase = 'handshake';
      else if (has('FIN') || has('RST')) phase = 'teardown';
      else if (carries.length > 0) phase = messagePhase(carries[0]!.message.body);
      phases[seg.stream] = phase;
    }
    const streamLabel = `Connection ${seg.stream + 1} (${endpointText(stream.client)} → ${endpointText(stream.server)})`;
    const streamKey = `c${seg.stream + 1}`;
    const choice = walked.get(segIndex);
    const walk = choice ? walkTexts(capture, seg, stream, choice) : undefined;
    const chapterKey = `${streamKey}-${phase}`;
    const chapterTitle = `${streamLabel}: ${PHASE_TITLES[phase]}`;
    // One step per layer of the walk, on `host`, at the record's time (sentAt and arrivesAt: one time in a capture).
    const pushWalk = (layers: readonly WalkText[] | undefined, host: HostId): void => {
      for (const w of layers ?? []) {
        const j = steps.length;
        steps.push({
          index: j,
          chapter: chapters.at(j, chapterKey, chapterTitle),
          time: seg.time,
          host,
          layer: w.layer,
          kind: w.kind,
          packet: id,
          states,
          title: w.title,
          text: w.text,
          curriculum: w.curriculum,
        });
      }
    };
    // Down the sender (layers 7 → 1) before the record, at its time (sentAt).
    pushWalk(walk?.down, from);
    const i = steps.length;
    steps.push({
      index: i,
      chapter: chapters.at(i, chapterKey, chapterTitle),
      time: seg.time,
      host: 'wire',
      layer: 1,
      kind: 'transmit',
      packet: id,
      states,
      title: segmentTitle(seg, completes),
      text: segmentText(seg, stream, completes, carries, transitions),
    });
    // Up the receiver (layers 1 → 7) right after the record, at its time (arrivesAt: the same in a capture).
    pushWalk(walk?.up, to);
    for (const p of completes) pushApp(p, id, streamLabel, streamKey);
  });
  if (walked.size > 0 && steps[0]) {
    // Say which packets are walked, in the first step (walk.ts chooses them).
    steps[0] = {
      ...steps[0],
      text:
        `${steps[0].text} Chosen packets also get the OSI walk, down the sender's seven layers and up the ` +
        `receiver's, read from their bytes: per connection, the SYN, the first HTTP request (or upgrade request), ` +
        `the first response (or 101), and the first WebSocket message and TLS record each way (at most ` +
        `${MAX_WALKS_PER_CONNECTION} per connection and ${MAX_WALKS} in all; ${walked.size} here).`,
    };
  }
  flushLoose(Infinity);

  if (steps.length === 0) {
    // Nothing to step through: one step that says so, and what the readers found.
    const problems = capture.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    steps.push({
      index: 0,
      chapter: chapters.at(0, 'empty', 'Nothing to show'),
      time: 0,
      host: 'wire',
      layer: null,
      kind: 'state',
      states,
      title:
        capture.source.records === 0 && problems.length > 0
          ? `${capture.source.name} could not be read`
          : `${capture.source.name}: no TCP segments found`,
      text:
        (capture.source.records === 0 && problems.length > 0
          ? `Nothing in ${capture.source.name} could be read as a capture, so there is nothing to step through.`
          : `${capture.source.name} holds ${plural(capture.source.records, 'record')}, and none of them is a TCP ` +
            'segment over IPv4 or IPv6, so there is nothing to step through.') +
        (Object.keys(capture.source.skipped).length > 0
          ? ` Skipped: ${Object.entries(capture.source.skipped)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')}.`
          : '') +
        (problems.length > 0 ? ` ${problems.join(' ')}` : ''),
    });
  }

  const chaptered = coarseChapters(steps, chapters.chapters, packets);
  return {
    scenario: placeholderScenario(capture),
    hosts:
      hosts.length > 0
        ? hosts
        : [
            { id: 'client', label: 'Client', role: 'client', mac: 'not captured', ip: 'not captured' },
            { id: 'server', label: 'Server', role: 'server', mac: 'not captured', ip: 'not captured' },
          ],
    packets,
    steps: chaptered.steps,
    chapters: chaptered.chapters,
    programs: emptyPrograms(),
    capture: captureFacts(capture),
  };
}

/**
 * Most chapters a capture's timeline keeps. Many interleaved connections make thousands of (connection, phase)
 * chapters: too many to mark on the scrubber or to read, and the playback bar draws every one at every step.
 * Beyond this the steps are cut into this many runs of equal length, named by their records.
 */
export const MAX_CAPTURE_CHAPTERS = 60;

function coarseChapters(
  steps: Step[],
  chapters: Chapter[],
  packets: readonly Packet[],
): { steps: Step[]; chapters: Chapter[] } {
  if (chapters.length <= MAX_CAPTURE_CHAPTERS) return { steps, chapters };
  const size = Math.ceil(steps.length / MAX_CAPTURE_CHAPTERS);
  const out: Chapter[] = [];
  for (let first = 0; first < steps.length; first += size) {
    const last = Math.min(steps.length, first + size) - 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = first; i <= last; i++) {
      const p = steps[i]!.packet;
      if (p === undefined) continue;
      lo = Math.min(lo, packets[p]!.wireIndex);
      hi = Math.max(hi, packets[p]!.wireIndex);
    }
    const title = hi >= lo ? `Records ${lo}–${hi}` : `Steps ${first + 1}–${last + 1}`;
    out.push({ id: `part-${out.length + 1}`, title, firstStep: first, lastStep: last });
  }
  return {
    steps: steps.map((s) => ({ ...s, chapter: out[Math.floor(s.index / size)]!.id })),
    chapters: out,
  };
}
