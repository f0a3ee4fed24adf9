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
import type { ChapterBand, LadderArrow } from './layout';

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

/** The bands (by chapter and position) holding at least one shown arrow whose label has relative numbers. */
export function bandsWithRelativeNumbers(
  bands: readonly ChapterBand[],
  arrows: readonly LadderArrow[],
): ReadonlySet<ChapterBand> {
  const out = new Set<ChapterBand>();
  for (const a of arrows) {
    if (!showsRelativeNumbers(a.label)) continue;
    const band = bands.find((b) => a.y1 >= b.y && a.y1 < b.y + b.height);
    if (band) out.add(band);
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
