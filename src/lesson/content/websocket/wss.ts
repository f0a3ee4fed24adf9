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
      // §2: the full handshake is one round trip before application data.
      return (
        `What the handshake cost: ${bytes(total.bytes)} of TLS in ${total.packets} packets and one round trip, ` +
        'before the first byte of HTTP. A ws:// connection sends its GET right after TCP’s handshake.'
      );
    }
    return `${bytes(p.tcp.len)} of TLS’s own records (${records.join(', ')}): no application data in them.`;
  }
  const n = sealedRecords(p);
  if (n === 0) return undefined;
  return (
    `What TLS costs here: ${n === 1 ? 'one record' : `${n} records`} × ${RECORD_OVERHEAD} bytes (5 of header, ` +
    `1 of inner type, 16 of tag) = ${bytes(n * RECORD_OVERHEAD)} on top of the ${bytes(p.tcp.len - n * RECORD_OVERHEAD)} ` +
    'the program wrote, and not a byte of them readable without the keys.'
  );
}

export const WSS_LESSONS: readonly LessonContent[] = [
  {
    id: 'wss',
    intro:
      'Every WebSocket in production is wss://: the same frames, inside TLS, here on port 443. After TCP’s ' +
      'handshake comes TLS 1.3’s: in one round trip the two sides agree on keys and the server proves who it is ' +
      'with a certificate. From then on the upgrade request, the 101 and every frame travel in encrypted ' +
      'records, which Wireshark decrypts with the key log you can export.',
    checks: [
      {
        question: 'Where does TLS sit in this connection?',
        choices: [
          'Between TCP and HTTP: its records ride on TCP, and HTTP and WebSocket ride inside them',
          'Below TCP, encrypting the TCP header',
          'Inside the WebSocket frames',
        ],
        answer: 0,
        explain:
          'The TCP header, the ports and the IP addresses stay readable (the network needs them); everything ' +
          'after the TCP header is TLS records. That is why neither "layer 5" nor "layer 6" fits it well: it ' +
          'keeps session state and it encrypts, and it has a header of its own.',
      },
      {
        question: 'What can someone on the path still see of a wss:// chat?',
        choices: [
          'The addresses, the ports, the server name in the ClientHello (SNI), and the sizes and times of records',
          'Nothing at all',
          'The messages, because WebSocket frames are not encrypted',
        ],
        answer: 0,
        explain:
          'The ClientHello travels in the clear and names "server"; each record’s length shows. Only the ' +
          'contents are hidden.',
      },
      {
        question: 'How many bytes does TLS add to each record of application data here?',
        choices: [
          '22: a 5-byte header, 1 byte of content type, a 16-byte tag',
          '0: encryption keeps the size',
          '4: like a masking key',
        ],
        answer: 0,
        explain:
          'AES-GCM keeps the length of what it encrypts and adds a 16-byte authentication tag; TLS 1.3 adds ' +
          'the real content type inside and a 5-byte header outside (RFC 8446 §5.2).',
      },
      {
        question: 'Why does the browser need the server’s Certificate and CertificateVerify?',
        choices: [
          'To be sure it shares its keys with the real server and not with someone in between',
          'To compress the handshake',
          'To choose the WebSocket subprotocol',
        ],
        answer: 0,
        explain:
          'X25519 alone gives a shared secret with whoever answered. The signature in CertificateVerify, made ' +
          'with the certificate’s private key over the whole handshake, ties that answer to the certificate’s ' +
          'name (RFC 8446 §4.4.3).',
      },
    ],
    teacherNotes:
      'Open at the ClientHello. Ask "what is the first thing the browser sends on port 443?" (not HTTP). Point at ' +
      'the SNI and the key share in the inspector: readable by anyone. At the server’s flight, count what is ' +
      'still readable (ServerHello) and what is not (everything after the ChangeCipherSpec). At the upgrade, ' +
      'compare with the upgrade lesson: same GET, 22 bytes more, unreadable. Then export the .pcap and the .keys ' +
      'and open both in Wireshark: students see the same frames decrypted. End with the misconception "the ' +
      'presentation layer encrypts": TLS does, and it adds bytes and a handshake of its own.',
    aside: wssAside,
    // The TLS chapter begins where the ClientHello goes down the browser's layers.
    start: startAt((t) => firstOfChapter(t, 'tls-handshake')),
  },
];
