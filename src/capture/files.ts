/**
 * Capture file formats, record by record, without copying: classic pcap (draft-ietf-opsawg-pcap §4–5:
 * both byte orders, microsecond or nanosecond timestamps) and pcapng (draft-ietf-opsawg-pcapng §4: several
 * sections, each with its own byte order and interfaces, per-interface link types and `if_tsresol`/`if_tsoffset`,
 * Enhanced, Simple and obsolete Packet Blocks, Decryption Secrets Blocks; unknown blocks skipped by length).
 *
 * `readCaptureFile` hands each record to a visitor as a view into the file's bytes and returns what it learnt
 * about the file. It never throws: whatever cannot be read becomes a `CaptureProblem` naming the record and
 * the byte offset, and everything before it is kept. (The codec in `protocol/pcap.ts` decodes small files
 * whole, with field annotations for the file's own headers; this reader is for files of any size.)
 */
import type { CaptureProblem } from './model';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const BLOCK_IDB = 0x00000001;
const BLOCK_OPB = 0x00000002;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
/** pcapng §4.7 Decryption Secrets Block, and its secrets type for a TLS key log (NSS format). */
const BLOCK_DSB = 0x0000000a;
export const SECRETS_TLS_KEY_LOG = 0x544c534b;

const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const CLASSIC_FILE_HEADER = 24;
const CLASSIC_RECORD_HEADER = 16;

export interface FileInterface {
  /** LINKTYPE_* number (tcpdump.org link-layer header types). */
  readonly linkType: number;
  readonly snaplen: number;
  readonly name?: string;
}

/** One record of the file: a view of its bytes, never a copy. */
export interface FileRecord {
  /** 1-based, counting every packet record of the file. */
  readonly record: number;
  /** Byte offset of the record (its header or block) in the file. */
  readonly offset: number;
  /** Index in `CaptureFile.interfaces` (across all pcapng sections); 0 for classic pcap. */
  readonly iface: number;
  readonly linkType: number;
  readonly data: Uint8Array;
  readonly originalLength: number;
  /** Capture time: whole seconds since 1970 and nanoseconds within that second. */
  readonly seconds: number;
  readonly nanos: number;
}

export interface CaptureFile {
  readonly format: 'pcap' | 'pcap-ns' | 'pcapng';
  readonly interfaces: readonly FileInterface[];
  /** Packet records read (and handed to the visitor). */
  readonly records: number;
  /** Bytes of the file read before stopping (its length when read to the end). */
  readonly bytesRead: number;
  readonly problems: readonly CaptureProblem[];
  /** Text of every TLS key log found in Decryption Secrets Blocks, joined by newlines. */
  readonly keyLogText?: string;
}

export interface ReadFileOptions {
  /** Fraction of the file read so far, now and then. */
  readonly onProgress?: (fraction: number) => void;
  /** Checked between records: when set, reading stops (with a problem saying so). */
  readonly signal?: { readonly aborted: boolean };
  /** Read no further than this many bytes of the file (CAPTURE_LIMITS.fileBytes). */
  readonly maxBytes?: number;
}

/** The visitor returns false to stop reading (a limit was reached); the reader then stops quietly. */
export type RecordVisitor = (record: FileRecord) => boolean | void;

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** How often (in records) progress is reported and the abort signal checked. */
const PROGRESS_EVERY = 512;

/** The format a file's first four bytes announce, or null. */
export function captureFormatOf(bytes: Uint8Array): 'pcap' | 'pcap-ns' | 'pcapng' | null {
  if (bytes.length < 4) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const be = dv.getUint32(0, false);
  const le = dv.getUint32(0, true);
  if (be === PCAPNG_SHB) return 'pcapng';
  if (be === PCAP_MAGIC_US || le === PCAP_MAGIC_US) return 'pcap';
  if (be === PCAP_MAGIC_NS || le === PCAP_MAGIC_NS) return 'pcap-ns';
  return null;
}

/**
 * Read every record of a pcap or pcapng file and hand it to `visit`. The caller checked the magic number
 * with `captureFormatOf`; anything else yields a `bad-magic` problem and no records.
 */
export function readCaptureFile(
  bytes: Uint8Array,
  visit: RecordVisitor,
  opts: ReadFileOptions = {},
): CaptureFile {
  const format = captureFormatOf(bytes);
  if (format === 'pcapng') return readPcapng(bytes, visit, opts);
  if (format !== null) return readClassic(bytes, format, visit, opts);
  return {
    format: 'pcap',
    interfaces: [],
    records: 0,
    bytesRead: 0,
    problems: [
      {
        code: 'bad-magic',
        severity: 'error',
        offset: 0,
        message: `Not a pcap or pcapng file: it starts with ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'nothing'}.`,
      },
    ],
  };
}

function stopProblems(
  problems: CaptureProblem[],
  opts: ReadFileOptions,
  at: number,
  record: number,
  total: number,
): boolean {
  if (opts.signal?.aborted) {
    problems.push({
      code: 'aborted',
      severity: 'error',
      record,
      offset: at,
      message: `Reading was cancelled at record ${record} (byte ${at}); the records before it are shown.`,
    });
    return true;
  }
  opts.onProgress?.(total === 0 ? 1 : at / total);
  return false;
}

function limitProblem(limit: number, at: number, record: number): CaptureProblem {
  return {
    code: 'limit-file-bytes',
    severity: 'error',
    record,
    offset: at,
    message:
      `The file is larger than ${limit / (1024 * 1024)} MB; reading stopped at record ${record} (byte ${at}). ` +
      `Cut it first, e.g. \`editcap -r in.pcap out.pcap 1-5000\` or \`tshark -r in.pcap -Y "tcp.port == 3000" -w out.pcap\`.`,
  };
}

function readClassic(
  bytes: Uint8Array,
  format: 'pcap' | 'pcap-ns',
  visit: RecordVisitor,
  opts: ReadFileOptions,
): CaptureFile {
  const problems: CaptureProblem[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dv.getUint32(0, true) === PCAP_MAGIC_US || dv.getUint32(0, true) === PCAP_MAGIC_NS;
  const nano = format === 'pcap-ns';
  if (bytes.length < CLASSIC_FILE_HEADER) {
    problems.push({
      code: 'truncated-header',
      severity: 'error',
      offset: bytes.length,
      message: `The pcap file header needs ${CLASSIC_FILE_HEADER} bytes; the file ends after ${bytes.length}.`,
    });
    return { format, interfaces: [], records: 0, bytesRead: bytes.length, problems };
  }
  const snaplen = dv.getUint32(16, le);
  // draft-ietf-opsawg-pcap §4: the low 16 bits are the link type; the top bits may carry the FCS length.
  const linkType = dv.getUint32(20, le) & 0xffff;
  const interfaces: FileInterface[] = [{ linkType, snaplen }];
  const limit = Math.min(bytes.length, opts.maxBytes ?? Infinity);
  let at = CLASSIC_FILE_HEADER;
  let records = 0;
  while (at < bytes.length) {
    const n = records + 1;
    if (records % PROGRESS_EVERY === 0 && stopProblems(problems, opts, at, n, bytes.length)) break;
    if (at + CLASSIC_RECORD_HEADER > bytes.length) {
      problems.push({
        code: 'truncated-record',
        severity: 'error',
        record: n,
        offset: at,
        message: `Record ${n} at byte ${at}: its 16-byte header is cut short (the file ends after ${bytes.length - at} bytes). The records before it are shown.`,
      });
      break;
    }
    const seconds = dv.getUint32(at, le);
    const frac = dv.getUint32(at + 4, le);
    const incl = dv.getUint32(at + 8, le);
    const orig = dv.getUint32(at + 12, le);
    const start = at + CLASSIC_RECORD_HEADER;
    if (incl > bytes.length - start) {
      problems.push({
        code: 'truncated-record',
        severity: 'error',
        record: n,
        offset: at,
        message: `Record ${n} at byte ${at} says ${incl} captured bytes, but the file ends after ${bytes.length - start}. The records before it are shown.`,
      });
      break;
    }
    if (start + incl > limit) {
      problems.push(limitProblem(opts.maxBytes ?? limit, at, n));
      break;
    }
    records = n;
    const more = visit({
      record: n,
      offset: at,
      iface: 0,
      linkType,
      data: bytes.subarray(start, start + incl),
      originalLength: Math.max(orig, incl),
      seconds,
      nanos: nano ? Math.min(frac, 999_999_999) : Math.min(frac, 999_999) * 1000,
    });
    at = start + incl;
    if (more === false) break;
  }
  opts.onProgress?.(1);
  return { format, interfaces, records, bytesRead: at, problems };
}

interface SectionInterface {
  readonly global: number;
  readonly linkType: number;
  readonly snaplen: number;
  /** Timestamp units per second (if_tsresol). */
  readonly units: number;
  readonly offsetSeconds: number;
}

/** Seconds and nanoseconds of a pcapng timestamp: `ticks` = high·2³² + low units of 1/`units` s. */
function pcapngTime(high: number, low: number, iface: SectionInterface): { seconds: number; nanos: number } {
  const { units } = iface;
  if (units <= 1_000_000 && high < 0x200000) {
    // Below 2^53: exact as a double.
    const ticks = high * 0x1_0000_0000 + low;
    const seconds = Math.floor(ticks / units);
    const frac = ticks - seconds * units;
    return { seconds: seconds + iface.offsetSeconds, nanos: Math.floor((frac * 1e9) / units) };
  }
  const ticks = (BigInt(high) << 32n) | BigInt(low);
  const u = BigInt(units);
  const seconds = ticks / u;
  const frac = ticks - seconds * u;
  return { seconds: Number(seconds) + iface.offsetSeconds, nanos: Number((frac * 1_000_000_000n) / u) };
}

function readPcapng(bytes: Uint8Array, visit: RecordVisitor, opts: ReadFileOptions): CaptureFile {
  const problems: CaptureProblem[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const interfaces: FileInterface[] = [];
  let section: SectionInterface[] = [];
  const keyLogs: string[] = [];
  const limit = Math.min(bytes.length, opts.maxBytes ?? Infinity);
  const warnedLinkless = new Set<string>();
  let le = true;
  let at = 0;
  let records = 0;
  let blocks = 0;
  const textDecoder = new TextDecoder('utf-8');
  const problem = (
    code: string,
    message: string,
    offset: number,
    severity: 'error' | 'note' = 'error',
  ): void => {
    problems.push({ code, severity, offset, record: records + 1, message });
  };
  while (at < bytes.length) {
    if (blocks++ % PROGRESS_EVERY === 0 && stopProblems(problems, opts, at, records + 1, bytes.length)) break;
    if (at + 12 > bytes.length) {
      problem(
        'truncated-block',
        `The pcapng block at byte ${at} is cut short: the file ends ${bytes.length - at} bytes into its header. Everything before it is shown.`,
        at,
      );
      break;
    }
    const type = dv.getUint32(at, le);
    if (type === PCAPNG_SHB) {
      // §4.1: the byte-order magic decides how the rest of the section (this block's length too) is read.
      const bom = dv.getUint32(at + 8, true);
      if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(at + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else {
        problem(
          'bad-magic',
          `The pcapng section header at byte ${at} has byte-order magic ${hex32(bom)}, expected 0x1a2b3c4d; reading stopped there.`,
          at + 8,
        );
        break;
      }
      section = [];
    } else if (at === 0) {
      problem('bad-magic', 'A pcapng file must start with a Section Header Block.', 0);
      break;
    }
    const length = dv.getUint32(at + 4, le);
    if (length < 12 || length % 4 !== 0) {
      problem(
        'bad-block-length',
        `The pcapng block at byte ${at} (type ${hex32(type)}) has length ${length}, which is not a multiple of 4 of at least 12; reading stopped there.`,
        at + 4,
      );
      break;
    }
    if (length > bytes.length - at) {
      problem(
        'truncated-block',
        `The pcapng block at byte ${at} (type ${hex32(type)}) says ${length} bytes, but the file ends after ${bytes.length - at}. Everything before it is shown.`,
        at,
      );
      break;
    }
    if (at + length > limit) {
      problems.push(limitProblem(opts.maxBytes ?? limit, at, records + 1));
      break;
    }
    if (dv.getUint32(at + length - 4, le) !== length) {
      problem(
        'bad-block-length',
        `The pcapng block at byte ${at} (type ${hex32(type)}) ends with length ${dv.getUint32(at + length - 4, le)}, not the ${length} its header says; reading stopped there.`,
        at + length - 4,
      );
      break;
    }
    const bodyEnd = at + length - 4;
    let stop = false;
    if (type === BLOCK_IDB) {
      if (length < 20) {
        problem(
          'bad-block-length',
          `The interface description at byte ${at} is too short (${length} bytes).`,
          at + 4,
        );
        break;
      }
      const linkType = dv.getUint16(at + 8, le);
      const snaplen = dv.getUint32(at + 12, le);
      let units = 1_000_000;
      let offsetSeconds = 0;
      let name: string | undefined;
      for (let o = at + 16; o + 4 <= bodyEnd;) {
        const code = dv.getUint16(o, le);
        const len = dv.getUint16(o + 2, le);
        if (code === OPT_ENDOFOPT || o + 4 + len > bodyEnd) break;
        if (code === IF_TSRESOL && len >= 1) {
          const r = bytes[o + 4]!;
          // §4.2 if_tsresol: top bit clear = 10^-r s, set = 2^-(r & 0x7f) s. Beyond ns precision we round.
          units = r & 0x80 ? 2 ** Math.min(r & 0x7f, 62) : 10 ** Math.min(r, 18);
        } else if (code === IF_TSOFFSET && len >= 8) {
          offsetSeconds = Number(dv.getBigInt64(o + 4, le));
        } else if (code === IF_NAME && len > 0) {
          name = textDecoder.decode(bytes.subarray(o + 4, o + 4 + len));
        }
        o += 4 + Math.ceil(len / 4) * 4;
      }
      section.push({ global: interfaces.length, linkType, snaplen, units, offsetSeconds });
      interfaces.push(name === undefined ? { linkType, snaplen } : { linkType, snaplen, name });
    } else if (type === BLOCK_EPB || type === BLOCK_OPB || type === BLOCK_SPB) {
      const n = records + 1;
      const simple = type === BLOCK_SPB;
      const dataStart = at + (simple ? 12 : 28);
      const localId = simple ? 0 : type === BLOCK_OPB ? dv.getUint16(at + 8, le) : dv.getUint32(at + 8, le);
      const iface = section[localId];
      if (dataStart > bodyEnd) {
        problem(
          'bad-block-length',
          `Record ${n} at byte ${at}: the packet block is too short (${length} bytes) to hold its header.`,
          at + 4,
        );
        records = n;
      } else if (iface === undefined) {
        const key = `${interfaces.length}:${localId}`;
        if (!warnedLinkless.has(key)) {
          warnedLinkless.add(key);
          problem(
            'no-interface',
            `Record ${n} at byte ${at} belongs to interface ${localId}, which this section never described; such records are skipped.`,
            at + 8,
          );
        }
        records = n;
      } else {
        const orig = dv.getUint32(at + (simple ? 8 : 24), le);
        // §4.4: a Simple Packet Block's captured length is the smaller of the original length and the snaplen.
        let incl = simple
          ? Math.min(orig, iface.snaplen || orig, bodyEnd - dataStart)
          : dv.getUint32(at + 20, le);
        if (incl > bodyEnd - dataStart) {
          problem(
            'bad-block-length',
            `Record ${n} at byte ${at} says ${incl} captured bytes, more than its block holds (${bodyEnd - dataStart}); only those are read.`,
            at + 20,
          );
          incl = bodyEnd - dataStart;
        }
        const time = simple
          ? { seconds: 0, nanos: 0 }
          : pcapngTime(dv.getUint32(at + 12, le), dv.getUint32(at + 16, le), iface);
        records = n;
        const more = visit({
          record: n,
          offset: at,
          iface: iface.global,
          linkType: iface.linkType,
          data: bytes.subarray(dataStart, dataStart + incl),
          originalLength: Math.max(orig, incl),
          seconds: time.seconds,
          nanos: time.nanos,
        });
        stop = more === false;
      }
    } else if (type === BLOCK_DSB && length >= 20) {
      const secretsType = dv.getUint32(at + 8, le);
      const secretsLength = dv.getUint32(at + 12, le);
      if (secretsType === SECRETS_TLS_KEY_LOG && secretsLength <= bodyEnd - (at + 16)) {
        keyLogs.push(textDecoder.decode(bytes.subarray(at + 16, at + 16 + secretsLength)));
      } else if (secretsType !== SECRETS_TLS_KEY_LOG) {
        problem(
          'unknown-secrets',
          `The Decryption Secrets Block at byte ${at} holds secrets of type ${hex32(secretsType)}, not a TLS key log; it is ignored.`,
          at + 8,
          'note',
        );
      }
    }
    // Every other block (name resolution, statistics, custom …) is skipped by its length (§3.1).
    at += length;
    if (stop) break;
  }
  opts.onProgress?.(1);
  const file: CaptureFile = { format: 'pcapng', interfaces, records, bytesRead: at, problems };
  return keyLogs.length ? { ...file, keyLogText: keyLogs.join('\n') } : file;
}
