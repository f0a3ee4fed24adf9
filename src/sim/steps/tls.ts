/**
 * What the steps say about TLS 1.3 (RFC 8446) under wss:// and https://: each of its packets, the OSI
 * walk's layer 6 for a TLS-carried write, and the moment each side has its keys. Sentences name their
 * section of RFC 8446 in the comment beside them. This module loads with the TLS stories (sim/tlsStories.ts),
 * which hand TLS_STEPS to the stories through RunFacts: the plain stories never download it.
 */
import { toHex } from '../../protocol/bytes';
import type { Packet, TlsSessionInfo } from '../types';
import type { TlsKit } from '../libs/tls/kit';
import type { StoryWrite } from '../libs/websocket';
import type { TlsRecordOut, TlsSecrets } from '../libs/tls/connection';
import type { Narration, RunFacts } from './narration';
import { Label, MISCONCEPTIONS, bytesText, who } from './phrases';

/** §5.2: what TLS adds to one protected record: 5 header bytes, 1 inner content type byte, 16 tag bytes. */
export const TLS_RECORD_OVERHEAD = 5 + 1 + 16;

function short(b: Uint8Array, n = 8): string {
  return toHex(b.subarray(0, n), '') + (b.length > n ? '…' : '');
}

function recordCount(records: readonly TlsRecordOut[]): string {
  return records.length === 1 ? 'one record' : `${records.length} records`;
}

/** One sentence on what TLS did to a data write: its records and the bytes it added. */
export function tlsDataSentence(w: StoryWrite): string {
  const t = w.tls;
  if (!t?.inner) return '';
  const plain = t.inner.bytes.length;
  const added = w.bytes.length - plain;
  const first = t.records[0]!;
  // RFC 8446 §5.2: type 23, legacy version 0x0303, length; AES-128-GCM over content + type; 16-byte tag.
  return (
    ` TLS carries it: ${bytesText(plain)} became ${recordCount(t.records)} of ${bytesText(w.bytes.length)} ` +
    `(type 23 "application data", version 0x0303, the length, then ciphertext and a 16-byte tag: ` +
    `+${bytesText(added)}), encrypted with AES-128-GCM under the ${first.epoch} traffic key, record number ${first.seq}.`
  );
}

/** The single step of a TLS handshake or alert packet. */
export function narrateTlsPacket(
  p: Packet,
  w: StoryWrite,
  f: RunFacts,
  againText: string,
  arrowText?: string,
): Narration | null {
  const from = p.from === 'client' ? f.client : f.server;
  const arrow = arrowText ?? `${Label(from)} → ${who(p.to).replace('the ', '')}`;
  const records = w.tls?.records ?? [];
  const size = bytesText(w.bytes.length);
  switch (w.purpose) {
    case 'tls-client-hello': {
      const ch = records[0];
      const random = ch ? ch.content.subarray(6, 38) : new Uint8Array(0);
      // The client's last extensions (libs/tls/connection.ts): key_share's 32-byte key, then
      // psk_key_exchange_modes (6 bytes) and supported_versions (7 bytes).
      const end = ch ? ch.content.length - 13 : 0;
      const share = ch ? ch.content.subarray(end - 32, end) : null;
      return {
        title: 'TLS ClientHello: "let’s encrypt"', // RFC 8446 §4.1.2
        // RFC 8446 §4.1.2: the ClientHello and its extensions; RFC 6066 §3 SNI; RFC 7301 ALPN. One suite and one
        // key share are Wirewalk's choice (sim/libs/tls/connection.ts); Chrome offers 15 suites and a hybrid
        // post-quantum key share (chromium-wss.pcap frame 5).
        text:
          `${arrow}, on port ${p.tcp.dstPort}: the first bytes after TCP's handshake are not HTTP but TLS's ` +
          `ClientHello, ${size} in the clear. It offers TLS 1.3 (supported_versions) and the cipher suite ` +
          `TLS_AES_128_GCM_SHA256, a fresh random (${short(random)}), the browser's X25519 public key ` +
          `(${share ? short(share) : '32 bytes'}), ALPN http/1.1 and the name it wants, "server" (SNI): ` +
          'anyone on the path can read that name. (Wirewalk’s browser offers one cipher suite and one key; ' +
          'Chrome offers many more, and a larger post-quantum key.)' +
          againText,
        curriculum: ['Q10'],
      };
    }
    case 'tls-server-hello':
      return {
        title: 'TLS ServerHello … Finished: one flight', // RFC 8446 §2, §4.1.3-4.4.4
        // RFC 8446 §4.1.3 ServerHello; §7.1 key schedule; §4.3.1 EncryptedExtensions; §4.4.2-4.4.4; Appendix D.4 CCS.
        text:
          `${arrow}: ${size} in ${recordCount(records)}. The ServerHello (in the clear) picks TLS 1.3 and ` +
          'TLS_AES_128_GCM_SHA256 and carries the server’s X25519 public key. From the two public keys each side ' +
          'now computes the same shared secret, which no one watching can. A dummy ChangeCipherSpec follows for ' +
          'old middleboxes; everything after it is encrypted with the handshake keys: EncryptedExtensions ' +
          '(ALPN http/1.1), the Certificate, the CertificateVerify signature made with the certificate’s key ' +
          'over the whole handshake so far, and Finished, a MAC over all of it.' +
          againText,
        // M9: the server is authenticated here, in TLS's handshake (§4.4.2-4.4.3), not by a session layer.
        curriculum: ['Q10', 'M9'],
        misconception: MISCONCEPTIONS.M9,
      };
    case 'tls-client-finished':
      return {
        title: 'TLS Finished: the handshake is done', // RFC 8446 §4.4.4
        // RFC 8446 §4.4.4 Finished; §2: a full handshake takes one round trip; §7.3 traffic keys; Appendix D.4 CCS.
        text:
          `${arrow}: ${size}: a ChangeCipherSpec (for middleboxes) and the browser’s Finished, encrypted. The ` +
          'browser checked the certificate, the signature and the server’s Finished; its own Finished proves it ' +
          'saw the same handshake byte for byte. One round trip after the ClientHello, the handshake is over: ' +
          'from here on both directions use the application traffic keys.' +
          againText,
        curriculum: ['Q10'],
      };
    case 'tls-session-ticket':
      return {
        title: 'TLS NewSessionTicket',
        // §4.6.1 NewSessionTicket; OpenSSL sends two by default (routed-wss.pcap frame 9).
        text:
          `${arrow}: ${recordCount(records)}, ${size}, encrypted: session tickets the browser may present next ` +
          'time to resume without the certificate exchange. The server’s TLS library (OpenSSL under Node) sends ' +
          'two by default.' +
          againText,
      };
    case 'tls-close-notify':
      return {
        title: 'TLS close_notify',
        // RFC 8446 §6.1: each party MUST send close_notify before closing its write side (against truncation).
        text:
          `${arrow}: an encrypted alert, close_notify (${size}): "I will send nothing more". TLS sends it before ` +
          'TCP’s FIN so that a FIN forged by someone on the path cannot cut the data short unnoticed.' +
          againText,
      };
    default:
      return null;
  }
}

/** Layer 6 on the way down for a TLS-carried write. */
export function tlsPresentationDown(p: Packet, w: StoryWrite, f: RunFacts): Narration {
  const t = w.tls!;
  if (t.inner) {
    const r = t.records[0]!;
    return {
      title: 'Layer 6 (presentation): TLS encrypts', // RFC 8446 §5.2
      // RFC 8446 §5.2 record protection; §5.3 per-record nonce; CURRICULUM.md M6 (the bytes TLS adds).
      text:
        `TLS takes the ${bytesText(t.inner.bytes.length)} and seals them into ${recordCount(t.records)}: the ` +
        'bytes plus one byte of their real type (23, application data) are encrypted with AES-128-GCM under ' +
        `key ${short(r.keys?.key ?? new Uint8Array(0))} and nonce = IV XOR record number ${r.seq}; a 16-byte tag ` +
        'is appended and a 5-byte header (23, 0x0303, length) put in front. ' +
        `+${bytesText(w.bytes.length - t.inner.bytes.length)}. This is the one job of layer 6 that adds bytes.`,
      curriculum: ['Q10', 'M6'],
    };
  }
  const own = narrateTlsPacket(p, w, f, '');
  return {
    title: `Layer 6 (presentation): ${own ? own.title : 'TLS’s own records'}`,
    // RFC 8446 §4: handshake messages in records (§5.1) with a 5-byte header.
    text:
      (own ? own.text + ' ' : '') +
      `These ${bytesText(w.bytes.length)} are TLS’s own, in records with a 5-byte header each; layer 6 here ` +
      'is TLS, and it writes bytes of its own before any HTTP can flow.',
    curriculum: ['Q10', 'M6'],
  };
}

/** Layer 6 on the way up for a TLS-carried write. */
export function tlsPresentationUp(w: StoryWrite): Narration {
  const t = w.tls!;
  if (t.inner) {
    return {
      title: 'Layer 6 (presentation): TLS decrypts', // RFC 8446 §5.2
      // RFC 8446 §5.2: the tag is checked before anything is used (bad_record_mac); the inner type says what the
      // record holds. A forged tag passes only by a chance of about 2^-128 (RFC 5116 §2.2, NIST SP 800-38D).
      text:
        'TLS checks each record’s 16-byte tag (any changed bit makes it reject the record, bad_record_mac, ' +
        'except by a chance too small to matter), ' +
        `decrypts it and finds inner type 23: ${bytesText(t.inner.bytes.length)} of application data, which it ` +
        'hands up.',
      curriculum: ['Q10', 'M6'],
    };
  }
  return {
    title: 'Layer 6 (presentation): TLS reads its handshake', // RFC 8446 §4
    // RFC 8446 §4.1.2-4.1.3: the hellos are read in the clear; no application data before the handshake ends.
    text: 'TLS reads its own handshake messages; nothing goes up to the program yet.',
    curriculum: ['Q10', 'M6'],
  };
}

/** The step when one side has its application keys. */
export function narrateTlsEstablished(role: 'client' | 'server', s: TlsSecrets | null): Narration {
  const keys = s?.application;
  return {
    title: `${role === 'client' ? 'Browser' : 'Server'}: TLS keys ready`, // RFC 8446 §7.1
    // RFC 8446 §7.1 key schedule: (EC)DHE → Handshake Secret → Master Secret → traffic secrets; §7.3 keys and IVs.
    text:
      `${role === 'client' ? 'The browser' : 'The server'} has checked the other side’s Finished. Its key ` +
      `schedule ran: X25519 shared secret ${s?.sharedSecret ? short(s.sharedSecret) : '?'} → handshake secret ` +
      `${s?.handshake ? short(s.handshake.handshakeSecret) : '?'} → master secret ` +
      `${keys ? short(keys.masterSecret) : '?'} → one application key per direction (browser’s ` +
      `${keys ? short(keys.client.key) : '?'}, server’s ${keys ? short(keys.server.key) : '?'}). ` +
      'From here on HTTP and WebSocket bytes travel only inside encrypted records.',
    curriculum: ['Q10'],
  };
}

/** The key schedule's values (RFC 8446 §7.1) and the NSS key log of one connection's secrets. */
export function tlsSessionInfo(connection: number, s: TlsSecrets, kit: TlsKit): TlsSessionInfo {
  const hex = (b: Uint8Array | null | undefined): string => (b ? toHex(b, '') : '');
  const hs = s.handshake;
  const ap = s.application;
  return {
    connection,
    keyLog: kit.keyLog(s),
    values: [
      ['client random', hex(s.clientRandom)],
      ['server random', hex(s.serverRandom)],
      ['client X25519 public key', hex(s.clientPublic)],
      ['server X25519 public key', hex(s.serverPublic)],
      ['shared secret', hex(s.sharedSecret)],
      ['early secret', hex(hs?.earlySecret)],
      ['derived', hex(hs?.derivedEarly)],
      ['handshake secret', hex(hs?.handshakeSecret)],
      ['hash of ClientHello..ServerHello', hex(s.helloHash)],
      ['client handshake traffic secret', hex(hs?.clientHandshakeTraffic)], // RFC 8446 §7.1
      ['server handshake traffic secret', hex(hs?.serverHandshakeTraffic)], // RFC 8446 §7.1
      ['client handshake key', hex(hs?.client.key)],
      ['client handshake iv', hex(hs?.client.iv)],
      ['server handshake key', hex(hs?.server.key)],
      ['server handshake iv', hex(hs?.server.iv)],
      ['master secret', hex(ap?.masterSecret)],
      ['hash of ClientHello..server Finished', hex(s.finishedHash)], // RFC 8446 §7.1
      ['client application traffic secret', hex(ap?.clientApplicationTraffic)], // RFC 8446 §7.1
      ['server application traffic secret', hex(ap?.serverApplicationTraffic)], // RFC 8446 §7.1
      ['client application key', hex(ap?.client.key)],
      ['client application iv', hex(ap?.client.iv)],
      ['server application key', hex(ap?.server.key)],
      ['server application iv', hex(ap?.server.iv)],
    ],
  };
}

/** Everything a story says about TLS, handed to it with the TLS library (RunFacts.tls). */
export const TLS_STEPS = {
  narrateTlsPacket,
  tlsDataSentence,
  tlsPresentationDown,
  tlsPresentationUp,
  narrateTlsEstablished,
  tlsSessionInfo,
} as const;

export type TlsSteps = typeof TLS_STEPS;

/** The TLS library and its sentences, as the TLS stories hand them to a story builder. */
export interface TlsSupport {
  readonly kit: TlsKit;
  readonly steps: TlsSteps;
}
