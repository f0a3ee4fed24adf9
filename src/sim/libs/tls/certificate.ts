/**
 * The server's certificate: a real, self-signed X.509 v3 certificate (RFC 5280) for an ECDSA P-256 key,
 * built in DER (ITU-T X.690) and signed with ECDSA-SHA256 using RFC 6979 deterministic nonces
 * (@noble/curves), so it is the same bytes on every run and every machine.
 *
 * The private key is a published test key (SHA-256 of a fixed label): it protects nothing. It exists so
 * that the simulation's Certificate and CertificateVerify are real and checkable, and so that tests can
 * hand the same certificate and key to Node's `tls` as PEM.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64, concatBytes, fromHex, utf8 } from '../../../protocol/bytes';

/** The name in the certificate and in the client's SNI: the websocket story's host. */
export const TEST_CERT_HOST = 'server';

/** §4 of RFC 5480 / RFC 5758: the OIDs a P-256 ECDSA certificate needs, DER-encoded contents. */
const OID = {
  ecPublicKey: '2a 86 48 ce 3d 02 01', // 1.2.840.10045.2.1
  prime256v1: '2a 86 48 ce 3d 03 01 07', // 1.2.840.10045.3.1.7
  ecdsaWithSha256: '2a 86 48 ce 3d 04 03 02', // 1.2.840.10045.4.3.2
  commonName: '55 04 03', // 2.5.4.3
  subjectAltName: '55 1d 11', // 2.5.29.17
  basicConstraints: '55 1d 13', // 2.5.29.19
} as const;

/** X.690 §8.1.3: definite length, short or long form. */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len =
    n < 0x80 ? Uint8Array.of(n) : n < 0x100 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 0xff);
  return concatBytes(Uint8Array.of(tag), len, content);
}
const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concatBytes(...parts));
const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, concatBytes(...parts));
const oid = (hex: string): Uint8Array => tlv(0x06, fromHex(hex));
const integer = (bytes: Uint8Array): Uint8Array => tlv(0x02, bytes);
const utf8String = (s: string): Uint8Array => tlv(0x0c, utf8(s));
const utcTime = (s: string): Uint8Array => tlv(0x17, utf8(s));
const bitString = (bytes: Uint8Array): Uint8Array => tlv(0x03, concatBytes(Uint8Array.of(0), bytes));
const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 + n, inner);

/** The published test key: SHA-256 of a label, a valid P-256 scalar (below the group order). */
export const TEST_CERT_PRIVATE_KEY = sha256(utf8('Wirewalk TLS test certificate key, not a secret'));
/** Uncompressed SEC1 point 04 || X || Y. */
export const TEST_CERT_PUBLIC_KEY = p256.getPublicKey(TEST_CERT_PRIVATE_KEY, false);

function name(cn: string): Uint8Array {
  return seq(set(seq(oid(OID.commonName), utf8String(cn))));
}

function buildCertificate(): Uint8Array {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, integer(Uint8Array.of(2))), // version v3 (RFC 5280 §4.1.2.1)
    integer(fromHex('57 69 72 65 77 61 6c 6b')), // serial: "Wirewalk"
    algorithm,
    name(TEST_CERT_HOST),
    seq(utcTime('260101000000Z'), utcTime('360101000000Z')),
    name(TEST_CERT_HOST),
    seq(seq(oid(OID.ecPublicKey), oid(OID.prime256v1)), bitString(TEST_CERT_PUBLIC_KEY)),
    explicit(
      3,
      seq(
        // RFC 5280 §4.2.1.6: the DNS name a client checks against the name it asked for.
        seq(oid(OID.subjectAltName), octetString(seq(tlv(0x82, utf8(TEST_CERT_HOST))))),
        // §4.2.1.9: not a CA.
        seq(oid(OID.basicConstraints), octetString(seq())),
      ),
    ),
  );
  // RFC 5758 §3.2: the signature value is the DER SEQUENCE of r and s; RFC 6979 makes it deterministic.
  const signature = p256.sign(tbs, TEST_CERT_PRIVATE_KEY, { format: 'der' });
  return seq(tbs, algorithm, bitString(signature));
}

/** The certificate in DER. */
export const TEST_CERT_DER: Uint8Array = buildCertificate();

/** PEM (RFC 7468): base64 of the DER between the labels, 64 characters a line. */
export function pem(label: string, der: Uint8Array): string {
  const b64 = base64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** SEC1 ECPrivateKey (RFC 5915 §3) in DER, for tools that want the key (Node's `tls`, openssl). */
export function testPrivateKeyDer(): Uint8Array {
  return seq(
    integer(Uint8Array.of(1)),
    octetString(TEST_CERT_PRIVATE_KEY),
    explicit(0, oid(OID.prime256v1)),
    explicit(1, bitString(TEST_CERT_PUBLIC_KEY)),
  );
}

/** The SubjectPublicKeyInfo prefix of a P-256 key (RFC 5480 §2): what comes before the 65-byte point. */
const P256_SPKI_PREFIX = fromHex(
  '30 59 30 13 06 07 2a 86 48 ce 3d 02 01 06 08 2a 86 48 ce 3d 03 01 07 03 42 00',
);

/** The uncompressed P-256 public key in a certificate, or null if it holds no P-256 key. */
export function p256PublicKeyOf(der: Uint8Array): Uint8Array | null {
  const n = P256_SPKI_PREFIX.length;
  outer: for (let i = 0; i + n + 65 <= der.length; i++) {
    for (let j = 0; j < n; j++) if (der[i + j] !== P256_SPKI_PREFIX[j]) continue outer;
    return der.subarray(i + n, i + n + 65);
  }
  return null;
}
