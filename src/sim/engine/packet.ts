/**
 * From a TCP segment to a `Packet`: real bytes (TCP with its pseudo-header checksum inside IPv4 inside
 * Ethernet II), every field of every layer located in the frame, the FCS and padding a card would add,
 * and Wireshark-like labels. The annotations come from decoding the bytes just built, so what the
 * inspector shows is what the bytes say.
 */
import { type FieldAnnotation, type ProtoLayer, shiftFields } from '../../protocol/fields';
import {
  ETHERNET_HEADER_LENGTH,
  decodeEthernet,
  ethernetFcs,
  ethernetPadding,
  ethernetTrailerFields,
} from '../../protocol/ethernet';
import { decodeIpv4 } from '../../protocol/ipv4';
import { encodeTcpFrame, LINUX_DEFAULT_TTL, linuxTcpIpv4 } from '../../protocol/stack';
import { decodeTcp, formatTcpFlags, type TcpFlagName } from '../../protocol/tcp';
import { decodeHttpRequest, decodeHttpResponse } from '../../protocol/http';
import { decodeWsFrame } from '../../protocol/websocket';
import type { TcpSegmentIn, TcpTransmission } from './tcp';
import type { AckReason, AppInfo, ByteRange, HostId, HostInfo, LinkFrame, Packet, PacketHop } from '../types';

/** Linux's default IPv4 TTL (net.ipv4.ip_default_ttl). */
export const IP_TTL = LINUX_DEFAULT_TTL;

/**
 * One application write (an HTTP message or a WebSocket frame) as TCP carries it. The story creates
 * it; TCP may cut it into several segments; each segment's packet takes its labels from here.
 */
export interface AppWrite {
  readonly layer: Extract<ProtoLayer, 'http' | 'websocket' | 'tls'>;
  readonly bytes: Uint8Array;
  /** What the first segment's packet says it carries. */
  readonly info: AppInfo;
  /** Wireshark-like label of the whole write. */
  readonly summary: string;
  /** Who sent it, for the WebSocket masking rules when decoding. */
  readonly from: 'client' | 'server';
  /** Packet id of the write's first segment, once sent. */
  firstPacket: number;
  /** The write's own annotations (offsets within the write), decoded once, on first use. */
  fields: readonly FieldAnnotation[] | null;
}

export function appWriteFields(w: AppWrite): readonly FieldAnnotation[] {
  if (w.fields) return w.fields;
  // TLS writes come with their fields (sim/libs/tls/socket.ts), so the TLS codec loads only with TLS.
  if (w.layer === 'tls') return [];
  const decoded =
    w.layer === 'websocket'
      ? decodeWsFrame(w.bytes, { from: w.from })
      : w.info.kind === 'http-response'
        ? decodeHttpResponse(w.bytes)
        : decodeHttpRequest(w.bytes);
  w.fields = decoded.ok ? decoded.fields : [];
  return w.fields;
}

/** The write's annotations that fall in [offset, offset + length), clipped and moved to `at`. */
function piecesOf(
  fields: readonly FieldAnnotation[],
  offset: number,
  length: number,
  at: number,
): FieldAnnotation[] {
  const end = offset + length;
  const out: FieldAnnotation[] = [];
  for (const f of fields) {
    if (f.end <= offset || f.start >= end) continue;
    const start = Math.max(f.start, offset);
    const stop = Math.min(f.end, end);
    const clipped = start !== f.start || stop !== f.end;
    const moved: FieldAnnotation = {
      layer: f.layer,
      key: f.key,
      name: clipped ? `${f.name} (part)` : f.name,
      start: start - offset + at,
      end: stop - offset + at,
      value: f.value,
      meaning: f.meaning,
    };
    out.push(f.bits && !clipped ? { ...moved, bits: f.bits } : moved);
  }
  return out;
}

export interface PacketInput {
  readonly id: number;
  readonly from: HostInfo;
  readonly to: HostInfo;
  readonly connection: number;
  readonly sentAtNs: number;
  readonly arrivesAtNs: number;
  readonly lost: boolean;
  /** What `loss` counts (network.ts): 0 when the packet never left. */
  readonly wireIndex: number;
  /** It never left: ARP found no MAC for the next hop (network.ts ARP_POLICY). */
  readonly unresolved?: boolean;
  readonly identification: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly tx: TcpTransmission;
  /** The packet this one retransmits, for its labels. */
  readonly original?: Packet;
  /** The MAC the frame is addressed to: the next hop's (the gateway's, or the peer's on one LAN). */
  readonly nextHopMac: string;
  /** The sender's segment (0: the browsers' LAN). */
  readonly segment: number;
  /** ARP frames the sender needed before this packet (empty: none). */
  readonly arp: readonly LinkFrame[];
  /** The routers' copies of the frame, made from the sender's frame (none when lost or on one LAN). */
  readonly forward: (frame: Uint8Array) => readonly PacketHop[];
}

function flagNames(flags: readonly TcpFlagName[]): string {
  return formatTcpFlags(flags);
}

function tcpLabel(tx: TcpTransmission): string {
  const flags = flagNames(tx.flags);
  const ack = tx.flags.includes('ACK') ? ` Ack=${tx.relAck}` : '';
  if (tx.flags.includes('SYN')) {
    const mss = tx.options.find((o) => o.kind === 'mss');
    return `${flags} Seq=${tx.relSeq}${ack} Win=${tx.window} Len=0${mss && mss.kind === 'mss' ? ` MSS=${mss.value}` : ''}`;
  }
  const len = tx.payload.length ? ` Len=${tx.payload.length}` : '';
  return `${flags} Seq=${tx.relSeq}${ack}${len}`;
}

/** What a packet says it carries: the write's labels, a continuation's, or TCP's own. */
interface AppLabel {
  readonly info?: AppInfo;
  readonly summary: string;
  readonly write?: AppWrite;
}

function appOf(input: PacketInput): AppLabel {
  const { tx, original } = input;
  const write = tx.piece?.tag as AppWrite | undefined;
  if (!write || tx.payload.length === 0) return { summary: tcpLabel(tx) };
  const fin = tx.flags.includes('FIN') ? ' [FIN]' : '';
  if (tx.piece!.offset === 0) {
    return { info: write.info, summary: write.summary + fin, write };
  }
  const of = original?.app?.kind === 'continuation' ? original.app.of : write.firstPacket;
  return {
    info: { kind: 'continuation', of },
    summary: `[TCP segment of a reassembled PDU] Seq=${tx.relSeq} Len=${tx.payload.length}${fin}`,
    write,
  };
}

/** Where a packet's application bytes came from: the write, and the offset of the segment's first byte in it. */
interface AppPiece {
  readonly write: AppWrite;
  readonly offset: number;
}

/** What a `SimPacket` computes on first use, and what it needs to. */
interface Lazy {
  readonly tcpAt: number;
  readonly pseudo: { readonly src: string; readonly dst: string };
  readonly app: AppPiece | null;
  forward: ((frame: Uint8Array) => readonly PacketHop[]) | null;
  hops: readonly PacketHop[] | null;
  fields: readonly FieldAnnotation[] | null;
  fcs: number | undefined;
}

/**
 * A simulated packet. Its annotations (from decoding the frame), its FCS (a CRC over it) and the routers' copies
 * of its frame are computed the first time something asks, then kept: the timeline has a thousand packets and a
 * view looks at a few. They are getters of the class rather than getters of each object, because an object
 * literal with getters is built on V8's slow path and kept as a dictionary (measured: microseconds each, and
 * more heap). `toJSON` puts them back where the timeline's JSON has always had them (between `segment` and
 * `layers`), so the golden digests and snapshots see every key in the same order. What it needs is kept in a
 * private field, which neither JSON, spreads nor snapshot printers see.
 */
class SimPacket {
  declare readonly id: number;
  declare readonly wireIndex: number;
  declare readonly from: HostId;
  declare readonly to: HostId;
  declare readonly connection: number;
  declare readonly sentAt: number;
  declare readonly arrivesAt: number;
  declare readonly lost: boolean;
  declare readonly retransmissionOf?: number;
  declare readonly retransmitReason?: 'timeout' | 'fast-retransmit';
  declare readonly frame: Uint8Array;
  declare readonly segment: number;
  declare readonly arp: readonly LinkFrame[];
  declare readonly padding: number;
  declare readonly layers: Readonly<Partial<Record<ProtoLayer, ByteRange>>>;
  declare readonly tcp: Packet['tcp'];
  declare readonly ackWhy?: AckReason;
  declare readonly unresolved?: boolean;
  declare readonly app?: AppInfo;
  declare readonly summary: string;
  readonly #lazy: Lazy;

  constructor(input: PacketInput, frame: Uint8Array, lazy: Lazy, layers: SimPacket['layers'], app: AppLabel) {
    const { tx } = input;
    // Assigned in the order the timeline's JSON shows them; the optional ones only when present (an own
    // key that is `undefined` would be a different object for `toEqual` and `in`).
    const self = this as { -readonly [K in keyof SimPacket]: SimPacket[K] };
    self.id = input.id;
    self.wireIndex = input.wireIndex;
    self.from = input.from.id;
    self.to = input.to.id;
    self.connection = input.connection;
    self.sentAt = input.sentAtNs / 1e6;
    self.arrivesAt = input.arrivesAtNs / 1e6;
    self.lost = input.lost;
    if (tx.retransmits !== undefined) {
      self.retransmissionOf = tx.retransmits;
      self.retransmitReason = tx.reason ?? 'timeout';
    }
    self.frame = frame;
    self.segment = input.segment;
    self.arp = input.arp;
    self.padding = ethernetPadding(frame.length);
    self.layers = layers;
    self.tcp = {
      srcPort: input.srcPort,
      dstPort: input.dstPort,
      seq: tx.seq,
      ack: tx.ack,
      flags: tx.flags,
      len: tx.payload.length,
      relSeq: tx.relSeq,
      relAck: tx.relAck,
    };
    if (tx.ackWhy) self.ackWhy = tx.ackWhy;
    if (input.unresolved) self.unresolved = true;
    if (app.info) self.app = app.info;
    const prefix =
      tx.retransmits === undefined
        ? ''
        : tx.reason === 'fast-retransmit'
          ? '[TCP Fast Retransmission] '
          : '[TCP Retransmission] ';
    self.summary = prefix + app.summary;
    this.#lazy = lazy;
  }

  /** The routers' copies of the frame (none when lost or on one LAN). */
  get hops(): readonly PacketHop[] {
    const l = this.#lazy;
    if (l.hops === null) {
      l.hops = l.forward!(this.frame);
      l.forward = null;
    }
    return l.hops;
  }

  get fcs(): number {
    return (this.#lazy.fcs ??= ethernetFcs(this.frame));
  }

  get fields(): readonly FieldAnnotation[] {
    const l = this.#lazy;
    if (l.fields) return l.fields;
    const frame = this.frame;
    const { tcpAt, app } = l;
    const eth = decodeEthernet(frame);
    const ip = decodeIpv4(frame.subarray(ETHERNET_HEADER_LENGTH));
    const tcp = decodeTcp(frame.subarray(tcpAt), l.pseudo);
    const out: FieldAnnotation[] = [];
    if (eth.ok) out.push(...eth.fields);
    if (ip.ok) out.push(...shiftFields(ip.fields, ETHERNET_HEADER_LENGTH));
    if (tcp.ok) {
      out.push(...shiftFields(tcp.fields, tcpAt));
      if (app) {
        const appAt = tcpAt + tcp.repr.headerLength;
        out.push(...piecesOf(appWriteFields(app.write), app.offset, frame.length - appAt, appAt));
      }
    }
    out.push(...ethernetTrailerFields(frame));
    l.fields = out;
    return out;
  }

  /** The packet as the timeline's JSON has always shown it: every key, the lazy ones in their old places. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (key === 'arp') out['hops'] = this.hops;
      out[key] = value;
      if (key === 'arp') out['fcs'] = this.fcs;
      else if (key === 'padding') out['fields'] = this.fields;
    }
    return out;
  }
}

/**
 * Build the packet and the segment its receiver gets. `fields`, `fcs` and `hops` are computed when first
 * read (see `SimPacket`): decoding every header of every packet up front would cost more than the whole
 * simulation, and a router's copy of every frame is needed only by the capture and the inspector.
 */
export function buildPacket(input: PacketInput): { packet: Packet; segment: TcpSegmentIn } {
  const { tx, from, to } = input;
  // The IPv4 header Linux writes on TCP: TTL 64, DF set for path MTU discovery (RFC 1191).
  const {
    frame,
    ipv4At,
    tcpAt,
    payloadAt: appAt,
  } = encodeTcpFrame(
    { dst: input.nextHopMac, src: from.mac },
    linuxTcpIpv4(from.ip, to.ip, input.identification & 0xffff),
    {
      srcPort: input.srcPort,
      dstPort: input.dstPort,
      seq: tx.seq,
      ack: tx.ack,
      flags: tx.flags,
      window: tx.window,
      urgent: 0,
      options: tx.options,
    },
    tx.payload,
  );

  const layers: Partial<Record<ProtoLayer, ByteRange>> = {
    ethernet: { start: 0, end: ipv4At },
    ipv4: { start: ipv4At, end: tcpAt },
    tcp: { start: tcpAt, end: appAt },
  };
  const app = appOf(input);
  const piece = tx.piece;
  const write = app.write;
  if (write && piece) {
    layers[write.layer] = { start: appAt, end: frame.length };
    if (piece.offset === 0 && write.firstPacket < 0) write.firstPacket = input.id;
  }
  const lazy: Lazy = {
    tcpAt,
    pseudo: { src: from.ip, dst: to.ip },
    app: write && piece ? { write, offset: piece.offset } : null,
    forward: input.forward,
    hops: null,
    fields: null,
    fcs: undefined,
  };
  const packet: Packet = new SimPacket(input, frame, lazy, layers, app);
  // The receiver reads the segment's values; tests check that decoding the frame gives the same.
  const segment: TcpSegmentIn = {
    seq: tx.seq,
    ack: tx.ack,
    flags: tx.flags,
    window: tx.window,
    options: tx.options,
    payload: frame.subarray(appAt),
  };
  return { packet, segment };
}
