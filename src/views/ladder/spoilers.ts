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
 * The chapters whose packets (those shown: all, or with `upTo` the ones whose first step is at or before it)
 * include one labelled with relative numbers. Per chapter, from the whole timeline rather than the rows drawn,
 * so a band's note does not come and go as the virtualised window scrolls.
 */
export function chaptersWithRelativeNumbers(timeline: Timeline, upTo: number | null): ReadonlySet<string> {
  const { packetFirstStep } = ladderIndex(timeline);
  const out = new Set<string>();
  for (const p of timeline.packets) {
    const first = packetFirstStep[p.id] ?? -1;
    if (first < 0 || (upTo !== null && first > upTo) || !showsRelativeNumbers(p.summary)) continue;
    out.add(timeline.steps[first]!.chapter);
  }
  return out;
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
