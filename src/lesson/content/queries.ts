/**
 * Reading a run: small pure queries over a Timeline (the steps and packets a lesson points at), shared by
 * every lesson's asides and start steps. They read the timeline only: they never simulate.
 */
import { WS_OPCODES, decodeWsFrame, type WsFrameRepr } from '../../protocol/websocket';
import type { ComparisonSeries, Packet, Step, Timeline } from '../../sim/types';
import { TEXT } from './wording';

export function packetOf(step: Step, t: Timeline): Packet | undefined {
  return step.packet === undefined ? undefined : t.packets[step.packet];
}

/** The packet a step shows, unless it is a retransmission: an aside explains a packet where it is first sent. */
export function firstSendingOf(step: Step, t: Timeline): Packet | undefined {
  const p = packetOf(step, t);
  return p?.retransmissionOf === undefined ? p : undefined;
}

/** A step that shows a packet crossing the wire (delivered or lost). */
export function onWire(step: Step): boolean {
  return step.kind === 'transmit' || step.kind === 'drop';
}

/** The TCP payload of a packet: what the application wrote (or a piece of it). */
export function appBytes(p: Packet): Uint8Array {
  return p.frame.subarray(p.layers.tcp?.end ?? p.frame.length);
}

/** The WebSocket frame a packet carries whole, or null. */
export function wsFrameOf(p: Packet): WsFrameRepr | null {
  if (p.app?.kind !== 'ws-frame') return null;
  // The simulator's frames are valid; RSV1 marks a compressed one when deflate=1 (RFC 7692).
  const r = decodeWsFrame(appBytes(p), { deflate: true });
  return r.ok ? r.repr : null;
}

/** WebSocket header length of a frame carried whole by `p` (2-14 bytes, RFC 6455 §5.2). */
export function wsHeaderBytes(p: Packet, f: WsFrameRepr): number {
  return appBytes(p).length - f.payload.length;
}

export function isTextFrame(p: Packet): boolean {
  return p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.text;
}

export function isCloseFrame(p: Packet): boolean {
  return p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.close;
}

export function has(p: Packet, flag: string): boolean {
  return p.tcp.flags.includes(flag);
}

/** First step (1-based) that satisfies `pred`, or undefined. */
export function firstStep(t: Timeline, pred: (s: Step, t: Timeline) => boolean): number | undefined {
  const i = t.steps.findIndex((s) => pred(s, t));
  return i < 0 ? undefined : i + 1;
}

/** First step (1-based) that puts a packet satisfying `pred` on the wire (a transmit step), or undefined. */
export function firstTransmit(t: Timeline, pred: (p: Packet) => boolean): number | undefined {
  return firstStep(t, (s, tl) => {
    const p = packetOf(s, tl);
    return s.kind === 'transmit' && p !== undefined && pred(p);
  });
}

export function firstOfChapter(t: Timeline, chapter: string): number | undefined {
  return firstStep(t, (s) => s.chapter === chapter);
}

/** The step before `step` in its timeline. */
export function previous(step: Step, t: Timeline): Step | undefined {
  return step.index > 0 ? t.steps[step.index - 1] : undefined;
}

/** A host's WebSocket readyState changed to `to` at this step. */
export function wsBecame(step: Step, t: Timeline, host: string, to: string): boolean {
  return step.states[host]?.ws === to && previous(step, t)?.states[host]?.ws !== to;
}

/** The step where one side starts the WebSocket closing handshake (the other side is not closing yet). */
export function startsClosing(step: Step, t: Timeline): boolean {
  if (step.kind !== 'app' || step.host === 'wire' || !wsBecame(step, t, step.host, 'CLOSING')) return false;
  return Object.entries(step.states).every(([host, s]) => host === step.host || s.ws !== 'CLOSING');
}

/** The first client SYN of the run (the one that opened the connection). */
export function firstSyn(t: Timeline): Packet | undefined {
  return t.packets.find((p) => p.from === 'client' && has(p, 'SYN') && !has(p, 'ACK'));
}

export function isPureAck(p: Packet): boolean {
  return p.tcp.len === 0 && !has(p, 'SYN') && !has(p, 'FIN');
}

/** The handshake's third segment: the browser's first pure ACK (Seq = x+1, Ack = y+1). */
export function isHandshakeAck(p: Packet): boolean {
  return (
    p.from === 'client' &&
    isPureAck(p) &&
    p.tcp.relSeq === 1 &&
    p.tcp.relAck === 1 &&
    p.retransmissionOf === undefined
  );
}

/** The first WebSocket frame of the run (either side). */
export function isFirstFrame(p: Packet, t: Timeline): boolean {
  return t.packets.find((q) => q.app?.kind === 'ws-frame')?.id === p.id;
}

/** A FIN sent by the other side whose sequence number this ACK acknowledges (ack = FIN's seq + 1). */
export function finAcked(p: Packet, t: Timeline): Packet | undefined {
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
export function seqPlus(seq: number, n: number): number {
  return (seq + n) >>> 0;
}

export function sameText(p: Packet, text: string): boolean {
  const f = wsFrameOf(p);
  return f !== null && TEXT.decode(f.payload) === text;
}

/** The id of the last packet that any step up to this one concerns. */
export function lastPacketBefore(step: Step, t: Timeline): number | undefined {
  for (let i = step.index; i >= 0; i--) {
    const s = t.steps[i];
    if (s?.packet !== undefined && s.kind === 'transmit') return s.packet;
  }
  return undefined;
}

/**
 * For a duplicate ACK (RFC 5681 §2: a pure ACK repeating the acknowledgment number its sender last sent):
 * how many times that number has been repeated so far (1, 2, 3 …); 0 for any other packet.
 */
export function dupAckNumber(p: Packet, t: Timeline): number {
  if (!isPureAck(p) || !has(p, 'ACK')) return 0;
  let n = 0;
  for (let i = p.id - 1; i >= 0; i--) {
    const q = t.packets[i];
    if (!q || q.from !== p.from || q.connection !== p.connection) continue;
    if (q.tcp.relAck !== p.tcp.relAck) break;
    n++;
    // A segment with data (or a FIN) carrying the same Ack is the original acknowledgment; before it, a
    // pure ACK with that Ack (Linux's quick ACK of the same bytes) is not one of these duplicates.
    // RFC 5681 §2 (e): a duplicate also repeats the last window; after a SYN-ACK (its window is never scaled,
    // RFC 7323 §2.2) the first pure ACK changes the window, so it is not a duplicate yet.
    if (!isPureAck(q)) return has(q, 'SYN') ? n - 1 : n;
  }
  return n;
}

/** A pure ACK right after duplicate ACKs that acknowledges more than one segment's worth. */
export function ackJump(p: Packet, t: Timeline): { from: number; to: number } | undefined {
  if (!isPureAck(p)) return undefined;
  const before = [...t.packets]
    .reverse()
    .find((q) => q.id < p.id && q.from === p.from && q.connection === p.connection);
  if (!before || dupAckNumber(before, t) === 0 || before.tcp.relAck >= p.tcp.relAck) return undefined;
  return { from: before.tcp.relAck, to: p.tcp.relAck };
}

/** The text a WebSocket frame carries (Engine.IO/Socket.IO packets ride in text frames), or undefined. */
export function frameText(p: Packet): string | undefined {
  return p.app?.kind === 'ws-frame' && p.app.opcode === WS_OPCODES.text ? p.app.text : undefined;
}

/** A Socket.IO EVENT (`42…`) in a WebSocket frame. */
export function isSioEventFrame(p: Packet): boolean {
  return /^42/.test(frameText(p) ?? '');
}

export function hostLabel(t: Timeline, id: string): string {
  return t.hosts.find((h) => h.id === id)?.label ?? id;
}

/** The Engine.IO handshake JSON of the `n`-th open packet (`0{…}`) sent to `host`, if any. */
export function openHandshake(t: Timeline, host: string, n = 0): Record<string, unknown> | undefined {
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

export function numberOf(h: Record<string, unknown> | undefined, key: string): number | undefined {
  const v = h?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** The console line a step prints on `host`, if it starts with `prefix`. */
export function consoleLine(step: Step, prefix: string): string | undefined {
  return step.console?.find((c) => c.text.startsWith(prefix))?.text;
}

/** The comparison series a chapter of the compare story demonstrates ('short-polling', 'websocket'…). */
export function seriesOf(step: Step, t: Timeline): ComparisonSeries | undefined {
  return t.comparison?.series.find((s) => s.method === step.chapter);
}

/** The body of an HTTP message a packet carries whole ('' when it has none). */
export function httpBody(p: Packet): string {
  const text = TEXT.decode(appBytes(p));
  const at = text.indexOf('\r\n\r\n');
  return at < 0 ? '' : text.slice(at + 4);
}

/** A lesson's `start`: the step `find` finds, NaN when the timeline has none (yet: state/opening.ts). */
export function startAt(find: (t: Timeline) => number | undefined): (t: Timeline) => number {
  return (t) => find(t) ?? NaN;
}

/** Sequence space a segment takes (RFC 9293 §3.4: its data, plus one for a SYN and one for a FIN). */
function seqSpace(p: Packet): number {
  return p.tcp.len + (has(p, 'SYN') ? 1 : 0) + (has(p, 'FIN') ? 1 : 0);
}

/**
 * When the retransmission timer that expires at `at` was last started by `sender` on `connection`, replaying
 * RFC 6298 §5 over the packets: §5.1 starts it when a segment with data (or a SYN or FIN) leaves and it is
 * not running; §5.2 stops it when an ACK covers everything outstanding; §5.3 restarts it when an ACK
 * acknowledges new data; §5.6 restarts it when a timeout resends a segment. `ack` is the ACK of §5.3, or
 * `send` the segment of §5.1/§5.6, that last started it.
 */
export function rtoStart(
  sender: string,
  connection: number,
  at: number,
  t: Timeline,
): { time: number; ack?: Packet; send?: Packet } | undefined {
  type Ev = { time: number; send?: Packet; ack?: Packet };
  const events: Ev[] = [];
  for (const p of t.packets) {
    if (p.connection !== connection) continue;
    if (p.from === sender && p.sentAt < at) events.push({ time: p.sentAt, send: p });
    if (p.to === sender && !p.lost && has(p, 'ACK') && p.arrivesAt < at)
      events.push({ time: p.arrivesAt, ack: p });
  }
  events.sort((a, b) => a.time - b.time);
  let sndMax = 0;
  let acked = 0;
  let start: { time: number; ack?: Packet; send?: Packet } | undefined;
  for (const e of events) {
    if (e.send) {
      const p = e.send;
      if (seqSpace(p) === 0) continue;
      const running = start !== undefined && acked < sndMax;
      if (!running || p.retransmitReason === 'timeout') start = { time: e.time, send: p };
      sndMax = Math.max(sndMax, p.tcp.relSeq + seqSpace(p));
    } else if (e.ack && e.ack.tcp.relAck > acked) {
      acked = e.ack.tcp.relAck;
      start = acked < sndMax ? { time: e.time, ack: e.ack } : undefined;
    }
  }
  return start;
}
