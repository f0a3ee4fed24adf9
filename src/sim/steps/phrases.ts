/**
 * Phrases every story's sentences use: quoting a text, counting bytes, naming a host, a duration, a
 * masked frame, and the misconceptions (CURRICULUM.md M2, M3, M6, M7, M10) that several stories meet.
 */
import { codePointCut, toHex } from '../../protocol/bytes';
import { maskPayload, type WsFrameRepr } from '../../protocol/websocket';
import type { HostInfo } from '../types';

export const MISCONCEPTIONS = {
  M2:
    'Students often write that the WebSocket handshake is a three-way handshake. It is not: the three-way ' +
    "handshake is TCP's (layer 4) and is already over; the WebSocket handshake is one HTTP request and one " +
    'response (layer 7) on the connection TCP made.',
  M3:
    'Students often write that the final ACK resets the sequence number to 0, or repeats the SYN number. It ' +
    'does neither: it carries Seq = x+1 and Ack = y+1. Wireshark shows 0 and 1 only because it prints ' +
    'numbers relative to each side’s ISN.',
  M6:
    'Students often write that every OSI layer adds a header. Here layers 6 and 5 add no bytes at all: the ' +
    'headers come from WebSocket or HTTP (7), TCP (4), IPv4 (3) and Ethernet (2).',
  M7:
    'Students often write that a WebSocket stays open forever. It stays open until one side sends a Close ' +
    'frame (here 1000 "bye") or the network drops the connection.',
  // CURRICULUM.md M10; RFC 7692 §5 (negotiated in Sec-WebSocket-Extensions) and §6 (RSV1 marks it).
  M10:
    'Students often write that the presentation layer compresses. What compresses here is permessage-deflate, ' +
    'a WebSocket extension (RFC 7692) that the browser offered and ws accepted in the upgrade ' +
    '(Sec-WebSocket-Extensions), marked by RSV1 in the frame header: WebSocket does it, at layer 7, and only ' +
    'because both ends agreed. No layer of its own adds or removes anything.',
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
  return role === 'client' ? 'the browser' : 'the server';
}

export function Who(h: HostInfo | string): string {
  const w = who(h);
  return w[0]!.toUpperCase() + w.slice(1);
}

/** 'Browser' or 'Server', for titles and arrows. */
export function Label(h: HostInfo | string): string {
  const role = typeof h === 'string' ? h : h.role;
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
  if (!frame.maskKey) return explained ? ' Not masked: servers never mask.' : ' Servers never mask.';
  const key = toHex(frame.maskKey);
  const sample = frame.payload.subarray(0, explained ? 8 : 6);
  const masked = toHex(maskPayload(sample, frame.maskKey));
  if (!explained) return ` Masked with the key ${key}: ${toHex(sample)}… travel as ${masked}….`;
  const more = frame.payload.length > 8 ? ' …' : '';
  return (
    ` Masked with the fresh key ${key}` +
    (frame.payload.length > 0
      ? `: the bytes ${toHex(sample)}${more} go on the wire as ${masked}${more}.`
      : ' (an empty payload leaves nothing to mask).') +
    ' Every client frame is masked, so a web page cannot choose the bytes that proxies see.'
  );
}
