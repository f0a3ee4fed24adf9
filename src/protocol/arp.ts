/**
 * ARP for IPv4 over Ethernet (RFC 826), the 28-byte packet an Ethernet frame of type 0x0806 carries:
 * "who has 192.0.2.1? tell 192.0.2.10" (a request, broadcast) and "192.0.2.1 is at 02:00:00:00:00:01"
 * (a reply, unicast to the asker). Only hardware type 1 (Ethernet) with protocol type 0x0800 (IPv4) is
 * decoded; anything else is refused with a clear error.
 */
import { hex16, view } from './bytes';
import { formatMac, parseMac } from './ethernet';
import { annotate, fail, tableLength, type DecodeResult, type FieldTable } from './fields';
import { formatIpv4Address, ipv4AddressBytes } from './ipv4';

// RFC 826 "Packet format": ar$hrd, ar$pro, ar$hln, ar$pln, ar$op, ar$sha, ar$spa, ar$tha, ar$tpa.
const TABLE = {
  hardwareType: {
    name: 'Hardware type',
    start: 0,
    end: 2,
    // RFC 826 "Packet format" ar$hrd; 1 = Ethernet in IANA's ARP Hardware Types.
    meaning: 'What kind of link the addresses belong to: 1 is Ethernet (RFC 826 ar$hrd).',
  },
  protocolType: {
    name: 'Protocol type',
    start: 2,
    end: 4,
    // RFC 826 "Packet format" ar$pro: the EtherType of the protocol.
    meaning: 'Which network-layer address is being resolved: 0x0800 is IPv4 (RFC 826 ar$pro).',
  },
  hardwareSize: {
    name: 'Hardware size',
    start: 4,
    end: 5,
    // RFC 826 "Packet format" ar$hln.
    meaning: 'Bytes in a hardware address: 6 for a MAC (RFC 826 ar$hln).',
  },
  protocolSize: {
    name: 'Protocol size',
    start: 5,
    end: 6,
    // RFC 826 "Packet format" ar$pln.
    meaning: 'Bytes in a protocol address: 4 for IPv4 (RFC 826 ar$pln).',
  },
  opcode: {
    name: 'Opcode',
    start: 6,
    end: 8,
    // RFC 826 ar$op: ares_op$REQUEST 1, ares_op$REPLY 2; the quoted words are tcpdump's and Wireshark's.
    meaning: '1 asks ("who has…?"), 2 answers ("…is at…") (RFC 826 ar$op).',
  },
  senderMac: {
    name: 'Sender MAC address',
    start: 8,
    end: 14,
    // RFC 826 "Packet Reception": the receiver updates, or if it is the target adds, the sender's pair.
    meaning: "The asker's (or answerer's) own MAC; the receiver may remember it (RFC 826 ar$sha).",
  },
  senderIp: {
    name: 'Sender IP address',
    start: 14,
    end: 18,
    // RFC 826 "Packet format" ar$spa.
    meaning: "The sender's own IPv4 address, paired with its MAC (RFC 826 ar$spa).",
  },
  targetMac: {
    name: 'Target MAC address',
    start: 18,
    end: 24,
    // RFC 826 "Packet Generation": a request does not set ar$tha to anything in particular; Linux sends zeros
    // (net/ipv4/arp.c arp_create()); "Packet Reception": the reply swaps sender and target.
    meaning:
      'In a request it is what is being asked for, so it is left empty (Linux sends zeros); in a reply, the MAC of the one who asked (RFC 826 ar$tha).',
  },
  targetIp: {
    name: 'Target IP address',
    start: 24,
    end: 28,
    // RFC 826 "Packet Generation" and "Packet Reception" (the reply swaps sender and target).
    meaning: "The address whose MAC is wanted (request), or the asker's address (reply) (RFC 826 ar$tpa).",
  },
} as const satisfies FieldTable<string>;

export const ARP_LENGTH = tableLength(TABLE);
/** RFC 826: ares_hrd$Ethernet. */
export const ARP_HARDWARE_ETHERNET = 1;
/** RFC 826 ar$pro uses the EtherType of the protocol: IPv4. */
export const ARP_PROTOCOL_IPV4 = 0x0800;
export const ARP_OPCODES = { request: 1, reply: 2 } as const;
export type ArpOperation = keyof typeof ARP_OPCODES;

export interface ArpRepr {
  readonly operation: ArpOperation;
  readonly senderMac: string;
  readonly senderIp: string;
  readonly targetMac: string;
  readonly targetIp: string;
}

/** The 28 bytes of `repr`. Throws RangeError on a malformed address (a programming error). */
export function encodeArp(repr: ArpRepr): Uint8Array {
  const out = new Uint8Array(ARP_LENGTH);
  const dv = view(out);
  dv.setUint16(TABLE.hardwareType.start, ARP_HARDWARE_ETHERNET);
  dv.setUint16(TABLE.protocolType.start, ARP_PROTOCOL_IPV4);
  out[TABLE.hardwareSize.start] = 6;
  out[TABLE.protocolSize.start] = 4;
  dv.setUint16(TABLE.opcode.start, ARP_OPCODES[repr.operation]);
  out.set(parseMac(repr.senderMac), TABLE.senderMac.start);
  out.set(ipv4AddressBytes(repr.senderIp), TABLE.senderIp.start);
  out.set(parseMac(repr.targetMac), TABLE.targetMac.start);
  out.set(ipv4AddressBytes(repr.targetIp), TABLE.targetIp.start);
  return out;
}

/** Decode an ARP packet (the Ethernet payload). Bytes after the 28 (Ethernet padding) are the `payload`. */
export function decodeArp(bytes: Uint8Array): DecodeResult<ArpRepr> {
  if (bytes.length < ARP_LENGTH) {
    // RFC 826 "Packet format": 8 bytes plus two address pairs, 28 for Ethernet and IPv4.
    return fail('truncated', `ARP packet needs ${ARP_LENGTH} bytes, got ${bytes.length}`, bytes.length);
  }
  const dv = view(bytes);
  const hrd = dv.getUint16(TABLE.hardwareType.start);
  if (hrd !== ARP_HARDWARE_ETHERNET) {
    // RFC 826 ar$hrd: this inspector reads Ethernet ARP only (Wirewalk's choice).
    return fail('unsupported', `ARP hardware type ${hrd} is not Ethernet (1)`, TABLE.hardwareType.start);
  }
  const pro = dv.getUint16(TABLE.protocolType.start);
  if (pro !== ARP_PROTOCOL_IPV4) {
    // RFC 826 ar$pro: this inspector reads IPv4 ARP only (Wirewalk's choice).
    return fail(
      'unsupported',
      `ARP protocol type ${hex16(pro)} is not IPv4 (0x0800)`,
      TABLE.protocolType.start,
    );
  }
  if (bytes[TABLE.hardwareSize.start] !== 6 || bytes[TABLE.protocolSize.start] !== 4) {
    // RFC 826 ar$hln and ar$pln.
    return fail(
      'bad-length',
      `ARP for Ethernet and IPv4 has address sizes 6 and 4, got ${bytes[4]} and ${bytes[5]}`,
      TABLE.hardwareSize.start,
    );
  }
  const op = dv.getUint16(TABLE.opcode.start);
  const operation: ArpOperation | null = op === 1 ? 'request' : op === 2 ? 'reply' : null;
  if (operation === null) {
    // RFC 826 ar$op (RARP and others use other opcodes).
    return fail('unsupported', `ARP opcode ${op} is neither request (1) nor reply (2)`, TABLE.opcode.start);
  }
  const part = (k: keyof typeof TABLE): Uint8Array => bytes.subarray(TABLE[k].start, TABLE[k].end);
  const repr: ArpRepr = {
    operation,
    senderMac: formatMac(part('senderMac')),
    senderIp: formatIpv4Address(part('senderIp')),
    targetMac: formatMac(part('targetMac')),
    targetIp: formatIpv4Address(part('targetIp')),
  };
  const fields = annotate('arp', TABLE, {
    hardwareType: `Ethernet (${hrd})`,
    protocolType: `IPv4 (${hex16(pro)})`,
    hardwareSize: '6',
    protocolSize: '4',
    opcode: `${operation} (${op})`,
    senderMac: repr.senderMac,
    senderIp: repr.senderIp,
    targetMac: repr.targetMac,
    targetIp: repr.targetIp,
  });
  return { ok: true, repr, payload: bytes.subarray(ARP_LENGTH), fields, length: ARP_LENGTH };
}

/** Wireshark's one-line summary: `Who has 192.0.2.1? Tell 192.0.2.10` / `192.0.2.1 is at 02:00:00:00:00:01`. */
export function describeArp(repr: ArpRepr): string {
  return repr.operation === 'request'
    ? `Who has ${repr.targetIp}? Tell ${repr.senderIp}`
    : `${repr.senderIp} is at ${repr.senderMac}`;
}
