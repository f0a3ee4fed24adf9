/**
 * A large, realistic capture for the browser test and the benchmark: one simulated WebSocket conversation
 * (src/sim, the same bytes every lesson has) captured at the browser's card, repeated on as many connections
 * as it takes to reach the size asked for. Each copy gets its own client port (written into the frames; the
 * TCP checksum is left as it was, as on a loopback capture where the card computes it) and comes after the
 * previous one in time. Deterministic: the same size gives the same bytes.
 *
 * `tsx scripts/bigCapture.ts OUT.pcap [MEGABYTES]` writes one (default 50 MB).
 */
import { writeFileSync } from 'node:fs';
import { decodePcap, encodePcap, type PcapRecord } from '../src/protocol/pcap';
import { SCENARIO_DEFAULTS, type Scenario } from '../src/sim/scenario';
import { buildTimeline, timelinePcap } from '../src/sim/timeline';
import { ALL_STORIES } from '../src/sim/stories';

/** Eight messages each way of a few kilobytes: several segments each, as a chat with pasted text would be. */
function conversation(): Scenario {
  const messages = Array.from({ length: 8 }, (_, i) => ({
    from: i % 2 === 0 ? ('c' as const) : ('s' as const),
    text: `message ${i + 1}: ` + 'The quick brown fox jumps over the lazy dog. '.repeat(90),
  }));
  return { ...SCENARIO_DEFAULTS, lesson: 'websocket', walk: 'none', messages };
}

export function bigCapture(targetBytes: number): Uint8Array {
  const timeline = buildTimeline(conversation(), ALL_STORIES);
  const decoded = decodePcap(timelinePcap(timeline));
  if (!decoded.ok) throw new Error(`the simulated capture does not decode: ${decoded.error.message}`);
  const one = decoded.repr.records;
  const clientPort = timeline.packets[0]!.tcp.srcPort;
  const perCopy = one.reduce((n, r) => n + 16 + r.data.length, 0);
  const copies = Math.max(1, Math.floor((targetBytes - 24) / perCopy));
  const span = one[one.length - 1]!.timestampUs - one[0]!.timestampUs + 1000;
  const records: PcapRecord[] = [];
  for (let k = 0; k < copies; k++) {
    const port = 1024 + (k % 60000);
    for (const r of one) {
      const data = r.data.slice();
      const view = new DataView(data.buffer);
      // Ethernet (14) + IPv4 without options (20): the TCP ports are at 34 and 36.
      if (view.getUint16(34) === clientPort) view.setUint16(34, port);
      if (view.getUint16(36) === clientPort) view.setUint16(36, port);
      records.push({ ...r, timestampUs: r.timestampUs + k * span, data });
    }
  }
  return encodePcap(records);
}

if (process.argv[1] && /bigCapture\.ts$/.test(process.argv[1])) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: tsx scripts/bigCapture.ts OUT.pcap [MEGABYTES]\n');
    process.exit(2);
  }
  const mb = Number(process.argv[3] ?? 50);
  const bytes = bigCapture(mb * 1024 * 1024);
  writeFileSync(out, bytes);
  process.stdout.write(`${out}: ${bytes.length} bytes\n`);
}
