/**
 * The timeline: every step and every packet of a scenario, computed once, up front.
 * Views draw it; they never re-simulate. Seeking to step N is `timeline.steps[N]`.
 */
import type { FieldAnnotation, ProtoLayer } from '../protocol/fields';
import type { Scenario, Story } from './scenario';

export type HostId = string; // 'client', 'server', 'client-2' … 'client-5' in multi-client lessons, 'router-1' …

/** One network card: its IPv4 address and MAC. */
export interface HostCard {
  readonly ip: string;
  readonly mac: string;
}

export interface HostInfo {
  readonly id: HostId;
  /** Shown on screen: 'Browser', 'Server', 'Browser 2', 'Router', 'Router 2'. */
  readonly label: string;
  /** A router forwards between its two cards and climbs only to layer 3 (sim/engine/router.ts). */
  readonly role: 'client' | 'server' | 'router';
  /** The host's card; a router's card towards the browsers. */
  readonly mac: string; // 02:00:00:00:00:0a
  readonly ip: string; // 192.0.2.10
  /** A router's two cards: [towards the browsers, towards the server]. */
  readonly cards?: readonly [HostCard, HostCard];
}

/** OSI layer number. 1 physical … 7 application. */
export type OsiLayer = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type StepKind =
  | 'encapsulate' // a layer on the sending host wraps the unit
  | 'transmit' // bits on the wire
  | 'drop' // lost on the wire
  | 'receive' // arrives at the receiver's network card
  | 'decapsulate' // a layer on the receiving host unwraps the unit
  | 'state' // a protocol state machine changes state (timer, close, TIME_WAIT…)
  | 'app'; // application-level event (onmessage, io.on('connection'), console.log…)

/** Byte range [start, end) of one layer's header (or payload) inside a frame. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What the application layer carried, for labels and the inspector. */
export type AppInfo =
  | {
      readonly kind: 'http-request';
      readonly method: string;
      readonly target: string;
      readonly upgrade: boolean;
    }
  | { readonly kind: 'http-response'; readonly status: number; readonly reason: string }
  /** One chunk of a chunked response body (RFC 9112 §7.1): its data size and, for an event stream, the text. */
  | { readonly kind: 'http-chunk'; readonly size: number; readonly text: string }
  | {
      readonly kind: 'ws-frame';
      readonly opcode: number;
      readonly fin: boolean;
      readonly masked: boolean;
      /** Unmasked payload as text (lossy UTF-8 for binary). */
      readonly text: string;
      readonly closeCode?: number;
    }
  | { readonly kind: 'continuation'; readonly of: number } // a TCP segment carrying the rest of packet `of`'s message
  | {
      /** TLS's own records (its handshake, its alerts), by Wireshark's names. */
      readonly kind: 'tls';
      readonly records: readonly string[];
    }
  | {
      readonly kind: 'engineio';
      readonly packets: readonly string[];
      readonly transport: 'polling' | 'websocket';
    };

/**
 * An ARP frame (RFC 826) a card put on one segment before a packet could go: the request (broadcast) or the
 * reply (unicast). Carried by the packet whose sending needed it (`Packet.arp`, `PacketHop.arp`).
 */
export interface LinkFrame {
  /** The segment it crossed: 0 is the browsers' LAN, `hops` the server's. */
  readonly segment: number;
  /** Who sent it and who it is for: a host id or a router id ('router-1'); `to` is 'broadcast' for a request. */
  readonly from: string;
  readonly to: string;
  readonly frame: Uint8Array;
  /** Simulated milliseconds. */
  readonly sentAt: number;
  readonly arrivesAt: number;
  /** Wireshark's line: `Who has 192.0.2.1? Tell 192.0.2.10`. */
  readonly summary: string;
  /**
   * Its number in what `loss=k` counts (every frame put on the browsers' LAN, segment 0); absent on other
   * segments, which `loss` does not reach.
   */
  readonly wireIndex?: number;
  /** Lost on the wire (`loss` named it): it never arrives, and the asker asks again a second later. */
  readonly lost?: boolean;
}

/** An ARP frame a step is about: `packets[packet].arp` (hop null) or `packets[packet].hops[hop].arp`, item `index`. */
export interface StepLink {
  readonly packet: number;
  readonly hop: number | null;
  readonly index: number;
}

/** The copy of a packet a router forwarded onto its next segment (TTL one less, new MACs, new checksum). */
export interface PacketHop {
  /** The router that forwarded it: 'router-1' … 'router-4'. */
  readonly at: string;
  /** The segment this copy crossed. */
  readonly segment: number;
  /** The frame as it left the router. */
  readonly frame: Uint8Array;
  /** Its IPv4 TTL (the sender's 64 less one per router so far). */
  readonly ttl: number;
  /** Simulated milliseconds: when the router had the whole incoming frame (the previous copy's arrival). */
  readonly receivedAt: number;
  /** Simulated milliseconds: first bit onto the segment, last bit at the next card. */
  readonly sentAt: number;
  readonly arrivesAt: number;
  /** ARP exchanges the router needed on this segment before it could send the copy. */
  readonly arp?: readonly LinkFrame[];
}

export interface Packet {
  /** Index in `timeline.packets` (0-based). */
  readonly id: number;
  /**
   * 1-based position in what `loss=k` counts: every packet in sending order (retransmissions too) and every
   * ARP frame on the browsers' LAN (`LinkFrame.wireIndex`). With one browser it is the frame's number in a
   * capture at the browser's card.
   */
  readonly wireIndex: number;
  readonly from: HostId;
  readonly to: HostId;
  /** TCP connection this segment belongs to (0-based, in opening order). */
  readonly connection: number;
  /** Simulated milliseconds. */
  readonly sentAt: number;
  readonly arrivesAt: number;
  readonly lost: boolean;
  /**
   * True when the packet never left its sender: ARP asked for the next hop's MAC three times without an answer
   * (the requests or replies were lost), so the waiting packet was dropped (Linux neigh_invalidate). `sentAt`
   * is then when it was dropped; it is in no capture and `wireIndex` is 0.
   */
  readonly unresolved?: boolean;
  /** Packet id this one retransmits. */
  readonly retransmissionOf?: number;
  /** Why it was (re)sent, when not the first send: 'timeout' or 'fast retransmit'. */
  readonly retransmitReason?: 'timeout' | 'fast-retransmit';
  /** A pure ACK: why it left when it did (Linux's delayed-ACK rules). */
  readonly ackWhy?: AckReason;
  /** Ethernet frame as captured at the sender (no preamble, no FCS, no padding), on the sender's segment. */
  readonly frame: Uint8Array;
  /** The sender's segment: 0 for a browser, `hops` for the server (absent: 0). */
  readonly segment?: number;
  /** The copies routers forwarded, in path order (absent or empty: sender and receiver share a LAN, or lost). */
  readonly hops?: readonly PacketHop[];
  /** ARP exchanges the sender needed on its segment before this packet could go. */
  readonly arp?: readonly LinkFrame[];
  /** CRC-32 FCS over the padded frame, for display. */
  readonly fcs: number;
  /** Zero bytes Ethernet would add to reach its 60-byte minimum (before the FCS). */
  readonly padding: number;
  /** Every field of every layer, offsets into `frame`. */
  readonly fields: readonly FieldAnnotation[];
  /** Where each layer's header sits; `app` is the TCP payload. */
  readonly layers: Readonly<Partial<Record<ProtoLayer, ByteRange>>>;
  readonly tcp: {
    readonly srcPort: number;
    readonly dstPort: number;
    readonly seq: number;
    readonly ack: number;
    /** e.g. ['SYN'], ['SYN','ACK'], ['PSH','ACK'], ['FIN','ACK'] */
    readonly flags: readonly string[];
    readonly len: number;
    /** Relative to the sender's ISN, as Wireshark shows by default. */
    readonly relSeq: number;
    readonly relAck: number;
  };
  readonly app?: AppInfo;
  /** Wireshark-style one-line label for the ladder, e.g. `WebSocket Text [MASKED] "Hello"`. */
  readonly summary: string;
  /**
   * Set on packets read from a capture the user opened (src/capture/timeline.ts): the record they came in.
   * Such a frame is the record's bytes as captured: no FCS and no padding were captured (`fcs` and `padding`
   * are 0 and drawn as absent), and its link layer may be other than Ethernet.
   */
  readonly captured?: {
    readonly record: number;
    /** LINKTYPE name: 'ethernet', 'sll', 'sll2', 'null', 'raw'. */
    readonly link: string;
    /** Length on the wire when the snaplen cut the record. */
    readonly originalLength: number;
    /** What TCP reassembly noticed: 'retransmission', 'gap-before', … */
    readonly analysis?: readonly string[];
  };
}

/**
 * Why a pure ACK left when it did, by Linux's rules (sim/engine/tcp.ts, ACK POLICY): the handshake's third
 * ACK; quick-ACK mode; more than one full segment unacknowledged; a short segment the program read while
 * not answering (or a second one); the 40 ms delayed-ACK timer; an out-of-order segment (a duplicate ACK);
 * a segment filling a gap; a FIN in FIN-WAIT; a segment in TIME_WAIT; an unacceptable segment.
 */
export type AckReason =
  | 'handshake'
  | 'quick'
  | 'two-full-segments'
  | 'short-read'
  | 'delayed'
  | 'out-of-order'
  | 'gap-filled'
  | 'fin-wait'
  | 'time-wait'
  | 'unacceptable';

export type TcpStateName =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

export interface TcpView {
  readonly connection: number;
  readonly state: TcpStateName;
  /** Next sequence number to send (absolute) and relative to own ISN. */
  readonly sndNxt: number;
  readonly relSndNxt: number;
  /** Next sequence number expected from the peer (absolute) and relative to the peer's ISN. */
  readonly rcvNxt: number;
  readonly relRcvNxt: number;
}

export type WsReadyState = 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

export interface HostState {
  /** The host's current (most recent) TCP connection, if any. */
  readonly tcp?: TcpView;
  readonly ws?: WsReadyState;
  readonly sio?: {
    readonly connected: boolean;
    readonly sid?: string;
    readonly transport?: 'polling' | 'websocket';
    readonly rooms?: readonly string[];
  };
}

export interface CodeRef {
  readonly program: 'client' | 'server';
  /** 1-based line in `timeline.programs[program].lines`. */
  readonly line: number;
}

export interface ConsoleLine {
  readonly host: HostId;
  readonly text: string;
}

export interface Step {
  /** 0-based index in `timeline.steps` (links show it 1-based). */
  readonly index: number;
  /** Chapter id, see `timeline.chapters`. */
  readonly chapter: string;
  /** Simulated milliseconds. */
  readonly time: number;
  readonly host: HostId | 'wire';
  readonly layer: OsiLayer | null;
  readonly kind: StepKind;
  /** The packet this step concerns. */
  readonly packet?: number;
  /** The ARP frame this step is about (then `packet` is absent: the packet that needed it has not left). */
  readonly link?: StepLink;
  /**
   * The scenario message (index in `scenario.messages`) this step sends, carries or delivers. The first step
   * with a given index is where that message starts (the composer lands there).
   */
  readonly message?: number;
  /** Every host's state after this step (objects are shared between steps while unchanged). */
  readonly states: Readonly<Record<HostId, HostState>>;
  readonly title: string;
  /** A few plain sentences, with this run's real numbers. */
  readonly text: string;
  /** CURRICULUM.md ids this step answers or meets, e.g. ['Q11', 'M3']. */
  readonly curriculum?: readonly string[];
  /** The misconception it meets, in one sentence, when there is one. */
  readonly misconception?: string;
  readonly code?: CodeRef;
  /** Console lines printed at this step (proof of life). */
  readonly console?: readonly ConsoleLine[];
}

export interface Chapter {
  readonly id: string;
  readonly title: string;
  readonly firstStep: number;
  readonly lastStep: number;
}

export interface Program {
  readonly title: string; // 'server.js'
  readonly language: 'javascript';
  readonly lines: readonly string[];
}

/** One TLS connection's secrets, for the key log export and the key-schedule panel. */
export interface TlsSessionInfo {
  readonly connection: number;
  /** NSS key log lines (the SSLKEYLOGFILE format Wireshark reads), one per secret, each ending in a newline. */
  readonly keyLog: string;
  /** Named values of the key schedule (RFC 8446 §7.1), as hex: shared secret, handshake secret, keys… */
  readonly values: readonly (readonly [name: string, hex: string])[];
}

export interface Timeline {
  readonly scenario: Scenario;
  readonly hosts: readonly HostInfo[];
  readonly packets: readonly Packet[];
  readonly steps: readonly Step[];
  readonly chapters: readonly Chapter[];
  readonly programs: { readonly client: Program; readonly server: Program };
  /** Comparison data for the polling-vs-websocket lesson. */
  readonly comparison?: Comparison;
  /** The TLS connections of a wss:// or https:// scenario. */
  readonly tls?: readonly TlsSessionInfo[];
  /**
   * Present when the timeline was read from a capture the user opened rather than simulated from the scenario
   * (src/capture/timeline.ts): the scenario is then only a placeholder and no link can reproduce the timeline.
   */
  readonly capture?: TimelineCapture;
  /**
   * Present while only the first steps have been simulated (a long scenario opens with them, the rest follows
   * in the background: `StoryRun`, state/opening.ts). Every step, packet and state in it is the same as in the
   * whole timeline; there are just more to come.
   */
  readonly partial?: true;
}

/** What a capture timeline was read from (the file stays in the browser: only its name is kept). */
export interface TimelineCapture {
  readonly name: string;
  readonly format: 'pcap' | 'pcap-ns' | 'pcapng' | 'har';
  readonly size: number;
  readonly records: number;
  /** Every problem and note the readers found, naming where (record number, byte offset). */
  readonly problems: readonly {
    readonly code: string;
    readonly message: string;
    readonly severity: 'error' | 'note';
    readonly record?: number;
    readonly offset?: number;
  }[];
}

export interface ComparisonSeries {
  readonly method: 'short-polling' | 'long-polling' | 'sse' | 'websocket' | 'socketio';
  readonly label: string;
  /** Cumulative bytes on the wire (every layer's header) after each message is delivered. */
  readonly cumulativeBytes: readonly number[];
  readonly packets: number;
  /** Delay from the server having the message to the client receiving it, ms, per message. */
  readonly delays: readonly number[];
}

export interface Comparison {
  readonly messages: number;
  readonly series: readonly ComparisonSeries[];
}

export interface BuildOptions {
  /**
   * Use these 16 bytes as the Sec-WebSocket-Key instead of the seeded ones: for answering a real
   * client whose key the simulation cannot choose (tests against real peers).
   */
  readonly wsKey?: Uint8Array;
}

/**
 * A story being simulated, which can stop between two events and go on later: a long scenario's first steps
 * are drawn while the rest is still to be simulated. The steps and packets recorded so far never change.
 */
export interface StoryRun {
  /**
   * Simulate on until the story ends (true) or `pause`, asked between events with the number of steps
   * recorded so far, says to stop for now (false; call again to go on).
   */
  advance(pause?: (steps: number) => boolean): boolean;
  /** The whole timeline once `advance` has returned true; before, the steps so far, marked `partial`. */
  timeline(): Timeline;
}

/** How a story turns a scenario into a timeline: a run, ended by `advance()` without a pause. */
export type StoryBuilder = (scenario: Scenario, options: BuildOptions) => StoryRun;

/** The stories a caller can tell: `buildTimeline(scenario, builders)` tells no other. */
export type StoryBuilders = Readonly<Partial<Record<Story, StoryBuilder>>>;
