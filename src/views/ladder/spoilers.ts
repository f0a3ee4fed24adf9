/**
 * What the sequence diagram leaves out or labels for the classroom, as pure functions of the layout.
 *
 * No spoilers: with `hideFuture` the arrows of packets that have not happened yet are not drawn at all (not
 * greyed: greyed labels are still readable), so a teacher can ask what Seq and Ack will be before they show.
 * Their rows stay where they are, so nothing moves when they appear.
 *
 * Relative numbers: the labels give Seq and Ack as Wireshark's Info column does, relative to each side's
 * initial sequence number (sim/engine/packet.ts `tcpLabel`: `Seq=${tx.relSeq}`; Wireshark's "Relative
 * sequence numbers" preference, on by default), while the narration quotes the absolute numbers on the wire.
 * Every chapter band with such a label says so in its title strip.
 */
import type { Timeline } from '../../sim/types';
import { ladderIndex, type LadderArrow } from './layout';

/** The arrows to draw: all of them, or without the packets still to come. */
export function shownArrows(arrows: readonly LadderArrow[], hideFuture: boolean): readonly LadderArrow[] {
  return hideFuture ? arrows.filter((a) => a.time !== 'future') : arrows;
}

/** Whether a label shows TCP sequence or acknowledgement numbers (relative, see above). */
export function showsRelativeNumbers(label: string): boolean {
  return /\b(Seq|Ack)=\d/.test(label);
}

/** The note a band's title strip carries beside the chapter's title. */
export const RELATIVE_NOTE = 'Seq/Ack relative';

/**
 * Per chapter whose packets include one labelled with relative numbers, the first step at which such a packet
 * is on screen (its first step). Once per timeline: stepping then only compares (chaptersUpTo).
 */
export function relativeChapterSteps(timeline: Timeline): ReadonlyMap<string, number> {
  const { packetFirstStep } = ladderIndex(timeline);
  const out = new Map<string, number>();
  for (const p of timeline.packets) {
    const first = packetFirstStep[p.id] ?? -1;
    if (first < 0 || !showsRelativeNumbers(p.summary)) continue;
    const chapter = timeline.steps[first]!.chapter;
    const known = out.get(chapter);
    if (known === undefined || first < known) out.set(chapter, first);
  }
  return out;
}

/** The chapters of `firsts` with such a packet shown by step `upTo` (all of them when `upTo` is null). */
export function chaptersUpTo(firsts: ReadonlyMap<string, number>, upTo: number | null): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [chapter, first] of firsts) if (upTo === null || first <= upTo) out.add(chapter);
  return out;
}

/**
 * The chapters whose packets (those shown: all, or with `upTo` the ones whose first step is at or before it)
 * include one labelled with relative numbers. Per chapter, from the whole timeline rather than the rows drawn,
 * so a band's note does not come and go as the virtualised window scrolls.
 */
export function chaptersWithRelativeNumbers(timeline: Timeline, upTo: number | null): ReadonlySet<string> {
  return chaptersUpTo(relativeChapterSteps(timeline), upTo);
}

/** About the width of one character of a band's title or note (0.75rem, bold, upper case, spaced). */
const BAND_CHAR = 8.6;

/**
 * The note for a band whose title is `title`, in a diagram `width` pixels wide: the whole note, or just
 * "relative" when the strip is narrow, or nothing when even that would run into the title.
 */
export function relativeNote(title: string, width: number): string | null {
  const room = width - 2 * 14 - title.length * BAND_CHAR - 24;
  if (room >= RELATIVE_NOTE.length * BAND_CHAR) return RELATIVE_NOTE;
  if (room >= 'relative'.length * BAND_CHAR) return 'relative';
  return null;
}
