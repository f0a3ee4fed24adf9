/**
 * TCP reassembly rules on the real exchange of tests/fixtures/capture/dumpcap-lo.pcap (Ethernet + IPv4 on lo,
 * TCP header at byte 34), rearranged: a capture begun after the handshake, a reused 4-tuple, sequence numbers
 * wrapping at 2^32, a snapshot length cutting payloads, skipped non-TCP records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPacketCapture } from '../../src/capture/read';
import { recordsOf, shiftSeq, writePcap, type Record_ } from './pcapFiles';

const DIR = join(__dirname, '../fixtures/capture');
const LO = new Uint8Array(readFileSync(join(DIR, 'dumpcap-lo.pcap')));
const { records } = recordsOf(LO);
const TCP_AT = 14 + 20;
const CLIENT_PORT = new DataView(records[0]!.data.buffer, records[0]!.data.byteOffset).getUint16(TCP_AT);
const fromClient = (r: Record_): boolean =>
  new DataView(r.data.buffer, r.data.byteOffset).getUint16(TCP_AT) === CLIENT_PORT;
const read = (rs: readonly Record_[]) => readPacketCapture(writePcap(rs, { linkType: 1 }), 'test.pcap');
const whole = read(records);

describe('streams', () => {
  it('the original: one stream, the SYN sender as client, both FINs, no notes', () => {
    expect(whole.streams).toHaveLength(1);
    const s = whole.streams[0]!;
    expect(s).toMatchObject({
      synSeen: true,
      reset: false,
      client: { port: CLIENT_PORT },
      server: { port: 18090 },
    });
    expect(s.directions.map((d) => [d.fin, d.gaps.length])).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect(new TextDecoder().decode(s.directions[0].bytes.subarray(0, 14))).toBe('GET /chat HTTP');
    expect(whole.segments.some((x) => x.analysis)).toBe(false);
    // The chunks tile each direction, in stream order.
    for (const d of s.directions) {
      let at = 0;
      for (const c of d.chunks) {
        expect(c.offset).toBe(at);
        at += c.length;
      }
      expect(at).toBe(d.bytes.length);
    }
  });

  it('a capture begun mid-stream: the higher port is the client, sequence numbers relative to the first seen', () => {
    const r = read(records.slice(3)); // no handshake: starts with the GET
    expect(r.streams).toHaveLength(1);
    expect(r.streams[0]!).toMatchObject({ synSeen: false, client: { port: CLIENT_PORT } });
    expect(r.segments[0]).toMatchObject({ relSeq: 0, relAck: 0 });
    expect(r.streams[0]!.directions.map((d) => Array.from(d.bytes))).toEqual(
      whole.streams[0]!.directions.map((d) => Array.from(d.bytes)),
    );
    // A copy of data sent before the capture began is a retransmission, and changes nothing.
    const before = read([...records.slice(7), records[3]!]);
    expect(before.segments.at(-1)!.analysis).toEqual(['retransmission']);
    expect(before.streams[0]!.directions[0].bytes.length).toBe(
      whole.streams[0]!.directions[0].bytes.length - 158,
    );
    // Begun with the server's reply: still the higher port.
    const late = read(records.slice(5));
    expect(late.streams[0]!.client.port).toBe(CLIENT_PORT);
  });

  it('a new SYN on a 4-tuple whose connection ended starts a new stream; a repeated SYN does not', () => {
    const again = records.map((r) => ({
      ...r,
      data: shiftSeq(
        r.data,
        TCP_AT,
        fromClient(r) ? 1_000_000 : 7_000_000,
        fromClient(r) ? 7_000_000 : 1_000_000,
      ),
    }));
    const r = read([...records, ...again]);
    expect(r.streams).toHaveLength(2);
    expect(r.streams[1]!.segments[0]).toBe(18);
    expect(r.streams[1]!.directions.map((d) => Array.from(d.bytes))).toEqual(
      whole.streams[0]!.directions.map((d) => Array.from(d.bytes)),
    );
    const repeatedSyn = read([records[0]!, records[0]!, ...records.slice(1)]);
    expect(repeatedSyn.streams).toHaveLength(1);
    expect(repeatedSyn.segments[1]!.relSeq).toBe(0);
  });

  it('sequence numbers wrapping past 2^32 reassemble the same bytes', () => {
    const isn = new DataView(records[0]!.data.buffer, records[0]!.data.byteOffset).getUint32(TCP_AT + 4);
    const delta = (0xffffff00 - isn) >>> 0; // the client's data crosses 2^32 after 255 bytes
    const wrapped = records.map((r) => ({
      ...r,
      data: shiftSeq(r.data, TCP_AT, fromClient(r) ? delta : 0, fromClient(r) ? 0 : delta),
    }));
    const r = read(wrapped);
    expect(r.streams[0]!.directions.map((d) => Array.from(d.bytes))).toEqual(
      whole.streams[0]!.directions.map((d) => Array.from(d.bytes)),
    );
    expect(r.segments.map((s) => [s.relSeq, s.relAck])).toEqual(
      whole.segments.map((s) => [s.relSeq, s.relAck]),
    );
    expect(r.segments.some((s) => s.analysis)).toBe(false);
  });

  it('a sequence number far from the rest (a corrupted one) leaves its data out, with a note, not 16 MiB of zeros', () => {
    const far = { ...records[9]!, data: shiftSeq(records[9]!.data, TCP_AT, 100_000_000, 0) };
    const r = read([...records.slice(0, 9), far, ...records.slice(10)]);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ code: 'tcp-seq-jump', record: 10, severity: 'note' }),
    );
    expect(r.streams[0]!.directions[0].bytes.length).toBe(whole.streams[0]!.directions[0].bytes.length);
  });

  it('a reset connection is marked reset', () => {
    const rst = records[15]!.data.slice();
    rst[TCP_AT + 13] = 0x14; // RST+ACK instead of FIN+ACK
    const r = read([...records.slice(0, 15), { ...records[15]!, data: rst }]);
    expect(r.streams[0]!.reset).toBe(true);
  });

  it('payloads cut by the snapshot length are marked truncated, their missing bytes a gap of zeros', () => {
    const r = readPacketCapture(
      new Uint8Array(readFileSync(join(DIR, 'tcpdump-any-snaplen120.pcap'))),
      'snap',
    );
    const cut = r.segments.filter((s) => s.analysis?.includes('truncated'));
    expect(cut.length).toBeGreaterThan(0);
    for (const s of cut) {
      expect(s.originalLength).toBeGreaterThan(s.data.length);
      expect(s.ranges.payload[1] - s.ranges.payload[0]).toBeLessThan(s.payloadLength);
    }
    const d = r.streams[0]!.directions[0];
    expect(d.gaps.length).toBeGreaterThan(0);
    for (const [a, b] of d.gaps) expect(d.bytes.subarray(a, b).every((x) => x === 0)).toBe(true);
    expect(d.bytes.length).toBe(whole.streams[0]!.directions[0].bytes.length);
    expect(r.problems.filter((p) => p.code === 'tcp-gap').length).toBe(
      r.streams[0]!.directions[0].gaps.length + r.streams[0]!.directions[1].gaps.length,
    );
  });

  it('first copy wins where copies disagree, and the overlap is noted', () => {
    // Record 8 (server "Welcome!" frame, 10 bytes) sent again with different bytes and 4 more after them.
    const first = records[7]!;
    const altered = new Uint8Array(first.data.length + 4);
    altered.set(first.data);
    altered.fill(0x41, first.data.length - 10);
    const dv = new DataView(altered.buffer);
    dv.setUint16(14 + 2, dv.getUint16(14 + 2) + 4); // IPv4 total length
    const r = read([...records.slice(0, 8), { ...first, data: altered, originalLength: altered.length }]);
    const seg = r.segments[8]!;
    expect(seg.analysis).toEqual(['overlap']);
    const bytes = r.streams[0]!.directions[1].bytes;
    const welcome = whole.streams[0]!.directions[1].bytes.subarray(0, 139);
    expect(Array.from(bytes.subarray(0, 139))).toEqual(Array.from(welcome));
    expect(Array.from(bytes.subarray(139))).toEqual([0x41, 0x41, 0x41, 0x41]);
  });
});

describe('records that are not TCP', () => {
  const base = records[3]!; // the GET: Ethernet, IPv4, TCP with data
  const edit = (f: (d: Uint8Array) => void): Record_ => {
    const data = base.data.slice();
    f(data);
    return { ...base, data };
  };
  it('are counted by name, never an error; fragments are noted', () => {
    const udp = edit((d) => (d[14 + 9] = 17));
    const icmp = edit((d) => (d[14 + 9] = 1));
    const arp = edit((d) => d.set([0x08, 0x06], 12));
    const unknownEther = edit((d) => d.set([0x88, 0xcc], 12));
    const fragment = edit((d) => (d[14 + 6] = 0x20)); // MF
    const r = read([udp, icmp, arp, unknownEther, fragment, udp, ...records]);
    expect(r.source.skipped).toEqual({ UDP: 2, ICMP: 1, ARP: 1, 'EtherType 0x88cc': 1, 'IPv4 fragment': 1 });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ code: 'ip-fragment', record: 5, severity: 'note' }),
    );
    expect(r.segments).toHaveLength(18);
    expect(r.segments[0]!.record).toBe(7);
  });

  it('an IPv4 total length of 0 (segmentation offload) is read with the captured length, as Wireshark does', () => {
    const tso = records.map((r) => {
      const data = r.data.slice();
      data[14 + 2] = 0;
      data[14 + 3] = 0;
      return { ...r, data };
    });
    const r = read(tso);
    expect(r.problems).toEqual([]);
    expect(r.streams[0]!.directions.map((d) => Array.from(d.bytes))).toEqual(
      whole.streams[0]!.directions.map((d) => Array.from(d.bytes)),
    );
    expect(r.segments[3]!.fields.find((f) => f.key === 'totalLength')!.value).toMatch(
      /^0 \(segmentation offload/,
    );
  });

  it('an unknown link type is one problem naming it, its records counted', () => {
    const r = readPacketCapture(writePcap(records, { linkType: 147 }), 'user.pcap');
    expect(r.source.skipped).toEqual({ 'link type 147': 18 });
    expect(r.source.interfaces).toEqual([{ link: 'unknown (147)' }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'unknown-link-type', record: 1 });
    expect(r.problems[0]!.message).toContain('147');
  });
});

describe('IPv6 records (tests/fixtures/capture/dumpcap-lo-ipv6.pcapng, Ethernet on lo)', () => {
  const v6 = recordsOf(new Uint8Array(readFileSync(join(DIR, 'dumpcap-lo-ipv6.pcapng')))).records;
  const get = v6[3]!; // the GET
  /** The record with `ext` inserted after the fixed IPv6 header, whose Next Header becomes `first`. */
  const withExtension = (first: number, ext: Uint8Array): Record_ => {
    const data = new Uint8Array(get.data.length + ext.length);
    data.set(get.data.subarray(0, 54));
    data.set(ext, 54);
    data.set(get.data.subarray(54), 54 + ext.length);
    const dv = new DataView(data.buffer);
    dv.setUint16(14 + 4, dv.getUint16(14 + 4) + ext.length);
    data[14 + 6] = first;
    return { ...get, data, originalLength: data.length };
  };

  it('steps over a Hop-by-Hop header to reach TCP', () => {
    const hbh = withExtension(0, Uint8Array.of(6, 0, 1, 4, 0, 0, 0, 0));
    const r = read([...v6.slice(0, 3), hbh, ...v6.slice(4)]);
    const s = r.segments[3]!;
    expect(s.ranges.ip).toEqual([14, 62]);
    expect(s.fields.find((f) => f.key === 'exthbh')).toMatchObject({ layer: 'ipv6', start: 54, end: 62 });
    expect(r.streams[0]!.directions.map((d) => Array.from(d.bytes))).toEqual(
      read(v6).streams[0]!.directions.map((d) => Array.from(d.bytes)),
    );
  });

  it('counts ICMPv6 and IPv6 fragments, noting the fragment', () => {
    const icmp = { ...get, data: get.data.slice() };
    icmp.data[14 + 6] = 58;
    const fragment = withExtension(44, Uint8Array.of(6, 0, 0, 1, 0, 0, 0, 7)); // offset 0, M, id 7
    const r = read([icmp, fragment, ...v6]);
    expect(r.source.skipped).toEqual({ ICMPv6: 1, 'IPv6 fragment': 1 });
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'ip-fragment', record: 2, severity: 'note' }),
    ]);
    expect(r.segments).toHaveLength(v6.length);
  });
});
