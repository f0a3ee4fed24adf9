/**
 * Linux "cooked" capture headers: what libpcap writes in place of a link-layer header when capturing on
 * `any` (or on a device with no usable link header). LINKTYPE_LINUX_SLL (113, 16 bytes: `tcpdump -i any`)
 * and LINKTYPE_LINUX_SLL2 (276, 20 bytes: newer tcpdump and dumpcap, which add the interface index).
 * Layouts: https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and LINKTYPE_LINUX_SLL2.html.
 */
import { formatEtherType } from './ethernet';
import { hex16, toHex, view } from './bytes';
import { annotate, fail, tableLength, type DecodeResult, type FieldTable } from './fields';

/** Packet types (Linux `include/uapi/linux/if_packet.h`, PACKET_HOST …). */
export const SLL_PACKET_TYPES = ['to us', 'broadcast', 'multicast', 'to another host', 'sent by us'] as const;

/** ARPHRD_* hardware types seen on a Linux `any` capture (Linux `include/uapi/linux/if_arp.h`). */
const ARPHRD_NAMES: { readonly [n: number]: string } = { 1: 'Ethernet', 772: 'Loopback', 65534: 'None' };

const SLL = {
  packetType: {
    name: 'Packet type',
    start: 0,
    end: 2,
    // tcpdump.org LINKTYPE_LINUX_SLL "packet type" and Linux include/uapi/linux/if_packet.h: 0 PACKET_HOST,
    // 1 BROADCAST, 2 MULTICAST, 3 OTHERHOST (seen in promiscuous mode), 4 OUTGOING.
    meaning:
      'Which way the packet went, as Linux saw it: to this host, broadcast, multicast, to another host (seen only when listening to everything), or sent by this host.',
  },
  arphrd: {
    name: 'Link-layer address type',
    start: 2,
    end: 4,
    // tcpdump.org LINKTYPE_LINUX_SLL; Linux include/uapi/linux/if_arp.h: ARPHRD_ETHER 1, ARPHRD_LOOPBACK 772.
    meaning: 'The kind of interface (ARPHRD_ type): 1 = Ethernet, 772 = loopback.',
  },
  addressLength: {
    name: 'Link-layer address length',
    start: 4,
    end: 6,
    // tcpdump.org LINKTYPE_LINUX_SLL (sll_halen, from Linux net/packet/af_packet.c dev_parse_header()); Linux's
    // loopback uses Ethernet's header ops (drivers/net/loopback.c), so lo gives 6 zero bytes.
    meaning:
      "How many of the next 8 bytes hold the sender's address (6 for a MAC; on loopback too, all zeros).",
  },
  address: {
    name: 'Source address',
    start: 6,
    end: 14,
    // libpcap/pcap/sll.h (tcpdump.org LINKTYPE_LINUX_SLL): the source link-layer address, in 8 bytes.
    meaning: "The link-layer address of the packet's sender (a MAC on Ethernet), padded to 8 bytes.",
  },
  protocol: {
    name: 'Protocol',
    start: 14,
    end: 16,
    // libpcap/pcap/sll.h: an Ethernet protocol field, except for a few values (LINUX_SLL_P_802_2, _CAN …).
    meaning:
      'Usually an EtherType, as in an Ethernet header: what the payload is (0x0800 IPv4, 0x86dd IPv6).',
  },
} as const satisfies FieldTable<string>;

const SLL2 = {
  protocol: { ...SLL.protocol, start: 0, end: 2 },
  reserved: { name: 'Reserved', start: 2, end: 4, meaning: 'Unused; zero.' },
  ifindex: {
    name: 'Interface index',
    start: 4,
    end: 8,
    // tcpdump.org LINKTYPE_LINUX_SLL2 "interface index"; Linux registers lo first in a network namespace
    // (drivers/net/loopback.c loopback_net_init()), so it usually gets index 1.
    meaning: "Linux's number for the interface the packet crossed (`ip link` lists them; 1 is usually lo).",
  },
  arphrd: { ...SLL.arphrd, start: 8, end: 10 },
  packetType: { ...SLL.packetType, start: 10, end: 11 },
  addressLength: { ...SLL.addressLength, start: 11, end: 12 },
  address: { ...SLL.address, start: 12, end: 20 },
} as const satisfies FieldTable<string>;

export const SLL_HEADER_LENGTH = tableLength(SLL);
export const SLL2_HEADER_LENGTH = tableLength(SLL2);

export interface SllRepr {
  /** 1 = SLL, 2 = SLL2. */
  readonly version: 1 | 2;
  readonly packetType: number;
  readonly arphrd: number;
  /** The sender's link-layer address, `aa:bb:…` (only its `addressLength` bytes); '' when it has none. */
  readonly address: string;
  readonly protocol: number;
  /** SLL2 only. */
  readonly ifindex?: number;
}

function packetTypeName(t: number): string {
  return `${t} (${SLL_PACKET_TYPES[t] ?? 'unknown'})`;
}

function arphrdName(t: number): string {
  return ARPHRD_NAMES[t] === undefined ? String(t) : `${t} (${ARPHRD_NAMES[t]})`;
}

/** A LINKTYPE_LINUX_SLL (version 1) or LINKTYPE_LINUX_SLL2 (version 2) header; `payload` is the packet after it. */
export function decodeSll(bytes: Uint8Array, version: 1 | 2): DecodeResult<SllRepr> {
  const T = version === 1 ? SLL : SLL2;
  const length = version === 1 ? SLL_HEADER_LENGTH : SLL2_HEADER_LENGTH;
  if (bytes.length < length) {
    // libpcap/pcap/sll.h: SLL_HDR_LEN 16, SLL2_HDR_LEN 20.
    return fail(
      'truncated',
      `Linux cooked header (SLL${version === 2 ? '2' : ''}) needs ${length} bytes, got ${bytes.length}`,
      bytes.length,
    );
  }
  const dv = view(bytes);
  const addressLength = version === 1 ? dv.getUint16(T.addressLength.start) : bytes[T.addressLength.start]!;
  const address = bytes.subarray(T.address.start, T.address.start + Math.min(addressLength, 8));
  const packetType = version === 1 ? dv.getUint16(T.packetType.start) : bytes[T.packetType.start]!;
  const repr: SllRepr = {
    version,
    packetType,
    arphrd: dv.getUint16(T.arphrd.start),
    address: toHex(address, ':'),
    protocol: dv.getUint16(T.protocol.start),
    ...(version === 2 ? { ifindex: dv.getUint32(SLL2.ifindex.start) } : {}),
  };
  const common = {
    packetType: packetTypeName(packetType),
    arphrd: arphrdName(repr.arphrd),
    addressLength: String(addressLength),
    address: repr.address === '' ? '(none)' : repr.address,
    protocol: formatEtherType(repr.protocol),
  };
  const fields =
    version === 1
      ? annotate('sll', SLL, common)
      : annotate('sll', SLL2, {
          ...common,
          reserved: hex16(dv.getUint16(SLL2.reserved.start)),
          ifindex: String(repr.ifindex),
        });
  return { ok: true, repr, payload: bytes.subarray(length), fields, length };
}

export function describeSll(repr: SllRepr): string {
  const from = repr.address === '' ? '' : ` from ${repr.address}`;
  // libpcap/pcap/sll.h: packet type, source address, protocol.
  return `Linux cooked (SLL${repr.version === 2 ? '2' : ''}) ${SLL_PACKET_TYPES[repr.packetType] ?? 'packet'}${from}, type ${formatEtherType(repr.protocol)}`;
}
