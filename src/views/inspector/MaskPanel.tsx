/**
 * A masked WebSocket payload, side by side (RFC 6455 §5.3): the masking key, the bytes on the wire, the key
 * repeated under them, and their XOR, which is the text the application sent.
 */
import { useMemo } from 'react';
import { toHex } from '../../protocol/bytes';
import { decodeWsFrame, maskPayload } from '../../protocol/websocket';
import type { Packet } from '../../sim/types';
import './MaskPanel.css';

/** Columns shown; longer payloads say how many more bytes follow. */
const SHOWN = 8;

export interface Unmasking {
  readonly key: Uint8Array;
  readonly masked: Uint8Array;
  readonly keyStream: Uint8Array;
  readonly unmasked: Uint8Array;
  readonly total: number;
}

/** Decode the frame at the start of the packet's WebSocket bytes; null when it is not a masked frame. */
export function unmasking(packet: Packet): Unmasking | null {
  const range = packet.layers.websocket;
  if (!range || packet.app?.kind !== 'ws-frame' || !packet.app.masked) return null;
  // deflate: a compressed frame (RSV1, RFC 7692) unmasks to its deflate bytes, which the panel shows as they are.
  const frame = decodeWsFrame(packet.frame.subarray(range.start), { deflate: true });
  if (!frame.ok || !frame.repr.maskKey) return null;
  const key = frame.repr.maskKey;
  const unmasked = frame.repr.payload;
  // The frame carries the masked bytes; masking is its own inverse, so mask the payload again to get them.
  const masked = maskPayload(unmasked, key);
  const n = Math.min(SHOWN, unmasked.length);
  const keyStream = Uint8Array.from({ length: n }, (_, i) => key[i & 3]!);
  return {
    key,
    masked: masked.subarray(0, n),
    keyStream,
    unmasked: unmasked.subarray(0, n),
    total: unmasked.length,
  };
}

function chars(bytes: Uint8Array): string[] {
  return [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·'));
}

export function MaskPanel({ packet }: { readonly packet: Packet }) {
  const m = useMemo(() => unmasking(packet), [packet]);
  if (!m) return null;
  const rest = m.total - m.unmasked.length;
  return (
    <section className="explain mask" aria-labelledby="mask-title">
      <div className="explain-head">
        <h3 id="mask-title">Unmasking the payload</h3>
        <p className="explain-note">
          Byte <var>i</var> XOR key byte <var>i</var> mod 4 (key <code>{toHex(m.key)}</code>)
          {rest > 0 ? `; first ${m.unmasked.length} of ${m.total} bytes` : ''}.
        </p>
      </div>
      <table className="mask-table">
        <tbody>
          <tr>
            <th scope="row">on the wire</th>
            {[...m.masked].map((b, i) => (
              <td key={i}>{b.toString(16).padStart(2, '0')}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">XOR key</th>
            {[...m.keyStream].map((b, i) => (
              <td key={i} className="mask-key">
                {b.toString(16).padStart(2, '0')}
              </td>
            ))}
          </tr>
          <tr className="mask-result">
            <th scope="row">= data</th>
            {[...m.unmasked].map((b, i) => (
              <td key={i}>{b.toString(16).padStart(2, '0')}</td>
            ))}
          </tr>
          <tr className="mask-text">
            <th scope="row">as text</th>
            {chars(m.unmasked).map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
