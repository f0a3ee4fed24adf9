/**
 * One TCP segment as a whole Ethernet frame: the TCP header with its pseudo-header checksum
 * (RFC 9293 §3.1), inside an IPv4 header (RFC 791 §3.1), inside an Ethernet II header (IEEE 802.3
 * §3.2 with the DIX type field). The only place the three encoders are stacked, so every frame the
 * simulator, the fixtures and the wire test produce is built the same way.
 *
 * The frame is what a sender-side capture shows: no padding, no FCS (see `ethernet.ts`).
 */
import { slabBytes } from './bytes';
import { ETHER_TYPES, ETHERNET_HEADER_LENGTH, writeEthernetHeader, type EthernetRepr } from './ethernet';
import { IP_PROTOCOLS, IPV4_HEADER_LENGTH, writeIpv4Header, type Ipv4Repr } from './ipv4';
import { planTcp, writeTcp, type TcpRepr } from './tcp';

/** Linux's default IPv4 TTL (net.ipv4.ip_default_ttl). */
export const LINUX_DEFAULT_TTL = 64;

/** The IPv4 header fields of a TCP segment; the protocol is always TCP. */
export type TcpIpv4Header = Omit<Ipv4Repr, 'protocol'>;

/** The Ethernet addresses of a frame carrying IPv4; the EtherType is always IPv4. */
export type Ipv4EthernetHeader = Omit<EthernetRepr, 'etherType'>;

/**
 * The IPv4 header Linux puts on a TCP segment: default TTL, Don't Fragment set (path MTU discovery,
 * RFC 1191), no fragmentation, best-effort DSCP, no ECN.
 */
export function linuxTcpIpv4(src: string, dst: string, identification: number): TcpIpv4Header {
  return {
    src,
    dst,
    ttl: LINUX_DEFAULT_TTL,
    identification,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    dscp: 0,
    ecn: 0,
  };
}

/** A frame and where each layer starts in it; each layer runs to the start of the next. */
export interface TcpFrame {
  readonly frame: Uint8Array;
  /** Start of the IPv4 header (the end of the Ethernet header). */
  readonly ipv4At: number;
  /** Start of the TCP header. */
  readonly tcpAt: number;
  /** Start of the TCP payload (`frame.length` when there is none). */
  readonly payloadAt: number;
}

/**
 * Encode `tcp` + `payload` (checksum over the pseudo-header of `ipv4`'s addresses), wrap it in
 * `ipv4` with protocol TCP, then in an Ethernet II header with EtherType IPv4: the same bytes as
 * `encodeEthernet(…, encodeIpv4(…, encodeTcp(…)))`, written once into one buffer.
 */
export function encodeTcpFrame(
  ethernet: Ipv4EthernetHeader,
  ipv4: TcpIpv4Header,
  tcp: TcpRepr,
  payload: Uint8Array,
): TcpFrame {
  const segment = planTcp(tcp, payload, { src: ipv4.src, dst: ipv4.dst });
  const ipv4At = ETHERNET_HEADER_LENGTH;
  const tcpAt = ipv4At + IPV4_HEADER_LENGTH;
  // A view into a shared buffer (bytes.ts slabBytes): one allocation per ~50 full-size frames instead of one each.
  const frame = slabBytes(tcpAt + segment.length);
  writeTcp(frame, tcpAt, segment);
  // Every field named, not `{ ...ipv4, protocol }`: a spread copy takes V8's slow path, once per packet.
  const header: Ipv4Repr = {
    src: ipv4.src,
    dst: ipv4.dst,
    protocol: IP_PROTOCOLS.TCP,
    ttl: ipv4.ttl,
    identification: ipv4.identification,
    dontFragment: ipv4.dontFragment,
    moreFragments: ipv4.moreFragments,
    fragmentOffset: ipv4.fragmentOffset,
    dscp: ipv4.dscp,
    ecn: ipv4.ecn,
  };
  writeIpv4Header(frame, ipv4At, header, segment.length);
  writeEthernetHeader(frame, 0, { dst: ethernet.dst, src: ethernet.src, etherType: ETHER_TYPES.IPv4 });
  return { frame, ipv4At, tcpAt, payloadAt: frame.length - payload.length };
}
