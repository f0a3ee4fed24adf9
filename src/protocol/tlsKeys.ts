/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) for TLS_AES_128_GCM_SHA256, the traffic keys (§7.3), the
 * Finished MAC (§4.4.4), the CertificateVerify content (§4.4.3) and record protection (§5.2-5.3).
 * The traffic keys, the key update and record opening also exist for every TLS 1.3 suite of RFC 8446
 * §B.4 (`TLS13_SUITES`, `trafficKeysFor`, `openRecordWith`, `nextTrafficSecret`), for decrypting real
 * captures with a key log (src/capture/decode/tls.ts).
 *
 * Only maintained libraries do the cryptography: @noble/hashes (SHA-256/384, HKDF, HMAC) and
 * @noble/ciphers (AES-GCM, ChaCha20-Poly1305). Deterministic: the same inputs give the same bytes.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes';
import { TLS_AEAD_TAG_LENGTH, TLS_CONTENT_TYPES, TLS_LEGACY_VERSION, TLS_RECORD_HEADER_LENGTH } from './tls';

/** SHA-256's output length: every secret of this suite is 32 bytes. */
export const TLS_HASH_LENGTH = 32;
/** AES-128: 16-byte keys; GCM in TLS: 12-byte nonces (RFC 8446 §5.3). */
export const TLS_KEY_LENGTH = 16;
export const TLS_IV_LENGTH = 12;

export function transcriptHash(...messages: readonly Uint8Array[]): Uint8Array {
  const h = sha256.create();
  for (const m of messages) h.update(m);
  return h.digest();
}

/**
 * §7.1: HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length),
 * HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + Label || opaque context<0..255>.
 */
export function hkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  const full = utf8('tls13 ' + label);
  return concatBytes(
    Uint8Array.of(length >> 8, length & 0xff, full.length),
    full,
    Uint8Array.of(context.length),
    context,
  );
}

export function hkdfExpandLabel(
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  return expand(sha256, secret, hkdfLabel(label, context, length), length);
}

/** A TLS 1.3 cipher suite (RFC 8446 §B.4): its AEAD with key length, and the hash of its key schedule. */
export interface TlsSuite {
  readonly id: number;
  readonly name: string;
  readonly hash: typeof sha256 | typeof sha384;
  readonly hashLength: number;
  readonly aead: 'aes-gcm' | 'chacha20-poly1305';
  readonly keyLength: number;
}

export const TLS13_SUITES: { readonly [id: number]: TlsSuite } = {
  0x1301: {
    id: 0x1301,
    name: 'TLS_AES_128_GCM_SHA256',
    hash: sha256,
    hashLength: 32,
    aead: 'aes-gcm',
    keyLength: 16,
  },
  0x1302: {
    id: 0x1302,
    name: 'TLS_AES_256_GCM_SHA384',
    hash: sha384,
    hashLength: 48,
    aead: 'aes-gcm',
    keyLength: 32,
  },
  0x1303: {
    id: 0x1303,
    name: 'TLS_CHACHA20_POLY1305_SHA256',
    hash: sha256,
    hashLength: 32,
    aead: 'chacha20-poly1305',
    keyLength: 32,
  },
};

/** §7.3 for any suite: key = HKDF-Expand-Label(secret, "key", "", key_length), iv likewise with 12 bytes (§5.3). */
export function trafficKeysFor(suite: TlsSuite, secret: Uint8Array): TrafficKeys {
  const expandLabel = (label: string, length: number): Uint8Array =>
    expand(suite.hash, secret, hkdfLabel(label, new Uint8Array(0), length), length);
  return { key: expandLabel('key', suite.keyLength), iv: expandLabel('iv', TLS_IV_LENGTH) };
}

/** §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
export function nextTrafficSecret(suite: TlsSuite, secret: Uint8Array): Uint8Array {
  return expand(
    suite.hash,
    secret,
    hkdfLabel('traffic upd', new Uint8Array(0), suite.hashLength),
    suite.hashLength,
  );
}

/** §5.2 for any suite: open one whole protected record; null when the tag does not verify (bad_record_mac). */
export function openRecordWith(
  suite: TlsSuite,
  keys: TrafficKeys,
  seq: number,
  record: Uint8Array,
): Uint8Array | null {
  if (record.length < TLS_RECORD_HEADER_LENGTH + TLS_AEAD_TAG_LENGTH) return null;
  const header = record.subarray(0, TLS_RECORD_HEADER_LENGTH);
  const nonce = recordNonce(keys.iv, seq);
  try {
    const cipher =
      suite.aead === 'aes-gcm' ? gcm(keys.key, nonce, header) : chacha20poly1305(keys.key, nonce, header);
    return cipher.decrypt(record.subarray(TLS_RECORD_HEADER_LENGTH));
  } catch {
    return null;
  }
}

/** §7.1: Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length). */
export function deriveSecret(secret: Uint8Array, label: string, messagesHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(secret, label, messagesHash, TLS_HASH_LENGTH);
}

export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(sha256, ikm, salt);
}

const ZEROS = new Uint8Array(TLS_HASH_LENGTH);
const EMPTY_HASH = transcriptHash();

export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/** §7.3: the write key and IV derived from a traffic secret (TLS_AES_128_GCM_SHA256). */
export function trafficKeys(secret: Uint8Array): TrafficKeys {
  return trafficKeysFor(TLS13_SUITES[0x1301]!, secret);
}

/** The handshake half of the schedule: from the (EC)DHE shared secret and Transcript-Hash(ClientHello..ServerHello). */
export interface HandshakeSecrets {
  readonly earlySecret: Uint8Array;
  readonly derivedEarly: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  readonly clientHandshakeTraffic: Uint8Array;
  readonly serverHandshakeTraffic: Uint8Array;
  readonly client: TrafficKeys;
  readonly server: TrafficKeys;
}

/** §7.1 without a PSK: Early Secret = HKDF-Extract(0, 0); Handshake Secret = HKDF-Extract(Derive-Secret(., "derived", ""), (EC)DHE). */
export function handshakeSecrets(sharedSecret: Uint8Array, helloHash: Uint8Array): HandshakeSecrets {
  const earlySecret = hkdfExtract(ZEROS, ZEROS);
  const derivedEarly = deriveSecret(earlySecret, 'derived', EMPTY_HASH);
  const handshakeSecret = hkdfExtract(derivedEarly, sharedSecret);
  const clientHandshakeTraffic = deriveSecret(handshakeSecret, 'c hs traffic', helloHash);
  const serverHandshakeTraffic = deriveSecret(handshakeSecret, 's hs traffic', helloHash);
  return {
    earlySecret,
    derivedEarly,
    handshakeSecret,
    clientHandshakeTraffic,
    serverHandshakeTraffic,
    client: trafficKeys(clientHandshakeTraffic),
    server: trafficKeys(serverHandshakeTraffic),
  };
}

/** The application half: from the handshake secret and Transcript-Hash(ClientHello..server Finished). */
export interface ApplicationSecrets {
  readonly derivedHandshake: Uint8Array;
  readonly masterSecret: Uint8Array;
  readonly clientApplicationTraffic: Uint8Array;
  readonly serverApplicationTraffic: Uint8Array;
  readonly client: TrafficKeys;
  readonly server: TrafficKeys;
}

/** §7.1: Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0). */
export function applicationSecrets(
  handshakeSecret: Uint8Array,
  finishedHash: Uint8Array,
): ApplicationSecrets {
  const derivedHandshake = deriveSecret(handshakeSecret, 'derived', EMPTY_HASH);
  const masterSecret = hkdfExtract(derivedHandshake, ZEROS);
  const clientApplicationTraffic = deriveSecret(masterSecret, 'c ap traffic', finishedHash);
  const serverApplicationTraffic = deriveSecret(masterSecret, 's ap traffic', finishedHash);
  return {
    derivedHandshake,
    masterSecret,
    clientApplicationTraffic,
    serverApplicationTraffic,
    client: trafficKeys(clientApplicationTraffic),
    server: trafficKeys(serverApplicationTraffic),
  };
}

/** §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). */
export function finishedKey(baseKey: Uint8Array): Uint8Array {
  return hkdfExpandLabel(baseKey, 'finished', new Uint8Array(0), TLS_HASH_LENGTH);
}

/** §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)). */
export function finishedVerifyData(baseKey: Uint8Array, transcript: Uint8Array): Uint8Array {
  return hmac(sha256, finishedKey(baseKey), transcript);
}

/** §4.4.3: what CertificateVerify signs: 64 spaces, the context string, a zero byte, the transcript hash. */
export function certificateVerifyContent(transcript: Uint8Array, side: 'server' | 'client'): Uint8Array {
  const spaces = new Uint8Array(64).fill(0x20);
  return concatBytes(spaces, utf8(`TLS 1.3, ${side} CertificateVerify`), Uint8Array.of(0), transcript);
}

/** §5.3: the per-record nonce: the 64-bit sequence number, left-padded to 12 bytes, XORed with the IV. */
export function recordNonce(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = iv.slice();
  let s = seq;
  for (let i = TLS_IV_LENGTH - 1; i >= TLS_IV_LENGTH - 8 && s > 0; i--) {
    nonce[i]! ^= s % 256;
    s = Math.floor(s / 256);
  }
  return nonce;
}

/** §5.2: the additional data is the record header: opaque_type 23, legacy version, length. */
function recordHeader(length: number): Uint8Array {
  return Uint8Array.of(
    TLS_CONTENT_TYPES.application_data,
    TLS_LEGACY_VERSION >> 8,
    TLS_LEGACY_VERSION & 0xff,
    length >> 8,
    length & 0xff,
  );
}

/**
 * §5.2: protect one inner plaintext (content || type || zeros) into a whole record: header, then
 * AES-128-GCM ciphertext and tag, with nonce = iv XOR seq and the header as additional data.
 */
export function sealRecord(keys: TrafficKeys, seq: number, innerPlaintext: Uint8Array): Uint8Array {
  const header = recordHeader(innerPlaintext.length + TLS_AEAD_TAG_LENGTH);
  const sealed = gcm(keys.key, recordNonce(keys.iv, seq), header).encrypt(innerPlaintext);
  const out = new Uint8Array(TLS_RECORD_HEADER_LENGTH + sealed.length);
  out.set(header, 0);
  out.set(sealed, TLS_RECORD_HEADER_LENGTH);
  return out;
}

/** §5.2: open a whole protected record; null when the tag does not verify (bad_record_mac). */
export function openRecord(keys: TrafficKeys, seq: number, record: Uint8Array): Uint8Array | null {
  return openRecordWith(TLS13_SUITES[0x1301]!, keys, seq, record);
}
