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
 *   64240 (the SYN-ACK 65160: a multiple of 1448 once timestamps are on), which RFC 7323 §2.2 says is never
 *   scaled; later segments advertise that window rounded up to the scale: 502 and 510 (× 2^7 = 64256 and
 *   65280 bytes). Applications read at once, so the window never shrinks
 *   and carry NOP, NOP, Timestamps (TSval from the simulated millisecond clock plus a per-connection
 *   offset, as Linux does; TSecr = TS.Recent, RFC 7323 §4.3).
 * - Segment payload is at most the peer's MSS minus the 12 option bytes every segment carries
 *   (RFC 6691): 1448 bytes for MSS 1460, as on a real Linux connection. A segment never carries bytes of
 *   two writes, and the last segment of each write has PSH. The application is assumed to set
 *   TCP_NODELAY (browsers and the `ws` library do), so there is no Nagle delay.
 *
 * ACK POLICY: Linux's, within what RFC 9293 §3.8.6.3 and RFC 5681 §4.2 require (an ACK for at least every
 * second full-sized segment, and within 500 ms). Sources: tcp_input.c (tcp_event_data_recv,
 * tcp_incr_quickack, __tcp_ack_snd_check, tcp_fin), tcp.c (tcp_cleanup_rbuf), tcp_output.c
 * (tcp_event_data_sent, tcp_send_delayed_ack), tcp_timer.c (tcp_delack_timer_handler), and the reference
 * capture chromium-ws.pcap (Chromium 156 and ws 8 across a Linux router), whose pattern a unit test
 * replays (tests/sim/tcp-linux.test.ts).
 * - The first data a connection receives starts quick-ACK mode: up to 16 segments (TCP_MAX_QUICKACKS) are
 *   acknowledged at once, so the sender's window opens fast; again after a silence longer than the RTO.
 * - A side that sends data within the ATO (40 ms) of the last data it received is answering: it enters
 *   ping-pong mode (net.ipv4.tcp_pingpong_thresh = 1), and its ACKs wait to ride on the answers.
 * - Otherwise an ACK goes at once when more than one full segment is unacknowledged, in quick-ACK mode,
 *   or when the program reads a short (pushed) segment outside ping-pong mode, or a second one in it; else
 *   the delayed-ACK timer runs (40 ms, TCP_DELACK_MIN: with this network's 10 ms round trip the ATO never
 *   leaves it) and any segment this side sends first carries the ACK. The timer firing in ping-pong mode
 *   ends that mode. The kernel's immediate ACK leaves before the program wakes to read (the network runs
 *   `output` before handing data up), as in chromium-ws.pcap frames 14-16 (GET, ACK, 101).
 * - An out-of-order segment is acknowledged at once (a duplicate ACK, RFC 5681 §4.2), as is a segment
 *   filling a gap; Linux sends the first three duplicate ACKs at once and may then coalesce more for up to
 *   1 ms (tcp_comp_sack_*), which the simulation does not model: it sends every one.
 * - A FIN received in ESTABLISHED also enters ping-pong mode (tcp_fin), so its ACK waits for the program's
 *   own FIN to carry it: the goodbye takes three segments (FIN, FIN+ACK, ACK: chromium-ws.pcap frames
 *   33-35) when the program closes within 40 ms, four when it does not. A FIN received in FIN-WAIT-1/2 is
 *   acknowledged at once.
 * - Connection events (connected, end of stream) reach the application in the next turn of its event
 *   loop, as Node's 'connect' and 'end' do; the handshake's third ACK goes at once
 *   (tcp_rcv_synsent_state_process).
 *
 * - SACK (RFC 2018): both SYNs offer SACK_PERM (Linux's options); when both did, an ACK sent while data
 *   is missing carries up to 3 SACK blocks (NOP, NOP, SACK after the timestamps, as Linux's
 *   tcp_options_write; the block holding the newest segment first, RFC 2018 §4). A data segment carries
 *   them only if they fit in the MSS (Linux would shrink the segment; the simulation leaves them off). The
 *   sender marks SACKed segments (tcp_sacktag_write_queue): they leave the flight and are never resent;
 *   in fast recovery it resends only the holes below the highest SACKed segment, each once per recovery
 *   (RFC 6675, Linux's tcp_mark_head_lost), with cwnd = ssthresh. Without SACK, recovery is NewReno
 *   (RFC 6582).
 * - Retransmission timeout per RFC 6298: initial RTO 1 s, SRTT/RTTVAR from RTT samples of segments
 *   sent once (Karn), RTO at least 1 s (§2.4) and at most 60 s, doubled on every expiry (§5.5), 3 s
 *   once data flows if the SYN had to be retransmitted (§5.7). On expiry the earliest unacknowledged
 *   segment is resent, the congestion window drops to one segment (RFC 5681 §3.1), and every
 *   outstanding segment not SACKed is resent in order as the window reopens.
 * - Congestion control per RFC 5681: initial window 10 segments (RFC 6928, as Linux), slow start,
 *   congestion avoidance, fast retransmit on the third duplicate ACK when later segments are in
 *   flight.
 * - Give-up: a SYN is retransmitted at most 6 times, data 15 times (Linux's tcp_syn_retries and
 *   tcp_retries2); then the connection is aborted.
 * - TIME_WAIT lasts 60 s, Linux's fixed TCP_TIMEWAIT_LEN (include/net/tcp.h); RFC 9293 §3.4.2 asks for
 *   2 × MSL with MSL = 2 minutes (4 minutes). A retransmitted FIN restarts it.
 * - RST: a segment reaching a connection that does not exist (CLOSED, or no socket at all: the network
 *   answers through a CLOSED endpoint) gets a reset per RFC 9293 §3.10.7.1, as Linux's tcp_v4_send_reset;
 *   an application's ABORT sends one too (§3.10.5); a received RST in the window aborts the connection.
 */
import { linuxSynOptions, type SackBlock, type TcpFlagName, type TcpOption } from '../../protocol/tcp';
import type { AckReason, TcpStateName, TcpView } from '../types';

const NS_PER_MS = 1_000_000;

/** The largest multiple of `mss` that fits a SYN's 16-bit window (tcp_select_initial_window). */
function synWindowFor(mss: number): number {
  return Math.floor(0xffff / mss) * mss;
}
const NS_PER_S = 1_000_000_000;

export const TCP_CONSTANTS = {
  /**
   * RFC 7323 §2.2: the window in a SYN is never scaled. Linux offers the largest multiple of the MSS it
   * will receive that fits 16 bits (tcp_select_initial_window, net/ipv4/tcp_output.c): 64240 = 44 × 1460 in a
   * SYN; in a SYN-ACK answering a SYN with timestamps, 65160 = 45 × 1448 (tcp_openreq_init_rwin takes the 12
   * timestamp bytes off the MSS; chromium-ws.pcap frames 1 and 2).
   */
  maxSynWindow: 0xffff,
  /** Window scale shift both sides offer (Linux's default for a 6 MB receive buffer). */
  windowShift: 7,
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
  /**
   * Linux's TIME_WAIT length, TCP_TIMEWAIT_LEN (include/net/tcp.h: 60 * HZ), fixed; RFC 9293 §3.4.2
   * asks for 2 × MSL with MSL = 2 minutes, i.e. 4 minutes.
   */
  timeWaitNs: 60 * NS_PER_S,
  /**
   * Linux's delayed-ACK timeout: the ATO starts at TCP_ATO_MIN = TCP_DELACK_MIN = HZ/25 = 40 ms
   * (include/net/tcp.h) and tcp_send_delayed_ack (tcp_output.c) bounds it by the smoothed RTT but never
   * below 40 ms; with this network's 10 ms round trip it is always 40 ms. RFC 9293 §3.8.6.3 / RFC 5681
   * §4.2 only require it to be under 500 ms.
   */
  delackNs: 40 * NS_PER_MS,
  /** Linux's TCP_MAX_QUICKACKS (include/net/tcp.h): at most 16 quick ACKs at a time. */
  maxQuickAcks: 16,
  /** Linux's TCP_MSS_DEFAULT, the receiver's first guess of the peer's segment size (tcp_initialize_rcv_mss). */
  initialRcvMss: 536,
  synRetries: 6,
  dataRetries: 15,
  /** Linux answers a repeated SYN with the SYN-ACK again, but not more often than this. */
  synAckRepeatNs: 500 * NS_PER_MS,
  /** RFC 9293 §3.7.1: the MSS assumed when the peer sends none. */
  defaultMss: 536,
  /** Linux's TCP_RESOURCE_PROBE_INTERVAL (include/net/tcp.h: HZ/2): the retry when a resend cannot go yet. */
  resourceProbeNs: 500 * NS_PER_MS,
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
  /** A pure ACK: why it left when it did (Linux's rules, see ACK POLICY). */
  readonly ackWhy?: AckReason;
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
  /**
   * The retransmission timer expired while `packet` (the segment to resend) had not left the host yet (it
   * waits for ARP): no copy is sent, the timer looks again in `retryNs` (tcp_timer.c, local congestion).
   */
  | { readonly kind: 'rto-busy'; readonly packet: number; readonly retryNs: number }
  /** The third duplicate ACK for `ack` (relative): `packet` is resent without waiting for the timer. */
  | { readonly kind: 'fast-retransmit'; readonly packet: number; readonly relAck: number };

export type TcpTimerKind = 'rto' | 'time-wait' | 'delack';

export interface TcpEnv {
  /** Put a segment on the wire; returns its packet id. */
  transmit(t: TcpTransmission): number;
  /**
   * True while packet `id` is still in the sending host (waiting for ARP or the card): a retransmission
   * would only queue a copy behind it (tcp_output.c skb_still_in_host_queue). Absent: never.
   */
  stillInHost?(id: number): boolean;
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
  /** The packet that carried it last (the first, or the latest copy). */
  lastPacket: number;
  sentAt: number;
  retransmitted: boolean;
  /** The peer reported it in a SACK block (RFC 2018): it arrived; never resent. */
  sacked: boolean;
  /** The recovery (`recoveryEpoch`) in which it was last resent. */
  resentInRecovery: number;
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
    lastPacket: -1,
    sentAt: now,
    retransmitted: false,
    sacked: false,
    resentInRecovery: -1,
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
  /** Arrival order, for the order of SACK blocks (RFC 2018 §4: the newest first). */
  readonly arrival: number;
}

/** States in which the peer may still send data (RFC 9293 §3.10.7.4, "seventh, process the segment text"). */
const RECEIVING: ReadonlySet<TcpStateName> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2']);
/** States in which this side may still send data. */
const SENDING: ReadonlySet<TcpStateName> = new Set(['ESTABLISHED', 'CLOSE_WAIT']);

/** RFC 9293 §3.10.7.4: whether sequence number `s` (relative) falls in the window [lo, lo + wnd). */
function inWindow(s: number, lo: number, wnd: number): boolean {
  return s >= lo && s < lo + wnd;
}

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
  private sndWnd: number = TCP_CONSTANTS.maxSynWindow;
  /** The window this side's SYN (or SYN-ACK) offers, unscaled (TCP_CONSTANTS.maxSynWindow). */
  private synWindow: number;
  /** What this side advertises after the handshake, in bytes: its SYN window rounded up to the scale. */
  private receiveWindow: number;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private sndShift = 0;
  private rcvShift = 0;
  private tsOk = false;
  /** Both SYNs carried SACK-permitted (RFC 2018 §2): SACK blocks may be sent and are read. */
  private sackOk = false;
  private oooArrivals = 0;
  private smss: number;

  // Receive sequence space, relative to irs.
  private rcvNxt = 0;
  private tsRecent = 0;
  private readonly ooo: OutOfOrder[] = [];

  // Acknowledgments as Linux sends them (tcp_input.c tcp_event_data_recv, __tcp_ack_snd_check;
  // tcp_output.c tcp_send_delayed_ack, tcp_event_data_sent; tcp_timer.c tcp_delack_timer_handler).
  /** An ACK must leave in the next `output` (Linux's ICSK_ACK_NOW, or a decision to send at once). */
  private ackNow = false;
  /** Why `ackNow` was set. */
  private ackWhy: AckReason = 'unacceptable';
  /** Received data or a FIN not acknowledged yet (ICSK_ACK_SCHED); any segment sent carries the ACK. */
  private ackScheduled = false;
  /** When the delayed-ACK timer fires, or null. */
  private delackAt: number | null = null;
  /** The first data arrived (Linux initialises the ATO then: `if (!icsk->icsk_ack.ato)`). */
  private ackEngineStarted = false;
  /** Quick ACKs left (icsk_ack.quick): each segment is acknowledged at once while not in ping-pong mode. */
  private quick = 0;
  /** Interactive ("ping-pong") mode: this side answers what it receives, so its ACKs wait to ride on answers. */
  private pingpong = false;
  /** When data last arrived (icsk_ack.lrcvtime). */
  private lastDataAt = 0;
  /** The receiver's estimate of the peer's full segment size (icsk_ack.rcv_mss, tcp_measure_rcv_mss). */
  private rcvMss: number = TCP_CONSTANTS.initialRcvMss;
  /** Short (pushed) segments since the last ACK: 0, 1 (ICSK_ACK_PUSHED) or 2 (ICSK_ACK_PUSHED2). */
  private pushed = 0;
  /** RCV.NXT when the last segment left (tp->rcv_wup): what the peer knows we have. */
  private rcvWup = 0;

  // Send buffer and retransmission queue.
  private readonly writes: Write[] = [];
  private writeHead = 0;
  private readonly rtx: Outstanding[] = [];
  private rtxHead = 0;
  /** How many queued segments wait to be resent (so `output` scans the queue only when some do). */
  private pendingResends = 0;
  private synQueued = false;
  private finQueued = false;
  /** The program closed its socket (not only its sending side): later data is answered with a reset. */
  private orphaned = false;
  private finSent = false;
  private finRel = -1;
  private lastSynAckAt = -Infinity;

  // Congestion control (RFC 5681, RFC 6582) and retransmission timer (RFC 6298).
  private cwnd: number;
  private ssthresh = 0x7fffffff;
  private inFlight = 0;
  private dupAcks = 0;
  private inRecovery = false;
  /** Counts fast recoveries and timeouts, so a hole is resent once in each. */
  private recoveryEpoch = 0;
  private recover = 0;
  private srtt: number | null = null;
  private rttvar = 0;
  private rto: number = TCP_CONSTANTS.initialRtoNs;
  private rtoArmed = false;
  private rtoArmedAt = 0;
  private retries = 0;
  private synRetransmitted = false;

  private cachedView: TcpView | null = null;

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
    this.synWindow = synWindowFor(o.mss);
    this.receiveWindow = this.synWindow;
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
    this.ackNow = false;
    this.ackScheduled = false;
    this.setState('CLOSED');
  }

  /**
   * The program closes its socket (Node's socket.destroy(), a browser dropping a connection): Linux's
   * tcp_close sends a FIN after what was written, as CLOSE does, and a RST instead only when received data
   * is still unread (RFC 1122 §4.2.2.13, RFC 2525 §2.17); the simulated programs read everything at once,
   * so it is always the FIN. Data that arrives afterwards has no reader and is answered with a reset
   * (tcp_rcv_state_process, FIN_WAIT1/2 with RCV_SHUTDOWN, net/ipv4/tcp_input.c).
   */
  closeByProgram(): void {
    this.orphaned = true;
    this.close();
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
        this.replyReset(seg);
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
   * RFC 9293 §3.10.7.1: a segment for a connection that does not exist (CLOSED: never opened, closed,
   * aborted, or out of TIME_WAIT) is answered with a reset, unless it is one: <SEQ=SEG.ACK><CTL=RST> when
   * it carries an ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; as Linux's tcp_v4_send_reset
   * (tcp_ipv4.c), with no options and window 0.
   */
  replyReset(seg: TcpSegmentIn): void {
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
    if (seg.flags.includes('RST') || seg.flags.includes('ACK') || !seg.flags.includes('SYN')) return;
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
    const relAck = (seg.ack - this.iss) | 0;
    if (seg.flags.includes('ACK') && (relAck <= 0 || relAck > this.sndMax)) return;
    if (seg.flags.includes('RST')) {
      if (seg.flags.includes('ACK')) this.abort('reset');
      return;
    }
    if (!seg.flags.includes('SYN')) return;
    this.irs = u32(seg.seq);
    this.rcvNxt = 1;
    this.readSynOptions(seg);
    if (seg.flags.includes('ACK')) {
      this.acknowledge(relAck, now);
      this.sndWnd = seg.window;
      this.sndWl1 = 0;
      this.sndWl2 = relAck;
      if (this.synRetransmitted && this.srtt === null) this.rto = TCP_CONSTANTS.rtoAfterSynLossNs;
      // tcp_rcv_synsent_state_process: the third ACK of the handshake goes at once.
      this.ackAtOnce('handshake');
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
    let rel = (seg.seq - this.irs) | 0;
    let payload = seg.payload;
    let syn = seg.flags.includes('SYN');
    const fin = seg.flags.includes('FIN');
    const segLen = payload.length + (syn ? 1 : 0) + (fin ? 1 : 0);

    // A repeated SYN while ours is unanswered: the peer lost our SYN-ACK (Linux resends it).
    if (this.stateName === 'SYN_RECEIVED' && syn && !seg.flags.includes('ACK') && rel === 0) {
      if (now - this.lastSynAckAt >= TCP_CONSTANTS.synAckRepeatNs) this.queueSynRetransmission();
      return;
    }

    // First, the sequence number: is any of the segment inside the receive window?
    const wnd = this.receiveWindow;
    const lo = this.rcvNxt;
    const acceptable =
      segLen === 0 ? inWindow(rel, lo, wnd) : inWindow(rel, lo, wnd) || inWindow(rel + segLen - 1, lo, wnd);
    if (!acceptable) {
      // RFC 9293 §3.10.7.4 first: an unacceptable segment is answered with an ACK (unless it is a reset).
      // Linux's tcp_send_dupack (tcp_input.c) also enters quick-ACK mode when old data came again: its
      // earlier ACK was lost or late.
      if (!seg.flags.includes('RST')) this.ackAtOnce('unacceptable');
      if (payload.length > 0 && rel < this.rcvNxt) this.enterQuickAck();
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
    if (seg.flags.includes('RST')) {
      this.abort('reset');
      return;
    }
    if (syn) {
      this.ackAtOnce('unacceptable');
      return;
    }
    if (!seg.flags.includes('ACK')) return;
    const relAck = (seg.ack - this.iss) | 0;

    if (this.stateName === 'SYN_RECEIVED') {
      if (relAck <= this.sndUna || relAck > this.sndMax) return;
      this.acknowledge(relAck, now);
      this.updateWindow(rel, relAck, seg.window);
      this.setState('ESTABLISHED');
      this.env.event({ kind: 'established' });
    } else if (this.stateName === 'TIME_WAIT') {
      // RFC 9293 §3.10.7.4: only a retransmission of the peer's FIN can arrive here; acknowledge it and
      // restart the timer. An in-window bare ACK gets no answer (Linux's tcp_timewait_state_process
      // restarts the timer for it, as here).
      if (fin) this.ackAtOnce('time-wait');
      this.armTimeWait(now);
      return;
    } else {
      if (relAck > this.sndMax) {
        this.ackAtOnce('unacceptable');
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

    // RFC 1122 §4.2.2.13: new data for a program that closed its socket is lost, and a reset says so
    // (Linux's tcp_rcv_state_process in FIN_WAIT1/2 with RCV_SHUTDOWN: tcp_reset, then tcp_v4_send_reset).
    if (
      this.orphaned &&
      (this.stateName === 'FIN_WAIT_1' || this.stateName === 'FIN_WAIT_2') &&
      payload.length > 0 &&
      rel + payload.length > this.rcvNxt
    ) {
      this.replyReset(seg);
      this.dropConnection();
      return;
    }
    // Seventh, the segment text; eighth, the FIN.
    if (!RECEIVING.has(this.stateName) || segLen === 0) return;
    if (rel > this.rcvNxt) {
      this.insertOutOfOrder({ rel, payload, fin, arrival: ++this.oooArrivals });
      // RFC 5681 §4.2: an out-of-order segment is acknowledged at once (a duplicate ACK).
      this.ackScheduled = true;
      this.ackAtOnce('out-of-order');
      return;
    }
    const hadHoles = this.ooo.length > 0;
    if (payload.length > 0) {
      this.dataReceived(payload.length, now);
      this.rcvNxt += payload.length;
      this.env.event({ kind: 'data', bytes: payload });
    }
    this.ackScheduled = true;
    if (fin && rel + payload.length === this.rcvNxt) this.finArrived(now);
    else this.drainOutOfOrder(now);
    // RFC 5681 §4.2: a segment that fills all or part of a gap is acknowledged at once (Linux:
    // tcp_data_queue sets ICSK_ACK_NOW, __tcp_ack_snd_check sends while the out-of-order queue is not empty).
    if (hadHoles) this.ackAtOnce('gap-filled');
    this.ackCheck(now);
  }

  /**
   * Linux's tcp_measure_rcv_mss and tcp_event_data_recv (tcp_input.c) for an in-order segment of `len`
   * bytes: the estimate of a full segment grows to the largest seen; a shorter one is "pushed" (the end of
   * a write, PSH); the first data starts the delayed-ACK engine with quick ACKs, and so does data after a
   * silence longer than the RTO.
   */
  private dataReceived(len: number, now: number): void {
    if (len >= this.rcvMss) this.rcvMss = Math.min(len, this.advertisedMss);
    else this.pushed = this.pushed > 0 ? 2 : 1;
    if (!this.ackEngineStarted) {
      this.ackEngineStarted = true;
      this.incrQuickAck();
    } else if (now - this.lastDataAt > this.rto) this.incrQuickAck();
    this.lastDataAt = now;
  }

  /** tcp_incr_quickack: up to receive window / (2 × rcv_mss) quick ACKs, at least 2, at most 16. */
  private incrQuickAck(): void {
    const n = Math.floor(this.receiveWindow / (2 * this.rcvMss)) || 2;
    this.quick = Math.max(this.quick, Math.min(n, TCP_CONSTANTS.maxQuickAcks));
  }

  /** tcp_enter_quickack_mode: quick ACKs again, and out of ping-pong mode. */
  private enterQuickAck(): void {
    this.incrQuickAck();
    this.pingpong = false;
  }

  /**
   * Send the owed ACK now, or let it wait, as Linux's __tcp_ack_snd_check (tcp_input.c) and
   * tcp_cleanup_rbuf (tcp.c; the simulated applications read what arrives at once) decide: at once when
   * more than one full segment is unacknowledged ("ACK every second full-sized segment", RFC 5681 §4.2),
   * in quick-ACK mode, or when the application read a short segment outside ping-pong mode, or a second
   * short one in it; otherwise the delayed-ACK timer (40 ms) runs, and whatever this side sends first
   * carries the ACK.
   */
  private ackCheck(now: number): void {
    if (!this.ackScheduled || this.ackNow) return;
    if (
      this.rcvNxt - this.rcvWup > this.rcvMss ||
      (this.quick > 0 && !this.pingpong) ||
      this.pushed === 2 ||
      (this.pushed === 1 && !this.pingpong)
    ) {
      this.ackAtOnce(
        this.rcvNxt - this.rcvWup > this.rcvMss
          ? 'two-full-segments'
          : this.quick > 0 && !this.pingpong
            ? 'quick'
            : 'short-read',
      );
      return;
    }
    if (this.delackAt !== null) {
      // tcp_send_delayed_ack: "If delack timer is about to expire, send ACK now."
      if (this.delackAt - now <= TCP_CONSTANTS.delackNs / 4) this.ackAtOnce('delayed');
      return;
    }
    this.delackAt = now + TCP_CONSTANTS.delackNs;
    this.env.setTimer('delack', this.delackAt);
  }

  /** Send the ACK in the next `output`, for `why` (told with the packet, for the narration). */
  private ackAtOnce(why: AckReason): void {
    if (!this.ackNow) this.ackWhy = why;
    this.ackNow = true;
  }

  /** A segment carrying the ACK of everything received left (tcp_event_ack_sent, tcp_select_window). */
  private ackSent(): void {
    if (this.ackScheduled && this.quick > 0) this.quick--;
    this.ackScheduled = false;
    this.ackNow = false;
    this.pushed = 0;
    this.rcvWup = this.rcvNxt;
    if (this.delackAt !== null) {
      this.delackAt = null;
      this.env.setTimer('delack', null);
    }
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

  /**
   * The peer's FIN, in order (RFC 9293 §3.10.7.4 eighth). Its ACK as Linux's tcp_fin (tcp_input.c) sends
   * it: in ESTABLISHED the connection enters ping-pong mode, so the ACK waits (up to the 40 ms delayed-ACK
   * timer) for the application's own FIN to carry it; in FIN-WAIT-1 and FIN-WAIT-2 it goes at once.
   */
  private finArrived(now: number): void {
    this.rcvNxt += 1;
    this.ackScheduled = true;
    this.ooo.length = 0;
    this.env.event({ kind: 'eof' });
    switch (this.stateName) {
      case 'SYN_RECEIVED':
      case 'ESTABLISHED':
        this.pingpong = true;
        this.setState('CLOSE_WAIT');
        break;
      case 'FIN_WAIT_1':
        this.ackAtOnce('fin-wait');
        if (this.finAcked()) this.enterTimeWait(now);
        else this.setState('CLOSING');
        break;
      case 'FIN_WAIT_2':
        this.ackAtOnce('fin-wait');
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
    let sackPermitted = false;
    for (const o of seg.options) {
      if (o.kind === 'sack-permitted') sackPermitted = true;
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
    // The SYN-ACK answers with a window fitted to the MSS less the timestamp bytes (tcp_openreq_init_rwin).
    if (this.passive)
      this.synWindow = synWindowFor(
        this.advertisedMss - (this.tsOk ? TCP_CONSTANTS.timestampOptionBytes : 0),
      );
    // __tcp_select_window: after the handshake the window is the SYN's, rounded up to the scale (chromium-ws.pcap
    // frames 3 and 8: 63 and 64 with shift 10).
    const unit = 2 ** this.rcvShift;
    this.receiveWindow = Math.ceil(this.synWindow / unit) * unit;
    // RFC 2018 §2: this side's SYN always offers SACK (as Linux's does); the peer's must offer it too.
    this.sackOk = sackPermitted;
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
    const sacking = this.sackOk && this.readSack(seg);
    if (relAck > this.sndUna) {
      const acked = relAck - this.sndUna;
      this.acknowledge(relAck, now);
      this.dupAcks = 0;
      if (this.inRecovery) {
        if (relAck >= this.recover) {
          // Full acknowledgment: leave fast recovery with the window deflated to ssthresh.
          this.inRecovery = false;
          this.cwnd = Math.min(this.ssthresh, Math.max(this.inFlight, this.smss) + this.smss);
        } else if (this.sackOk) {
          // Partial acknowledgment with SACK: resend the holes the blocks show, only those.
          this.resendSackHoles();
          this.armRto(now);
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
          this.recoveryEpoch++;
          this.markForResend(head, 'fast-retransmit');
          // RFC 6675 §5 (SACK): cwnd = ssthresh, the SACKed segments leave the pipe; without SACK,
          // RFC 5681 §3.2 inflates the window by the three segments that left the network.
          this.cwnd = this.sackOk ? this.ssthresh : this.ssthresh + 3 * this.smss;
          this.env.event({ kind: 'fast-retransmit', packet: head.firstPacket, relAck });
          if (this.sackOk) this.resendSackHoles();
        }
      } else if (this.inRecovery && this.sackOk) {
        if (sacking) this.resendSackHoles();
      } else if (this.dupAcks > 3 && this.inRecovery) {
        this.cwnd += this.smss;
      }
    }
    this.updateWindow(rel, relAck, seg.window);
  }

  /**
   * Mark the queued segments the SACK blocks cover (RFC 2018 §3, Linux's tcp_sacktag_write_queue): they
   * arrived, leave the flight and are never resent. True if the segment carried SACK blocks.
   */
  private readSack(seg: TcpSegmentIn): boolean {
    let any = false;
    for (const o of seg.options) {
      if (o.kind !== 'sack') continue;
      for (const b of o.blocks) {
        any = true;
        const left = (b.left - this.iss) | 0;
        const right = (b.right - this.iss) | 0;
        if (right <= left || right > this.sndMax) continue; // RFC 2018 §3: ignore a nonsensical block
        for (let i = this.rtxHead; i < this.rtx.length; i++) {
          const q = this.rtx[i]!;
          if (q.sacked || q.rel < left || q.rel + q.len > right) continue;
          q.sacked = true;
          if (q.inFlight) {
            q.inFlight = false;
            this.inFlight -= q.len;
          }
          if (q.resend !== null) {
            q.resend = null;
            this.pendingResends--;
          }
        }
      }
    }
    return any;
  }

  /**
   * SACK-based loss recovery as Linux does it (tcp_mark_head_lost, tcp_xmit_retransmit_queue; RFC 6675): a
   * segment not SACKed but with SACKed data after it is lost; resend each such hole once per recovery, and
   * nothing the receiver already holds.
   */
  private resendSackHoles(): void {
    let highestSacked = -1;
    for (let i = this.rtxHead; i < this.rtx.length; i++) {
      const q = this.rtx[i]!;
      if (q.sacked) highestSacked = q.rel;
    }
    for (let i = this.rtxHead; i < this.rtx.length; i++) {
      const q = this.rtx[i]!;
      if (q.rel >= highestSacked) break;
      if (q.sacked || q.resend !== null || q.resentInRecovery === this.recoveryEpoch) continue;
      this.markForResend(q, 'fast-retransmit');
    }
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
    if (!o || o.sacked) return;
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
    if (kind === 'delack') {
      // tcp_delack_timer_handler (tcp_timer.c): the ACK goes alone; if it was waiting for an answer to ride
      // on (ping-pong mode), none came in time, so the connection leaves ping-pong mode.
      this.delackAt = null;
      if (!this.ackScheduled || this.stateName === 'CLOSED') return;
      this.pingpong = false;
      this.ackAtOnce('delayed');
      return;
    }
    this.rtoArmed = false;
    const head = this.rtx[this.rtxHead];
    if (!head || this.stateName === 'CLOSED' || this.stateName === 'TIME_WAIT') return;
    if (this.env.stillInHost?.(head.lastPacket)) {
      // tcp_retransmit_timer (tcp_timer.c): the retransmission fails with -EBUSY because the last copy is
      // still in the host (skb_still_in_host_queue); the timer is set again after
      // TCP_RESOURCE_PROBE_INTERVAL (500 ms) without doubling the RTO, and the try counts as a retransmit.
      this.retries++;
      this.rtoArmed = true;
      this.env.setTimer('rto', now + TCP_CONSTANTS.resourceProbeNs);
      this.env.event({ kind: 'rto-busy', packet: head.lastPacket, retryNs: TCP_CONSTANTS.resourceProbeNs });
      return;
    }
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
    this.recoveryEpoch++;
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
    if (this.delackAt !== null) {
      this.delackAt = null;
      this.env.setTimer('delack', null);
    }
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
    // Resend what was declared lost, in order, as the window allows (always at least one segment).
    for (let i = this.rtxHead; this.pendingResends > 0 && i < this.rtx.length; i++) {
      const o = this.rtx[i]!;
      if (o.inFlight || o.resend === null) continue;
      if (o.resend === 'timeout' && this.inFlight > 0 && this.inFlight + o.len > this.sendWindow()) break;
      this.transmitOutstanding(o, now, true);
    }
    // New data.
    if (SENDING.has(this.stateName) || this.finQueued) {
      while (this.writeHead < this.writes.length && this.stateName !== 'SYN_SENT') {
        if (this.stateName === 'SYN_RECEIVED') break;
        const w = this.writes[this.writeHead]!;
        const len = Math.min(this.smss, w.data.length - w.offset);
        if (this.inFlight > 0 && this.inFlight + len > this.sendWindow()) break;
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
    if (
      this.finQueued &&
      !this.finSent &&
      finState &&
      this.writeHead >= this.writes.length &&
      this.segmentRoom()
    ) {
      const o = queued(now, this.sndMax, 1, { fin: true });
      this.finSent = true;
      this.finRel = o.rel;
      this.sndMax += 1;
      this.rtx.push(o);
      this.transmitOutstanding(o, now, false);
    }
    if (this.ackNow && this.stateName !== 'SYN_SENT') this.transmitPureAck(now);
  }

  /** What may be in flight: the smaller of the congestion window and the peer's window (RFC 5681 §2). */
  private sendWindow(): number {
    return Math.min(this.cwnd, this.sndWnd);
  }

  /**
   * A FIN on its own is a segment too: Linux counts its congestion window in segments (tcp_cwnd_test), so
   * after a timeout (a window of one segment, RFC 5681 §3.1) the FIN waits behind the retransmission.
   */
  private segmentRoom(): boolean {
    if (this.inFlight === 0) return true;
    let segments = 0;
    for (let i = this.rtxHead; i < this.rtx.length; i++) if (this.rtx[i]!.inFlight) segments++;
    return segments < Math.max(1, Math.floor(this.cwnd / this.smss));
  }

  /**
   * The SACK blocks this receiver reports (RFC 2018 §4): the runs of out-of-order data it holds, the one
   * holding the most recently arrived segment first, then the others, newest first; at most 3 beside the
   * timestamps option (Linux's tcp_options_write: NOP, NOP, SACK after NOP, NOP, Timestamps).
   */
  private sackBlocks(): SackBlock[] {
    if (!this.sackOk || this.ooo.length === 0) return [];
    const runs: { left: number; right: number; newest: number }[] = [];
    for (const s of this.ooo) {
      const end = s.rel + s.payload.length + (s.fin ? 1 : 0);
      const last = runs.at(-1);
      if (last && s.rel <= last.right) {
        last.right = Math.max(last.right, end);
        last.newest = Math.max(last.newest, s.arrival);
      } else runs.push({ left: s.rel, right: end, newest: s.arrival });
    }
    runs.sort((a, b) => b.newest - a.newest);
    const max = this.tsOk ? 3 : 4;
    return runs.slice(0, max).map((r) => ({ left: u32(this.irs + r.left), right: u32(this.irs + r.right) }));
  }

  /**
   * Options of a segment that carries an ACK: the timestamps, and SACK blocks while data is missing. A data
   * segment carries them only when they fit within the peer's MSS (Linux shrinks the segment instead,
   * tcp_current_mss; the simulation leaves them off).
   */
  private ackOptions(now: number, payloadLength: number): TcpOption[] {
    const ts = this.tsOptions(now);
    const blocks = this.sackBlocks();
    if (blocks.length === 0) return ts;
    // NOP, NOP, kind, length and 8 bytes a block, beside the 12 timestamp bytes the payload size allows for.
    const sackBytes = 4 + 8 * blocks.length;
    if (payloadLength > 0 && payloadLength + sackBytes > this.smss) return ts;
    return [...ts, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks }];
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
    return Math.min(this.receiveWindow >> this.rcvShift, 0xffff);
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
      : this.ackOptions(now, o.payload.length);
    const reason = o.resend ?? undefined;
    const packet = this.env.transmit({
      seq: u32(this.iss + o.rel),
      ack: ack ? u32(this.irs + this.rcvNxt) : 0,
      flags,
      window: o.syn ? this.synWindow : this.advertisedWindow(),
      options,
      payload: o.payload,
      relSeq: o.rel,
      relAck: ack ? this.rcvNxt : 0,
      ...(o.piece ? { piece: o.piece } : {}),
      ...(again ? { retransmits: o.firstPacket, reason: reason ?? 'timeout' } : {}),
    });
    if (o.syn && ack) this.lastSynAckAt = now;
    if (o.resend !== null) this.pendingResends--;
    if (again) {
      o.retransmitted = true;
      o.resentInRecovery = this.recoveryEpoch;
    } else o.firstPacket = packet;
    o.lastPacket = packet;
    o.sentAt = now;
    o.resend = null;
    o.inFlight = true;
    this.inFlight += o.len;
    if (ack) this.ackSent();
    // tcp_event_data_sent (tcp_output.c): data sent within the ATO of the last data received is an
    // answer; the connection is interactive (ping-pong mode, net.ipv4.tcp_pingpong_thresh = 1).
    if (o.payload.length > 0 && this.ackEngineStarted && now - this.lastDataAt < TCP_CONSTANTS.delackNs)
      this.pingpong = true;
    if (!this.rtoArmed) this.armRto(now);
  }

  private transmitPureAck(now: number): void {
    const ackWhy = this.ackWhy;
    this.ackSent();
    this.env.transmit({
      ackWhy,
      seq: u32(this.iss + this.sndMax),
      ack: u32(this.irs + this.rcvNxt),
      flags: ['ACK'],
      window: this.advertisedWindow(),
      options: this.ackOptions(now, 0),
      payload: new Uint8Array(0),
      relSeq: this.sndMax,
      relAck: this.rcvNxt,
    });
  }
}
