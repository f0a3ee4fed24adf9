/**
 * tests/fixtures/capture/perturbed.pcap: the real exchange of dumpcap-lo.pcap with the trouble a real network
 * causes, made by moving its records (run by scripts/make-capture-fixtures.sh, before scripts/capture-tshark.ts
 * records what tshark's TCP analysis says about it):
 *   record 5's window set to 0 (zero window); record 12 dropped (a hole before 14: tshark's "previous segment not
 *   captured"); 13 before 11 (out of order); 8 again after 14 (retransmission); 18 twice (duplicate ACK).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { recordsOf, writePcap } from '../tests/capture/pcapFiles';

const DIR = 'tests/fixtures/capture';
const { linkType, records } = recordsOf(new Uint8Array(readFileSync(`${DIR}/dumpcap-lo.pcap`)));
const r = (n: number) => records[n - 1]!;
const zeroWindow = r(5).data.slice();
// Ethernet 14 + IPv4 20: the TCP window is bytes 14–15 of the TCP header.
zeroWindow[14 + 20 + 14] = 0;
zeroWindow[14 + 20 + 15] = 0;
const order = [
  r(1),
  r(2),
  r(3),
  r(4),
  { ...r(5), data: zeroWindow },
  r(6),
  r(7),
  r(8),
  r(9),
  r(10),
  r(13),
  r(11),
];
order.push(r(14), r(8), r(15), r(16), r(17), r(18), r(18));
writeFileSync(`${DIR}/perturbed.pcap`, writePcap(order, { linkType }));
console.log(`wrote ${DIR}/perturbed.pcap: ${order.length} records`);
