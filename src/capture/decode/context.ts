/**
 * What every application decoder shares: the bytes it reads (a `Channel`: one direction of a TCP stream,
 * or the decrypted content of that direction's TLS records), and the collector that turns a byte range
 * into a `CapturedMessage` with its place in the stream, the segments that carried it and its time.
 */
import type {
  CapturedMessage,
  CapturedMessageBody,
  CapturedSegment,
  CaptureProblem,
  MessagePlace,
  TcpStream,
} from '../model';
import type { FieldAnnotation } from '../../protocol/fields';

/** A run of decrypted bytes and the TLS record (a range of the TCP stream) they came from. */
export interface PlainPiece {
  readonly plainStart: number;
  readonly plainEnd: number;
  readonly streamStart: number;
  readonly streamEnd: number;
}

export interface Channel {
  readonly stream: number;
  readonly direction: 0 | 1;
  readonly from: 'client' | 'server';
  /** The bytes the decoder reads: the TCP stream's, or the TLS plaintext (then `pieces` maps them back). */
  readonly bytes: Uint8Array;
  /** The sender closed its side (FIN seen): a body "until close" ends at the end of `bytes`. */
  readonly fin: boolean;
  /** [start, end) ranges of `bytes` never captured (TCP gaps; always empty for plaintext). */
  readonly gaps: readonly (readonly [number, number])[];
  /** For TLS plaintext, sorted by plainStart; absent when `bytes` are the stream's own. */
  readonly pieces?: readonly PlainPiece[];
}

/** The first gap overlapping [start, end), or null. */
export function gapIn(ch: Channel, start: number, end: number): readonly [number, number] | null {
  for (const g of ch.gaps) if (g[0] < end && g[1] > start) return g;
  return null;
}

/** First index in a sorted array whose `key(x)` exceeds `value` (binary search). */
function upperBound<T>(xs: readonly T[], value: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(xs[mid]!) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const lossy = new TextDecoder('utf-8');

/** UTF-8 text, replacement characters for what is not (as the model's `text` fields promise). */
export function lossyText(bytes: Uint8Array): string {
  return lossy.decode(bytes);
}

export class Decoding {
  readonly messages: CapturedMessage[] = [];
  readonly problems: CaptureProblem[] = [];

  constructor(
    readonly streams: readonly TcpStream[],
    readonly segments: readonly CapturedSegment[],
  ) {}

  /** The stream range behind a channel range: itself, or the TLS records holding those plaintext bytes. */
  streamRange(ch: Channel, start: number, end: number): readonly [number, number] {
    const pieces = ch.pieces;
    if (!pieces || pieces.length === 0) return [start, end];
    const i = Math.min(
      upperBound(pieces, start, (p) => p.plainEnd),
      pieces.length - 1,
    );
    const lastEnd = Math.max(start, end - 1);
    const j = Math.min(pieces.length - 1, Math.max(i, upperBound(pieces, lastEnd, (p) => p.plainStart) - 1));
    return [pieces[i]!.streamStart, pieces[j]!.streamEnd];
  }

  /** Every segment with a chunk overlapping [start, end) of one direction, in record order. */
  place(stream: number, direction: 0 | 1, start: number, end: number): MessagePlace {
    const chunks = this.streams[stream]?.directions[direction].chunks ?? [];
    const out: number[] = [];
    let k = Math.max(0, upperBound(chunks, start, (c) => c.offset) - 1);
    for (; k < chunks.length; k++) {
      const c = chunks[k]!;
      if (c.offset >= end && !(end === start && c.offset === start)) break;
      if (c.offset + c.length > start || (c.length === 0 && c.offset === start)) out.push(c.segment);
    }
    out.sort((a, b) => a - b);
    const segments = out.filter((s, i) => i === 0 || out[i - 1] !== s);
    return { stream, direction, start, end, segments };
  }

  /** Time of the segment that completed the message (the last in record order). */
  timeOf(place: MessagePlace): number {
    const last = place.segments[place.segments.length - 1];
    return last === undefined ? 0 : (this.segments[last]?.time ?? 0);
  }

  /** Where a channel byte lies in the file: the record and the byte offset in it (for a problem). */
  locate(ch: Channel, offset: number): { record?: number; offset?: number } {
    const [s] = this.streamRange(ch, offset, offset + 1);
    const chunks = this.streams[ch.stream]?.directions[ch.direction].chunks ?? [];
    const k = upperBound(chunks, s, (c) => c.offset) - 1;
    const c = chunks[k];
    if (!c) return {};
    const seg = this.segments[c.segment];
    if (!seg) return {};
    return { record: seg.record, offset: seg.ranges.payload[0] + Math.min(s - c.offset, c.length) };
  }

  problem(
    code: string,
    message: string,
    severity: 'error' | 'note',
    at?: { readonly ch: Channel; readonly offset: number },
  ): CaptureProblem {
    const p: CaptureProblem = { code, message, severity, ...(at ? this.locate(at.ch, at.offset) : {}) };
    this.problems.push(p);
    return p;
  }

  /**
   * A message over [start, end) of the channel. `fields` are offsets into the channel bytes; they are
   * re-based to the message's start (for stream bytes: `place.start`; for plaintext: `plaintext`).
   */
  emit(
    ch: Channel,
    start: number,
    end: number,
    body: CapturedMessageBody,
    summary: string,
    fields: readonly FieldAnnotation[] = [],
    problems: readonly CaptureProblem[] = [],
  ): CapturedMessage {
    const [s, e] = this.streamRange(ch, start, end);
    const place = this.place(ch.stream, ch.direction, s, e);
    const rebased =
      start === 0 ? fields : fields.map((f) => ({ ...f, start: f.start - start, end: f.end - start }));
    const message: CapturedMessage = {
      place,
      time: this.timeOf(place),
      from: ch.from,
      body,
      summary,
      fields: rebased,
      ...(ch.pieces ? { plaintext: ch.bytes.slice(start, end) } : {}),
      ...(problems.length > 0 ? { problems } : {}),
    };
    this.messages.push(message);
    return message;
  }
}

/** Fields shifted by `by` bytes (a decoder given a subarray reports offsets from its start). */
export function shift(fields: readonly FieldAnnotation[], by: number): FieldAnnotation[] {
  return fields.map((f) => ({ ...f, start: f.start + by, end: f.end + by }));
}
