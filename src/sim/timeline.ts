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
import { CLIENT_HOST, SERVER_HOST } from './stories/hosts';
import type { Scenario, Story } from './scenario';
import type { BuildOptions, HostId, HostState, Program, StoryBuilders, Timeline } from './types';

export { WEBSOCKET_STORY } from './stories/websocket/timeline';

/** Seconds from 1970 to 2011-12-11T00:00:00Z (RFC 6455's month): the capture's time zero. */
export const PCAP_EPOCH_SECONDS = 1323561600;

const STORY_NAMES: { readonly [S in Story]: string } = {
  websocket: 'WebSocket',
  socketio: 'Socket.IO',
  compare: 'polling comparison',
};

const NO_PROGRAM = (title: string): Program => ({ title, language: 'javascript', lines: [] });

/** A timeline of one step that says what went wrong, instead of a story. */
function problemTimeline(scenario: Scenario, title: string, text: string): Timeline {
  const states: Record<HostId, HostState> = { [CLIENT_HOST.id]: {}, [SERVER_HOST.id]: {} };
  return {
    scenario,
    hosts: [CLIENT_HOST, SERVER_HOST],
    packets: [],
    steps: [
      {
        index: 0,
        chapter: 'problem',
        time: 0,
        host: 'wire',
        layer: null,
        kind: 'state',
        states,
        title,
        text,
      },
    ],
    chapters: [{ id: 'problem', title, firstStep: 0, lastStep: 0 }],
    programs: { client: NO_PROGRAM('client.js'), server: NO_PROGRAM('server.js') },
  };
}

/**
 * Compute the whole timeline of a scenario with the story builder `builders` has for it. Never throws: a
 * story that is not among `builders`, or an internal failure, becomes a one-step timeline saying so.
 */
export function buildTimeline(
  scenario: Scenario,
  builders: StoryBuilders,
  options: BuildOptions = {},
): Timeline {
  const name = STORY_NAMES[scenario.story] ?? String(scenario.story);
  const story = builders[scenario.story];
  if (!story) {
    return problemTimeline(
      scenario,
      `The ${name} story is not loaded`,
      `This lesson tells the ${name} story, and that part of the simulator has not been loaded (is the ` +
        'network down?). Reload the page to try again.',
    );
  }
  try {
    return story(scenario, options);
  } catch (err) {
    return problemTimeline(
      scenario,
      'This scenario could not be simulated',
      `The engine stopped with an error: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
}

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
