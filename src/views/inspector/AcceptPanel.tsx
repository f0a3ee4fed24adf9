/**
 * Sec-WebSocket-Accept, step by step (RFC 6455 §4.2.2 item 5.4): the client's key, with the fixed GUID
 * appended, through SHA-1, then base64; and a check that it equals what the 101 response carries.
 */
import { useMemo } from 'react';
import { toHex } from '../../protocol/bytes';
import { acceptComputation } from '../../protocol/http';
import type { Packet, Timeline } from '../../sim/types';
import './AcceptPanel.css';

function headerField(packet: Packet, name: string): string | undefined {
  return packet.fields.find((f) => f.layer === 'http' && f.key === `header:${name}`)?.value;
}

export interface AcceptStory {
  readonly computation: ReturnType<typeof acceptComputation>;
  /** What the server's 101 actually carries, when this is (or there is) one. */
  readonly sent?: string;
  readonly role: 'request' | 'response';
}

/** For the upgrade GET or the 101 response: the key, its computation, and the accept value on the wire. */
export function acceptStory(timeline: Timeline, packet: Packet): AcceptStory | null {
  const app = packet.app;
  const sameConnection = (p: Packet) =>
    p.connection === packet.connection &&
    ((p.from === packet.from && p.to === packet.to) || (p.from === packet.to && p.to === packet.from));
  if (app?.kind === 'http-request' && app.upgrade) {
    const key = headerField(packet, 'sec-websocket-key');
    if (!key) return null;
    const response = timeline.packets.find(
      (p) => sameConnection(p) && p.app?.kind === 'http-response' && p.app.status === 101,
    );
    const sent = response ? headerField(response, 'sec-websocket-accept') : undefined;
    return { computation: acceptComputation(key), role: 'request', ...(sent ? { sent } : {}) };
  }
  if (app?.kind === 'http-response' && app.status === 101) {
    const request = [...timeline.packets]
      .filter((p) => p.id < packet.id && sameConnection(p) && p.app?.kind === 'http-request' && p.app.upgrade)
      .pop();
    const key = request ? headerField(request, 'sec-websocket-key') : undefined;
    if (!key) return null;
    const sent = headerField(packet, 'sec-websocket-accept');
    return { computation: acceptComputation(key), role: 'response', ...(sent ? { sent } : {}) };
  }
  return null;
}

export function AcceptPanel({ timeline, packet }: { readonly timeline: Timeline; readonly packet: Packet }) {
  const story = useMemo(() => acceptStory(timeline, packet), [timeline, packet]);
  if (!story) return null;
  const c = story.computation;
  const match = story.sent === undefined ? null : story.sent === c.accept;
  return (
    <section className="explain accept" aria-labelledby="accept-title">
      <div className="explain-head">
        <h3 id="accept-title">Sec-WebSocket-Accept, step by step</h3>
        {match !== null ? (
          <p className={`accept-check ${match ? 'ok' : 'bad'}`}>
            {match ? '✓ equals' : '✗ differs from'} the header in the 101 response
            {match ? '' : ` (${story.sent})`}: the server really read this client's key.
          </p>
        ) : null}
      </div>
      <dl className="accept-steps">
        <dt>1. the client's key</dt>
        <dd>
          <code>{c.key}</code>
        </dd>
        <dt>2. + the fixed GUID</dt>
        <dd>
          <code className="wrap">
            {c.key}
            <mark>{c.guid}</mark>
          </code>
        </dd>
        <dt>3. SHA-1 of that</dt>
        <dd>
          <code className="wrap">{toHex(c.sha1)}</code>
        </dd>
        <dt>4. base64 of SHA-1</dt>
        <dd>
          <code>{c.accept}</code>
        </dd>
      </dl>
    </section>
  );
}
