/**
 * What is pinned of one scenario: the readable timeline text, and SHA-256 digests of the whole timeline
 * (every step with its narration, states, program lines and console; every packet with its bytes and
 * field annotations) and of the captures at the first browser's and the server's network card.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseLink } from '../../src/lesson/link';
import { utf8 } from '../../src/protocol/bytes';
import { buildTimeline, timelinePcap, timelineText } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';

export interface GoldenDigest {
  readonly timeline: string;
  readonly pcapClient: string;
  readonly pcapServer: string;
}

/** JSON with byte arrays as hex, so that the digest covers every byte and no key order is left to chance. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? `0x${bytesToHex(v)}` : v));
}

/** Every step's title and sentences, so that a changed word shows in the diff, not only in a digest. */
function narrationText(t: Timeline): string {
  return '\n' + t.steps.map((s) => `${s.index + 1}. ${s.title}\n   ${s.text}\n`).join('');
}

export function goldenOf(link: string): { digest: GoldenDigest; text: string; problems: number } {
  const { state, problems } = parseLink(link);
  const t = buildTimeline(state.scenario, ALL_STORIES);
  return {
    problems: problems.length,
    text: timelineText(t) + narrationText(t),
    digest: {
      timeline: bytesToHex(sha256(utf8(canonicalJson(t)))),
      pcapClient: bytesToHex(sha256(timelinePcap(t, 'client'))),
      pcapServer: bytesToHex(sha256(timelinePcap(t, 'server'))),
    },
  };
}
