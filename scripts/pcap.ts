/**
 * `npm run pcap -- "<link or query string>" out.pcap [host]` (or `-` to read the link from standard input,
 * `@FILE` from a file, for links longer than the shell passes): write every packet of the scenario as the
 * client's network card sees it (classic libpcap, Ethernet), or as another card does (`server`,
 * `client-2`…, or a router's card towards the server: `router` or `router-1`, `router-2`… with hops>1),
 * ARP included. Problems the link parser found go to stderr; the capture of the scenario it settled on is
 * still written. A TLS scenario also writes its key log (NSS format) as out.keys.
 */
import { writeFileSync } from 'node:fs';
import { parseLink } from '../src/lesson/link';
import { buildTimeline, timelineKeyLog, timelinePcap } from '../src/sim/timeline';
import { captureCards, cardPlace, framesAtCard } from '../src/sim/cards';
import { ALL_STORIES } from '../src/sim/stories';
import { linkArgument } from './linkInput';

const [input, out, at = 'client'] = process.argv.slice(2);
if (input === undefined || out === undefined) {
  process.stderr.write(
    'usage: npm run pcap -- "<link or query string>"|-|@FILE out.pcap [client|server|router|router-2|client-2…]\n',
  );
  process.exit(2);
}
const { state, problems } = parseLink(linkArgument(input));
for (const p of problems) process.stderr.write(`${p.param}: ${p.message}\n`);
const timeline = buildTimeline(state.scenario, ALL_STORIES);
// As seen at one network card: Browser 1's by default; `server` sees every browser of a Socket.IO run.
if (cardPlace(timeline, at) === null) {
  process.stderr.write(`no card ${at}: ${captureCards(timeline).join(', ')}\n`);
  process.exit(2);
}
const bytes = timelinePcap(timeline, at);
writeFileSync(out, bytes);
const frames = framesAtCard(timeline, at) ?? [];
const arp = frames.filter((f) => f.arp).length;
process.stderr.write(`${out}: ${frames.length} frames at ${at} (${arp} ARP), ${bytes.length} bytes\n`);
// A TLS scenario also writes its key log beside the capture: out.keys for out.pcap (NSS format, which
// Wireshark reads with -o tls.keylog_file:out.keys).
const keyLog = timelineKeyLog(timeline);
if (keyLog !== null) {
  const keys = out.replace(/\.pcap$/, '') + '.keys';
  writeFileSync(keys, keyLog);
  process.stderr.write(`${keys}: ${keyLog.split('\n').length - 1} secrets\n`);
}
