/**
 * Phrases every story's sentences use: quoting a text, counting bytes, naming a host, a duration, a
 * masked frame, and the misconceptions (CURRICULUM.md M2, M3, M6, M7, M10) that several stories meet.
 */
import { codePointCut, toHex } from '../../protocol/bytes';
import { maskPayload, type WsFrameRepr } from '../../protocol/websocket';
import type { HostInfo } from '../types';

export const MISCONCEPTIONS = {
  // CURRICULUM.md M2; RFC 9293 §3.5 (TCP's three-way handshake), RFC 6455 §1.3 and §4 (one request, one response).
  M2:
    'Students often write that the WebSocket handshake is a three-way handshake. It is not: the three-way ' +
    "handshake is TCP's (layer 4) and is already over; the WebSocket handshake is one HTTP request and one " +
    'response (layer 7) on the connection TCP made.',
  // CURRICULUM.md M3; RFC 9293 §3.4 (each SYN takes one number); chromium-ws.pcap frames 11-13 (Wireshark's
  // relative numbers: the SYNs show Seq=0, the final ACK Seq=1 Ack=1).
  M3:
    'Students often write that the final ACK resets the sequence number to 0, or repeats the SYN number. It ' +
    'does neither: it carries Seq = x+1 and Ack = y+1. Wireshark shows the SYNs as 0 and this ACK as Seq=1, ' +
    'Ack=1 only because it prints numbers relative to each side’s ISN.',
  // CURRICULUM.md M6: in TCP/IP the headers come from the application protocol, TCP, IP and Ethernet.
  M6:
    'Students often write that every OSI layer adds a header. Here layers 6 and 5 add no bytes at all: the ' +
    'headers come from WebSocket or HTTP (7), TCP (4), IPv4 (3) and Ethernet (2).',
  // CURRICULUM.md M7; RFC 6455 §7.1.2-7.1.4 (the closing handshake), §7.1.5 (1006: closed without a Close
  // frame, by a crash, a broken path, or a proxy or NAT dropping an idle connection).
  M7:
    'Students often write that a WebSocket stays open forever. It stays open until one side sends a Close ' +
    'frame, or the connection breaks: a crash, a broken path, or a proxy or NAT that drops an idle ' +
    'connection.',
  // CURRICULUM.md M10; RFC 7692 §5 (negotiated in Sec-WebSocket-Extensions) and §6 (RSV1 marks it).
  M10:
    'Students often write that the presentation layer compresses. What compresses here is permessage-deflate, ' +
    'a WebSocket extension (RFC 7692) that the browser offered and ws accepted in the upgrade ' +
    '(Sec-WebSocket-Extensions), marked by RSV1 in the frame header: WebSocket does it, at layer 7, and only ' +
    'because both ends agreed. No layer of its own adds or removes anything.',
  // RFC 6265 §5.4 (Cookie is a request header), RFC 6750 §2.1 (Authorization: Bearer), RFC 8446 §4.4.2-4.4.3
  // (Certificate and CertificateVerify authenticate the server); no header of this stack belongs to layer 5.
  M9:
    'Students often write that the session layer does authentication and authorisation. Nothing here ' +
    'authenticates at a session layer: TLS authenticates the server with its Certificate and the ' +
    'CertificateVerify signature, inside the handshake records; a cookie or a token would ride as an HTTP ' +
    'header (Cookie, Authorization) in the upgrade request, at layer 7; and whether a user may do something ' +
    'is the server program’s decision.',
  // IEEE 802.3 §3.2.1-3.2.2 (7 bytes of preamble 0x55, start-of-frame delimiter 0xD5), §4.2.5 (bit order).
  M11:
    'Students often write that the physical layer is the machine, or the electrons. Layer 1 is the signal: ' +
    'the bits of the frame, after a 7-byte preamble (10101010…) and a start-of-frame byte that let the ' +
    'receiver lock on to their timing, on a medium (copper, fibre or radio). The computer is not a layer.',
  // RFC 9293 §3.1: the control bits are single bits of the header's flags; SYN is bit 0x02 of byte 13.
  M13:
    'Students often write that SYN is a number sent along with the sequence number. SYN is one bit of the ' +
    'TCP flags (0x02): set here, with every other flag bit 0. The number is the sequence number the segment ' +
    'carries in its own 32-bit field.',
  // RFC 6455 (the protocol); WHATWG WebSockets Standard (the browser's WebSocket interface and its send());
  // ws (github.com/websockets/ws) and socket.io (github.com/socketio/socket.io) are npm libraries.
  M14:
    'Students often write that WebSocket is a library. WebSocket is a protocol (RFC 6455: the frame bytes ' +
    'here) and the name of the browser’s API (the WHATWG WebSocket object whose send() the page called); ws ' +
    'on the server and Socket.IO are libraries that speak it.',
  // RFC 9293 §3.1 (16-bit ones'-complement checksum), §3.8.3 (R2: give up and close); Linux ip-sysctl.rst
  // tcp_retries2 = 15 (about 15 minutes); Stone & Partridge, SIGCOMM 2000 (errors the checksum misses).
  M15:
    'Students often write that TCP guarantees accurate delivery. TCP resends what is not acknowledged and ' +
    'checks a 16-bit checksum, but that checksum misses some corruptions (two 16-bit words swapped add up ' +
    'the same), and when acknowledgments stop coming TCP gives up after its retries (Linux: 15, about 15 ' +
    'minutes) and the connection fails.',
} as const;

/** A text as a short quoted string for sentences: at most `max` characters. */
export function quoted(text: string, max = 40): string {
  // Only the start is shown: count no more than that in characters.
  const cut = codePointCut(text, max, max * 2 + 2);
  return JSON.stringify(cut.more ? text.slice(0, cut.end) + '…' : text);
}

export function bytesText(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

export function who(h: HostInfo | string): string {
  const role = typeof h === 'string' ? h : h.role;
  if (role === 'router' || role.startsWith('router-')) return 'the router';
  return role === 'client' ? 'the browser' : 'the server';
}

export function Who(h: HostInfo | string): string {
  const w = who(h);
  return w[0]!.toUpperCase() + w.slice(1);
}

/** 'Browser', 'Server' or 'Router', for titles and arrows. */
export function Label(h: HostInfo | string): string {
  const role = typeof h === 'string' ? h : h.role;
  if (role === 'router' || role.startsWith('router-')) return 'Router';
  return role === 'client' ? 'Browser' : 'Server';
}

export function msText(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${Number(ms.toFixed(3))} ms`;
}

/**
 * What masking did to a frame's first payload bytes (RFC 6455 §5.3: client-to-server frames are always
 * masked, server frames never). `explained` (the websocket story) shows 8 bytes and says why browsers mask;
 * `brief` (the Socket.IO story, whose frames carry more to explain) shows 6.
 */
export function maskSentence(frame: WsFrameRepr | undefined, form: 'explained' | 'brief'): string {
  if (!frame) return '';
  const explained = form === 'explained';
  // RFC 6455 §5.1: a server must not mask its frames.
  if (!frame.maskKey) return explained ? ' Not masked: servers never mask.' : ' Servers never mask.';
  const key = toHex(frame.maskKey);
  const sample = frame.payload.subarray(0, explained ? 8 : 6);
  const masked = toHex(maskPayload(sample, frame.maskKey));
  // RFC 6455 §5.3: the payload XOR the 4-byte masking key.
  if (!explained) return ` Masked with the key ${key}: ${toHex(sample)}… travel as ${masked}….`;
  const more = frame.payload.length > 8 ? ' …' : '';
  // RFC 6455 §5.3 (a fresh key for every frame), §10.3 (masking keeps a page from choosing the wire bytes
  // that intermediaries see).
  return (
    ` Masked with the fresh key ${key}` +
    (frame.payload.length > 0
      ? `: the bytes ${toHex(sample)}${more} go on the wire as ${masked}${more}.`
      : ' (an empty payload leaves nothing to mask).') +
    ' Every client frame is masked, so a web page cannot choose the bytes that proxies see.'
  );
}
