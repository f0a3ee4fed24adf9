/**
 * TLS 1.3 (RFC 8446): the record layer (§5.1), the protected record's inner plaintext (§5.2), and the
 * handshake messages of a full 1-RTT handshake (§4): ClientHello, ServerHello, EncryptedExtensions,
 * Certificate, CertificateVerify, Finished, NewSessionTicket; plus ChangeCipherSpec (Appendix D.4)
 * and Alert (§6).
 *
 * Every decoder walks the bytes with a bounds-checked cursor and returns `fail(...)` on the first
 * length that does not fit: it never throws. Annotations tile every byte of a message (each leaf field
 * once, containers by their length prefixes), so the inspector can colour every byte.
 * The key schedule and record protection are in `tlsKeys.ts`.
 */
import { concatBytes, hex16, hex8, toHex } from './bytes';
import {
  annotate,
  fail,
  namesByValue,
  tableLength,
  type DecodeResult,
  type FieldAnnotation,
  type FieldTable,
} from './fields';

/** §5.1 ContentType. */
export const TLS_CONTENT_TYPES = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;
export type TlsContentTypeName = keyof typeof TLS_CONTENT_TYPES;
const CONTENT_TYPE_NAMES = namesByValue(TLS_CONTENT_TYPES);

/** §4 HandshakeType (the messages a 1-RTT handshake uses). */
export const TLS_HANDSHAKE_TYPES = {
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  encrypted_extensions: 8,
  certificate: 11,
  certificate_verify: 15,
  finished: 20,
} as const;
export type TlsHandshakeTypeName = keyof typeof TLS_HANDSHAKE_TYPES;
const HANDSHAKE_NAMES = namesByValue(TLS_HANDSHAKE_TYPES);

/** §4.2 ExtensionType (those the handshake here uses, and a few every capture shows). */
export const TLS_EXTENSIONS = {
  server_name: 0,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  application_layer_protocol_negotiation: 16,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  record_size_limit: 28,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  psk_key_exchange_modes: 45,
  key_share: 51,
  renegotiation_info: 0xff01,
} as const;
export type TlsExtensionName = keyof typeof TLS_EXTENSIONS;
const EXTENSION_NAMES = namesByValue(TLS_EXTENSIONS);

/** §4.2.7 NamedGroup. */
export const TLS_GROUPS = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  ffdhe2048: 0x0100,
} as const;
const GROUP_NAMES = namesByValue(TLS_GROUPS);

/** §4.2.3 SignatureScheme. */
export const TLS_SIGNATURE_SCHEMES = {
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807,
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
} as const;
const SCHEME_NAMES = namesByValue(TLS_SIGNATURE_SCHEMES);

/** §B.4 cipher suites. */
export const TLS_CIPHER_SUITES = {
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
} as const;
const SUITE_NAMES = namesByValue(TLS_CIPHER_SUITES);

/** §6 AlertDescription (those a closing connection and a failing handshake use). */
export const TLS_ALERTS = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  illegal_parameter: 47,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  internal_error: 80,
  missing_extension: 109,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;
const ALERT_NAMES = namesByValue(TLS_ALERTS);

/** §5.1: legacy_record_version is 0x0303 on every record but a first ClientHello (which may use 0x0301). */
export const TLS_LEGACY_VERSION = 0x0303;
/** §4.2.1: the value supported_versions carries for TLS 1.3. */
export const TLS13_VERSION = 0x0304;
/** §5.1: a plaintext fragment is at most 2^14 bytes. */
export const TLS_MAX_PLAINTEXT = 1 << 14;
/** §5.2: a protected record's ciphertext is at most 2^14 + 256 bytes. */
export const TLS_MAX_CIPHERTEXT = (1 << 14) + 256;
/** AES-128-GCM's authentication tag (RFC 5116 §5.1). */
export const TLS_AEAD_TAG_LENGTH = 16;

const nameOr = (names: { readonly [v: number]: string }, v: number, width: 2 | 4): string =>
  names[v] ?? (width === 2 ? hex8(v) : hex16(v));

// ---------------------------------------------------------------- record layer

/** §5.1 TLSPlaintext / TLSCiphertext header. */
const RECORD_HEADER = {
  type: {
    name: 'Content type',
    start: 0,
    end: 1,
    meaning:
      'What the record carries: 22 handshake, 20 change_cipher_spec, 21 alert, 23 application_data. Every encrypted record says 23; its real type is hidden inside (RFC 8446 §5.2).', // RFC 8446 §5.2
  },
  version: {
    name: 'Legacy record version',
    start: 1,
    end: 3,
    meaning:
      '0x0303 ("TLS 1.2") on every record but a first ClientHello, which may say 0x0301 ("TLS 1.0"): old values for middleboxes that would drop anything new; the real version is agreed in supported_versions (RFC 8446 §5.1).', // RFC 8446 §5.1
  },
  length: {
    name: 'Length',
    start: 3,
    end: 5,
    meaning: 'How many bytes of fragment follow: at most 16384, or 16640 when encrypted (RFC 8446 §5.1-5.2).', // RFC 8446 §5.1-5.2
  },
} as const satisfies FieldTable<string>;

export const TLS_RECORD_HEADER_LENGTH = tableLength(RECORD_HEADER);

export interface TlsRecordRepr {
  readonly type: number;
  readonly version: number;
  /** The fragment: plaintext for handshake/CCS/alert before keys, else ciphertext + tag. */
  readonly fragment: Uint8Array;
}

export function encodeTlsRecord(r: TlsRecordRepr): Uint8Array {
  if (r.fragment.length > TLS_MAX_CIPHERTEXT) {
    throw new RangeError(`TLS record fragment of ${r.fragment.length} bytes exceeds ${TLS_MAX_CIPHERTEXT}`); // RFC 8446 §5.2: at most 2^14 + 256 bytes
  }
  const out = new Uint8Array(TLS_RECORD_HEADER_LENGTH + r.fragment.length);
  out[0] = r.type;
  out[1] = r.version >> 8;
  out[2] = r.version & 0xff;
  out[3] = r.fragment.length >> 8;
  out[4] = r.fragment.length & 0xff;
  out.set(r.fragment, TLS_RECORD_HEADER_LENGTH);
  return out;
}

/**
 * One record from the start of `bytes`. The fragment is annotated as a whole: for a protected record
 * (type 23) as the encrypted content followed by the 16-byte AEAD tag (§5.2).
 */
export function decodeTlsRecord(bytes: Uint8Array): DecodeResult<TlsRecordRepr> {
  if (bytes.length < TLS_RECORD_HEADER_LENGTH) {
    return fail('truncated', `a TLS record header is 5 bytes, only ${bytes.length} present`, bytes.length); // RFC 8446 §5.1: type, version, length
  }
  const type = bytes[0]!;
  const version = (bytes[1]! << 8) | bytes[2]!;
  const length = (bytes[3]! << 8) | bytes[4]!;
  if (CONTENT_TYPE_NAMES[type] === undefined) {
    return fail('bad-content-type', `TLS content type ${type} is not one RFC 8446 §5.1 defines`, 0); // RFC 8446 §5.1 (ContentType)
  }
  if (length > TLS_MAX_CIPHERTEXT) {
    return fail('record-overflow', `TLS record length ${length} exceeds 2^14 + 256 (RFC 8446 §5.2)`, 3); // RFC 8446 §5.2
  }
  const end = TLS_RECORD_HEADER_LENGTH + length;
  if (bytes.length < end) {
    return fail(
      'truncated',
      `TLS record says ${length} bytes, only ${bytes.length - 5} present`, // RFC 8446 §5.1 (length)
      bytes.length,
    );
  }
  const fragment = bytes.subarray(TLS_RECORD_HEADER_LENGTH, end);
  const fields: FieldAnnotation[] = annotate('tls', RECORD_HEADER, {
    type: `${type} (${CONTENT_TYPE_NAMES[type]})`,
    version: hex16(version),
    length: String(length),
  });
  if (type === TLS_CONTENT_TYPES.application_data && length >= TLS_AEAD_TAG_LENGTH) {
    fields.push(
      {
        layer: 'tls',
        key: 'encryptedRecord',
        name: 'Encrypted content',
        start: TLS_RECORD_HEADER_LENGTH,
        end: end - TLS_AEAD_TAG_LENGTH,
        value: `${length - TLS_AEAD_TAG_LENGTH} bytes`,
        meaning:
          'Ciphertext of the inner plaintext (AES-128-GCM in Wirewalk’s connections): the content, one byte of its real content type, then any zero padding (RFC 8446 §5.2). Without the keys it looks random.', // RFC 8446 §5.2
      },
      {
        layer: 'tls',
        key: 'authTag',
        name: 'Authentication tag',
        start: end - TLS_AEAD_TAG_LENGTH,
        end,
        value: toHex(fragment.subarray(length - TLS_AEAD_TAG_LENGTH), ''),
        meaning:
          'The 16-byte AEAD tag over the ciphertext and the 5-byte header: one changed bit anywhere and the receiver rejects the record (bad_record_mac, RFC 8446 §5.2).', // RFC 8446 §5.2
      },
    );
  } else if (length > 0) {
    fields.push({
      layer: 'tls',
      key: 'fragment',
      name: CONTENT_TYPE_NAMES[type] === 'handshake' ? 'Handshake messages' : 'Fragment',
      start: TLS_RECORD_HEADER_LENGTH,
      end,
      value: `${length} bytes`,
      meaning:
        type === TLS_CONTENT_TYPES.change_cipher_spec
          ? 'The record’s content, sent in the clear: TLS 1.3 never encrypts a change_cipher_spec record (RFC 8446 §5).' // RFC 8446 §5
          : 'The record’s content, sent in the clear because no keys exist yet (RFC 8446 §5.1).', // RFC 8446 §5.1
    });
  }
  return { ok: true, repr: { type, version, fragment }, payload: fragment, fields, length: end };
}

/** The whole length of the record at the start of `bytes` once its header is there, else null. */
export function tlsRecordExtent(bytes: Uint8Array): number | null {
  if (bytes.length < TLS_RECORD_HEADER_LENGTH) return null;
  return TLS_RECORD_HEADER_LENGTH + ((bytes[3]! << 8) | bytes[4]!);
}

export function describeTlsRecord(r: TlsRecordRepr): string {
  const name = CONTENT_TYPE_NAMES[r.type] ?? hex8(r.type);
  return `TLS ${name} record, ${r.fragment.length} bytes`;
}

/** §5.2 TLSInnerPlaintext: content, the real content type, then zero padding. */
export function encodeInnerPlaintext(content: Uint8Array, type: number, padding = 0): Uint8Array {
  const out = new Uint8Array(content.length + 1 + padding);
  out.set(content, 0);
  out[content.length] = type;
  return out;
}

export interface InnerPlaintextRepr {
  readonly content: Uint8Array;
  readonly type: number;
  readonly padding: number;
}

/** §5.2: strip the zero padding from the end; the last non-zero byte is the content type. */
export function decodeInnerPlaintext(bytes: Uint8Array): DecodeResult<InnerPlaintextRepr> {
  let i = bytes.length - 1;
  while (i >= 0 && bytes[i] === 0) i--;
  if (i < 0) {
    return fail('no-content-type', 'the inner plaintext is all zeros: no content type (RFC 8446 §5.4)', 0); // RFC 8446 §5.4
  }
  const type = bytes[i]!;
  const padding = bytes.length - 1 - i;
  const content = bytes.subarray(0, i);
  const fields: FieldAnnotation[] = [];
  if (i > 0) {
    fields.push({
      layer: 'tls',
      key: 'content',
      name: 'Content',
      start: 0,
      end: i,
      value: `${i} bytes`,
      meaning: 'What the record protects: handshake messages, an alert, or the application’s bytes.', // RFC 8446 §5.2
    });
  }
  fields.push({
    layer: 'tls',
    key: 'innerType',
    name: 'Inner content type',
    start: i,
    end: i + 1,
    value: `${type} (${CONTENT_TYPE_NAMES[type] ?? 'unknown'})`,
    meaning:
      'The record’s real content type, encrypted with it so an observer cannot tell handshake from data (RFC 8446 §5.2).', // RFC 8446 §5.2
  });
  if (padding > 0) {
    fields.push({
      layer: 'tls',
      key: 'padding',
      name: 'Padding',
      start: i + 1,
      end: bytes.length,
      value: `${padding} zero bytes`,
      meaning: 'Optional zeros that hide the true length (RFC 8446 §5.4).', // RFC 8446 §5.4
    });
  }
  return { ok: true, repr: { content, type, padding }, payload: content, fields, length: bytes.length };
}

// ---------------------------------------------------------------- alerts and CCS

const ALERT_TABLE = {
  level: {
    name: 'Alert level',
    start: 0,
    end: 1,
    meaning: '1 warning, 2 fatal; TLS 1.3 ignores it and goes by the description (RFC 8446 §6).', // RFC 8446 §6
  },
  description: {
    name: 'Alert description',
    start: 1,
    end: 2,
    meaning: 'What happened: 0 close_notify means "I will send nothing more" (RFC 8446 §6.1).', // RFC 8446 §6.1
  },
} as const satisfies FieldTable<string>;

export interface TlsAlertRepr {
  readonly level: number;
  readonly description: number;
}

export function encodeTlsAlert(a: TlsAlertRepr): Uint8Array {
  return Uint8Array.of(a.level, a.description);
}

export function decodeTlsAlert(bytes: Uint8Array): DecodeResult<TlsAlertRepr> {
  if (bytes.length < 2)
    return fail('truncated', `an alert is 2 bytes, ${bytes.length} present`, bytes.length); // RFC 8446 §6 (level, description)
  const level = bytes[0]!;
  const description = bytes[1]!;
  return {
    ok: true,
    repr: { level, description },
    payload: bytes.subarray(2),
    fields: annotate('tls', ALERT_TABLE, {
      level: `${level} (${level === 1 ? 'warning' : level === 2 ? 'fatal' : 'unknown'})`,
      description: `${description} (${nameOr(ALERT_NAMES, description, 2)})`,
    }),
    length: 2,
  };
}

export function describeTlsAlert(a: TlsAlertRepr): string {
  return `Alert (${a.level === 2 ? 'fatal' : 'warning'}, ${nameOr(ALERT_NAMES, a.description, 2)})`;
}

/** Appendix D.4: the one-byte ChangeCipherSpec a middlebox-compatible peer sends. */
export const CHANGE_CIPHER_SPEC = Uint8Array.of(1);

export function changeCipherSpecFields(): FieldAnnotation[] {
  return [
    {
      layer: 'tls',
      key: 'ccs',
      name: 'Change cipher spec',
      start: 0,
      end: 1,
      value: '1',
      meaning:
        'A dummy message TLS 1.3 no longer needs: sent only so that middleboxes expecting TLS 1.2 let the connection through (RFC 8446 Appendix D.4).', // RFC 8446 Appendix D.4
    },
  ];
}

// ---------------------------------------------------------------- handshake messages

export interface TlsExtension {
  readonly type: number;
  readonly data: Uint8Array;
}

export interface ClientHelloRepr {
  readonly kind: 'client_hello';
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  readonly extensions: readonly TlsExtension[];
}

export interface ServerHelloRepr {
  readonly kind: 'server_hello';
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions: readonly TlsExtension[];
}

export interface EncryptedExtensionsRepr {
  readonly kind: 'encrypted_extensions';
  readonly extensions: readonly TlsExtension[];
}

export interface CertificateEntry {
  readonly data: Uint8Array;
  readonly extensions: readonly TlsExtension[];
}

export interface CertificateRepr {
  readonly kind: 'certificate';
  readonly context: Uint8Array;
  readonly entries: readonly CertificateEntry[];
}

export interface CertificateVerifyRepr {
  readonly kind: 'certificate_verify';
  readonly scheme: number;
  readonly signature: Uint8Array;
}

export interface FinishedRepr {
  readonly kind: 'finished';
  readonly verifyData: Uint8Array;
}

export interface NewSessionTicketRepr {
  readonly kind: 'new_session_ticket';
  readonly lifetime: number;
  readonly ageAdd: number;
  readonly nonce: Uint8Array;
  readonly ticket: Uint8Array;
  readonly extensions: readonly TlsExtension[];
}

export type HandshakeRepr =
  | ClientHelloRepr
  | ServerHelloRepr
  | EncryptedExtensionsRepr
  | CertificateRepr
  | CertificateVerifyRepr
  | FinishedRepr
  | NewSessionTicketRepr;

/** Big-endian writer for the §3 presentation language: vectors with 1-, 2- or 3-byte length prefixes. */
class Writer {
  private readonly parts: Uint8Array[] = [];
  u8(v: number): this {
    this.parts.push(Uint8Array.of(v & 0xff));
    return this;
  }
  u16(v: number): this {
    this.parts.push(Uint8Array.of((v >> 8) & 0xff, v & 0xff));
    return this;
  }
  u24(v: number): this {
    this.parts.push(Uint8Array.of((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff));
    return this;
  }
  u32(v: number): this {
    this.parts.push(Uint8Array.of((v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff));
    return this;
  }
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }
  /** A vector with a `width`-byte length prefix. */
  vec(width: 1 | 2 | 3, b: Uint8Array): this {
    const max = 2 ** (8 * width) - 1;
    if (b.length > max) throw new RangeError(`TLS vector of ${b.length} bytes exceeds ${max}`); // RFC 8446 §3.4: the length prefix bounds the vector
    if (width === 1) this.u8(b.length);
    else if (width === 2) this.u16(b.length);
    else this.u24(b.length);
    return this.bytes(b);
  }
  done(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

function encodeExtensions(exts: readonly TlsExtension[]): Uint8Array {
  const w = new Writer();
  for (const e of exts) w.u16(e.type).vec(2, e.data);
  return w.done();
}

/** The message body (without the 4-byte handshake header). */
function encodeBody(m: HandshakeRepr): Uint8Array {
  const w = new Writer();
  switch (m.kind) {
    case 'client_hello': {
      const suites = new Writer();
      for (const s of m.cipherSuites) suites.u16(s);
      return w
        .u16(m.legacyVersion)
        .bytes(m.random)
        .vec(1, m.sessionId)
        .vec(2, suites.done())
        .vec(1, Uint8Array.from(m.compressionMethods))
        .vec(2, encodeExtensions(m.extensions))
        .done();
    }
    case 'server_hello':
      return w
        .u16(m.legacyVersion)
        .bytes(m.random)
        .vec(1, m.sessionId)
        .u16(m.cipherSuite)
        .u8(m.compressionMethod)
        .vec(2, encodeExtensions(m.extensions))
        .done();
    case 'encrypted_extensions':
      return w.vec(2, encodeExtensions(m.extensions)).done();
    case 'certificate': {
      const list = new Writer();
      for (const e of m.entries) list.vec(3, e.data).vec(2, encodeExtensions(e.extensions));
      return w.vec(1, m.context).vec(3, list.done()).done();
    }
    case 'certificate_verify':
      return w.u16(m.scheme).vec(2, m.signature).done();
    case 'finished':
      return w.bytes(m.verifyData).done();
    case 'new_session_ticket':
      return w
        .u32(m.lifetime)
        .u32(m.ageAdd)
        .vec(1, m.nonce)
        .vec(2, m.ticket)
        .vec(2, encodeExtensions(m.extensions))
        .done();
  }
}

/** §4: msg_type (1 byte), length (3 bytes), body. */
export function encodeHandshake(m: HandshakeRepr): Uint8Array {
  if (m.kind === 'client_hello' || m.kind === 'server_hello') {
    if (m.random.length !== 32) throw new RangeError(`TLS random must be 32 bytes, got ${m.random.length}`); // RFC 8446 §4.1.2: Random is 32 bytes
  }
  const body = encodeBody(m);
  return new Writer().u8(TLS_HANDSHAKE_TYPES[m.kind]).vec(3, body).done();
}

// ---- decoding

interface Leaf {
  readonly key: string;
  readonly name: string;
  readonly meaning: string;
}

/** A bounds-checked reader that also records an annotation for each leaf it reads. */
class Reader {
  pos = 0;
  readonly fields: FieldAnnotation[] = [];
  error: { code: string; message: string; offset: number } | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    private end: number,
    private readonly base: number,
  ) {}

  private need(n: number, what: string): boolean {
    if (this.error) return false;
    if (this.pos + n > this.end) {
      this.error = {
        code: 'truncated',
        message: `${what} needs ${n} bytes at offset ${this.pos + this.base}, only ${Math.max(0, this.end - this.pos)} left`, // RFC 8446 §3.4 (vectors) and §4
        offset: this.pos + this.base,
      };
      return false;
    }
    return true;
  }

  private note(leaf: Leaf, start: number, value: string): void {
    this.fields.push({
      layer: 'tls',
      key: leaf.key,
      name: leaf.name,
      start: start + this.base,
      end: this.pos + this.base,
      value,
      meaning: leaf.meaning,
    });
  }

  uint(n: 1 | 2 | 3 | 4, leaf: Leaf | null, show?: (v: number) => string): number {
    if (!this.need(n, leaf?.name ?? 'a number')) return 0;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.bytes[this.pos + i]!;
    const start = this.pos;
    this.pos += n;
    if (leaf) this.note(leaf, start, show ? show(v) : String(v));
    return v;
  }

  raw(n: number, leaf: Leaf | null, show?: (b: Uint8Array) => string): Uint8Array {
    if (!this.need(n, leaf?.name ?? 'bytes')) return new Uint8Array(0);
    const start = this.pos;
    const b = this.bytes.subarray(start, start + n);
    this.pos += n;
    if (leaf && n > 0) this.note(leaf, start, show ? show(b) : shortHex(b));
    return b;
  }

  /** A length-prefixed vector: the prefix annotated as `<name> length`, the contents by `leaf`. */
  vec(width: 1 | 2 | 3, leaf: Leaf, show?: (b: Uint8Array) => string): Uint8Array {
    const n = this.uint(width, {
      key: `${leaf.key}Length`,
      name: `${leaf.name} length`,
      meaning: `How many bytes of ${leaf.name.toLowerCase()} follow.`, // RFC 8446 §3.4: a vector starts with its length
    });
    return this.raw(n, leaf, show);
  }

  /** Read a length prefix and return where the vector ends (for vectors whose contents are parsed). */
  vecEnd(width: 1 | 2 | 3, leaf: Leaf): number {
    const n = this.uint(width, leaf);
    if (!this.need(n, leaf.name)) return this.pos;
    return this.pos + n;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Parse a nested region [pos, end) with the same annotation list. */
  within<T>(end: number, fn: () => T): T {
    const outer = this.end;
    this.end = end;
    const out = fn();
    if (!this.error && this.pos !== end) {
      this.error = {
        code: 'trailing-bytes',
        message: `${end - this.pos} unread bytes inside a length-prefixed vector at offset ${this.pos + this.base}`, // RFC 8446 §3.4
        offset: this.pos + this.base,
      };
    }
    this.end = outer;
    return out;
  }
}

function shortHex(b: Uint8Array): string {
  return b.length <= 16 ? toHex(b) : `${toHex(b.subarray(0, 12))} … (${b.length} bytes)`;
}

const TEXT = new TextDecoder('utf-8');

/** A readable value of an extension's data, for the inspector (falls back to hex). */
function extensionValue(type: number, data: Uint8Array, from: 'client' | 'server'): string {
  const u16s = (b: Uint8Array): number[] => {
    const out: number[] = [];
    for (let i = 0; i + 1 < b.length; i += 2) out.push((b[i]! << 8) | b[i + 1]!);
    return out;
  };
  switch (type) {
    case TLS_EXTENSIONS.server_name:
      // §4.2 / RFC 6066 §3: list length (2), type 0 host_name, name length (2), name.
      return data.length > 5 ? TEXT.decode(data.subarray(5)) : '(empty: the server accepted the name)';
    case TLS_EXTENSIONS.application_layer_protocol_negotiation: {
      const names: string[] = [];
      for (let i = 2; i < data.length;) {
        const n = data[i]!;
        names.push(TEXT.decode(data.subarray(i + 1, i + 1 + n)));
        i += 1 + n;
      }
      return names.join(', ');
    }
    case TLS_EXTENSIONS.supported_versions:
      return (from === 'client' ? u16s(data.subarray(1)) : u16s(data))
        .map((v) => (v === TLS13_VERSION ? 'TLS 1.3' : v === 0x0303 ? 'TLS 1.2' : hex16(v)))
        .join(', ');
    case TLS_EXTENSIONS.supported_groups:
      return u16s(data.subarray(2))
        .map((g) => nameOr(GROUP_NAMES, g, 4))
        .join(', ');
    case TLS_EXTENSIONS.signature_algorithms:
      return u16s(data.subarray(2))
        .map((s) => nameOr(SCHEME_NAMES, s, 4))
        .join(', ');
    case TLS_EXTENSIONS.psk_key_exchange_modes:
      return Array.from(data.subarray(1), (m) =>
        m === 1 ? 'psk_dhe_ke' : m === 0 ? 'psk_ke' : hex8(m),
      ).join(', ');
    case TLS_EXTENSIONS.key_share: {
      const at = from === 'client' ? 2 : 0;
      if (data.length < at + 4) return shortHex(data);
      const group = (data[at]! << 8) | data[at + 1]!;
      return `${nameOr(GROUP_NAMES, group, 4)}: ${shortHex(data.subarray(at + 4))}`;
    }
    case TLS_EXTENSIONS.early_data:
      return data.length === 4
        ? `max_early_data_size ${((data[0]! << 24) >>> 0) + (data[1]! << 16) + (data[2]! << 8) + data[3]!}`
        : '(empty)';
    default:
      return data.length === 0 ? '(empty)' : shortHex(data);
  }
}

const EXTENSION_MEANINGS: { readonly [type: number]: string } = {
  [TLS_EXTENSIONS.server_name]:
    'Server Name Indication: which site the client wants, in the clear, so one IP address can serve many certificates (RFC 6066 §3).', // RFC 6066 §3
  [TLS_EXTENSIONS.application_layer_protocol_negotiation]:
    'ALPN: the application protocols the client offers, or the one the server picks; http/1.1 is the one a WebSocket upgrade needs (RFC 7301 §3.1, RFC 6455 §4.1).', // RFC 7301 §3.1; RFC 6455 §4.1
  [TLS_EXTENSIONS.supported_versions]:
    'The TLS versions on offer (client) or chosen (server): 0x0304 is TLS 1.3 (RFC 8446 §4.2.1).', // RFC 8446 §4.2.1
  [TLS_EXTENSIONS.supported_groups]:
    'The key-exchange groups the sender can use, best first (RFC 8446 §4.2.7).', // RFC 8446 §4.2.7
  [TLS_EXTENSIONS.signature_algorithms]:
    'The signature schemes the client accepts, in CertificateVerify and in certificates (RFC 8446 §4.2.3).', // RFC 8446 §4.2.3
  [TLS_EXTENSIONS.psk_key_exchange_modes]:
    'How a resumed session may use its ticket: psk_dhe_ke means "with a fresh key exchange" (RFC 8446 §4.2.9).', // RFC 8446 §4.2.9
  [TLS_EXTENSIONS.key_share]:
    'The sender’s ephemeral public key: X25519 is 32 bytes. Each side combines its own private key with the other’s public key into the same shared secret (RFC 8446 §4.2.8, §7.4.2).', // RFC 8446 §4.2.8, §7.4.2
  [TLS_EXTENSIONS.record_size_limit]: 'The largest record the sender will accept (RFC 8449).', // RFC 8449
  [TLS_EXTENSIONS.early_data]:
    'Data sent before the handshake completes, under a resumption key (RFC 8446 §4.2.10).', // RFC 8446 §4.2.10
};

function readExtensions(r: Reader, from: 'client' | 'server', prefix = ''): TlsExtension[] {
  const end = r.vecEnd(2, {
    key: `${prefix}extensionsLength`,
    name: 'Extensions length',
    meaning: 'How many bytes of extensions follow (RFC 8446 §4.2).', // RFC 8446 §4.2
  });
  const out: TlsExtension[] = [];
  r.within(end, () => {
    while (r.remaining > 0 && !r.error) {
      const type = r.uint(2, null);
      const name = nameOr(EXTENSION_NAMES, type, 4);
      r.pos -= 2;
      r.uint(
        2,
        {
          key: `ext.${name}.type`,
          name: `Extension: ${name}`,
          meaning: EXTENSION_MEANINGS[type] ?? 'An extension this picture does not explain (RFC 8446 §4.2).', // RFC 8446 §4.2
        },
        (v) => `${v} (${name})`,
      );
      const data = r.vec(
        2,
        {
          key: `ext.${name}.data`,
          name: `${name} data`,
          meaning: EXTENSION_MEANINGS[type] ?? 'The extension’s contents.',
        },
        (b) => extensionValue(type, b, from),
      );
      out.push({ type, data });
    }
  });
  return out;
}

const LEAVES = {
  legacyVersion: {
    key: 'legacyVersion',
    name: 'Legacy version',
    meaning: 'Frozen at 0x0303 (TLS 1.2); the real version is in supported_versions (RFC 8446 §4.1.2).', // RFC 8446 §4.1.2
  },
  random: {
    key: 'random',
    name: 'Random',
    meaning:
      '32 fresh random bytes; they go into the transcript hash, so every handshake derives different keys (RFC 8446 §4.1.2).', // RFC 8446 §4.1.2
  },
  sessionId: {
    key: 'sessionId',
    name: 'Legacy session ID',
    meaning:
      'Random bytes a TLS 1.3 client sends for middlebox compatibility; the server echoes them (RFC 8446 §4.1.2, Appendix D.4).', // RFC 8446 §4.1.2 and Appendix D.4
  },
  cipherSuites: {
    key: 'cipherSuites',
    name: 'Cipher suites',
    meaning: 'The AEAD + hash pairs the client offers, best first (RFC 8446 §4.1.2, §B.4).', // RFC 8446 §4.1.2, §B.4
  },
  compression: {
    key: 'compressionMethods',
    name: 'Compression methods',
    meaning: 'Always exactly one byte 0: TLS 1.3 has no compression (RFC 8446 §4.1.2).', // RFC 8446 §4.1.2
  },
} as const;

function decodeBody(type: number, r: Reader): HandshakeRepr | null {
  switch (type) {
    case TLS_HANDSHAKE_TYPES.client_hello: {
      const legacyVersion = r.uint(2, LEAVES.legacyVersion, hex16);
      const random = r.raw(32, LEAVES.random);
      const sessionId = r.vec(1, LEAVES.sessionId);
      const suites = r.vec(2, LEAVES.cipherSuites, (b) => {
        const names: string[] = [];
        for (let i = 0; i + 1 < b.length; i += 2)
          names.push(nameOr(SUITE_NAMES, (b[i]! << 8) | b[i + 1]!, 4));
        return names.join(', ');
      });
      const compression = r.vec(1, LEAVES.compression, (b) => Array.from(b).join(', '));
      const extensions = readExtensions(r, 'client');
      const cipherSuites: number[] = [];
      for (let i = 0; i + 1 < suites.length; i += 2) cipherSuites.push((suites[i]! << 8) | suites[i + 1]!);
      return {
        kind: 'client_hello',
        legacyVersion,
        random,
        sessionId,
        cipherSuites,
        compressionMethods: Array.from(compression),
        extensions,
      };
    }
    case TLS_HANDSHAKE_TYPES.server_hello: {
      const legacyVersion = r.uint(2, LEAVES.legacyVersion, hex16);
      const random = r.raw(32, LEAVES.random);
      const sessionId = r.vec(1, {
        ...LEAVES.sessionId,
        meaning: 'The client’s legacy session ID, echoed (RFC 8446 §4.1.3).', // RFC 8446 §4.1.3
      });
      const cipherSuite = r.uint(
        2,
        {
          key: 'cipherSuite',
          name: 'Cipher suite',
          meaning: 'The one suite the server picked from the client’s list (RFC 8446 §4.1.3).', // RFC 8446 §4.1.3
        },
        (v) => `${hex16(v)} (${nameOr(SUITE_NAMES, v, 4)})`,
      );
      const compressionMethod = r.uint(1, {
        key: 'compressionMethod',
        name: 'Compression method',
        meaning: 'Always 0 (RFC 8446 §4.1.3).',
      });
      const extensions = readExtensions(r, 'server');
      return {
        kind: 'server_hello',
        legacyVersion,
        random,
        sessionId,
        cipherSuite,
        compressionMethod,
        extensions,
      };
    }
    case TLS_HANDSHAKE_TYPES.encrypted_extensions:
      return { kind: 'encrypted_extensions', extensions: readExtensions(r, 'server') };
    case TLS_HANDSHAKE_TYPES.certificate: {
      const context = r.vec(1, {
        key: 'certificateRequestContext',
        name: 'Certificate request context',
        meaning: 'Empty in a server’s Certificate (RFC 8446 §4.4.2).', // RFC 8446 §4.4.2
      });
      const end = r.vecEnd(3, {
        key: 'certificateListLength',
        name: 'Certificate list length',
        meaning: 'How many bytes of certificates follow (RFC 8446 §4.4.2).', // RFC 8446 §4.4.2
      });
      const entries: CertificateEntry[] = [];
      r.within(end, () => {
        let n = 0;
        while (r.remaining > 0 && !r.error) {
          const data = r.vec(
            3,
            {
              key: `certificate${n}`,
              name: n === 0 ? 'Certificate (DER)' : `Certificate ${n + 1} (DER)`,
              meaning:
                // RFC 5280; sim/libs/tls/certificate.ts: Wirewalk's server certificate is self-signed.
                'An X.509 certificate in DER: the server’s public key and name, signed by an issuer. This one is self-signed: only a client told to trust it accepts it (RFC 8446 §4.4.2, RFC 5280).',
            },
            (b) => `${b.length} bytes of X.509`,
          );
          const extensions = readExtensions(r, 'server', `certificate${n}.`);
          entries.push({ data, extensions });
          n++;
        }
      });
      return { kind: 'certificate', context, entries };
    }
    case TLS_HANDSHAKE_TYPES.certificate_verify: {
      const scheme = r.uint(
        2,
        {
          key: 'signatureScheme',
          name: 'Signature scheme',
          meaning: 'How the signature was made (RFC 8446 §4.2.3).', // RFC 8446 §4.2.3
        },
        (v) => `${hex16(v)} (${nameOr(SCHEME_NAMES, v, 4)})`,
      );
      const signature = r.vec(2, {
        key: 'signature',
        name: 'Signature',
        meaning:
          'The server’s signature, with the certificate’s private key, over the hash of every handshake message so far: proof that it holds that key (RFC 8446 §4.4.3).', // RFC 8446 §4.4.3
      });
      return { kind: 'certificate_verify', scheme, signature };
    }
    case TLS_HANDSHAKE_TYPES.finished: {
      const verifyData = r.raw(
        r.remaining,
        {
          key: 'verifyData',
          name: 'Verify data',
          meaning:
            'An HMAC (SHA-256 with this suite) over the hash of the handshake so far, keyed from this side’s handshake secret: proves nobody changed a byte of it (RFC 8446 §4.4.4).', // RFC 8446 §4.4.4
        },
        (b) => toHex(b, ''),
      );
      return { kind: 'finished', verifyData };
    }
    case TLS_HANDSHAKE_TYPES.new_session_ticket: {
      const lifetime = r.uint(
        4,
        {
          key: 'ticketLifetime',
          name: 'Ticket lifetime',
          meaning: 'Seconds the ticket may be used to resume (at most 7 days, RFC 8446 §4.6.1).', // RFC 8446 §4.6.1
        },
        (v) => `${v} s`,
      );
      const ageAdd = r.uint(4, {
        key: 'ticketAgeAdd',
        name: 'Ticket age add',
        meaning: 'A random number that hides the ticket’s age when it is used (RFC 8446 §4.6.1).', // RFC 8446 §4.6.1
      });
      const nonce = r.vec(1, {
        key: 'ticketNonce',
        name: 'Ticket nonce',
        meaning: 'Makes each ticket’s resumption key different (RFC 8446 §4.6.1).', // RFC 8446 §4.6.1
      });
      const ticket = r.vec(2, {
        key: 'ticket',
        name: 'Ticket',
        meaning: 'An opaque label the server recognises when the client comes back (RFC 8446 §4.6.1).', // RFC 8446 §4.6.1
      });
      const extensions = readExtensions(r, 'server', 'ticket.');
      return { kind: 'new_session_ticket', lifetime, ageAdd, nonce, ticket, extensions };
    }
    default:
      return null;
  }
}

const HANDSHAKE_HEADER: readonly [Leaf, Leaf] = [
  {
    key: 'handshakeType',
    name: 'Handshake type',
    meaning:
      'Which handshake message: 1 ClientHello, 2 ServerHello, 8 EncryptedExtensions, 11 Certificate, 15 CertificateVerify, 20 Finished, 4 NewSessionTicket (RFC 8446 §4).', // RFC 8446 §4
  },
  {
    key: 'handshakeLength',
    name: 'Handshake length',
    meaning: 'How many bytes of message follow (RFC 8446 §4).', // RFC 8446 §4
  },
];

/** One handshake message from the start of `bytes` (§4: type, 24-bit length, body). */
export function decodeHandshake(bytes: Uint8Array): DecodeResult<HandshakeRepr> {
  if (bytes.length < 4) {
    return fail('truncated', `a handshake header is 4 bytes, only ${bytes.length} present`, bytes.length); // RFC 8446 §4: type (1 byte) and length (3 bytes)
  }
  const type = bytes[0]!;
  const length = (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
  if (bytes.length < 4 + length) {
    return fail(
      'truncated',
      `handshake message says ${length} bytes, only ${bytes.length - 4} present`, // RFC 8446 §4 (length)
      bytes.length,
    );
  }
  const r = new Reader(bytes, 4 + length, 0);
  r.uint(1, HANDSHAKE_HEADER[0], (v) => `${v} (${nameOr(HANDSHAKE_NAMES, v, 2)})`);
  r.uint(3, HANDSHAKE_HEADER[1]);
  const repr = decodeBody(type, r);
  if (repr === null)
    return fail('unknown-handshake-type', `handshake type ${type} is not one this decoder knows`, 0); // RFC 8446 §4 (HandshakeType); Wirewalk decodes only the types of a full handshake
  if (r.error) return fail(r.error.code, r.error.message, r.error.offset);
  if (r.pos !== 4 + length) {
    return fail('trailing-bytes', `${4 + length - r.pos} unread bytes at the end of the ${repr.kind}`, r.pos); // RFC 8446 §4: a message is exactly its length
  }
  return { ok: true, repr, payload: bytes.subarray(4 + length), fields: r.fields, length: 4 + length };
}

/** Every handshake message in `bytes` (one record's content may hold several). */
export function decodeHandshakes(bytes: Uint8Array): DecodeResult<readonly HandshakeRepr[]> {
  const out: HandshakeRepr[] = [];
  const fields: FieldAnnotation[] = [];
  let at = 0;
  while (at < bytes.length) {
    const r = decodeHandshake(bytes.subarray(at));
    if (!r.ok) return fail(r.error.code, r.error.message, r.error.offset + at);
    out.push(r.repr);
    for (const f of r.fields) fields.push({ ...f, start: f.start + at, end: f.end + at });
    at += r.length;
  }
  return { ok: true, repr: out, payload: new Uint8Array(0), fields, length: at };
}

const HANDSHAKE_LABELS: { readonly [K in TlsHandshakeTypeName]: string } = {
  client_hello: 'Client Hello',
  server_hello: 'Server Hello',
  new_session_ticket: 'New Session Ticket',
  encrypted_extensions: 'Encrypted Extensions',
  certificate: 'Certificate',
  certificate_verify: 'Certificate Verify',
  finished: 'Finished',
};

/** Wireshark's name for a handshake message. */
export function handshakeLabel(kind: TlsHandshakeTypeName): string {
  return HANDSHAKE_LABELS[kind];
}

export function describeHandshake(m: HandshakeRepr): string {
  switch (m.kind) {
    case 'client_hello': {
      const sni = m.extensions.find((e) => e.type === TLS_EXTENSIONS.server_name);
      return `Client Hello${sni ? ` (SNI=${extensionValue(sni.type, sni.data, 'client')})` : ''}`;
    }
    case 'server_hello':
      return `Server Hello, ${nameOr(SUITE_NAMES, m.cipherSuite, 4)}`;
    case 'certificate':
      return `Certificate, ${m.entries.length} certificate${m.entries.length === 1 ? '' : 's'}`;
    case 'certificate_verify':
      return `Certificate Verify, ${nameOr(SCHEME_NAMES, m.scheme, 4)}`;
    default:
      return HANDSHAKE_LABELS[m.kind];
  }
}

// ---- extension builders (the client and server of sim/libs/tls use them)

function u16List(values: readonly number[], prefix: 1 | 2): Uint8Array {
  const w = new Writer();
  for (const v of values) w.u16(v);
  return new Writer().vec(prefix, w.done()).done();
}

export const tlsExtension = {
  /** RFC 6066 §3: a list with one host_name. */
  serverName: (host: string): TlsExtension => {
    const name = new TextEncoder().encode(host);
    const entry = new Writer().u8(0).vec(2, name).done();
    return { type: TLS_EXTENSIONS.server_name, data: new Writer().vec(2, entry).done() };
  },
  /** RFC 6066 §3: the server's empty acknowledgement of SNI. */
  serverNameAck: (): TlsExtension => ({ type: TLS_EXTENSIONS.server_name, data: new Uint8Array(0) }),
  /** RFC 7301 §3.1. */
  alpn: (protocols: readonly string[]): TlsExtension => {
    const list = new Writer();
    for (const p of protocols) list.vec(1, new TextEncoder().encode(p));
    return {
      type: TLS_EXTENSIONS.application_layer_protocol_negotiation,
      data: new Writer().vec(2, list.done()).done(),
    };
  },
  supportedVersionsClient: (versions: readonly number[]): TlsExtension => ({
    type: TLS_EXTENSIONS.supported_versions,
    data: u16List(versions, 1),
  }),
  supportedVersionsServer: (version: number): TlsExtension => ({
    type: TLS_EXTENSIONS.supported_versions,
    data: new Writer().u16(version).done(),
  }),
  supportedGroups: (groups: readonly number[]): TlsExtension => ({
    type: TLS_EXTENSIONS.supported_groups,
    data: u16List(groups, 2),
  }),
  signatureAlgorithms: (schemes: readonly number[]): TlsExtension => ({
    type: TLS_EXTENSIONS.signature_algorithms,
    data: u16List(schemes, 2),
  }),
  pskModes: (modes: readonly number[]): TlsExtension => ({
    type: TLS_EXTENSIONS.psk_key_exchange_modes,
    data: new Writer().vec(1, Uint8Array.from(modes)).done(),
  }),
  keyShareClient: (group: number, key: Uint8Array): TlsExtension => ({
    type: TLS_EXTENSIONS.key_share,
    data: new Writer().vec(2, new Writer().u16(group).vec(2, key).done()).done(),
  }),
  keyShareServer: (group: number, key: Uint8Array): TlsExtension => ({
    type: TLS_EXTENSIONS.key_share,
    data: new Writer().u16(group).vec(2, key).done(),
  }),
};

/** The key_share entry for `group` (client: from the list; server: the one entry), or null. */
export function findKeyShare(
  exts: readonly TlsExtension[],
  group: number,
  from: 'client' | 'server',
): Uint8Array | null {
  const e = exts.find((x) => x.type === TLS_EXTENSIONS.key_share);
  if (!e) return null;
  const d = e.data;
  let i = from === 'client' ? 2 : 0;
  while (i + 4 <= d.length) {
    const g = (d[i]! << 8) | d[i + 1]!;
    const n = (d[i + 2]! << 8) | d[i + 3]!;
    if (i + 4 + n > d.length) return null;
    if (g === group) return d.subarray(i + 4, i + 4 + n);
    if (from === 'server') return null;
    i += 4 + n;
  }
  return null;
}

/** The first ALPN protocol named in an extension list, or null. */
export function alpnProtocol(exts: readonly TlsExtension[]): string | null {
  const e = exts.find((x) => x.type === TLS_EXTENSIONS.application_layer_protocol_negotiation);
  if (!e || e.data.length < 3) return null;
  const n = e.data[2]!;
  return TEXT.decode(e.data.subarray(3, 3 + n));
}

export function contentTypeName(type: number): string {
  return CONTENT_TYPE_NAMES[type] ?? hex8(type);
}
