/**
 * ARP (RFC 826) against golden bytes from a real capture: two Linux network namespaces joined by a veth
 * pair (192.0.2.10 at 02:00:00:00:00:0a, 192.0.2.1 at 02:00:00:00:00:01), a UDP datagram from the first
 * to the second, dumpcap on the first's card (tests/fixtures/arp/linux-arp.pcap). tshark shows
 * "Who has 192.0.2.1? Tell 192.0.2.10" and "192.0.2.1 is at 02:00:00:00:00:01".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeArp, describeArp, encodeArp, ARP_LENGTH, type ArpRepr } from '../../src/protocol/arp';
import { decodeEthernet, encodeEthernet, ETHER_TYPES } from '../../src/protocol/ethernet';
import { decodePcap } from '../../src/protocol/pcap';
import { expectTiling } from './tiling';

function frames(): Uint8Array[] {
  const bytes = new Uint8Array(readFileSync(new URL('../fixtures/arp/linux-arp.pcap', import.meta.url)));
  const file = decodePcap(bytes);
  if (!file.ok) throw new Error(file.error.message);
  return file.repr.records.map((r) => r.data);
}

const REQUEST: ArpRepr = {
  operation: 'request',
  senderMac: '02:00:00:00:00:0a',
  senderIp: '192.0.2.10',
  targetMac: '00:00:00:00:00:00',
  targetIp: '192.0.2.1',
};
const REPLY: ArpRepr = {
  operation: 'reply',
  senderMac: '02:00:00:00:00:01',
  senderIp: '192.0.2.1',
  targetMac: '02:00:00:00:00:0a',
  targetIp: '192.0.2.10',
};

describe('ARP codec', () => {
  it('decodes the real request and reply and re-encodes them byte for byte', () => {
    const [request, reply] = frames();
    expect(request).toBeDefined();
    expect(reply).toBeDefined();
    const cases: [Uint8Array, ArpRepr, string, string][] = [
      [request!, REQUEST, 'ff:ff:ff:ff:ff:ff', 'Who has 192.0.2.1? Tell 192.0.2.10'],
      [reply!, REPLY, '02:00:00:00:00:0a', '192.0.2.1 is at 02:00:00:00:00:01'],
    ];
    for (const [frame, repr, dst, line] of cases) {
      const eth = decodeEthernet(frame);
      expect(eth.ok).toBe(true);
      if (!eth.ok) continue;
      expect(eth.repr.etherType).toBe(ETHER_TYPES.ARP);
      expect(eth.repr.dst).toBe(dst);
      const arp = decodeArp(eth.payload);
      expect(arp.ok).toBe(true);
      if (!arp.ok) continue;
      expect(arp.repr).toEqual(repr);
      expect(describeArp(arp.repr)).toBe(line);
      expectTiling(arp.fields, 0, ARP_LENGTH);
      const again = encodeEthernet({ dst, src: repr.senderMac, etherType: ETHER_TYPES.ARP }, encodeArp(repr));
      expect(Array.from(again)).toEqual(Array.from(frame));
    }
  });

  it('refuses what it does not decode, with the offset', () => {
    const good = encodeArp(REQUEST);
    expect(decodeArp(good.subarray(0, 27))).toMatchObject({
      ok: false,
      error: { code: 'truncated', offset: 27 },
    });
    const hrd = good.slice();
    hrd[1] = 6; // IEEE 802 networks
    expect(decodeArp(hrd)).toMatchObject({ ok: false, error: { code: 'unsupported', offset: 0 } });
    const pro = good.slice();
    pro[2] = 0x86;
    pro[3] = 0xdd;
    expect(decodeArp(pro)).toMatchObject({ ok: false, error: { code: 'unsupported', offset: 2 } });
    const len = good.slice();
    len[4] = 8;
    expect(decodeArp(len)).toMatchObject({ ok: false, error: { code: 'bad-length', offset: 4 } });
    const op = good.slice();
    op[7] = 3; // RARP request (RFC 903)
    expect(decodeArp(op)).toMatchObject({ ok: false, error: { code: 'unsupported', offset: 6 } });
  });

  it('leaves Ethernet padding after the 28 bytes as the payload', () => {
    const padded = new Uint8Array(46);
    padded.set(encodeArp(REPLY));
    const r = decodeArp(padded);
    expect(r.ok && r.payload.length).toBe(18);
    expect(r.ok && r.length).toBe(ARP_LENGTH);
  });
});
