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
import type { AppInfo, ByteRange, HostInfo, LinkFrame, Packet, PacketHop } from '../types';

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

/**
 * The annotations come from decoding the frame, and the FCS from a CRC over it: both are computed
 * the first time a view asks, then kept. Built in its own scope so each packet's closures hold only
 * what they need (the frame and where its application bytes came from), not the whole transmission.
 */
function lazyParts(
  frame: Uint8Array,
  tcpAt: number,
  pseudo: { readonly src: string; readonly dst: string },
  app: { readonly write: AppWrite; readonly offset: number } | null,
): { fields: () => readonly FieldAnnotation[]; fcs: () => number } {
  let fields: readonly FieldAnnotation[] | null = null;
  let fcs: number | undefined;
  return {
    fcs: () => (fcs ??= ethernetFcs(frame)),
    fields: () => {
      if (fields) return fields;
      const eth = decodeEthernet(frame);
      const ip = decodeIpv4(frame.subarray(ETHERNET_HEADER_LENGTH));
      const tcp = decodeTcp(frame.subarray(tcpAt), pseudo);
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
      fields = out;
      return out;
    },
  };
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

function appOf(input: PacketInput): { info?: AppInfo; summary: string; write?: AppWrite } {
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

/**
 * Build the packet and the segment its receiver gets. `fields` and `fcs` are lazy, cached properties:
 * decoding every header of every packet up front would cost more than the whole simulation.
 */
export function buildPacket(input: PacketInput): { packet: Packet; segment: TcpSegmentIn } {
  const { tx, from, to } = input;
  const pseudo = { src: from.ip, dst: to.ip };
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
  if (app.write && piece) {
    layers[app.write.layer] = { start: appAt, end: frame.length };
    if (piece.offset === 0 && app.write.firstPacket < 0) app.write.firstPacket = input.id;
  }
  const write = app.write;
  const lazy = lazyParts(frame, tcpAt, pseudo, write && piece ? { write, offset: piece.offset } : null);

  const hops = input.forward(frame);
  const prefix =
    tx.retransmits === undefined
      ? ''
      : tx.reason === 'fast-retransmit'
        ? '[TCP Fast Retransmission] '
        : '[TCP Retransmission] ';
  const tcp: Packet['tcp'] = {
    srcPort: input.srcPort,
    dstPort: input.dstPort,
    seq: tx.seq,
    ack: tx.ack,
    flags: tx.flags,
    len: tx.payload.length,
    relSeq: tx.relSeq,
    relAck: tx.relAck,
  };
  // One literal per shape, no spreads (a literal with spreads and getters takes V8's slow path, and this
  // runs for every packet); the keys keep the order the timeline's JSON shows.
  const packet: Omit<Packet, 'app' | 'summary' | 'unresolved'> & {
    app?: AppInfo;
    summary?: string;
    unresolved?: boolean;
  } =
    tx.retransmits === undefined
      ? {
          id: input.id,
          wireIndex: input.wireIndex,
          from: from.id,
          to: to.id,
          connection: input.connection,
          sentAt: input.sentAtNs / 1e6,
          arrivesAt: input.arrivesAtNs / 1e6,
          lost: input.lost,
          frame,
          segment: input.segment,
          hops,
          arp: input.arp,
          get fcs() {
            return lazy.fcs();
          },
          padding: ethernetPadding(frame.length),
          get fields() {
            return lazy.fields();
          },
          layers,
          tcp,
          ...(tx.ackWhy ? { ackWhy: tx.ackWhy } : {}),
        }
      : {
          id: input.id,
          wireIndex: input.wireIndex,
          from: from.id,
          to: to.id,
          connection: input.connection,
          sentAt: input.sentAtNs / 1e6,
          arrivesAt: input.arrivesAtNs / 1e6,
          lost: input.lost,
          retransmissionOf: tx.retransmits,
          retransmitReason: tx.reason ?? 'timeout',
          frame,
          segment: input.segment,
          hops,
          arp: input.arp,
          get fcs() {
            return lazy.fcs();
          },
          padding: ethernetPadding(frame.length),
          get fields() {
            return lazy.fields();
          },
          layers,
          tcp,
          ...(tx.ackWhy ? { ackWhy: tx.ackWhy } : {}),
        };
  if (input.unresolved) packet.unresolved = true;
  if (app.info) packet.app = app.info;
  packet.summary = prefix + app.summary;
  // The receiver reads the segment's values; tests check that decoding the frame gives the same.
  const segment: TcpSegmentIn = {
    seq: tx.seq,
    ack: tx.ack,
    flags: tx.flags,
    window: tx.window,
    options: tx.options,
    payload: frame.subarray(appAt),
  };
  return { packet: packet as Packet, segment };
}
