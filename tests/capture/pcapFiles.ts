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

/** A copy of a little-endian pcapng file in big-endian byte order (the block headers and the fields read here). */
export function bigEndianPcapng(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dst = new DataView(out.buffer);
  const u32 = (at: number): void => dst.setUint32(at, src.getUint32(at, true), false);
  const u16 = (at: number): void => dst.setUint16(at, src.getUint16(at, true), false);
  const options = (from: number, to: number): void => {
    for (let o = from; o + 4 <= to;) {
      const code = src.getUint16(o, true);
      const len = src.getUint16(o + 2, true);
      u16(o);
      u16(o + 2);
      if (code === 0) break;
      o += 4 + Math.ceil(len / 4) * 4;
    }
  };
  for (let at = 0; at < bytes.length;) {
    const type = src.getUint32(at, true);
    const length = src.getUint32(at + 4, true);
    u32(at);
    u32(at + 4);
    u32(at + length - 4);
    if (type === 0x0a0d0d0a) {
      u32(at + 8);
      u16(at + 12);
      u16(at + 14);
      for (let i = 0; i < 8; i++) out[at + 16 + i] = bytes[at + 23 - i]!;
      options(at + 24, at + length - 4);
    } else if (type === 1) {
      u16(at + 8);
      u16(at + 10);
      u32(at + 12);
      options(at + 16, at + length - 4);
    } else if (type === 6) {
      for (let i = 8; i < 28; i += 4) u32(at + i);
      const incl = src.getUint32(at + 20, true);
      options(at + 28 + Math.ceil(incl / 4) * 4, at + length - 4);
    } else if (type === 0x0a) {
      u32(at + 8);
      u32(at + 12);
    }
    at += length;
  }
  return out;
}

/** A record's TCP header (at `tcpAt`) with its sequence and acknowledgment numbers moved (mod 2^32). */
export function shiftSeq(data: Uint8Array, tcpAt: number, seqDelta: number, ackDelta: number): Uint8Array {
  const out = data.slice();
  const dv = new DataView(out.buffer);
  dv.setUint32(tcpAt + 4, (dv.getUint32(tcpAt + 4) + seqDelta) >>> 0);
  if (out[tcpAt + 13]! & 0x10) dv.setUint32(tcpAt + 8, (dv.getUint32(tcpAt + 8) + ackDelta) >>> 0);
  return out;
}

/**
 * A little-endian pcapng with its Enhanced Packet Blocks rewritten as Simple Packet Blocks (§4.4: no interface, no
 * timestamp) or obsolete Packet Blocks (Appendix A: 16-bit interface, drops count), and with every interface's
 * timestamps re-expressed in units of 2^-`binaryResolution` s when given (if_tsresol with the top bit set).
 */
export function rewritePcapng(
  bytes: Uint8Array,
  to: 'spb' | 'opb' | 'epb',
  binaryResolution?: number,
): Uint8Array {
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  const units: number[] = [];
  for (let at = 0; at < bytes.length;) {
    const type = src.getUint32(at, true);
    const length = src.getUint32(at + 4, true);
    if (type === 0x0a0d0d0a) units.length = 0;
    if (type === 1) {
      let resolution = 1e6;
      for (let o = at + 16; o + 4 <= at + length - 4;) {
        const code = src.getUint16(o, true);
        const len = src.getUint16(o + 2, true);
        if (code === 0) break;
        if (code === 9) resolution = 10 ** bytes[o + 4]!;
        o += 4 + Math.ceil(len / 4) * 4;
      }
      units.push(resolution);
      if (binaryResolution !== undefined) {
        // The interface again, with only if_tsresol: 2^-binaryResolution s.
        const idb = new Uint8Array(32);
        const dv = new DataView(idb.buffer);
        dv.setUint32(0, 1, true);
        dv.setUint32(4, 32, true);
        idb.set(bytes.subarray(at + 8, at + 16), 8);
        dv.setUint16(16, 9, true);
        dv.setUint16(18, 1, true);
        idb[20] = 0x80 | binaryResolution;
        dv.setUint32(28, 32, true);
        parts.push(idb);
        at += length;
        continue;
      }
    }
    if (type === 6) {
      const iface = src.getUint32(at + 8, true);
      let high = src.getUint32(at + 12, true);
      let low = src.getUint32(at + 16, true);
      const incl = src.getUint32(at + 20, true);
      const orig = src.getUint32(at + 24, true);
      const data = bytes.subarray(at + 28, at + 28 + incl);
      if (binaryResolution !== undefined) {
        const ticks = (BigInt(high) << 32n) | BigInt(low);
        const scaled = (ticks << BigInt(binaryResolution)) / BigInt(units[iface]!);
        high = Number(scaled >> 32n);
        low = Number(scaled & 0xffffffffn);
      }
      const header = to === 'spb' ? 12 : 28;
      const total = header + Math.ceil(incl / 4) * 4 + 4;
      const block = new Uint8Array(total);
      const dv = new DataView(block.buffer);
      dv.setUint32(0, to === 'spb' ? 3 : to === 'opb' ? 2 : 6, true);
      dv.setUint32(4, total, true);
      if (to === 'spb') dv.setUint32(8, orig, true);
      else {
        if (to === 'opb') dv.setUint16(8, iface, true);
        else dv.setUint32(8, iface, true);
        dv.setUint32(12, high, true);
        dv.setUint32(16, low, true);
        dv.setUint32(20, incl, true);
        dv.setUint32(24, orig, true);
      }
      block.set(data, header);
      dv.setUint32(total - 4, total, true);
      parts.push(block);
    } else {
      parts.push(bytes.subarray(at, at + length));
    }
    at += length;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
