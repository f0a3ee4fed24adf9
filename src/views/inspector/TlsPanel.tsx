/**
 * A TLS record as it is on the wire and as it is inside (RFC 8446 §5.2), beside each other: the 5-byte
 * header (type 23, legacy version 0x0303, length), the ciphertext and the 16-byte tag; then the inner
 * plaintext this run's keys open it to, with its real content type. Below: what TLS added to this packet,
 * where TLS sits in the stack, and the key schedule with this run's values (RFC 8446 §7.1), the way the
 * accept-key panel works out Sec-WebSocket-Accept. Loaded only for packets that carry TLS.
 */
import { useMemo } from 'react';
import { lossyUtf8, toHex } from '../../protocol/bytes';
import type { Packet, Timeline } from '../../sim/types';
import { contentTypeName, packetRecords, type RecordView } from './tlsRecords';
import './TlsPanel.css';

/** RFC 8446 §5.2: a protected record adds a 5-byte header, 1 byte of inner type and a 16-byte tag. */
const OVERHEAD = 22;

function preview(r: RecordView): string {
  if (r.innerType === 23 || r.innerType === null) {
    // Control characters (other than CR and LF) as a middle dot, as a hex dump's text column shows them.
    const text = Array.from(lossyUtf8(r.content.subarray(0, 160)), (ch) => {
      const c = ch.charCodeAt(0);
      return (c < 0x20 && ch !== '\r' && ch !== '\n') || c === 0x7f ? '·' : ch;
    }).join('');
    return text.replace(/\r\n/g, '↵ ') + (r.content.length > 160 ? ' …' : '');
  }
  return toHex(r.content.subarray(0, 24)) + (r.content.length > 24 ? ' …' : '');
}

/** RFC 8446 §7.1, in the order the schedule computes them. */
const SCHEDULE: readonly (readonly [name: string, how: string])[] = [
  ['shared secret', 'X25519(own private key, the other side’s public key): the same 32 bytes on both sides'],
  ['early secret', 'HKDF-Extract(salt 0, IKM 0): no pre-shared key in a first handshake'],
  ['handshake secret', 'HKDF-Extract(Derive-Secret(early, "derived", ""), shared secret)'],
  ['hash of ClientHello..ServerHello', 'SHA-256 of the two hello messages'],
  ['client handshake traffic secret', 'Derive-Secret(handshake secret, "c hs traffic", hello hash)'],
  ['server handshake traffic secret', 'Derive-Secret(handshake secret, "s hs traffic", hello hash)'],
  ['server handshake key', 'HKDF-Expand-Label(server hs traffic, "key", "", 16): encrypts EE … Finished'],
  ['master secret', 'HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0)'],
  ['hash of ClientHello..server Finished', 'SHA-256 of every handshake message up to the server’s Finished'],
  ['client application traffic secret', 'Derive-Secret(master, "c ap traffic", that hash)'],
  ['server application traffic secret', 'Derive-Secret(master, "s ap traffic", that hash)'],
  ['client application key', 'HKDF-Expand-Label(client ap traffic, "key", "", 16): the browser’s records'],
  ['server application key', 'HKDF-Expand-Label(server ap traffic, "key", "", 16): the server’s records'],
];

export default function TlsPanel({
  timeline,
  packet,
}: {
  readonly timeline: Timeline;
  readonly packet: Packet;
}) {
  const records = useMemo(() => packetRecords(timeline, packet), [timeline, packet]);
  const session = timeline.tls?.find((s) => s.connection === packet.connection);
  if (records.length === 0 || !session) return null;
  const sealed = records.filter((r) => r.tag !== null);
  const values = new Map(session.values);
  return (
    <section className="explain tls" aria-labelledby="tls-title">
      <div className="explain-head">
        <h3 id="tls-title">TLS records: on the wire, and inside</h3>
        <p className="tls-cost">
          {sealed.length > 0
            ? `TLS adds ${sealed.length} × ${OVERHEAD} = ${sealed.length * OVERHEAD} bytes to what this packet carries (5 header, 1 inner type, 16 tag per record).`
            : `All ${packet.tcp.len} bytes are TLS’s own handshake, before any application data.`}
        </p>
      </div>
      <ol className="tls-records">
        {records.map((r) => (
          <li key={r.at} className="tls-record">
            <div className="tls-wire">
              <span className="tls-label">on the wire</span>
              <code>
                type {r.outerType} ({contentTypeName(r.outerType)}) ·{' '}
                {`0x${r.version.toString(16).padStart(4, '0')}`} · length {r.fragmentLength}
              </code>
              {r.tag !== null ? (
                <code className="wrap">
                  {r.fragmentLength - 16} bytes of ciphertext · tag {r.tag}
                </code>
              ) : (
                <code>in the clear: {r.label}</code>
              )}
            </div>
            {r.tag !== null ? (
              <div className="tls-inner">
                <span className="tls-label">
                  inside ({r.epoch} key, record {r.seq})
                </span>
                {r.opened ? (
                  <>
                    <code>
                      inner type {r.innerType} ({contentTypeName(r.innerType!)}): {r.label},{' '}
                      {r.content.length} bytes
                    </code>
                    <code className="wrap tls-preview">{preview(r)}</code>
                  </>
                ) : (
                  <code>did not decrypt</code>
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="tls-where">
        Where TLS sits: between TCP and HTTP. It keeps state for the connection (keys, record numbers), which
        is session work, and it encrypts, which is presentation work, and it has a header of its own: neither
        layer 5 nor layer 6 alone describes it, so it is drawn between TCP and HTTP.
      </p>
      <details className="tls-schedule">
        <summary>The key schedule of this run (RFC 8446 §7.1)</summary>
        <dl>
          {SCHEDULE.map(([name, how]) => (
            <div key={name}>
              <dt>
                {name}: <span className="tls-how">{how}</span>
              </dt>
              <dd>
                <code className="wrap">{values.get(name) ?? '–'}</code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}
