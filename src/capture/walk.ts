/**
 * The OSI walk for chosen packets of a capture: seven steps down the sender's layers (7 → 1, what each layer's
 * header in this record says) and seven up the receiver's (1 → 7, the mirror), as the lessons walk their packets
 * (sim/steps/osi.ts). Every sentence is read from the record's bytes (a capture has no program): the header
 * lengths, ports, sequence numbers, TTL, addresses and link header are this record's; the source of each
 * sentence is named beside it.
 *
 * Chosen packets, per TCP connection, the first segment carrying each of: the SYN; the first HTTP request (or
 * upgrade request); the first HTTP response (or 101); the first WebSocket (or Engine.IO/Socket.IO over
 * WebSocket) message in each direction; the first TLS record in each direction. At most
 * `MAX_WALKS_PER_CONNECTION` per connection and `MAX_WALKS` in the whole capture, so a capture of 30 000
 * records grows by at most MAX_WALKS × 14 steps.
 */
import { WS_OPCODE_NAMES } from '../protocol/websocket';
import { toHex } from '../protocol/bytes';
import type { OsiLayer } from '../sim/types';
import type { Capture, CapturedMessage, CapturedSegment, Endpoint, TcpStream } from './model';

export const MAX_WALKS_PER_CONNECTION = 8;
export const MAX_WALKS = 32;

/** One walked packet: the segment, and the first message (if any) whose first byte it carries. */
export interface WalkChoice {
  readonly reasons: string[];
  readonly message?: CapturedMessage;
}

export interface WalkText {
  readonly layer: OsiLayer;
  readonly kind: 'encapsulate' | 'decapsulate';
  readonly title: string;
  readonly text: string;
  readonly curriculum: readonly string[];
}

/** Which segments get a walk (index in `capture.segments` → why). Record order decides "first". */
export function chooseWalked(capture: Capture): Map<number, WalkChoice> {
  const out = new Map<number, WalkChoice>();
  // Messages by the first segment carrying their first byte.
  const startsAt = new Map<number, CapturedMessage[]>();
  for (const m of capture.messages) {
    const first = m.place?.segments[0];
    if (first === undefined) continue;
    const list = startsAt.get(first) ?? [];
    list.push(m);
    startsAt.set(first, list);
  }
  const seen = capture.streams.map(() => new Set<string>());
  const perStream = capture.streams.map(() => 0);
  capture.segments.forEach((seg, i) => {
    if (out.size >= MAX_WALKS) return;
    const done = seen[seg.stream];
    if (!done || perStream[seg.stream]! >= MAX_WALKS_PER_CONNECTION) return;
    const reasons: string[] = [];
    let message: CapturedMessage | undefined;
    const take = (key: string, why: string, m?: CapturedMessage) => {
      if (done.has(key)) return;
      done.add(key);
      reasons.push(why);
      if (m && !message) message = m;
    };
    if (seg.flags.includes('SYN') && !seg.flags.includes('ACK')) take('syn', 'the SYN');
    const dir = seg.direction === 0 ? 'client → server' : 'server → client';
    for (const m of startsAt.get(i) ?? []) {
      const b = m.body;
      if (b.kind === 'http-request')
        take('request', b.upgrade ? 'the upgrade request' : 'the first HTTP request', m);
      else if (b.kind === 'http-response')
        take('response', b.status === 101 ? 'the 101 answer' : 'the first HTTP response', m);
      else if (b.kind === 'ws-frame' || (b.kind === 'engineio' && b.transport === 'websocket'))
        take(`ws-${seg.direction}`, `the first WebSocket message ${dir}`, m);
      else if (b.kind === 'tls') take(`tls-${seg.direction}`, `the first TLS record ${dir}`, m);
    }
    if (reasons.length === 0) return;
    out.set(i, { reasons, ...(message ? { message } : {}) });
    perStream[seg.stream]!++;
  });
  return out;
}

const LAYER_NAMES: Readonly<Record<OsiLayer, string>> = {
  7: 'application',
  6: 'presentation',
  5: 'session',
  4: 'transport',
  3: 'network',
  2: 'data link',
  1: 'physical',
};

/** RFC 3986 §3.2.2: an IPv6 literal goes in brackets before a port. */
function endpoint(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function title(layer: OsiLayer, what: string): string {
  return `Layer ${layer} (${LAYER_NAMES[layer]}): ${what}`;
}

function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

/** RFC 8446 §5.1 ContentType values. */
const TLS_TYPES: Readonly<Record<number, string>> = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'handshake',
  23: 'application_data',
};

/** The bytes a message starts with in its direction's stream (on the wire: TLS records when it was decrypted). */
function wireBytes(capture: Capture, m: CapturedMessage): Uint8Array | undefined {
  const p = m.place;
  if (!p) return undefined;
  const dir = capture.streams[p.stream]?.directions[p.direction];
  return dir?.bytes.subarray(p.start, p.end);
}

/** A TLS record header (RFC 8446 §5.1): type, legacy version, length; undefined when the bytes are not one. */
function tlsHeader(b: Uint8Array | undefined): { type: number; version: number; length: number } | undefined {
  if (!b || b.length < 5 || TLS_TYPES[b[0]!] === undefined || b[1] !== 3) return undefined;
  return { type: b[0]!, version: u16(b, 1), length: u16(b, 3) };
}

/** A WebSocket frame header (RFC 6455 §5.2), read from its first bytes. */
function wsHeader(
  b: Uint8Array | undefined,
): { fin: number; opcode: number; mask: number; length: number; headerLength: number } | undefined {
  if (!b || b.length < 2) return undefined;
  const fin = b[0]! >> 7;
  const opcode = b[0]! & 0x0f;
  const mask = b[1]! >> 7;
  let length = b[1]! & 0x7f;
  let headerLength = 2;
  if (length === 126) {
    if (b.length < 4) return undefined;
    length = u16(b, 2);
    headerLength = 4;
  } else if (length === 127) {
    if (b.length < 10) return undefined;
    length = u16(b, 6) * 0x10000 + u16(b, 8);
    headerLength = 10;
  }
  return { fin, opcode, mask, length, headerLength: headerLength + (mask ? 4 : 0) };
}

function firstLine(b: Uint8Array | undefined): string | undefined {
  if (!b) return undefined;
  let end = 0;
  while (end < b.length && end < 200 && b[end] !== 0x0d && b[end] !== 0x0a) end++;
  return new TextDecoder('utf-8').decode(b.subarray(0, end));
}

/** Whether the connection carries TLS (a TLS record or a message read from decrypted records). */
export function streamIsTls(capture: Capture, stream: number): boolean {
  return capture.messages.some(
    (m) => m.place?.stream === stream && (m.body.kind === 'tls' || m.plaintext !== undefined),
  );
}

/** Layer 7: the application message this segment starts, and its header bytes. */
function application(capture: Capture, seg: CapturedSegment, choice: WalkChoice, down: boolean): string {
  const m = choice.message;
  const who = seg.direction === 0 ? 'client' : 'server';
  if (!m) {
    // RFC 9293 §3.5: the SYN opens the connection and carries no application data.
    return down
      ? `No application bytes yet: this segment is TCP's own SYN, which opens the connection (RFC 9293 §3.5). Layer 7 adds nothing.`
      : 'No application bytes arrive: a SYN carries none (RFC 9293 §3.5).';
  }
  const onWire = wireBytes(capture, m);
  const own = m.plaintext ?? onWire;
  const verb = down ? `The ${who} sends` : `The ${who === 'client' ? 'server' : 'client'} receives`;
  const b = m.body;
  switch (b.kind) {
    case 'http-request':
    case 'http-response': {
      // RFC 9112 §3 (request line), §4 (status line): the first line of the message, ASCII text.
      const line = firstLine(own) ?? (b.kind === 'http-request' ? `${b.method} ${b.target}` : `${b.status}`);
      return `${verb} ${m.summary}. Its first line, read from the bytes: "${line}"; then ${b.headers.length} header lines and an empty line (RFC 9112 §2.1). HTTP's "header" is this text itself.`;
    }
    case 'ws-frame':
    case 'engineio': {
      const plain = m.plaintext;
      const own2 = plain ?? onWire;
      const parsed = wsHeader(own2);
      // Only a header that spans exactly this message's bytes (a frame, not an Engine.IO payload inside one).
      const h = parsed && own2 && parsed.headerLength + parsed.length === own2.length ? parsed : undefined;
      // RFC 6455 §5.2: FIN, RSV1-3, opcode; MASK and payload length; the masking key when MASK = 1.
      const header = h
        ? ` Its frame header is ${bytes(h.headerLength)} (RFC 6455 §5.2): FIN = ${h.fin}, opcode 0x${h.opcode.toString(16)} (${WS_OPCODE_NAMES[h.opcode] ?? 'reserved'}), MASK = ${h.mask}, payload length ${h.length}${h.mask ? ', then the 4-byte masking key' : ''}.`
        : '';
      return `${verb} ${m.summary}.${header}`;
    }
    case 'tls': {
      const h = tlsHeader(onWire);
      // RFC 8446 §5.1: a record is type (1 byte), legacy_record_version (2), length (2), then the fragment.
      const header = h
        ? ` The first record's header, read from the bytes: type ${h.type} (${TLS_TYPES[h.type]}), version 0x${h.version.toString(16).padStart(4, '0')}, length ${h.length} (RFC 8446 §5.1).`
        : '';
      return `${verb} TLS records: ${b.records.join(', ')}.${header}`;
    }
  }
}

/** Layer 6: encoding (no header), or TLS's record header and expansion. */
function presentation(capture: Capture, choice: WalkChoice, tls: boolean): string {
  const m = choice.message;
  if (!m) return 'Nothing to encode or encrypt: the SYN carries no data. Layer 6 adds no bytes.';
  const h = tlsHeader(wireBytes(capture, m));
  if (tls && h) {
    // RFC 8446 §5.1: the 5-byte record header; §5.2: an encrypted record adds the 1-byte inner content type
    // and the AEAD tag (16 bytes with every TLS 1.3 cipher suite), so 17 bytes more than the plaintext.
    // With the key log, the plaintext's length is known: the expansion is then read from the bytes.
    const plain = m.plaintext?.length;
    const expansion =
      h.type !== 23
        ? ' This record is not encrypted (the handshake starts in the clear, RFC 8446 §5.1); in TLS 1.3 each encrypted record adds 17 bytes (RFC 8446 §5.2).'
        : plain !== undefined && h.length === plain + 17
          ? ` It is encrypted: its ${h.length} bytes are the ${plain} bytes of plaintext plus 17 (a 1-byte inner content type and a 16-byte tag, RFC 8446 §5.2).`
          : ' It is encrypted; in TLS 1.3 an encrypted record is its plaintext plus 17 bytes (a 1-byte inner content type and a 16-byte tag, RFC 8446 §5.2).';
    return `TLS works here: this record has a 5-byte header (type ${h.type}, length ${h.length}) (RFC 8446 §5.1).${expansion}`;
  }
  if (tls)
    // RFC 8446 §5.1–5.2: every record has a 5-byte header; in TLS 1.3 an encrypted one adds 17 bytes.
    return "TLS works at this layer on this connection, but this message's bytes do not start with a record header here. Each TLS record has a 5-byte header (RFC 8446 §5.1), and in TLS 1.3 an encrypted record is its plaintext plus 17 bytes (RFC 8446 §5.2).";
  // RFC 6455 §5.6 (text frames are UTF-8); RFC 9112 §2.2 (an HTTP head is ASCII, a subset of UTF-8).
  const http = m.body.kind === 'http-request' || m.body.kind === 'http-response';
  return `The text is ${http ? 'ASCII, which is also UTF-8' : 'UTF-8'}: an encoding, not a header. No TLS on this connection, so layer 6 adds no bytes.`;
}

function session(): string {
  // CURRICULUM M6: the Internet's protocols have no layer-5 header. RFC 9293 §3.1, §4: a connection is named by
  // its pair of sockets (addresses and ports).
  return 'No header at layer 5: the conversation is this TCP connection, named by its two addresses and ports. Nothing in the record belongs to a session layer.';
}

function transport(seg: CapturedSegment): string {
  // RFC 9293 §3.1: source and destination ports, sequence and acknowledgment numbers, data offset
  // (header length in 32-bit words), flags; relative numbers as Wireshark shows them.
  const hl = seg.ranges.tcp[1] - seg.ranges.tcp[0];
  const ack = seg.flags.includes('ACK') ? `, Ack = ${seg.relAck} (relative)` : '';
  return `TCP's header is ${bytes(hl)} (data offset ${hl / 4} words, RFC 9293 §3.1): ports ${seg.src.port} → ${seg.dst.port}, Seq = ${seg.relSeq} (relative)${ack}, flags ${seg.flags.join(', ') || 'none'}, window field ${seg.window}, in front of ${bytes(seg.payloadLength)} of data.`;
}

function network(seg: CapturedSegment): string {
  const hl = seg.ranges.ip[1] - seg.ranges.ip[0];
  if (seg.ipVersion === 6) {
    // RFC 8200 §3: a fixed 40-byte header with the hop limit and 128-bit addresses.
    return `IPv6's header, as recorded: ${seg.src.ip} → ${seg.dst.ip}, hop limit ${seg.ttl}, 40 bytes fixed (RFC 8200 §3)${hl > 40 ? ` plus ${bytes(hl - 40)} of extension headers` : ''}.`;
  }
  // RFC 791 §3.1: IHL (header length in 32-bit words), time to live, source and destination addresses.
  return `IPv4's header, as recorded: ${seg.src.ip} → ${seg.dst.ip}, TTL ${seg.ttl}, ${bytes(hl)} (IHL ${hl / 4}, RFC 791 §3.1), protocol 6 (TCP).`;
}

function isLoopback(seg: CapturedSegment): boolean {
  return seg.src.ip.startsWith('127.') || seg.src.ip === '::1';
}

function link(seg: CapturedSegment): string {
  const [s, e] = seg.ranges.link;
  const len = e - s;
  const d = seg.data;
  switch (seg.link) {
    case 'ethernet': {
      const dst = toHex(d.subarray(s, s + 6), ':');
      const src = toHex(d.subarray(s + 6, s + 12), ':');
      // tcpdump.org LINKTYPE_ETHERNET: destination MAC, source MAC, EtherType; Linux's loopback device writes
      // an Ethernet header with zero addresses (no card sends it).
      const zero = /^(00:){5}00$/.test(dst) && /^(00:){5}00$/.test(src);
      return (
        `The record starts with a ${len}-byte Ethernet header (tcpdump.org LINKTYPE_ETHERNET): destination ${dst}, source ${src}, type 0x${u16(
          d,
          s + 12,
        )
          .toString(16)
          .padStart(4, '0')}.` +
        (zero
          ? ' Both addresses are zero: this is the loopback device’s header, not a real Ethernet one; no card sent it.'
          : '')
      );
    }
    case 'sll':
      // tcpdump.org LINKTYPE_LINUX_SLL: a 16-byte pseudo-header the capture on `any` writes instead of the link's.
      return `The record starts with a ${len}-byte Linux cooked header (SLL, tcpdump.org LINKTYPE_LINUX_SLL), not Ethernet: a capture on \`any\` replaces each link's header with this one${seg.srcMac ? ` (it keeps the sender's address ${seg.srcMac})` : ''}. No real Ethernet header was recorded.`;
    case 'sll2':
      // tcpdump.org LINKTYPE_LINUX_SLL2: a 20-byte pseudo-header with the interface index.
      return `The record starts with a ${len}-byte Linux cooked header v2 (SLL2, tcpdump.org LINKTYPE_LINUX_SLL2), not Ethernet: a capture on \`any\` replaces each link's header with this one${seg.srcMac ? ` (it keeps the sender's address ${seg.srcMac})` : ''}. No real Ethernet header was recorded.`;
    case 'null':
      // tcpdump.org LINKTYPE_NULL: a 4-byte address family in the capturing host's byte order (BSD loopback).
      return `The record starts with a ${len}-byte BSD loopback header (tcpdump.org LINKTYPE_NULL): only the address family. On loopback there is no Ethernet header at all.`;
    case 'raw':
      // tcpdump.org LINKTYPE_RAW: the record starts with the IP header.
      return 'The record has no link-layer header (raw IP, tcpdump.org LINKTYPE_RAW): it starts with the IP header, so what layer 2 did is not in the capture.';
  }
}

function physical(seg: CapturedSegment): string {
  // tcpdump.org LINKTYPE_ETHERNET and the pcap format: a record starts at the link-layer header; the preamble,
  // the start frame delimiter and (usually) the FCS are not recorded. The lengths below are this record's.
  const ipAt = seg.ranges.ip[0];
  const ipTotal = seg.ipVersion === 4 ? u16(seg.data, ipAt + 2) : 40 + u16(seg.data, ipAt + 4);
  const after = seg.originalLength - ipAt - ipTotal;
  const tail =
    after === 0
      ? ` This record's ${bytes(seg.originalLength)} end exactly where the IP packet ends: no FCS was recorded.`
      : after > 0
        ? ` ${bytes(after)} follow the IP packet in this record (Ethernet padding, or an FCS the driver kept).`
        : '';
  return (
    'The signal is not in a capture: a capture starts at layer 2, with the bytes the driver hands over; no preamble, start-of-frame delimiter or signal is recorded.' +
    tail +
    (isLoopback(seg)
      ? ' On loopback nothing goes on a cable at all: the kernel hands the bytes to itself.'
      : '')
  );
}

/**
 * The 14 steps' text for one chosen segment: seven down the sender (7 → 1), then seven up the receiver (1 → 7).
 */
export function walkTexts(
  capture: Capture,
  seg: CapturedSegment,
  stream: TcpStream,
  choice: WalkChoice,
): { down: WalkText[]; up: WalkText[] } {
  const tls = streamIsTls(capture, seg.stream);
  const sender = seg.direction === 0 ? 'client' : 'server';
  const receiver = seg.direction === 0 ? 'server' : 'client';
  const why = choice.reasons.join(' and ');
  const l7 = (down: boolean) => application(capture, seg, choice, down);
  const l6 = presentation(capture, choice, tls);
  const texts: Record<OsiLayer, string> = {
    7: l7(true),
    6: l6,
    5: session(),
    4: transport(seg),
    3: network(seg),
    2: link(seg),
    1: physical(seg),
  };
  const tags = (layer: OsiLayer): readonly string[] => (layer === 5 || layer === 6 ? ['Q10', 'M6'] : ['Q10']);
  const down: WalkText[] = ([7, 6, 5, 4, 3, 2, 1] as const).map((layer) => ({
    layer,
    kind: 'encapsulate',
    title: title(layer, `down the ${sender}`),
    text:
      (layer === 7
        ? `Record ${seg.record} is walked down the ${sender}'s stack: it is ${why} on this connection (${endpoint(stream.client)} ↔ ${endpoint(stream.server)}). `
        : '') + texts[layer],
    curriculum: tags(layer),
  }));
  // The capture recorded these bytes once, at one point: the receiver's walk is its stack reading them. Past a
  // router its copy differs: the TTL is one lower (RFC 791 §3.2, RFC 8200 §3) and the link header is new.
  const once = isLoopback(seg)
    ? `The capture recorded these bytes once, on loopback (sender and receiver are one machine): the ${receiver}'s walk up is what its stack does with the same bytes, not something captured separately.`
    : `The capture recorded this packet once, at one point on its way: the ${receiver}'s walk up is what its stack does with it, not something captured separately (past a router its copy has a lower TTL and a new link header).`;
  const upTexts: Record<OsiLayer, string> = {
    ...texts,
    7: l7(false),
    1: `${once} ${texts[1]}`,
  };
  const up: WalkText[] = ([1, 2, 3, 4, 5, 6, 7] as const).map((layer) => ({
    layer,
    kind: 'decapsulate',
    title: title(layer, `up the ${receiver}`),
    text: `${layer >= 2 && layer <= 4 ? 'It reads and removes this header. ' : ''}${upTexts[layer]}`,
    curriculum: tags(layer),
  }));
  return { down, up };
}
