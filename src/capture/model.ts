/**
 * A capture the user opened, read from its bytes and nothing else: the contract between the readers
 * (file formats and link layers, `files.ts`/`links.ts`; TCP reassembly, `streams.ts`; the application decoders,
 * `decode/`; HAR, `har.ts`) and what draws it (`timeline.ts` turns a `Capture` into the `Timeline` every view
 * already draws).
 *
 * Nothing here is invented: every value is read from the file, and whatever could not be read is a
 * `CaptureProblem` naming where (record number, byte offset). Readers never throw on bad input.
 */
import type { FieldAnnotation } from '../protocol/fields';

/** Where a problem was found. Record numbers are 1-based, as Wireshark numbers frames. */
export interface CaptureProblem {
  /** Stable machine code: `bad-magic`, `truncated-record`, `unknown-link-type`, `tcp-gap`, `bad-json` … */
  readonly code: string;
  /** One plain sentence for the user, naming what was wrong and where. */
  readonly message: string;
  /** 'error': something could not be read (the rest still is); 'note': worth knowing (a gap, a retransmission). */
  readonly severity: 'error' | 'note';
  readonly record?: number;
  /** Byte offset in the file (for file-level problems) or in the record (for a packet's bytes). */
  readonly offset?: number;
}

export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng' | 'har';

/** The link layer a record starts with (LINKTYPE_* names of the tcpdump.org registry). */
export type LinkKind = 'ethernet' | 'sll' | 'sll2' | 'null' | 'raw';

export interface Endpoint {
  /** '192.0.2.10' or '2001:db8::1' (RFC 5952 text form). */
  readonly ip: string;
  readonly port: number;
}

/** One record of the file that carried a TCP segment over IPv4 or IPv6. */
export interface CapturedSegment {
  /** 1-based record number in the file (counts every record, also those skipped). */
  readonly record: number;
  /** Milliseconds since the first record of the file (may be fractional). */
  readonly time: number;
  /** Interface the record came from (pcapng), 0 for classic pcap. */
  readonly iface: number;
  readonly link: LinkKind;
  /** The record's bytes as captured (starting with its link-layer header). */
  readonly data: Uint8Array;
  /** Length on the wire when the record was cut by the snaplen. */
  readonly originalLength: number;
  /** Every field of every header read, offsets into `data` (link header, IP, TCP; the app's are added by the decoders). */
  readonly fields: readonly FieldAnnotation[];
  /** Byte ranges of each header in `data`: link, ip, tcp, and payload (the TCP payload as captured). */
  readonly ranges: {
    readonly link: readonly [number, number];
    readonly ip: readonly [number, number];
    readonly tcp: readonly [number, number];
    readonly payload: readonly [number, number];
  };
  readonly ipVersion: 4 | 6;
  /** IPv4 TTL or IPv6 hop limit. */
  readonly ttl: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** MACs when the link layer has them (Ethernet: both; SLL/SLL2: the sender's). */
  readonly srcMac?: string;
  readonly dstMac?: string;
  readonly seq: number;
  readonly ack: number;
  /** Flag names as the views use them: 'SYN', 'ACK', 'PSH', 'FIN', 'RST', 'URG', 'ECE', 'CWR'. */
  readonly flags: readonly string[];
  readonly window: number;
  /** TCP payload length from the IP header (may exceed what was captured). */
  readonly payloadLength: number;
  /** Index in `Capture.streams`, and which way it went (0 = from the stream's client). */
  readonly stream: number;
  readonly direction: 0 | 1;
  /** seq and ack relative to each side's ISN, as Wireshark shows them (0 when the SYN was not captured: then relative to the first seen). */
  readonly relSeq: number;
  readonly relAck: number;
  /** What reassembly noticed about this segment. */
  readonly analysis?: readonly (
    'retransmission' | 'out-of-order' | 'overlap' | 'gap-before' | 'truncated' | 'dup-ack' | 'zero-window'
  )[];
}

/** A piece of one direction's byte stream and the record it came in. */
export interface StreamChunk {
  /** Index in `Capture.segments`. */
  readonly segment: number;
  /** Offset of the chunk's first byte in this direction's stream (0 = first byte after the SYN). */
  readonly offset: number;
  readonly length: number;
}

/** One direction of a TCP connection, reassembled in sequence order. */
export interface StreamDirection {
  /** The bytes in order; a gap (bytes never captured) is filled with zeros and listed in `gaps`. */
  readonly bytes: Uint8Array;
  /** Which record delivered each part of `bytes`, in stream order (first copy wins on overlaps). */
  readonly chunks: readonly StreamChunk[];
  /** [start, end) stream offsets never captured. */
  readonly gaps: readonly (readonly [number, number])[];
  readonly fin: boolean;
}

export interface TcpStream {
  readonly id: number;
  /** The side that sent the SYN (or, with no SYN captured, the side with the higher port). */
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** direction 0: client → server, 1: server → client. */
  readonly directions: readonly [StreamDirection, StreamDirection];
  /** Indices in `Capture.segments`, in record order. */
  readonly segments: readonly number[];
  readonly synSeen: boolean;
  readonly reset: boolean;
}

/** Where a message lies: a range of one direction's stream, and the segments that carried it. */
export interface MessagePlace {
  readonly stream: number;
  readonly direction: 0 | 1;
  readonly start: number;
  readonly end: number;
  /** Indices in `Capture.segments` carrying any byte of [start, end); the last one completes the message. */
  readonly segments: readonly number[];
}

/** What the application layer said, decoded from the stream's bytes. */
export type CapturedMessageBody =
  | {
      readonly kind: 'http-request';
      readonly method: string;
      readonly target: string;
      readonly headers: readonly (readonly [string, string])[];
      readonly body: string;
      readonly upgrade: boolean;
    }
  | {
      readonly kind: 'http-response';
      readonly status: number;
      readonly reason: string;
      readonly headers: readonly (readonly [string, string])[];
      readonly body: string;
    }
  | {
      readonly kind: 'ws-frame';
      readonly opcode: number;
      readonly fin: boolean;
      /** RSV1: the frame's payload is compressed (permessage-deflate, RFC 7692 §6). */
      readonly compressed: boolean;
      readonly masked: boolean;
      readonly maskKey?: Uint8Array;
      /** Payload after unmasking and (when compressed) inflating; text as UTF-8 (lossy for binary). */
      readonly text: string;
      readonly payloadLength: number;
      readonly closeCode?: number;
      readonly closeReason?: string;
    }
  | {
      /** Engine.IO packets (and the Socket.IO packets inside its messages), over polling or WebSocket. */
      readonly kind: 'engineio';
      readonly transport: 'polling' | 'websocket';
      readonly packets: readonly {
        readonly type: string;
        readonly data: string;
        /** The Socket.IO packet inside an Engine.IO `message`, when it is one. */
        readonly socketio?: {
          readonly type: string;
          readonly nsp: string;
          readonly event?: string;
          readonly args?: string;
          readonly id?: number;
        };
      }[];
    }
  | {
      /** TLS records; with the key log, their decrypted content types. */
      readonly kind: 'tls';
      readonly records: readonly string[];
      readonly decrypted: boolean;
    };

export interface CapturedMessage {
  /** Place in the TCP stream; absent for HAR messages (no packets). */
  readonly place?: MessagePlace;
  /** Milliseconds since the first record (HAR: since the first entry started). */
  readonly time: number;
  /** 'client' sent it (the stream's client) or 'server'. */
  readonly from: 'client' | 'server';
  /** For HAR messages: which entry (0-based) in `log.entries`. */
  readonly entry?: number;
  readonly body: CapturedMessageBody;
  /** Wireshark-style one-line summary: `WebSocket Text [FIN] [MASKED] "Hello"`. */
  readonly summary: string;
  /** Fields of the application header(s), offsets into the stream direction's bytes from `place.start` (absent for HAR). */
  readonly fields?: readonly FieldAnnotation[];
  /**
   * For a message read from decrypted TLS records (added for the key log; optional, so older readers ignore it):
   * the message's decrypted bytes. `fields` then index these bytes, not the stream (whose bytes are ciphertext);
   * `place` still covers the TLS records that carried them.
   */
  readonly plaintext?: Uint8Array;
  /** Problems decoding this message (a bad frame, a gap inside it, a failed decryption). */
  readonly problems?: readonly CaptureProblem[];
}

export interface CaptureSource {
  readonly name: string;
  readonly format: CaptureFormat;
  readonly size: number;
  /** Records in the file (HAR: entries). */
  readonly records: number;
  /** Interfaces and their link types (pcapng may have several). */
  readonly interfaces: readonly { readonly link: LinkKind | `unknown (${number})`; readonly name?: string }[];
  /** Records skipped because they were not TCP over IPv4/IPv6, by what they were: { 'UDP': 12, 'ARP': 2 }. */
  readonly skipped: Readonly<Record<string, number>>;
  /** TLS: whether a key log came with the capture (a second file or a pcapng Decryption Secrets Block). */
  readonly keyLog: 'none' | 'file' | 'dsb';
}

export interface Capture {
  readonly source: CaptureSource;
  /** Every TCP segment read, in record order. Empty for HAR. */
  readonly segments: readonly CapturedSegment[];
  readonly streams: readonly TcpStream[];
  /** Every application message decoded, in time order (ties: record order). */
  readonly messages: readonly CapturedMessage[];
  readonly problems: readonly CaptureProblem[];
}

/** Progress of a long read, for the progress bar (the worker posts it). */
export interface CaptureProgress {
  readonly phase: 'reading' | 'reassembling' | 'decoding' | 'drawing';
  /** 0..1 */
  readonly fraction: number;
}

/**
 * Limits: beyond these the reader stops and asks to filter first (the problem says which limit and how to
 * filter with `editcap`/`tshark -w`); what was read before the limit is still shown. Chosen by measurement
 * (npm run bench:capture:ui, Chromium 156 on 2 shared AMD EPYC cores under load 10–20): 17 600 segments
 * (a 10 MB file) opened in 11 s and stepped at p50 21 ms; 88 000 segments (50 MB) took 76 s, 1.2 GB of heap
 * and p50 100 ms per step. So a 50 MB file opens, with its first 25 000 segments; more is more than a lesson.
 */
export const CAPTURE_LIMITS = {
  fileBytes: 64 * 1024 * 1024,
  segments: 25_000,
  messages: 10_000,
} as const;
