/**
 * What the classroom shows around the stage for each lesson: an introduction, a few "check yourself"
 * questions, notes for the teacher, an `aside` that adds the lesson's point under the narration of the steps
 * where it is made (with this run's real values, read from the step and its packet), and the step the lesson
 * opens at. `aside` and `start` read the timeline only: they never simulate.
 *
 * Loaded lazily by the app (it is most of the lessons' text); the link-facing part is in catalogue.ts.
 */
import { fromBase64, toHex } from '../protocol/bytes';
import { acceptComputation, decodeHttpRequest, decodeHttpResponse, headerValue } from '../protocol/http';
import { WS_OPCODES, decodeWsFrame, maskPayload, type WsFrameRepr } from '../protocol/websocket';
import type { Scenario } from '../sim/scenario';
import type { ComparisonSeries, Packet, Step, Timeline } from '../sim/types';

export interface SelfCheck {
  readonly question: string;
  /** 2-4 choices. */
  readonly choices: readonly string[];
  /** Index of the correct choice. */
  readonly answer: number;
  /** Shown after answering: why, pointing at what the lesson showed. */
  readonly explain: string;
}

export interface LessonContent {
  /** Lesson id, as in LESSONS. */
  readonly id: string; /** A short introduction (2-4 sentences) shown before step 1. */
  readonly intro: string;
  /** 2-4 "check yourself" questions shown at the end. */
  readonly checks: readonly SelfCheck[];
  /** For the speaker window: what to ask the class, where to pause. */
  readonly teacherNotes: string;
  /** Lesson-specific aside shown under the narration at steps where this lesson's point is made. Pure. */
  readonly aside?: (step: Step, timeline: Timeline) => string | undefined;
  /** 1-based step where the lesson's point starts (the picker opens there); default 1. Computed from the timeline. */
  readonly start?: (timeline: Timeline) => number;
}

// ---------------------------------------------------------------------------------------------------------
// Reading a run: small pure helpers over a Timeline, for asides and start steps.

function packetOf(step: Step, t: Timeline): Packet | undefined {
  return step.packet === undefined ? undefined : t.packets[step.packet];
}

/** A step that shows a packet crossing the wire (delivered or lost). */
function onWire(step: Step): boolean {
  return step.kind === 'transmit' || step.kind === 'drop';
}

/** The TCP payload of a packet: what the application wrote (or a piece of it). */
function appBytes(p: Packet): Uint8Array {
  return p.frame.subarray(p.layers.tcp?.end ?? p.frame.length);
}

/** The WebSocket frame a packet carries whole, or null. */
function wsFrameOf(p: Packet): WsFrameRepr | null {
  if (p.app?.kind !== 'ws-frame') return null;
  const r = decodeWsFrame(appBytes(p));
  return r.ok ? r.repr : null;
}

/** WebSocket header length of a frame carried whole by `p` (2-14 bytes, RFC 6455 §5.2). */
function wsHeaderBytes(p: Packet, f: WsFrameRepr): number {
  return appBytes(p).length - f.payload.length;
}

function isTextFrame(p: Packet): boolean {
  return p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.text;
}

function isCloseFrame(p: Packet): boolean {
  return p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.close;
}

function has(p: Packet, flag: string): boolean {
  return p.tcp.flags.includes(flag);
}

/** First step (1-based) that satisfies `pred`, or undefined. */
function firstStep(t: Timeline, pred: (s: Step, t: Timeline) => boolean): number | undefined {
  const i = t.steps.findIndex((s) => pred(s, t));
  return i < 0 ? undefined : i + 1;
}

function firstOfChapter(t: Timeline, chapter: string): number | undefined {
  return firstStep(t, (s) => s.chapter === chapter);
}

/** The step before `step` in its timeline. */
function previous(step: Step, t: Timeline): Step | undefined {
  return step.index > 0 ? t.steps[step.index - 1] : undefined;
}

/** A host's WebSocket readyState changed to `to` at this step. */
function wsBecame(step: Step, t: Timeline, host: string, to: string): boolean {
  return step.states[host]?.ws === to && previous(step, t)?.states[host]?.ws !== to;
}

/** The step where one side starts the WebSocket closing handshake (the other side is not closing yet). */
function startsClosing(step: Step, t: Timeline): boolean {
  if (step.kind !== 'app' || step.host === 'wire' || !wsBecame(step, t, step.host, 'CLOSING')) return false;
  return Object.entries(step.states).every(([host, s]) => host === step.host || s.ws !== 'CLOSING');
}

/** The first client SYN of the run (the one that opened the connection). */
function firstSyn(t: Timeline): Packet | undefined {
  return t.packets.find((p) => p.from === 'client' && has(p, 'SYN') && !has(p, 'ACK'));
}

function isPureAck(p: Packet): boolean {
  return p.tcp.len === 0 && !has(p, 'SYN') && !has(p, 'FIN');
}

/** The handshake's third segment: the browser's first pure ACK (Seq = x+1, Ack = y+1). */
function isHandshakeAck(p: Packet): boolean {
  return (
    p.from === 'client' &&
    isPureAck(p) &&
    p.tcp.relSeq === 1 &&
    p.tcp.relAck === 1 &&
    p.retransmissionOf === undefined
  );
}

/** A FIN sent by the other side whose sequence number this ACK acknowledges (ack = FIN's seq + 1). */
function finAcked(p: Packet, t: Timeline): Packet | undefined {
  if (!isPureAck(p)) return undefined;
  return t.packets.find(
    (f) =>
      f.id < p.id &&
      f.from === p.to &&
      f.connection === p.connection &&
      has(f, 'FIN') &&
      f.retransmissionOf === undefined &&
      f.tcp.relSeq + f.tcp.len + 1 === p.tcp.relAck,
  );
}

/** RFC 9293 §3.4: sequence numbers are counted modulo 2^32. */
function seqPlus(seq: number, n: number): number {
  return (seq + n) >>> 0;
}

function quote(text: string, max = 30): string {
  const chars = Array.from(text);
  return JSON.stringify(chars.length > max ? chars.slice(0, max).join('') + '…' : text);
}

function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

function ms(n: number): string {
  return `${Number(n.toFixed(3))} ms`;
}

/** A longer span of simulated time, rounded for reading aloud: `954 ms`, `44.8 s`. */
function span(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${Number((n / 1000).toFixed(1))} s`;
}

/** The first `max` bytes in hex, with an ellipsis when there are more. */
function byteList(data: Uint8Array, max: number): string {
  return toHex(data.subarray(0, max)) + (data.length > max ? ' …' : '');
}

const TEXT = new TextDecoder('utf-8');

// ---------------------------------------------------------------------------------------------------------
// Asides, one family per lesson.

/** Overview: the same connection all along, frames instead of HTTP, open until someone closes. */
function overviewAside(step: Step, t: Timeline): string | undefined {
  const syn = firstSyn(t);
  if (step.kind === 'app' && step.host === 'client' && wsBecame(step, t, 'client', 'OPEN') && syn) {
    const client = t.hosts.find((h) => h.id === 'client');
    const server = t.hosts.find((h) => h.id === 'server');
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
    return (
      `At layer 7 this message is ${bytes(appBytes(p).length)}: a ${wsHeaderBytes(p, f)}-byte frame header ` +
      `and ${bytes(f.payload.length)} of text. It is not an HTTP response: no status line, no headers.`
    );
  }
  if (startsClosing(step, t)) {
    const opened = t.steps.find((s) => s.kind === 'app' && wsBecame(s, t, 'client', 'OPEN'));
    if (!opened) return undefined;
    return (
      `This WebSocket has been open for ${span(step.time - opened.time)} of simulated time, since step ` +
      `${opened.index + 1}. It would stay open for hours if nobody called close() and the network held.`
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
        return (
          `Size so far: ${bytes(app)} of data, the WebSocket frame ${byteList(appBytes(p), 12)}: ` +
          `${bytes(textBytes)} for the text ${quote(text)} and ${bytes(app - textBytes)} of frame header` +
          `${f?.maskKey ? ' (with the 4-byte masking key)' : ''}.`
        );
      case 6:
        return `Still ${bytes(app)}: layer 6 changed nothing and added nothing.`;
      case 5:
        return (
          `Still ${bytes(app)}: layer 5 added nothing either. Its job here is the dialogue, the WebSocket ` +
          'session. DNS is not a session-layer protocol: it is an application (layer 7) protocol that turns ' +
          'a name into an address, and it would run before any of this.'
        );
      case 4:
        return `${bytes(app)} + ${bytes(tcp)} of TCP header (20 fixed + ${tcp - 20} of options) = ${bytes(seg)}: a segment.`;
      case 3:
        return `${bytes(seg)} + ${bytes(ip)} of IPv4 header = ${bytes(pkt)}: a packet.`;
      case 2:
        return `${bytes(eth)} of Ethernet header + ${bytes(pkt)}${pad} + 4 bytes of FCS = ${bytes(frame)}: a frame.`;
      case 1:
        return `${bytes(frame)} + 8 bytes of preamble and start-of-frame = ${bits} bits on the cable.`;
      default:
        return undefined;
    }
  }
  if (step.kind === 'transmit') {
    return (
      `Of the ${bytes(frame)} of this Ethernet frame, ${bytes(textBytes)} are the text the page sent; ` +
      `${bytes(frame - textBytes)} are headers and checks added on the way down.`
    );
  }
  if (step.kind === 'decapsulate') {
    switch (step.layer) {
      case 1:
        return `${bits} bits back into ${bytes(frame)}.`;
      case 2:
        return `${bytes(frame)} − ${bytes(eth)} of header − 4 of FCS${pad ? ' − the padding' : ''} = ${bytes(pkt)}.`;
      case 3:
        return `${bytes(pkt)} − ${bytes(ip)} = ${bytes(seg)}.`;
      case 4:
        return `${bytes(seg)} − ${bytes(tcp)} = ${bytes(app)}: the WebSocket frame, exactly as the browser wrote it.`;
      case 5:
        return `Still ${bytes(app)}: no header to remove at layer 5.`;
      case 6:
        return (
          `Still ${bytes(app)}: no header to remove at layer 6. The payload is unmasked and read as UTF-8: ` +
          'work done on the bytes, not a header.'
        );
      case 7:
        return `${bytes(app)} − ${bytes(app - textBytes)} of frame header = ${bytes(textBytes)}: ${quote(text)}, what the page sent.`;
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
    return (
      `x = ${p.tcp.seq}, picked at random. The SYN itself uses number x, so the browser's first byte of ` +
      `data will be number x+1 = ${seqPlus(p.tcp.seq, 1)}.`
    );
  }
  if (has(p, 'SYN') && has(p, 'ACK')) {
    return (
      `y = ${p.tcp.seq}, the server's own random pick. Ack = ${p.tcp.ack} = x+1: "I have your number x ` +
      `(the SYN); send x+1 next". Its own SYN uses up y, so the browser will answer y+1 = ${seqPlus(p.tcp.seq, 1)}.`
    );
  }
  if (isHandshakeAck(p)) {
    return (
      `Seq = ${p.tcp.seq} = x+1 and Ack = ${p.tcp.ack} = y+1. Nothing went back to 0 and nothing repeated ` +
      'the SYN number: both numbers moved one past the SYNs. Wireshark prints 1 and 1 only because it ' +
      'counts from each ISN.'
    );
  }
  if (has(p, 'FIN')) {
    return (
      `FIN with Seq = ${p.tcp.seq} (${p.tcp.relSeq} counted from the ISN). ` +
      (p.tcp.len > 0 ? `After its ${bytes(p.tcp.len)} of data it ` : 'It carries no data, yet it ') +
      `uses up one number, like the SYN: the answer must say Ack = ${p.tcp.relSeq + p.tcp.len + 1} (relative).`
    );
  }
  const fin = finAcked(p, t);
  if (fin) {
    return `Ack = ${p.tcp.relAck} (relative) = the FIN's ${fin.tcp.relSeq} + 1: the FIN counted as one number.`;
  }
  if (p.tcp.len > 0 && p.from === 'client' && syn && p.retransmissionOf === undefined) {
    const first = seqPlus(p.tcp.seq, -syn.tcp.seq);
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
    return (
      `The browser ran the same computation on the key it had sent and got ${acceptComputation(key).accept}: ` +
      'it matches the 101, so the WebSocket is open. Two messages at layer 7, on top of three segments at layer 4.'
    );
  }
  if (!p || step.kind !== 'transmit') return undefined;
  if (isHandshakeAck(p)) {
    return (
      "TCP's three-way handshake ends here, at layer 4: SYN, SYN-ACK, ACK. The WebSocket handshake has not " +
      'started yet. It is the next two messages, one HTTP request and one response, at layer 7.'
    );
  }
  if (p.app?.kind === 'http-request' && p.app.upgrade) {
    const key = requestKey(p);
    const raw = key ? fromBase64(key) : null;
    return (
      `One HTTP request on the connection TCP made (port ${p.tcp.srcPort} → ${p.tcp.dstPort}). ` +
      `Sec-WebSocket-Key: ${key ?? '?'} is 16 random bytes in base64${raw ? ` (${toHex(raw)})` : ''}; ` +
      'Upgrade: websocket and Connection: Upgrade ask to switch protocols; Sec-WebSocket-Version: 13.'
    );
  }
  if (p.app?.kind === 'http-response' && p.app.status === 101) {
    const get = t.packets.find((q) => q.app?.kind === 'http-request' && q.app.upgrade);
    const key = get ? requestKey(get) : undefined;
    if (!key) return undefined;
    const c = acceptComputation(key);
    const sent = responseAccept(p);
    return (
      `Sec-WebSocket-Accept, step by step: 1) the key ${c.key}; 2) append the GUID: ${c.concatenated}; ` +
      `3) SHA-1 of that text: ${toHex(c.sha1, '')}; 4) those 20 bytes in base64: ${c.accept}` +
      (sent === c.accept ? ', exactly the header in this 101.' : '.')
    );
  }
  const f = wsFrameOf(p);
  if (f && isFirstFrame(p, t)) {
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

/** The first WebSocket frame of the run (either side). */
function isFirstFrame(p: Packet, t: Timeline): boolean {
  return t.packets.find((q) => q.app?.kind === 'ws-frame')?.id === p.id;
}

/** Frames and server push: what a frame header costs, and that no request came first. */
function framesAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (!p || step.kind !== 'transmit' || !isTextFrame(p) || p.retransmissionOf !== undefined) return undefined;
  const f = wsFrameOf(p);
  if (!f) return undefined;
  const head = appBytes(p).subarray(0, 2);
  const header = wsHeaderBytes(p, f);
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  const parts =
    `Header ${toHex(head)}: ${toHex(head.subarray(0, 1))} = FIN ${b0 >> 7}, opcode ${b0 & 0x0f} (text); ` +
    `${toHex(head.subarray(1, 2))} = MASK ${b1 >> 7}, ` +
    ((b1 & 0x7f) < 126
      ? `length ${b1 & 0x7f}`
      : `length code ${b1 & 0x7f}: the length, ${f.payload.length}, follows in ${(b1 & 0x7f) === 126 ? 2 : 8} more bytes`) +
    (f.maskKey ? `, then the 4-byte masking key ${toHex(f.maskKey)}` : '') +
    `. ${bytes(header)} of header for ${bytes(f.payload.length)} of text.`;
  if (p.from === 'client') return parts;
  const response = t.packets.find((q) => q.app?.kind === 'http-response');
  const asked = t.packets.some(
    (q) =>
      q.from === 'client' &&
      q.tcp.len > 0 &&
      q.app?.kind === 'ws-frame' &&
      q.id < p.id &&
      (!response || q.id > response.id),
  );
  return (
    parts +
    (asked
      ? ' The browser did send a frame earlier, but that was a message of its own, not a request: the server sends this because its program chose to.'
      : ' Since the 101, the browser has sent no data at all, only TCP ACKs: nothing asked for this frame. That is server push.')
  );
}

/** Masking: the key, the XOR byte by byte, and the same text looking different each time. */
function maskingAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (
    step.kind === 'app' &&
    step.host === 'server' &&
    step.console?.some((c) => c.text.startsWith('message:'))
  ) {
    const frame = [...t.packets]
      .reverse()
      .find((q) => q.id <= (lastPacketBefore(step, t) ?? -1) && q.from === 'client' && isTextFrame(q));
    const f = frame ? wsFrameOf(frame) : null;
    if (!frame || !f?.maskKey) return undefined;
    const wire = maskPayload(f.payload, f.maskKey);
    return (
      `ws XORs the wire bytes ${byteList(wire, 8)} with the same key ${toHex(f.maskKey)} and gets ` +
      `${byteList(f.payload, 8)} back: ${quote(TEXT.decode(f.payload))}. XOR with the same key twice gives the original.`
    );
  }
  if (!p || step.kind !== 'transmit' || p.retransmissionOf !== undefined || !isTextFrame(p)) return undefined;
  const f = wsFrameOf(p);
  if (!f) return undefined;
  if (!f.maskKey) {
    return (
      `Not masked: the payload on the wire, ${byteList(f.payload, 8)}, is the UTF-8 text itself. Servers never ` +
      'mask (RFC 6455 §5.1). Masking is not secrecy anyway: only wss:// (TLS) hides the text from the path.'
    );
  }
  const wire = maskPayload(f.payload, f.maskKey);
  const n = Math.min(f.payload.length, 5);
  const xors: string[] = [];
  for (let i = 0; i < n; i++) {
    xors.push(
      `${toHex(f.payload.subarray(i, i + 1))} ⊕ ${toHex(f.maskKey.subarray(i & 3, (i & 3) + 1))} = ${toHex(wire.subarray(i, i + 1))}`,
    );
  }
  const text = TEXT.decode(f.payload);
  const earlier = t.packets.find(
    (q) =>
      q.id < p.id &&
      q.from === 'client' &&
      isTextFrame(q) &&
      q.retransmissionOf === undefined &&
      sameText(q, text),
  );
  const ef = earlier ? wsFrameOf(earlier) : null;
  const again =
    earlier && ef?.maskKey
      ? ` The page sent the same text before (packet #${earlier.wireIndex}, key ${toHex(ef.maskKey)}), and then ` +
        `it went out as ${byteList(maskPayload(ef.payload, ef.maskKey), 8)}: same text, different bytes.`
      : ' A script in the page chose the text but cannot predict these bytes, so it cannot make the wire carry ' +
        'something a confused proxy would take for an HTTP request (cache poisoning, RFC 6455 §10.3).';
  return (
    `Key ${toHex(f.maskKey)} (fresh for this frame). Byte i is XORed with key byte i mod 4: ${xors.join(', ')}` +
    `${f.payload.length > n ? ', …' : ''}. On the wire: ${byteList(wire, 8)}.` +
    again
  );
}

function sameText(p: Packet, text: string): boolean {
  const f = wsFrameOf(p);
  return f !== null && TEXT.decode(f.payload) === text;
}

/** The id of the last packet that any step up to this one concerns. */
function lastPacketBefore(step: Step, t: Timeline): number | undefined {
  for (let i = step.index; i >= 0; i--) {
    const s = t.steps[i];
    if (s?.packet !== undefined && s.kind === 'transmit') return s.packet;
  }
  return undefined;
}

/** Close: the status code inside the frame, the codes that never travel, and TCP closing afterwards. */
function closeAside(step: Step, t: Timeline): string | undefined {
  if (startsClosing(step, t)) {
    return (
      'Status codes a Close frame can carry (RFC 6455 §7.4.1): 1000 normal closure, 1001 going away (a tab ' +
      'closes), 1002 protocol error, 1003 unsupported data, 1007 invalid payload data, 1008 policy ' +
      'violation, 1009 message too big, 1011 internal error.'
    );
  }
  if (step.kind === 'app' && step.host === 'client' && wsBecame(step, t, 'client', 'CLOSED')) {
    const code = /onclose: (\d+)/.exec(step.title)?.[1];
    return (
      `onclose reports ${code ?? 'the code'}, read from the Close frame. Two codes exist only inside the API: ` +
      '1005 (the Close frame had no status code) and 1006 (the connection died with no Close frame at all). ' +
      'Neither is ever sent on the wire.'
    );
  }
  const p = packetOf(step, t);
  if (!p || step.kind !== 'transmit') return undefined;
  if (isCloseFrame(p)) {
    const f = wsFrameOf(p);
    if (!f) return undefined;
    const code = f.payload.subarray(0, 2);
    const reason = f.payload.subarray(2);
    const codeValue = ((code[0] ?? 0) << 8) | (code[1] ?? 0);
    const first = t.packets.find((q) => isCloseFrame(q))?.id === p.id;
    return (
      `Payload ${toHex(f.payload)}${f.maskKey ? ` (before masking with ${toHex(f.maskKey)})` : ''}: ` +
      `${toHex(code)} is the status code ${codeValue}, then ${toHex(reason)} is the reason ${quote(TEXT.decode(reason))} in UTF-8.` +
      (first
        ? ' A WebSocket ends like this, or when the network fails; it has no expiry date.'
        : ' The answer repeats the code: both sides have now said goodbye at layer 7.')
    );
  }
  if (
    has(p, 'FIN') &&
    p.retransmissionOf === undefined &&
    t.packets.find((q) => has(q, 'FIN'))?.id === p.id
  ) {
    return (
      `The WebSocket closing handshake is over, so now TCP says goodbye at layer 4. The ${p.from} sends the ` +
      `first FIN: RFC 6455 §7.1.1 asks the server to close TCP first, so it, not the browser, waits in TIME_WAIT.`
    );
  }
  return undefined;
}

/** Loss: what was lost, the duplicate ACKs, fast retransmit against the timer. */
function lossAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (step.kind === 'state' && step.title.startsWith('Three duplicate ACKs') && p) {
    const lost = t.packets[p.retransmissionOf ?? p.id] ?? p;
    return `The lost segment was sent ${ms(step.time - lost.sentAt)} ago: the duplicate ACKs are much faster than waiting for the 1 s timer.`;
  }
  if (step.kind === 'state' && step.title.startsWith('Timeout') && p) {
    const lost = t.packets[p.retransmissionOf ?? p.id] ?? p;
    return (
      `${ms(step.time - lost.sentAt)} of silence since the FIN was sent. No duplicate ACKs could help here: ` +
      'nothing was sent after the FIN, so nothing could arrive and make the other side repeat itself.'
    );
  }
  if (!p || !onWire(step)) return undefined;
  if (step.kind === 'drop') {
    if (has(p, 'FIN')) {
      return `The lost segment is a FIN (Seq = ${p.tcp.relSeq} relative): it carries no data, but it must still arrive, so it is resent like data.`;
    }
    return (
      `This segment carried bytes ${p.tcp.relSeq} … ${p.tcp.relSeq + p.tcp.len - 1} (relative). The segments behind ` +
      'it are already on their way and will still arrive.'
    );
  }
  const dup = dupAckNumber(p, t);
  if (dup > 0) {
    return `Duplicate ACK ${dup}: Ack = ${p.tcp.relAck} again means "I still need byte ${p.tcp.relAck}", although a later segment just arrived.`;
  }
  if (p.retransmissionOf !== undefined) {
    const orig = t.packets[p.retransmissionOf];
    const why = p.retransmitReason === 'fast-retransmit' ? 'after three duplicate ACKs' : 'after the timeout';
    const what = p.tcp.len > 0 ? `the same ${bytes(p.tcp.len)}` : 'the same FIN';
    return orig
      ? `Same Seq = ${p.tcp.relSeq} (relative), ${what} as packet #${orig.wireIndex}, resent ${why}, ` +
          `${ms(p.sentAt - orig.sentAt)} after the first try.`
      : undefined;
  }
  const jump = ackJump(p, t);
  if (jump) {
    return (
      `Ack jumps from ${jump.from} to ${jump.to}: the receiver had kept the later segments, so the one resent ` +
      'piece completes everything at once. Only now does ws see the message.'
    );
  }
  return undefined;
}

/**
 * For a duplicate ACK (RFC 5681 §2: a pure ACK repeating the acknowledgment number its sender last sent):
 * how many times that number has been repeated so far (1, 2, 3 …); 0 for any other packet.
 */
function dupAckNumber(p: Packet, t: Timeline): number {
  if (!isPureAck(p) || !has(p, 'ACK')) return 0;
  let n = 0;
  for (let i = p.id - 1; i >= 0; i--) {
    const q = t.packets[i];
    if (!q || q.from !== p.from || q.connection !== p.connection) continue;
    if (q.tcp.relAck !== p.tcp.relAck) break;
    n++;
  }
  return n;
}

/** A pure ACK right after duplicate ACKs that acknowledges more than one segment's worth. */
function ackJump(p: Packet, t: Timeline): { from: number; to: number } | undefined {
  if (!isPureAck(p)) return undefined;
  const before = [...t.packets]
    .reverse()
    .find((q) => q.id < p.id && q.from === p.from && q.connection === p.connection);
  if (!before || dupAckNumber(before, t) === 0 || before.tcp.relAck >= p.tcp.relAck) return undefined;
  return { from: before.tcp.relAck, to: p.tcp.relAck };
}

/** The text a WebSocket frame carries (Engine.IO/Socket.IO packets ride in text frames), or undefined. */
function frameText(p: Packet): string | undefined {
  return p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.text ? p.app.text : undefined;
}

/** A Socket.IO EVENT (`42…`) in a WebSocket frame. */
function isSioEventFrame(p: Packet): boolean {
  return /^42/.test(frameText(p) ?? '');
}

function hostLabel(t: Timeline, id: string): string {
  return t.hosts.find((h) => h.id === id)?.label ?? id;
}

/** The Engine.IO handshake JSON of the `n`-th open packet (`0{…}`) sent to `host`, if any. */
function openHandshake(t: Timeline, host: string, n = 0): Record<string, unknown> | undefined {
  const opens = t.packets.filter(
    (p) =>
      p.to === host &&
      p.retransmissionOf === undefined &&
      p.app?.kind === 'engineio' &&
      p.app.packets.some((x) => x.startsWith('0{')),
  );
  const p = opens[n < 0 ? opens.length + n : n];
  if (p?.app?.kind !== 'engineio') return undefined;
  try {
    const json: unknown = JSON.parse(p.app.packets.find((x) => x.startsWith('0{'))!.slice(1));
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberOf(h: Record<string, unknown> | undefined, key: string): number | undefined {
  const v = h?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** The console line a step prints on `host`, if it starts with `prefix`. */
function consoleLine(step: Step, prefix: string): string | undefined {
  return step.console?.find((c) => c.text.startsWith(prefix))?.text;
}

/** Socket.IO vs WebSocket: HTTP first, the handshake JSON, packets inside frames, Engine.IO's own heartbeat. */
function socketioAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (!p || !onWire(step) || p.retransmissionOf !== undefined) return undefined;
  const firstApp = t.packets.find((q) => q.app !== undefined);
  if (p === firstApp && p.app?.kind === 'http-request' && !p.app.upgrade) {
    return (
      `The very first request is plain HTTP: ${p.app.method} ${p.app.target}, with no Upgrade header. ` +
      'Socket.IO starts its session over HTTP long-polling and only then tries a WebSocket; a WebSocket ' +
      'client would have sent Upgrade: websocket in its first request.'
    );
  }
  if (p.app?.kind === 'http-request' && p.app.upgrade && p.from === 'client') {
    const before = t.packets.filter(
      (q) =>
        q.id < p.id &&
        q.from === p.from &&
        q.retransmissionOf === undefined &&
        (q.app?.kind === 'http-request' ||
          (q.app?.kind === 'engineio' && q.tcp.len > 0 && q.to === 'server')),
    ).length;
    const open = openHandshake(t, p.from);
    return (
      `Only now does the browser ask for a WebSocket, after ${before} HTTP request${before === 1 ? '' : 's'} of ` +
      `the same Engine.IO session${open ? ` (sid ${String(open['sid'])}, named in the URL)` : ''}. A plain ` +
      'WebSocket client sends this kind of GET first, on a fresh connection, and nothing before it.'
    );
  }
  const text = frameText(p);
  if (text !== undefined && isSioEventFrame(p) && t.packets.find((q) => isSioEventFrame(q)) === p) {
    return (
      `The WebSocket frame carries ${bytes(new TextEncoder().encode(text).length)} of text: ${text}. A plain ` +
      'WebSocket peer would get exactly this string as its message, and would have to ' +
      'know that 4 means an Engine.IO message and 2 a Socket.IO event: that is the Socket.IO protocol, ' +
      'carried by WebSocket, not WebSocket itself.'
    );
  }
  if (text === '2' && p.from === 'server') {
    const interval = numberOf(openHandshake(t, p.to), 'pingInterval');
    return (
      'A text frame holding "2", not a WebSocket ping frame (opcode 0x9): Engine.IO runs its own heartbeat ' +
      'so that it works the same over HTTP long-polling. In Engine.IO 4 the server pings' +
      (interval !== undefined ? `, every ${interval} ms` : '') +
      ', and the browser answers "3".'
    );
  }
  return undefined;
}

/** The server frames of one fan-out: those carrying the same event after the same trigger. */
function fanOut(p: Packet, t: Timeline): Packet[] {
  const text = frameText(p);
  if (text === undefined || p.from !== 'server' || !isSioEventFrame(p)) return [];
  const isTrigger = (q: Packet): boolean => q.from !== 'server' && isSioEventFrame(q);
  let from = 0;
  for (let i = p.id - 1; i >= 0; i--) {
    if (isTrigger(t.packets[i]!)) {
      from = i + 1;
      break;
    }
  }
  const out: Packet[] = [];
  for (let i = from; i < t.packets.length; i++) {
    const q = t.packets[i]!;
    if (i > p.id && isTrigger(q)) break;
    if (q.from === 'server' && q.retransmissionOf === undefined && frameText(q) === text) out.push(q);
  }
  return out;
}

const EMIT_CALLS: { readonly [K in Scenario['emit']]: string } = {
  socket: 'socket.emit',
  broadcast: 'socket.broadcast.emit',
  io: 'io.emit',
  room: "io.to('room1').emit",
};

function names(list: readonly string[]): string {
  if (list.length === 0) return 'nobody';
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
}

/** Emit: one frame in from Browser 1, then exactly one frame out per recipient, and who got none. */
function emitAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (!p || step.kind !== 'transmit' || p.retransmissionOf !== undefined || !isSioEventFrame(p))
    return undefined;
  const browsers = t.hosts.filter((h) => h.role === 'client');
  if (p.from !== 'server') {
    if (t.packets.find((q) => q.from !== 'server' && isSioEventFrame(q)) !== p) return undefined;
    return (
      `${hostLabel(t, p.from)} emits one frame, to the server only: a browser can only ever talk to the ` +
      `server. Who else receives the event is decided by the server's handler, here ` +
      `${EMIT_CALLS[t.scenario.emit]}, with ${browsers.length} browsers connected.`
    );
  }
  const group = fanOut(p, t);
  const k = group.indexOf(p);
  if (k < 0) return undefined;
  const got = group.map((q) => hostLabel(t, q.to));
  const missed = browsers.map((h) => h.label).filter((l) => !got.includes(l));
  return (
    `Frame ${k + 1} of ${group.length} of this fan-out, to ${hostLabel(t, p.to)}. ` +
    `${EMIT_CALLS[t.scenario.emit]} reaches ${names(got)}` +
    (missed.length ? ` and not ${names(missed)}.` : '.') +
    ` With ${browsers.length} browsers: socket.emit sends 1 frame (to one socket), io.emit ${browsers.length}, ` +
    `socket.broadcast.emit ${browsers.length - 1}.`
  );
}

/** Reconnection: silence, the ping timeout, buffered emits, backoff, a new session. */
function reconnectAside(step: Step, t: Timeline): string | undefined {
  const first = firstOfChapter(t, 'reconnect');
  if (first === undefined || step.index + 1 < first) return undefined;
  const h = openHandshake(t, 'client');
  const interval = numberOf(h, 'pingInterval');
  const timeout = numberOf(h, 'pingTimeout');
  const label = hostLabel(t, 'client');
  // A one-browser run labels its browser just "Browser"; in a sentence that reads better as "the browser".
  const me = label === 'Browser' ? 'the browser' : label;
  const Me = label === 'Browser' ? 'The browser' : label;
  if (step.index + 1 === first) {
    return (
      `From here on nothing reaches ${me} and nothing leaves it. Nobody is told: a pulled cable or a lost ` +
      'Wi-Fi sends no packet. Both sides can only notice that answers stop coming.'
    );
  }
  const p = packetOf(step, t);
  if (
    p &&
    step.kind === 'drop' &&
    frameText(p) === '2' &&
    p.retransmissionOf === undefined &&
    interval !== undefined &&
    timeout !== undefined
  ) {
    return (
      `The server's ping is lost. The browser expects one every ${interval} ms and gives up after ` +
      `pingInterval + pingTimeout = ${interval + timeout} ms without one.`
    );
  }
  const disconnect = consoleLine(step, 'disconnect:');
  const firstDisconnect = t.steps.find(
    (s) => s.index + 1 >= first && s.host === 'client' && consoleLine(s, 'disconnect:'),
  );
  if (step.host === 'client' && disconnect && firstDisconnect === step) {
    const last = t.packets
      .filter((q) => q.to === 'client' && !q.lost && q.arrivesAt <= step.time)
      .reduce((m, q) => Math.max(m, q.arrivesAt), 0);
    return (
      `The last packet ${me} received arrived ${span(step.time - last)} ago. Only the heartbeat noticed: a ` +
      'plain WebSocket without pings would still report readyState OPEN, waiting for frames that cannot come.'
    );
  }
  if (
    step.host === 'client' &&
    step.kind === 'app' &&
    step.states['client']?.sio?.connected === false &&
    /socket\.emit\(/.test(step.title)
  ) {
    return (
      `${Me} is offline, yet socket.emit does not fail: the packet waits in the socket’s send buffer and ` +
      'goes out after the next successful connect.'
    );
  }
  if (step.host === 'client' && consoleLine(step, 'reconnect_attempt')) {
    const waits: string[] = [];
    let since: number | undefined;
    for (const s of t.steps.slice(0, step.index + 1)) {
      if (s.host !== 'client') continue;
      if (consoleLine(s, 'disconnect:') || consoleLine(s, 'connect_error')) since = s.time;
      else if (consoleLine(s, 'reconnect_attempt') && since !== undefined) waits.push(span(s.time - since));
    }
    return (
      `Waits before each attempt so far: ${waits.join(', ')}. Each is about twice the one before (with ` +
      'randomness), so that thousands of browsers cut off by the same outage do not all knock at the same moment.'
    );
  }
  if (step.host === 'client' && consoleLine(step, 'reconnect')?.startsWith('reconnect after')) {
    const oldSid = openHandshake(t, 'client', 0)?.['sid'];
    const newSid = openHandshake(t, 'client', -1)?.['sid'];
    return (
      `A new Engine.IO session: sid ${String(newSid)} (before the drop it was ${String(oldSid)}). ` +
      "'reconnect' comes from the Manager (socket.io.on('reconnect')); the socket itself gets 'connect' again."
    );
  }
  const msg = consoleLine(step, 'message:');
  if (step.host === 'server' && msg) {
    const emitted = t.steps.find(
      (s) =>
        s.host === 'client' &&
        s.kind === 'app' &&
        s.states['client']?.sio?.connected === false &&
        s.title.includes(JSON.stringify(msg.slice('message: '.length))),
    );
    if (!emitted) return undefined;
    return `The buffered message arrives ${span(step.time - emitted.time)} after the page emitted it offline, and only once.`;
  }
  return undefined;
}

/** The comparison series a chapter of the compare story demonstrates ('short-polling', 'websocket'…). */
function seriesOf(step: Step, t: Timeline): ComparisonSeries | undefined {
  return t.comparison?.series.find((s) => s.method === step.chapter);
}

/** The body of an HTTP message a packet carries whole ('' when it has none). */
function httpBody(p: Packet): string {
  const text = TEXT.decode(appBytes(p));
  const at = text.indexOf('\r\n\r\n');
  return at < 0 ? '' : text.slice(at + 4);
}

/** Polling vs WebSocket: what an empty poll costs, how long news waits, and the totals side by side. */
function pollingAside(step: Step, t: Timeline): string | undefined {
  const c = t.comparison;
  const series = seriesOf(step, t);
  if (!c || !series) return undefined;
  const ws = c.series.find((s) => s.method === 'websocket');
  const total = (s: ComparisonSeries): number => s.cumulativeBytes.at(-1) ?? 0;
  const p = packetOf(step, t);
  if (
    p &&
    step.kind === 'transmit' &&
    p.from === 'server' &&
    p.app?.kind === 'http-response' &&
    httpBody(p) === '[]'
  ) {
    const get = [...t.packets]
      .reverse()
      .find((q) => q.id < p.id && q.from === 'client' && q.app?.kind === 'http-request');
    const ack = t.packets.find((q) => q.id > p.id && q.from === 'client' && q.tcp.len === 0);
    if (!get || !ack) return undefined;
    const cost = get.frame.length + p.frame.length + ack.frame.length;
    return (
      `Nothing new: the answer is []. This poll still cost ${bytes(cost)} on the wire (${get.frame.length} for the ` +
      `GET, ${p.frame.length} for the answer, ${ack.frame.length} for the ACK), almost all of it headers.`
    );
  }
  if (step.kind === 'app' && step.host === 'client') {
    const k = Number(/news (\d+)/.exec(step.title)?.[1] ?? NaN);
    const delay = series.delays[k - 1];
    if (step.console && delay !== undefined) {
      if (series.method === 'short-polling') {
        return `News ${k} reached the page ${span(delay)} after the server had it: it waited for the next poll.`;
      }
      // Without polling every delay is the same one-way trip; saying it once is enough.
      return k === 1
        ? `News 1 reached the page ${span(delay)} after the server had it: just the time one packet takes to ` +
            'cross the network, with no poll to wait for.'
        : undefined;
    }
    if (step.title.startsWith(`${series.label}: `) && /\d+ bytes/.test(step.title) && ws) {
      const others = c.series
        .filter((s) => s !== ws)
        .map((s) => `${s.label} ${(total(s) / total(ws)).toFixed(1)}×`);
      return series === ws
        ? `For the same ${c.messages} messages, counting every header, the others needed: ${others.join(', ')} the WebSocket's ${bytes(total(ws))}.`
        : `${series.label}: ${bytes(total(series))} for ${c.messages} messages, ${(total(series) / total(ws)).toFixed(1)}× the WebSocket's ${bytes(total(ws))}.`;
    }
  }
  if (
    p &&
    step.kind === 'transmit' &&
    series.method === 'websocket' &&
    p.from === 'server' &&
    isTextFrame(p)
  ) {
    const first = t.packets.find(
      (q) =>
        q.from === 'server' &&
        isTextFrame(q) &&
        t.steps.some((s) => s.packet === q.id && s.chapter === 'websocket'),
    );
    const f = wsFrameOf(p);
    if (first !== p || !f) return undefined;
    return (
      `This news costs ${bytes(p.frame.length)} on the wire: a ${wsHeaderBytes(p, f)}-byte WebSocket header, ` +
      `${bytes(f.payload.length)} of text and ${bytes(p.frame.length - appBytes(p).length)} of TCP, IPv4 and ` +
      'Ethernet headers. No request went before it, and no HTTP headers travel with it.'
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Start steps.

function startAt(find: (t: Timeline) => number | undefined): (t: Timeline) => number {
  return (t) => find(t) ?? 1;
}

// ---------------------------------------------------------------------------------------------------------
// The catalogue.

/** Lesson ids appear in links (`lesson=<id>`): keep them lower-case, URL-safe and never rename one. */
export const LESSON_CONTENT: readonly LessonContent[] = [
  {
    id: 'websocket',
    intro:
      'A WebSocket is a full-duplex channel over one TCP connection (RFC 6455, 2011): once it is open, the ' +
      'browser and the server each send whenever they like. Watch its whole life here: TCP connects, one ' +
      'HTTP request and one response turn the connection into a WebSocket, "Hello" and "Hi!" travel as ' +
      'frames, and the browser closes it. Every byte on screen is real.',
    checks: [
      {
        question: 'What is a WebSocket?',
        choices: [
          'A full-duplex channel over one TCP connection that starts as HTTP',
          'A new HTTP request for every message',
          'A network protocol that replaces TCP',
          'A browser feature that only receives messages from the server',
        ],
        answer: 0,
        explain:
          'At the onopen step the browser switched the connection it already had from HTTP to WebSocket. ' +
          'After that, "Hello" went one way and "Hi!" the other, as frames on that same TCP connection.',
      },
      {
        question: 'How many TCP connections did this whole conversation use?',
        choices: ['One', 'Two: one for HTTP, one for the WebSocket', 'One per message'],
        answer: 0,
        explain:
          'The GET, the 101, both messages, the ping and pong and the Close frames all travel between the ' +
          "same two ports: the browser's port and port 80. There is only one SYN, at the start.",
      },
      {
        question: 'After the 101, how does the server send "Hi!"?',
        choices: [
          'As a WebSocket frame: a 2-byte header and 3 bytes of text',
          'As an HTTP response with headers',
          'It opens a new connection to the browser',
        ],
        answer: 0,
        explain:
          'On the wire, "Hi!" is a 5-byte WebSocket frame: 81 03 and then the three letters (see the aside at ' +
          'that step). No status line, no HTTP headers.',
      },
    ],
    teacherNotes:
      'This is the overview: keep moving and leave details to the other lessons. Pause at "The page opens a ' +
      'WebSocket" and ask: what has to happen before one WebSocket byte can travel? (TCP first.) Pause at ' +
      '"onopen" and ask: is this a new connection? (No: same ports as the SYN, see the aside.) At the server ' +
      'push, ask who asked for it (nobody). At ws.close, ask how long a WebSocket stays open (until someone ' +
      'closes it or the network drops it).',
    aside: overviewAside,
  },
  {
    id: 'osi',
    intro:
      'Every message a page sends is wrapped on the way down and unwrapped on the way up. This lesson opens ' +
      'where the browser hands the WebSocket frame for "Hello" to its network stack, and follows that one ' +
      'frame through all seven OSI layers on both machines. Watch the size grow at layers 4, 3 and 2, and ' +
      'stay the same at 6 and 5.',
    checks: [
      {
        question: 'Which layers added a header of their own to the "Hello" frame?',
        choices: [
          'All seven layers',
          'WebSocket (7), TCP (4), IPv4 (3) and Ethernet (2)',
          'Only TCP and IP',
          'Layers 5 and 6',
        ],
        answer: 1,
        explain:
          'The asides count the bytes: the size stays the same at layers 6 and 5 and grows at 4 (TCP header), 3 ' +
          '(20 bytes of IPv4) and 2 (14 bytes of Ethernet header and a 4-byte FCS). Encoding text as UTF-8, or ' +
          'encrypting with TLS for wss://, is work done at layer 6, not a header.',
      },
      {
        question: 'What is the unit called at layer 4, layer 3 and layer 2?',
        choices: ['segment, packet, frame', 'frame, packet, segment', 'packet, segment, bits'],
        answer: 0,
        explain:
          'TCP makes a segment (data + TCP header), IPv4 a packet (segment + IP header), Ethernet a frame ' +
          '(packet + Ethernet header and FCS); layer 1 sends bits.',
      },
      {
        question: 'Which layer does DNS belong to?',
        choices: [
          'The application layer (7): it is a protocol programs use to look up names',
          'The session layer (5)',
          'The network layer (3), next to IP',
        ],
        answer: 0,
        explain:
          'DNS is an application-layer protocol that runs over UDP or TCP, port 53. The session layer is about ' +
          'the dialogue: here, the WebSocket session with its heartbeats and closing handshake, which adds no ' +
          'header (see the layer 5 step).',
      },
    ],
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
    intro:
      'Before any web page can talk to a server, TCP has to set up a connection: each side picks a random ' +
      'starting number and the other confirms it. That takes three segments. Ending it takes four, because ' +
      'each direction closes on its own. Watch the numbers: they only ever move forward.',
    checks: [
      {
        question: "The browser's SYN carries Seq = x. What Ack does the server's SYN-ACK carry?",
        choices: ['x + 1', 'x', '0', 'y + 1'],
        answer: 0,
        explain:
          'The SYN uses up number x, so the next number the server expects is x+1. The SYN-ACK step shows ' +
          'Ack = x+1 with the real value of x.',
      },
      {
        question: "In the last ACK of the handshake, what is the browser's sequence number?",
        choices: ['x + 1: one past its SYN', '0: it is reset', 'x: the same as the SYN'],
        answer: 0,
        explain:
          'The ACK step shows Seq = x+1 and Ack = y+1. Wireshark prints "Seq=1 Ack=1" only because it counts ' +
          "from each side's starting number; nothing is reset.",
      },
      {
        question: 'Why does each side start from a random number?',
        choices: [
          'So a stray segment from an old connection, or a forged one, is not taken for part of this one',
          'To encrypt the data',
          'Because counting must start at 0 but the 0 is hidden',
        ],
        answer: 0,
        explain:
          'A random initial sequence number makes old segments with the same ports fall outside the window, ' +
          'and makes it hard for an outsider to guess numbers and inject data (RFC 9293 §3.4.1).',
      },
      {
        question: 'How many segments did the goodbye take?',
        choices: ['Four: FIN, ACK, FIN, ACK', 'Three, like the handshake', 'One'],
        answer: 0,
        explain:
          'The steps are labelled 1 of 4 to 4 of 4: each side sends its own FIN and the other acknowledges it, ' +
          "and each FIN uses up one sequence number, so its ACK says FIN's Seq + 1.",
      },
    ],
    teacherNotes:
      'Explain it to a non-technical friend: "Can we talk? My numbers start at x." "Yes, I got x; mine start ' +
      'at y." "Got y." Write x and y from the SYN and SYN-ACK asides on the board. Pause at the ACK step and ' +
      'ask what Seq and Ack will be before revealing them (M3: students often say 0, or x again). Skip the ' +
      'WebSocket part quickly. At the goodbye, ask why it takes four segments when the handshake took three ' +
      '(each direction closes separately; the SYN-ACK combined two).',
    aside: tcpAside,
    start: startAt((t) => firstStep(t, (s) => s.host === 'client' && s.layer === 4)),
  },
  {
    id: 'upgrade',
    intro:
      "A WebSocket starts as an ordinary HTTP request. Once TCP's three-way handshake is done, the browser " +
      'sends GET with Upgrade: websocket and a random key; the server answers 101 Switching Protocols with a ' +
      'value computed from that key. Two messages, and the same connection now speaks WebSocket.',
    checks: [
      {
        question: 'Is the WebSocket handshake a three-way handshake?',
        choices: [
          "No: it is one HTTP request and one response, sent after TCP's three-way handshake",
          'Yes: SYN, SYN-ACK, ACK',
          'Yes: GET, 101, ACK',
        ],
        answer: 0,
        explain:
          "The lesson opens on TCP's third segment (layer 4). Then come exactly two HTTP messages at layer 7: " +
          "the GET with Upgrade: websocket, and the 101. The ACKs between them are TCP's, not WebSocket's.",
      },
      {
        question: 'How does the server compute Sec-WebSocket-Accept?',
        choices: [
          'base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))',
          'It sends the key back unchanged',
          'It encrypts the key with its certificate',
          'It picks a random value',
        ],
        answer: 0,
        explain:
          "The aside at the 101 does it in four steps with this run's key. RFC 6455 §1.3 gives a check: " +
          'the key dGhlIHNhbXBsZSBub25jZQ== gives s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.',
      },
      {
        question: 'After the 101, where does the WebSocket traffic go?',
        choices: [
          'Over the same TCP connection and port 80 that carried the GET',
          'Over a new connection on a port the 101 names',
          'Over port 443',
        ],
        answer: 0,
        explain:
          'The first frame after the 101 has the same ports as the GET. The bytes change from HTTP text to ' +
          'WebSocket frames; the connection does not.',
      },
    ],
    teacherNotes:
      'Open on TCP\'s last ACK and say: "layer 4 is done; nothing WebSocket has happened yet" (M2). At the GET, ' +
      'read the four headers aloud (Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version: 13). ' +
      'Before the 101, ask the class how the server could prove it read the key. Then do the four steps of ' +
      "the aside on the board with this run's values. Point out that the key is not a secret or a password: " +
      'it only proves the server understood a WebSocket request.',
    aside: upgradeAside,
    start: startAt((t) =>
      firstStep(t, (s, tl) => {
        const p = packetOf(s, tl);
        return s.kind === 'transmit' && p !== undefined && isHandshakeAck(p);
      }),
    ),
  },
  {
    id: 'frames',
    intro:
      'With plain HTTP the server only ever answers a request. On a WebSocket either side sends whenever it ' +
      'has something to say. Here the server sends the first message before the browser has sent anything, ' +
      'and every message is a small frame rather than a request with headers.',
    checks: [
      {
        question: 'The server can send content without first receiving a ___.',
        choices: ['request', 'response', 'SYN'],
        answer: 0,
        explain:
          'The first frame, "Welcome! 3 people are online.", comes from the server while the browser has sent ' +
          'no data since the 101: only TCP ACKs. No request came first.',
      },
      {
        question: 'Once the WebSocket is open, who may send?',
        choices: [
          'Either side, whenever it likes',
          'Only the browser; the server replies',
          'Only the server',
        ],
        answer: 0,
        explain:
          'Server, browser, server: three frames, and the order is just what each program decided. The channel ' +
          'is full-duplex: both directions are open at once.',
      },
      {
        question: 'How long is the header of a server frame carrying less than 126 bytes?',
        choices: ['2 bytes', '6 bytes', 'About 100 bytes of HTTP headers'],
        answer: 0,
        explain:
          'The asides decode it: FIN and opcode in the first byte, MASK and length in the second. Client frames ' +
          'add a 4-byte masking key (6 bytes). Lengths of 126 or more use 2 or 8 extra length bytes, so a ' +
          'header is 2 to 14 bytes.',
      },
    ],
    teacherNotes:
      'Before the first frame, ask: "the browser has not sent a message yet; can the server speak?" (Q3). At ' +
      'each frame, read the header bytes in the aside: 81 = FIN + text, then the length. Compare with the ' +
      'size of the GET (look at its length in the ladder). Ask what a chat app would have to do with plain ' +
      'HTTP to get "Welcome" without asking (polling; see the polling lesson).',
    aside: framesAside,
    start: startAt((t) => firstOfChapter(t, 'ws-data')),
  },
  {
    id: 'masking',
    intro:
      'Every frame a browser sends is masked: its payload is XORed with a fresh random 4-byte key that travels ' +
      'in the frame. It is not encryption, since the key is right there. It protects proxies: a script cannot ' +
      'choose the bytes that appear on the wire. The page sends "Hello" twice, and the server sends "Hello" ' +
      'back; compare the bytes.',
    checks: [
      {
        question: 'Which frames must be masked?',
        choices: [
          'Every frame from the browser to the server',
          'Every frame from the server to the browser',
          'Only frames that carry passwords',
          'None on ws://',
        ],
        answer: 0,
        explain:
          'Both "Hello" frames from the browser carry a masking key; the server\'s "Hello" goes out as plain ' +
          '48 65 6c 6c 6f (RFC 6455 §5.1).',
      },
      {
        question: 'How is byte i of the payload masked?',
        choices: ['XOR with key byte i mod 4', 'Add the key to it', 'Encrypt it with AES'],
        answer: 0,
        explain:
          'The aside shows each byte XORed with the key byte at position i mod 4; the server XORs again with the ' +
          'same key and gets the text back.',
      },
      {
        question: 'The page sent "Hello" twice. On the wire the two payloads were…',
        choices: ['different, because each frame gets a fresh key', 'identical'],
        answer: 0,
        explain:
          "The second frame's aside puts both side by side: same text, different key, different bytes.",
      },
      {
        question: 'Why does RFC 6455 require masking?',
        choices: [
          'So a script cannot choose the exact bytes on the wire and trick a proxy into caching a forged response',
          'To keep the message secret',
          'To make the message shorter',
        ],
        answer: 0,
        explain:
          'RFC 6455 §10.3: with unpredictable keys, a hostile page cannot write bytes that a badly written ' +
          'proxy would read as an HTTP request and cache (cache poisoning). Secrecy needs wss:// (TLS).',
      },
    ],
    teacherNotes:
      'Write the first key on the board and XOR two bytes by hand with the class (48 ⊕ key byte 0, 65 ⊕ key ' +
      'byte 1). Pause at the second "Hello" and ask: "same text, will the bytes be the same?" Then at the ' +
      "server's frame ask why it is not masked (the attack is about scripts in pages, which only write " +
      'client frames). Make sure nobody leaves thinking masking is encryption.',
    aside: maskingAside,
    start: startAt((t) =>
      firstStep(t, (s, tl) => {
        const p = packetOf(s, tl);
        return s.kind === 'transmit' && p !== undefined && p.from === 'client' && isTextFrame(p);
      }),
    ),
  },
  {
    id: 'close',
    intro:
      'A WebSocket does not stay open forever: it stays open until one side starts the closing handshake or the ' +
      'network drops it. Here the server calls ws.close(1000, "bye"): a Close frame with a status code, an ' +
      "answering Close frame, and only then TCP's FIN, ACK, FIN, ACK.",
    checks: [
      {
        question: 'When does a WebSocket close?',
        choices: [
          'When one side starts the closing handshake, or the network drops the connection',
          'Never: once open it stays open forever',
          'After every message',
        ],
        answer: 0,
        explain:
          'Nothing ended this WebSocket until the server called close(): the ping and pong before it kept ' +
          'checking it was alive. Without a Close frame only a network failure ends it (onclose then says 1006).',
      },
      {
        question: 'Which status code means a normal closure?',
        choices: ['1000', '1006', '404'],
        answer: 0,
        explain: 'The Close frame\'s payload starts 03 e8, which is 1000, followed by the reason "bye".',
      },
      {
        question: 'onclose reports code 1006. What was on the wire?',
        choices: [
          'No Close frame at all: 1006 means the connection broke, and it is never sent',
          'A Close frame carrying 1006',
          'An HTTP response with status 1006',
        ],
        answer: 0,
        explain:
          '1005 (no status code in the Close frame) and 1006 (no Close frame at all) are reported by the API ' +
          'only; RFC 6455 §7.4.1 forbids sending them.',
      },
      {
        question: 'After both Close frames, who closes the TCP connection first?',
        choices: ['The server', 'The browser', 'Both at the same moment'],
        answer: 0,
        explain:
          'The first FIN comes from the server (RFC 6455 §7.1.1), so the server, not the browser, keeps the ' +
          'connection in TIME_WAIT.',
      },
    ],
    teacherNotes:
      'Open at the server\'s close() call. Ask first: "how long would this WebSocket have stayed open without ' +
      'it?" (M7). Read the Close frame payload from the aside: 03 e8 = 1000, then "bye". Point out that the ' +
      'browser\'s answer is masked like any client frame. At onclose, write 1005 and 1006 on the board as "API ' +
      'only, never on the wire". End by showing that TCP\'s goodbye comes after the WebSocket one: two layers, ' +
      'two goodbyes.',
    aside: closeAside,
    start: startAt((t) => firstOfChapter(t, 'ws-close')),
  },
  {
    id: 'socketio',
    intro:
      'Socket.IO is a library with a protocol of its own, not an implementation of WebSocket. It opens a ' +
      'session with ordinary HTTP requests (long-polling), upgrades to a WebSocket when it can, and sends ' +
      'named events such as 42["chat message","Hello"] inside the frames. Watch the bytes: a plain ' +
      'WebSocket client could not make sense of them.',
    checks: [
      {
        question: 'Is Socket.IO an implementation of the WebSocket protocol?',
        choices: [
          'No: it is its own protocol, which can use a WebSocket (or HTTP long-polling) as its transport',
          'Yes: it is WebSocket with a nicer API',
          'Yes, but only in browsers',
        ],
        answer: 0,
        explain:
          'The session starts with plain HTTP GETs and POSTs before any WebSocket exists, and even on the ' +
          'WebSocket every frame carries Engine.IO and Socket.IO packets (2probe, 5, 42[…]). A plain WebSocket ' +
          'client cannot talk to a Socket.IO server.',
      },
      {
        question: 'Inside a WebSocket frame, what does 42["chat message","Hello"] mean?',
        choices: [
          '4 = Engine.IO message, 2 = Socket.IO EVENT, then the event name and its data as JSON',
          'A payload of 42 bytes',
          'Socket.IO version 4.2',
        ],
        answer: 0,
        explain:
          'The event steps decode it digit by digit: Engine.IO packet type 4 (message) carries a Socket.IO ' +
          'packet of type 2 (EVENT) whose JSON array is the event name and its arguments.',
      },
      {
        question: "What does io.on('connection', socket => …) do on the server?",
        choices: [
          'Runs once for each client that connects and hands over that client’s socket',
          'Opens a connection to the browser',
          'Runs once, when the server starts',
        ],
        answer: 0,
        explain:
          'It fires when the browser\'s CONNECT packet (40) arrives and logs "a user connected"; the ' +
          "handlers for that client, such as socket.on('chat message'), are registered inside it.",
      },
      {
        question: 'When would you choose plain WebSockets over Socket.IO?',
        choices: [
          'When the other end speaks standard WebSocket, or every byte and dependency counts',
          'When you need rooms, acknowledgements and automatic reconnection',
          'When WebSocket is blocked by a proxy',
        ],
        answer: 0,
        explain:
          'Socket.IO gives rooms, broadcasting, acknowledgements, reconnection, buffering and a long-polling ' +
          'fallback, at the price of its own protocol on both ends and extra bytes in every frame.',
      },
    ],
    teacherNotes:
      'Run the WebSocket overview first, then this. Ask: "which bytes show this is not a plain WebSocket?" ' +
      'Pause at the first polling GET and its 0{"sid":…} answer: no WebSocket yet (M4). At the probe ' +
      '(2probe, 3probe, then 5), ask why Socket.IO tests the WebSocket before switching. At 42[…], decode ' +
      'the digits with the class. Point to the server console lines ("a user connected", "message: Hello") ' +
      'as the proof of life, each in step with the packet that caused it. At the heartbeat, ask which side ' +
      'pings (the server, in Engine.IO v4).',
    aside: socketioAside,
    start: startAt((t) => firstStep(t, (s) => s.host === 'client' && s.kind === 'app')),
  },
  {
    id: 'emit',
    intro:
      'socket.emit() does not send to everyone: it sends to the one client at the other end of that socket. ' +
      'Here three browsers are connected and Browser 1 says "Hello"; the server passes it on with ' +
      'socket.broadcast.emit, which reaches everyone except the sender. Change emit= in the link to socket, io ' +
      'or room to see the other fan-outs.',
    checks: [
      {
        question: 'On the server, what does socket.emit("chat message", msg) reach?',
        choices: [
          'The one client at the other end of that socket',
          'Every connected client',
          'Every client except the sender',
        ],
        answer: 0,
        explain:
          'A socket is one client’s connection. io.emit reaches everyone, socket.broadcast.emit everyone but ' +
          'that socket’s client, io.to(room).emit the room’s members.',
      },
      {
        question: 'Which call sends to every client except the one whose message is being handled?',
        choices: ['socket.broadcast.emit', 'io.emit', 'socket.emit'],
        answer: 0,
        explain:
          'In this run the event went out to Browser 2 and Browser 3 only: Browser 1, the sender, got nothing ' +
          'back.',
      },
      {
        question: 'How does a client end up in a room?',
        choices: [
          'The server calls socket.join(room) for it; nothing about rooms is sent on the wire',
          'The client sends a reserved "join" event that Socket.IO handles by itself',
          'The client opens a second connection to the room',
        ],
        answer: 0,
        explain:
          'Rooms exist only on the server: socket.join(room) is a method, not an event. With emit=room the ' +
          "browsers ask with an event of the app's own, and the server's handler calls socket.join.",
      },
    ],
    teacherNotes:
      'Before the fan-out step, ask the class to predict who receives the message (M1: many expect ' +
      'everyone, or say socket.emit would reach everyone). Count the WebSocket frames leaving the server. ' +
      'Then edit the link: emit=socket (only Browser 1), emit=io (all three), emit=room (the browsers that ' +
      'joined). Each event is one encoded packet, 42["chat message",…], written once per recipient.',
    aside: emitAside,
    start: startAt((t) => {
      const p = t.packets.find((q) => q.from !== 'server' && isSioEventFrame(q));
      return p ? firstStep(t, (s) => s.packet === p.id) : undefined;
    }),
  },
  {
    id: 'reconnect',
    intro:
      'A connection can die without a goodbye: Wi-Fi drops, a laptop sleeps. Socket.IO notices when the ' +
      "server's heartbeat stops arriving, fires 'disconnect', and its Manager keeps trying to reconnect, " +
      'waiting longer each time. What the page emits meanwhile waits in a buffer and is sent once the new ' +
      'session is up.',
    checks: [
      {
        question: 'How does the browser find out that the connection is dead?',
        choices: [
          "The server's pings stop arriving within pingInterval + pingTimeout",
          'The network sends a "disconnected" message',
          'It never finds out',
        ],
        answer: 0,
        explain:
          'Nothing announces the break. Engine.IO expects a ping from the server every pingInterval; when none ' +
          "comes within pingInterval + pingTimeout, the client closes the session and 'disconnect' fires.",
      },
      {
        question: "Where do you listen for 'reconnect' in Socket.IO 4?",
        choices: [
          "socket.io.on('reconnect', …): it is an event of the Manager",
          "socket.on('reconnect', …)",
          "io.on('reconnect', …) on the server",
        ],
        answer: 0,
        explain:
          'Since Socket.IO 3 the socket only emits connect, connect_error and disconnect; reconnect, ' +
          'reconnect_attempt, reconnect_error, reconnect_failed and ping belong to the Manager (socket.io). ' +
          'connect_timeout and reconnecting no longer exist.',
      },
      {
        question: 'The page emitted a message while offline. What happened to it?',
        choices: [
          'It waited in the send buffer and was sent after reconnecting',
          'It was lost',
          'It was sent over HTTP instead',
        ],
        answer: 0,
        explain:
          'socket.emit while disconnected keeps the packet in the socket’s send buffer; after the new CONNECT ' +
          'the buffer is flushed, and the server receives the message late but once.',
      },
    ],
    teacherNotes:
      'Ask first: "a WebSocket stays open forever, right?" (M7). Pause where the network drops and ask how ' +
      'either side could notice (no packet says so). Watch the heartbeat go missing, then the disconnect ' +
      'reason. At each reconnect_attempt note the delay growing (backoff). At the end, check the buffered ' +
      'message arrived exactly once. Use the event names here to correct old notes (M8): ping, reconnect, ' +
      'join, leave and connect_timeout are not socket events in v4.',
    aside: reconnectAside,
    start: startAt((t) => firstOfChapter(t, 'reconnect')),
  },
  {
    id: 'polling-vs-websocket',
    intro:
      'Before WebSockets, a page that wanted news had to ask for it, again and again. Here the same messages ' +
      'reach the browser four ways: short polling, long polling, a WebSocket and Socket.IO. The chart counts ' +
      'every byte on the wire, headers of every layer included, and how late each message arrives.',
    checks: [
      {
        question: 'Why does short polling cost so many bytes?',
        choices: [
          'Every poll is a whole HTTP request and response with headers, even when there is nothing new',
          'HTTP cannot compress text',
          'Polling sends every message twice',
        ],
        answer: 0,
        explain:
          'Each poll carries a request line and headers, a response with its own headers, and the TCP, IPv4 ' +
          'and Ethernet headers of every packet, whether or not a message was waiting.',
      },
      {
        question: 'With short polling every second, how late can a message reach the browser?',
        choices: ['Up to about one polling interval', 'Never late at all', 'Exactly two seconds, always'],
        answer: 0,
        explain:
          'A message that arrives at the server just after a poll waits for the next one. Long polling and ' +
          'WebSockets deliver it as soon as the server has it.',
      },
      {
        question: 'What does a WebSocket add to each message once it is open?',
        choices: [
          'A frame header of 2 to 14 bytes, plus the TCP, IP and Ethernet headers every packet has',
          'A complete HTTP request and response',
          'Nothing at all',
        ],
        answer: 0,
        explain:
          'The handshake is paid once; after that a short server message costs a 2-byte frame header. That ' +
          'is why the WebSocket line on the chart stays flat while the polling line climbs.',
      },
    ],
    teacherNotes:
      'Start with a show of hands: "how would you build a chat with only HTTP?" Then open the chart. Ask ' +
      'which line climbs fastest and why (headers on every poll). Compare delays: short polling waits for the ' +
      'next poll, long polling and WebSocket deliver at once. Change interval= in the link (e.g. 250 or ' +
      '5000) to show the trade-off between delay and bytes.',
    aside: pollingAside,
  },
  {
    id: 'loss',
    intro:
      'Networks lose packets, and TCP is never told. It finds out two ways: duplicate ACKs, when later segments ' +
      'arrive without the missing one, and a timer, when nothing comes back at all. With a small MSS the ' +
      "browser's long message takes four segments; the first is lost. Later the server's FIN is lost too.",
    checks: [
      {
        question: 'How does TCP find out that a segment was lost?',
        choices: [
          'From duplicate ACKs or from silence (a timeout); nobody tells it',
          'The router that dropped it sends a message',
          'The receiver asks for it by packet number',
        ],
        answer: 0,
        explain:
          'The "Lost on the wire" steps notify nobody. The browser learns from three ACKs repeating the same ' +
          'number; the server learns about its FIN only when its timer runs out.',
      },
      {
        question: 'Why was the lost data resent long before the 1-second timer ran out?',
        choices: [
          'Three duplicate ACKs triggered a fast retransmit',
          'The server asked for it by name',
          'TCP resends every segment twice anyway',
        ],
        answer: 0,
        explain:
          'Each segment behind the lost one made the server repeat its ACK. After the third duplicate the ' +
          'browser resent the missing piece at once (RFC 5681), a few milliseconds later instead of a second.',
      },
      {
        question: 'Why could the lost FIN only be recovered by the timer?',
        choices: [
          'Nothing was sent after it, so no duplicate ACKs could arrive',
          'FINs are never acknowledged',
          'Timers are faster than duplicate ACKs',
        ],
        answer: 0,
        explain:
          'Duplicate ACKs need later segments to arrive. After its FIN the server sends nothing, so it waits ' +
          'for its retransmission timeout (1 s) and sends the FIN again.',
      },
      {
        question: "Did the page's JavaScript notice the lost segment?",
        choices: [
          'No: ws received the whole message, in order, just later',
          'Yes: onerror fired',
          'Yes: part of the message was missing',
        ],
        answer: 0,
        explain:
          "ws: 'message' fires only after the resent piece arrives, with the whole text. TCP hides the loss " +
          'from the programs; they only see a delay.',
      },
    ],
    teacherNotes:
      'Open on the first loss. Ask: "who knows this segment is gone?" (nobody yet). Step through the three ' +
      'duplicate ACKs and let the class count. At the fast retransmit, compare the delay in the aside with the ' +
      '1 s timer. Point out the ACK that jumps forward: the receiver kept the later pieces. Then skip to the ' +
      "lost FIN and ask why duplicate ACKs cannot save it this time. Change the link's loss= to other packet " +
      'numbers live to show other cases.',
    aside: lossAside,
    start: startAt((t) => firstStep(t, (s) => s.kind === 'drop')),
  },
];

const BY_ID: ReadonlyMap<string, LessonContent> = new Map(LESSON_CONTENT.map((c) => [c.id, c]));

export function lessonContent(id: string): LessonContent | undefined {
  return BY_ID.get(id);
}
