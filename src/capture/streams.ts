/**
 * TCP reassembly over the segments of a capture, in the way Wireshark's TCP dissector presents them
 * (epan/dissectors/packet-tcp.c): connections by their 4-tuple, a new one when a SYN reuses a 4-tuple whose
 * previous connection ended (FIN or RST); each direction's bytes put in sequence order (RFC 9293 §3.4, modulo
 * 2^32), the first copy of a byte winning when copies overlap; what a reader must know about a segment
 * (retransmission, out of order, a hole before it, cut by the snapshot length, duplicate ACK, zero window)
 * noted on it. Never throws: a capture may start or stop in the middle of anything.
 */
import type { CapturedSegment, CaptureProblem, StreamChunk, StreamDirection, TcpStream } from './model';

/** A segment as the link reader produced it, before reassembly placed it. */
export type SegmentDraft = Omit<CapturedSegment, 'stream' | 'direction' | 'relSeq' | 'relAck' | 'analysis'>;

type Analysis = NonNullable<CapturedSegment['analysis']>[number];

/**
 * A hole larger than this between what a direction has and a new segment is not filled with zeros: such a jump
 * is a corrupted sequence number far more often than 16 MiB of lost capture. The segment is left out of the
 * stream, with a problem saying so.
 */
export const MAX_SEQUENCE_JUMP = 16 * 1024 * 1024;

const TWO32 = 0x1_0000_0000;

/** `a - b` in 32-bit sequence space, as a signed distance (RFC 9293 §3.4 comparisons). */
function seqDiff(a: number, b: number): number {
  const d = (a - b) >>> 0;
  return d >= 0x8000_0000 ? d - TWO32 : d;
}

function has(flags: readonly string[], f: string): boolean {
  return flags.includes(f);
}

interface Building {
  id: number;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  segments: number[];
  synSeen: boolean;
  reset: boolean;
  finSeen: boolean;
  /** The ISN of the SYN that opened it, if seen (to tell a retransmitted SYN from a new connection). */
  synSeq?: number;
}

function endpointKey(ip: string, port: number): string {
  return `${ip}]${port}`;
}

/** Growing byte buffer for one direction. */
class DirectionBuilder {
  bytes = new Uint8Array(1024);
  /** Bytes [0, end) of the stream are accounted for (captured or a gap). */
  end = 0;
  /** Sorted, disjoint [start, end) ranges actually captured. */
  covered: [number, number][] = [];
  chunks: StreamChunk[] = [];
  fin = false;

  ensure(n: number): void {
    if (n <= this.bytes.length) return;
    let size = this.bytes.length;
    while (size < n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.end));
    this.bytes = next;
  }

  /** How many of [s, e) are already covered. */
  coveredIn(s: number, e: number): number {
    let n = 0;
    for (let i = this.covered.length - 1; i >= 0; i--) {
      const [a, b] = this.covered[i]!;
      if (b <= s) break;
      if (a < e) n += Math.min(b, e) - Math.max(a, s);
    }
    return n;
  }

  /** Write the uncovered parts of [s, s + data.length) from `data`, recording chunks for `segment`. */
  place(segment: number, s: number, data: Uint8Array): void {
    const e = s + data.length;
    if (e <= s) return;
    this.ensure(e);
    // Uncovered pieces of [s, e): walk the covered ranges that touch it.
    const pieces: [number, number][] = [];
    let cursor = s;
    let first = this.covered.length;
    // Find the first covered range ending after s (ranges are sorted; in-order data touches only the last).
    while (first > 0 && this.covered[first - 1]![1] > s) first--;
    for (let i = first; i < this.covered.length && cursor < e; i++) {
      const [a, b] = this.covered[i]!;
      if (a >= e) break;
      if (a > cursor) pieces.push([cursor, a]);
      cursor = Math.max(cursor, b);
    }
    if (cursor < e) pieces.push([cursor, e]);
    for (const [a, b] of pieces) {
      this.bytes.set(data.subarray(a - s, b - s), a);
      this.chunks.push({ segment, offset: a, length: b - a });
    }
    // Merge [s, e) into the covered list, joining a range that ends exactly at s (in-order data).
    let m = first;
    if (m > 0 && this.covered[m - 1]![1] === s) m--;
    let i = m;
    let ns = s;
    let ne = e;
    while (i < this.covered.length && this.covered[i]![0] <= ne) {
      ns = Math.min(ns, this.covered[i]![0]);
      ne = Math.max(ne, this.covered[i]![1]);
      i++;
    }
    this.covered.splice(m, i - m, [ns, ne]);
    if (e > this.end) this.end = e;
  }

  finish(): StreamDirection {
    const gaps: [number, number][] = [];
    let cursor = 0;
    for (const [a, b] of this.covered) {
      if (a > cursor) gaps.push([cursor, a]);
      cursor = Math.max(cursor, b);
    }
    if (cursor < this.end) gaps.push([cursor, this.end]);
    const chunks = this.chunks.slice().sort((x, y) => x.offset - y.offset);
    return { bytes: this.bytes.slice(0, this.end), chunks, gaps, fin: this.fin };
  }
}

interface DirectionState {
  /** Sequence number of relative 0 (the ISN with a SYN, else the first sequence number seen). */
  base: number;
  /** Sequence number of stream offset 0 (ISN + 1 with a SYN). */
  dataStart: number;
  known: boolean;
  synSeen: boolean;
  /** Highest stream offset seen so far (end of the furthest segment). */
  maxEnd: number;
  lastAck?: number;
  lastWindow?: number;
}

export interface Reassembly {
  readonly segments: CapturedSegment[];
  readonly streams: TcpStream[];
  readonly problems: CaptureProblem[];
}

/** Put drafts (in record order) into streams; returns the finished segments, streams and notes. */
export function reassemble(
  drafts: readonly SegmentDraft[],
  onProgress?: (fraction: number) => void,
): Reassembly {
  const problems: CaptureProblem[] = [];
  const building: Building[] = [];
  const current = new Map<string, number>();
  const assignment: { stream: number; direction: 0 | 1 }[] = [];

  // Pass 1: which connection and which way.
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const a = endpointKey(d.src.ip, d.src.port);
    const b = endpointKey(d.dst.ip, d.dst.port);
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const syn = has(d.flags, 'SYN');
    const synOnly = syn && !has(d.flags, 'ACK');
    let id = current.get(key);
    const prev = id === undefined ? undefined : building[id];
    // Wireshark starts a new stream when a SYN arrives for a 4-tuple whose connection was closed (FIN/RST) and
    // is not a retransmission of the SYN that opened it.
    if (prev !== undefined && synOnly && (prev.reset || prev.finSeen) && prev.synSeq !== d.seq)
      id = undefined;
    if (id === undefined) {
      // The client is the SYN's sender; a SYN-ACK's receiver; else the higher port (an ephemeral one).
      const srcIsClient = syn ? synOnly : d.src.port >= d.dst.port;
      const [c, s] = srcIsClient ? [d.src, d.dst] : [d.dst, d.src];
      id = building.length;
      building.push({
        id,
        clientIp: c.ip,
        clientPort: c.port,
        serverIp: s.ip,
        serverPort: s.port,
        segments: [],
        synSeen: false,
        reset: false,
        finSeen: false,
      });
      current.set(key, id);
    }
    const st = building[id]!;
    const direction: 0 | 1 = d.src.ip === st.clientIp && d.src.port === st.clientPort ? 0 : 1;
    if (syn) {
      st.synSeen = true;
      if (synOnly && st.synSeq === undefined) st.synSeq = d.seq;
    }
    if (has(d.flags, 'RST')) st.reset = true;
    if (has(d.flags, 'FIN')) st.finSeen = true;
    st.segments.push(i);
    assignment.push({ stream: id, direction });
  }

  // Pass 2: each stream's directions — bases, then bytes and analysis in record order.
  const finished: CapturedSegment[] = new Array<CapturedSegment>(drafts.length);
  const streams: TcpStream[] = [];
  let done = 0;
  for (const st of building) {
    const dirs: [DirectionState, DirectionState] = [
      { base: 0, dataStart: 0, known: false, synSeen: false, maxEnd: 0 },
      { base: 0, dataStart: 0, known: false, synSeen: false, maxEnd: 0 },
    ];
    // Bases: the first SYN's sequence number in that direction, else the first segment's.
    for (const i of st.segments) {
      const d = drafts[i]!;
      const dir = dirs[assignment[i]!.direction];
      if (has(d.flags, 'SYN') && !dir.synSeen) {
        dir.synSeen = true;
        dir.known = true;
        dir.base = d.seq;
        dir.dataStart = (d.seq + 1) >>> 0;
      } else if (!dir.known) {
        dir.known = true;
        dir.base = d.seq;
        dir.dataStart = d.seq;
      }
    }
    // A direction never seen: its base is the first acknowledgment number the other side sent.
    for (const i of st.segments) {
      const d = drafts[i]!;
      const other = dirs[1 - assignment[i]!.direction]!;
      if (!other.known && has(d.flags, 'ACK')) {
        other.known = true;
        other.base = d.ack;
        other.dataStart = d.ack;
      }
    }
    const builders: [DirectionBuilder, DirectionBuilder] = [new DirectionBuilder(), new DirectionBuilder()];
    for (const i of st.segments) {
      const d = drafts[i]!;
      const { direction } = assignment[i]!;
      const dir = dirs[direction];
      const other = dirs[1 - direction]!;
      const builder = builders[direction];
      const analysis: Analysis[] = [];
      const syn = has(d.flags, 'SYN');
      const fin = has(d.flags, 'FIN');
      const rst = has(d.flags, 'RST');
      const [ps, pe] = d.ranges.payload;
      const capturedLength = pe - ps;
      if (capturedLength < d.payloadLength) analysis.push('truncated');
      // Data of a SYN starts after the SYN's own sequence number (RFC 9293 §3.4).
      const firstByte = syn ? (d.seq + 1) >>> 0 : d.seq;
      let offset = seqDiff(firstByte, dir.dataStart);
      const length = d.payloadLength;
      if (length > 0) {
        if (offset > dir.maxEnd + MAX_SEQUENCE_JUMP || offset + length < -MAX_SEQUENCE_JUMP) {
          problems.push({
            code: 'tcp-seq-jump',
            severity: 'note',
            record: d.record,
            message: `Record ${d.record}: its sequence number ${d.seq} lies ${Math.abs(offset)} bytes from the rest of stream ${st.id}; its data is left out of the stream.`,
          });
        } else {
          let data = d.data.subarray(ps, pe);
          if (offset < 0) {
            // Bytes before the first byte seen (a capture begun mid-stream, or a keep-alive): not in the stream.
            data = data.subarray(Math.min(-offset, data.length));
            offset = Math.max(offset, 0);
          }
          const end = offset + length;
          if (offset > dir.maxEnd) analysis.push('gap-before');
          if (offset < dir.maxEnd) {
            const already = builder.coveredIn(offset, offset + data.length);
            if (already > 0 && already >= data.length) analysis.push('retransmission');
            else if (already > 0) analysis.push('overlap');
            else analysis.push('out-of-order');
          }
          builder.place(i, offset, data);
          if (end > builder.end) {
            // Bytes announced but not captured (snaplen): part of the stream, as a gap.
            builder.ensure(end);
            builder.end = end;
          }
          dir.maxEnd = Math.max(dir.maxEnd, end);
        }
      } else if (!syn && !fin && !rst && has(d.flags, 'ACK')) {
        // packet-tcp.c's duplicate ACK: no data, no SYN/FIN/RST, a non-zero window, at the next sequence number,
        // with the same ACK and window as this side's previous segment.
        if (
          d.window !== 0 &&
          dir.lastAck === d.ack &&
          dir.lastWindow === d.window &&
          seqDiff(d.seq, dir.dataStart) === dir.maxEnd
        ) {
          analysis.push('dup-ack');
        }
      }
      if (d.window === 0 && !syn && !fin && !rst) analysis.push('zero-window');
      if (fin) builder.fin = true;
      if (has(d.flags, 'ACK')) {
        dir.lastAck = d.ack;
        dir.lastWindow = d.window;
      }
      const relSeq = (d.seq - dir.base) >>> 0;
      const relAck = has(d.flags, 'ACK') && other.known ? (d.ack - other.base) >>> 0 : 0;
      finished[i] = {
        ...d,
        stream: st.id,
        direction,
        relSeq,
        relAck,
        ...(analysis.length ? { analysis } : {}),
      };
      if (++done % 4096 === 0) onProgress?.(done / drafts.length);
    }
    const directions: [StreamDirection, StreamDirection] = [builders[0].finish(), builders[1].finish()];
    for (const [direction, dir] of directions.entries()) {
      for (const [a, b] of dir.gaps) {
        problems.push({
          code: 'tcp-gap',
          severity: 'note',
          message: `Stream ${st.id}, ${direction === 0 ? 'client → server' : 'server → client'}: bytes ${a}–${b - 1} (${b - a}) were not captured; they are shown as zeros.`,
        });
      }
    }
    streams.push({
      id: st.id,
      client: { ip: st.clientIp, port: st.clientPort },
      server: { ip: st.serverIp, port: st.serverPort },
      directions,
      segments: st.segments,
      synSeen: st.synSeen,
      reset: st.reset,
    });
  }
  onProgress?.(1);
  return { segments: finished, streams, problems };
}
