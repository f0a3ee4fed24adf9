/**
 * The websocket story's first four lessons: the whole story, OSI encapsulation, TCP's handshakes and
 * the upgrade.
 */
import { fromBase64, toHex } from '../../../protocol/bytes';
import {
  acceptComputation,
  decodeHttpRequest,
  decodeHttpResponse,
  headerValue,
} from '../../../protocol/http';
import type { Packet, Step, Timeline } from '../../../sim/types';
import {
  packetOf,
  onWire,
  appBytes,
  wsFrameOf,
  wsHeaderBytes,
  isTextFrame,
  has,
  firstStep,
  firstTransmit,
  wsBecame,
  startsClosing,
  firstSyn,
  isHandshakeAck,
  isFirstFrame,
  finAcked,
  seqPlus,
  startAt,
} from '../queries';
import type { LessonContent } from '../types';
import { quote, bytes, span, byteList, TEXT } from '../wording';

/** Overview: the same connection all along, frames instead of HTTP, open until someone closes. */
function overviewAside(step: Step, t: Timeline): string | undefined {
  const syn = firstSyn(t);
  if (step.kind === 'app' && step.host === 'client' && wsBecame(step, t, 'client', 'OPEN') && syn) {
    const client = t.hosts.find((h) => h.id === 'client');
    const server = t.hosts.find((h) => h.id === 'server');
    // RFC 9293 §2.7 (a pair of sockets, two addresses and two ports, names a connection); RFC 6455 §1.2 and §4.2.2
    // (after the 101 the same connection carries frames); the numbers are this run's (sim/engine/network.ts).
    return (
      `One connection from start to finish: ${client?.ip ?? 'the browser'} port ${syn.tcp.srcPort} ↔ ` +
      `${server?.ip ?? 'the server'} port ${syn.tcp.dstPort}, the same four numbers as the SYN at step ` +
      `${firstStep(t, (s) => s.packet === syn.id && s.kind === 'transmit') ?? 1}. It started as HTTP; from ` +
      'here on it carries WebSocket frames in both directions.'
    );
  }
  const p = packetOf(step, t);
  if (p && step.kind === 'transmit' && p.from === 'server' && isTextFrame(p)) {
    const f = wsFrameOf(p);
    if (!f) return undefined;
    // RFC 6455 §5.2 (the frame header: 2 bytes for an unmasked payload under 126 bytes); no HTTP status line
    // or header fields (RFC 9112 §4) after the 101. Sizes read from this packet's bytes.
    return (
      `At layer 7 this message is ${bytes(appBytes(p).length)}: a ${wsHeaderBytes(p, f)}-byte frame header ` +
      `and ${bytes(f.payload.length)} of text. It is not an HTTP response: no status line, no headers.`
    );
  }
  if (startsClosing(step, t)) {
    const opened = t.steps.find((s) => s.kind === 'app' && wsBecame(s, t, 'client', 'OPEN'));
    if (!opened) return undefined;
    // RFC 6455 §7.1.1-§7.1.5 and §7.4.1 (1006): a WebSocket has no time limit; it ends by a closing
    // handshake or when the connection breaks (a crash, a broken path, a proxy or NAT dropping an idle one).
    return (
      `This WebSocket has been open for ${span(step.time - opened.time)} of simulated time, since step ` +
      `${opened.index + 1}. RFC 6455 sets no time limit: it would stay open as long as nobody called close() ` +
      'and nothing broke the connection.'
    );
  }
  return undefined;
}

/** The client's first text frame: the one packet the OSI lesson follows down and up. */
function osiPacket(t: Timeline): Packet | undefined {
  return t.packets.find((p) => p.from === 'client' && isTextFrame(p) && p.retransmissionOf === undefined);
}

/** OSI: the size of the unit after each layer, down the browser and up the server. */
function osiAside(step: Step, t: Timeline): string | undefined {
  const p = osiPacket(t);
  if (!p || step.packet !== p.id || step.layer === null) return undefined;
  // The router's steps (steps/osi.ts walkRouters) change no size: the sizes are the two hosts' walk.
  if (step.host !== 'wire' && step.host !== p.from && step.host !== p.to) return undefined;
  const app = appBytes(p).length;
  const tcp = (p.layers.tcp?.end ?? 0) - (p.layers.tcp?.start ?? 0);
  const ip = (p.layers.ipv4?.end ?? 0) - (p.layers.ipv4?.start ?? 0);
  const eth = (p.layers.ethernet?.end ?? 0) - (p.layers.ethernet?.start ?? 0);
  const seg = app + tcp;
  const pkt = seg + ip;
  const frame = p.frame.length + p.padding + 4;
  const bits = (frame + 8) * 8;
  const f = wsFrameOf(p);
  const text = f ? TEXT.decode(f.payload) : '';
  const textBytes = f ? f.payload.length : app;
  const pad = p.padding > 0 ? ` + ${bytes(p.padding)} of padding` : '';
  if (step.kind === 'encapsulate') {
    switch (step.layer) {
      case 7:
        // RFC 6455 §5.2 (frame header) and §5.3 (the client's 4-byte masking key); bytes from this packet.
        return (
          `Size so far: ${bytes(app)} of data, the WebSocket frame ${byteList(appBytes(p), 12)}: ` +
          `${bytes(textBytes)} for the text ${quote(text)} and ${bytes(app - textBytes)} of frame header` +
          `${f?.maskKey ? ' (with the 4-byte masking key)' : ''}.`
        );
      case 6:
        // CURRICULUM M6: over ws:// nothing is added for layer 6 (UTF-8 is an encoding, not a header).
        return `Still ${bytes(app)}: layer 6 changed nothing and added nothing.`;
      case 5:
        // CURRICULUM M5; RFC 1034 and RFC 1035 §4.2 (DNS: a name-to-address service over UDP or TCP
        // port 53, used before the connection is made).
        return (
          `Still ${bytes(app)}: layer 5 added nothing either. Its job here is the dialogue, the WebSocket ` +
          'session. DNS is not a session-layer protocol: it is an application (layer 7) protocol that turns ' +
          'a name into an address, and it would run before any of this.'
        );
      case 4:
        // RFC 9293 §3.1 (20-byte fixed header, then options); RFC 7323 §3 (the timestamps option, with 2 NOPs).
        return `${bytes(app)} + ${bytes(tcp)} of TCP header (20 fixed + ${tcp - 20} of options) = ${bytes(seg)}: a segment.`;
      case 3:
        // RFC 791 §3.1 (the 20-byte IPv4 header without options).
        return `${bytes(seg)} + ${bytes(ip)} of IPv4 header = ${bytes(pkt)}: a packet.`;
      case 2:
        // IEEE 802.3 §3.2 (14-byte header, padding to 64 bytes, 4-byte FCS).
        return `${bytes(eth)} of Ethernet header + ${bytes(pkt)}${pad} + 4 bytes of FCS = ${bytes(frame)}: a frame.`;
      case 1:
        // IEEE 802.3 §3.2.1-3.2.2 (7 bytes of preamble and a 1-byte start frame delimiter).
        return `${bytes(frame)} + 8 bytes of preamble and start-of-frame = ${bits} bits on the cable.`;
      default:
        return undefined;
    }
  }
  if (step.kind === 'transmit') {
    // The sum of the sizes above (RFC 6455 §5.2, RFC 9293 §3.1, RFC 791 §3.1, IEEE 802.3 §3.2).
    return (
      `Of the ${bytes(frame)} of this Ethernet frame, ${bytes(textBytes)} are the text the page sent; ` +
      `${bytes(frame - textBytes)} are headers${p.padding > 0 ? ', padding' : ''} and checks added on the way down.`
    );
  }
  if (step.kind === 'decapsulate') {
    switch (step.layer) {
      case 1:
        // IEEE 802.3 §3.2.1-3.2.2: the preamble and start frame delimiter are not part of the frame.
        return `${bits} bits back into ${bytes(frame)}.`;
      case 2:
        // IEEE 802.3 §3.2 (header, FCS and padding removed).
        return `${bytes(frame)} − ${bytes(eth)} of header − 4 of FCS${pad ? ' − the padding' : ''} = ${bytes(pkt)}.`;
      case 3:
        // RFC 791 §3.1 (the IPv4 header).
        return `${bytes(pkt)} − ${bytes(ip)} = ${bytes(seg)}.`;
      case 4:
        // RFC 9293 §3.1 (the TCP header); the bytes are this packet's, unchanged end to end.
        return `${bytes(seg)} − ${bytes(tcp)} = ${bytes(app)}: the WebSocket frame, exactly as the browser wrote it.`;
      case 5:
        // CURRICULUM M6: no session-layer header over ws://.
        return `Still ${bytes(app)}: no header to remove at layer 5.`;
      case 6:
        // CURRICULUM M6 and M10: UTF-8 is an encoding (RFC 3629), work on the bytes, not a header.
        return (
          `Still ${bytes(app)}: no header to remove at layer 6. UTF-8 is how the text is encoded in the ` +
          'payload, not a header.'
        );
      case 7:
        // RFC 6455 §5.2 (the frame header) and §5.3 (unmasking with the key from that header is part of the
        // framing, as ws lib/receiver.js does while it reads the frame).
        return (
          `${bytes(app)} − ${bytes(app - textBytes)} of frame header = ${bytes(textBytes)} of payload` +
          `${f?.maskKey ? ', unmasked with the key from the header' : ''}: ${quote(text)}, what the page sent.`
        );
      default:
        return undefined;
    }
  }
  return undefined;
}

/** TCP: absolute sequence numbers, and SYN and FIN each using one of them. */
function tcpAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (!p || !onWire(step)) return undefined;
  const syn = firstSyn(t);
  if (has(p, 'SYN') && !has(p, 'ACK')) {
    // RFC 9293 §3.4 (the SYN occupies one sequence number, data starts at ISN + 1) and §3.4.1 with RFC 6528
    // (an ISN an outsider cannot guess: Linux's secure_tcp_seq, net/core/secure_seq.c); Wirewalk's choice:
    // the ISN is drawn from the link's seed (sim/engine/network.ts).
    return (
      `x = ${p.tcp.seq}, a starting number an outsider cannot guess. The SYN itself uses number x, so the ` +
      `browser's first byte of data will be number x+1 = ${seqPlus(p.tcp.seq, 1)}.`
    );
  }
  if (has(p, 'SYN') && has(p, 'ACK')) {
    // RFC 9293 §3.5 (the SYN-ACK acknowledges x + 1 and carries the server's own ISN y) and §3.4.
    return (
      `y = ${p.tcp.seq}, the server's own starting number. Ack = ${p.tcp.ack} = x+1: "I have your number x ` +
      `(the SYN); send x+1 next". Its own SYN uses up y, so the browser will answer y+1 = ${seqPlus(p.tcp.seq, 1)}.`
    );
  }
  if (isHandshakeAck(p)) {
    // RFC 9293 §3.5 (the third segment: Seq = x + 1, Ack = y + 1); Wireshark's relative sequence numbers
    // (epan/dissectors/packet-tcp.c, on by default) count from each ISN.
    return (
      `Seq = ${p.tcp.seq} = x+1 and Ack = ${p.tcp.ack} = y+1. Nothing went back to 0 and nothing repeated ` +
      'the SYN number: both numbers moved one past the SYNs. Wireshark prints 1 and 1 only because it ' +
      'counts from each ISN.'
    );
  }
  if (has(p, 'FIN')) {
    // RFC 9293 §3.4 (a FIN occupies one sequence number, after the segment's data) and §3.6.
    return (
      `FIN with Seq = ${p.tcp.seq} (${p.tcp.relSeq} counted from the ISN). ` +
      (p.tcp.len > 0 ? `After its ${bytes(p.tcp.len)} of data it ` : 'It carries no data, yet it ') +
      `uses up one number, like the SYN: the answer must say Ack = ${p.tcp.relSeq + p.tcp.len + 1} (relative).`
    );
  }
  const fin = finAcked(p, t);
  if (fin) {
    // RFC 9293 §3.4 and §3.6: the ACK of a FIN is the FIN's sequence number + 1.
    return `Ack = ${p.tcp.relAck} (relative) = the FIN's ${fin.tcp.relSeq} + 1: the FIN counted as one number.`;
  }
  if (p.tcp.len > 0 && p.from === 'client' && syn && p.retransmissionOf === undefined) {
    const first = seqPlus(p.tcp.seq, -syn.tcp.seq);
    // RFC 9293 §3.4: every byte of data has its own sequence number; the segment's Seq is its first byte's.
    return (
      `These ${bytes(p.tcp.len)} are numbered x+${first} … x+${first + p.tcp.len - 1} ` +
      `(${p.tcp.seq} … ${seqPlus(p.tcp.seq, p.tcp.len - 1)}); the browser's next byte will be x+${first + p.tcp.len}.`
    );
  }
  return undefined;
}

/** The upgrade: TCP first, then one request and one response, the accept key computed step by step. */
function upgradeAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (step.kind === 'app' && step.host === 'client' && wsBecame(step, t, 'client', 'OPEN')) {
    const get = t.packets.find((q) => q.app?.kind === 'http-request' && q.app.upgrade);
    const key = get ? requestKey(get) : undefined;
    if (!key) return undefined;
    // RFC 6455 §4.1 (the client checks Sec-WebSocket-Accept; Chromium net/websockets/websocket_handshake_challenge.cc
    // computes it) and §4.2.2; the three segments are RFC 9293 §3.5's handshake.
    return (
      `The browser ran the same computation on the key it had sent and got ${acceptComputation(key).accept}: ` +
      'it matches the 101, so the WebSocket is open. Two messages at layer 7, on top of three segments at layer 4.'
    );
  }
  if (!p || step.kind !== 'transmit') return undefined;
  if (isHandshakeAck(p)) {
    // RFC 9293 §3.5 (SYN, SYN-ACK, ACK); RFC 6455 §1.3 and §4 (the opening handshake: one HTTP request, one response).
    return (
      "TCP's three-way handshake ends here, at layer 4: SYN, SYN-ACK, ACK. The WebSocket handshake has not " +
      'started yet. It is the next two messages, one HTTP request and one response, at layer 7.'
    );
  }
  if (p.app?.kind === 'http-request' && p.app.upgrade) {
    const key = requestKey(p);
    const raw = key ? fromBase64(key) : null;
    // RFC 6455 §4.1 (a 16-byte random nonce in base64; Upgrade, Connection, Sec-WebSocket-Version: 13;
    // Host and Origin); Chrome's twelve headers in its order (chromium-ws.pcap; sources per header in
    // sim/libs/http.ts browserWsRequest); WHATWG Fetch (a WebSocket request's cache mode is no-store, which
    // adds Pragma and Cache-Control: no-cache); RFC 7692 §7 (the permessage-deflate offer).
    return (
      `One HTTP request on the connection TCP made (port ${p.tcp.srcPort} → ${p.tcp.dstPort}). ` +
      `Sec-WebSocket-Key: ${key ?? '?'} is 16 random bytes in base64${raw ? ` (${toHex(raw)})` : ''}; ` +
      'Upgrade: websocket and Connection: Upgrade ask to switch protocols; Sec-WebSocket-Version: 13. ' +
      'Host and Origin say which server and which page (RFC 6455 §4.1); the other six are Chrome’s own: ' +
      'Pragma and Cache-Control: no-cache (the Fetch standard: never from a cache), User-Agent, Accept-Encoding, ' +
      'Accept-Language, and Sec-WebSocket-Extensions, its offer to compress messages (RFC 7692).'
    );
  }
  if (p.app?.kind === 'http-response' && p.app.status === 101) {
    const get = t.packets.find((q) => q.app?.kind === 'http-request' && q.app.upgrade);
    const key = get ? requestKey(get) : undefined;
    if (!key) return undefined;
    const c = acceptComputation(key);
    const sent = responseAccept(p);
    // RFC 6455 §4.2.2 step 5 (key + GUID, SHA-1, base64), computed by protocol/http.ts acceptComputation.
    return (
      `Sec-WebSocket-Accept, step by step: 1) the key ${c.key}; 2) append the GUID: ${c.concatenated}; ` +
      `3) SHA-1 of that text: ${toHex(c.sha1, '')}; 4) those 20 bytes in base64: ${c.accept}` +
      (sent === c.accept ? ', exactly the header in this 101.' : '.')
    );
  }
  const f = wsFrameOf(p);
  if (f && isFirstFrame(p, t)) {
    // RFC 6455 §4.2.2 and §5.2: after the 101 the connection carries frames; ports from this packet.
    return (
      `The first bytes after the 101 are a WebSocket frame (${byteList(appBytes(p), 2)}), not HTTP: ` +
      `the same connection, ports ${p.tcp.srcPort} → ${p.tcp.dstPort}.`
    );
  }
  return undefined;
}

function requestKey(p: Packet): string | undefined {
  const r = decodeHttpRequest(appBytes(p));
  return r.ok ? headerValue(r.repr.headers, 'sec-websocket-key') : undefined;
}

function responseAccept(p: Packet): string | undefined {
  const r = decodeHttpResponse(appBytes(p));
  return r.ok ? headerValue(r.repr.headers, 'sec-websocket-accept') : undefined;
}

export const CONNECTION_LESSONS: readonly LessonContent[] = [
  {
    id: 'websocket',
    // CURRICULUM Q1; RFC 6455 (December 2011) abstract and §1.2: two-way communication over one TCP
    // connection, opened by an HTTP Upgrade; the scenario is sim/stories/websocket/timeline.ts (the page
    // closes it); every byte comes from the encoders in src/protocol/*.ts (Wirewalk's choice: no fake bytes).
    // The messages are not named: a link may replace the lesson's "Hello" and "Hi!" with its own.
    intro:
      'A WebSocket is a full-duplex channel over one TCP connection (RFC 6455, 2011): once it is open, the ' +
      'browser and the server each send whenever they like. Watch its whole life here: TCP connects, one ' +
      'HTTP request and one response turn the connection into a WebSocket, the messages travel as frames, ' +
      'and the browser closes it. Every byte on screen is real.',
    checks: [
      {
        // CURRICULUM Q1 and M14; RFC 6455 §1.2 (starts as an HTTP Upgrade) and §1.7 (an independent TCP-based protocol).
        question: 'What is a WebSocket?',
        choices: [
          // RFC 6455 abstract and §1.2: the true answer.
          'A full-duplex channel over one TCP connection that starts as HTTP',
          // RFC 6455 abstract: the point is not to open a new HTTP request per message.
          'A new HTTP request for every message',
          // RFC 6455 §1.7: WebSocket is a TCP-based protocol, not a replacement for TCP.
          'A network protocol that replaces TCP',
          // RFC 6455 §5.1: both sides send frames.
          'A browser feature that only receives messages from the server',
        ],
        answer: 0,
        // RFC 6455 §4.2.2 (after the 101 the same connection carries frames); the steps of this scenario
        // (sim/stories/websocket/timeline.ts: onopen, then the messages, "Hello" and "Hi!" unless the link
        // replaced them, so they are not named here).
        explain:
          'At the onopen step the browser switched the connection it already had from HTTP to WebSocket. ' +
          'After that, every message went as a frame on that same TCP connection.',
      },
      {
        // RFC 9293 §2.7 (a connection is a pair of sockets: addresses and ports).
        question: 'How many TCP connections did this whole conversation use?',
        choices: [
          'One',
          // RFC 6455 §1.2: the upgrade reuses the HTTP connection.
          'Two: one for HTTP, one for the WebSocket',
          'One per message',
        ],
        answer: 0,
        // This scenario's packets (sim/stories/websocket/timeline.ts, pinned in
        // tests/golden/pinned/lesson-websocket.timeline.txt): one SYN, every segment between the same ports.
        explain:
          'The GET, the 101, both messages, the ping and pong and the Close frames all travel between the ' +
          "same two ports: the browser's port and port 80. There is only one SYN, at the start.",
      },
      {
        // RFC 6455 §5.2: a server frame (unmasked) with a payload under 126 bytes has a 2-byte header.
        question: 'After the 101, how does the server send "Hi!"?',
        choices: [
          // RFC 6455 §5.2 and §5.6 (text frame, opcode 1).
          'As a WebSocket frame: a 2-byte header and 3 bytes of text',
          // RFC 6455 §4.2.2: after the 101, no more HTTP on this connection.
          'As an HTTP response with headers',
          // RFC 6455 §1.2: the same connection carries frames both ways.
          'It opens a new connection to the browser',
        ],
        answer: 0,
        // RFC 6455 §5.2: 0x81 = FIN + opcode 1 (text), 0x03 = unmasked, length 3.
        explain:
          'On the wire, "Hi!" is a 5-byte WebSocket frame: 81 03 and then the three letters (see the aside at ' +
          'that step). No status line, no HTTP headers.',
      },
    ],
    // CURRICULUM Q1, Q3, M2 and M7; RFC 6455 §4.1 (TCP first), §7 (closing), §7.4.1 (1006 when the connection
    // breaks); step titles from sim/stories/websocket/narration.ts.
    teacherNotes:
      'This is the overview: keep moving and leave details to the other lessons. Pause at "The page opens a ' +
      'WebSocket" and ask: what has to happen before one WebSocket byte can travel? (TCP first.) Pause at ' +
      '"onopen" and ask: is this a new connection? (No: same ports as the SYN, see the aside.) At the server ' +
      'push, ask who asked for it (nobody). At ws.close, ask how long a WebSocket stays open (until someone ' +
      'closes it or something breaks the connection).',
    aside: overviewAside,
  },
  {
    id: 'osi',
    // CURRICULUM Q10 and M6: headers come from WebSocket (RFC 6455 §5.2), TCP (RFC 9293 §3.1), IPv4
    // (RFC 791 §3.1) and Ethernet (IEEE 802.3 §3.1.1); the walk is sim/steps/osi.ts.
    intro:
      'Every message a page sends is wrapped on the way down and unwrapped on the way up. This lesson opens ' +
      'where the browser has built the WebSocket frame for "Hello" (layer 7), and follows that one frame ' +
      'through all seven OSI layers on both machines. Watch the size grow at layers 4, 3 and 2, and stay ' +
      'the same at 6 and 5.',
    checks: [
      {
        // CURRICULUM M6 (over ws://).
        question: 'Which layers added a header of their own to the "Hello" frame?',
        choices: [
          // CURRICULUM M6: not every layer adds a header.
          'All seven layers',
          // RFC 6455 §5.2, RFC 9293 §3.1, RFC 791 §3.1, IEEE 802.3 §3.1.1: the true answer.
          'WebSocket (7), TCP (4), IPv4 (3) and Ethernet (2)',
          // RFC 6455 §5.2 and IEEE 802.3 §3.1.1: WebSocket and Ethernet add bytes too.
          'Only TCP and IP',
          'Layers 5 and 6',
        ],
        answer: 1,
        // CURRICULUM M6; RFC 9293 §3.1, RFC 791 §3.1, IEEE 802.3 §3.1.1 (sizes); RFC 8446 §5.1-5.2 (a TLS
        // record adds a 5-byte header, a 1-byte inner content type and a 16-byte AEAD tag).
        explain:
          'The asides count the bytes: the size stays the same at layers 6 and 5 and grows at 4 (TCP header), 3 ' +
          '(20 bytes of IPv4) and 2 (14 bytes of Ethernet header and a 4-byte FCS). Encoding text as UTF-8 is ' +
          'work done at layer 6 and adds no byte. On wss:// TLS does add bytes to every ' +
          'record: a 5-byte header, a 1-byte content type and a 16-byte tag (the wss lesson shows them).',
      },
      {
        // CURRICULUM Q10 (the unit names).
        question: 'What is the unit called at layer 4, layer 3 and layer 2?',
        choices: ['segment, packet, frame', 'frame, packet, segment', 'packet, segment, bits'],
        answer: 0,
        // CURRICULUM Q10; RFC 9293 §3.1 (segment), RFC 791 (the internet datagram, commonly called a packet),
        // IEEE 802.3 §3.1.1 (frame).
        explain:
          'TCP makes a segment (data + TCP header), IPv4 a packet (segment + IP header), Ethernet a frame ' +
          '(packet + Ethernet header and FCS); layer 1 sends bits.',
      },
      {
        // CURRICULUM M5.
        question: 'Which layer does DNS belong to?',
        choices: [
          // RFC 1034 and RFC 1035 §4.2: DNS is an application protocol over UDP/TCP port 53.
          'The application layer (7): it is a protocol programs use to look up names',
          'The session layer (5)',
          // RFC 1035 §4.2: DNS messages ride on UDP or TCP, above IP.
          'The network layer (3), next to IP',
        ],
        answer: 0,
        // RFC 1035 §4.2 (UDP and TCP, port 53); CURRICULUM M5 and M6 (the session layer is the dialogue and
        // adds no header); RFC 6455 §5.5 (ping/pong) and §7 (closing handshake).
        explain:
          'DNS is an application-layer protocol that runs over UDP or TCP, port 53. The session layer is about ' +
          'the dialogue: here, the WebSocket session with its heartbeats and closing handshake, which adds no ' +
          'header of its own (see the layer 5 step).',
      },
    ],
    // CURRICULUM M5 and M6; the checks: IEEE 802.3 §3.2.9 (CRC-32 FCS), RFC 791 §3.1 (header checksum),
    // RFC 9293 §3.1 and §3.4 (checksum, sequence number).
    teacherNotes:
      "The lesson opens at the Hello frame's layer 7 step (the SYN, the GET and the 101 walked the layers " +
      'before it; skip them). Before each step down, ask: "what will this layer add, and how big will the unit ' +
      'be?" and let the aside answer. Pause at layer 6 and layer 5: nothing is added (misconception M6). At ' +
      'layer 5, ask where DNS belongs (M5: the application layer). On the way up, ask which check each layer ' +
      'makes (CRC-32 at 2, the IP header checksum at 3, the TCP checksum and sequence number at 4).',
    aside: osiAside,
    start: startAt((t) => {
      const p = osiPacket(t);
      return p ? firstStep(t, (s) => s.packet === p.id) : undefined;
    }),
  },
  {
    id: 'tcp',
    // RFC 9293 §3.5 (three-way handshake), §3.4.1 and RFC 6528 (an ISN outsiders cannot guess), §3.6 (each
    // side closes its direction); chromium-ws.pcap frames 33-35 (FIN, FIN+ACK, ACK: Linux's tcp_fin,
    // net/ipv4/tcp_input.c, delays the ACK of a FIN so the program's own FIN can carry it).
    intro:
      'Before any web page can talk to a server, TCP has to set up a connection: each side picks a starting ' +
      'number that outsiders cannot guess, and the other confirms it. That takes three segments. Ending it ' +
      'takes three or four: each direction closes on its own with a FIN that must be acknowledged, and the ' +
      'second FIN can carry the ACK of the first. Watch the numbers: they only ever move forward.',
    checks: [
      {
        // RFC 9293 §3.4 (the SYN occupies one sequence number) and §3.5 (the SYN-ACK acknowledges x + 1).
        question: "The browser's SYN carries Seq = x. What Ack does the server's SYN-ACK carry?",
        choices: ['x + 1', 'x', '0', 'y + 1'],
        answer: 0,
        // RFC 9293 §3.4 and §3.5; the value is this run's (sim/engine/tcp.ts).
        explain:
          'The SYN uses up number x, so the next number the server expects is x+1. The SYN-ACK step shows ' +
          'Ack = x+1 with the real value of x.',
      },
      {
        // RFC 9293 §3.5 (the third segment of the handshake).
        question: "In the last ACK of the handshake, what is the browser's sequence number?",
        choices: [
          // RFC 9293 §3.5: the true answer.
          'x + 1: one past its SYN',
          '0: it is reset',
          // RFC 9293 §3.4: the SYN used up x.
          'x: the same as the SYN',
        ],
        answer: 0,
        // RFC 9293 §3.5; Wireshark's relative sequence numbers (epan/dissectors/packet-tcp.c, on by default).
        explain:
          'The ACK step shows Seq = x+1 and Ack = y+1. Wireshark prints "Seq=1 Ack=1" only because it counts ' +
          "from each side's starting number; nothing is reset.",
      },
      {
        // RFC 9293 §3.4.1 and RFC 6528 §3: why the ISN is not 0 and not predictable.
        question: 'Why does each side start from a number that is hard to guess?',
        choices: [
          // RFC 9293 §3.4.1 (old duplicates) and RFC 6528 §1 (off-path injection): the true answer.
          'So a stray segment from an old connection, or a forged one, is not taken for part of this one',
          // RFC 9293 §3.4.1: the ISN has nothing to do with encryption.
          'To encrypt the data',
          // RFC 9293 §3.4: counting starts at the ISN itself.
          'Because counting must start at 0 but the 0 is hidden',
        ],
        answer: 0,
        // RFC 9293 §3.4.1 and RFC 6528 §3: ISN = a clock (ticking every 4 µs) + a keyed hash of the addresses,
        // ports and a secret; Linux's secure_tcp_seq (net/core/secure_seq.c) does this with SipHash and a
        // clock in 64 ns steps. The clock protects against old duplicates, the secret against off-path guessing.
        explain:
          'The starting number comes from a clock plus a secret hash of the addresses and ports (RFC 9293 ' +
          '§3.4.1, RFC 6528; Linux does this). The clock keeps a new connection’s numbers away from those of ' +
          'an old one on the same ports, so its late segments are not accepted; the secret stops an outsider ' +
          'who cannot see the traffic from guessing numbers to inject data.',
      },
      {
        // net/ipv4/tcp_input.c tcp_fin (Linux delays the ACK of a FIN, ping-pong mode; its delayed-ACK timer
        // is 40 ms here, TCP_DELACK_MIN, sim/engine/tcp.ts delackNs); chromium-ws.pcap frames 33-35 show the
        // three-segment goodbye; RFC 9293 §3.6 (each FIN acknowledged).
        question: 'When does the goodbye take three segments instead of four?',
        choices: [
          // net/ipv4/tcp_input.c tcp_fin: the true answer (Linux's choice).
          "When the second side's program closes before its delayed ACK goes, so its FIN carries the ACK",
          // RFC 9293 §3.6: a FIN may ride on the ACK; chromium-ws.pcap frames 33-35 show three.
          'Never: closing always takes FIN, ACK, FIN, ACK',
          // RFC 9293 §3.8.1: a loss adds retransmissions, it does not remove a segment.
          'When a segment is lost',
        ],
        answer: 0,
        // RFC 9293 §3.4 and §3.6; net/ipv4/tcp_input.c tcp_fin and sim/engine/tcp.ts (the 40 ms delayed-ACK
        // timer on this network); the last step's title comes from sim/stories/websocket/narration.ts.
        explain:
          'Each side sends its own FIN and each FIN must be acknowledged (its ACK says FIN’s Seq + 1). Linux ' +
          'holds the ACK of a FIN back until its delayed-ACK timer fires (40 ms on this network) in case its ' +
          'program closes too; here it did, so the second FIN carried that ACK: FIN, FIN + ACK, ACK. The last ' +
          'step says how many segments it took.',
      },
    ],
    // CURRICULUM Q11 and M3; RFC 9293 §3.5 and §3.6; net/ipv4/tcp_input.c tcp_fin and chromium-ws.pcap
    // frames 33-35 (three segments when the FIN rides on the ACK).
    teacherNotes:
      'Explain it to a non-technical friend: "Can we talk? My numbers start at x." "Yes, I got x; mine start ' +
      'at y." "Got y." Write x and y from the SYN and SYN-ACK asides on the board. Pause at the ACK step and ' +
      'ask what Seq and Ack will be before revealing them (M3: students often say 0, or x again). Skip the ' +
      'WebSocket part quickly. At the goodbye, ask how many segments it should take (each direction closes ' +
      'separately, so FIN, ACK, FIN, ACK) and then show that Linux makes it three when the program closes ' +
      'quickly, as the SYN-ACK combined two: the second FIN carries the ACK of the first (chromium-ws.pcap ' +
      'shows the same).',
    aside: tcpAside,
    start: startAt((t) => firstStep(t, (s) => s.host === 'client' && s.layer === 4)),
  },
  {
    id: 'upgrade',
    // CURRICULUM Q2 and M2; RFC 6455 §4.1 (GET with Upgrade: websocket and a random Sec-WebSocket-Key) and
    // §4.2.2 (101 Switching Protocols with Sec-WebSocket-Accept computed from the key).
    intro:
      "A WebSocket starts as an ordinary HTTP request. Once TCP's three-way handshake is done, the browser " +
      'sends GET with Upgrade: websocket and a random key; the server answers 101 Switching Protocols with a ' +
      'value computed from that key. Two messages, and the same connection now speaks WebSocket.',
    checks: [
      {
        // CURRICULUM M2; RFC 9293 §3.5 and RFC 6455 §4.
        question: 'Is the WebSocket handshake a three-way handshake?',
        choices: [
          // RFC 6455 §4.1-4.2: the true answer.
          "No: it is one HTTP request and one response, sent after TCP's three-way handshake",
          // RFC 9293 §3.5: those are TCP's segments.
          'Yes: SYN, SYN-ACK, ACK',
          // RFC 9293 §3.8.6.3: the ACKs are TCP's.
          'Yes: GET, 101, ACK',
        ],
        answer: 0,
        // The lesson's start (startAt below: the handshake ACK); RFC 6455 §4; RFC 9293 §3.8.6.3 (TCP's ACKs).
        explain:
          "The lesson opens on TCP's third segment (layer 4). Then come exactly two HTTP messages at layer 7: " +
          "the GET with Upgrade: websocket, and the 101. The ACKs between them are TCP's, not WebSocket's.",
      },
      {
        // RFC 6455 §4.2.2 step 5.
        question: 'How does the server compute Sec-WebSocket-Accept?',
        choices: [
          'base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))',
          // RFC 6455 §4.2.2: the key is transformed, not echoed.
          'It sends the key back unchanged',
          // RFC 6455 §4.2.2: no certificate is involved (ws:// has none).
          'It encrypts the key with its certificate',
          // RFC 6455 §4.2.2: the value is computed from the key.
          'It picks a random value',
        ],
        answer: 0,
        // RFC 6455 §1.3 (the worked example with this key and accept value).
        explain:
          "The aside at the 101 does it in four steps with this run's key. RFC 6455 §1.3 gives a check: " +
          'the key dGhlIHNhbXBsZSBub25jZQ== gives s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.',
      },
      {
        // RFC 6455 §1.2 and §4.2.2.
        question: 'After the 101, where does the WebSocket traffic go?',
        choices: [
          // RFC 6455 §4.2.2: the true answer.
          'Over the same TCP connection and port 80 that carried the GET',
          // RFC 6455 §4.2.2: the 101 names no port.
          'Over a new connection on a port the 101 names',
          'Over port 443',
        ],
        answer: 0,
        // RFC 6455 §4.2.2 and §5.2; the ports are this run's (the aside at the first frame shows them).
        explain:
          'The first frame after the 101 has the same ports as the GET. The bytes change from HTTP text to ' +
          'WebSocket frames; the connection does not.',
      },
    ],
    // CURRICULUM M2; RFC 6455 §4.1 (Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version: 13,
    // and the required Host and Origin); Chrome's other six headers and their order: chromium-ws.pcap
    // (sim/libs/http.ts browserWsRequest); RFC 6455 §1.3 and §10 (the key is no secret).
    teacherNotes:
      'Open on TCP\'s last ACK and say: "layer 4 is done; nothing WebSocket has happened yet" (M2). At the GET, ' +
      'read the four WebSocket headers aloud (Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version: ' +
      '13); Host and Origin are required too, and the other six are there because Chrome sends them (its real ' +
      'order, from a capture). Before the 101, ask the class how the server could prove it read the key. ' +
      "Then do the four steps of the aside on the board with this run's values. Point out that the key is " +
      'not a secret or a password: it only proves the server understood a WebSocket request.',
    aside: upgradeAside,
    start: startAt((t) => firstTransmit(t, isHandshakeAck)),
  },
];
