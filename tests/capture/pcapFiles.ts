/**
 * Test helpers: the records of a real capture (through `readCaptureFile`), and classic pcap files written with
 * any link type, byte order and timestamp precision (draft-ietf-opsawg-pcap §4–5), to build the variants no
 * tool writes on this machine (big-endian, LINKTYPE_NULL, LOOP, RAW …) from real traffic.
 */
import { readCaptureFile, type FileRecord } from '../../src/capture/files';

export type Record_ = Pick<FileRecord, 'data' | 'originalLength' | 'seconds' | 'nanos'>;

export function recordsOf(bytes: Uint8Array): { linkType: number; records: Record_[] } {
  const records: Record_[] = [];
  let linkType = -1;
  const file = readCaptureFile(bytes, (r) => {
    linkType = r.linkType;
    records.push({ data: r.data, originalLength: r.originalLength, seconds: r.seconds, nanos: r.nanos });
  });
  if (file.problems.length) throw new Error(file.problems.map((p) => p.message).join('; '));
  return { linkType, records };
}

export function writePcap(
  records: readonly Record_[],
  opts: { linkType: number; bigEndian?: boolean; nano?: boolean; snaplen?: number },
): Uint8Array {
  const total = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const le = !opts.bigEndian;
  dv.setUint32(0, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, opts.snaplen ?? 262144, le);
  dv.setUint32(20, opts.linkType, le);
  let at = 24;
  for (const r of records) {
    dv.setUint32(at, r.seconds, le);
    dv.setUint32(at + 4, opts.nano ? r.nanos : Math.floor(r.nanos / 1000), le);
    dv.setUint32(at + 8, r.data.length, le);
    dv.setUint32(at + 12, r.originalLength, le);
    out.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return out;
}

/** Replace each record's first `strip` bytes (its link header) by `header(record)`. */
export function relink(
  records: readonly Record_[],
  strip: number,
  header: (r: Record_) => Uint8Array,
): Record_[] {
  return records.map((r) => {
    const h = header(r);
    const data = new Uint8Array(h.length + r.data.length - strip);
    data.set(h);
    data.set(r.data.subarray(strip), h.length);
    return { ...r, data, originalLength: r.originalLength - strip + h.length };
  });
}
