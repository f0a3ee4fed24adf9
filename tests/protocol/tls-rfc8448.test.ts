import { x25519 } from '@noble/curves/ed25519.js';
import { concatBytes, fromHex, toHex } from '../../src/protocol/bytes';
import {
  decodeHandshake,
  encodeHandshake,
  encodeInnerPlaintext,
  TLS_CONTENT_TYPES,
} from '../../src/protocol/tls';
import {
  applicationSecrets,
  finishedKey,
  finishedVerifyData,
  handshakeSecrets,
  hkdfLabel,
  openRecord,
  sealRecord,
  trafficKeys,
  transcriptHash,
} from '../../src/protocol/tlsKeys';
import { RFC8448 } from '../fixtures/rfc8448';

const h = (s: string): Uint8Array => fromHex(s);
const hex = (b: Uint8Array): string => toHex(b);
const want = (s: string): string => toHex(fromHex(s));

describe('RFC 8448 §3 Simple 1-RTT Handshake: the key schedule byte for byte', () => {
  const ch = h(RFC8448.clientHello);
  const sh = h(RFC8448.serverHello);
  const ee = h(RFC8448.encryptedExtensions);
  const cert = h(RFC8448.certificate);
  const cv = h(RFC8448.certificateVerify);
  const sfin = h(RFC8448.serverFinished);
  const cfin = h(RFC8448.clientFinished);

  it('has the message lengths the trace states', () => {
    expect([ch, sh, ee, cert, cv, sfin, cfin].map((m) => m.length)).toEqual([196, 90, 40, 445, 136, 36, 36]);
  });

  it('X25519 from the trace’s private keys gives its public keys and shared secret (@noble/curves)', () => {
    expect(hex(x25519.getPublicKey(h(RFC8448.clientPrivate)))).toBe(want(RFC8448.clientPublic));
    expect(hex(x25519.getPublicKey(h(RFC8448.serverPrivate)))).toBe(want(RFC8448.serverPublic));
    expect(hex(x25519.getSharedSecret(h(RFC8448.clientPrivate), h(RFC8448.serverPublic)))).toBe(
      want(RFC8448.sharedSecret),
    );
  });

  const helloHash = transcriptHash(ch, sh);
  const hs = handshakeSecrets(h(RFC8448.sharedSecret), helloHash);

  it('early secret, derived, handshake secret, and the hash of ClientHello..ServerHello', () => {
    expect(hex(helloHash)).toBe(want(RFC8448.helloHash));
    expect(hex(hs.earlySecret)).toBe(want(RFC8448.earlySecret));
    expect(hex(hs.derivedEarly)).toBe(want(RFC8448.derivedEarly));
    expect(hex(hs.handshakeSecret)).toBe(want(RFC8448.handshakeSecret));
  });

  it('handshake traffic secrets, keys and IVs', () => {
    expect(hex(hs.clientHandshakeTraffic)).toBe(want(RFC8448.clientHandshakeTraffic));
    expect(hex(hs.serverHandshakeTraffic)).toBe(want(RFC8448.serverHandshakeTraffic));
    expect(hex(hs.server.key)).toBe(want(RFC8448.serverHandshakeKey));
    expect(hex(hs.server.iv)).toBe(want(RFC8448.serverHandshakeIv));
    expect(hex(hs.client.key)).toBe(want(RFC8448.clientHandshakeKey));
    expect(hex(hs.client.iv)).toBe(want(RFC8448.clientHandshakeIv));
  });

  it('HkdfLabel layouts the trace prints as "info"', () => {
    expect(hex(hkdfLabel('key', new Uint8Array(0), 16))).toBe('00 10 09 74 6c 73 31 33 20 6b 65 79 00');
    expect(hex(hkdfLabel('iv', new Uint8Array(0), 12))).toBe('00 0c 08 74 6c 73 31 33 20 69 76 00');
    expect(hex(hkdfLabel('finished', new Uint8Array(0), 32))).toBe(
      '00 20 0e 74 6c 73 31 33 20 66 69 6e 69 73 68 65 64 00',
    );
  });

  it('Finished keys and both Finished messages', () => {
    expect(hex(finishedKey(hs.serverHandshakeTraffic))).toBe(want(RFC8448.serverFinishedKey));
    expect(hex(finishedKey(hs.clientHandshakeTraffic))).toBe(want(RFC8448.clientFinishedKey));
    const serverVerify = finishedVerifyData(hs.serverHandshakeTraffic, transcriptHash(ch, sh, ee, cert, cv));
    expect(hex(encodeHandshake({ kind: 'finished', verifyData: serverVerify }))).toBe(hex(sfin));
    const clientVerify = finishedVerifyData(
      hs.clientHandshakeTraffic,
      transcriptHash(ch, sh, ee, cert, cv, sfin),
    );
    expect(hex(encodeHandshake({ kind: 'finished', verifyData: clientVerify }))).toBe(hex(cfin));
  });

  it('master secret, application traffic secrets, keys and IVs', () => {
    const finishedHash = transcriptHash(ch, sh, ee, cert, cv, sfin);
    expect(hex(finishedHash)).toBe(want(RFC8448.finishedHash));
    const ap = applicationSecrets(hs.handshakeSecret, finishedHash);
    expect(hex(ap.derivedHandshake)).toBe(want(RFC8448.derivedHandshake));
    expect(hex(ap.masterSecret)).toBe(want(RFC8448.masterSecret));
    expect(hex(ap.clientApplicationTraffic)).toBe(want(RFC8448.clientApplicationTraffic));
    expect(hex(ap.serverApplicationTraffic)).toBe(want(RFC8448.serverApplicationTraffic));
    expect(hex(ap.server.key)).toBe(want(RFC8448.serverApplicationKey));
    expect(hex(ap.server.iv)).toBe(want(RFC8448.serverApplicationIv));
    expect(hex(ap.client.key)).toBe(want(RFC8448.clientApplicationKey));
    expect(hex(ap.client.iv)).toBe(want(RFC8448.clientApplicationIv));
  });

  it('protects the client Finished into the trace’s 58-byte record (AES-128-GCM, seq 0) and opens it again', () => {
    const keys = trafficKeys(h(RFC8448.clientHandshakeTraffic));
    const record = sealRecord(keys, 0, encodeInnerPlaintext(cfin, TLS_CONTENT_TYPES.handshake));
    expect(hex(record)).toBe(want(RFC8448.clientFinishedRecord));
    const opened = openRecord(keys, 0, record);
    expect(opened && hex(opened)).toBe(hex(concatBytes(cfin, Uint8Array.of(22))));
    // Another sequence number gives another nonce: the tag no longer verifies.
    expect(openRecord(keys, 1, record)).toBeNull();
    const flipped = record.slice();
    flipped[10]! ^= 1;
    expect(openRecord(keys, 0, flipped)).toBeNull();
  });

  it('decodes every message of the trace and encodes it back to the same bytes', () => {
    for (const m of [ch, sh, ee, cert, cv, sfin, cfin]) {
      const r = decodeHandshake(m);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.length).toBe(m.length);
      expect(hex(encodeHandshake(r.repr))).toBe(hex(m));
    }
  });
});
