/**
 * The whole read of what the user opened, in one call: which file is the capture (by its first bytes: a pcap
 * or pcapng magic number, a HAR's JSON) and which the TLS key log (SSLKEYLOGFILE lines, RFC 8446 §7.1 secrets
 * by NSS's labels), then read → reassemble → decode → timeline. Runs in the Web Worker (worker.ts) and in
 * `npm run import`; never throws: whatever could not be read is a problem naming what and where.
 */
import { captureFormatOf } from './files';
import { decodeStreams } from './decode/index';
import { readHar } from './har';
import { parseKeyLog, type KeyLog } from './keylog';
import type { Capture, CaptureProblem, CaptureProgress } from './model';
import { readPacketCapture } from './read';
import { captureTimeline } from './timeline';
import type { Timeline } from '../sim/types';

export interface OpenedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface OpenOptions {
  readonly onProgress?: (progress: CaptureProgress) => void;
  readonly signal?: { readonly aborted: boolean };
  readonly limits?: { readonly fileBytes?: number; readonly segments?: number };
}

/** NSS key log labels a line starts with (the SSLKEYLOGFILE format Wireshark and Chrome use). */
const KEY_LOG_LINE =
  /^(CLIENT_RANDOM|CLIENT_EARLY_TRAFFIC_SECRET|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EARLY_EXPORTER_SECRET|EXPORTER_SECRET) /m;

function startText(bytes: Uint8Array, n = 4096): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, n));
}

type Kind = 'packets' | 'har' | 'keylog' | 'unknown';

function kindOf(file: OpenedFile): Kind {
  if (captureFormatOf(file.bytes)) return 'packets';
  const head = startText(file.bytes)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{')) return 'har';
  if (KEY_LOG_LINE.test(head)) return 'keylog';
  if (/\.(pcap|pcapng|cap)$/i.test(file.name)) return 'packets';
  if (/\.har$/i.test(file.name)) return 'har';
  return 'unknown';
}

/** Read the files into a Capture: one capture file (pcap, pcapng or HAR) and optionally a key log. */
export function openCapture(files: readonly OpenedFile[], opts: OpenOptions = {}): Capture {
  const kinds = files.map(kindOf);
  const problems: CaptureProblem[] = [];
  let mainIndex = kinds.findIndex((k) => k === 'packets' || k === 'har');
  if (mainIndex < 0) mainIndex = kinds.findIndex((k) => k === 'unknown');
  const keyFiles = files.filter((_, i) => kinds[i] === 'keylog' && i !== mainIndex);
  files.forEach((f, i) => {
    if (i !== mainIndex && kinds[i] !== 'keylog') {
      problems.push({
        code: 'extra-file',
        severity: 'note',
        message: `${f.name} was left aside: only one capture is read at a time (with its key log).`,
      });
    }
  });
  if (mainIndex < 0) {
    // Only key logs: nothing to apply them to.
    const names = files.map((f) => f.name).join(', ');
    return {
      source: {
        name: names,
        format: 'pcap',
        size: 0,
        records: 0,
        interfaces: [],
        skipped: {},
        keyLog: 'file',
      },
      segments: [],
      streams: [],
      messages: [],
      problems: [
        {
          code: 'no-capture',
          severity: 'error',
          message: `${names} ${files.length === 1 ? 'is a TLS key log' : 'are TLS key logs'}: open it together with the capture (pcap, pcapng) it decrypts.`,
        },
      ],
    };
  }
  const main = files[mainIndex]!;
  if (kinds[mainIndex] === 'har') {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(main.bytes);
    opts.onProgress?.({ phase: 'decoding', fraction: 0 });
    const har = readHar(text, main.name);
    return { ...har, problems: [...problems, ...har.problems] };
  }
  const read = readPacketCapture(main.bytes, main.name, {
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  const keyTexts = keyFiles.map((f) => ({ name: f.name, text: new TextDecoder().decode(f.bytes) }));
  if (read.keyLogText)
    keyTexts.push({ name: `${main.name} (its Decryption Secrets Block)`, text: read.keyLogText });
  let keyLog: KeyLog | undefined;
  if (keyTexts.length > 0) {
    keyLog = parseKeyLog(keyTexts.map((k) => k.text).join('\n'), keyTexts.map((k) => k.name).join(' + '));
    problems.push(...keyLog.problems);
  }
  opts.onProgress?.({ phase: 'decoding', fraction: 0 });
  const decoded = decodeStreams(read.streams, read.segments, keyLog ? { keyLog } : {});
  return {
    source: { ...read.source, keyLog: keyFiles.length > 0 ? 'file' : read.source.keyLog },
    segments: read.segments,
    streams: read.streams,
    messages: decoded.messages,
    problems: [...problems, ...read.problems, ...decoded.problems],
  };
}

/** The files as the timeline every view draws. */
export function openCaptureTimeline(files: readonly OpenedFile[], opts: OpenOptions = {}): Timeline {
  const capture = openCapture(files, opts);
  opts.onProgress?.({ phase: 'drawing', fraction: 0 });
  return captureTimeline(capture);
}
