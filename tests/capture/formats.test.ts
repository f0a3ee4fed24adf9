/**
 * File formats and link layers: the same real exchange (tests/fixtures/capture, made by
 * scripts/make-capture-fixtures.sh) in every container and behind every link header the reader knows must give
 * the same TCP segments and the same stream bytes. Variants no tool here writes (big-endian files, BSD loopback,
 * raw IP, a VLAN tag) are built from the real records by tests/capture/pcapFiles.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPacketCapture, type PacketCaptureRead } from '../../src/capture/read';
import { bigEndianPcapng, recordsOf, relink, rewritePcapng, writePcap } from './pcapFiles';

const DIR = join(__dirname, '../fixtures/capture');
const load = (f: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, f)));
const read = (bytes: Uint8Array, name = 'test.pcap'): PacketCaptureRead => readPacketCapture(bytes, name);

/** What must not change between containers and link layers: every segment's TCP view and the streams' bytes. */
function essence(r: PacketCaptureRead) {
  return {
    segments: r.segments.map((s) => ({
      record: s.record,
      src: s.src,
      dst: s.dst,
      seq: s.seq,
      ack: s.ack,
      flags: s.flags,
      payload: Array.from(s.data.subarray(...s.ranges.payload)),
      stream: s.stream,
      direction: s.direction,
      ttl: s.ttl,
      ipVersion: s.ipVersion,
    })),
    streams: r.streams.map((s) => ({
      client: s.client,
      server: s.server,
      bytes: s.directions.map((d) => Array.from(d.bytes)),
      fin: s.directions.map((d) => d.fin),
    })),
  };
}

const IPV4_LO = load('dumpcap-lo.pcap');
const IPV6_LO = load('dumpcap-lo-ipv6.pcapng');

describe('containers', () => {
  it('reads a classic little-endian µs pcap of Ethernet frames', () => {
    const r = read(IPV4_LO, 'dumpcap-lo.pcap');
    expect(r.source).toMatchObject({
      format: 'pcap',
      records: 18,
      interfaces: [{ link: 'ethernet' }],
      skipped: {},
    });
    expect(r.segments.every((s) => s.link === 'ethernet' && s.srcMac === '00:00:00:00:00:00')).toBe(true);
    expect(r.segments[0]!.time).toBe(0);
  });

  it('gives the same segments, streams and times for the nanosecond copy (editcap -F nsecpcap)', () => {
    const us = read(IPV4_LO);
    const ns = read(load('dumpcap-lo-nsec.pcap'));
    expect(ns.source.format).toBe('pcap-ns');
    expect(essence(ns)).toEqual(essence(us));
    expect(ns.segments.map((s) => s.time)).toEqual(us.segments.map((s) => s.time));
  });

  it('reads big-endian classic pcap, µs and ns', () => {
    const { linkType, records } = recordsOf(IPV4_LO);
    for (const nano of [false, true]) {
      const be = read(writePcap(records, { linkType, bigEndian: true, nano }));
      expect(be.source.format).toBe(nano ? 'pcap-ns' : 'pcap');
      expect(essence(be)).toEqual(essence(read(IPV4_LO)));
      expect(be.problems).toEqual([]);
    }
  });

  it('reads pcapng as pcap: the converted copies (editcap -F pcapng / -F pcap) agree, times included', () => {
    const pcap = read(load('tcpdump-any-sll.pcap'));
    const ng = read(load('tcpdump-any-sll.pcapng'));
    expect(ng.source.format).toBe('pcapng');
    expect(essence(ng)).toEqual(essence(pcap));
    for (const [i, s] of ng.segments.entries()) expect(s.time).toBeCloseTo(pcap.segments[i]!.time, 6);
    const v6 = read(load('dumpcap-lo-ipv6.pcap'));
    expect(essence(v6)).toEqual(essence(read(IPV6_LO)));
  });

  it('reads a big-endian pcapng section', () => {
    const be = read(bigEndianPcapng(IPV6_LO));
    expect(be.problems).toEqual([]);
    expect(essence(be)).toEqual(essence(read(IPV6_LO)));
    expect(be.segments.map((s) => s.time)).toEqual(read(IPV6_LO).segments.map((s) => s.time));
  });

  it('reads several sections, each with its own interfaces, numbering interfaces across the file', () => {
    const a = load('dumpcap-any.pcapng');
    const joined = new Uint8Array(a.length + IPV6_LO.length);
    joined.set(a);
    joined.set(bigEndianPcapng(IPV6_LO), a.length);
    const r = read(joined);
    expect(r.problems).toEqual([]);
    expect(r.source.interfaces.map((i) => i.link)).toEqual(['sll', 'ethernet']);
    expect(r.streams).toHaveLength(2);
    expect(r.segments).toHaveLength(36);
    expect(new Set(r.segments.slice(0, 18).map((s) => s.iface))).toEqual(new Set([0]));
    expect(new Set(r.segments.slice(18).map((s) => s.iface))).toEqual(new Set([1]));
    expect(r.segments[18]!.record).toBe(19);
    expect(r.segments[18]!.src.ip).toBe('::1');
  });

  it('reads two interfaces with different link types in one section (mergecap of lo and any)', () => {
    const r = read(load('merged-two-links.pcapng'));
    expect(r.source.interfaces.map((i) => i.link)).toEqual(['ethernet', 'sll2']);
    expect(new Set(r.segments.map((s) => s.link))).toEqual(new Set(['ethernet', 'sll2']));
  });

  it('returns the TLS key log of a Decryption Secrets Block (editcap --inject-secrets)', () => {
    const r = read(load('chromium-wss-dsb.pcapng'));
    const keys = readFileSync(join(DIR, 'routed/chromium-wss.keys'), 'utf8');
    expect(r.source.keyLog).toBe('dsb');
    expect(r.keyLogText?.trim()).toBe(keys.trim());
    expect(essence(r)).toEqual(essence(read(load('routed/chromium-wss.pcap'))));
    expect(read(load('routed/chromium-wss.pcap')).keyLogText).toBeUndefined();
  });

  it("reads Simple Packet Blocks (no timestamp: the previous record's time) and obsolete Packet Blocks", () => {
    const epb = read(IPV6_LO);
    const spb = read(rewritePcapng(IPV6_LO, 'spb'));
    const opb = read(rewritePcapng(IPV6_LO, 'opb'));
    expect(spb.problems).toEqual([]);
    expect(opb.problems).toEqual([]);
    expect(essence(spb)).toEqual(essence(epb));
    expect(essence(opb)).toEqual(essence(epb));
    expect(spb.segments.every((s) => s.time === 0)).toBe(true);
    expect(opb.segments.map((s) => s.time)).toEqual(epb.segments.map((s) => s.time));
  });

  it('reads binary timestamp resolutions (if_tsresol 2^-20 s) to within their precision', () => {
    const binary = read(rewritePcapng(IPV6_LO, 'epb', 20));
    const ns = read(IPV6_LO);
    expect(binary.problems).toEqual([]);
    expect(essence(binary)).toEqual(essence(ns));
    for (const [i, s] of binary.segments.entries()) {
      expect(Math.abs(s.time - ns.segments[i]!.time)).toBeLessThan(2 ** -20 * 1000 * 2);
    }
    expect(binary.segments.at(-1)!.time).toBeGreaterThan(1);
  });

  it('names the interface when the pcapng says it (if_name)', () => {
    expect(read(IPV6_LO).source.interfaces[0]).toEqual({ link: 'ethernet', name: 'lo' });
  });
});

describe('link layers', () => {
  const v4 = recordsOf(IPV4_LO).records;
  const v6 = recordsOf(IPV6_LO).records;
  const family = (n: number, le: boolean) => () => {
    const h = new Uint8Array(4);
    new DataView(h.buffer).setUint32(0, n, le);
    return h;
  };
  const cases = [
    { name: 'LINKTYPE_NULL, little-endian AF_INET', records: v4, linkType: 0, header: family(2, true) },
    { name: 'LINKTYPE_NULL, big-endian AF_INET', records: v4, linkType: 0, header: family(2, false) },
    { name: 'LINKTYPE_LOOP (network order)', records: v4, linkType: 108, header: family(2, false) },
    { name: 'LINKTYPE_RAW, IPv4', records: v4, linkType: 101, header: () => new Uint8Array(0) },
    { name: 'LINKTYPE_IPV4 (228)', records: v4, linkType: 228, header: () => new Uint8Array(0) },
    {
      name: 'LINKTYPE_NULL, AF_INET6 24 (NetBSD/OpenBSD)',
      records: v6,
      linkType: 0,
      header: family(24, true),
    },
    { name: 'LINKTYPE_NULL, AF_INET6 28 (FreeBSD)', records: v6, linkType: 0, header: family(28, true) },
    { name: 'LINKTYPE_NULL, AF_INET6 30 (macOS)', records: v6, linkType: 0, header: family(30, true) },
    { name: 'LINKTYPE_RAW, IPv6', records: v6, linkType: 101, header: () => new Uint8Array(0) },
    { name: 'LINKTYPE_IPV6 (229)', records: v6, linkType: 229, header: () => new Uint8Array(0) },
  ];
  it.each(cases)(
    '$name: the same segments and bytes as the Ethernet original',
    ({ records, linkType, header }) => {
      const original = read(writePcap(records, { linkType: 1 }));
      const r = read(writePcap(relink(records, 14, header), { linkType }));
      expect(r.problems).toEqual([]);
      expect(r.segments).toHaveLength(original.segments.length);
      expect(essence(r)).toEqual(essence(original));
      const kind = linkType === 0 || linkType === 108 ? 'null' : 'raw';
      expect(r.segments.every((s) => s.link === kind && s.srcMac === undefined)).toBe(true);
      const s = r.segments[0]!;
      expect(s.ranges.link).toEqual([0, header().length]);
      if (kind === 'null') {
        expect(s.fields[0]).toMatchObject({ layer: 'loopback', key: 'family', start: 0, end: 4 });
      }
    },
  );

  it('reads one 802.1Q VLAN tag and shows its fields', () => {
    const tagged = relink(v4, 14, (r) => {
      const h = new Uint8Array(18);
      h.set(r.data.subarray(0, 12));
      h.set([0x81, 0x00, 0xa0, 0x2a, 0x08, 0x00], 12); // PCP 5, DEI 0, VID 42, IPv4
      return h;
    });
    const r = read(writePcap(tagged, { linkType: 1 }));
    expect(essence(r)).toEqual(essence(read(IPV4_LO)));
    const s = r.segments[0]!;
    expect(s.ranges.link).toEqual([0, 18]);
    expect(s.fields.find((f) => f.key === 'vid')).toMatchObject({ start: 14, end: 16, value: '42' });
    expect(s.fields.find((f) => f.key === 'pcp')).toMatchObject({ value: '5' });
  });

  it('reads Linux cooked headers (tcpdump -i any: SLL, and -y LINUX_SLL2)', () => {
    const sll = read(load('tcpdump-any-sll.pcap'));
    const sll2 = read(load('tcpdump-any-sll2.pcap'));
    expect(sll.segments.every((s) => s.link === 'sll' && s.ranges.link[1] === 16)).toBe(true);
    expect(sll2.segments.every((s) => s.link === 'sll2' && s.ranges.link[1] === 20)).toBe(true);
    expect(sll.segments[0]!.fields.find((f) => f.key === 'arphrd')).toMatchObject({
      value: '772 (Loopback)',
    });
    expect(sll2.segments[0]!.fields.find((f) => f.key === 'ifindex')).toMatchObject({
      layer: 'sll',
      start: 4,
      end: 8,
    });
  });

  it('reads IPv6 over ::1 with its fields, hop limit and RFC 5952 addresses', () => {
    const r = read(IPV6_LO);
    const s = r.segments[0]!;
    expect(s).toMatchObject({ ipVersion: 6, ttl: 64, src: { ip: '::1' }, dst: { ip: '::1', port: 18091 } });
    expect(s.ranges.ip).toEqual([14, 54]);
    expect(s.fields.find((f) => f.layer === 'ipv6' && f.key === 'src')).toMatchObject({
      start: 22,
      end: 38,
      value: '::1',
    });
    expect(r.streams[0]!.client.port).not.toBe(18091);
  });

  it('carries the fields through structuredClone (postMessage from a worker) and a spread', () => {
    const r = read(IPV6_LO);
    const cloned = structuredClone(r.segments);
    for (const [i, s] of r.segments.entries()) {
      expect(cloned[i]!.fields.length).toBeGreaterThan(20);
      expect(cloned[i]!.fields).toEqual(s.fields);
      expect({ ...s }.fields).toBe(s.fields); // read once, then kept
    }
    expect(
      cloned[0]!.fields.some((f) => f.layer === 'ipv6' && f.key === 'hopLimit' && f.value === '64'),
    ).toBe(true);
  });

  it('lays every field of every segment inside its record, and the ranges end to end', () => {
    for (const f of [
      'dumpcap-lo.pcap',
      'dumpcap-lo-ipv6.pcapng',
      'tcpdump-any-sll2.pcap',
      'routed/chromium-wss.pcap',
    ]) {
      for (const s of read(load(f)).segments) {
        expect(s.ranges.link[1]).toBe(s.ranges.ip[0]);
        expect(s.ranges.ip[1]).toBe(s.ranges.tcp[0]);
        expect(s.ranges.tcp[1]).toBe(s.ranges.payload[0]);
        expect(s.ranges.payload[1]).toBeLessThanOrEqual(s.data.length);
        for (const field of s.fields) {
          expect(field.start).toBeGreaterThanOrEqual(0);
          expect(field.end).toBeLessThanOrEqual(s.ranges.payload[0]);
        }
        expect(s.fields.filter((x) => x.layer === 'tcp' && x.key === 'srcPort')).toHaveLength(1);
      }
    }
  });
});
