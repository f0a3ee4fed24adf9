/**
 * TLS (RFC 8446) on one connection: the records of each direction (§5.1), named as Wireshark names them;
 * with the key log (SSLKEYLOGFILE, src/capture/keylog.ts), TLS 1.3 records are decrypted (§5.2) with the
 * suite the ServerHello chose, and the application data inside goes through the HTTP/WebSocket/Engine.IO
 * decoders as if it had been sent in the clear (its messages' places are the records that carried it).
 *
 * Key epochs per direction (§7.1, §7.3): plaintext until the first protected record (after ServerHello;
 * a ChangeCipherSpec before it is Appendix D.4's middlebox compatibility), the handshake traffic secret until
 * that side's Finished, then the application traffic secret, moved on by every KeyUpdate (§4.6.3, §7.2). The
 * record sequence number starts at 0 in every epoch (§5.3). A resumed session (PSK, §2.2) simply has no
 * Certificate: the key log carries the secrets either way.
 */
import { toHex } from '../../protocol/bytes';
import type { FieldAnnotation } from '../../protocol/fields';
import {
  decodeInnerPlaintext,
  decodeTlsAlert,
  describeTlsAlert,
  decodeTlsRecord,
  TLS_CONTENT_TYPES,
  TLS13_VERSION,
} from '../../protocol/tls';
import {
  nextTrafficSecret,
  openRecordWith,
  TLS13_SUITES,
  trafficKeysFor,
  type TlsSuite,
  type TrafficKeys,
} from '../../protocol/tlsKeys';
import type { KeyLog, KeyLogEntry } from '../keylog';
import type { CaptureProblem } from '../model';
import { gapIn, shift, type Channel, type Decoding, type PlainPiece } from './context';
import { decodeHttp } from './http';

/** §4 HandshakeType, all of them (Wireshark's names). */
const HANDSHAKE_LABELS: { readonly [type: number]: string } = {
  1: 'Client Hello',
  2: 'Server Hello',
  4: 'New Session Ticket',
  5: 'End of Early Data',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  13: 'Certificate Request',
  15: 'Certificate Verify',
  20: 'Finished',
  24: 'Key Update',
  254: 'Message Hash',
};

/** §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

interface TlsRecord {
  readonly start: number;
  readonly end: number;
  readonly type: number;
  readonly fragment: Uint8Array;
  readonly fields: readonly FieldAnnotation[];
}

function readRecords(d: Decoding, ch: Channel): TlsRecord[] {
  const out: TlsRecord[] = [];
  const bytes = ch.bytes;
  let off = 0;
  while (off < bytes.length) {
    const gap = gapIn(ch, off, Math.min(bytes.length, off + 5 + 0x4100));
    const r = decodeTlsRecord(bytes.subarray(off, gap ? gap[0] : bytes.length));
    if (!r.ok) {
      if (gap && r.error.code === 'truncated') {
        d.problem(
          'tcp-gap',
          `TLS records from the ${ch.from} stop at a gap in the capture (stream bytes ${gap[0]}–${gap[1]} never captured); what follows is not decoded.`,
          'error',
          { ch, offset: gap[0] },
        );
      } else if (r.error.code === 'truncated') {
        d.problem(
          'tls-truncated',
          `The last TLS record from the ${ch.from} is cut off by the end of the capture (${r.error.message}).`,
          'note',
          { ch, offset: off },
        );
      } else {
        d.problem(
          `tls-${r.error.code}`,
          `Not a TLS record at stream byte ${off} from the ${ch.from}: ${r.error.message}; the rest of this direction is not decoded.`,
          'error',
          { ch, offset: off + r.error.offset },
        );
      }
      break;
    }
    out.push({
      start: off,
      end: off + r.length,
      type: r.repr.type,
      fragment: r.repr.fragment,
      fields: shift(r.fields, off),
    });
    off += r.length;
  }
  return out;
}

/** Handshake messages split across records (§5.1: a message may span records), read as they complete. */
class HandshakeReader {
  private buffer = new Uint8Array(0);
  /** Push one record's handshake bytes; returns the messages completed (type and body). */
  push(bytes: Uint8Array): { type: number; body: Uint8Array }[] {
    const all = new Uint8Array(this.buffer.length + bytes.length);
    all.set(this.buffer);
    all.set(bytes, this.buffer.length);
    const out: { type: number; body: Uint8Array }[] = [];
    let at = 0;
    while (all.length - at >= 4) {
      const length = (all[at + 1]! << 16) | (all[at + 2]! << 8) | all[at + 3]!;
      if (all.length - at < 4 + length) break;
      out.push({ type: all[at]!, body: all.subarray(at + 4, at + 4 + length) });
      at += 4 + length;
    }
    this.buffer = all.slice(at);
    return out;
  }
  get pending(): boolean {
    return this.buffer.length > 0;
  }
}

interface Hello {
  readonly random: Uint8Array;
  readonly suite?: number;
  readonly version?: number;
  readonly retry?: boolean;
}

/** §4.1.2-4.1.3: random at bytes 2..34 of the body; a ServerHello's suite after its session id; supported_versions (43). */
function readHello(type: number, body: Uint8Array): Hello | null {
  if (body.length < 35) return null;
  const random = body.subarray(2, 34);
  if (type === 1) return { random };
  const sid = body[34]!;
  let at = 35 + sid;
  if (body.length < at + 3) return null;
  const suite = (body[at]! << 8) | body[at + 1]!;
  at += 3;
  let version = (body[0]! << 8) | body[1]!;
  if (body.length >= at + 2) {
    const extEnd = Math.min(body.length, at + 2 + ((body[at]! << 8) | body[at + 1]!));
    at += 2;
    while (at + 4 <= extEnd) {
      const t = (body[at]! << 8) | body[at + 1]!;
      const l = (body[at + 2]! << 8) | body[at + 3]!;
      if (t === 43 && l === 2) version = (body[at + 4]! << 8) | body[at + 5]!;
      at += 4 + l;
    }
  }
  return { random, suite, version, retry: toHex(random, '') === HRR_RANDOM };
}

interface Epoch {
  keys: TrafficKeys;
  secret: Uint8Array;
  seq: number;
  phase: 'handshake' | 'application';
  generation: number;
}

interface DirectionResult {
  /** Decrypted application data and the records it came in. */
  readonly plain: Uint8Array;
  readonly pieces: readonly PlainPiece[];
}

/** One record's name(s) for the `tls` message, and the handshake messages it completed. */
function labelPlainRecord(
  rec: TlsRecord,
  hs: HandshakeReader,
  completed: { type: number; body: Uint8Array }[],
): string[] {
  if (rec.type === TLS_CONTENT_TYPES.change_cipher_spec) return ['Change Cipher Spec'];
  if (rec.type === TLS_CONTENT_TYPES.alert) {
    const a = decodeTlsAlert(rec.fragment);
    return [a.ok ? describeTlsAlert(a.repr) : 'Alert'];
  }
  if (rec.type === TLS_CONTENT_TYPES.handshake) {
    const got = hs.push(rec.fragment);
    completed.push(...got);
    return got.length > 0
      ? got.map((m) => HANDSHAKE_LABELS[m.type] ?? `Handshake type ${m.type}`)
      : ['Handshake (fragment)'];
  }
  return ['Application Data'];
}

/** A run of records one side sent, shown as one `tls` message: a new run starts where a new segment starts. */
class RecordGroups {
  private names: string[] = [];
  private fields: FieldAnnotation[] = [];
  private problems: CaptureProblem[] = [];
  private start = -1;
  private end = -1;
  private decrypted = false;
  private readonly segmentStarts: Set<number>;

  constructor(
    private readonly d: Decoding,
    private readonly ch: Channel,
  ) {
    this.segmentStarts = new Set(
      d.streams[ch.stream]?.directions[ch.direction].chunks.map((c) => c.offset) ?? [],
    );
  }

  add(rec: TlsRecord, names: readonly string[], decrypted: boolean, problem?: CaptureProblem): void {
    if (this.start >= 0 && (rec.start !== this.end || this.segmentStarts.has(rec.start))) this.flush();
    if (this.start < 0) this.start = rec.start;
    this.end = rec.end;
    this.names.push(...names);
    this.fields.push(...rec.fields);
    this.decrypted ||= decrypted;
    if (problem) this.problems.push(problem);
  }

  flush(): void {
    if (this.start < 0) return;
    const summary = `TLS ${this.names.join(', ')}`;
    this.d.emit(
      this.ch,
      this.start,
      this.end,
      { kind: 'tls', records: this.names, decrypted: this.decrypted },
      summary,
      this.fields,
      this.problems,
    );
    this.names = [];
    this.fields = [];
    this.problems = [];
    this.start = -1;
    this.decrypted = false;
  }
}

function decryptDirection(
  d: Decoding,
  ch: Channel,
  records: readonly TlsRecord[],
  suite: TlsSuite | null,
  secrets: { handshake?: Uint8Array; application?: Uint8Array } | null,
): DirectionResult {
  const groups = new RecordGroups(d, ch);
  const plainHs = new HandshakeReader();
  const innerHs = new HandshakeReader();
  const parts: Uint8Array[] = [];
  const pieces: PlainPiece[] = [];
  let plainLength = 0;
  let epoch: Epoch | null =
    suite && secrets?.handshake
      ? {
          keys: trafficKeysFor(suite, secrets.handshake),
          secret: secrets.handshake,
          seq: 0,
          phase: 'handshake',
          generation: 0,
        }
      : null;
  let failed = false;
  let keyUpdates = 0;
  const toApplication = (): void => {
    epoch =
      suite && secrets?.application
        ? {
            keys: trafficKeysFor(suite, secrets.application),
            secret: secrets.application,
            seq: 0,
            phase: 'application',
            generation: 0,
          }
        : null;
  };
  for (const rec of records) {
    if (rec.type !== TLS_CONTENT_TYPES.application_data) {
      const completed: { type: number; body: Uint8Array }[] = [];
      groups.add(rec, labelPlainRecord(rec, plainHs, completed), false);
      continue;
    }
    if (!suite || !epoch || failed) {
      groups.add(rec, ['Application Data'], false);
      continue;
    }
    const e: Epoch = epoch;
    const opened = openRecordWith(suite, e.keys, e.seq, ch.bytes.subarray(rec.start, rec.end));
    if (opened === null) {
      failed = true;
      const p = d.problem(
        'tls-decrypt',
        `A TLS record from the ${ch.from} (stream byte ${rec.start}, ${e.phase} keys, sequence number ${e.seq}) does not decrypt with the key log's secret: its tag does not verify (bad_record_mac, RFC 8446 §5.2). The rest of this direction stays encrypted.`,
        'error',
        { ch, offset: rec.start },
      );
      groups.add(rec, ['Application Data'], false, p);
      continue;
    }
    e.seq++;
    const inner = decodeInnerPlaintext(opened);
    if (!inner.ok) {
      groups.add(rec, ['Application Data (no content type)'], true);
      continue;
    }
    const { content, type } = inner.repr;
    if (type === TLS_CONTENT_TYPES.application_data) {
      if (content.length > 0) {
        pieces.push({
          plainStart: plainLength,
          plainEnd: plainLength + content.length,
          streamStart: rec.start,
          streamEnd: rec.end,
        });
        parts.push(content);
        plainLength += content.length;
      }
      continue;
    }
    if (type === TLS_CONTENT_TYPES.alert) {
      const a = decodeTlsAlert(content);
      groups.add(rec, [a.ok ? describeTlsAlert(a.repr) : 'Alert'], true);
      continue;
    }
    if (type !== TLS_CONTENT_TYPES.handshake) {
      groups.add(rec, [`Content type ${type}`], true);
      continue;
    }
    const messages = innerHs.push(content);
    const names =
      messages.length > 0
        ? messages.map((m) => HANDSHAKE_LABELS[m.type] ?? `Handshake type ${m.type}`)
        : ['Handshake (fragment)'];
    let problem: CaptureProblem | undefined;
    for (const m of messages) {
      if (m.type === 20 && e.phase === 'handshake') toApplication();
      if (m.type === 24 && e.phase === 'application') {
        // §4.6.3: from the next record on, this side writes with the next generation of its secret.
        keyUpdates++;
        const secret = nextTrafficSecret(suite, e.secret);
        epoch = {
          keys: trafficKeysFor(suite, secret),
          secret,
          seq: 0,
          phase: 'application',
          generation: e.generation + 1,
        };
        problem = d.problem(
          'tls-key-update',
          `The ${ch.from} updated its traffic keys (KeyUpdate, RFC 8446 §4.6.3): generation ${e.generation + 1}.`,
          'note',
          { ch, offset: rec.start },
        );
      }
    }
    groups.add(rec, names, true, problem);
  }
  groups.flush();
  void keyUpdates;
  const plain = new Uint8Array(plainLength);
  let at = 0;
  for (const p of parts) {
    plain.set(p, at);
    at += p.length;
  }
  return { plain, pieces };
}

function firstHello(records: readonly TlsRecord[], want: 1 | 2): Hello | null {
  const hs = new HandshakeReader();
  for (const rec of records) {
    if (rec.type !== TLS_CONTENT_TYPES.handshake) {
      if (rec.type === TLS_CONTENT_TYPES.application_data) return null;
      continue;
    }
    for (const m of hs.push(rec.fragment)) {
      if (m.type !== want) continue;
      const hello = readHello(want, m.body);
      if (hello && !hello.retry) return hello;
    }
  }
  return null;
}

export function decodeTls(d: Decoding, client: Channel, server: Channel, keyLog: KeyLog | undefined): void {
  const clientRecords = readRecords(d, client);
  const serverRecords = readRecords(d, server);
  const clientHello = firstHello(clientRecords, 1);
  const serverHello = firstHello(serverRecords, 2);
  const where = { ch: client, offset: 0 };
  const anyEncrypted = clientRecords.some((r) => r.type === 23) || serverRecords.some((r) => r.type === 23);
  let suite: TlsSuite | null = null;
  let entry: KeyLogEntry | undefined;
  if (anyEncrypted) {
    if (!keyLog) {
      d.problem(
        'tls-encrypted',
        'TLS: encrypted: open the key log too (SSLKEYLOGFILE) to see inside.',
        'note',
        where,
      );
    } else if (!clientHello) {
      d.problem(
        'tls-no-client-hello',
        'TLS: the ClientHello is not in the capture, so no key in the key log can be matched to this connection (by its client random).',
        'note',
        where,
      );
    } else if (!serverHello) {
      d.problem(
        'tls-no-server-hello',
        'TLS: the ServerHello is not in the capture, so the cipher suite (and hence how to decrypt) is unknown.',
        'note',
        where,
      );
    } else if (serverHello.version !== TLS13_VERSION) {
      d.problem(
        'tls-version',
        `TLS: this connection negotiated version 0x${(serverHello.version ?? 0).toString(16)}, not TLS 1.3; Wirewalk decrypts TLS 1.3 only.`,
        'note',
        where,
      );
    } else if (!TLS13_SUITES[serverHello.suite ?? -1]) {
      d.problem(
        'tls-suite',
        `TLS: cipher suite 0x${(serverHello.suite ?? 0).toString(16).padStart(4, '0')} is not one of RFC 8446's (0x1301-0x1303); cannot decrypt.`,
        'note',
        where,
      );
    } else {
      entry = keyLog.byClientRandom.get(toHex(clientHello.random, ''));
      if (!entry) {
        d.problem(
          'tls-no-key',
          `TLS: the key log has no secrets for this connection (client random ${toHex(clientHello.random, '')}).`,
          'note',
          where,
        );
      } else {
        suite = TLS13_SUITES[serverHello.suite!]!;
      }
    }
  }
  const s = entry?.secrets;
  const c = decryptDirection(
    d,
    client,
    clientRecords,
    suite,
    s ? { handshake: s.CLIENT_HANDSHAKE_TRAFFIC_SECRET, application: s.CLIENT_TRAFFIC_SECRET_0 } : null,
  );
  const v = decryptDirection(
    d,
    server,
    serverRecords,
    suite,
    s ? { handshake: s.SERVER_HANDSHAKE_TRAFFIC_SECRET, application: s.SERVER_TRAFFIC_SECRET_0 } : null,
  );
  if (c.plain.length === 0 && v.plain.length === 0) return;
  const plainClient: Channel = { ...client, bytes: c.plain, gaps: [], pieces: c.pieces };
  const plainServer: Channel = { ...server, bytes: v.plain, gaps: [], pieces: v.pieces };
  const head = String.fromCharCode(...c.plain.subarray(0, 24));
  if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ /.test(head) && !head.startsWith('PRI * HTTP/2')) {
    decodeHttp(d, plainClient, plainServer);
  } else {
    d.problem(
      head.startsWith('PRI * HTTP/2') ? 'http2' : 'unknown-payload',
      head.startsWith('PRI * HTTP/2')
        ? 'TLS decrypted: the connection speaks HTTP/2 (RFC 9113), which Wirewalk does not decode.'
        : `TLS decrypted: ${c.plain.length + v.plain.length} bytes of application data that are not HTTP/1.1.`,
      'note',
      where,
    );
  }
}
