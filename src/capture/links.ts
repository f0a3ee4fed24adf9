/**
 * From a record's bytes to its TCP segment: the link-layer header (by the file's LINKTYPE_* number, tcpdump.org
 * "Link-layer header types"), IPv4 or IPv6, then TCP. Every header read leaves its fields, with offsets into the
 * record's bytes. What is not TCP over IP is named (UDP, ARP, ICMP …) so the reader can count it; what is broken
 * is an error with the offset where it broke. Never throws.
 */
import { view } from '../protocol/bytes';
import { decodeEthernet, ETHER_TYPES, ETHERNET_HEADER_LENGTH, formatEtherType } from '../protocol/ethernet';
import { annotate, readBits, type FieldAnnotation, type FieldTable } from '../protocol/fields';
import { decodeIpv4, IP_PROTOCOL_NAMES, IP_PROTOCOLS } from '../protocol/ipv4';
import { decodeIpv6, IPV6_NEXT_HEADER_NAMES } from '../protocol/ipv6';
import { decodeLoopback } from '../protocol/loopback';
import { decodeSll } from '../protocol/sll';
import { decodeTcp, type TcpDecoded } from '../protocol/tcp';
import type { CapturedSegment, LinkKind } from './model';

/** LINKTYPE_* numbers read here (https://www.tcpdump.org/linktypes.html). */
export const LINK_TYPES = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Some systems' libpcap write LINKTYPE_RAW as DLT_RAW 12 or 14 (OpenBSD); pcap-common.c maps them to 101. */
const RAW_ALIASES = new Set([12, 14]);

export function linkKindOf(linkType: number): LinkKind | null {
  switch (linkType) {
    case LINK_TYPES.ETHERNET:
      return 'ethernet';
    case LINK_TYPES.LINUX_SLL:
      return 'sll';
    case LINK_TYPES.LINUX_SLL2:
      return 'sll2';
    case LINK_TYPES.NULL:
    case LINK_TYPES.LOOP:
      return 'null';
    case LINK_TYPES.RAW:
    case LINK_TYPES.IPV4:
    case LINK_TYPES.IPV6:
      return 'raw';
    default:
      return RAW_ALIASES.has(linkType) ? 'raw' : null;
  }
}

/** IEEE 802.1Q §9.6: the 4-byte VLAN tag after the source MAC (TPID 0x8100, then TCI and the inner EtherType). */
const VLAN_TAG = {
  tpid: {
    name: '802.1Q tag protocol',
    start: 0,
    end: 2,
    meaning: 'Where an EtherType would be, 0x8100 says a VLAN tag follows (IEEE 802.1Q).',
  },
  pcp: {
    name: 'Priority (PCP)',
    start: 2,
    end: 3,
    bits: { start: 0, end: 3 },
    meaning: 'A priority from 0 to 7 switches may use to queue the frame.',
  },
  dei: {
    name: 'Drop eligible (DEI)',
    start: 2,
    end: 3,
    bits: { start: 3, end: 4 },
    meaning: 'Set when the frame may be dropped first under congestion.',
  },
  vid: {
    name: 'VLAN ID',
    start: 2,
    end: 4,
    bits: { start: 4, end: 16 },
    meaning:
      'Which virtual LAN the frame belongs to; a switch keeps VLANs apart as if they were separate cables.',
  },
  etherType: {
    name: 'EtherType',
    start: 4,
    end: 6,
    meaning: 'Which protocol the payload belongs to, after the tag.',
  },
} as const satisfies FieldTable<string>;
const VLAN_TAG_LENGTH = 6; // counted from the TPID, which sits where the untagged EtherType would be
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;

export interface ParsedTcp {
  readonly kind: 'tcp';
  readonly link: LinkKind;
  readonly fields: readonly FieldAnnotation[];
  readonly ranges: CapturedSegment['ranges'];
  readonly ipVersion: 4 | 6;
  readonly ttl: number;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcMac?: string;
  readonly dstMac?: string;
  readonly tcp: TcpDecoded;
  /** Payload length the IP header announces (more than `ranges.payload` holds when the record was cut). */
  readonly payloadLength: number;
}

export type ParsedRecord =
  | ParsedTcp
  /** Not TCP over IP: what it was, for `CaptureSource.skipped`. */
  | {
      readonly kind: 'skip';
      readonly what: string;
      readonly note?: { readonly code: string; readonly message: string };
    }
  /** Meant to be TCP over IP but broken: `what` for `skipped`, and the problem with its offset in the record. */
  | {
      readonly kind: 'error';
      readonly what: string;
      readonly code: string;
      readonly message: string;
      readonly offset: number;
    };

interface LinkHeader {
  readonly link: LinkKind;
  readonly fields: FieldAnnotation[];
  /** Where IP starts, and which IP (null: not IP, named by `what`). */
  readonly ipStart: number;
  readonly ip: 4 | 6 | null;
  readonly what: string;
  readonly srcMac?: string;
  readonly dstMac?: string;
}

type LinkResult = LinkHeader | { readonly error: string; readonly code: string; readonly offset: number };

function ipOfEtherType(etherType: number): 4 | 6 | null {
  return etherType === ETHER_TYPES.IPv4 ? 4 : etherType === ETHER_TYPES.IPv6 ? 6 : null;
}

function etherTypeWhat(etherType: number): string {
  return etherType === ETHER_TYPES.ARP ? 'ARP' : `EtherType ${formatEtherType(etherType)}`;
}

function readLink(linkType: number, data: Uint8Array): LinkResult {
  const kind = linkKindOf(linkType);
  switch (kind) {
    case 'ethernet': {
      const eth = decodeEthernet(data);
      if (!eth.ok)
        return { error: eth.error.message, code: `ethernet-${eth.error.code}`, offset: eth.error.offset };
      const fields = [...eth.fields];
      let etherType = eth.repr.etherType;
      let at = ETHERNET_HEADER_LENGTH;
      // One 802.1Q tag (or an 802.1ad outer tag and an 802.1Q inner one): the EtherType moves 4 bytes on.
      for (let tags = 0; (etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ) && tags < 2; tags++) {
        const tagAt = at - 2;
        if (tagAt + VLAN_TAG_LENGTH > data.length) {
          return { error: 'the 802.1Q VLAN tag is cut short', code: 'vlan-truncated', offset: data.length };
        }
        const tag = data.subarray(tagAt, tagAt + VLAN_TAG_LENGTH);
        etherType = view(tag).getUint16(VLAN_TAG.etherType.start);
        fields.push(
          ...annotate(
            'ethernet',
            VLAN_TAG,
            {
              tpid:
                formatEtherType(view(tag).getUint16(0)) +
                (view(tag).getUint16(0) === ETHERTYPE_QINQ ? ' (802.1ad)' : ' (802.1Q)'),
              pcp: String(readBits(tag, VLAN_TAG.pcp.start, VLAN_TAG.pcp.bits)),
              dei: String(readBits(tag, VLAN_TAG.dei.start, VLAN_TAG.dei.bits)),
              vid: String(readBits(tag, VLAN_TAG.vid.start, VLAN_TAG.vid.bits)),
              etherType: formatEtherType(etherType),
            },
            tagAt,
          ),
        );
        at += 4;
      }
      return {
        link: 'ethernet',
        fields,
        ipStart: at,
        ip: ipOfEtherType(etherType),
        what: etherTypeWhat(etherType),
        srcMac: eth.repr.src,
        dstMac: eth.repr.dst,
      };
    }
    case 'sll':
    case 'sll2': {
      const sll = decodeSll(data, kind === 'sll' ? 1 : 2);
      if (!sll.ok)
        return { error: sll.error.message, code: `${kind}-${sll.error.code}`, offset: sll.error.offset };
      const mac = sll.repr.address.length === 17 ? { srcMac: sll.repr.address } : {};
      return {
        link: kind,
        fields: [...sll.fields],
        ipStart: sll.length,
        ip: ipOfEtherType(sll.repr.protocol),
        what: etherTypeWhat(sll.repr.protocol),
        ...mac,
      };
    }
    case 'null': {
      const lo = decodeLoopback(data, linkType === LINK_TYPES.LOOP);
      if (!lo.ok)
        return { error: lo.error.message, code: `loopback-${lo.error.code}`, offset: lo.error.offset };
      return {
        link: 'null',
        fields: [...lo.fields],
        ipStart: lo.length,
        ip: lo.repr.ip,
        what: `address family ${lo.repr.family}`,
      };
    }
    case 'raw': {
      // LINKTYPE_RAW: the version nibble says which IP; 228/229 promise one of them.
      const version = data.length ? data[0]! >> 4 : 0;
      const ip =
        linkType === LINK_TYPES.IPV4
          ? 4
          : linkType === LINK_TYPES.IPV6
            ? 6
            : version === 4
              ? 4
              : version === 6
                ? 6
                : null;
      return { link: 'raw', fields: [], ipStart: 0, ip, what: `IP version ${version}` };
    }
    case null:
      return {
        error: `link type ${linkType} is not one this reader knows`,
        code: 'unknown-link-type',
        offset: 0,
      };
  }
}

/** Append `from` to `to`, moved by `delta` bytes (one object literal each: cheaper than `shiftFields`' spread). */
function appendShifted(to: FieldAnnotation[], from: readonly FieldAnnotation[], delta: number): void {
  for (const f of from) {
    const start = f.start + delta;
    const end = f.end + delta;
    to.push(
      f.bits === undefined
        ? { layer: f.layer, key: f.key, name: f.name, start, end, value: f.value, meaning: f.meaning }
        : {
            layer: f.layer,
            key: f.key,
            name: f.name,
            start,
            end,
            bits: f.bits,
            value: f.value,
            meaning: f.meaning,
          },
    );
  }
}

function protocolWhat(ipVersion: 4 | 6, protocol: number): string {
  const name = ipVersion === 4 ? IP_PROTOCOL_NAMES[protocol] : IPV6_NEXT_HEADER_NAMES[protocol];
  return name ?? `IP protocol ${protocol}`;
}

/**
 * Read one record: link header, IP, TCP. `originalLength` tells a snaplen cut (the IP length then runs past the
 * bytes) from a broken packet. With `withFields` false the result's `fields` is empty (the reader asks for them
 * again, lazily: see `read.ts`).
 */
export function parseRecord(
  linkType: number,
  data: Uint8Array,
  originalLength: number,
  withFields = true,
): ParsedRecord {
  const link = readLink(linkType, data);
  if ('error' in link) {
    const what = link.code === 'unknown-link-type' ? `link type ${linkType}` : 'malformed link header';
    return { kind: 'error', what, code: link.code, message: link.error, offset: link.offset };
  }
  if (link.ip === null) return { kind: 'skip', what: link.what };
  const ipStart = link.ipStart;
  const ipBytes = data.subarray(ipStart);
  const cut = originalLength > data.length;

  let ipVersion: 4 | 6;
  let ipFields: readonly FieldAnnotation[];
  let tcpStart: number; // in the record
  let ipEnd: number; // where the IP packet ends by its length field, in the record (may be past data.length)
  let ttl: number;
  let srcIp: string;
  let dstIp: string;
  let pseudo: { src: string; dst: string } | undefined;

  if (link.ip === 4) {
    ipVersion = 4;
    let ip = decodeIpv4(ipBytes);
    if (!ip.ok && ip.error.code === 'truncated' && ipBytes.length >= 20) {
      // The capture kept fewer bytes than the IP total length (snaplen, or a broken length): read the header
      // from a zero-filled copy of the declared length, and keep only what was captured.
      const total = view(ipBytes).getUint16(2);
      if (total > ipBytes.length) {
        const padded = new Uint8Array(total);
        padded.set(ipBytes);
        ip = decodeIpv4(padded);
      }
    }
    let tso = false;
    if (!ip.ok && ip.error.code === 'bad-total-length' && view(ipBytes).getUint16(2) === 0) {
      // Total length 0: the packet was captured before the network card split it (TCP segmentation offload) and
      // filled the length in. Wireshark's IPv4 dissector then assumes TSO and uses the captured length; so does this.
      const patched = ipBytes.slice(0, Math.min(ipBytes.length, 0xffff));
      view(patched).setUint16(2, patched.length);
      ip = decodeIpv4(patched);
      tso = ip.ok;
    }
    if (!ip.ok) {
      return {
        kind: 'error',
        what: 'malformed IPv4',
        code: `ipv4-${ip.error.code}`,
        message: ip.error.message,
        offset: ipStart + ip.error.offset,
      };
    }
    const r = ip.repr;
    if (r.moreFragments || r.fragmentOffset > 0) {
      return {
        kind: 'skip',
        what: 'IPv4 fragment',
        note: {
          code: 'ip-fragment',
          message: `an IPv4 fragment (id ${r.identification}, offset ${r.fragmentOffset * 8}${r.moreFragments ? ', more follow' : ''}); fragments are not put back together here`,
        },
      };
    }
    if (r.protocol !== IP_PROTOCOLS.TCP) return { kind: 'skip', what: protocolWhat(4, r.protocol) };
    ipFields = tso
      ? ip.fields.map((f) =>
          f.key === 'totalLength'
            ? { ...f, value: `0 (segmentation offload: ${r.totalLength} captured bytes used)` }
            : f,
        )
      : ip.fields;
    tcpStart = ipStart + r.headerLength;
    ipEnd = ipStart + r.totalLength;
    ttl = r.ttl;
    srcIp = r.src;
    dstIp = r.dst;
    pseudo = { src: r.src, dst: r.dst };
  } else {
    ipVersion = 6;
    const ip = decodeIpv6(ipBytes, { allowShort: true });
    if (!ip.ok) {
      return {
        kind: 'error',
        what: 'malformed IPv6',
        code: `ipv6-${ip.error.code}`,
        message: ip.error.message,
        offset: ipStart + ip.error.offset,
      };
    }
    const r = ip.repr;
    if (r.fragment) {
      return {
        kind: 'skip',
        what: 'IPv6 fragment',
        note: {
          code: 'ip-fragment',
          message: `an IPv6 fragment (id ${r.fragment.id}, offset ${r.fragment.offset * 8}${r.fragment.more ? ', more follow' : ''}); fragments are not put back together here`,
        },
      };
    }
    if (r.protocol !== IP_PROTOCOLS.TCP) return { kind: 'skip', what: protocolWhat(6, r.protocol) };
    ipFields = ip.fields;
    tcpStart = ipStart + r.transportStart;
    ipEnd = ipStart + 40 + r.payloadLength;
    ttl = r.hopLimit;
    srcIp = r.src;
    dstIp = r.dst;
  }

  const captured = Math.min(ipEnd, data.length);
  const shortened = captured < ipEnd;
  let tcpBytes = data.subarray(tcpStart, captured);
  if (shortened) {
    // Read the header from what was captured; the payload is only as long as the capture kept.
    const padded = new Uint8Array(Math.max(ipEnd - tcpStart, 0));
    padded.set(tcpBytes.subarray(0, padded.length));
    tcpBytes = padded;
  }
  // The checksum can only be checked over the whole segment, and (here) only with IPv4 addresses.
  const tcp = decodeTcp(tcpBytes, shortened ? undefined : pseudo);
  if (!tcp.ok) {
    const offset = tcpStart + tcp.error.offset;
    const cutHere = offset >= data.length || tcp.error.code === 'truncated';
    return {
      kind: 'error',
      what: cutHere && cut ? 'TCP header cut by the snapshot length' : 'malformed TCP',
      code: `tcp-${tcp.error.code}`,
      message: tcp.error.message,
      offset,
    };
  }
  if (tcpStart + tcp.repr.headerLength > data.length) {
    return {
      kind: 'error',
      what: 'TCP header cut by the snapshot length',
      code: 'tcp-truncated',
      message: `the TCP header (${tcp.repr.headerLength} bytes) was not captured whole`,
      offset: data.length,
    };
  }
  const payloadStart = tcpStart + tcp.repr.headerLength;
  const fields = withFields ? link.fields : [];
  if (withFields) {
    appendShifted(fields, ipFields, ipStart);
    appendShifted(fields, tcp.fields, tcpStart);
  }
  const macs = {
    ...(link.srcMac === undefined ? {} : { srcMac: link.srcMac }),
    ...(link.dstMac === undefined ? {} : { dstMac: link.dstMac }),
  };
  return {
    kind: 'tcp',
    link: link.link,
    fields,
    ranges: {
      link: [0, ipStart],
      ip: [ipStart, tcpStart],
      tcp: [tcpStart, payloadStart],
      payload: [payloadStart, Math.max(payloadStart, captured)],
    },
    ipVersion,
    ttl,
    srcIp,
    dstIp,
    ...macs,
    tcp: tcp.repr,
    payloadLength: Math.max(ipEnd - payloadStart, 0),
  };
}
