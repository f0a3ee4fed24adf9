/**
 * The engine's front door. `buildTimeline(scenario, builders)` runs the scenario's story once, up front,
 * and records every step: what happened, where (host, OSI layer), the packet it concerns, every host's
 * state after it, its narration and the program line that caused it. Views draw the result; seeking is
 * an index. The stories come in as an argument: the page passes those it has loaded (the websocket
 * story is in the main bundle, `WEBSOCKET_STORY`; the others arrive with `sim/stories.ts`), the command
 * line and the tests pass `ALL_STORIES`.
 *
 * Memory: a step's `states` object is shared with the steps before it until a host's state changes,
 * packets are built once, and only the packets a lesson marks walk the seven layers.
 */
import { encodePcap, type PcapRecord } from '../protocol/pcap';
import { framesAtCard } from './cards';
import { CLIENT_HOST } from './stories/hosts';
import type { HostState, Timeline } from './types';

export { WEBSOCKET_STORY, buildTimeline, startTimeline } from './buildTimeline';

/** Seconds from 1970 to 2011-12-11T00:00:00Z (RFC 6455's month): the capture's time zero. */
export const PCAP_EPOCH_SECONDS = 1323561600;

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

function stateText(s: HostState | undefined): string {
  if (!s) return '-';
  const tcp = s.tcp ? `${s.tcp.state} ${s.tcp.relSndNxt}/${s.tcp.relRcvNxt}` : '-';
  return s.ws ? `${tcp} ${s.ws}` : tcp;
}

/** The NSS key log of a TLS scenario's connections (SSLKEYLOGFILE format), or null without TLS. */
export function timelineKeyLog(t: Timeline): string | null {
  return t.tls && t.tls.length > 0 ? t.tls.map((s) => s.keyLog).join('') : null;
}

/** One deterministic line per step (for `npm run timeline` and snapshot tests). */
export function timelineText(t: Timeline): string {
  const lines: string[] = [];
  for (const s of t.steps) {
    const p = s.packet !== undefined ? t.packets[s.packet] : undefined;
    const pkt = p && (s.kind === 'transmit' || s.kind === 'drop') ? `  {#${p.wireIndex} ${p.summary}}` : '';
    const tags = s.curriculum ? ` [${s.curriculum.join(',')}]` : '';
    const out = s.console ? `  > ${s.console.map((c) => `${c.host}: ${c.text}`).join('; ')}` : '';
    lines.push(
      `${String(s.index + 1).padStart(4)} ${s.time.toFixed(3).padStart(10)} ${pad(s.host, 6)} ` +
        `${s.layer === null ? '  ' : 'L' + s.layer} ${pad(s.kind, 11)} ${pad(s.chapter, 13)} ${s.title}${tags}${pkt}${out}` +
        ` | client ${stateText(s.states['client'])} | server ${stateText(s.states['server'])}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Every frame as one network card sees it (by default the first browser's; `server`, `client-2`, or a
 * router's card towards the server, `router-1`…, see sim/cards.ts): frames it sent (lost ones too) at their
 * send time, frames it received at their arrival time (short ones with the padding the wire adds), ARP
 * included. Timestamps count from 2011-12-11T00:00:00Z, so the same timeline always gives the same bytes.
 * A card the timeline does not have gives an empty capture.
 */
export function timelinePcap(t: Timeline, card: string = CLIENT_HOST.id): Uint8Array {
  const base = PCAP_EPOCH_SECONDS * 1_000_000;
  const records: PcapRecord[] = (framesAtCard(t, card) ?? []).map((f) => ({
    timestampUs: base + Math.round(f.time * 1000),
    data: f.data,
  }));
  return encodePcap(records);
}
