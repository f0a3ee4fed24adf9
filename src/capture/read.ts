/**
 * A capture file's bytes → its TCP segments, reassembled streams and every problem met: the one entry point
 * for pcap and pcapng (HAR is read by `har.ts`). Runs in a Web Worker: bytes in, plain data out, no Node APIs.
 *
 * Limits (`CAPTURE_LIMITS`): beyond them reading stops, what was read is kept, and a problem names the limit
 * and how to cut the file first.
 */
import { captureFormatOf, readCaptureFile, type FileRecord } from './files';
import { linkKindOf, parseRecord } from './links';
import {
  CAPTURE_LIMITS,
  type CaptureProblem,
  type CaptureProgress,
  type CaptureSource,
  type CapturedSegment,
  type LinkKind,
  type TcpStream,
} from './model';
import { reassemble, type SegmentDraft } from './streams';

export interface PacketCaptureRead {
  readonly source: CaptureSource;
  /** Every TCP segment read, in record order. */
  readonly segments: readonly CapturedSegment[];
  readonly streams: readonly TcpStream[];
  readonly problems: readonly CaptureProblem[];
  /** TLS key log text from the file's Decryption Secrets Blocks (pcapng), for the TLS decoder. */
  readonly keyLogText?: string;
}

export interface ReadPacketCaptureOptions {
  readonly onProgress?: (progress: CaptureProgress) => void;
  /** Checked now and then; when set, reading stops and what was read so far is returned. */
  readonly signal?: { readonly aborted: boolean };
  /** Override `CAPTURE_LIMITS` (tests, the command-line importer). */
  readonly limits?: { readonly fileBytes?: number; readonly segments?: number };
}

/** Problems of one code beyond this many are summed up in one last problem, so a broken file stays readable. */
const MAX_PROBLEMS_PER_CODE = 50;

class ProblemList {
  readonly list: CaptureProblem[] = [];
  private readonly counts = new Map<string, number>();

  add(p: CaptureProblem): void {
    const n = (this.counts.get(p.code) ?? 0) + 1;
    this.counts.set(p.code, n);
    if (n <= MAX_PROBLEMS_PER_CODE) this.list.push(p);
  }

  finish(): CaptureProblem[] {
    for (const [code, n] of this.counts) {
      if (n > MAX_PROBLEMS_PER_CODE) {
        const severity = this.list.find((p) => p.code === code)?.severity ?? 'note';
        this.list.push({
          code,
          severity,
          message: `… and ${n - MAX_PROBLEMS_PER_CODE} more like that (${n} in all); only the first ${MAX_PROBLEMS_PER_CODE} are listed.`,
        });
      }
    }
    return this.list;
  }
}

function millisBetween(a: FileRecord, sec: number, ns: number): number {
  return (a.seconds - sec) * 1000 + (a.nanos - ns) / 1e6;
}

/**
 * Read a pcap or pcapng file. Never throws; a file that is neither yields one `bad-magic` problem and nothing else.
 */
export function readPacketCapture(
  bytes: Uint8Array,
  name: string,
  opts: ReadPacketCaptureOptions = {},
): PacketCaptureRead {
  const limits = {
    fileBytes: opts.limits?.fileBytes ?? CAPTURE_LIMITS.fileBytes,
    segments: opts.limits?.segments ?? CAPTURE_LIMITS.segments,
  };
  const problems = new ProblemList();
  const format = captureFormatOf(bytes);
  if (format === null) {
    const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    problems.add({
      code: 'bad-magic',
      severity: 'error',
      offset: 0,
      message:
        `${name} is not a pcap or pcapng capture: it starts with ${found === '' ? 'nothing (the file is empty)' : `the bytes ${found}`}, ` +
        'where a pcap file starts with d4 c3 b2 a1 (or a1 b2 c3 d4, or the nanosecond 4d 3c b2 a1 / a1 b2 3c 4d) ' +
        'and a pcapng file with 0a 0d 0d 0a.',
    });
    return {
      source: {
        name,
        format: 'pcap',
        size: bytes.length,
        records: 0,
        interfaces: [],
        skipped: {},
        keyLog: 'none',
      },
      segments: [],
      streams: [],
      problems: problems.finish(),
    };
  }

  const drafts: SegmentDraft[] = [];
  const skipped: Record<string, number> = {};
  const unknownLinks = new Set<number>();
  let first: { sec: number; ns: number } | undefined;
  const skip = (what: string): void => {
    skipped[what] = (skipped[what] ?? 0) + 1;
  };

  const file = readCaptureFile(
    bytes,
    (rec) => {
      if (first === undefined) first = { sec: rec.seconds, ns: rec.nanos };
      const parsed = parseRecord(rec.linkType, rec.data, rec.originalLength);
      if (parsed.kind === 'skip') {
        skip(parsed.what);
        if (parsed.note) {
          problems.add({
            code: parsed.note.code,
            severity: 'note',
            record: rec.record,
            message: `Record ${rec.record} is ${parsed.note.message}; it is skipped.`,
          });
        }
        return true;
      }
      if (parsed.kind === 'error') {
        skip(parsed.what);
        if (parsed.code === 'unknown-link-type') {
          if (!unknownLinks.has(rec.linkType)) {
            unknownLinks.add(rec.linkType);
            problems.add({
              code: 'unknown-link-type',
              severity: 'error',
              record: rec.record,
              message:
                `Record ${rec.record} (and every other on that interface) has link type ${rec.linkType}, which this reader does not know; ` +
                'it reads Ethernet (1), Linux cooked SLL/SLL2 (113/276), BSD loopback (0/108) and raw IP (101/228/229). ' +
                'Capture again on a supported interface, or convert with `tshark -r in.pcapng -w out.pcap` if the packets are Ethernet.',
            });
          }
          return true;
        }
        problems.add({
          code: parsed.code,
          severity: 'error',
          record: rec.record,
          offset: parsed.offset,
          message: `Record ${rec.record}: ${parsed.message} (byte ${parsed.offset} of the record); it is skipped.`,
        });
        return true;
      }
      if (drafts.length >= limits.segments) {
        problems.add({
          code: 'limit-segments',
          severity: 'error',
          record: rec.record,
          offset: rec.offset,
          message:
            `The capture has more than ${limits.segments.toLocaleString('en')} TCP segments, more than a lesson can step through; ` +
            `reading stopped at record ${rec.record} (byte ${rec.offset}). Keep only the connection you want first, e.g. ` +
            '`tshark -r in.pcap -Y "tcp.stream == 0" -w out.pcap`, or cut it with `editcap -r in.pcap out.pcap 1-20000`.',
        });
        return false;
      }
      const t = parsed.tcp;
      drafts.push({
        record: rec.record,
        time: millisBetween(rec, first.sec, first.ns),
        iface: rec.iface,
        link: parsed.link,
        data: rec.data,
        originalLength: rec.originalLength,
        fields: parsed.fields,
        ranges: parsed.ranges,
        ipVersion: parsed.ipVersion,
        ttl: parsed.ttl,
        src: { ip: parsed.srcIp, port: t.srcPort },
        dst: { ip: parsed.dstIp, port: t.dstPort },
        ...(parsed.srcMac === undefined ? {} : { srcMac: parsed.srcMac }),
        ...(parsed.dstMac === undefined ? {} : { dstMac: parsed.dstMac }),
        seq: t.seq,
        ack: t.ack,
        flags: t.flags,
        window: t.window,
        payloadLength: parsed.payloadLength,
      });
      return true;
    },
    {
      maxBytes: limits.fileBytes,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress
        ? { onProgress: (fraction) => opts.onProgress!({ phase: 'reading', fraction }) }
        : {}),
    },
  );
  for (const p of file.problems) problems.add(p);

  const r = reassemble(
    drafts,
    opts.onProgress ? (fraction) => opts.onProgress!({ phase: 'reassembling', fraction }) : undefined,
  );
  for (const p of r.problems) problems.add(p);

  const source: CaptureSource = {
    name,
    format: file.format,
    size: bytes.length,
    records: file.records,
    interfaces: file.interfaces.map((i) => {
      const link: LinkKind | `unknown (${number})` = linkKindOf(i.linkType) ?? `unknown (${i.linkType})`;
      return i.name === undefined ? { link } : { link, name: i.name };
    }),
    skipped,
    keyLog: file.keyLogText === undefined ? 'none' : 'dsb',
  };
  const out: PacketCaptureRead = {
    source,
    segments: r.segments,
    streams: r.streams,
    problems: problems.finish(),
  };
  return file.keyLogText === undefined ? out : { ...out, keyLogText: file.keyLogText };
}
