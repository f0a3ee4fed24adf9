/**
 * The wss lesson: the same chat over TLS 1.3 (tls=1). Its aside counts what TLS costs on each packet, with
 * this run's bytes: the handshake's own records, and the 22 bytes every protected record adds (RFC 8446 §5.2:
 * a 5-byte header, one byte of inner content type, a 16-byte AES-GCM tag).
 */
import type { Packet, Step, Timeline } from '../../../sim/types';
import { firstOfChapter, onWire, packetOf, startAt } from '../queries';
import type { LessonContent } from '../types';
import { bytes } from '../wording';

/** RFC 8446 §5.2: what one protected record adds to its content. */
const RECORD_OVERHEAD = 22;

/** Protected records whose tag ends in this segment (one per record). */
function sealedRecords(p: Packet): number {
  return p.fields.filter((f) => f.layer === 'tls' && f.key === 'authTag').length;
}

/** TLS's own bytes (handshake, tickets, alerts) sent so far, up to and including `p`. */
function handshakeBytesUpTo(p: Packet, t: Timeline): { bytes: number; packets: number } {
  let n = 0;
  let k = 0;
  for (const q of t.packets) {
    if (q.id > p.id) break;
    if (q.app?.kind === 'tls' && q.retransmissionOf === undefined && q.connection === p.connection) {
      n += q.tcp.len;
      k++;
    }
  }
  return { bytes: n, packets: k };
}

function wssAside(step: Step, t: Timeline): string | undefined {
  if (!onWire(step)) return undefined;
  const p = packetOf(step, t);
  if (!p || p.tcp.len === 0 || !p.layers.tls) return undefined;
  if (p.app?.kind === 'tls') {
    const records = p.app.records;
    if (records.includes('Finished') && p.from === 'client') {
      const total = handshakeBytesUpTo(p, t);
      // RFC 8446 §2: the full handshake takes one round trip before application data; over ws:// the GET
      // follows TCP's handshake at once (chromium-ws.pcap, the GET /chat frame right after the third ACK).
      return (
        `What the handshake cost: ${bytes(total.bytes)} of TLS in ${total.packets} packets and one round trip, ` +
        'before the first byte of HTTP. A ws:// connection sends its GET right after TCP’s handshake.'
      );
    }
    // RFC 8446 §4 and §4.6.1: handshake messages and session tickets are TLS’s own, not the program’s.
    return `${bytes(p.tcp.len)} of TLS’s own records (${records.join(', ')}): no application data in them.`;
  }
  const n = sealedRecords(p);
  if (n === 0) return undefined;
  // RFC 8446 §5.1-5.2: a 5-byte record header in the clear, then the encrypted content, one byte of inner
  // content type and the AEAD's 16-byte tag (AES-128-GCM, RFC 5116 §5.1); no padding, as Chrome and Node
  // send (chromium-wss.pcap frames 39 and 48: record length = content + 17).
  return (
    `What TLS costs here: ${n === 1 ? 'one record' : `${n} records`} × ${RECORD_OVERHEAD} bytes (5 of header, ` +
    `1 of inner type, 16 of tag) = ${bytes(n * RECORD_OVERHEAD)} on top of the ${bytes(p.tcp.len - n * RECORD_OVERHEAD)} ` +
    'the program wrote. Only the 5-byte header can be read on the path; the rest needs the keys.'
  );
}

export const WSS_LESSONS: readonly LessonContent[] = [
  {
    id: 'wss',
    // W3C Mixed Content ("should fetching request be blocked as mixed content"): an https:// page may not
    // open ws://. RFC 6455 §3: wss:// defaults to port 443. RFC 8446 §2: a one-round-trip handshake with
    // the server's certificate. The key log export: src/views/exports/ExportDialog.tsx (SSLKEYLOGFILE format).
    intro:
      'A page loaded over https:// may only open wss:// (browsers block ws:// there), so sites served over ' +
      'https:// use wss://: the same frames, inside TLS, here on port 443. After TCP’s handshake comes ' +
      'TLS 1.3’s: in one round trip the two sides agree on keys and the server proves who it is with a ' +
      'certificate. From then on the upgrade request, the 101 and every frame travel in encrypted records, ' +
      'which Wireshark decrypts with the key log you can export.',
    checks: [
      {
        // RFC 8446 §1 and §5: TLS records ride on TCP and carry the application's bytes.
        question: 'Where does TLS sit in this connection?',
        choices: [
          // RFC 8446 §5.
          'Between TCP and HTTP: its records ride on TCP, and HTTP and WebSocket ride inside them',
          // RFC 8446 §5: the TCP and IP headers stay in the clear.
          'Below TCP, encrypting the TCP header',
          // RFC 8446 §5: the frames are the records' content, not the other way round.
          'Inside the WebSocket frames',
        ],
        answer: 0,
        // RFC 8446 §5 (records after the TCP header); ISO/IEC 7498-1 §7.2-7.3 (the presentation and session layers).
        explain:
          'The TCP header, the ports and the IP addresses stay readable (the network needs them); everything ' +
          'after the TCP header is TLS records. In OSI terms TLS does jobs of two layers: it keeps session ' +
          'state (layer 5) and it encrypts (layer 6), and it adds a header of its own, so neither label fits ' +
          'it alone.',
      },
      {
        // RFC 8446 §4.1.2 (ClientHello in the clear), RFC 6066 §3 (server_name), §5.1 (record lengths).
        question: 'What can someone on the path still see of a wss:// chat?',
        choices: [
          // RFC 8446 §4.1.2 and §5.1; RFC 6066 §3.
          'The addresses, the ports, the server name in the ClientHello (SNI), and the sizes and times of records',
          // RFC 8446 §5.1: the record headers and the ClientHello are readable.
          'Nothing at all',
          // RFC 8446 §5.2: the frames are encrypted inside the records.
          'The messages, because WebSocket frames are not encrypted',
        ],
        answer: 0,
        // RFC 8446 §4.1.2; RFC 6066 §3: Wirewalk's ClientHello names "server" (sim/libs/tls/connection.ts).
        explain:
          'The ClientHello travels in the clear and names "server"; each record’s length shows. Only the ' +
          'contents are hidden.',
      },
      {
        // RFC 8446 §5.2; chromium-wss.pcap frame 48: a 5-byte frame in a record of 22 bytes.
        question: 'How many bytes does TLS add to each record of application data here?',
        choices: [
          // RFC 8446 §5.1-5.2, RFC 5116 §5.1.
          '22: a 5-byte header, 1 byte of content type, a 16-byte tag',
          // RFC 8446 §5.2: the AEAD adds its tag.
          '0: encryption keeps the size',
          // RFC 6455 §5.3: the masking key is WebSocket's, not TLS's.
          '4: like a masking key',
        ],
        answer: 0,
        // RFC 8446 §5.2 and RFC 5116 §5.1 (AES-128-GCM: a 16-byte tag); no padding (chromium-wss.pcap frame 48).
        explain:
          'AES-GCM keeps the length of what it encrypts and adds a 16-byte authentication tag; TLS 1.3 adds ' +
          'the real content type inside and a 5-byte header outside (RFC 8446 §5.2). Chrome and this server ' +
          'add no padding.',
      },
      {
        // RFC 8446 §4.4.2-4.4.3: Certificate and CertificateVerify authenticate the server.
        question: 'Why does the browser need the server’s Certificate and CertificateVerify?',
        choices: [
          // RFC 8446 §4.4.3.
          'To be sure it shares its keys with the real server and not with someone in between',
          // RFC 8446 §4.4.2: the certificate adds bytes; nothing compresses the handshake here.
          'To compress the handshake',
          // RFC 6455 §4.1: the subprotocol is a header of the upgrade request.
          'To choose the WebSocket subprotocol',
        ],
        answer: 0,
        // RFC 8446 §4.4.3: the signature covers the transcript hash up to the Certificate; RFC 7748 (X25519).
        explain:
          'X25519 alone gives a shared secret with whoever answered. The signature in CertificateVerify, made ' +
          'with the certificate’s private key over the handshake so far, ties that answer to the ' +
          'certificate’s name (RFC 8446 §4.4.3).',
      },
    ],
    // RFC 8446 §4.1.2 (SNI, key share in the clear), §2 (all after ServerHello encrypted); the GET differs
    // from the ws:// one in Origin and Accept-Encoding (sim/libs/http.ts browserWsRequest, chromium-wss.pcap
    // frame 39); the .keys export is src/views/exports/ExportDialog.tsx.
    teacherNotes:
      'Open at the ClientHello. Ask "what is the first thing the browser sends on port 443?" (not HTTP). Point at ' +
      'the SNI and the key share in the inspector: readable by anyone. At the server’s flight, count what is ' +
      'still readable (ServerHello) and what is not (everything after the ChangeCipherSpec). At the upgrade, ' +
      'compare with the upgrade lesson: the same GET (only Origin and Accept-Encoding differ), 22 bytes more, ' +
      'unreadable. Then export the .pcap and the .keys and open both in Wireshark: students see the same ' +
      'frames decrypted. End with the misconception "the presentation layer encrypts": TLS does, and it adds ' +
      'bytes and a handshake of its own.',
    aside: wssAside,
    // The TLS chapter begins where the ClientHello goes down the browser's layers.
    start: startAt((t) => firstOfChapter(t, 'tls-handshake')),
  },
];
