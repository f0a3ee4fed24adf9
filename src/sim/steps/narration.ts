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
  /** Position of each FIN and of the ACK that acknowledges it in the four-step goodbye (1-4). */
  readonly goodbye: Map<number, number>;
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
        title: `Timeout: no ACK after ${waited}`,
        text:
          `${H} sent ${what} and no acknowledgment came back within its retransmission timeout (${waited}). ` +
          'TCP never learns that a packet was lost; it only notices the silence. It sends the same bytes ' +
          `again and doubles the timeout to ${msText(e.nextRtoNs / 1e6)} in case the network is congested (RFC 6298).`,
      };
    }
    case 'fast-retransmit':
      return {
        title: 'Three duplicate ACKs: resend now',
        text:
          `The ACKs keep saying Ack=${e.relAck}: the receiver is missing the segment that starts there, although ` +
          'later segments arrive (each one makes it repeat the same ACK). After the third duplicate, ' +
          `${who(host)} resends that segment at once instead of waiting for the timer (fast retransmit, RFC 5681).`,
      };
    case 'aborted':
      return {
        title: `${Label(host)}: connection aborted`,
        text:
          e.reason === 'timeout'
            ? `${H} retransmitted again and again without an answer and gives up: the connection is dead.`
            : `${H} received a reset: the connection is gone.`,
      };
  }
}

// ---- Packets ----

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
