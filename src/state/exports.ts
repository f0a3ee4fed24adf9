/**
 * The scenario's files for download: the capture (classic libpcap, the same bytes `npm run pcap` writes for
 * the same link, because both call the simulator's timelinePcap on the timeline of the same scenario) and the
 * timeline as text (`npm run timeline`). Here in state/, the only room besides sim/ that touches the
 * simulator's functions; the export dialog loads this module only when it opens.
 */
import type { Scenario } from '../sim/scenario';
import { timelineKeyLog, timelinePcap, timelineText } from '../sim/timeline';
import type { Timeline } from '../sim/types';
import type { WirewalkStore } from './store';

/**
 * The store's timeline for a file: whole. While a long scenario's rest is still being simulated after its
 * first steps were drawn (state/opening.ts), it is simulated now, so a file never holds only the first part.
 */
export function wholeTimeline(store: WirewalkStore): Timeline {
  store.getState().buildRest(() => false);
  return store.getState().timeline;
}

export function capturePcap(timeline: Timeline): Uint8Array {
  return timelinePcap(timeline);
}

/** A TLS scenario's key log (NSS format: what `npm run pcap` writes as out.keys), or null without TLS. */
export function captureKeyLog(timeline: Timeline): string | null {
  return timelineKeyLog(timeline);
}

export function captureText(timeline: Timeline): string {
  return timelineText(timeline);
}

/** `wirewalk-<lesson>-<seed>[-<what>].<ext>`: lesson ids are link-safe, so the name is file-safe too. */
export function exportFileName(scenario: Scenario, ext: string, what?: string): string {
  return `wirewalk-${scenario.lesson}-${scenario.seed}${what ? `-${what}` : ''}.${ext}`;
}
