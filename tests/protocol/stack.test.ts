import { decodeEthernet, encodeEthernet, ETHER_TYPES } from '../../src/protocol/ethernet';
import { decodeIpv4, encodeIpv4, IP_PROTOCOLS } from '../../src/protocol/ipv4';
import { encodeTcpFrame, LINUX_DEFAULT_TTL, linuxTcpIpv4 } from '../../src/protocol/stack';
import { decodeTcp, encodeTcp, linuxSynOptions, type TcpRepr } from '../../src/protocol/tcp';
import { codePointCut, utf8 } from '../../src/protocol/bytes';

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

  it('writes the same bytes as the three encoders stacked, each frame its own bytes', () => {
    const frames = [];
    for (let n = 0; n < 200; n++) {
      const payload = utf8('x'.repeat((n * 37) % 1500));
      const tcp = n % 7 === 0 ? { ...ACK, flags: ['SYN'], options: linuxSynOptions(1460, 1, n, 7) } : ACK;
      const ip = linuxTcpIpv4('192.0.2.10', '198.51.100.20', n);
      const stacked = encodeEthernet(
        { ...ETH, etherType: ETHER_TYPES.IPv4 },
        encodeIpv4({ ...ip, protocol: IP_PROTOCOLS.TCP }, encodeTcp(tcp as TcpRepr, payload, ip)),
      );
      const { frame } = encodeTcpFrame(ETH, ip, tcp as TcpRepr, payload);
      expect(frame).toEqual(stacked);
      frames.push([frame, stacked] as const);
    }
    // Frames share buffers: none may have written over another.
    for (const [frame, stacked] of frames) expect(frame).toEqual(stacked);
  });
});

describe('codePointCut', () => {
  it('cuts where Array.from(text.slice(0, limit)) would, surrogate pairs and lone surrogates included', () => {
    const alphabet = ['a', 'é', '\u{1F600}', '\ud83d', '\ude00', '\u{10348}'];
    let x = 7;
    const next = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let k = 0; k < 2000; k++) {
      let text = '';
      for (let i = next(60); i > 0; i--) text += alphabet[next(alphabet.length)];
      const n = next(20);
      const limit = next(50);
      const chars = Array.from(text.slice(0, limit));
      const cut = codePointCut(text, n, limit);
      expect(cut.more).toBe(chars.length > n);
      expect(text.slice(0, cut.end)).toBe(chars.slice(0, n).join(''));
    }
  });
});
