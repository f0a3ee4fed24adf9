/**
 * Golden bytes from real captures: Node `ws` and socket.io on Linux loopback, recorded by dumpcap
 * (pcapng, Ethernet with zero MACs). Every frame is decoded, re-encoded from its repr alone and
 * compared byte for byte. The one expected difference is the TCP checksum: on loopback the kernel
 * leaves it to (absent) offload hardware, so the capture holds a partial sum that tshark flags as
 * bad; ours must be the value tshark says it "should be". IPv4 header checksums in the capture
 * are correct and must match exactly.
 */
import { readFileSync } from 'node:fs';
import { toHex } from '../../src/protocol/bytes';
import { decodeEthernet, ETHER_TYPES } from '../../src/protocol/ethernet';
import { decodeIpv4, IP_PROTOCOLS } from '../../src/protocol/ipv4';
import { decodePcap, LINKTYPE_ETHERNET } from '../../src/protocol/pcap';
import { encodeTcpFrame } from '../../src/protocol/stack';
import { decodeTcp, TCP_FLAGS, type TcpFlagName } from '../../src/protocol/tcp';
import { expectTiling } from './tiling';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

/**
 * `tshark -r real-ws-loopback.pcap -T fields -e ip.id -e ip.checksum -e tcp.srcport -e tcp.dstport
 * -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.window_size_value -e tcp.len -e tcp.options`,
 * plus the TCP checksum tshark computes ("Bad checksum [should be 0x…]" with tcp.check_checksum).
 */
const WS_TSHARK = `
0x53bb,0xe8fe,46212,18081,844521185,0,0x0002,65495,0,0204ffd70402080a212c6df5000000000103030a,0x3480
0x0000,0x3cba,18081,46212,472160578,844521186,0x0012,65483,0,0204ffd70402080a8f3d5369212c6df50103030a,0x9c6d
0x53bc,0xe905,46212,18081,844521186,472160579,0x0010,64,0,0101080a212c6df68f3d5369,0xc4eb
0x53bd,0xe866,46212,18081,844521186,472160579,0x0018,64,158,0101080a212c6dfa8f3d5369,0x3bdf
0x10c5,0x2bfd,18081,46212,472160579,844521344,0x0010,64,0,0101080a8f3d536d212c6dfa,0xc445
0x10c6,0x2b7b,18081,46212,472160579,844521344,0x0018,64,129,0101080a8f3d536f212c6dfa,0x653c
0x53be,0xe903,46212,18081,844521344,472160708,0x0010,64,0,0101080a212c6dfc8f3d536f,0xc3c0
0x10c7,0x2bee,18081,46212,472160708,844521344,0x0018,64,13,0101080a8f3d5370212c6dfc,0xf96c
0x53bf,0xe902,46212,18081,844521344,472160721,0x0010,64,0,0101080a212c6dfd8f3d5370,0xc3b1
0x53c0,0xe8f6,46212,18081,844521344,472160721,0x0018,64,11,0101080a212c6dfe8f3d5370,0x563f
0x10c8,0x2bee,18081,46212,472160721,844521355,0x0018,64,12,0101080a8f3d5372212c6dfe,0x688e
0x53c1,0xe8f5,46212,18081,844521355,472160733,0x0018,64,11,0101080a212c6e008f3d5372,0xbc8b
0x10c9,0x2bf2,18081,46212,472160733,844521366,0x0018,64,7,0101080a8f3d5373212c6e00,0x7013
0x10ca,0x2bf8,18081,46212,472160740,844521366,0x0011,64,0,0101080a8f3d5374212c6e00,0xc380
0x53c2,0xe8ff,46212,18081,844521366,472160741,0x0011,64,0,0101080a212c6e018f3d5373,0xc37f
0x10cb,0x2bf7,18081,46212,472160741,844521367,0x0010,64,0,0101080a8f3d5374212c6e01,0xc37e`
  .trim()
  .split('\n')
  .map((line) => {
    const [id, ipSum, sport, dport, seq, ack, flags, win, len, options, tcpSum] = line.split(',') as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return {
      id: Number(id),
      ipChecksum: Number(ipSum),
      srcPort: Number(sport),
      dstPort: Number(dport),
      seq: Number(seq),
      ack: Number(ack),
      flags: Number(flags),
      window: Number(win),
      len: Number(len),
      options,
      tcpChecksum: Number(tcpSum),
    };
  });

/** tshark's "should be" TCP checksums for real-socketio-loopback.pcap, frames 1..67. */
const SOCKETIO_TCP_CHECKSUMS = `
69af 325d 5adc 5e9f 5a3f 7993 5919 5915 590f 590d 10a5 f5bc 1e3c 70b9 b7b9 e037 fb1c 0ff4 3873 4451 1d4c 756a
df1a 8fe9 37c3 6bbd 1cb4 1cb2 2aa8 de8b 1cad 1caa cab4 9488 36ee 36ed 551e 36ea 36e8 8fc7 57e6 8065 9fa2 7fb3
de46 7d72 7e50 7e4e 7e4c 7e4c 91e3 cbc3 dd7b 6eb6 dd5c 29a7 dc07 2de9 dbd3 798e da28 5670 da20 5216 da1c da1b
da1a`
  .trim()
  .split(/\s+/)
  .map((h) => parseInt(h, 16));

function flagsByte(flags: readonly TcpFlagName[]): number {
  return flags.reduce((b, f) => b | TCP_FLAGS[f], 0);
}

interface Golden {
  readonly frame: Uint8Array;
  readonly reencoded: Uint8Array;
  readonly ip: Extract<ReturnType<typeof decodeIpv4>, { ok: true }>;
  readonly tcp: Extract<ReturnType<typeof decodeTcp>, { ok: true }>;
}

/** Decode one captured frame down to TCP and rebuild it from the reprs alone. */
function roundTrip(frame: Uint8Array): Golden {
  const eth = decodeEthernet(frame);
  if (!eth.ok) throw new Error(eth.error.message);
  expect(eth.repr).toEqual({
    dst: '00:00:00:00:00:00',
    src: '00:00:00:00:00:00',
    etherType: ETHER_TYPES.IPv4,
  });
  const ip = decodeIpv4(eth.payload);
  if (!ip.ok) throw new Error(ip.error.message);
  expect(ip.repr.protocol).toBe(IP_PROTOCOLS.TCP);
  const tcp = decodeTcp(ip.payload, ip.repr);
  if (!tcp.ok) throw new Error(tcp.error.message);
  // Ethernet type and IP protocol were checked above: encodeTcpFrame writes IPv4 and TCP.
  const reencoded = encodeTcpFrame(eth.repr, ip.repr, tcp.repr, tcp.payload).frame;
  return { frame, reencoded, ip, tcp };
}

/** Byte offset of the TCP checksum in these frames: Ethernet 14 + IPv4 20 + 16. */
const TCP_CHECKSUM_AT = 14 + 20 + 16;

function expectSameExceptTcpChecksum(g: Golden): void {
  expect(g.reencoded.length).toBe(g.frame.length);
  const mask = (b: Uint8Array) => {
    const c = b.slice();
    c[TCP_CHECKSUM_AT] = 0;
    c[TCP_CHECKSUM_AT + 1] = 0;
    return toHex(c);
  };
  expect(mask(g.reencoded)).toBe(mask(g.frame));
}

describe('real-ws-loopback.pcap (Node ws 8, Linux loopback)', () => {
  const file = decodePcap(fixture('real-ws-loopback.pcap'));
  if (!file.ok) throw new Error(file.error.message);
  const frames = file.repr.records.map((r) => r.data);

  it('is an Ethernet capture of 16 frames', () => {
    expect(file.repr.linkType).toBe(LINKTYPE_ETHERNET);
    expect(frames).toHaveLength(WS_TSHARK.length);
  });

  it.each(WS_TSHARK.map((t, i) => [i + 1, t] as const))('frame %i decodes to what tshark shows', (n, t) => {
    const g = roundTrip(frames[n - 1]!);
    const { ip, tcp } = g;
    expect(ip.repr).toMatchObject({
      identification: t.id,
      checksum: t.ipChecksum,
      checksumOk: true,
      ttl: 64,
    });
    expect(ip.repr).toMatchObject({
      src: '127.0.0.1',
      dst: '127.0.0.1',
      dontFragment: true,
      headerLength: 20,
    });
    expect(tcp.repr).toMatchObject({
      srcPort: t.srcPort,
      dstPort: t.dstPort,
      seq: t.seq,
      ack: t.ack,
      window: t.window,
    });
    expect(flagsByte(tcp.repr.flags)).toBe(t.flags);
    expect(tcp.payload.length).toBe(t.len);
    expect(toHex(ip.payload.subarray(20, tcp.repr.headerLength), '')).toBe(t.options);
    // The capture's own TCP checksum is unfilled (loopback offload), so it does not verify...
    expect(tcp.repr.checksumOk).toBe(false);
    expect(tcp.fields.find((f) => f.key === 'checksum')?.value).toMatch(
      new RegExp(`should be 0x${t.tcpChecksum.toString(16).padStart(4, '0')}\\)$`),
    );
    expectTiling(ip.fields, 0, 20);
    expectTiling(tcp.fields, 0, tcp.repr.headerLength);
  });

  it.each(WS_TSHARK.map((t, i) => [i + 1, t] as const))(
    'frame %i re-encodes byte for byte, with the checksum tshark expects',
    (n, t) => {
      const g = roundTrip(frames[n - 1]!);
      expectSameExceptTcpChecksum(g);
      const ours = (g.reencoded[TCP_CHECKSUM_AT]! << 8) | g.reencoded[TCP_CHECKSUM_AT + 1]!;
      expect(ours).toBe(t.tcpChecksum);
      const again = decodeTcp(g.reencoded.subarray(34), g.ip.repr);
      expect(again.ok && again.repr.checksumOk).toBe(true);
      // Re-decoding our bytes gives the same reprs, field by field.
      const eth2 = decodeEthernet(g.reencoded);
      const ip2 = eth2.ok ? decodeIpv4(eth2.payload) : eth2;
      expect(ip2.ok && ip2.repr).toEqual(g.ip.repr);
      expect(again.ok && { ...again.repr, checksum: 0, checksumOk: null }).toEqual({
        ...g.tcp.repr,
        checksum: 0,
        checksumOk: null,
      });
    },
  );
});

describe('real-socketio-loopback.pcap (socket.io 4, Linux loopback)', () => {
  const file = decodePcap(fixture('real-socketio-loopback.pcap'));
  if (!file.ok) throw new Error(file.error.message);

  it('has 67 frames, each re-encoding byte for byte with tshark’s TCP checksum', () => {
    expect(file.repr.records).toHaveLength(SOCKETIO_TCP_CHECKSUMS.length);
    file.repr.records.forEach((r, i) => {
      const g = roundTrip(r.data);
      expectSameExceptTcpChecksum(g);
      expect(g.ip.repr.checksumOk).toBe(true);
      expect((g.reencoded[TCP_CHECKSUM_AT]! << 8) | g.reencoded[TCP_CHECKSUM_AT + 1]!).toBe(
        SOCKETIO_TCP_CHECKSUMS[i],
      );
    });
  });
});
