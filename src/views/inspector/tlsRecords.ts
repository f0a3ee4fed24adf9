/**
 * The TLS records a packet carries, each as on the wire and as decrypted (RFC 8446 §5.2), for the inspector's
 * TLS panel. Pure: it reassembles the packet's direction of its connection from the timeline's packets (first
 * transmissions, in sequence order), walks the records, and opens each protected one with this run's traffic
 * keys (timeline.tls), the handshake keys up to and including that side's Finished, then the application keys.
 */
import { fromHex, toHex } from '../../protocol/bytes';
import {
  TLS_AEAD_TAG_LENGTH,
  TLS_CONTENT_TYPES,
  contentTypeName,
  decodeInnerPlaintext,
  decodeTlsRecord,
} from '../../protocol/tls';
import { openRecord, type TrafficKeys } from '../../protocol/tlsKeys';
import type { Packet, Timeline, TlsSessionInfo } from '../../sim/types';

export interface RecordView {
  /** Offset of the record in its direction's stream, and its whole length. */
  readonly at: number;
  readonly length: number;
  readonly outerType: number;
  readonly version: number;
  /** Bytes after the 5-byte header. */
  readonly fragmentLength: number;
  /** Protected records: the tag (hex), the keys' epoch, the record number, the inner type and content. */
  readonly tag: string | null;
  readonly epoch: 'plaintext' | 'handshake' | 'application';
  readonly seq: number;
  readonly innerType: number | null;
  readonly content: Uint8Array;
  /** False when a protected record did not open (it always does for a simulated run). */
  readonly opened: boolean;
  readonly label: string;
}

function value(s: TlsSessionInfo, name: string): Uint8Array | null {
  const v = s.values.find(([n]) => n === name)?.[1];
  return v ? fromHex(v) : null;
}

function keysOf(
  s: TlsSessionInfo,
  side: 'client' | 'server',
  epoch: 'handshake' | 'application',
): TrafficKeys | null {
  const key = value(s, `${side} ${epoch} key`);
  const iv = value(s, `${side} ${epoch} iv`);
  return key && iv ? { key, iv } : null;
}

/** One direction of a connection as bytes, with the stream offset of each first-transmitted packet. */
function stream(t: Timeline, p: Packet): { bytes: Uint8Array; offsetOf: Map<number, number> } {
  const pieces = t.packets
    .filter(
      (q) =>
        q.connection === p.connection &&
        q.from === p.from &&
        q.to === p.to &&
        q.tcp.len > 0 &&
        q.retransmissionOf === undefined,
    )
    .sort((a, b) => a.tcp.relSeq - b.tcp.relSeq);
  const total = pieces.reduce((n, q) => n + q.tcp.len, 0);
  const bytes = new Uint8Array(total);
  const offsetOf = new Map<number, number>();
  let at = 0;
  for (const q of pieces) {
    bytes.set(q.frame.subarray(q.frame.length - q.tcp.len), at);
    offsetOf.set(q.tcp.relSeq, at);
    at += q.tcp.len;
  }
  return { bytes, offsetOf };
}

function labelOf(type: number, content: Uint8Array): string {
  if (type === TLS_CONTENT_TYPES.handshake) {
    const names: Record<number, string> = {
      1: 'ClientHello',
      2: 'ServerHello',
      4: 'NewSessionTicket',
      8: 'EncryptedExtensions',
      11: 'Certificate',
      15: 'CertificateVerify',
      20: 'Finished',
    };
    return names[content[0] ?? -1] ?? 'handshake';
  }
  if (type === TLS_CONTENT_TYPES.alert) return content[1] === 0 ? 'close_notify alert' : 'alert';
  if (type === TLS_CONTENT_TYPES.change_cipher_spec) return 'ChangeCipherSpec';
  return 'application data';
}

/** The records that overlap this packet's payload, with their decrypted inner plaintext. */
export function packetRecords(t: Timeline, p: Packet): RecordView[] {
  const session = t.tls?.find((s) => s.connection === p.connection);
  if (!session || p.tcp.len === 0 || !p.layers.tls) return [];
  const side = p.from === 'client' ? 'client' : 'server';
  const { bytes, offsetOf } = stream(t, p);
  const original = p.retransmissionOf !== undefined ? t.packets[p.retransmissionOf] : p;
  const start = offsetOf.get(original?.tcp.relSeq ?? p.tcp.relSeq);
  if (start === undefined) return [];
  const end = start + p.tcp.len;
  let epoch: 'handshake' | 'application' = 'handshake';
  let keys = keysOf(session, side, 'handshake');
  let seq = 0;
  const out: RecordView[] = [];
  let at = 0;
  while (at < bytes.length && at < end) {
    const r = decodeTlsRecord(bytes.subarray(at));
    if (!r.ok) break;
    const wire = bytes.subarray(at, at + r.length);
    const overlaps = at + r.length > start && at < end;
    if (r.repr.type !== TLS_CONTENT_TYPES.application_data) {
      if (overlaps) {
        out.push({
          at,
          length: r.length,
          outerType: r.repr.type,
          version: r.repr.version,
          fragmentLength: r.repr.fragment.length,
          tag: null,
          epoch: 'plaintext',
          seq: 0,
          innerType: null,
          content: r.repr.fragment,
          opened: true,
          label: labelOf(r.repr.type, r.repr.fragment),
        });
      }
      at += r.length;
      continue;
    }
    const n = seq++;
    const inner = keys ? openRecord(keys, n, wire) : null;
    const plain = inner ? decodeInnerPlaintext(inner) : null;
    const ok = plain?.ok === true;
    const innerType = ok ? plain.repr.type : null;
    const content = ok ? plain.repr.content : new Uint8Array(0);
    if (overlaps) {
      out.push({
        at,
        length: r.length,
        outerType: r.repr.type,
        version: r.repr.version,
        fragmentLength: r.repr.fragment.length,
        tag: toHex(r.repr.fragment.subarray(r.repr.fragment.length - TLS_AEAD_TAG_LENGTH), ''),
        epoch,
        seq: n,
        innerType,
        content,
        opened: ok,
        label: ok ? labelOf(innerType!, content) : 'not decrypted',
      });
    }
    // §7.3: after its Finished, a side protects its records with the application traffic keys.
    if (epoch === 'handshake' && innerType === TLS_CONTENT_TYPES.handshake && content[0] === 20) {
      epoch = 'application';
      keys = keysOf(session, side, 'application');
      seq = 0;
    }
    at += r.length;
  }
  return out;
}

export { contentTypeName };
