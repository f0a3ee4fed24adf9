/**
 * Capture files. `encodePcap` writes the classic libpcap format (draft-ietf-opsawg-pcap §4–5):
 * little-endian, version 2.4, microsecond timestamps, LINKTYPE_ETHERNET — what Wireshark and
 * tshark open everywhere.
 *
 * `decodePcap` reads classic files in either byte order, with microsecond or nanosecond
 * timestamps, and also pcapng (draft-ietf-opsawg-pcapng: SHB, IDB, EPB, SPB and the obsolete
 * Packet Block), since that is what dumpcap writes by default. Timestamps are reported in whole
 * microseconds (finer digits are dropped).
 */
import { hex16, toHex } from './bytes';
import {
  annotate,
  fail,
  tableLength,
  uintChecker,
  type DecodeResult,
  type FieldAnnotation,
  type FieldTable,
} from './fields';

export const PCAP_MAGIC = 0xa1b2c3d4;
/** Classic pcap with nanosecond timestamps. */
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
export const LINKTYPE_ETHERNET = 1;
export const DEFAULT_SNAPLEN = 262144;

export interface PcapRecord {
  /** Capture time in microseconds since the Unix epoch. */
  readonly timestampUs: number;
  /** The captured bytes (at most the snaplen). */
  readonly data: Uint8Array;
  /** Length on the wire, when more than was captured (absent means `data.length`). */
  readonly originalLength?: number;
}

export interface PcapFile {
  readonly linkType: number;
  readonly snaplen: number;
  readonly records: readonly PcapRecord[];
}

const FILE_HEADER = {
  magic: {
    name: 'Magic number',
    start: 0,
    end: 4,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4: Magic Number, 0xA1B2C3D4 or 0xA1B23C4D; its byte order tells the writer's.
    meaning: 'Identifies a pcap file and, by the order of its bytes, which byte order the rest uses.',
  },
  versionMajor: { name: 'Major version', start: 4, end: 6, meaning: 'File format version 2.4.' },
  versionMinor: { name: 'Minor version', start: 6, end: 8, meaning: 'File format version 2.4.' },
  thiszone: {
    name: 'Time zone',
    start: 8,
    end: 12,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4: Reserved1 (once "time zone offset"): writers SHOULD put 0, readers MUST ignore it; §5: UTC.
    meaning: 'Unused: writers put 0 and readers ignore it (timestamps are UTC).',
  },
  sigfigs: {
    name: 'Timestamp accuracy',
    start: 12,
    end: 16,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4: Reserved2 (once "accuracy of timestamps"): writers SHOULD put 0, readers MUST ignore it.
    meaning: 'Unused: writers put 0 and readers ignore it.',
  },
  snaplen: {
    name: 'Snapshot length',
    start: 16,
    end: 20,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4: SnapLen, the most octets captured from each packet.
    meaning: 'No packet in the file was captured longer than this.',
  },
  network: {
    name: 'Link type',
    start: 20,
    end: 24,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4: LinkType; LINKTYPE_ETHERNET is 1 (libpcap/pcap/dlt.h DLT_EN10MB).
    meaning: 'What every packet starts with; 1 means an Ethernet header.',
  },
} as const satisfies FieldTable<string>;

const RECORD_HEADER = {
  tsSec: { name: 'Timestamp (seconds)', start: 0, end: 4, meaning: 'Seconds since 1970-01-01 UTC.' },
  tsFrac: {
    name: 'Timestamp (fraction)',
    start: 4,
    end: 8,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: microseconds or nanoseconds, as the magic number says.
    meaning: 'Microseconds (or nanoseconds, by the magic number) within that second.',
  },
  inclLen: {
    name: 'Captured length',
    start: 8,
    end: 12,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: Captured Packet Length, the length of the Packet Data.
    meaning: 'How many bytes of the packet follow in the file.',
  },
  origLen: {
    name: 'Original length',
    start: 12,
    end: 16,
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: Original Packet Length, the length when transmitted; more than captured if truncated.
    meaning: 'How long the packet was on the wire (more than captured if cut at the snapshot length).',
  },
} as const satisfies FieldTable<string>;

const FILE_HEADER_LENGTH = tableLength(FILE_HEADER);
const RECORD_HEADER_LENGTH = tableLength(RECORD_HEADER);
const US_PER_S = 1_000_000;
const MAX_U32 = 0xffffffff;

const checkUint = uintChecker('pcap');

/** Classic little-endian pcap 2.4 of Ethernet frames; records longer than `snaplen` are cut. */
export function encodePcap(records: readonly PcapRecord[], opts?: { readonly snaplen?: number }): Uint8Array {
  const snaplen = opts?.snaplen ?? DEFAULT_SNAPLEN;
  checkUint('snaplen', snaplen, MAX_U32);
  let total = FILE_HEADER_LENGTH;
  for (const r of records) total += RECORD_HEADER_LENGTH + Math.min(r.data.length, snaplen);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const LE = true;
  dv.setUint32(FILE_HEADER.magic.start, PCAP_MAGIC, LE);
  dv.setUint16(FILE_HEADER.versionMajor.start, 2, LE);
  dv.setUint16(FILE_HEADER.versionMinor.start, 4, LE);
  dv.setInt32(FILE_HEADER.thiszone.start, 0, LE);
  dv.setUint32(FILE_HEADER.sigfigs.start, 0, LE);
  dv.setUint32(FILE_HEADER.snaplen.start, snaplen, LE);
  dv.setUint32(FILE_HEADER.network.start, LINKTYPE_ETHERNET, LE);
  let at = FILE_HEADER_LENGTH;
  for (const r of records) {
    checkUint('timestampUs', r.timestampUs, MAX_U32 * US_PER_S + (US_PER_S - 1));
    const incl = Math.min(r.data.length, snaplen);
    const orig = r.originalLength ?? r.data.length;
    checkUint('originalLength', orig, MAX_U32);
    if (orig < r.data.length) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: the original length MUST NOT be less than the captured length.
      throw new RangeError(`originalLength ${orig} is less than the ${r.data.length} bytes given`);
    }
    dv.setUint32(at + RECORD_HEADER.tsSec.start, Math.floor(r.timestampUs / US_PER_S), LE);
    dv.setUint32(at + RECORD_HEADER.tsFrac.start, r.timestampUs % US_PER_S, LE);
    dv.setUint32(at + RECORD_HEADER.inclLen.start, incl, LE);
    dv.setUint32(at + RECORD_HEADER.origLen.start, orig, LE);
    out.set(r.data.subarray(0, incl), at + RECORD_HEADER_LENGTH);
    at += RECORD_HEADER_LENGTH + incl;
  }
  return out;
}

function record(timestampUs: number, data: Uint8Array, originalLength: number): PcapRecord {
  return originalLength === data.length ? { timestampUs, data } : { timestampUs, data, originalLength };
}

function hex32(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

function decodeClassic(bytes: Uint8Array): DecodeResult<PcapFile> {
  if (bytes.length < FILE_HEADER_LENGTH) {
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4: the File Header is 24 octets.
    return fail('truncated', `pcap file header needs ${FILE_HEADER_LENGTH} bytes`, bytes.length);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLE = dv.getUint32(0, true);
  const le = magicLE === PCAP_MAGIC || magicLE === PCAP_MAGIC_NANO;
  const magic = dv.getUint32(0, le);
  const nano = magic === PCAP_MAGIC_NANO;
  const u32 = (at: number): number => dv.getUint32(at, le);
  const u16 = (at: number): number => dv.getUint16(at, le);
  const snaplen = u32(FILE_HEADER.snaplen.start);
  const linkType = u32(FILE_HEADER.network.start);
  const fields: FieldAnnotation[] = annotate('pcap', FILE_HEADER, {
    magic: `${hex32(magic)} (${le ? 'little' : 'big'}-endian, ${nano ? 'nanosecond' : 'microsecond'} timestamps)`,
    versionMajor: String(u16(FILE_HEADER.versionMajor.start)),
    versionMinor: String(u16(FILE_HEADER.versionMinor.start)),
    thiszone: String(dv.getInt32(FILE_HEADER.thiszone.start, le)),
    sigfigs: String(u32(FILE_HEADER.sigfigs.start)),
    snaplen: String(snaplen),
    network: linkType === LINKTYPE_ETHERNET ? '1 (Ethernet)' : String(linkType),
  });
  const records: PcapRecord[] = [];
  let at = FILE_HEADER_LENGTH;
  while (at < bytes.length) {
    const n = records.length + 1;
    if (at + RECORD_HEADER_LENGTH > bytes.length) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: a Packet Record begins with a 16-octet header.
      return fail('truncated', `record ${n}: header cut short`, bytes.length);
    }
    const sec = u32(at + RECORD_HEADER.tsSec.start);
    const frac = u32(at + RECORD_HEADER.tsFrac.start);
    const incl = u32(at + RECORD_HEADER.inclLen.start);
    const orig = u32(at + RECORD_HEADER.origLen.start);
    const dataStart = at + RECORD_HEADER_LENGTH;
    if (incl > bytes.length - dataStart) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: the Packet Data is Captured Packet Length bytes.
      return fail('truncated', `record ${n}: ${incl} captured bytes, file ends first`, bytes.length);
    }
    const timestampUs = sec * US_PER_S + (nano ? Math.floor(frac / 1000) : frac);
    const data = bytes.slice(dataStart, dataStart + incl);
    records.push(record(timestampUs, data, orig));
    const header = annotate(
      'pcap',
      RECORD_HEADER,
      {
        tsSec: String(sec),
        tsFrac: `${frac} ${nano ? 'ns' : 'µs'}`,
        inclLen: String(incl),
        origLen: String(orig),
      },
      at,
    );
    fields.push(...header.map((f) => ({ ...f, name: `Record ${n}: ${f.name}` })));
    fields.push({
      layer: 'pcap',
      key: 'packetData',
      name: `Record ${n}: packet`,
      start: dataStart,
      end: dataStart + incl,
      value: `${incl} bytes`,
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §5: Packet Data, including link-layer headers.
      meaning: 'The captured packet, starting with the link-layer header.',
    });
    at = dataStart + incl;
  }
  return { ok: true, repr: { linkType, snaplen, records }, payload: new Uint8Array(0), fields, length: at };
}

// ---- pcapng (draft-ietf-opsawg-pcapng §4) ----

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_OPB = 0x00000002;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const BLOCK_NAMES: { readonly [type: number]: string } = {
  [BLOCK_SHB]: 'Section Header Block',
  [BLOCK_IDB]: 'Interface Description Block',
  [BLOCK_OPB]: 'Packet Block (obsolete)',
  [BLOCK_SPB]: 'Simple Packet Block',
  [BLOCK_EPB]: 'Enhanced Packet Block',
};

interface Interface {
  readonly linkType: number;
  readonly snaplen: number;
  /** Timestamp units per second. */
  readonly unitsPerSecond: bigint;
  readonly offsetSeconds: bigint;
}

function blockFields(
  type: number,
  start: number,
  length: number,
  inner: readonly FieldAnnotation[],
): FieldAnnotation[] {
  const name = BLOCK_NAMES[type] ?? `Block ${hex32(type)}`;
  const f = (
    key: string,
    n: string,
    s: number,
    e: number,
    value: string,
    meaning: string,
  ): FieldAnnotation => ({
    layer: 'pcap',
    key,
    name: `${name}: ${n}`,
    start: s,
    end: e,
    value,
    meaning,
  });
  const innerEnd = inner.reduce((m, x) => Math.max(m, x.end), start + 8);
  const out = [
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: Block Type.
    f('blockType', 'type', start, start + 4, hex32(type), 'What kind of pcapng block this is.'),
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: Block Total Length.
    f('blockLength', 'length', start + 4, start + 8, String(length), 'Total bytes in this block.'),
    ...inner,
  ];
  if (innerEnd < start + length - 4) {
    out.push(
      f(
        'blockBody',
        'body',
        innerEnd,
        start + length - 4,
        `${start + length - 4 - innerEnd} bytes`,
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1 (Block Body) and §3.5 (options).
        'Block contents and options.',
      ),
    );
  }
  out.push(
    f(
      'blockLengthTrailer',
      'length (again)',
      start + length - 4,
      start + length,
      String(length),
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: the length is duplicated to permit backward file navigation.
      'Repeated so the file can be read backwards.',
    ),
  );
  return out;
}

function decodePcapng(bytes: Uint8Array): DecodeResult<PcapFile> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: FieldAnnotation[] = [];
  const records: PcapRecord[] = [];
  let interfaces: Interface[] = [];
  let first: Interface | undefined;
  let le = true;
  let at = 0;
  while (at < bytes.length) {
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: a block has at least 12 octets.
    if (at + 12 > bytes.length) return fail('truncated', 'pcapng block header cut short', bytes.length);
    const type = dv.getUint32(at, le);
    if (type === BLOCK_SHB) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.1: the Section Header Block has at least 28 octets.
      if (at + 28 > bytes.length) return fail('truncated', 'pcapng section header cut short', bytes.length);
      const bom = dv.getUint32(at + 8, true);
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.1: Byte-Order Magic is 0x1A2B3C4D.
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(at + 8, false) === BYTE_ORDER_MAGIC) le = false;
      else return fail('bad-magic', `pcapng byte-order magic ${hex32(bom)} is wrong`, at + 8);
      interfaces = [];
    } else if (at === 0) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.4: the file MUST begin with a Section Header Block.
      return fail('bad-magic', 'pcapng file does not start with a section header', 0);
    }
    const length = dv.getUint32(at + 4, le);
    if (length < 12 || length % 4 !== 0) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: the Block Total Length is a multiple of 4, at least 12.
      return fail('bad-length', `pcapng block length ${length} is not a multiple of 4 ≥ 12`, at + 4);
    }
    // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: Block Total Length counts the whole block.
    if (length > bytes.length - at)
      return fail('truncated', `pcapng block of ${length} bytes cut short`, bytes.length);
    if (dv.getUint32(at + length - 4, le) !== length) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.1: the trailing Block Total Length repeats the first.
      return fail('bad-length', 'pcapng block length trailer does not match its header', at + length - 4);
    }
    const bodyEnd = at + length - 4;
    const inner: FieldAnnotation[] = [];
    const note = (key: string, name: string, s: number, e: number, value: string, meaning: string): void => {
      inner.push({
        layer: 'pcap',
        key,
        name: `${BLOCK_NAMES[type]}: ${name}`,
        start: s,
        end: e,
        value,
        meaning,
      });
    };

    if (type === BLOCK_IDB) {
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.2: the Interface Description Block has at least 20 octets.
      if (length < 20) return fail('bad-length', 'interface description block too short', at + 4);
      const linkType = dv.getUint16(at + 8, le);
      const snaplen = dv.getUint32(at + 12, le);
      let unitsPerSecond = 1_000_000n;
      let offsetSeconds = 0n;
      for (let o = at + 16; o + 4 <= bodyEnd;) {
        const code = dv.getUint16(o, le);
        const len = dv.getUint16(o + 2, le);
        if (code === OPT_ENDOFOPT) break;
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.5: an option's length counts its value, which stays inside the block.
        if (o + 4 + len > bodyEnd)
          return fail('bad-length', `interface option ${code} runs past its block`, o + 2);
        if (code === IF_TSRESOL && len >= 1) {
          const r = bytes[o + 4]!;
          // pcapng §4.2 if_tsresol: MSB clear = 10^-r seconds, set = 2^-(r & 0x7f) seconds.
          unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
        } else if (code === IF_TSOFFSET && len >= 8) {
          offsetSeconds = dv.getBigInt64(o + 4, le);
        }
        o += 4 + Math.ceil(len / 4) * 4;
      }
      const iface = { linkType, snaplen, unitsPerSecond, offsetSeconds };
      interfaces.push(iface);
      if (first === undefined) first = iface;
      else if (first.linkType !== linkType) {
        // Wirewalk's choice: a capture read here has one link type (draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md
        // §4.2 lets each interface have its own).
        return fail(
          'mixed-link-types',
          `interfaces use link types ${first.linkType} and ${linkType}`,
          at + 8,
        );
      }
      note(
        'linkType',
        'link type',
        at + 8,
        at + 10,
        String(linkType),
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.2: LinkType of this interface; LINKTYPE_ETHERNET 1 (libpcap/pcap/dlt.h DLT_EN10MB).
        'What every packet from this interface starts with; 1 = Ethernet.',
      );
      note('reserved', 'reserved', at + 10, at + 12, hex16(dv.getUint16(at + 10, le)), 'Unused.');
      note(
        'snaplen',
        'snapshot length',
        at + 12,
        at + 16,
        String(snaplen),
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.2: SnapLen, the most octets captured from each packet; 0 means no limit.
        'No packet from this interface was captured longer than this (0: no limit).',
      );
    } else if (type === BLOCK_EPB || type === BLOCK_OPB || type === BLOCK_SPB) {
      const simple = type === BLOCK_SPB;
      const dataStart = at + (simple ? 12 : 28);
      // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3 and §4.4: an Enhanced Packet Block has a 28-octet head, a Simple one 12.
      if (dataStart > bodyEnd) return fail('bad-length', 'packet block too short', at + 4);
      const ifaceId = simple ? 0 : type === BLOCK_OPB ? dv.getUint16(at + 8, le) : dv.getUint32(at + 8, le);
      const iface = interfaces[ifaceId];
      if (iface === undefined)
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: the Interface ID names an Interface Description Block of the section.
        return fail('no-interface', `packet refers to interface ${ifaceId}, not described`, at + 8);
      const orig = dv.getUint32(at + (simple ? 8 : 24), le);
      const incl = simple
        ? Math.min(orig, iface.snaplen || orig, bodyEnd - dataStart)
        : dv.getUint32(at + 20, le);
      if (incl > bodyEnd - dataStart) {
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: the Packet Data is Captured Packet Length bytes.
        return fail('bad-length', `packet of ${incl} captured bytes runs past its block`, at + 20);
      }
      let timestampUs = 0;
      if (!simple) {
        const ticks = (BigInt(dv.getUint32(at + 12, le)) << 32n) | BigInt(dv.getUint32(at + 16, le));
        const us = (ticks * 1_000_000n) / iface.unitsPerSecond + iface.offsetSeconds * 1_000_000n;
        timestampUs = Number(us);
        note(
          'interfaceId',
          'interface',
          at + 8,
          at + 12,
          String(ifaceId),
          // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: Interface ID.
          'Which described interface captured it.',
        );
        note(
          'timestampHigh',
          'timestamp (high)',
          at + 12,
          at + 16,
          String(dv.getUint32(at + 12, le)),
          // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: Timestamp (Upper), in the interface's units (§4.2 if_tsresol: microseconds by default).
          'Upper 32 bits of the capture time, counted in units the interface sets (microseconds by default).',
        );
        note(
          'timestampLow',
          'timestamp (low)',
          at + 16,
          at + 20,
          String(dv.getUint32(at + 16, le)),
          // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: Timestamp (Lower).
          'Lower 32 bits of the capture time.',
        );
        note(
          'capturedLength',
          'captured length',
          at + 20,
          at + 24,
          String(incl),
          // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: Captured Packet Length.
          'Bytes of the packet in the file.',
        );
        note(
          'originalLength',
          'original length',
          at + 24,
          at + 28,
          String(orig),
          // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.3: Original Packet Length, the length when transmitted.
          'Bytes of the packet on the wire.',
        );
      } else {
        note(
          'originalLength',
          'original length',
          at + 8,
          at + 12,
          String(orig),
          // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.4: Original Packet Length.
          'Bytes of the packet on the wire.',
        );
      }
      note('packetData', 'packet', dataStart, dataStart + incl, `${incl} bytes`, 'The captured packet.');
      records.push(record(timestampUs, bytes.slice(dataStart, dataStart + incl), orig));
    } else if (type === BLOCK_SHB) {
      note(
        'byteOrderMagic',
        'byte-order magic',
        at + 8,
        at + 12,
        le ? 'little-endian' : 'big-endian',
        // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.1: Byte-Order Magic, written in the section's byte order.
        'Tells which byte order the section uses.',
      );
    }
    fields.push(...blockFields(type, at, length, inner));
    at += length;
  }
  // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §3.2: packet blocks need an Interface Description Block.
  if (first === undefined) return fail('no-interface', 'pcapng file describes no interface', bytes.length);
  return {
    ok: true,
    repr: { linkType: first.linkType, snaplen: first.snaplen, records },
    payload: new Uint8Array(0),
    fields,
    length: at,
  };
}

/**
 * Classic pcap (either byte order, µs or ns) or pcapng. `payload` is empty: the frames are in
 * `repr.records`.
 */
export function decodePcap(bytes: Uint8Array): DecodeResult<PcapFile> {
  // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4 and draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.1: both formats start with a 4-byte magic number.
  if (bytes.length < 4) return fail('truncated', 'no capture file magic number', bytes.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === BLOCK_SHB) return decodePcapng(bytes);
  const le = dv.getUint32(0, true);
  if ([magic, le].some((m) => m === PCAP_MAGIC || m === PCAP_MAGIC_NANO)) return decodeClassic(bytes);
  // draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcap.md §4 (0xA1B2C3D4, 0xA1B23C4D) and draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.md §4.1 (0x0A0D0D0A).
  return fail('bad-magic', `not a capture file: magic ${toHex(bytes.subarray(0, 4))}`, 0);
}

/** One line: `pcap: 16 Ethernet records, snaplen 262144`. */
export function describePcap(file: PcapFile): string {
  const link = file.linkType === LINKTYPE_ETHERNET ? 'Ethernet' : `link type ${file.linkType}`;
  return `pcap: ${file.records.length} ${link} record${file.records.length === 1 ? '' : 's'}, snaplen ${file.snaplen}`;
}
