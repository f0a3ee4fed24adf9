/**
 * `npm run pcap -- "<link or query string>" out.pcap`: write every packet of the scenario as the
 * client's network card sees it (classic libpcap, Ethernet). Problems the link parser found go to
 * stderr; the capture of the scenario it settled on is still written.
 */
import { writeFileSync } from 'node:fs';
import { parseLink } from '../src/lesson/link';
import { buildTimeline, timelinePcap } from '../src/sim/timeline';

const [input, out] = process.argv.slice(2);
if (input === undefined || out === undefined) {
  process.stderr.write('usage: npm run pcap -- "<link or query string>" out.pcap\n');
  process.exit(2);
}
const { state, problems } = parseLink(input);
for (const p of problems) process.stderr.write(`${p.param}: ${p.message}\n`);
const timeline = buildTimeline(state.scenario);
const bytes = timelinePcap(timeline);
writeFileSync(out, bytes);
process.stderr.write(`${out}: ${timeline.packets.length} packets, ${bytes.length} bytes\n`);
