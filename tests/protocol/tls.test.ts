import fc from 'fast-check';
import { fromHex, toHex } from '../../src/protocol/bytes';
import {
  TLS_CIPHER_SUITES,
  TLS_CONTENT_TYPES,
  TLS_GROUPS,
  TLS_SIGNATURE_SCHEMES,
  alpnProtocol,
  decodeHandshake,
  decodeHandshakes,
  decodeInnerPlaintext,
  decodeTlsAlert,
  decodeTlsRecord,
  describeHandshake,
  encodeHandshake,
  encodeInnerPlaintext,
  encodeTlsAlert,
  encodeTlsRecord,
  findKeyShare,
  tlsExtension,
  type HandshakeRepr,
} from '../../src/protocol/tls';
import { RFC8448 } from '../fixtures/rfc8448';
import { expectTiling } from './tiling';

const random = Uint8Array.from({ length: 32 }, (_, i) => i);
const key = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

const clientHello: HandshakeRepr = {
  kind: 'client_hello',
  legacyVersion: 0x0303,
  random,
  sessionId: Uint8Array.from({ length: 32 }, (_, i) => i * 3),
  cipherSuites: [TLS_CIPHER_SUITES.TLS_AES_128_GCM_SHA256],
  compressionMethods: [0],
  extensions: [
    tlsExtension.serverName('server'),
    tlsExtension.alpn(['http/1.1']),
    tlsExtension.supportedVersionsClient([0x0304]),
    tlsExtension.supportedGroups([TLS_GROUPS.x25519]),
    tlsExtension.keyShareClient(TLS_GROUPS.x25519, key),
    tlsExtension.signatureAlgorithms([TLS_SIGNATURE_SCHEMES.ecdsa_secp256r1_sha256]),
    tlsExtension.pskModes([1]),
  ],
};

const messages: readonly HandshakeRepr[] = [
  clientHello,
  {
    kind: 'server_hello',
    legacyVersion: 0x0303,
    random,
    sessionId: new Uint8Array(32),
    cipherSuite: TLS_CIPHER_SUITES.TLS_AES_128_GCM_SHA256,
    compressionMethod: 0,
    extensions: [
      tlsExtension.supportedVersionsServer(0x0304),
      tlsExtension.keyShareServer(TLS_GROUPS.x25519, key),
    ],
  },
  { kind: 'encrypted_extensions', extensions: [tlsExtension.alpn(['http/1.1'])] },
  {
    kind: 'certificate',
    context: new Uint8Array(0),
    entries: [{ data: fromHex('30 03 02 01 01'), extensions: [] }],
  },
  {
    kind: 'certificate_verify',
    scheme: TLS_SIGNATURE_SCHEMES.ecdsa_secp256r1_sha256,
    signature: fromHex('30 06 02 01 01 02 01 01'),
  },
  { kind: 'finished', verifyData: key },
  {
    kind: 'new_session_ticket',
    lifetime: 7200,
    ageAdd: 0xdeadbeef,
    nonce: Uint8Array.of(0),
    ticket: key,
    extensions: [],
  },
];

describe('TLS handshake messages (RFC 8446 §4)', () => {
  it.each(messages.map((m) => [m.kind, m] as const))(
    '%s round-trips and its fields tile every byte',
    (_k, m) => {
      const wire = encodeHandshake(m);
      const r = decodeHandshake(wire);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.repr).toEqual(m);
      expect(r.length).toBe(wire.length);
      expectTiling(r.fields, 0, wire.length);
    },
  );

  it('the ClientHello carries SNI, ALPN http/1.1 and the X25519 key share', () => {
    const r = decodeHandshake(encodeHandshake(clientHello));
    if (!r.ok || r.repr.kind !== 'client_hello') throw new Error('no client hello');
    expect(describeHandshake(r.repr)).toBe('Client Hello (SNI=server)');
    expect(alpnProtocol(r.repr.extensions)).toBe('http/1.1');
    expect(findKeyShare(r.repr.extensions, TLS_GROUPS.x25519, 'client')).toEqual(key);
    expect(r.fields.find((f) => f.key === 'ext.supported_versions.data')?.value).toBe('TLS 1.3');
  });

  it('RFC 8448’s messages tile too, several in one buffer', () => {
    const all = fromHex(
      RFC8448.encryptedExtensions + RFC8448.certificate + RFC8448.certificateVerify + RFC8448.serverFinished,
    );
    const r = decodeHandshakes(all);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr.map((m) => m.kind)).toEqual([
      'encrypted_extensions',
      'certificate',
      'certificate_verify',
      'finished',
    ]);
    expectTiling(r.fields, 0, all.length);
  });

  it('reports a truncated message, a bad inner length and an unknown type without throwing', () => {
    const wire = encodeHandshake(clientHello);
    const cut = decodeHandshake(wire.subarray(0, 50));
    expect(cut.ok).toBe(false);
    const bad = wire.slice();
    bad[4 + 2 + 32] = 200; // session id length past the end of the body
    const r = decodeHandshake(bad);
    expect(r.ok ? 'ok' : r.error.code).toBe('truncated');
    const unknown = decodeHandshake(fromHex('63 00 00 00'));
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('unknown-handshake-type');
  });

  it('no input makes the decoders throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        decodeHandshake(b);
        decodeHandshakes(b);
        decodeTlsRecord(b);
        decodeInnerPlaintext(b);
        decodeTlsAlert(b);
      }),
      { numRuns: 3000 },
    );
    // Valid headers with random bodies reach deeper.
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8, 11, 15, 20),
        fc.uint8Array({ maxLength: 200 }),
        (type, body) => {
          const wire = new Uint8Array(4 + body.length);
          wire[0] = type;
          wire[3] = body.length;
          wire.set(body, 4);
          const r = decodeHandshake(wire);
          if (r.ok) expect(encodeHandshake(r.repr)).toEqual(wire);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('TLS records (RFC 8446 §5)', () => {
  it('encodes the header: type, 0x0303, length; decodes the fragment and its fields', () => {
    const wire = encodeTlsRecord({
      type: TLS_CONTENT_TYPES.handshake,
      version: 0x0303,
      fragment: fromHex('01 02 03'),
    });
    expect(toHex(wire)).toBe('16 03 03 00 03 01 02 03');
    const r = decodeTlsRecord(wire);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.length).toBe(8);
    expectTiling(r.fields, 0, 8);
  });

  it('an application_data record shows the ciphertext and the 16-byte tag', () => {
    const record = fromHex(RFC8448.clientFinishedRecord);
    const r = decodeTlsRecord(record);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.fields.find((f) => f.key === 'authTag')).toMatchObject({ start: 42, end: 58 });
    expectTiling(r.fields, 0, record.length);
  });

  it('rejects an unknown type, an oversized length and a short record', () => {
    const codes = ['63 03 03 00 00', '17 03 03 41 01', '16 03 03 00 05 01'].map((hex) => {
      const r = decodeTlsRecord(fromHex(hex));
      return r.ok ? 'ok' : r.error.code;
    });
    expect(codes).toEqual(['bad-content-type', 'record-overflow', 'truncated']);
  });

  it('the inner plaintext: content, the real type, zero padding', () => {
    const inner = encodeInnerPlaintext(fromHex('aa bb'), TLS_CONTENT_TYPES.application_data, 3);
    expect(toHex(inner)).toBe('aa bb 17 00 00 00');
    const r = decodeInnerPlaintext(inner);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr).toEqual({ content: fromHex('aa bb'), type: 23, padding: 3 });
    expectTiling(r.fields, 0, inner.length);
    expect(decodeInnerPlaintext(new Uint8Array(4)).ok).toBe(false);
  });

  it('alerts: close_notify', () => {
    const wire = encodeTlsAlert({ level: 1, description: 0 });
    const r = decodeTlsAlert(wire);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.fields.map((f) => f.value)).toEqual(['1 (warning)', '0 (close_notify)']);
  });
});
