/**
 * TCP segment header (RFC 9293 §3.1) with the options a real Linux handshake carries:
 * MSS (RFC 9293 §3.7.1), window scale and timestamps (RFC 7323), SACK-permitted (RFC 2018),
 * NOP and EOL (RFC 9293 §3.1). The checksum covers the IPv4 pseudo-header.
 */
import { concatBytes, hex16, putUint16, putUint32, toHex, view } from './bytes';
import { internetChecksum, verifyChecksum } from './checksum';
import {
  annotate,
  fail,
  namesByValue,
  readBits,
  tableLength,
  uintChecker,
  wordCountedLength,
  writeBits,
  type DecodeResult,
  type FieldAnnotation,
  type FieldSpec,
  type FieldTable,
} from './fields';
import { IP_PROTOCOLS, ipv4AddressBytes, tryParseIpv4Address } from './ipv4';

export const TCP_FLAGS = {
  CWR: 0x80,
  ECE: 0x40,
  URG: 0x20,
  ACK: 0x10,
  PSH: 0x08,
  RST: 0x04,
  SYN: 0x02,
  FIN: 0x01,
} as const;
export type TcpFlagName = keyof typeof TCP_FLAGS;
const FLAG_NAMES = Object.keys(TCP_FLAGS) as TcpFlagName[];

/** Option kinds (IANA "TCP Option Kind Numbers"). */
export const TCP_OPTION_KINDS = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WS: 3,
  SACK_PERM: 4,
  SACK: 5,
  TS: 8,
  UTO: 28,
  'TCP-AO': 29,
  MPTCP: 30,
  TFO: 34,
} as const;
export const TCP_OPTION_KIND_NAMES = namesByValue(TCP_OPTION_KINDS);

/** Exact lengths of the options this module models (kind, length, data). */
const OPTION_LENGTHS: { readonly [kind: number]: number } = {
  [TCP_OPTION_KINDS.MSS]: 4,
  [TCP_OPTION_KINDS.WS]: 3,
  [TCP_OPTION_KINDS.SACK_PERM]: 2,
  [TCP_OPTION_KINDS.TS]: 10,
};

export type TcpOption =
  | { readonly kind: 'eol' }
  | { readonly kind: 'nop' }
  | { readonly kind: 'mss'; readonly value: number }
  | { readonly kind: 'window-scale'; readonly shift: number }
  | { readonly kind: 'sack-permitted' }
  /**
   * RFC 2018 §3: kind 5, length 2 + 8n, then n blocks of (left edge, right edge) as absolute 32-bit
   * sequence numbers: each block is data received beyond the cumulative ACK, right edge exclusive.
   */
  | { readonly kind: 'sack'; readonly blocks: readonly SackBlock[] }
  | { readonly kind: 'timestamps'; readonly tsval: number; readonly tsecr: number }
  | { readonly kind: 'unknown'; readonly type: number; readonly data: Uint8Array };

/** One SACK block (RFC 2018 §3): the first sequence number of a received run, and the one after it. */
export interface SackBlock {
  readonly left: number;
  readonly right: number;
}

/** RFC 2018 §3: at most four blocks fit in the 40 option bytes; with timestamps at most three. */
export const MAX_SACK_BLOCKS = 4;

export interface TcpRepr {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: readonly TcpFlagName[];
  readonly window: number;
  readonly urgent: number;
  readonly options: readonly TcpOption[];
}

/** IPv4 addresses for the pseudo-header; protocol is always 6. */
export interface PseudoHeader {
  readonly src: string;
  readonly dst: string;
}

export type TcpDecoded = TcpRepr & {
  readonly headerLength: number;
  readonly checksum: number;
  readonly checksumOk: boolean | null;
};

const FIXED = {
  srcPort: {
    name: 'Source port',
    start: 0,
    end: 2,
    // RFC 9293 §3.1 (Source Port); RFC 6056 §2 and §3: the client's "ephemeral" port, picked by the operating
    // system (Linux: net/ipv4/inet_hashtables.c __inet_hash_connect(), from ip_local_port_range 32768-60999).
    meaning:
      'The port of the program that sent this segment (for a browser, an "ephemeral" port the operating system picks at random from a range).',
  },
  dstPort: {
    name: 'Destination port',
    start: 2,
    end: 4,
    // RFC 9293 §3.1 (Destination Port); RFC 9110 §4.2.1 and §4.2.2: http defaults to 80, https to 443.
    meaning: 'The port of the program this segment is for (80 for HTTP, 443 for HTTPS).',
  },
  seq: {
    name: 'Sequence number',
    start: 4,
    end: 8,
    // RFC 9293 §3.1 (Sequence Number: on a SYN it is the ISN, and the first data byte is ISN+1); §3.4.1 and
    // RFC 6528: each side's initial number comes from a clock plus a keyed hash, so outsiders cannot guess it.
    meaning:
      'Number of the first data byte in this segment (on a SYN: the initial number, and the first data byte is one more). Each side starts from a number outsiders cannot guess.',
  },
  ack: {
    name: 'Acknowledgment number',
    start: 8,
    end: 12,
    // RFC 9293 §3.1: Acknowledgment Number, valid when ACK is set: the next sequence number expected.
    meaning:
      'When ACK is set: the next byte the sender expects from the other side: "I have everything before this".',
  },
  dataOffset: {
    name: 'Data offset',
    start: 12,
    end: 13,
    bits: { start: 0, end: 4 },
    // RFC 9293 §3.1: Data Offset, the number of 32-bit words in the TCP header.
    meaning: 'Header length in 32-bit words (5 = 20 bytes, no options); the data starts after it.',
  },
  reserved: {
    name: 'Reserved',
    start: 12,
    end: 13,
    bits: { start: 4, end: 8 },
    // RFC 9293 §3.1: Rsrvd, must be zero in generated segments and ignored in received ones.
    meaning: 'Reserved for future use, sent as zero (RFC 9293 §3.1).',
  },
} as const satisfies FieldTable<string>;

/** RFC 9293 §3.1: the control bits are byte 13, CWR in the most significant bit. */
const FLAGS_BYTE = 13;

const FLAG_INFO: { readonly [F in TcpFlagName]: { readonly name: string; readonly meaning: string } } = {
  CWR: {
    // RFC 3168 §6.1: the flag's name.
    name: 'CWR (Congestion Window Reduced)',
    // RFC 3168 §6.1.2: CWR tells the other side the sender reduced its congestion window after an ECE.
    meaning: 'The sender slowed down after the other side echoed a congestion mark (RFC 3168).',
  },
  ECE: {
    name: 'ECE (ECN-Echo)',
    // RFC 3168 §6.1.3: a receiver that got a CE-marked packet sets ECE on its ACKs; §6.1.1: ECE with CWR on a
    // SYN offers ECN.
    meaning:
      'A router marked congestion on a packet this side received, and this side echoes it to the sender; on a SYN it offers ECN instead (RFC 3168).',
  },
  URG: {
    name: 'URG (Urgent)',
    // RFC 9293 §3.1 (URG); RFC 6093 recommends that new applications not use the urgent mechanism.
    meaning: 'The urgent pointer is valid. Almost never used today.',
  },
  ACK: {
    name: 'ACK (Acknowledgment)',
    // RFC 9293 §3.1: "once a connection is established, this is always sent"; §3.5: only the first SYN lacks it.
    meaning: 'The acknowledgment number is valid. Set on every segment after the very first SYN.',
  },
  PSH: {
    name: 'PSH (Push)',
    // RFC 9293 §3.9.1 (SEND's PUSH): a receiver seeing PSH must not wait for more data before passing it on.
    meaning: 'Hand the data to the application now instead of waiting for more.',
  },
  RST: {
    name: 'RST (Reset)',
    // RFC 9293 §3.5.2: a segment for a connection that does not exist (no listener) is answered with RST.
    meaning: 'Abort the connection at once (for example: nobody listens on that port).',
  },
  SYN: {
    name: 'SYN (Synchronize)',
    // RFC 9293 §3.4 and §3.5: SYN synchronizes the initial sequence numbers and occupies one sequence number.
    meaning:
      'Opens a connection and carries the initial sequence number; counts as one byte of sequence space.',
  },
  FIN: {
    name: 'FIN (Finish)',
    // RFC 9293 §3.6: FIN means no more data from the sender; §3.4: it occupies one sequence number.
    meaning: 'The sender has no more data to send; counts as one byte of sequence space.',
  },
};

type FlagKey = `flag${Capitalize<Lowercase<TcpFlagName>>}`;
function flagKey(flag: TcpFlagName): FlagKey {
  return `flag${flag[0]}${flag.slice(1).toLowerCase()}` as FlagKey;
}

/** One spec per flag, bit position derived from its mask in `TCP_FLAGS`. */
const FLAG_TABLE = Object.fromEntries(
  FLAG_NAMES.map((flag): [FlagKey, FieldSpec] => {
    const bit = 7 - Math.log2(TCP_FLAGS[flag]);
    return [
      flagKey(flag),
      {
        name: FLAG_INFO[flag].name,
        start: FLAGS_BYTE,
        end: FLAGS_BYTE + 1,
        bits: { start: bit, end: bit + 1 },
        meaning: FLAG_INFO[flag].meaning,
      },
    ];
  }),
) as FieldTable<FlagKey>;

/** Each flag's spec by its name, looked up once here rather than by building its key for every segment. */
const FLAG_SPECS = Object.fromEntries(FLAG_NAMES.map((flag) => [flag, FLAG_TABLE[flagKey(flag)]])) as {
  readonly [F in TcpFlagName]: FieldSpec;
};

const TAIL = {
  window: {
    name: 'Window',
    start: 14,
    end: 16,
    // RFC 9293 §3.1: Window, the bytes the sender accepts beginning with the acknowledged one; RFC 7323 §2.2 and
    // §2.3: scaled only when both SYNs carried the option, and never in a SYN itself.
    meaning:
      'How many more bytes, from the acknowledgment number on, the sender can accept right now (flow control). If both sides sent the window scale option, it is multiplied by 2^shift on every segment without the SYN flag.',
  },
  checksum: {
    name: 'Checksum',
    start: 16,
    end: 18,
    // RFC 9293 §3.1: the one's complement of the one's complement sum over the pseudo-header (source, destination,
    // zero, protocol, TCP length), the header and the data.
    meaning:
      "A checksum (the one's complement of the one's-complement sum) over a pseudo-header (both IP addresses, protocol, TCP length), the TCP header and the data.",
  },
  urgent: {
    name: 'Urgent pointer',
    start: 18,
    end: 20,
    // RFC 9293 §3.1: the urgent pointer, read only when URG is set, points just past the urgent data.
    meaning: 'Only meaningful with the URG flag: where urgent data ends. Normally 0.',
  },
} as const satisfies FieldTable<string>;

type FixedKey = keyof typeof FIXED | FlagKey | keyof typeof TAIL;
const TABLE: FieldTable<FixedKey> = { ...FIXED, ...FLAG_TABLE, ...TAIL };

const MIN_HEADER = tableLength(TABLE);
/** The data offset is 4 bits: at most 15 words. */
const MAX_HEADER = 15 * 4;
/** The largest TCP segment an IPv4 packet (total length ≤ 65535, 20-byte header) can carry. */
const MAX_SEGMENT = 0xffff - 20;

const checkUint = uintChecker('TCP');

function encodeOption(o: TcpOption): Uint8Array {
  switch (o.kind) {
    case 'eol':
      return Uint8Array.of(TCP_OPTION_KINDS.EOL);
    case 'nop':
      return Uint8Array.of(TCP_OPTION_KINDS.NOP);
    case 'mss':
      checkUint('MSS', o.value, 0xffff);
      return Uint8Array.of(TCP_OPTION_KINDS.MSS, 4, o.value >> 8, o.value & 0xff);
    case 'window-scale':
      // RFC 7323 §2.3: a shift above 14 is invalid.
      checkUint('window scale shift', o.shift, 14);
      return Uint8Array.of(TCP_OPTION_KINDS.WS, 3, o.shift);
    case 'sack-permitted':
      return Uint8Array.of(TCP_OPTION_KINDS.SACK_PERM, 2);
    case 'sack': {
      if (o.blocks.length < 1 || o.blocks.length > MAX_SACK_BLOCKS) {
        // RFC 2018 §3: at most 4 blocks fit in the 40 bytes of options.
        throw new RangeError(`a SACK option carries 1 to ${MAX_SACK_BLOCKS} blocks, not ${o.blocks.length}`);
      }
      const out = new Uint8Array(2 + 8 * o.blocks.length);
      out[0] = TCP_OPTION_KINDS.SACK;
      out[1] = out.length;
      o.blocks.forEach((b, k) => {
        checkUint('SACK left edge', b.left, 0xffffffff);
        checkUint('SACK right edge', b.right, 0xffffffff);
        view(out).setUint32(2 + 8 * k, b.left);
        view(out).setUint32(6 + 8 * k, b.right);
      });
      return out;
    }
    case 'timestamps': {
      checkUint('TSval', o.tsval, 0xffffffff);
      checkUint('TSecr', o.tsecr, 0xffffffff);
      const out = Uint8Array.of(TCP_OPTION_KINDS.TS, 10, 0, 0, 0, 0, 0, 0, 0, 0);
      putUint32(out, 2, o.tsval);
      putUint32(out, 6, o.tsecr);
      return out;
    }
    case 'unknown': {
      checkUint('option kind', o.type, 0xff);
      if (o.type <= TCP_OPTION_KINDS.NOP || OPTION_LENGTHS[o.type] !== undefined) {
        // RFC 9293 §3.2: kinds 0 and 1 are single bytes; the kinds above have fixed lengths (RFC 7323, RFC 2018).
        throw new RangeError(`option kind ${o.type} has its own representation; it cannot be 'unknown'`);
      }
      if (o.data.length > MAX_HEADER - MIN_HEADER - 2) {
        // RFC 9293 §3.1: options fit in a 60-byte header.
        throw new RangeError(`option kind ${o.type} data of ${o.data.length} bytes does not fit`);
      }
      return concatBytes(Uint8Array.of(o.type, o.data.length + 2), o.data);
    }
  }
}

/** Options in order, then zeros up to a 4-byte multiple (RFC 9293 §3.1 "Padding"). */
function encodeOptions(options: readonly TcpOption[]): Uint8Array {
  const eol = options.findIndex((o) => o.kind === 'eol');
  if (eol !== -1 && eol !== options.length - 1) {
    // RFC 9293 §3.2: End of Option List ends the options.
    throw new RangeError('no TCP option may follow End of Option List');
  }
  const parts = options.map(encodeOption);
  let rawLength = 0;
  for (const part of parts) rawLength += part.length;
  const padded = Math.ceil(rawLength / 4) * 4;
  if (padded > MAX_HEADER - MIN_HEADER) {
    // RFC 9293 §3.1: Data Offset is 4 bits, so the header is at most 60 bytes.
    throw new RangeError(`TCP options take ${padded} bytes; at most ${MAX_HEADER - MIN_HEADER} fit`);
  }
  // Written once into the padded length (the padding stays zero), rather than joined and then padded: every
  // segment carries options.
  const out = new Uint8Array(padded);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One's-complement sum of the RFC 9293 §3.1 pseudo-header: src, dst, zero, protocol 6, TCP length. */
function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, tcpLength: number): number {
  // The six 16-bit words of the 12 bytes (the zero byte and the protocol make one word), summed and folded as
  // onesComplementSum would, without building the bytes: this runs for every segment written and read.
  let sum =
    ((src[0]! << 8) | src[1]!) +
    ((src[2]! << 8) | src[3]!) +
    ((dst[0]! << 8) | dst[1]!) +
    ((dst[2]! << 8) | dst[3]!) +
    IP_PROTOCOLS.TCP +
    (tcpLength & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** A validated segment, ready to be written: its options encoded and its length known. */
export interface TcpPlan {
  readonly repr: TcpRepr;
  readonly payload: Uint8Array;
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly options: Uint8Array;
  readonly headerLength: number;
  readonly length: number;
}

/** Check `repr` and size the segment; `writeTcp` then puts it into a buffer (as `encodeTcp` does). */
export function planTcp(repr: TcpRepr, payload: Uint8Array, pseudo: PseudoHeader): TcpPlan {
  checkUint('source port', repr.srcPort, 0xffff);
  checkUint('destination port', repr.dstPort, 0xffff);
  checkUint('sequence number', repr.seq, 0xffffffff);
  checkUint('acknowledgment number', repr.ack, 0xffffffff);
  checkUint('window', repr.window, 0xffff);
  checkUint('urgent pointer', repr.urgent, 0xffff);
  for (const f of repr.flags) {
    if (!Object.hasOwn(TCP_FLAGS, f)) throw new RangeError(`unknown TCP flag ${String(f)}`);
  }
  const src = ipv4AddressBytes(pseudo.src);
  const dst = ipv4AddressBytes(pseudo.dst);
  const options = encodeOptions(repr.options);
  const headerLength = MIN_HEADER + options.length;
  const length = headerLength + payload.length;
  if (length > MAX_SEGMENT) {
    // RFC 791 §3.1: an IPv4 packet is at most 65535 bytes.
    throw new RangeError(`TCP segment of ${length} bytes does not fit in an IPv4 packet`);
  }
  return { repr, payload, src, dst, options, headerLength, length };
}

/** Write a planned segment into `out` at `at` (`plan.length` bytes, all zero beforehand). */
export function writeTcp(out: Uint8Array, at: number, plan: TcpPlan): void {
  const { repr, headerLength } = plan;
  const segment = out.subarray(at, at + plan.length);
  const T = TABLE;
  putUint16(segment, T.srcPort.start, repr.srcPort);
  putUint16(segment, T.dstPort.start, repr.dstPort);
  putUint32(segment, T.seq.start, repr.seq);
  putUint32(segment, T.ack.start, repr.ack);
  writeBits(segment, T.dataOffset.start, T.dataOffset.bits!, headerLength / 4);
  for (const f of repr.flags) {
    const spec = FLAG_SPECS[f];
    writeBits(segment, spec.start, spec.bits!, 1);
  }
  putUint16(segment, T.window.start, repr.window);
  putUint16(segment, T.urgent.start, repr.urgent);
  segment.set(plan.options, MIN_HEADER);
  segment.set(plan.payload, headerLength);
  putUint16(
    segment,
    T.checksum.start,
    internetChecksum(segment, pseudoHeaderSum(plan.src, plan.dst, plan.length)),
  );
}

/**
 * Header (options padded with zeros to a 4-byte multiple; the first padding byte therefore
 * reads back as an EOL option) + payload, checksum over the RFC 9293 §3.1 pseudo-header.
 */
export function encodeTcp(repr: TcpRepr, payload: Uint8Array, pseudo: PseudoHeader): Uint8Array {
  const plan = planTcp(repr, payload, pseudo);
  const segment = new Uint8Array(plan.length);
  writeTcp(segment, 0, plan);
  return segment;
}

/** How the inspector names and explains each option it decodes, and the padding after End of Option List. */
const OPTION_INFO = {
  optionEol: {
    // RFC 9293 §3.2: kind 0, End of Option List.
    name: 'Option: End of Option List',
    // RFC 9293 §3.2 (End of Option List) and §3.1 (Padding).
    meaning: 'Marks the end of the options; everything after it up to the data is padding.',
  },
  optionsPadding: {
    name: 'Padding',
    // RFC 9293 §3.1 "Padding": zeros so the header ends on a 32-bit boundary.
    meaning: 'Zeros that make the header a multiple of 4 bytes, as the data offset counts 32-bit words.',
  },
  optionNop: {
    name: 'Option: No-Operation',
    // RFC 9293 §3.2: No-Operation may be used between options, for example to align the next one.
    meaning: 'A filler byte, usually so the next option starts on a 4-byte boundary.',
  },
  optionMss: {
    // RFC 9293 §3.2: kind 2, Maximum Segment Size.
    name: 'Option: Maximum segment size',
    // RFC 9293 §3.7.1: the largest segment this side can receive; RFC 6691 §2: MTU minus the fixed IP and TCP
    // headers (20 + 20 for IPv4), options not counted, so 1460 on Ethernet (chromium-ws.pcap frame 1).
    meaning:
      'The most data bytes this side can receive in one segment, options not counted: usually its link MTU minus 40 (20 for IPv4, 20 for TCP), so 1460 on Ethernet.',
  },
  optionWindowScale: {
    name: 'Option: Window scale',
    // RFC 7323 §2.2 and §2.3: in effect only if both SYNs carry it; the window of a SYN is never scaled.
    meaning:
      'If both sides send this option, window values from this side are multiplied by 2^shift on every segment after its SYN, so windows can exceed 64 KiB (RFC 7323).',
  },
  optionSackPermitted: {
    name: 'Option: SACK permitted',
    // RFC 2018 §2: sent on a SYN; SACK is used only if both sides sent it.
    meaning:
      'This side understands selective acknowledgments; if both sides send this on their SYN, each may report exactly which blocks arrived (RFC 2018).',
  },
  optionSack: {
    name: 'Option: SACK',
    // RFC 2018 §3: left edge = first sequence number of the block, right edge = the one just after it; §1: the
    // sender can then retransmit only the missing segments.
    meaning:
      'Selective acknowledgment: blocks of data that arrived beyond the acknowledged number (left edge, and the first number after the block), so the sender can resend only the holes (RFC 2018).',
  },
  optionTimestamps: {
    name: 'Option: Timestamps',
    // RFC 7323 §3: TSval is the sender's timestamp clock, TSecr echoes a TSval received (§4.3 says which);
    // §4 measures round-trip time with them and §5 (PAWS) rejects old duplicates.
    meaning:
      "The sender's clock tick and an echo of a recent tick from the other side, to measure round-trip time and reject old duplicates (RFC 7323).",
  },
  optionUnknown: {
    // Replaced by `describeUnknownOption`'s name, which says the kind.
    name: 'Option',
    // RFC 9293 §3.2: every option but kinds 0 and 1 has a length byte; unknown options must be ignored.
    meaning: 'An option this inspector does not explain; its length byte lets receivers skip it.',
  },
} as const satisfies { readonly [key: string]: { readonly name: string; readonly meaning: string } };

function optionAnnotation(
  key: keyof typeof OPTION_INFO,
  start: number,
  end: number,
  value: string,
  name: string = OPTION_INFO[key].name,
): FieldAnnotation {
  return { layer: 'tcp', key, name, start, end, value, meaning: OPTION_INFO[key].meaning };
}

function describeUnknownOption(type: number, data: Uint8Array): { name: string; value: string } {
  const known = TCP_OPTION_KIND_NAMES[type];
  if (type === TCP_OPTION_KINDS.SACK && data.length % 8 === 0) {
    const edges: string[] = [];
    const dv = view(data);
    for (let i = 0; i < data.length; i += 8) edges.push(`${dv.getUint32(i)}-${dv.getUint32(i + 4)}`);
    return { name: 'Option: SACK', value: `kind 5, length ${data.length + 2}: ${edges.join(', ')}` };
  }
  return {
    name: known === undefined ? `Option: kind ${type}` : `Option: ${known}`,
    value: `kind ${type}, length ${data.length + 2}${data.length ? ': ' + toHex(data) : ''}`,
  };
}

type OptionsResult =
  | { readonly ok: true; readonly options: TcpOption[]; readonly fields: FieldAnnotation[] }
  | { readonly ok: false; readonly error: ReturnType<typeof fail>['error'] };

/** Options from byte 20 to the data offset. Every byte lands in exactly one annotation. */
function decodeOptions(bytes: Uint8Array, headerLength: number): OptionsResult {
  const options: TcpOption[] = [];
  const fields: FieldAnnotation[] = [];
  const dv = view(bytes);
  let i = MIN_HEADER;
  while (i < headerLength) {
    const kind = bytes[i]!;
    if (kind === TCP_OPTION_KINDS.EOL) {
      options.push({ kind: 'eol' });
      fields.push(optionAnnotation('optionEol', i, i + 1, 'kind 0'));
      i++;
      if (i < headerLength) {
        const pad = bytes.subarray(i, headerLength);
        fields.push(
          optionAnnotation(
            'optionsPadding',
            i,
            headerLength,
            pad.every((b) => b === 0) ? `${pad.length} zero byte${pad.length === 1 ? '' : 's'}` : toHex(pad),
          ),
        );
      }
      break;
    }
    if (kind === TCP_OPTION_KINDS.NOP) {
      options.push({ kind: 'nop' });
      fields.push(optionAnnotation('optionNop', i, i + 1, 'kind 1'));
      i++;
      continue;
    }
    if (i + 1 >= headerLength) {
      // RFC 9293 §3.2: options other than kinds 0 and 1 have a length byte.
      return fail('bad-option-length', `TCP option kind ${kind} has no length byte`, i);
    }
    const len = bytes[i + 1]!;
    if (len < 2) {
      // RFC 9293 §3.2: the length counts the kind and length bytes.
      return fail('bad-option-length', `TCP option kind ${kind} has length ${len}; the minimum is 2`, i + 1);
    }
    if (i + len > headerLength) {
      // RFC 9293 §3.1: options end where the data offset says.
      return fail(
        'bad-option-length',
        `TCP option kind ${kind} of length ${len} runs past the end of the header`,
        i + 1,
      );
    }
    const expected = OPTION_LENGTHS[kind];
    if (expected !== undefined && len !== expected) {
      // RFC 9293 §3.2 (MSS 4), RFC 7323 §2.2 and §3 (WS 3, TS 10), RFC 2018 §2 (SACK permitted 2).
      return fail(
        'bad-option-length',
        `TCP option kind ${kind} must have length ${expected}, has ${len}`,
        i + 1,
      );
    }
    const end = i + len;
    switch (kind) {
      case TCP_OPTION_KINDS.MSS: {
        const value = dv.getUint16(i + 2);
        options.push({ kind: 'mss', value });
        fields.push(optionAnnotation('optionMss', i, end, `kind 2, length 4: ${value} bytes`));
        break;
      }
      case TCP_OPTION_KINDS.WS: {
        const shift = bytes[i + 2]!;
        options.push({ kind: 'window-scale', shift });
        const used = Math.min(shift, 14);
        fields.push(
          optionAnnotation(
            'optionWindowScale',
            i,
            end,
            `kind 3, length 3: shift ${shift} (×${2 ** used})${shift > 14 ? ', above 14: treated as 14' : ''}`,
          ),
        );
        break;
      }
      case TCP_OPTION_KINDS.SACK_PERM:
        options.push({ kind: 'sack-permitted' });
        fields.push(optionAnnotation('optionSackPermitted', i, end, 'kind 4, length 2'));
        break;
      case TCP_OPTION_KINDS.SACK:
        if (len >= 10 && (len - 2) % 8 === 0) {
          const blocks: SackBlock[] = [];
          for (let k = i + 2; k < end; k += 8)
            blocks.push({ left: dv.getUint32(k), right: dv.getUint32(k + 4) });
          options.push({ kind: 'sack', blocks });
          fields.push(
            optionAnnotation(
              'optionSack',
              i,
              end,
              `kind 5, length ${len}: ${blocks.map((b) => `${b.left}-${b.right}`).join(', ')}`,
            ),
          );
        } else {
          // RFC 2018 §3 allows only 2 + 8n bytes; anything else is shown raw.
          const data = bytes.slice(i + 2, end);
          options.push({ kind: 'unknown', type: kind, data });
          const d = describeUnknownOption(kind, data);
          fields.push(optionAnnotation('optionUnknown', i, end, d.value, d.name));
        }
        break;
      case TCP_OPTION_KINDS.TS: {
        const tsval = dv.getUint32(i + 2);
        const tsecr = dv.getUint32(i + 6);
        options.push({ kind: 'timestamps', tsval, tsecr });
        fields.push(
          // RFC 7323 §3: kind 8, length 10, TSval and TSecr.
          optionAnnotation('optionTimestamps', i, end, `kind 8, length 10: TSval ${tsval}, TSecr ${tsecr}`),
        );
        break;
      }
      default: {
        const data = bytes.slice(i + 2, end);
        options.push({ kind: 'unknown', type: kind, data });
        const d = describeUnknownOption(kind, data);
        fields.push(optionAnnotation('optionUnknown', i, end, d.value, d.name));
      }
    }
    i = end;
  }
  return { ok: true, options, fields };
}

export function decodeTcp(bytes: Uint8Array, pseudo?: PseudoHeader): DecodeResult<TcpDecoded> {
  const T = TABLE;
  if (bytes.length < MIN_HEADER) {
    // RFC 9293 §3.1: the header without options is 20 bytes.
    return fail('truncated', `TCP header needs ${MIN_HEADER} bytes, got ${bytes.length}`, bytes.length);
  }
  const offsetField = wordCountedLength(
    bytes,
    FIXED.dataOffset,
    MIN_HEADER,
    'data offset',
    'bad-data-offset',
  );
  if (!offsetField.ok) return offsetField;
  const { words: dataOffset, length: headerLength } = offsetField;
  const opts = decodeOptions(bytes, headerLength);
  if (!opts.ok) return opts;

  const dv = view(bytes);
  const flags = FLAG_NAMES.filter((f) => {
    const spec = T[flagKey(f)];
    return readBits(bytes, spec.start, spec.bits!) === 1;
  });
  const checksum = dv.getUint16(T.checksum.start);
  const src = pseudo && tryParseIpv4Address(pseudo.src);
  const dst = pseudo && tryParseIpv4Address(pseudo.dst);
  const initial = src && dst ? pseudoHeaderSum(src, dst, bytes.length) : null;
  let checksumOk: boolean | null = null;
  // RFC 9293 §3.1: the checksum covers a pseudo-header of IP addresses, so it cannot be checked without them.
  let checksumValue = `${hex16(checksum)} (not verified: no IP addresses given)`;
  if (initial !== null) {
    // The pseudo-header is part of what the checksum covers (RFC 9293 §3.1).
    ({ ok: checksumOk, value: checksumValue } = verifyChecksum(bytes, T.checksum.start, initial));
  }
  const repr: TcpDecoded = {
    srcPort: dv.getUint16(T.srcPort.start),
    dstPort: dv.getUint16(T.dstPort.start),
    seq: dv.getUint32(T.seq.start),
    ack: dv.getUint32(T.ack.start),
    flags,
    window: dv.getUint16(T.window.start),
    urgent: dv.getUint16(T.urgent.start),
    options: opts.options,
    headerLength,
    checksum,
    checksumOk,
  };
  const reserved = readBits(bytes, T.reserved.start, T.reserved.bits!);
  const hasAck = flags.includes('ACK');
  const flagValues = Object.fromEntries(
    FLAG_NAMES.map((f) => [flagKey(f), flags.includes(f) ? '1 (set)' : '0']),
  ) as { [K in FlagKey]: string };
  const fields = annotate('tcp', TABLE, {
    srcPort: String(repr.srcPort),
    dstPort: String(repr.dstPort),
    seq: String(repr.seq),
    // RFC 9293 §3.1: the acknowledgment number counts only when ACK is set, the urgent pointer only with URG.
    ack: hasAck ? String(repr.ack) : `${repr.ack} (ignored: ACK not set)`,
    dataOffset: `${dataOffset} (${headerLength} bytes)`,
    reserved: reserved === 0 ? '0000' : `${reserved.toString(2).padStart(4, '0')} (should be 0)`,
    ...flagValues,
    window: String(repr.window),
    checksum: checksumValue,
    // RFC 9293 §3.1: the urgent pointer is read only when URG is set.
    urgent: flags.includes('URG') ? String(repr.urgent) : `${repr.urgent} (ignored: URG not set)`,
  });
  fields.push(...opts.fields);
  return { ok: true, repr, payload: bytes.subarray(headerLength), fields, length: bytes.length };
}

/** Sequence space a segment uses: its data, plus one each for SYN and FIN (RFC 9293 §3.4). */
export function tcpSegmentLength(flags: readonly TcpFlagName[], payloadLength: number): number {
  return payloadLength + (flags.includes('SYN') ? 1 : 0) + (flags.includes('FIN') ? 1 : 0);
}

/** The 20 option bytes of a Linux SYN / SYN-ACK: MSS, SACK_PERM, TS, NOP, WS (net/ipv4/tcp_output.c). */
export function linuxSynOptions(mss: number, tsval: number, tsecr: number, windowShift: number): TcpOption[] {
  return [
    { kind: 'mss', value: mss },
    { kind: 'sack-permitted' },
    { kind: 'timestamps', tsval, tsecr },
    { kind: 'nop' },
    { kind: 'window-scale', shift: windowShift },
  ];
}

/** Flag names in the order Wireshark lists them (least significant bit first). */
export function formatTcpFlags(flags: readonly TcpFlagName[]): string {
  const set = FLAG_NAMES.filter((f) => flags.includes(f)).reverse();
  return set.length ? `[${set.join(', ')}]` : '[<None>]';
}

/** `TCP 49152 → 80 [SYN] Seq=1000 Win=64240 Len=0` (Wireshark's Info column, raw numbers). */
export function describeTcp(repr: TcpRepr, payloadLength: number): string {
  const ack = repr.flags.includes('ACK') ? ` Ack=${repr.ack}` : '';
  const urg = repr.flags.includes('URG') ? ` Urg=${repr.urgent}` : '';
  return (
    `TCP ${repr.srcPort} → ${repr.dstPort} ${formatTcpFlags(repr.flags)} Seq=${repr.seq}${ack}` +
    ` Win=${repr.window}${urg} Len=${payloadLength}`
  );
}
