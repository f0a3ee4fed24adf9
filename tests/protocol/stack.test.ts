import { decodeEthernet, ETHER_TYPES } from '../../src/protocol/ethernet';
import { decodeIpv4, IP_PROTOCOLS } from '../../src/protocol/ipv4';
import { encodeTcpFrame, LINUX_DEFAULT_TTL, linuxTcpIpv4 } from '../../src/protocol/stack';
import { decodeTcp, linuxSynOptions, type TcpRepr } from '../../src/protocol/tcp';
import { utf8 } from '../../src/protocol/bytes';

const ETH = { src: '02:00:00:00:00:0a', dst: '02:00:00:00:00:14' };
const IP = linuxTcpIpv4('192.0.2.10', '198.51.100.20', 0x1c46);
const ACK: TcpRepr = {
  srcPort: 49152,
  dstPort: 80,
  seq: 1001,
  ack: 5001,
  flags: ['PSH', 'ACK'],
  window: 502,
  urgent: 0,
  options: [],
};

describe('encodeTcpFrame', () => {
  it('stacks TCP in IPv4 in Ethernet II, and its offsets are where the decoders find each layer', () => {
    for (const [tcp, payload] of [
      [ACK, utf8('GET / HTTP/1.1\r\n\r\n')],
      [{ ...ACK, flags: ['SYN'], options: linuxSynOptions(1460, 1, 0, 7) }, new Uint8Array(0)],
    ] as const) {
      const { frame, ipv4At, tcpAt, payloadAt } = encodeTcpFrame(ETH, IP, tcp, payload);
      const eth = decodeEthernet(frame);
      if (!eth.ok) throw new Error(eth.error.message);
      expect(eth.repr).toEqual({ ...ETH, etherType: ETHER_TYPES.IPv4 });
      expect(ipv4At).toBe(14);
      const ip = decodeIpv4(frame.subarray(ipv4At));
      if (!ip.ok) throw new Error(ip.error.message);
      expect(ip.repr).toMatchObject({ ...IP, protocol: IP_PROTOCOLS.TCP, checksumOk: true });
      expect(tcpAt).toBe(ipv4At + ip.repr.headerLength);
      const seg = decodeTcp(frame.subarray(tcpAt), IP);
      if (!seg.ok) throw new Error(seg.error.message);
      expect(seg.repr.checksumOk).toBe(true);
      expect(payloadAt).toBe(tcpAt + seg.repr.headerLength);
      expect(frame.subarray(payloadAt)).toEqual(payload);
    }
  });

  it('uses the Linux defaults for the IPv4 header of a TCP segment', () => {
    expect(IP).toEqual({
      src: '192.0.2.10',
      dst: '198.51.100.20',
      ttl: LINUX_DEFAULT_TTL,
      identification: 0x1c46,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      dscp: 0,
      ecn: 0,
    });
  });
});
