/**
 * What Wireshark's own engine reads in the capture fixtures, written once to tests/fixtures/capture/tshark.json
 * for tests/capture/reference.test.ts to compare `readPacketCapture` against (tshark is not needed to run the
 * tests). For each file: every TCP frame's number, stream, relative seq/ack, payload length, tcp.analysis
 * flags and time since the first frame (`tshark -r F -Y tcp -T fields …`), and each stream's `tshark -r F -q -z follow,tcp,raw,N` bytes as
 * length + SHA-256 per node.
 *
 *   npx tsx scripts/capture-tshark.ts   (run by scripts/make-capture-fixtures.sh)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';

const DIR = 'tests/fixtures/capture';
export const ANALYSIS_FIELDS = {
  retransmission: 'tcp.analysis.retransmission',
  'out-of-order': 'tcp.analysis.out_of_order',
  'dup-ack': 'tcp.analysis.duplicate_ack',
  'zero-window': 'tcp.analysis.zero_window',
  'gap-before': 'tcp.analysis.lost_segment',
} as const;

function tshark(args: readonly string[]): string {
  return execFileSync('tshark', ['-o', 'tcp.relative_sequence_numbers:TRUE', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

function files(): string[] {
  const top = readdirSync(DIR).filter((f) => /\.(pcap|pcapng)$/.test(f));
  const routed = readdirSync(join(DIR, 'routed'))
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => join('routed', f));
  return [...top, ...routed, '../real-ws-loopback.pcap', '../real-socketio-loopback.pcap'].sort();
}

const out: Record<string, unknown> = {};
for (const f of files()) {
  const path = join(DIR, f);
  const fields = [
    'frame.number',
    'tcp.stream',
    'tcp.seq',
    'tcp.ack',
    'tcp.len',
    ...Object.values(ANALYSIS_FIELDS),
    'frame.time_relative',
  ];
  const timeColumn = fields.length - 1;
  const rows = tshark(['-r', path, '-Y', 'tcp', '-T', 'fields', ...fields.flatMap((x) => ['-e', x])])
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const c = l.split('\t');
      const analysis = Object.keys(ANALYSIS_FIELDS).filter(
        (_, i) => c[5 + i] !== '' && c[5 + i] !== undefined,
      );
      const row = [Number(c[0]), Number(c[1]), Number(c[2]), Number(c[3]), Number(c[4]), analysis.join(',')];
      return [...row, Number(c[timeColumn])];
    });
  const streamCount = new Set(rows.map((r) => r[1])).size;
  const streams = [];
  for (let n = 0; n < streamCount; n++) {
    const text = tshark(['-r', path, '-q', '-z', `follow,tcp,raw,${n}`]);
    const nodes: string[] = [];
    const hex = ['', ''];
    for (const line of text.split('\n')) {
      const m = /^Node ([01]): (.*)$/.exec(line);
      if (m) nodes[Number(m[1])] = m[2]!;
      else if (/^\t?[0-9a-f]+$/.test(line)) hex[line.startsWith('\t') ? 1 : 0] += line.trim();
    }
    streams.push(
      [0, 1].map((i) => {
        // follow writes `[N bytes missing in capture file]` and a NUL where a segment was lost: taken out of the
        // bytes and listed as `missing`, to compare with the reader's gaps.
        const missing: number[] = [];
        const text = Buffer.from(hex[i]!, 'hex')
          .toString('latin1')
          .replace(/\[(\d+) bytes missing in capture file\]\0/g, (_, n: string) => {
            missing.push(Number(n));
            return '';
          });
        const bytes = Buffer.from(text, 'latin1');
        return {
          node: nodes[i],
          length: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          missing,
        };
      }),
    );
  }
  out[f] = { tcpFrames: rows.length, streams, frames: rows };
}
writeFileSync(join(DIR, 'tshark.json'), await format(JSON.stringify(out), { parser: 'json' }));
console.log(`wrote ${join(DIR, 'tshark.json')}: ${Object.keys(out).length} captures`);
