/**
 * TLS 1.3 client and server (RFC 8446) as pure, seeded state machines: bytes from the peer go in
 * (`receive`), records to send come out, with events for the program above. No sockets, no clock: the
 * simulation drives them over its TCP, and the interop tests over real loopback sockets.
 *
 * One full 1-RTT handshake (§2), no PSK, no 0-RTT, no HelloRetryRequest, one cipher suite
 * (TLS_AES_128_GCM_SHA256, the one §9.1 makes mandatory), one group (X25519), one signature scheme
 * (ecdsa_secp256r1_sha256). What each side sends, in order:
 *
 *   client: ClientHello                                   (record version 0x0301, as OpenSSL and Chrome)
 *   server: ServerHello, ChangeCipherSpec, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished}
 *   client: ChangeCipherSpec, {Finished}, then [application data]
 *   server: [NewSessionTicket] x2 (OpenSSL's default, as the reference capture shows), then [application data]
 *   either: [Alert close_notify] before it closes its side (§6.1)
 *
 * {} are protected with the handshake traffic keys, [] with the application traffic keys (§7.3). Each
 * handshake message goes in a record of its own, as OpenSSL writes them (routed-wss.pcap frame 6).
 * Randoms, the legacy session ID, the X25519 keys and the tickets come from the seeded streams the
 * caller passes; the signature is RFC 6979 deterministic: the same seed gives the same bytes.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { concatBytes, toHex } from '../../../protocol/bytes';
import {
  CHANGE_CIPHER_SPEC,
  TLS13_VERSION,
  TLS_ALERTS,
  TLS_CIPHER_SUITES,
  TLS_CONTENT_TYPES,
  TLS_EXTENSIONS,
  TLS_GROUPS,
  TLS_LEGACY_VERSION,
  TLS_MAX_PLAINTEXT,
  TLS_SIGNATURE_SCHEMES,
  alpnProtocol,
  decodeHandshake,
  decodeInnerPlaintext,
  decodeTlsAlert,
  encodeHandshake,
  encodeInnerPlaintext,
  encodeTlsAlert,
  encodeTlsRecord,
  findKeyShare,
  tlsExtension,
  tlsRecordExtent,
  type HandshakeRepr,
  type TlsHandshakeTypeName,
} from '../../../protocol/tls';
import {
  applicationSecrets,
  certificateVerifyContent,
  finishedVerifyData,
  handshakeSecrets,
  openRecord,
  sealRecord,
  transcriptHash,
  type ApplicationSecrets,
  type HandshakeSecrets,
  type TrafficKeys,
} from '../../../protocol/tlsKeys';
import { p256PublicKeyOf } from './certificate';

/** Where random bytes come from (the simulation's seeded `Rng` has this shape). */
export interface ByteSource {
  bytes(n: number): Uint8Array;
}

/** Which keys protect a record: none yet, the handshake traffic keys, the application traffic keys. */
export type TlsEpoch = 'plaintext' | 'handshake' | 'application';

/** One record a side sends, with what it carries in the clear, for the timeline and the inspector. */
export interface TlsRecordOut {
  /** The whole record as it goes on the wire. */
  readonly wire: Uint8Array;
  /** The real content type (inside the encryption for protected records). */
  readonly contentType: number;
  readonly epoch: TlsEpoch;
  /** The record's sequence number under its keys (§5.3); 0 for plaintext records. */
  readonly seq: number;
  /** The inner content: handshake message(s), alert, or application bytes. */
  readonly content: Uint8Array;
  /** The handshake messages it carries, by name. */
  readonly messages: readonly TlsHandshakeTypeName[];
  /** The traffic keys that protected it, for the inspector's decrypted view. */
  readonly keys: TrafficKeys | null;
}

export type TlsEvent =
  | { readonly kind: 'handshake-message'; readonly message: HandshakeRepr; readonly epoch: TlsEpoch }
  /** The handshake is complete: application data may flow. */
  | { readonly kind: 'established'; readonly alpn: string | null }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  /** The peer sent close_notify: it will send nothing more (§6.1). */
  | { readonly kind: 'close-notify' }
  | { readonly kind: 'error'; readonly alert: number; readonly message: string };

/** Every secret of the run, for the key log and the key-schedule explanation. */
export interface TlsSecrets {
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array | null;
  readonly sharedSecret: Uint8Array | null;
  readonly clientPublic: Uint8Array;
  readonly serverPublic: Uint8Array | null;
  readonly helloHash: Uint8Array | null;
  readonly handshake: HandshakeSecrets | null;
  readonly finishedHash: Uint8Array | null;
  readonly application: ApplicationSecrets | null;
}

/** NSS key log lines (the format Firefox, Chrome and OpenSSL's SSLKEYLOGFILE write; Wireshark reads it). */
export function nssKeyLog(s: TlsSecrets): string {
  const cr = toHex(s.clientRandom, '');
  const lines: string[] = [];
  if (s.handshake) {
    lines.push(`CLIENT_HANDSHAKE_TRAFFIC_SECRET ${cr} ${toHex(s.handshake.clientHandshakeTraffic, '')}`);
    lines.push(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${cr} ${toHex(s.handshake.serverHandshakeTraffic, '')}`);
  }
  if (s.application) {
    lines.push(`CLIENT_TRAFFIC_SECRET_0 ${cr} ${toHex(s.application.clientApplicationTraffic, '')}`);
    lines.push(`SERVER_TRAFFIC_SECRET_0 ${cr} ${toHex(s.application.serverApplicationTraffic, '')}`);
  }
  return lines.map((l) => l + '\n').join('');
}

const HANDSHAKE = TLS_CONTENT_TYPES.handshake;
const APPLICATION_DATA = TLS_CONTENT_TYPES.application_data;
const ALERT = TLS_CONTENT_TYPES.alert;
const CCS = TLS_CONTENT_TYPES.change_cipher_spec;
const SUITE = TLS_CIPHER_SUITES.TLS_AES_128_GCM_SHA256;
const GROUP = TLS_GROUPS.x25519;
const SCHEME = TLS_SIGNATURE_SCHEMES.ecdsa_secp256r1_sha256;
/** §4.2.9: psk_dhe_ke. */
const PSK_DHE_KE = 1;
/** §A.2 note: OpenSSL's first ClientHello record says 0x0301, as §5.1 allows. */
const CLIENT_HELLO_RECORD_VERSION = 0x0301;

/** Shared machinery: record framing, protection, handshake reassembly, the transcript. */
abstract class TlsEndpoint {
  protected readonly rx: Uint8Array[] = [];
  private rxLength = 0;
  private handshakeBuffer: Uint8Array = new Uint8Array(0);
  protected readonly transcript: Uint8Array[] = [];
  protected readKeys: TrafficKeys | null = null;
  protected readSeq = 0;
  protected readEpoch: TlsEpoch = 'plaintext';
  protected writeKeys: TrafficKeys | null = null;
  protected writeSeq = 0;
  protected writeEpoch: TlsEpoch = 'plaintext';
  protected hs: HandshakeSecrets | null = null;
  protected ap: ApplicationSecrets | null = null;
  protected helloHash: Uint8Array | null = null;
  protected finishedHash: Uint8Array | null = null;
  protected shared: Uint8Array | null = null;
  protected failed = false;
  protected sentCloseNotify = false;
  established = false;
  alpn: string | null = null;

  /** Bytes from the peer: the records they complete, the records to send in answer, the events. */
  receive(bytes: Uint8Array): { out: TlsRecordOut[]; events: TlsEvent[] } {
    const out: TlsRecordOut[] = [];
    const events: TlsEvent[] = [];
    if (this.failed) return { out, events };
    this.rx.push(bytes);
    this.rxLength += bytes.length;
    for (;;) {
      const head = this.peek(5);
      if (!head) break;
      const extent = tlsRecordExtent(head)!;
      if (this.rxLength < extent) break;
      const record = this.take(extent);
      this.record(record, out, events);
      if (this.failed) break;
    }
    return { out, events };
  }

  private peek(n: number): Uint8Array | null {
    if (this.rxLength < n) return null;
    if (this.rx[0]!.length < n) this.rx.splice(0, this.rx.length, concatBytes(...this.rx));
    return this.rx[0]!.subarray(0, n);
  }

  private take(n: number): Uint8Array {
    if (this.rx[0]!.length < n) this.rx.splice(0, this.rx.length, concatBytes(...this.rx));
    const first = this.rx[0]!;
    const record = first.subarray(0, n);
    if (first.length === n) this.rx.shift();
    else this.rx[0] = first.subarray(n);
    this.rxLength -= n;
    return record;
  }

  protected fail(events: TlsEvent[], alert: number, message: string): void {
    this.failed = true;
    events.push({ kind: 'error', alert, message });
  }

  private record(record: Uint8Array, out: TlsRecordOut[], events: TlsEvent[]): void {
    const type = record[0]!;
    const fragment = record.subarray(5);
    if (type === CCS) return; // Appendix D.4: ignore a ChangeCipherSpec during the handshake.
    if (this.readKeys === null) {
      if (type !== HANDSHAKE)
        return this.fail(events, TLS_ALERTS.unexpected_message, `unexpected record type ${type} before keys`);
      this.handshakeBytes(fragment, out, events);
      return;
    }
    if (type !== APPLICATION_DATA) {
      return this.fail(
        events,
        TLS_ALERTS.unexpected_message,
        `record type ${type} after keys (RFC 8446 §5.2)`,
      );
    }
    const inner = openRecord(this.readKeys, this.readSeq++, record);
    if (inner === null)
      return this.fail(events, TLS_ALERTS.bad_record_mac, 'a record did not decrypt (bad_record_mac)');
    const plain = decodeInnerPlaintext(inner);
    if (!plain.ok) return this.fail(events, TLS_ALERTS.unexpected_message, plain.error.message);
    const { content, type: innerType } = plain.repr;
    if (innerType === HANDSHAKE) this.handshakeBytes(content, out, events);
    else if (innerType === APPLICATION_DATA) {
      if (!this.established)
        return this.fail(events, TLS_ALERTS.unexpected_message, 'data before the handshake ended');
      events.push({ kind: 'data', bytes: content });
    } else if (innerType === ALERT) {
      const alert = decodeTlsAlert(content);
      if (alert.ok && alert.repr.description === TLS_ALERTS.close_notify)
        events.push({ kind: 'close-notify' });
      else
        this.fail(
          events,
          alert.ok ? alert.repr.description : TLS_ALERTS.decode_error,
          'the peer sent an alert',
        );
    } else this.fail(events, TLS_ALERTS.unexpected_message, `inner content type ${innerType}`);
  }

  private handshakeBytes(bytes: Uint8Array, out: TlsRecordOut[], events: TlsEvent[]): void {
    this.handshakeBuffer = concatBytes(this.handshakeBuffer, bytes);
    while (this.handshakeBuffer.length >= 4 && !this.failed) {
      const b = this.handshakeBuffer;
      const length = (b[1]! << 16) | (b[2]! << 8) | b[3]!;
      if (b.length < 4 + length) return;
      const wire = b.subarray(0, 4 + length);
      this.handshakeBuffer = b.slice(4 + length);
      const decoded = decodeHandshake(wire);
      if (!decoded.ok) return this.fail(events, TLS_ALERTS.decode_error, decoded.error.message);
      events.push({ kind: 'handshake-message', message: decoded.repr, epoch: this.readEpoch });
      this.handshake(decoded.repr, wire, out, events);
    }
  }

  protected abstract handshake(
    m: HandshakeRepr,
    wire: Uint8Array,
    out: TlsRecordOut[],
    events: TlsEvent[],
  ): void;

  /** A plaintext record (before keys): ClientHello, ServerHello, ChangeCipherSpec. */
  protected plainRecord(
    type: number,
    content: Uint8Array,
    messages: TlsHandshakeTypeName[],
    version = TLS_LEGACY_VERSION,
  ): TlsRecordOut {
    return {
      wire: encodeTlsRecord({ type, version, fragment: content }),
      contentType: type,
      epoch: 'plaintext',
      seq: 0,
      content,
      messages,
      keys: null,
    };
  }

  /** §5.2: a protected record under the current write keys. */
  protected sealed(type: number, content: Uint8Array, messages: TlsHandshakeTypeName[] = []): TlsRecordOut {
    const keys = this.writeKeys!;
    const seq = this.writeSeq++;
    return {
      wire: sealRecord(keys, seq, encodeInnerPlaintext(content, type)),
      contentType: type,
      epoch: this.writeEpoch,
      seq,
      content,
      messages,
      keys,
    };
  }

  protected sendHandshake(m: HandshakeRepr): TlsRecordOut {
    const wire = encodeHandshake(m);
    this.transcript.push(wire);
    return this.sealed(HANDSHAKE, wire, [m.kind]);
  }

  /** Application bytes in records of at most 2^14 bytes (§5.1). */
  send(bytes: Uint8Array): TlsRecordOut[] {
    if (!this.established || this.sentCloseNotify) return [];
    const out: TlsRecordOut[] = [];
    for (let at = 0; at < bytes.length; at += TLS_MAX_PLAINTEXT) {
      out.push(
        this.sealed(APPLICATION_DATA, bytes.subarray(at, Math.min(bytes.length, at + TLS_MAX_PLAINTEXT))),
      );
    }
    return out;
  }

  /** §6.1: close_notify before closing the write side. */
  close(): TlsRecordOut[] {
    if (this.sentCloseNotify || this.writeKeys === null) return [];
    this.sentCloseNotify = true;
    // §6: TLS 1.3 ignores the level; OpenSSL and the reference capture send close_notify as a warning (1).
    return [this.sealed(ALERT, encodeTlsAlert({ level: 1, description: TLS_ALERTS.close_notify }))];
  }
}

export interface TlsClientOptions {
  /** SNI (RFC 6066 §3). */
  readonly serverName: string;
  /** ALPN protocols to offer (RFC 7301), e.g. ['http/1.1']. */
  readonly alpn: readonly string[];
  /** Randoms, session ID and the X25519 key (seeded in the simulation). */
  readonly random: ByteSource;
}

export class TlsClient extends TlsEndpoint {
  private readonly privateKey: Uint8Array;
  readonly clientRandom: Uint8Array;
  readonly publicKey: Uint8Array;
  private serverRandom: Uint8Array | null = null;
  private serverPublic: Uint8Array | null = null;
  private certificateKey: Uint8Array | null = null;
  private expect: TlsHandshakeTypeName = 'server_hello';
  private readonly sessionId: Uint8Array;

  constructor(private readonly o: TlsClientOptions) {
    super();
    this.clientRandom = o.random.bytes(32);
    // Appendix D.4: a non-empty legacy_session_id puts the server in middlebox-compatibility mode.
    this.sessionId = o.random.bytes(32);
    this.privateKey = o.random.bytes(32);
    this.publicKey = x25519.getPublicKey(this.privateKey);
  }

  /** The ClientHello record (§4.1.2). */
  start(): TlsRecordOut[] {
    const hello: HandshakeRepr = {
      kind: 'client_hello',
      legacyVersion: TLS_LEGACY_VERSION,
      random: this.clientRandom,
      sessionId: this.sessionId,
      cipherSuites: [SUITE],
      compressionMethods: [0],
      extensions: [
        tlsExtension.serverName(this.o.serverName),
        tlsExtension.supportedGroups([GROUP]),
        tlsExtension.alpn(this.o.alpn),
        tlsExtension.signatureAlgorithms([SCHEME]),
        tlsExtension.keyShareClient(GROUP, this.publicKey),
        tlsExtension.pskModes([PSK_DHE_KE]),
        tlsExtension.supportedVersionsClient([TLS13_VERSION]),
      ],
    };
    const wire = encodeHandshake(hello);
    this.transcript.push(wire);
    return [this.plainRecord(HANDSHAKE, wire, ['client_hello'], CLIENT_HELLO_RECORD_VERSION)];
  }

  secrets(): TlsSecrets {
    return {
      clientRandom: this.clientRandom,
      serverRandom: this.serverRandom,
      sharedSecret: this.shared,
      clientPublic: this.publicKey,
      serverPublic: this.serverPublic,
      helloHash: this.helloHash,
      handshake: this.hs,
      finishedHash: this.finishedHash,
      application: this.ap,
    };
  }

  protected handshake(m: HandshakeRepr, wire: Uint8Array, out: TlsRecordOut[], events: TlsEvent[]): void {
    if (this.established) {
      // §4.6.1: tickets after the handshake; a client that does not resume keeps none.
      if (m.kind !== 'new_session_ticket')
        this.fail(events, TLS_ALERTS.unexpected_message, `unexpected ${m.kind}`);
      return;
    }
    if (m.kind !== this.expect)
      return this.fail(events, TLS_ALERTS.unexpected_message, `expected ${this.expect}, got ${m.kind}`);
    switch (m.kind) {
      case 'server_hello': {
        const version = m.extensions.find((e) => e.type === TLS_EXTENSIONS.supported_versions);
        const share = findKeyShare(m.extensions, GROUP, 'server');
        if (!version || ((version.data[0]! << 8) | version.data[1]!) !== TLS13_VERSION) {
          return this.fail(events, TLS_ALERTS.protocol_version, 'the server did not choose TLS 1.3');
        }
        if (m.cipherSuite !== SUITE || !share)
          return this.fail(events, TLS_ALERTS.handshake_failure, 'unexpected suite or key share');
        this.transcript.push(wire);
        this.serverRandom = m.random;
        this.serverPublic = share;
        this.shared = x25519.getSharedSecret(this.privateKey, share);
        this.helloHash = transcriptHash(...this.transcript);
        this.hs = handshakeSecrets(this.shared, this.helloHash);
        this.readKeys = this.hs.server;
        this.readSeq = 0;
        this.readEpoch = 'handshake';
        this.expect = 'encrypted_extensions';
        return;
      }
      case 'encrypted_extensions':
        this.transcript.push(wire);
        this.alpn = alpnProtocol(m.extensions);
        this.expect = 'certificate';
        return;
      case 'certificate': {
        this.transcript.push(wire);
        const leaf = m.entries[0];
        this.certificateKey = leaf ? p256PublicKeyOf(leaf.data) : null;
        // A browser would now check the chain up to a root it trusts and the name (RFC 5280, RFC 6125);
        // this client trusts the one test certificate it was given, as `ca: cert` does in Node.
        if (!this.certificateKey)
          return this.fail(events, TLS_ALERTS.bad_certificate, 'no P-256 key in the certificate');
        this.expect = 'certificate_verify';
        return;
      }
      case 'certificate_verify': {
        const content = certificateVerifyContent(transcriptHash(...this.transcript), 'server');
        const ok =
          m.scheme === SCHEME &&
          p256.verify(m.signature, content, this.certificateKey!, { format: 'der', lowS: false });
        if (!ok)
          return this.fail(
            events,
            TLS_ALERTS.decrypt_error,
            'the CertificateVerify signature is wrong (RFC 8446 §4.4.3)',
          );
        this.transcript.push(wire);
        this.expect = 'finished';
        return;
      }
      case 'finished': {
        const expected = finishedVerifyData(
          this.hs!.serverHandshakeTraffic,
          transcriptHash(...this.transcript),
        );
        if (toHex(expected) !== toHex(m.verifyData))
          return this.fail(events, TLS_ALERTS.decrypt_error, 'the server Finished is wrong');
        this.transcript.push(wire);
        this.finishedHash = transcriptHash(...this.transcript);
        this.ap = applicationSecrets(this.hs!.handshakeSecret, this.finishedHash);
        // Appendix D.4: a ChangeCipherSpec before the client's first protected record.
        out.push(this.plainRecord(CCS, CHANGE_CIPHER_SPEC, []));
        this.writeKeys = this.hs!.client;
        this.writeSeq = 0;
        this.writeEpoch = 'handshake';
        const verifyData = finishedVerifyData(this.hs!.clientHandshakeTraffic, this.finishedHash);
        out.push(this.sendHandshake({ kind: 'finished', verifyData }));
        this.writeKeys = this.ap.client;
        this.writeSeq = 0;
        this.writeEpoch = 'application';
        this.readKeys = this.ap.server;
        this.readSeq = 0;
        this.readEpoch = 'application';
        this.established = true;
        events.push({ kind: 'established', alpn: this.alpn });
        return;
      }
      default:
        return this.fail(events, TLS_ALERTS.unexpected_message, `unexpected ${m.kind}`);
    }
  }
}

export interface TlsServerOptions {
  /** The certificate chain in DER, leaf first. */
  readonly certificates: readonly Uint8Array[];
  /** The leaf's P-256 private key (32 bytes). */
  readonly privateKey: Uint8Array;
  /** ALPN protocols the server speaks, in its order of preference. */
  readonly alpn: readonly string[];
  readonly random: ByteSource;
  /** NewSessionTickets after the handshake (OpenSSL's default is 2). */
  readonly tickets: number;
}

export class TlsServer extends TlsEndpoint {
  private clientRandom: Uint8Array | null = null;
  private clientPublic: Uint8Array | null = null;
  readonly serverRandom: Uint8Array;
  private readonly privateKeyX: Uint8Array;
  readonly publicKey: Uint8Array;
  private expect: TlsHandshakeTypeName = 'client_hello';

  constructor(private readonly o: TlsServerOptions) {
    super();
    this.serverRandom = o.random.bytes(32);
    this.privateKeyX = o.random.bytes(32);
    this.publicKey = x25519.getPublicKey(this.privateKeyX);
  }

  secrets(): TlsSecrets | null {
    if (!this.clientRandom || !this.clientPublic) return null;
    return {
      clientRandom: this.clientRandom,
      serverRandom: this.serverRandom,
      sharedSecret: this.shared,
      clientPublic: this.clientPublic,
      serverPublic: this.publicKey,
      helloHash: this.helloHash,
      handshake: this.hs,
      finishedHash: this.finishedHash,
      application: this.ap,
    };
  }

  protected handshake(m: HandshakeRepr, wire: Uint8Array, out: TlsRecordOut[], events: TlsEvent[]): void {
    if (m.kind !== this.expect)
      return this.fail(events, TLS_ALERTS.unexpected_message, `expected ${this.expect}, got ${m.kind}`);
    if (m.kind === 'client_hello') {
      const versions = m.extensions.find((e) => e.type === TLS_EXTENSIONS.supported_versions);
      const offers13 = versions
        ? Array.from(
            { length: (versions.data.length - 1) >> 1 },
            (_, i) => (versions.data[1 + 2 * i]! << 8) | versions.data[2 + 2 * i]!,
          ).includes(TLS13_VERSION)
        : false;
      const share = findKeyShare(m.extensions, GROUP, 'client');
      if (!offers13)
        return this.fail(events, TLS_ALERTS.protocol_version, 'the client does not offer TLS 1.3');
      if (!m.cipherSuites.includes(SUITE) || !share) {
        return this.fail(
          events,
          TLS_ALERTS.handshake_failure,
          'no TLS_AES_128_GCM_SHA256 or no X25519 key share',
        );
      }
      this.transcript.push(wire);
      this.clientRandom = m.random;
      this.clientPublic = share;
      const offered = alpnOffer(m);
      const alpn = this.o.alpn.find((p) => offered.includes(p)) ?? null;
      if (offered.length > 0 && alpn === null) {
        return this.fail(
          events,
          TLS_ALERTS.no_application_protocol,
          'no common ALPN protocol (RFC 7301 §3.2)',
        );
      }
      this.alpn = alpn;
      const hello: HandshakeRepr = {
        kind: 'server_hello',
        legacyVersion: TLS_LEGACY_VERSION,
        random: this.serverRandom,
        sessionId: m.sessionId, // §4.1.3: echoed
        cipherSuite: SUITE,
        compressionMethod: 0,
        extensions: [
          tlsExtension.supportedVersionsServer(TLS13_VERSION),
          tlsExtension.keyShareServer(GROUP, this.publicKey),
        ],
      };
      const helloWire = encodeHandshake(hello);
      this.transcript.push(helloWire);
      out.push(this.plainRecord(HANDSHAKE, helloWire, ['server_hello']));
      // Appendix D.4: the server sends its ChangeCipherSpec right after the ServerHello.
      out.push(this.plainRecord(CCS, CHANGE_CIPHER_SPEC, []));
      this.shared = x25519.getSharedSecret(this.privateKeyX, share);
      this.helloHash = transcriptHash(...this.transcript);
      this.hs = handshakeSecrets(this.shared, this.helloHash);
      this.writeKeys = this.hs.server;
      this.writeSeq = 0;
      this.writeEpoch = 'handshake';
      out.push(
        this.sendHandshake({
          kind: 'encrypted_extensions',
          extensions: alpn ? [tlsExtension.alpn([alpn])] : [],
        }),
      );
      out.push(
        this.sendHandshake({
          kind: 'certificate',
          context: new Uint8Array(0),
          entries: this.o.certificates.map((data) => ({ data, extensions: [] })),
        }),
      );
      const content = certificateVerifyContent(transcriptHash(...this.transcript), 'server');
      // RFC 6979 deterministic ECDSA over SHA-256 of the content, DER-encoded (§4.2.3 ecdsa_secp256r1_sha256).
      const signature = p256.sign(content, this.o.privateKey, { format: 'der' });
      out.push(this.sendHandshake({ kind: 'certificate_verify', scheme: SCHEME, signature }));
      const verifyData = finishedVerifyData(
        this.hs.serverHandshakeTraffic,
        transcriptHash(...this.transcript),
      );
      out.push(this.sendHandshake({ kind: 'finished', verifyData }));
      this.finishedHash = transcriptHash(...this.transcript);
      this.ap = applicationSecrets(this.hs.handshakeSecret, this.finishedHash);
      this.readKeys = this.hs.client;
      this.readSeq = 0;
      this.readEpoch = 'handshake';
      this.expect = 'finished';
      return;
    }
    if (m.kind === 'finished') {
      const expected = finishedVerifyData(
        this.hs!.clientHandshakeTraffic,
        transcriptHash(...this.transcript),
      );
      if (toHex(expected) !== toHex(m.verifyData))
        return this.fail(events, TLS_ALERTS.decrypt_error, 'the client Finished is wrong');
      this.transcript.push(wire);
      this.readKeys = this.ap!.client;
      this.readSeq = 0;
      this.readEpoch = 'application';
      this.writeKeys = this.ap!.server;
      this.writeSeq = 0;
      this.writeEpoch = 'application';
      this.established = true;
      for (let i = 0; i < this.o.tickets; i++) {
        // §4.6.1: OpenSSL's tickets: lifetime 7200 s, a random age_add, an 8-byte counter nonce, an opaque ticket.
        const ticket: HandshakeRepr = {
          kind: 'new_session_ticket',
          lifetime: 7200,
          ageAdd: (() => {
            const b = this.o.random.bytes(4);
            return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
          })(),
          nonce: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, i),
          ticket: this.o.random.bytes(240),
          extensions: [],
        };
        out.push(this.sealed(HANDSHAKE, encodeHandshake(ticket), ['new_session_ticket']));
      }
      events.push({ kind: 'established', alpn: this.alpn });
      return;
    }
    this.fail(events, TLS_ALERTS.unexpected_message, `unexpected ${m.kind}`);
  }
}

function alpnOffer(m: HandshakeRepr & { kind: 'client_hello' }): string[] {
  const e = m.extensions.find((x) => x.type === TLS_EXTENSIONS.application_layer_protocol_negotiation);
  if (!e) return [];
  const names: string[] = [];
  const text = new TextDecoder();
  for (let i = 2; i < e.data.length;) {
    const n = e.data[i]!;
    names.push(text.decode(e.data.subarray(i + 1, i + 1 + n)));
    i += 1 + n;
  }
  return names;
}
