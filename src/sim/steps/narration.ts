/**
 * Narration every story shares: the shape of what a step says, the facts of a run the sentences use, the
 * TCP timer events (a timeout, a fast retransmit, an abort) and what a packet is for the OSI walk.
 * Steps that answer a CURRICULUM.md question or meet a misconception are tagged with its id.
 */
import type { Scenario } from '../scenario';
import type { TcpEvent } from '../engine/tcp';
import type { HostInfo, Packet } from '../types';
import type { StoryWrite, TlsPurpose } from '../libs/websocket';
import type { TlsSteps } from './tls';
import { Label, Who, msText, who } from './phrases';

export interface Narration {
  readonly title: string;
  readonly text: string;
  readonly curriculum?: readonly string[];
  readonly misconception?: string;
}

/**
 * A segment's part in TCP's goodbye: the first FIN; a pure ACK of it; the other side's FIN, which carries
 * the ACK of the first when it left before that ACK (three segments in all, chromium-ws.pcap frames
 * 33-35), or not (four); the last ACK, which knows how many segments the goodbye took.
 */
export type GoodbyeRole =
  | { readonly kind: 'first-fin' }
  | { readonly kind: 'ack-of-first' }
  | { readonly kind: 'second-fin'; readonly carriesAck: boolean }
  | { readonly kind: 'last-ack'; readonly segments: 3 | 4 };

/** What the run has established so far, for the sentences. */
export interface RunFacts {
  readonly scenario: Scenario;
  readonly client: HostInfo;
  readonly server: HostInfo;
  readonly packets: readonly Packet[];
  clientPort: number | null;
  clientIsn: number | null;
  serverIsn: number | null;
  key: string | null;
  /** Index of the first message the browser sends, or -1. */
  readonly firstClientMessage: number;
  /** Duplicate ACKs: packet id → how many times this ACK number has been repeated. */
  readonly duplicateAcks: Map<number, number>;
  /** The part each FIN, and each pure ACK of a FIN, plays in TCP's goodbye (three or four segments). */
  readonly goodbye: Map<number, GoodbyeRole>;
  /** What the steps say about TLS, when the scenario runs over it (steps/tls.ts, loaded with TLS). */
  tls?: TlsSteps;
}

/** The facts of a run before its first packet: nothing chosen yet. */
export function runFacts(
  scenario: Scenario,
  client: HostInfo,
  server: HostInfo,
  packets: readonly Packet[],
  firstClientMessage: number,
): RunFacts {
  return {
    scenario,
    client,
    server,
    packets,
    clientPort: null,
    clientIsn: null,
    serverIsn: null,
    key: null,
    firstClientMessage,
    duplicateAcks: new Map(),
    goodbye: new Map(),
  };
}

/**
 * A connection leaves CLOSED or LISTEN: its ISNs and the browser's port are chosen now (RFC 9293 §3.4,
 * sim/engine/tcp.ts), and the narration names them from here on.
 */
export function noteConnectionStart(
  f: RunFacts,
  host: HostInfo,
  tcp: { readonly iss: number; readonly localPort: number },
  e: TcpEvent,
): void {
  if (e.kind !== 'state' || (e.from !== 'CLOSED' && e.from !== 'LISTEN')) return;
  if (host.role === 'client') {
    f.clientIsn ??= tcp.iss;
    f.clientPort ??= tcp.localPort;
  } else {
    f.serverIsn ??= tcp.iss;
  }
}

// ---- TCP timers ----

export function narrateTcpEvent(
  host: HostInfo,
  e: Exclude<TcpEvent, { kind: 'state' | 'established' | 'data' | 'eof' }>,
  f: RunFacts,
): Narration {
  const H = Who(host);
  switch (e.kind) {
    case 'rto': {
      const p = f.packets[e.packet];
      const what = p ? p.summary.replace(/^\[TCP (Fast )?Retransmission\] /, '') : 'its segment';
      const waited = msText(Math.round(e.waitedNs / 1000) / 1000);
      return {
        title: `Timeout: no ACK after ${waited}`, // RFC 6298 §5.3-5.5 (sim/engine/tcp.ts timerFired)
        // RFC 6298 §5.1 and §5.3: the timer starts when data leaves with none outstanding and restarts at each
        // ACK of new data, so the wait counts from then; §5.4 resend the earliest segment; §5.5 double the RTO.
        text:
          `${H} sent ${what}, and its retransmission timer ran out: ${waited} without an acknowledgment since ` +
          'the timer last started (when the segment left, or when the last ACK of earlier data came). TCP is ' +
          'never told that a packet was lost; here it notices only the silence. It sends the same bytes ' +
          `again and doubles the timeout to ${msText(e.nextRtoNs / 1e6)} in case the network is congested (RFC 6298).`,
      };
    }
    case 'rto-busy': {
      const p = f.packets[e.packet];
      const what = p ? p.summary.replace(/^\[TCP (Fast )?Retransmission\] /, '') : 'its segment';
      return {
        // Linux tcp_retransmit_timer (tcp_timer.c) and skb_still_in_host_queue (tcp_output.c); ARP's wait:
        // net/core/neighbour.c (sim/engine/network.ts ARP_POLICY).
        title: 'Timeout, but the segment has not left yet',
        // net/ipv4/tcp_timer.c tcp_retransmit_timer (-EBUSY: re-armed after TCP_RESOURCE_PROBE_INTERVAL).
        text:
          `${H}'s retransmission timer ran out, but ${what} is still waiting inside ${who(host)} for ARP to ` +
          "find the next hop's MAC: it has not been on the wire at all. A copy would only queue behind it, so " +
          `Linux sends nothing and looks again in ${msText(e.retryNs / 1e6)}, without doubling the timeout.`,
      };
    }
    case 'fast-retransmit':
      return {
        title: 'Three duplicate ACKs: resend now', // RFC 5681 §3.2: fast retransmit on the third duplicate ACK.
        text:
          `The ACKs keep saying Ack=${e.relAck}: the receiver is missing the segment that starts there, although ` +
          'later segments arrive (each one makes it repeat the same ACK). After the third duplicate, ' +
          `${who(host)} resends that segment at once instead of waiting for the timer (fast retransmit, RFC 5681).`,
      };
    case 'aborted':
      return {
        title: `${Label(host)}: connection aborted`, // RFC 9293 §3.8.3 (R2: give up after retries), §3.10.7
        // (a reset closes the connection); sim/engine/tcp.ts (the retry limit).
        text:
          e.reason === 'timeout'
            ? `${H} retransmitted again and again without an answer and gives up: the connection is dead.`
            : `${H} received a reset: the connection is gone.`,
      };
  }
}

// ---- Packets ----

/**
 * Why a pure ACK left when it did: Linux's choices within RFC 9293 §3.8.6.3 and RFC 5681 §4.2, which ask
 * for an ACK for at least every second full-sized segment and within 500 ms (sim/engine/tcp.ts ACK POLICY).
 */
export function ackWhyText(why: Packet['ackWhy']): string {
  switch (why) {
    case 'quick':
      // tcp_input.c tcp_incr_quickack / tcp_in_quickack_mode; chromium-ws.pcap frames 15, 17, 19, 25, 27.
      return (
        'Linux acknowledges at once here: at the start of a connection it is in quick-ACK mode (up to 16 ' +
        'ACKs, TCP_MAX_QUICKACKS), so the sender’s window can grow fast. That is Linux’s choice; TCP only ' +
        'asks for an ACK within 500 ms and for at least every second full-sized segment (RFC 5681 §4.2).'
      );
    case 'two-full-segments':
      // RFC 5681 §4.2 / RFC 9293 §3.8.6.3; tcp_input.c __tcp_ack_snd_check "More than one full frame received".
      return (
        'More than one full-sized segment has arrived since the last ACK: TCP must acknowledge at least every ' +
        'second one (RFC 5681 §4.2), so this ACK goes at once.'
      );
    case 'short-read':
      // Linux net/ipv4/tcp.c tcp_cleanup_rbuf (ICSK_ACK_PUSHED, ICSK_ACK_PUSHED2).
      return (
        'Linux acknowledges a short segment as soon as the program has read it, unless the program is ' +
        'answering what it receives (then it waits for the answer to carry the ACK, except after a second ' +
        'short segment).'
      );
    case 'delayed':
      // tcp_timer.c tcp_delack_timer_handler; TCP_DELACK_MIN = 40 ms; chromium-ws.pcap frame 29 (43 ms).
      return (
        'Linux waited for an answer to carry this ACK, but none came within its 40 ms delayed-ACK timer ' +
        '(TCP_DELACK_MIN), so it goes alone. RFC 5681 §4.2 allows up to 500 ms.'
      );
    case 'gap-filled':
      // RFC 5681 §4.2: "an immediate ACK SHOULD be generated" when a segment fills a gap.
      return 'The segment filled a gap in what had arrived, and RFC 5681 §4.2 asks for an ACK at once then.';
    case 'fin-wait':
      // Linux net/ipv4/tcp_input.c tcp_fin: FIN-WAIT-1 and FIN-WAIT-2 acknowledge a FIN with tcp_send_ack.
      return 'A FIN arrived after this side’s own FIN, and Linux acknowledges it at once.';
    case 'time-wait':
      // RFC 9293 §3.10.7.4: a segment in TIME-WAIT is acknowledged and the 2 MSL timeout restarted.
      return 'In TIME_WAIT a repeated FIN is acknowledged again (RFC 9293 §3.10.7.4).';
    case 'handshake':
      // RFC 9293 §3.5 (the third segment of the handshake); Linux sends it at once
      // (tcp_rcv_synsent_state_process).
      return 'The last segment of the handshake.';
    default:
      // RFC 9293 §3.10.7.4: an unacceptable segment is answered with an ACK.
      return 'TCP answers a segment it cannot accept with an ACK of what it expects (RFC 9293 §3.10.7.4).';
  }
}

/** A short description of what a packet is, used by the transmit, drop and walk steps. */
export type PacketRole =
  | 'syn'
  | 'syn-ack'
  | 'handshake-ack'
  | 'upgrade-request'
  | 'upgrade-response'
  | 'message'
  | 'ping'
  | 'pong'
  | 'close'
  | 'close-echo'
  | 'continuation'
  | 'fin'
  | 'ack'
  | TlsPurpose;

export function packetRole(p: Packet, w: StoryWrite | undefined): PacketRole {
  const flags = p.tcp.flags;
  if (flags.includes('SYN')) return flags.includes('ACK') ? 'syn-ack' : 'syn';
  if (p.tcp.len > 0 && w) {
    if (p.app?.kind === 'continuation') return 'continuation';
    return w.purpose;
  }
  if (flags.includes('FIN')) return 'fin';
  if (p.from === 'client' && p.tcp.relSeq === 1 && p.tcp.relAck === 1 && p.retransmissionOf === undefined) {
    return 'handshake-ack';
  }
  return 'ack';
}
