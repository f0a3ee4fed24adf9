/**
 * `npm run import -- FILE [--keys KEYLOG]`: read a capture (pcap, pcapng or HAR, and the TLS key log that
 * decrypts it) the way the page does (src/capture/open.ts, the same code the Web Worker runs) and print its
 * timeline as `npm run timeline` prints a lesson's, one line per step; then every problem the readers noted
 * (what and where: record number, byte offset) on stderr. `--text` adds each step's narration.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openCaptureTimeline, type OpenedFile } from '../src/capture/open';
import { timelineText } from '../src/sim/timeline';

const args = process.argv.slice(2);
const files: OpenedFile[] = [];
let withText = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--keys') {
    const path = args[++i];
    if (!path) {
      process.stderr.write('--keys needs a file: npm run import -- capture.pcap --keys capture.keys\n');
      process.exit(2);
    }
    files.push(readInput(path));
  } else if (a === '--text') withText = true;
  else files.push(readInput(a));
}
if (files.length === 0) {
  process.stderr.write('usage: npm run import -- FILE [--keys KEYLOG] [--text]\n');
  process.exit(2);
}

function readInput(path: string): OpenedFile {
  try {
    return { name: basename(path), bytes: new Uint8Array(readFileSync(path)) };
  } catch (err) {
    process.stderr.write(`${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

const timeline = openCaptureTimeline(files);
if (withText) {
  const lines = timelineText(timeline).split('\n');
  const out: string[] = [];
  timeline.steps.forEach((s, i) => out.push(lines[i]!, `       ${s.text}`));
  process.stdout.write(out.join('\n') + '\n');
} else process.stdout.write(timelineText(timeline));
const c = timeline.capture;
if (c) {
  process.stderr.write(
    `${c.name}: ${c.format}, ${c.size} bytes, ${c.records} ${c.format === 'har' ? 'entries' : 'records'}, ` +
      `${timeline.packets.length} TCP segments, ${timeline.steps.length} steps\n`,
  );
  for (const p of c.problems) {
    const where = [
      p.record !== undefined ? `record ${p.record}` : '',
      p.offset !== undefined ? `byte ${p.offset}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    process.stderr.write(`${p.severity}${where ? ` (${where})` : ''}: ${p.message} [${p.code}]\n`);
  }
}
