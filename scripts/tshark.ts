/**
 * Dissect a pcap with the real Wireshark engine (tshark) and report what a student would see:
 * checksum verdicts, malformed packets, expert warnings/errors and the WebSocket texts.
 * Shared by the wire tests (scripts/wire-test.ts, scripts/wire-matrix.ts).
 */
import { execFileSync } from 'node:child_process';

/** Wireshark expert severities (epan/proto.h): chat 0x200000, note 0x400000, warn 0x600000, error 0x800000. */
export const EXPERT = { chat: 0x200000, note: 0x400000, warn: 0x600000, error: 0x800000 } as const;

export interface DissectedFrame {
  readonly number: number;
  readonly ipChecksum: string; // '1' good, '0' bad, '2' unverified
  readonly tcpChecksum: string;
  readonly malformed: boolean;
  readonly experts: readonly { readonly severity: number; readonly message: string }[];
  /** WebSocket text payloads (already unmasked and reassembled by Wireshark). */
  readonly wsTexts: readonly string[];
  readonly analysis: readonly string[]; // tcp.analysis flags present, e.g. 'retransmission'
  readonly info: string;
}

const FIELDS = [
  'frame.number',
  'ip.checksum.status',
  'tcp.checksum.status',
  '_ws.malformed',
  '_ws.expert.severity',
  '_ws.expert.message',
  'websocket.payload.text',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.out_of_order',
  'tcp.analysis.spurious_retransmission',
  '_ws.col.Info',
] as const;

export function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Between a field's occurrences in `tsharkColumns` output. Not 0x1e: Engine.IO polling bodies contain it.
 * Columns are separated by tabs, which tshark escapes (as `\t`) inside field values.
 */
export const OCCURRENCES = '\x1f';

/**
 * Run tshark with IPv4 and TCP checksum validation on and return one row per frame: for each requested field,
 * its occurrences joined by OCCURRENCES (empty when absent). Every wire test reads tshark through here.
 */
export function tsharkColumns(
  pcapPath: string,
  fields: readonly string[],
  extraPrefs: readonly string[] = [],
): string[][] {
  const args = [
    '-r',
    pcapPath,
    '-o',
    'ip.check_checksum:TRUE',
    '-o',
    'tcp.check_checksum:TRUE',
    ...extraPrefs.flatMap((p) => ['-o', p]),
    '-T',
    'fields',
    '-E',
    'separator=\t',
    '-E',
    'occurrence=a',
    '-E',
    `aggregator=${OCCURRENCES}`,
    ...fields.flatMap((f) => ['-e', f]),
  ];
  const out = execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

/** Run tshark with checksum validation on and parse one record per frame. */
export function dissect(pcapPath: string, extraPrefs: readonly string[] = []): DissectedFrame[] {
  const frames: DissectedFrame[] = [];
  for (const col of tsharkColumns(pcapPath, FIELDS, extraPrefs)) {
    const list = (i: number) => (col[i] ? col[i]!.split(OCCURRENCES) : []);
    const severities = list(4).map(Number);
    const messages = list(5);
    const analysis: string[] = [];
    const names = [
      'retransmission',
      'fast_retransmission',
      'duplicate_ack',
      'lost_segment',
      'ack_lost_segment',
      'out_of_order',
      'spurious_retransmission',
    ];
    names.forEach((n, k) => {
      if (col[7 + k]) analysis.push(n);
    });
    frames.push({
      number: Number(col[0]),
      ipChecksum: col[1] ?? '',
      tcpChecksum: col[2] ?? '',
      malformed: Boolean(col[3]),
      experts: severities.map((severity, k) => ({ severity, message: messages[k] ?? '' })),
      wsTexts: list(6).map(unescapeTshark),
      analysis,
      info: col[14] ?? '',
    });
  }
  return frames;
}

/** tshark -T fields escapes \\, \t, \n, \r in string fields. */
function unescapeTshark(s: string): string {
  return s.replace(/\\([\\tnr])/g, (_, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c]!);
}

/** Problems a student would see in Wireshark: bad checksums, malformed packets, expert warnings or errors. */
export function wireProblems(
  frames: readonly DissectedFrame[],
  allowExpert: (frame: DissectedFrame, message: string) => boolean = () => false,
): string[] {
  const problems: string[] = [];
  for (const f of frames) {
    if (f.ipChecksum !== '1')
      problems.push(`frame ${f.number}: IPv4 checksum status ${f.ipChecksum || 'missing'}`);
    if (f.tcpChecksum !== '1')
      problems.push(`frame ${f.number}: TCP checksum status ${f.tcpChecksum || 'missing'}`);
    if (f.malformed) problems.push(`frame ${f.number}: malformed (${f.info})`);
    for (const e of f.experts) {
      if (e.severity >= EXPERT.warn && !allowExpert(f, e.message)) {
        problems.push(
          `frame ${f.number}: expert ${e.severity >= EXPERT.error ? 'error' : 'warning'}: ${e.message}`,
        );
      }
    }
  }
  return problems;
}
