/**
 * The OSI walk of one packet: seven steps down the sender (what each layer does and adds), and
 * seven steps up the receiver (what each layer checks and removes). Which layer does what follows
 * the Internet's stack: HTTP/WebSocket at 7, no header of their own at 6 (UTF-8; TLS would sit here for
 * wss://) and 5 (the WebSocket session), TCP at 4, IPv4 at 3, Ethernet at 2, the signal at 1.
 *
 * Where a job is done is where its bytes are counted, the same going down and going up: the WebSocket frame,
 * its masking (RFC 6455 §5.3) and its compression (RFC 7692) at layer 7, both ways; the UTF-8 encoding at
 * layer 6 adds no bytes, and the walk says the browser or ws does it before framing (going down) and after
 * unframing (going up), because the frame's length counts bytes.
 */
import { codePointCount, toHex } from '../../protocol/bytes';
import { ethernetFcs } from '../../protocol/ethernet';
import { NETWORK } from '../engine/network';
import { pathPlan } from '../engine/router';
import { acceptComputation } from '../../protocol/http';
import { WS_OPCODES, maskPayload } from '../../protocol/websocket';
import { packetRole, type Narration, type PacketRole, type RunFacts } from './narration';
import { MISCONCEPTIONS, Who, bytesText, quoted, who } from './phrases';
import { OSI_LAYERS } from '../osiLayers';
import type { OsiLayer, Packet } from '../types';
import type { StoryWrite } from '../libs/websocket';
import { plainBytes, schemeOf } from './scheme';

const TEXT = new TextDecoder('utf-8');

export interface WalkStep extends Narration {
  readonly layer: OsiLayer;
  readonly kind: 'encapsulate' | 'decapsulate';
}

function title(layer: OsiLayer, what: string): string {
  return `Layer ${layer} (${OSI_LAYERS[layer].name}): ${what}`;
}

function range(p: Packet, key: 'ethernet' | 'ipv4' | 'tcp'): number {
  const r = p.layers[key];
  return r ? r.end - r.start : 0;
}

function u16(frame: Uint8Array, at: number): number {
  return ((frame[at] ?? 0) << 8) | (frame[at + 1] ?? 0);
}

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

function flagsText(p: Packet): string {
  return p.tcp.flags.join(', ');
}

function payloadPreview(w: StoryWrite): { text: string; bytes: Uint8Array } {
  // A compressed frame (permessage-deflate) carries deflate data: the text is the message before compression.
  const payload = w.inflated ?? (w.frame ? w.frame.payload : plainBytes(w));
  return { text: TEXT.decode(payload), bytes: payload };
}

/** The lines of an HTTP head, joined with ' | '. */
function headOf(w: StoryWrite): string {
  const text = TEXT.decode(plainBytes(w));
  return text.split('\r\n').filter(Boolean).join(' | ');
}

/** Layer 7 down: the WebSocket frame the program (or the library) writes, masked when the browser sends it. */
function frameDown(role: PacketRole, w: StoryWrite, f: RunFacts, sender: string): Narration {
  const repr = w.frame!;
  const header = plainBytes(w).length - repr.payload.length;
  const op = repr.opcode;
  const opName =
    op === WS_OPCODES.text
      ? '0x1 (text)'
      : op === WS_OPCODES.continuation
        ? '0x0 (continuation)'
        : op === WS_OPCODES.ping
          ? '0x9 (ping)'
          : op === WS_OPCODES.pong
            ? '0xA (pong)'
            : op === WS_OPCODES.close
              ? '0x8 (close)'
              : `0x${op.toString(16)}`;
  const message = role === 'message' && w.message !== undefined;
  const { text, bytes } = payloadPreview(w);
  const sample = bytes.subarray(0, 12);
  // WHATWG WebSockets send() (the browser) and ws lib/sender.js toBuffer (the server): a string is sent as its
  // UTF-8 bytes (RFC 3629 §3: one to four per character), encoded before the frame is built, since the payload
  // length counts bytes (RFC 6455 §5.2).
  const call = message
    ? `ws.send(${quoted(f.scenario.messages[w.message!]!.text, 30)}): the text is first encoded as UTF-8, ` +
      `${toHex(sample)}${bytes.length > 12 ? ' …' : ''} (${bytesText(bytes.length)} for ` +
      `${codePointCount(text)} characters: layer 6’s job, done before framing because the frame counts ` +
      'bytes, not characters).'
    : '';
  // RFC 7692 §7.2.1: the extension compresses the message before it is framed; §6: RSV1 on its first frame.
  const deflated =
    w.inflated && repr.rsv1
      ? ` The permessage-deflate extension then compresses them into ${bytesText(repr.payload.length)} of raw ` +
        'DEFLATE.'
      : '';
  // RFC 6455 §5.3: a client masks every frame with a fresh 4-byte key (XOR); the key is part of the header.
  const masked =
    repr.maskKey && repr.payload.length > 0
      ? ` The payload is masked (each byte XOR a byte of the key), so ${toHex(repr.payload.subarray(0, 8))}` +
        `${repr.payload.length > 8 ? ' …' : ''} ${w.tls ? 'goes to TLS as' : 'travels as'} ` +
        `${toHex(maskPayload(repr.payload.subarray(0, 8), repr.maskKey))}${repr.payload.length > 8 ? ' …' : ''}.`
      : '';
  return {
    title: title(7, 'a WebSocket frame'),
    // RFC 6455 §5.2 (the header fields); RFC 7692 §6 (RSV1: compressed); CURRICULUM.md Q10 (the unit: data).
    text:
      (message ? `${call}${deflated} Then the frame header: ` : `${sender} builds a WebSocket frame: `) +
      `FIN = ${repr.fin ? 1 : 0}${repr.rsv1 ? ', RSV1 = 1 (compressed)' : ''}, opcode ${opName}, MASK = ` +
      `${repr.maskKey ? 1 : 0}, payload length ` +
      `${repr.payload.length}${repr.maskKey ? `, masking key ${toHex(repr.maskKey)}` : ''}.${masked} ` +
      `${bytesText(plainBytes(w).length)} in all, ${header} of them header. This frame is the application's data.`,
    curriculum: w.inflated ? ['Q10', 'M10'] : ['Q10'],
  };
}

/** Layer 7 on the sending host. */
function appDown(p: Packet, w: StoryWrite | undefined, f: RunFacts): Narration {
  const role = packetRole(p, w);
  const sender = Who(p.from);
  switch (role) {
    case 'syn':
      return {
        title: title(7, 'nothing to send yet'), // RFC 6455 §4.1: the client opens a TCP connection first;
        // RFC 9293 §3.5: it begins with a SYN.
        text:
          `The page wants ${schemeOf(f).ws}://server/chat, but there is no connection yet, so layer 7 has no bytes to send. ` +
          `The browser asks its operating system for a TCP connection to ${f.server.ip}, port ${schemeOf(f).port}. ` +
          'What travels now is TCP’s own SYN.',
      };
    case 'tls-client-hello':
      return {
        title: title(7, 'nothing to send yet'), // RFC 6455 §4.1: for wss, the TLS handshake comes before the
        // opening handshake.
        text:
          'TCP is up, but the upgrade request must wait: for wss:// the browser first agrees keys with the ' +
          'server. The program writes nothing; what travels now is TLS’s ClientHello.',
      };
    case 'upgrade-request':
      return {
        title: title(7, 'the HTTP upgrade request'), // RFC 6455 §4.1, §4.2.2; CURRICULUM.md Q10.
        // RFC 6455 §4.1 (Upgrade, Connection, a 16-byte random key in base64), §4.2.2 (the server proves it read
        // the key); CURRICULUM.md Q10 (the unit's name at layer 7).
        text:
          `The browser writes ${bytesText(plainBytes(w!).length)} of HTTP: ${headOf(w!)}. Upgrade and Connection ask ` +
          `to switch this connection to WebSocket; the key ${f.key ?? '?'} is 16 random bytes in base64 that ` +
          'the server must prove it read. One request, one answer: that is the whole WebSocket handshake. At ' +
          'this layer the unit is simply called data.',
        curriculum: ['Q2', 'M2'],
        misconception: MISCONCEPTIONS.M2,
      };
    case 'upgrade-response': {
      const acc = f.key ? acceptComputation(f.key) : null;
      return {
        title: title(7, 'the 101 answer'),
        // ws lib/websocket-server.js handleUpgrade (GET, Upgrade, key, version) and completeUpgrade;
        // RFC 6455 §4.2.2 (Accept = base64(SHA-1(key + GUID))).
        text:
          `ws checked the request (GET, Upgrade: websocket, version 13, a key) and writes ${bytesText(plainBytes(w!).length)}: ` +
          `${headOf(w!)}. ` +
          (acc
            ? `The Accept value, step by step: take the key ${acc.key}; append the fixed GUID ${acc.guid}; ` +
              `SHA-1 of that text is ${toHex(acc.sha1, '')}; in base64 that is ${acc.accept}. `
            : '') +
          'Only a server that really read the key and speaks WebSocket can answer this.',
        curriculum: ['Q2', 'M2'],
      };
    }
    case 'message':
    case 'ping':
    case 'pong':
    case 'close':
    case 'close-echo':
      return frameDown(role, w!, f, sender);
    case 'continuation':
      return {
        title: title(7, 'the rest of a write'), // RFC 9293 §3.7.1: TCP cuts one write into segments no
        // larger than the MSS allows (sim/engine/tcp.ts).
        text: `${sender}'s program wrote its bytes earlier; TCP is still sending them piece by piece. Layer 7 has nothing new.`,
      };
    default:
      return {
        title: title(7, 'nothing from the program'), // RFC 9293 §3.4: a pure ACK or a FIN is TCP's own segment, with no data from the application.
        text: 'This segment is TCP’s own business (an acknowledgment or a FIN); the application adds nothing.',
      };
  }
}

function presentationDown(p: Packet, w: StoryWrite | undefined, f: RunFacts): Narration {
  if (p.app?.kind === 'continuation') {
    return {
      title: title(6, 'nothing new'), // RFC 8446 §5.1: TLS records are cut into segments by TCP, not by TLS.
      // RFC 8446 §5.1 (a record may span several TCP segments); RFC 9293 §3.7 (TCP cuts the write).
      text: w?.tls
        ? 'TLS sealed this write into its records when the program wrote it; this segment carries more of ' +
          'those bytes. Nothing new at layer 6.'
        : 'This segment carries more of a write made earlier. Nothing new at layer 6.',
      curriculum: ['Q10', 'M6'],
    };
  }
  if (w?.tls && f.tls) return f.tls.tlsPresentationDown(p, w, f);
  if (
    w?.frame &&
    w.frame.opcode !== WS_OPCODES.close &&
    w.frame.payload.length > 0 &&
    w.purpose === 'message'
  ) {
    const { text } = payloadPreview(w);
    return {
      title: title(6, 'UTF-8, no header'),
      // CURRICULUM.md M6 (UTF-8 is an encoding, not a header); WHATWG WebSockets send() encodes before
      // framing; RFC 8446 §5.1 (5-byte record header), §5.2 (1-byte inner content type, 16-byte AEAD tag).
      text:
        `Layer 6 adds no bytes. Its job here, turning ${quoted(text, 30)} into UTF-8 bytes, is already in the ` +
        'frame: it was done before framing, since the payload length counts bytes. In the Internet’s ' +
        'protocols, encoding is a job, not a header. Encryption does add bytes: on wss:// TLS puts each record ' +
        'behind a 5-byte header and adds 17 more (a content type and a 16-byte tag).' +
        // CURRICULUM.md M10: compression is the WebSocket extension's (RFC 7692), not a presentation layer's.
        (w.inflated
          ? ' Nor is the compression in this frame a layer-6 job: the WebSocket extension permessage-deflate, ' +
            'agreed in the upgrade, did it at layer 7.'
          : ''),
      curriculum: w.inflated ? ['Q10', 'M6', 'M10'] : ['Q10', 'M6'],
      misconception: w.inflated ? MISCONCEPTIONS.M10 : MISCONCEPTIONS.M6,
    };
  }
  if (w && w.layer === 'http') {
    return {
      title: title(6, 'plain ASCII text, no header'), // CURRICULUM.md M6; RFC 9112 §2.2: an HTTP/1.1
      // head is US-ASCII, a subset of UTF-8 (RFC 3629 §1).
      text:
        'HTTP headers are ASCII text, which is also valid UTF-8. Nothing is encrypted (ws://, not wss://). ' +
        'Layer 6 adds no bytes.',
      curriculum: ['Q10', 'M6'],
      misconception: MISCONCEPTIONS.M6,
    };
  }
  return {
    title: title(6, 'nothing to do'),
    // CURRICULUM.md M6: over ws:// nothing is added for layer 6; over wss:// TLS adds bytes only to what it
    // carries (RFC 8446 §5), and a segment with no data carries nothing.
    text: f.scenario.tls
      ? 'No text to encode and nothing for TLS to encrypt: this segment carries no data. Layer 6 adds no bytes.'
      : 'No text to encode and no encryption (ws://). Layer 6 adds no bytes: it has no header of its own here.',
    curriculum: ['Q10', 'M6'],
  };
}

/**
 * Layer 5, down the sender or up the receiver: the session, which has no header. The same sentence both ways:
 * the session's work (the handshakes, heartbeats and close) is done by WebSocket or TLS, whose bytes are
 * counted at their own layer.
 */
function session(p: Packet, w: StoryWrite | undefined, down: boolean): Narration {
  const role = packetRole(p, w);
  // CURRICULUM.md M6: over ws:// nothing is added for layer 5.
  const none = down ? 'layer 5 adds no bytes.' : 'layer 5 has no header to remove.';
  if (w?.tls && !w.tls.inner) {
    return {
      title: title(5, 'the TLS session, no header'), // RFC 8446 §1: TLS provides a secure channel between two peers; its state lives in each endpoint.
      text:
        'TLS’s handshake sets up the state both ends keep for this connection: the keys, the record numbers. ' +
        `That is session-like work, but it all happens inside TLS’s own records (layer 6 here): ${none}`,
      curriculum: ['Q10', 'M6'],
    };
  }
  // RFC 6455 §1.3-1.4 (the opening handshake opens it, the closing handshake ends it), §5.5.2-5.5.3 (ping,
  // pong); RFC 793 §1.5 (a pair of sockets, addresses and ports, identifies a connection: TCP's job, layer 4).
  const text =
    role === 'syn' || role === 'syn-ack' || role === 'handshake-ack'
      ? 'No session yet. The WebSocket session will live on this connection once the upgrade succeeds.'
      : role === 'upgrade-request' || role === 'upgrade-response'
        ? 'This request and its answer open the WebSocket session: from the 101 on, the connection carries frames, not HTTP.'
        : 'The WebSocket session on this one connection (TCP found it by its ports): its frames, its ping/pong ' +
          'heartbeats, its closing handshake.';
  return {
    title: title(5, 'the WebSocket session, no header'), // CURRICULUM.md M5/M6: the session is the dialogue, kept by WebSocket's own frames (layer 7).
    text: `${text} WebSocket keeps the session with its own frames, counted at layer 7; ${none}`,
    curriculum: ['Q10', 'M6'],
  };
}

function transportDown(p: Packet, w: StoryWrite | undefined): Narration {
  const mss = p.fields.find((x) => x.key === 'optionMss')?.value.replace(/^kind 2, length 4: /, '') ?? '';
  const hl = range(p, 'tcp');
  const syn = p.tcp.flags.includes('SYN');
  const ports = `ports ${p.tcp.srcPort} → ${p.tcp.dstPort}`;
  const tcpAt = p.layers.tcp?.start ?? 34;
  const window = u16(p.frame, tcpAt + 14);
  if (syn) {
    const synAck = p.tcp.flags.includes('ACK');
    return {
      title: title(4, synAck ? 'a TCP SYN-ACK segment' : 'a TCP SYN segment'),
      // RFC 9293 §3.4 (the SYN occupies one sequence number), §3.4.1 and RFC 6528 (the ISN); RFC 7323 §2.2 (a
      // SYN's window is never scaled); the window and options are Linux's, as the engine writes them
      // (sim/engine/tcp.ts); CURRICULUM.md Q10 (the unit's name).
      text:
        `TCP writes a ${hl}-byte header and no data: ${ports}, ` +
        (synAck
          ? `flags SYN and ACK, Seq = y = ${p.tcp.seq} (its initial sequence number), Ack = ${p.tcp.ack}, `
          : `flag SYN, Seq = x = ${p.tcp.seq} (its initial sequence number), `) +
        `window ${window} (a SYN’s window is never scaled), and Linux’s options: MSS ${mss}, SACK permitted, ` +
        'timestamps, window scale 7. The SYN counts as one sequence number. The unit is now a segment.',
      curriculum: ['Q10', 'Q11', 'M3'],
    };
  }
  const ts = p.fields.find((x) => x.key === 'optionTimestamps')?.value.replace(/^kind 8, length 10: /, '');
  return {
    title: title(4, `TCP adds ${bytesText(hl)}`),
    // RFC 9293 §3.1 (the header), RFC 7323 §2.2-2.3 (window × 2^7, the scale both SYNs agreed: sim/engine/tcp.ts),
    // §3 (timestamps); CURRICULUM.md Q10 (data + TCP header = a segment).
    text:
      `TCP puts a ${hl}-byte header in front of ${bytesText(p.tcp.len)} of data: ${ports}, Seq = ${p.tcp.seq} ` +
      `(${p.tcp.relSeq} relative), Ack = ${p.tcp.ack} (${p.tcp.relAck} relative), flags ${flagsText(p)}, ` +
      `window ${window} (× 128 = ${window * 128} bytes it can still receive)${ts ? `, timestamps ${ts}` : ''} ` +
      `and a checksum. Data + TCP header = a segment.` +
      // RFC 9293 §3.7.1: a segment carries at most the MSS (less its options: 1448 here, sim/engine/tcp.ts).
      (w && p.app?.kind !== 'continuation' && p.tcp.len < w.bytes.length
        ? ` The write is ${bytesText(w.bytes.length)}, more than one segment can carry, so this one takes the ` +
          `first ${bytesText(p.tcp.len)} and the rest follow.`
        : ''),
    curriculum: ['Q10'],
  };
}

function networkDown(p: Packet, f: RunFacts): Narration {
  const ipAt = p.layers.ipv4?.start ?? 14;
  const from = p.from === 'client' ? f.client.ip : f.server.ip;
  const to = p.to === 'client' ? f.client.ip : f.server.ip;
  return {
    title: title(3, 'IPv4 adds 20 bytes'),
    // RFC 791 §3.1 (the header; protocol 6 = TCP, IANA); TTL 64 is Linux's ip_default_ttl and DF its path MTU
    // discovery (RFC 1191), as in chromium-ws.pcap frame 1; CURRICULUM.md Q10 (segment + IP header = packet).
    text:
      `IPv4 writes from ${from} to ${to}, protocol 6 (TCP), TTL 64 and don't fragment (Linux's defaults), identification ` +
      `${hex4(u16(p.frame, ipAt + 4))}, header checksum ${hex4(u16(p.frame, ipAt + 10))}. Segment + IP header = a packet ` +
      `of ${bytesText(p.frame.length - 14)}.`,
    curriculum: ['Q10'],
  };
}

/** The MAC at `at` (0: destination, 6: source) of an Ethernet frame. */
function macAt(frame: Uint8Array, at: number): string {
  return toHex(frame.subarray(at, at + 6), ':');
}

/** The copy of `p` its receiver gets: the last router's, or the sender's own on one LAN. */
function received(p: Packet): Uint8Array {
  const hops = p.hops ?? [];
  return hops.length > 0 ? hops[hops.length - 1]!.frame : p.frame;
}

function linkDown(p: Packet, f: RunFacts): Narration {
  // The frame's own bytes: to the next hop's MAC (sim/engine/network.ts), which is a router's when there is one.
  const dst = macAt(p.frame, 0);
  const src = macAt(p.frame, 6);
  const peer = p.to === 'client' ? f.client : f.server;
  // IEEE 802.3 §3.2.8: a frame shorter than the minimum is padded with zero bytes (60 + the 4-byte FCS).
  const pad = p.padding > 0 ? `, ${p.padding} zero bytes of padding to reach 60,` : '';
  const routed = (p.hops?.length ?? 0) > 0;
  return {
    title: title(2, 'Ethernet adds 14 + 4 bytes'),
    // IEEE 802.3 §3.2 (addresses, type, padding to the 64-byte minimum with the FCS, §3.2.9 the CRC-32 FCS);
    // type 0x0800 = IPv4 (IANA, RFC 894).
    text:
      `Ethernet writes 14 bytes in front (destination MAC ${dst}, source MAC ${src}, type 0x0800 = IPv4)${pad} ` +
      `and the card appends a 4-byte CRC-32 checksum (FCS 0x${p.fcs.toString(16).padStart(8, '0')}) at the end. ` +
      `Packet + Ethernet = a frame of ${bytesText(p.frame.length + p.padding + 4)}.` +
      // RFC 1122 §3.3.1.1: a destination on another network goes to a gateway on the local one; its MAC comes
      // from ARP (RFC 826). The IP header keeps the final destination (RFC 791 §2.2).
      (routed
        ? ` ${dst} is not ${peer.ip}'s MAC: it is the router's, the next card on this link (found with ARP). ` +
          `Ethernet only reaches the next card; the IP packet inside keeps ${peer.ip} as its destination.`
        : ''),
    curriculum: routed ? ['Q10', 'M12'] : ['Q10'],
  };
}

function physicalDown(p: Packet): Narration {
  const total = p.frame.length + p.padding + 4;
  const bits = (total + 8) * 8;
  return {
    title: title(1, 'bits as a signal'),
    // IEEE 802.3 §3.2.1-3.2.2 (7 bytes of preamble, a start-of-frame delimiter); the 100 Mbit/s link is
    // Wirewalk's choice (sim/engine/network.ts).
    text:
      'The card sends 7 bytes of preamble and a start-of-frame byte (so the receiver can lock on), then the ' +
      `${bytesText(total)} of the frame: ${bits} bits in all, as a signal on the cable. At this simulated ` +
      `link's 100 Mbit/s that takes ${bits / 100} µs.`,
    curriculum: ['Q10', 'M11'], // M11: the signal and its preamble
    misconception: MISCONCEPTIONS.M11,
  };
}

export function walkDown(
  p: Packet,
  w: StoryWrite | undefined,
  f: RunFacts,
  retransmission: boolean,
): WalkStep[] {
  const steps: WalkStep[] = [];
  if (!retransmission) {
    steps.push({ ...appDown(p, w, f), layer: 7, kind: 'encapsulate' });
    steps.push({ ...presentationDown(p, w, f), layer: 6, kind: 'encapsulate' });
    steps.push({ ...session(p, w, true), layer: 5, kind: 'encapsulate' });
  }
  const l4 = transportDown(p, w);
  steps.push({
    ...(retransmission
      ? {
          ...l4,
          title: title(4, 'TCP sends the same segment again'), // RFC 9293 §3.8.1: TCP retransmits from its
          // own queue; RFC 7323 §3: each segment a fresh TSval.
          text:
            'Layers 7 to 5 are not asked again: TCP kept a copy of every unacknowledged segment and resends it ' +
            `itself, with the same Seq = ${p.tcp.seq} and a fresh timestamp. ` +
            l4.text,
        }
      : l4),
    layer: 4,
    kind: 'encapsulate',
  });
  steps.push({ ...networkDown(p, f), layer: 3, kind: 'encapsulate' });
  steps.push({ ...linkDown(p, f), layer: 2, kind: 'encapsulate' });
  steps.push({ ...physicalDown(p), layer: 1, kind: 'encapsulate' });
  return steps;
}

/** Layer 7 up: the WebSocket frame the receiver reads, unmasks (where it was masked) and decodes. */
function frameUp(role: PacketRole, w: StoryWrite, R: string): Narration {
  const repr = w.frame!;
  const reader = R === 'The browser' ? 'The browser' : 'ws';
  // RFC 6455 §5.3: the receiver unmasks with the key from the header (ws lib/receiver.js unmask).
  const unmask =
    repr.maskKey && repr.payload.length > 0
      ? ` It unmasks them (XOR with ${toHex(repr.maskKey)}): ${toHex(repr.payload.subarray(0, 8))}` +
        `${repr.payload.length > 8 ? ' …' : ''}.`
      : '';
  // RFC 7692 §7.2.2: append 00 00 ff ff to the compressed payload and inflate it.
  const inflate =
    w.inflated && repr.rsv1 && repr.fin
      ? ` RSV1 = 1, so it appends 00 00 ff ff and inflates them to ${bytesText(w.inflated.length)} of UTF-8: ` +
        `${quoted(TEXT.decode(w.inflated), 30)}.`
      : null;
  // WHATWG WebSockets (the browser UTF-8 decodes a text message for event.data); ws lib/receiver.js
  // dataMessage checks isValidUTF8 and hands a Buffer to the program, whose 'message: ' + data decodes it.
  const decoded =
    role === 'message' && !w.inflated && !w.fragment
      ? reader === 'ws'
        ? ` It checks they are valid UTF-8; as text they read ${quoted(TEXT.decode(repr.payload), 30)}.`
        : ` It decodes them as UTF-8: ${quoted(TEXT.decode(repr.payload), 30)}.`
      : '';
  return {
    title: title(7, 'the WebSocket frame'),
    // RFC 6455 §5.2 (the header fields), §5.4 (FIN = 0: more fragments follow).
    text:
      `${reader} reads the frame: FIN = ${repr.fin ? 1 : 0}, opcode 0x${repr.opcode.toString(16)}, ` +
      `MASK = ${repr.maskKey ? 1 : 0}, ${bytesText(repr.payload.length)} of payload.${unmask}` +
      (inflate ?? decoded) +
      (role === 'message' && !repr.fin ? ' More fragments must follow before the message is complete.' : ''),
    curriculum: w.inflated ? ['Q10', 'M10'] : ['Q10'],
  };
}

function appUp(p: Packet, w: StoryWrite | undefined, f: RunFacts): Narration {
  const role = packetRole(p, w);
  const R = Who(p.to);
  const whole = w !== undefined && expectedAfter(p, f) >= p.tcp.relSeq + w.bytes.length;
  if (w && p.app?.kind !== 'continuation' && p.tcp.len < w.bytes.length && whole) {
    return {
      title: title(7, 'the whole write, at last'), // RFC 9293 §3.10.7.4, RFC 6455 §6.2
      // RFC 9293 §3.10.7.4 (the later segments were kept; this one fills the gap); RFC 6455 §6.2.
      text:
        `This first piece of ${bytesText(w.bytes.length)} arrived after the rest, which TCP had kept: the ` +
        'whole write is now in, and goes up at once.',
      curriculum: ['Q10'],
    };
  }
  if (w && p.app?.kind !== 'continuation' && p.tcp.len < w.bytes.length) {
    // The first segment of a longer write: the program sees nothing until the rest is in (RFC 6455 §6.2: a
    // message is received once its frames are; ws lib/receiver.js waits for the whole frame).
    return {
      title: title(7, 'the first piece only'), // RFC 6455 §6.2
      text:
        `${R} has the first ${bytesText(p.tcp.len)} of ${bytesText(w.bytes.length)}; the rest follows in more ` +
        'segments. The program is told nothing until all of it has arrived.',
      curriculum: ['Q10'],
    };
  }
  switch (role) {
    case 'syn':
      return {
        title: title(7, 'nothing yet'),
        // ws lib/websocket-server.js: ws listens for the HTTP server's 'upgrade' event, not for TCP connections.
        text: 'server.js hears nothing yet: ws learns about a client only when its upgrade request arrives, after the handshake.',
      };
    case 'upgrade-request':
      return {
        title: title(7, 'ws reads the upgrade request'), // ws lib/websocket-server.js handleUpgrade
        text:
          // Node's http server parses the head and emits 'upgrade' (Connection: Upgrade); ws
          // lib/websocket-server.js handleUpgrade checks the method, Upgrade, the key and the version.
          `Node's HTTP server parses the request (GET /chat, Connection: Upgrade) and hands it to ws, which ` +
          `checks Upgrade: websocket, Sec-WebSocket-Version: 13 and Sec-WebSocket-Key: ${f.key ?? '?'}. All ` +
          'there, so it will answer 101 on this same connection. ' +
          // ws lib/websocket-server.js handleUpgrade: the offer is read only when perMessageDeflate is on.
          (f.scenario.deflate
            ? "It also reads Chrome's Sec-WebSocket-Extensions offer: perMessageDeflate is on, so it will accept it."
            : "Chrome's other headers change nothing here; its compression offer is ignored, as perMessageDeflate " +
              'is off (ws’s default).'),
        curriculum: ['Q2', 'M2'],
      };
    case 'upgrade-response':
      return {
        title: title(7, 'the browser checks the 101'), // RFC 6455 §4.1 (the client's checks of the response, Sec-WebSocket-Accept last), §4.2.2 (its value).
        text:
          'The browser reads HTTP/1.1 101 Switching Protocols and recomputes base64(SHA-1(key + GUID)) from the ' +
          'key it sent. It matches Sec-WebSocket-Accept, so the server really speaks WebSocket.',
        curriculum: ['Q2'],
      };
    case 'message':
    case 'ping':
    case 'pong':
    case 'close':
    case 'close-echo':
      return frameUp(role, w!, R);
    case 'continuation':
      return {
        title: title(7, 'waiting for the rest'), // RFC 6455 §6.2: the frame is read once all its bytes are in.
        text: `${R} has part of a frame; the program sees nothing until all of it has arrived.`,
      };
    default:
      return {
        title: title(7, 'nothing for the program'), // RFC 9293 §3.4: a segment with no data carries nothing
        // for the application.
        text: 'Nothing here for the application.',
      };
  }
}

function presentationUp(p: Packet, w: StoryWrite | undefined, f: RunFacts): Narration {
  if (w?.tls && f.tls && p.tcp.len >= w.bytes.length) return f.tls.tlsPresentationUp(w);
  if (w?.frame && w.purpose === 'message' && w.frame.payload.length > 0 && p.tcp.len >= w.bytes.length) {
    return {
      title: title(6, 'UTF-8, no header'),
      // CURRICULUM.md M6 (an encoding, not a header); RFC 6455 §5.3 (the frame's masking is undone with the
      // frame, layer 7); RFC 7692 §7.2.2 (inflating is the WebSocket extension's, layer 7).
      text:
        'Layer 6 has no header to remove (no TLS on ws://). Its job here, reading the payload as UTF-8 text, ' +
        `comes with the frame: ${who(p.to) === 'the server' ? 'ws' : 'the browser'} ` +
        (w.frame.maskKey ? 'unmasks the payload and ' : '') +
        (w.inflated ? 'inflates it with the WebSocket extension, then ' : '') +
        'decodes it at layer 7, the next step: the mirror of the sender encoding it before framing.',
      curriculum: ['Q10', 'M6'],
    };
  }
  return {
    title: title(6, 'nothing to remove'),
    // CURRICULUM.md M6: over ws:// nothing is added for layer 6, so nothing is removed; RFC 8446 §5 (TLS reads
    // only its records).
    text: w?.tls
      ? 'Part of a TLS record: TLS waits for the rest before it can check the tag and decrypt it.'
      : f.scenario.tls
        ? 'No header at layer 6: this segment carries no TLS record, so TLS has nothing to read.'
        : 'No header at layer 6; text stays text (no TLS on ws://).',
    curriculum: ['Q10', 'M6'],
  };
}

/**
 * The next byte `p`'s receiver expects when `p` arrives, relative to the sender's ISN: the end of what arrived
 * before it without a gap (the SYN is byte 0), from the run's own packets.
 */
function expectedBefore(p: Packet, f: RunFacts): number {
  const earlier = f.packets
    .filter(
      (q) =>
        q.connection === p.connection &&
        q.from === p.from &&
        !q.lost &&
        (q.arrivesAt < p.arrivesAt || (q.arrivesAt === p.arrivesAt && q.id < p.id)),
    )
    .map((q) => ({
      start: q.tcp.relSeq,
      end:
        q.tcp.relSeq +
        q.tcp.len +
        (q.tcp.flags.includes('SYN') ? 1 : 0) +
        (q.tcp.flags.includes('FIN') ? 1 : 0),
    }))
    .sort((x, y) => x.start - y.start);
  let next = 0;
  for (const r of earlier) if (r.start <= next && r.end > next) next = r.end;
  return next;
}

/** The next byte expected once `p` has arrived too (it may fill a gap before segments kept out of order). */
function expectedAfter(p: Packet, f: RunFacts): number {
  return expectedBefore({ ...p, arrivesAt: p.arrivesAt, id: p.id + 0.5 }, f);
}

function transportUp(p: Packet, f: RunFacts): Narration {
  const hl = range(p, 'tcp');
  const ports = `${p.tcp.srcPort} → ${p.tcp.dstPort}`;
  if (p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK')) {
    return {
      title: title(4, `TCP: a SYN for port ${p.tcp.dstPort}`), // RFC 9293 §3.10.7.2: a SYN to a LISTEN socket: note its sequence number, answer with SYN-ACK.
      text:
        `TCP checks the checksum, sees a SYN to port ${p.tcp.dstPort} where server.js listens, and notes the browser's ` +
        `number x = ${p.tcp.seq}. It will answer with its own SYN-ACK.`,
      curriculum: ['Q10', 'Q11'],
    };
  }
  if (p.tcp.flags.includes('SYN')) {
    return {
      title: title(4, 'TCP: the SYN-ACK'),
      // RFC 9293 §3.10.7.3 (SYN-SENT: the ACK of the SYN, the peer's ISN, then the handshake's last ACK).
      text:
        `TCP finds its connection by the ports (${ports}) and checks the checksum. Ack = ${p.tcp.ack} acknowledges ` +
        `its SYN, and Seq = y = ${p.tcp.seq} is the server's initial sequence number. It will answer with the ` +
        `handshake's last segment, an ACK of y + 1.`,
      curriculum: ['Q10', 'Q11'],
    };
  }
  const fin = p.tcp.flags.includes('FIN');
  // RFC 793 §1.5 (a pair of sockets, addresses and ports, identifies a connection); RFC 9293 §3.1 (checksum).
  const found = `TCP finds the connection by its ports (${ports}) and checks the checksum. `;
  if (p.tcp.len === 0 && !fin) {
    return {
      title: title(4, `TCP reads an ACK (${bytesText(hl)})`), // RFC 9293 §3.4 (only data, SYN and FIN take sequence numbers, so a bare ACK is not acknowledged);
      // RFC 6298 §5.2-5.3 (the timer stops when all is acknowledged, restarts when new data is).
      text:
        found +
        `Ack = ${p.tcp.relAck} (relative): everything it sent before that has arrived, so it can drop its ` +
        'copies of those bytes; its retransmission timer stops if nothing else is waiting for an ACK, or ' +
        'starts again for what is. An ACK carrying no data is never acknowledged itself.',
      curriculum: ['Q10'],
    };
  }
  const expected = expectedBefore(p, f);
  const end = p.tcp.relSeq + p.tcp.len + (fin ? 1 : 0);
  let text: string;
  if (p.tcp.relSeq > expected) {
    // RFC 9293 §3.10.7.4 (a segment beyond RCV.NXT is kept, if within the window, and RCV.NXT acknowledged);
    // RFC 5681 §4.2 (an out-of-order segment is acknowledged at once: a duplicate ACK).
    text =
      `Seq = ${p.tcp.relSeq} (relative), but it expects ${expected}: the bytes in between are missing. It keeps ` +
      `this segment and at once acknowledges ${expected} again (a duplicate ACK); nothing goes up until the gap is filled.`;
  } else if (end <= expected) {
    // RFC 9293 §3.10.7.4: a segment wholly below RCV.NXT is a duplicate; it is answered with an ACK.
    text =
      `Seq = ${p.tcp.relSeq} (relative): it already has these bytes (it expects ${expected}), so it drops the copy ` +
      `and acknowledges ${expected} again.`;
  } else {
    // RFC 9293 §3.10.7.4: in-order data is delivered and RCV.NXT advances past it (and past what it joins up).
    const next = Math.max(expectedAfter(p, f), end);
    // RFC 9293 §3.10.7.4: the segment joins up with later data kept out of order; all of it goes up.
    const joined =
      next > end
        ? ` It fills a gap: with the later bytes it kept, everything up to ${next} is in, and all of it goes up.`
        : '';
    // RFC 9293 §3.4 (the FIN takes one sequence number), §3.10.7.4 (in order: delivered and acknowledged).
    text =
      `Seq = ${p.tcp.relSeq} (relative) is the next byte it expects. ` +
      (fin
        ? `${p.tcp.len > 0 ? `It takes ${bytesText(p.tcp.len)} and ` : 'It '}notes the FIN: the other side is done. ` +
          `It will acknowledge with Ack = ${next} (the FIN counts as one).`
        : next > end
          ? `It will acknowledge with Ack = ${next}.${joined}`
          : `It will acknowledge ${bytesText(p.tcp.len)} with Ack = ${next} and hands the data up.`);
  }
  return {
    title: title(4, `TCP removes ${bytesText(hl)}`),
    text: found + text,
    curriculum: ['Q10'],
  };
}

function networkUp(p: Packet, f: RunFacts): Narration {
  const me = p.to === 'client' ? f.client.ip : f.server.ip;
  const frame = received(p);
  const ttl = frame[(p.layers.ipv4?.start ?? 14) + 8]!;
  const routers = p.hops?.length ?? 0;
  return {
    title: title(3, 'IPv4 removes 20 bytes'),
    // RFC 791 §3.1 and RFC 1122 §3.2.1 (checksum, own address, protocol 6 → TCP).
    text:
      `IPv4 checks the header checksum, sees its own address ${me} and protocol 6, and hands the segment to TCP.` +
      // RFC 1812 §5.3.1: each router decrements the TTL by one (and so recomputes the header checksum).
      (routers > 0
        ? ` TTL ${ttl}: sent with 64, ${routers === 1 ? 'the router' : `each of the ${routers} routers`} on the way took one.`
        : ''),
    curriculum: ['Q10'],
  };
}

function linkUp(p: Packet): Narration {
  const frame = received(p);
  const me = macAt(frame, 0);
  const from = macAt(frame, 6);
  const routed = (p.hops?.length ?? 0) > 0;
  return {
    title: title(2, 'Ethernet removes 14 + 4 bytes'),
    // IEEE 802.3 §3.2.9 (the FCS; a CRC-32 catches every burst of up to 32 changed bits, and misses other
    // damage about once in 2^32: Koopman, DSN 2002), §3.2.3-3.2.6 (destination, type 0x0800 = IPv4).
    text:
      `The card recomputes the CRC-32: 0x${ethernetFcs(frame).toString(16).padStart(8, '0')}, the same as the FCS, ` +
      'so the frame is taken as undamaged (a CRC-32 catches any burst of up to 32 changed bits, and misses ' +
      `other damage only about once in 4 billion). The destination is its own MAC (${me}) and the type 0x0800, so the packet goes to IPv4.` +
      // The last router wrote this header (RFC 1812 §5.3.1 forwarding; sim/engine/router.ts).
      (routed ? ` The source, ${from}, is the router's card on this link, not the sender's.` : ''),
    curriculum: routed ? ['Q10', 'M12'] : ['Q10'],
  };
}

function physicalUp(p: Packet): Narration {
  return {
    title: title(1, 'signal to bits'),
    // IEEE 802.3 §3.2.1-3.2.2: the preamble lets the receiver lock on before the frame.
    text:
      `${Who(p.to)}'s card hears the preamble, locks onto it and turns the signal back into ` +
      `${bytesText(p.frame.length + p.padding + 4)}.`,
    curriculum: ['Q10'],
  };
}

export function walkUp(p: Packet, w: StoryWrite | undefined, f: RunFacts): WalkStep[] {
  return [
    { ...physicalUp(p), layer: 1, kind: 'decapsulate' },
    { ...linkUp(p), layer: 2, kind: 'decapsulate' },
    { ...networkUp(p, f), layer: 3, kind: 'decapsulate' },
    { ...transportUp(p, f), layer: 4, kind: 'decapsulate' },
    { ...session(p, w, false), layer: 5, kind: 'decapsulate' },
    { ...presentationUp(p, w, f), layer: 6, kind: 'decapsulate' },
    { ...appUp(p, w, f), layer: 7, kind: 'decapsulate' },
  ];
}

/** The steps at one router: up to layer 3 and back down on its other card. */
export interface RouterWalk {
  /** The router's id ('router-1'…), the step's host. */
  readonly at: string;
  readonly steps: readonly WalkStep[];
}

function ipv4Hex(frame: Uint8Array, at: number): string {
  return hex4(u16(frame, at));
}

/**
 * The walk through each router `p` crosses (sim/engine/router.ts): Ethernet removed, IPv4 forwarding (TTL, checksum,
 * next hop), a new Ethernet header. What changes is the frame (MACs, TTL, checksum); the IP addresses stay (M12).
 */
export function walkRouters(p: Packet, f: RunFacts): RouterWalk[] {
  const hops = p.hops ?? [];
  const plan = pathPlan(f.scenario.hops, NETWORK.latencyNs);
  const ipAt = p.layers.ipv4?.start ?? 14;
  // The addresses as the sender wrote them (RFC 791 §3.1: source at 12, destination at 16): any browser's.
  const srcIp = Array.from(p.frame.subarray(ipAt + 12, ipAt + 16)).join('.');
  const dstIp = Array.from(p.frame.subarray(ipAt + 16, ipAt + 20)).join('.');
  const up = p.from !== f.server.id;
  return hops.map((hop, i) => {
    const before = i === 0 ? p.frame : hops[i - 1]!.frame;
    const k = up ? i + 1 : plan.hops - i;
    const router = plan.routers[k - 1];
    const inCard = router?.ports[up ? 0 : 1];
    const outCard = router?.ports[up ? 1 : 0];
    const last = i === hops.length - 1;
    const nextIp = last ? dstIp : (plan.routers[up ? k : k - 2]?.ports[up ? 0 : 1].ip ?? '?');
    const ttlBefore = before[ipAt + 8]!;
    const newSrc = macAt(hop.frame, 6);
    const newDst = macAt(hop.frame, 0);
    const steps: WalkStep[] = [
      {
        // RFC 1812 §5.2: a router takes the frame off the link layer and hands the packet to IP.
        title: title(2, 'Ethernet removes its header'),
        // IEEE 802.3 §3.2.3 (the destination MAC) and §3.2.9 (the FCS); RFC 1812 §5.2 (up to IP, no higher).
        text:
          `The router's card ${inCard ? `${inCard.mac} (${inCard.ip})` : ''} sees its own MAC as the destination, ` +
          `checks the FCS (0x${ethernetFcs(before).toString(16).padStart(8, '0')}) and hands the packet to IPv4. ` +
          'A router climbs only to layer 3: TCP and everything above it are not its business.',
        curriculum: ['M12'],
        layer: 2,
        kind: 'decapsulate',
      },
      {
        // RFC 1812 §5.2.1 (forwarding), §5.3.1 (TTL: decrement by one; 0 means drop); Linux ip_forward with
        // net.ipv4.ip_forward=1, as the reference router (routed/capture.sh).
        title: title(3, `IPv4: TTL ${ttlBefore} → ${hop.ttl}, checksum recomputed`),
        // RFC 1812 §5.3.1 (TTL), §5.3.2 / RFC 791 §3.1 (the checksum changes with it), §5.2.4.3 (next hop from the
        // destination); sim/engine/router.ts writes these bytes.
        text:
          `The destination, ${dstIp}, is not the router's own address, so it forwards the packet. It takes one ` +
          `from the TTL (${ttlBefore} → ${hop.ttl}; a packet whose TTL runs out is dropped, so a loop cannot ` +
          `keep it forever), which changes the header checksum: ${ipv4Hex(before, ipAt + 10)} → ` +
          `${ipv4Hex(hop.frame, ipAt + 10)}. Next hop ${nextIp} on the other port` +
          `${outCard ? ` (${outCard.ip})` : ''}. Source and destination addresses stay as the sender wrote them.`,
        curriculum: ['M12'],
        layer: 3,
        kind: 'decapsulate',
      },
      {
        // RFC 1812 §5.2 / RFC 826: a new link-layer header for the next hop, its MAC found with ARP.
        title: title(2, `Ethernet adds a new header: from ${newSrc} to ${newDst}`),
        // RFC 1812 §5.2 and RFC 826 (the next hop's MAC); IEEE 802.3 §3.2.9 (a new FCS); sim/engine/router.ts.
        text:
          `A new frame on the other card: source ${newSrc} (the router's own card on that link), destination ` +
          `${newDst} (${last ? (up ? 'the server' : 'the browser') : 'the next router'}, found with ` +
          `ARP), a new FCS 0x${ethernetFcs(hop.frame).toString(16).padStart(8, '0')}. The MAC addresses changed ` +
          `at this hop; the IP addresses (${srcIp} → ${dstIp}) did not.`,
        curriculum: ['M12'],
        layer: 2,
        kind: 'encapsulate',
      },
    ];
    return { at: hop.at, steps };
  });
}
