/**
 * A TCP endpoint (RFC 9293) as a named-state machine. It changes only through explicit events:
 * `openActive`, `listen`, `send`, `close`, `segmentArrives`, `timerFired`; and it puts segments on the
 * wire only in `output`, which the network calls after each event (smoltcp's process/dispatch split).
 * Simulated time is passed in, in nanoseconds; nothing here reads a clock or draws a random number.
 *
 * Choices, with their sources:
 * - Sequence numbers are kept relative to each side's ISN (0 = the SYN) and made absolute (mod 2^32)
 *   only at the wire, so wrap-around needs no care in the logic; streams stay far below 2^31 bytes.
 * - SYN and SYN-ACK carry Linux's options in Linux's order (MSS, SACK_PERM, TS, NOP, WS 7) and window
 *   64240, which RFC 7323 §2.2 says is never scaled; later segments advertise 502 (× 2^7 = 64256 bytes)
 *   and carry NOP, NOP, Timestamps (TSval from the simulated millisecond clock plus a per-connection
 *   offset, as Linux does; TSecr = TS.Recent, RFC 7323 §4.3). SACK is offered, as Linux does, but no SACK
 *   blocks are sent (RFC 2018 makes them optional); loss recovery is NewReno (RFC 6582).
 * - Segment payload is at most the peer's MSS minus the 12 option bytes every segment carries
 *   (RFC 6691): 1448 bytes for MSS 1460, as on a real Linux connection. A segment never carries bytes of
 *   two writes, and the last segment of each write has PSH. The application is assumed to set
 *   TCP_NODELAY (browsers and the `ws` library do), so there is no Nagle delay.
 *
 * ACK POLICY. TCP acknowledges every segment that carries data, a SYN or a FIN as soon as it arrives,
 * with one exception: when something else leaves this endpoint in the same simulated instant (the
 * application's reply, such as the 101 answering the upgrade request, a pong answering a ping, the
 * echo of a close frame; or a FIN), the acknowledgment rides on that segment instead of going alone
 * (piggybacking). An out-of-order or duplicate segment is acknowledged at once (a duplicate ACK,
 * RFC 5681 §4.2). RFC 9293 §3.8.6.3 allows this: it requires an ACK for at least every second full
 * segment and within 0.5 s. Connection events (connected, end of stream) reach the application in the
 * next turn of its event loop, as Node's 'connect' and 'end' do, so the handshake's third ACK and the
 * ACK of a FIN always travel alone: the close is the textbook FIN, ACK, FIN, ACK.
 *
 * - Retransmission timeout per RFC 6298: initial RTO 1 s, SRTT/RTTVAR from RTT samples of segments
 *   sent once (Karn), RTO at least 1 s (§2.4) and at most 60 s, doubled on every expiry (§5.5), 3 s
 *   once data flows if the SYN had to be retransmitted (§5.7). On expiry the earliest unacknowledged
 *   segment is resent, the congestion window drops to one segment (RFC 5681 §3.1), and every
 *   outstanding segment is resent in order as the window reopens (go-back-N, as Linux without SACK).
 * - Congestion control per RFC 5681: initial window 10 segments (RFC 6928, as Linux), slow start,
 *   congestion avoidance, fast retransmit on the third duplicate ACK when later segments are in
 *   flight, fast recovery with NewReno partial acknowledgments (RFC 6582).
 * - Give-up: a SYN is retransmitted at most 6 times, data 15 times (Linux's tcp_syn_retries and
 *   tcp_retries2); then the connection is aborted.
 * - TIME_WAIT lasts 2 × MSL = 60 s (Linux's TCP_TIMEWAIT_LEN); a retransmitted FIN restarts it.
 * - A RST is sent only when the application aborts a connection (abortByUser, RFC 9293 §3.10.5) and in
 *   answer to a segment for a connection it aborted (§3.10.7.1); a received RST aborts the connection.
 */
import { linuxSynOptions, type TcpFlagName, type TcpOption } from '../../protocol/tcp';
import type { TcpStateName, TcpView } from '../types';

const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;

export const TCP_CONSTANTS = {
  /** RFC 7323 §2.2: the window in a SYN is never scaled; Linux offers 64240 (44 × 1460). */
  synWindow: 64240,
  /** Window scale shift both sides offer (Linux's default for a 6 MB receive buffer). */
  windowShift: 7,
  /** What the receiver advertises after the handshake: 502 << 7. Applications read at once, so it never shrinks. */
  receiveWindow: 502 << 7,
  /** NOP, NOP, Timestamps: the option bytes of every segment after the SYNs. */
  timestampOptionBytes: 12,
  /** RFC 6928 / Linux: ten segments. */
  initialCwndSegments: 10,
  initialRtoNs: 1 * NS_PER_S,
  minRtoNs: 1 * NS_PER_S,
  maxRtoNs: 60 * NS_PER_S,
  /** RFC 6298 §5.7. */
  rtoAfterSynLossNs: 3 * NS_PER_S,
  /** Clock granularity G of RFC 6298 §2: the timestamp clock ticks in milliseconds. */
  clockGranularityNs: NS_PER_MS,
  timeWaitNs: 60 * NS_PER_S,
  synRetries: 6,
  dataRetries: 15,
  /** Linux answers a repeated SYN with the SYN-ACK again, but not more often than this. */
  synAckRepeatNs: 500 * NS_PER_MS,
  /** RFC 9293 §3.7.1: the MSS assumed when the peer sends none. */
  defaultMss: 536,
} as const;

/** A segment as it arrives: absolute numbers, as decoded from the wire. */
export interface TcpSegmentIn {
  readonly seq: number;
  readonly ack: number;
  readonly flags: readonly TcpFlagName[];
  readonly window: number;
  readonly options: readonly TcpOption[];
  readonly payload: Uint8Array;
}

/** Which bytes of which application write a segment carries. */
export interface WritePiece {
  readonly tag: unknown;
  /** Offset of the segment's first byte within the write. */
  readonly offset: number;
  /** The write's total length. */
  readonly writeLength: number;
}

/**
 * A segment this endpoint puts on the wire: the fields a segment arrives with (its flags in Wireshark's
 * order: FIN, SYN, RST, PSH, ACK), and what the timeline is told about it.
 */
export interface TcpTransmission extends TcpSegmentIn {
  /** Relative numbers (to this side's ISN and the peer's), as Wireshark shows them. */
  readonly relSeq: number;
  readonly relAck: number;
  readonly piece?: WritePiece;
  /** Packet id of the first transmission of the same bytes. */
  readonly retransmits?: number;
  readonly reason?: 'timeout' | 'fast-retransmit';
}

export type TcpEvent =
  | { readonly kind: 'state'; readonly from: TcpStateName; readonly to: TcpStateName }
  | { readonly kind: 'established' }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  /** The peer's FIN arrived in order: no more data will come. */
  | { readonly kind: 'eof' }
  | { readonly kind: 'aborted'; readonly reason: 'timeout' | 'reset' }
  /** The retransmission timer expired; `packet` is the segment about to be resent. */
  | {
      readonly kind: 'rto';
      readonly packet: number;
      readonly waitedNs: number;
      readonly nextRtoNs: number;
      readonly attempt: number;
    }
  /** The third duplicate ACK for `ack` (relative): `packet` is resent without waiting for the timer. */
  | { readonly kind: 'fast-retransmit'; readonly packet: number; readonly relAck: number };

export type TcpTimerKind = 'rto' | 'time-wait';

export interface TcpEnv {
  /** Put a segment on the wire; returns its packet id. */
  transmit(t: TcpTransmission): number;
  /** (Re)arm the timer of `kind` to fire at `at` (ns), or disarm it with null. */
  setTimer(kind: TcpTimerKind, at: number | null): void;
  event(e: TcpEvent): void;
}

export interface TcpEndpointOptions {
  readonly connection: number;
  readonly localPort: number;
  readonly remotePort: number;
  /** Absolute initial send sequence number (uint32). */
  readonly iss: number;
  /** The MSS this side advertises (its MTU minus 40). */
  readonly mss: number;
  /** Per-connection timestamp offset (uint32), as Linux randomises it. */
  readonly tsOffset: number;
}

/** A segment sent and not yet acknowledged (RFC 9293 §3.8.1 retransmission queue). */
interface Outstanding {
  /** Relative sequence number of its first octet (the SYN is 0). */
  rel: number;
  /** Sequence space: payload + SYN + FIN. */
  len: number;
  syn: boolean;
  fin: boolean;
  psh: boolean;
  payload: Uint8Array;
  piece: WritePiece | undefined;
  firstPacket: number;
  sentAt: number;
  retransmitted: boolean;
  /** Counted in the flight size; false once declared lost and until resent. */
  inFlight: boolean;
  /** Why it must be resent, when it is not in flight. */
  resend: 'timeout' | 'fast-retransmit' | null;
}

/** A segment entering the retransmission queue at `now`, not sent yet. */
function queued(
  now: number,
  rel: number,
  len: number,
  flags: { readonly syn?: boolean; readonly fin?: boolean; readonly psh?: boolean },
  payload: Uint8Array = new Uint8Array(0),
  piece?: WritePiece,
): Outstanding {
  return {
    rel,
    len,
    syn: flags.syn ?? false,
    fin: flags.fin ?? false,
    psh: flags.psh ?? false,
    payload,
    piece,
    firstPacket: -1,
    sentAt: now,
    retransmitted: false,
    inFlight: false,
    resend: null,
  };
}

interface Write {
  readonly data: Uint8Array;
  readonly tag: unknown;
  offset: number;
}

interface OutOfOrder {
  readonly rel: number;
  readonly payload: Uint8Array;
  readonly fin: boolean;
}

/** States in which the peer may still send data (RFC 9293 §3.10.7.4, "seventh, process the segment text"). */
const RECEIVING: ReadonlySet<TcpStateName> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2']);
/** States in which this side may still send data. */
const SENDING: ReadonlySet<TcpStateName> = new Set(['ESTABLISHED', 'CLOSE_WAIT']);

function u32(n: number): number {
  return n >>> 0;
}

/** Wireshark's order of flag names (least significant bit first). */
function flagList(fin: boolean, syn: boolean, psh: boolean, ack: boolean): TcpFlagName[] {
  const out: TcpFlagName[] = [];
  if (fin) out.push('FIN');
  if (syn) out.push('SYN');
  if (psh) out.push('PSH');
  if (ack) out.push('ACK');
  return out;
}

export class TcpEndpoint {
  readonly connection: number;
  readonly localPort: number;
  readonly remotePort: number;
  readonly iss: number;
  readonly advertisedMss: number;
  private readonly tsOffset: number;
  private readonly env: TcpEnv;

  private stateName: TcpStateName = 'CLOSED';
  private passive = false;
  /** Absolute initial receive sequence number, once the peer's SYN is known. */
  irs = 0;

  // Send sequence space, relative to iss (RFC 9293 §3.3.1).
  private sndUna = 0;
  /** Next new sequence number (SND.NXT of RFC 9293; retransmissions reuse older numbers). */
  private sndMax = 0;
  private sndWnd: number = TCP_CONSTANTS.synWindow;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private sndShift = 0;
  private rcvShift = 0;
  private tsOk = false;
  private smss: number;

  // Receive sequence space, relative to irs.
  private rcvNxt = 0;
  private tsRecent = 0;
  private ackPending = false;
  private readonly ooo: OutOfOrder[] = [];

  // Send buffer and retransmission queue.
  private readonly writes: Write[] = [];
  private writeHead = 0;
  private readonly rtx: Outstanding[] = [];
  private rtxHead = 0;
  /** How many queued segments wait to be resent (so `output` scans the queue only when some do). */
  private pendingResends = 0;
  private synQueued = false;
  private finQueued = false;
  private finSent = false;
  private finRel = -1;
  private lastSynAckAt = -Infinity;

  // Congestion control (RFC 5681, RFC 6582) and retransmission timer (RFC 6298).
  private cwnd: number;
  private ssthresh = 0x7fffffff;
  private inFlight = 0;
  private dupAcks = 0;
  private inRecovery = false;
  private recover = 0;
  private srtt: number | null = null;
  private rttvar = 0;
  private rto: number = TCP_CONSTANTS.initialRtoNs;
  private rtoArmed = false;
  private rtoArmedAt = 0;
  private retries = 0;
  private synRetransmitted = false;

  private cachedView: TcpView | null = null;
  /** The application aborted this connection (abortByUser): late segments get a reset. */
  private abortedByUser = false;

  constructor(env: TcpEnv, o: TcpEndpointOptions) {
    this.env = env;
    this.connection = o.connection;
    this.localPort = o.localPort;
    this.remotePort = o.remotePort;
    this.iss = u32(o.iss);
    this.advertisedMss = o.mss;
    this.tsOffset = u32(o.tsOffset);
    this.smss = o.mss - TCP_CONSTANTS.timestampOptionBytes;
    this.cwnd = TCP_CONSTANTS.initialCwndSegments * this.smss;
  }

  get state(): TcpStateName {
    return this.stateName;
  }

  /** Payload bytes per full segment on this connection. */
  get segmentSize(): number {
    return this.smss;
  }

  /** The part of the state the views show; the same object while nothing shown has changed. */
  view(): TcpView {
    const synced =
      this.stateName !== 'CLOSED' && this.stateName !== 'LISTEN' && this.stateName !== 'SYN_SENT';
    const rcvAbs = synced || this.rcvNxt > 0 ? u32(this.irs + this.rcvNxt) : 0;
    const c = this.cachedView;
    if (
      c &&
      c.state === this.stateName &&
      c.relSndNxt === this.sndMax &&
      c.relRcvNxt === this.rcvNxt &&
      c.rcvNxt === rcvAbs
    ) {
      return c;
    }
    this.cachedView = {
      connection: this.connection,
      state: this.stateName,
      sndNxt: u32(this.iss + this.sndMax),
      relSndNxt: this.sndMax,
      rcvNxt: rcvAbs,
      relRcvNxt: this.rcvNxt,
    };
    return this.cachedView;
  }

  // ---- User calls (RFC 9293 §3.10.1 - §3.10.4) ----

  /** Passive OPEN: CLOSED → LISTEN. */
  listen(): void {
    if (this.stateName !== 'CLOSED') return;
    this.passive = true;
    this.setState('LISTEN');
  }

  /** Active OPEN: CLOSED → SYN_SENT; the SYN leaves in the next `output`. */
  openActive(): void {
    if (this.stateName !== 'CLOSED') return;
    this.synQueued = true;
    this.setState('SYN_SENT');
  }

  /** SEND: queue one application write. Data written before ESTABLISHED waits for it. */
  send(data: Uint8Array, tag?: unknown): void {
    if (this.finQueued || this.stateName === 'CLOSED' || this.stateName === 'LISTEN') return;
    if (data.length === 0) return;
    this.writes.push({ data, tag, offset: 0 });
  }

  /**
   * ABORT (RFC 9293 §3.10.5): drop every queued and unacknowledged segment and delete the connection. In
   * SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 and CLOSE-WAIT a reset <SEQ=SND.NXT><CTL=RST> tells the peer
   * (Linux sends it as RST+ACK, with the timestamps option); in the other states nothing is sent.
   */
  abortByUser(now: number): void {
    const tellPeer =
      this.stateName === 'SYN_RECEIVED' ||
      this.stateName === 'ESTABLISHED' ||
      this.stateName === 'FIN_WAIT_1' ||
      this.stateName === 'FIN_WAIT_2' ||
      this.stateName === 'CLOSE_WAIT';
    if (this.stateName === 'CLOSED') return;
    this.abortedByUser = true;
    if (tellPeer) {
      this.env.transmit({
        seq: u32(this.iss + this.sndMax),
        ack: u32(this.irs + this.rcvNxt),
        flags: ['RST', 'ACK'],
        window: this.advertisedWindow(),
        options: this.tsOptions(now),
        payload: new Uint8Array(0),
        relSeq: this.sndMax,
        relAck: this.rcvNxt,
      });
    }
    this.dropConnection();
  }

  /**
   * Delete the connection (RFC 9293 §3.10.5 ABORT, §3.10.7.3 on a reset): every queued, unsent and
   * unacknowledged segment is dropped, the timers stop, and the state is CLOSED.
   */
  private dropConnection(): void {
    this.stopTimers();
    this.writes.length = 0;
    this.writeHead = 0;
    this.rtx.length = 0;
    this.rtxHead = 0;
    this.pendingResends = 0;
    this.synQueued = false;
    this.finQueued = false;
    this.ackPending = false;
    this.setState('CLOSED');
  }

  /** CLOSE: no more data from this side; the FIN follows everything already written. */
  close(): void {
    switch (this.stateName) {
      case 'LISTEN':
      case 'SYN_SENT':
        this.synQueued = false;
        this.setState('CLOSED');
        this.stopTimers();
        return;
      case 'SYN_RECEIVED':
      case 'ESTABLISHED':
        this.finQueued = true;
        this.setState('FIN_WAIT_1');
        return;
      case 'CLOSE_WAIT':
        this.finQueued = true;
        this.setState('LAST_ACK');
        return;
      default:
        return;
    }
  }

  // ---- Segment arrival (RFC 9293 §3.10.7) ----

  segmentArrives(seg: TcpSegmentIn, now: number): void {
    switch (this.stateName) {
      case 'CLOSED':
        if (this.abortedByUser) this.replyReset(seg);
        return;
      case 'LISTEN':
        this.inListen(seg);
        return;
      case 'SYN_SENT':
        this.inSynSent(seg, now);
        return;
      default:
        this.inSynchronized(seg, now);
    }
  }

  /**
   * RFC 9293 §3.10.7.1: a segment for a connection that no longer exists is answered with a reset,
   * unless it is one: <SEQ=SEG.ACK><CTL=RST> when it carries an ACK, else
   * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; as Linux's tcp_v4_send_reset, with no options. Only
   * connections this side aborted do it here: after an orderly close the stories never see a stray
   * segment that needs one.
   */
  private replyReset(seg: TcpSegmentIn): void {
    if (seg.flags.includes('RST')) return;
    const len =
      seg.payload.length + (seg.flags.includes('SYN') ? 1 : 0) + (seg.flags.includes('FIN') ? 1 : 0);
    const withAck = seg.flags.includes('ACK');
    this.env.transmit({
      seq: withAck ? u32(seg.ack) : 0,
      ack: withAck ? 0 : u32(seg.seq + len),
      flags: withAck ? ['RST'] : ['RST', 'ACK'],
      window: 0,
      options: [],
      payload: new Uint8Array(0),
      relSeq: withAck ? u32(seg.ack - this.iss) : 0,
      relAck: withAck ? 0 : u32(seg.seq + len - this.irs),
    });
  }

  private inListen(seg: TcpSegmentIn): void {
    const has = (f: TcpFlagName): boolean => seg.flags.includes(f);
    if (has('RST') || has('ACK') || !has('SYN')) return;
    this.irs = u32(seg.seq);
    this.rcvNxt = 1;
    this.readSynOptions(seg);
    this.sndWnd = seg.window;
    this.sndWl1 = 0;
    this.sndWl2 = 0;
    this.synQueued = true;
    this.setState('SYN_RECEIVED');
  }

  private inSynSent(seg: TcpSegmentIn, now: number): void {
    const has = (f: TcpFlagName): boolean => seg.flags.includes(f);
    const relAck = (seg.ack - this.iss) | 0;
    if (has('ACK') && (relAck <= 0 || relAck > this.sndMax)) return;
    if (has('RST')) {
      if (has('ACK')) this.abort('reset');
      return;
    }
    if (!has('SYN')) return;
    this.irs = u32(seg.seq);
    this.rcvNxt = 1;
    this.readSynOptions(seg);
    if (has('ACK')) {
      this.acknowledge(relAck, now);
      this.sndWnd = seg.window;
      this.sndWl1 = 0;
      this.sndWl2 = relAck;
      if (this.synRetransmitted && this.srtt === null) this.rto = TCP_CONSTANTS.rtoAfterSynLossNs;
      this.ackPending = true;
      this.setState('ESTABLISHED');
      this.env.event({ kind: 'established' });
    } else {
      // Simultaneous open (RFC 9293 §3.5): our SYN is resent as a SYN-ACK.
      this.setState('SYN_RECEIVED');
      const syn = this.rtx[this.rtxHead];
      if (syn && syn.syn && syn.inFlight) {
        syn.inFlight = false;
        this.inFlight -= syn.len;
        syn.resend = 'timeout';
      }
    }
  }

  private inSynchronized(seg: TcpSegmentIn, now: number): void {
    const has = (f: TcpFlagName): boolean => seg.flags.includes(f);
    let rel = (seg.seq - this.irs) | 0;
    let payload = seg.payload;
    let syn = has('SYN');
    const fin = has('FIN');
    const segLen = payload.length + (syn ? 1 : 0) + (fin ? 1 : 0);

    // A repeated SYN while ours is unanswered: the peer lost our SYN-ACK (Linux resends it).
    if (this.stateName === 'SYN_RECEIVED' && syn && !has('ACK') && rel === 0) {
      if (now - this.lastSynAckAt >= TCP_CONSTANTS.synAckRepeatNs) this.queueSynRetransmission();
      return;
    }

    // First, the sequence number: is any of the segment inside the receive window?
    const wnd = TCP_CONSTANTS.receiveWindow;
    const inWindow = (s: number): boolean => s >= this.rcvNxt && s < this.rcvNxt + wnd;
    const acceptable = segLen === 0 ? inWindow(rel) : inWindow(rel) || inWindow(rel + segLen - 1);
    if (!acceptable) {
      if (!has('RST')) this.ackPending = true;
      if (this.stateName === 'TIME_WAIT' && fin) this.armTimeWait(now);
      return;
    }
    this.readTimestamp(seg, rel);
    if (rel < this.rcvNxt) {
      let skip = this.rcvNxt - rel;
      if (syn) {
        syn = false;
        skip--;
      }
      payload = payload.subarray(Math.min(skip, payload.length));
      rel = this.rcvNxt;
    }
    // Second, RST; fourth, SYN (RFC 5961 §4: a challenge ACK); fifth, the ACK field.
    if (has('RST')) {
      this.abort('reset');
      return;
    }
    if (syn) {
      this.ackPending = true;
      return;
    }
    if (!has('ACK')) return;
    const relAck = (seg.ack - this.iss) | 0;

    if (this.stateName === 'SYN_RECEIVED') {
      if (relAck <= this.sndUna || relAck > this.sndMax) return;
      this.acknowledge(relAck, now);
      this.updateWindow(rel, relAck, seg.window);
      this.setState('ESTABLISHED');
      this.env.event({ kind: 'established' });
    } else if (this.stateName === 'TIME_WAIT') {
      this.ackPending = true;
      this.armTimeWait(now);
      return;
    } else {
      if (relAck > this.sndMax) {
        this.ackPending = true;
        return;
      }
      this.processAck(rel, relAck, seg, payload.length, fin, now);
      if (this.finAcked()) {
        if (this.stateName === 'FIN_WAIT_1') this.setState('FIN_WAIT_2');
        else if (this.stateName === 'CLOSING') this.enterTimeWait(now);
        else if (this.stateName === 'LAST_ACK') {
          this.stopTimers();
          this.setState('CLOSED');
          return;
        }
      }
    }

    // Seventh, the segment text; eighth, the FIN.
    if (!RECEIVING.has(this.stateName) || segLen === 0) return;
    if (rel > this.rcvNxt) {
      this.insertOutOfOrder({ rel, payload, fin });
      this.ackPending = true;
      return;
    }
    if (payload.length > 0) {
      this.rcvNxt += payload.length;
      this.env.event({ kind: 'data', bytes: payload });
    }
    this.ackPending = true;
    if (fin && rel + payload.length === this.rcvNxt) this.finArrived(now);
    else this.drainOutOfOrder(now);
  }

  private insertOutOfOrder(s: OutOfOrder): void {
    let i = this.ooo.length;
    while (i > 0 && this.ooo[i - 1]!.rel > s.rel) i--;
    if (this.ooo[i - 1]?.rel === s.rel) return;
    this.ooo.splice(i, 0, s);
  }

  private drainOutOfOrder(now: number): void {
    while (this.ooo.length > 0 && this.ooo[0]!.rel <= this.rcvNxt) {
      const s = this.ooo.shift()!;
      const end = s.rel + s.payload.length;
      if (end > this.rcvNxt) {
        const fresh = s.payload.subarray(this.rcvNxt - s.rel);
        this.rcvNxt = end;
        if (RECEIVING.has(this.stateName)) this.env.event({ kind: 'data', bytes: fresh });
      }
      if (s.fin && end === this.rcvNxt) {
        this.finArrived(now);
        return;
      }
    }
  }

  private finArrived(now: number): void {
    this.rcvNxt += 1;
    this.ackPending = true;
    this.ooo.length = 0;
    this.env.event({ kind: 'eof' });
    switch (this.stateName) {
      case 'SYN_RECEIVED':
      case 'ESTABLISHED':
        this.setState('CLOSE_WAIT');
        break;
      case 'FIN_WAIT_1':
        if (this.finAcked()) this.enterTimeWait(now);
        else this.setState('CLOSING');
        break;
      case 'FIN_WAIT_2':
        this.enterTimeWait(now);
        break;
      default:
        break;
    }
  }

  private readSynOptions(seg: TcpSegmentIn): void {
    let mss: number = TCP_CONSTANTS.defaultMss;
    let peerShift: number | null = null;
    let tsval: number | null = null;
    for (const o of seg.options) {
      if (o.kind === 'mss') mss = o.value;
      else if (o.kind === 'window-scale') peerShift = Math.min(o.shift, 14);
      else if (o.kind === 'timestamps') tsval = o.tsval;
    }
    // RFC 7323 §2.2 / §3.2: scaling and timestamps are used only when both SYNs carry the option.
    if (peerShift !== null) {
      this.sndShift = peerShift;
      this.rcvShift = TCP_CONSTANTS.windowShift;
    }
    this.tsOk = tsval !== null;
    if (tsval !== null) this.tsRecent = tsval;
    this.smss = Math.min(mss, this.advertisedMss) - (this.tsOk ? TCP_CONSTANTS.timestampOptionBytes : 0);
    this.cwnd = TCP_CONSTANTS.initialCwndSegments * this.smss;
  }

  /** RFC 7323 §4.3: remember the peer's TSval from segments at or before the last ACK we sent. */
  private readTimestamp(seg: TcpSegmentIn, rel: number): void {
    if (!this.tsOk || rel > this.rcvNxt) return;
    for (const o of seg.options) if (o.kind === 'timestamps') this.tsRecent = o.tsval;
  }

  private updateWindow(rel: number, relAck: number, window: number): void {
    // RFC 9293 §3.10.7.4: only a segment newer than the last window update may change the window.
    if (this.sndWl1 < rel || (this.sndWl1 === rel && this.sndWl2 <= relAck)) {
      this.sndWnd = window << this.sndShift;
      this.sndWl1 = rel;
      this.sndWl2 = relAck;
    }
  }

  /** The ACK field in ESTABLISHED and later (RFC 9293 §3.10.7.4 fifth; RFC 5681 §3.2; RFC 6582 §3.2). */
  private processAck(
    rel: number,
    relAck: number,
    seg: TcpSegmentIn,
    payloadLength: number,
    fin: boolean,
    now: number,
  ): void {
    if (relAck > this.sndUna) {
      const acked = relAck - this.sndUna;
      this.acknowledge(relAck, now);
      this.dupAcks = 0;
      if (this.inRecovery) {
        if (relAck >= this.recover) {
          // Full acknowledgment: leave fast recovery with the window deflated to ssthresh.
          this.inRecovery = false;
          this.cwnd = Math.min(this.ssthresh, Math.max(this.inFlight, this.smss) + this.smss);
        } else {
          // Partial acknowledgment: the next hole is lost too; resend it at once.
          this.markForResend(this.rtx[this.rtxHead], 'fast-retransmit');
          this.cwnd = Math.max(this.cwnd - acked + (acked >= this.smss ? this.smss : 0), this.smss);
          this.armRto(now);
        }
      } else if (this.cwnd < this.ssthresh) {
        this.cwnd += Math.min(acked, this.smss);
      } else {
        this.cwnd += Math.max(1, Math.floor((this.smss * this.smss) / this.cwnd));
      }
    } else if (
      relAck === this.sndUna &&
      payloadLength === 0 &&
      !fin &&
      this.sndMax > this.sndUna &&
      seg.window << this.sndShift === this.sndWnd
    ) {
      // RFC 5681 §2: a duplicate acknowledgment.
      this.dupAcks++;
      if (this.dupAcks === 3 && !this.inRecovery && this.sndUna > this.recover) {
        const head = this.rtx[this.rtxHead];
        if (head) {
          this.ssthresh = Math.max(Math.floor(this.inFlight / 2), 2 * this.smss);
          this.recover = this.sndMax;
          this.inRecovery = true;
          this.markForResend(head, 'fast-retransmit');
          this.cwnd = this.ssthresh + 3 * this.smss;
          this.env.event({ kind: 'fast-retransmit', packet: head.firstPacket, relAck });
        }
      } else if (this.dupAcks > 3 && this.inRecovery) {
        this.cwnd += this.smss;
      }
    }
    this.updateWindow(rel, relAck, seg.window);
  }

  /** Remove what `relAck` covers from the retransmission queue; RTT sample; timer (RFC 6298 §5.2-5.3). */
  private acknowledge(relAck: number, now: number): void {
    let newest: Outstanding | undefined;
    while (this.rtxHead < this.rtx.length) {
      const o = this.rtx[this.rtxHead]!;
      const end = o.rel + o.len;
      if (end <= relAck) {
        if (o.inFlight) this.inFlight -= o.len;
        if (o.resend !== null) this.pendingResends--;
        newest = o;
        this.rtxHead++;
        continue;
      }
      if (o.rel < relAck) {
        // Partly acknowledged (only after segment boundaries changed): keep the rest.
        const cut = relAck - o.rel;
        if (o.inFlight) this.inFlight -= cut;
        if (o.syn) {
          o.syn = false;
          o.payload = o.payload.subarray(cut - 1);
        } else o.payload = o.payload.subarray(cut);
        if (o.piece) o.piece = { ...o.piece, offset: o.piece.offset + cut };
        o.rel = relAck;
        o.len -= cut;
      }
      break;
    }
    if (this.rtxHead > 64 && this.rtxHead * 2 > this.rtx.length) {
      this.rtx.splice(0, this.rtxHead);
      this.rtxHead = 0;
    }
    this.sndUna = relAck;
    this.retries = 0;
    if (newest && !newest.retransmitted) this.rttSample(now - newest.sentAt);
    if (this.rtxHead >= this.rtx.length) this.disarmRto();
    else this.armRto(now);
  }

  private rttSample(r: number): void {
    if (this.srtt === null) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    const rto = this.srtt + Math.max(TCP_CONSTANTS.clockGranularityNs, 4 * this.rttvar);
    this.rto = Math.round(Math.min(Math.max(rto, TCP_CONSTANTS.minRtoNs), TCP_CONSTANTS.maxRtoNs));
  }

  private finAcked(): boolean {
    return this.finSent && this.sndUna > this.finRel;
  }

  private markForResend(o: Outstanding | undefined, why: 'timeout' | 'fast-retransmit'): void {
    if (!o) return;
    if (o.inFlight) {
      o.inFlight = false;
      this.inFlight -= o.len;
    }
    if (o.resend === null) this.pendingResends++;
    o.resend = why;
  }

  private queueSynRetransmission(): void {
    const syn = this.rtx[this.rtxHead];
    if (syn && syn.syn) this.markForResend(syn, 'timeout');
  }

  // ---- Timers ----

  timerFired(kind: TcpTimerKind, now: number): void {
    if (kind === 'time-wait') {
      if (this.stateName === 'TIME_WAIT') this.setState('CLOSED');
      return;
    }
    this.rtoArmed = false;
    const head = this.rtx[this.rtxHead];
    if (!head || this.stateName === 'CLOSED' || this.stateName === 'TIME_WAIT') return;
    this.retries++;
    const limit = head.syn ? TCP_CONSTANTS.synRetries : TCP_CONSTANTS.dataRetries;
    if (this.retries > limit) {
      this.abort('timeout');
      return;
    }
    const waited = now - this.rtoArmedAt;
    // RFC 5681 §3.1 (equation 4) and RFC 6298 §5.5-5.6.
    if (!head.syn) {
      this.ssthresh = Math.max(Math.floor(this.inFlight / 2), 2 * this.smss);
      this.cwnd = this.smss;
    }
    for (let i = this.rtxHead; i < this.rtx.length; i++) this.markForResend(this.rtx[i], 'timeout');
    this.inRecovery = false;
    this.recover = this.sndMax;
    this.dupAcks = 0;
    this.rto = Math.min(this.rto * 2, TCP_CONSTANTS.maxRtoNs);
    if (head.syn) this.synRetransmitted = true;
    this.env.event({
      kind: 'rto',
      packet: head.firstPacket,
      waitedNs: waited,
      nextRtoNs: this.rto,
      attempt: this.retries,
    });
  }

  private armRto(now: number): void {
    this.rtoArmed = true;
    this.rtoArmedAt = now;
    this.env.setTimer('rto', now + this.rto);
  }

  private disarmRto(): void {
    if (!this.rtoArmed) return;
    this.rtoArmed = false;
    this.env.setTimer('rto', null);
  }

  private armTimeWait(now: number): void {
    this.env.setTimer('time-wait', now + TCP_CONSTANTS.timeWaitNs);
  }

  private enterTimeWait(now: number): void {
    this.disarmRto();
    this.setState('TIME_WAIT');
    this.armTimeWait(now);
  }

  private stopTimers(): void {
    this.disarmRto();
    this.env.setTimer('time-wait', null);
  }

  private abort(reason: 'timeout' | 'reset'): void {
    this.dropConnection();
    this.env.event({ kind: 'aborted', reason });
  }

  private setState(to: TcpStateName): void {
    const from = this.stateName;
    if (from === to) return;
    this.stateName = to;
    this.env.event({ kind: 'state', from, to });
  }

  // ---- Output: everything this endpoint sends leaves here ----

  /** Send what is due now: retransmissions, new data the windows allow, the FIN, a pending ACK. */
  output(now: number): void {
    if (this.stateName === 'CLOSED' || this.stateName === 'LISTEN') return;
    if (this.synQueued) {
      this.synQueued = false;
      const o = queued(now, 0, 1, { syn: true });
      this.rtx.push(o);
      this.sndMax = Math.max(this.sndMax, 1);
      this.transmitOutstanding(o, now, false);
    }
    const window = (): number => Math.min(this.cwnd, this.sndWnd);
    // Resend what was declared lost, in order, as the window allows (always at least one segment).
    for (let i = this.rtxHead; this.pendingResends > 0 && i < this.rtx.length; i++) {
      const o = this.rtx[i]!;
      if (o.inFlight || o.resend === null) continue;
      if (o.resend === 'timeout' && this.inFlight > 0 && this.inFlight + o.len > window()) break;
      this.transmitOutstanding(o, now, true);
    }
    // New data.
    if (SENDING.has(this.stateName) || this.finQueued) {
      while (this.writeHead < this.writes.length && this.stateName !== 'SYN_SENT') {
        if (this.stateName === 'SYN_RECEIVED') break;
        const w = this.writes[this.writeHead]!;
        const len = Math.min(this.smss, w.data.length - w.offset);
        if (this.inFlight > 0 && this.inFlight + len > window()) break;
        const endOfWrite = w.offset + len === w.data.length;
        const last = endOfWrite && this.writeHead === this.writes.length - 1;
        const withFin = last && this.finQueued && !this.finSent;
        const o = queued(
          now,
          this.sndMax,
          len + (withFin ? 1 : 0),
          { fin: withFin, psh: endOfWrite },
          w.data.subarray(w.offset, w.offset + len),
          { tag: w.tag, offset: w.offset, writeLength: w.data.length },
        );
        w.offset += len;
        if (endOfWrite) this.writeHead++;
        if (withFin) {
          this.finSent = true;
          this.finRel = o.rel + len;
        }
        this.sndMax += o.len;
        this.rtx.push(o);
        this.transmitOutstanding(o, now, false);
      }
      if (this.writeHead >= this.writes.length && this.writes.length > 0) {
        this.writes.length = 0;
        this.writeHead = 0;
      }
    }
    const finState =
      this.stateName === 'FIN_WAIT_1' || this.stateName === 'LAST_ACK' || this.stateName === 'CLOSING';
    if (this.finQueued && !this.finSent && finState && this.writeHead >= this.writes.length) {
      const o = queued(now, this.sndMax, 1, { fin: true });
      this.finSent = true;
      this.finRel = o.rel;
      this.sndMax += 1;
      this.rtx.push(o);
      this.transmitOutstanding(o, now, false);
    }
    if (this.ackPending && this.stateName !== 'SYN_SENT') this.transmitPureAck(now);
  }

  private tsOptions(now: number): TcpOption[] {
    if (!this.tsOk) return [];
    return [
      { kind: 'nop' },
      { kind: 'nop' },
      { kind: 'timestamps', tsval: this.tsval(now), tsecr: this.tsRecent },
    ];
  }

  private tsval(now: number): number {
    return u32(this.tsOffset + Math.floor(now / NS_PER_MS));
  }

  private advertisedWindow(): number {
    return Math.min(TCP_CONSTANTS.receiveWindow >> this.rcvShift, 0xffff);
  }

  private transmitOutstanding(o: Outstanding, now: number, again: boolean): void {
    const ack = o.syn ? this.passive || this.stateName === 'SYN_RECEIVED' : true;
    const flags = flagList(o.fin, o.syn, o.psh, ack);
    const options = o.syn
      ? linuxSynOptions(
          this.advertisedMss,
          this.tsval(now),
          ack ? this.tsRecent : 0,
          TCP_CONSTANTS.windowShift,
        )
      : this.tsOptions(now);
    const reason = o.resend ?? undefined;
    const packet = this.env.transmit({
      seq: u32(this.iss + o.rel),
      ack: ack ? u32(this.irs + this.rcvNxt) : 0,
      flags,
      window: o.syn ? TCP_CONSTANTS.synWindow : this.advertisedWindow(),
      options,
      payload: o.payload,
      relSeq: o.rel,
      relAck: ack ? this.rcvNxt : 0,
      ...(o.piece ? { piece: o.piece } : {}),
      ...(again ? { retransmits: o.firstPacket, reason: reason ?? 'timeout' } : {}),
    });
    if (o.syn && ack) this.lastSynAckAt = now;
    if (o.resend !== null) this.pendingResends--;
    if (again) o.retransmitted = true;
    else o.firstPacket = packet;
    o.sentAt = now;
    o.resend = null;
    o.inFlight = true;
    this.inFlight += o.len;
    if (ack) this.ackPending = false;
    if (!this.rtoArmed) this.armRto(now);
  }

  private transmitPureAck(now: number): void {
    this.ackPending = false;
    this.env.transmit({
      seq: u32(this.iss + this.sndMax),
      ack: u32(this.irs + this.rcvNxt),
      flags: ['ACK'],
      window: this.advertisedWindow(),
      options: this.tsOptions(now),
      payload: new Uint8Array(0),
      relSeq: this.sndMax,
      relAck: this.rcvNxt,
    });
  }
}
