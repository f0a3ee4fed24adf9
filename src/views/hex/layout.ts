/**
 * The hex + ASCII dump of a frame and the two-way map between bytes and fields, as Wireshark links its
 * packet-details and packet-bytes panes.
 *
 * Padding and FCS are not in `packet.frame` (a sender-side capture has neither); they are appended here,
 * marked as trailer, with their own annotations, so the dump shows what actually crosses the cable.
 */
import { FCS_LENGTH, ethernetTrailerFields, fcsBytes } from '../../protocol/ethernet';
import type { FieldAnnotation } from '../../protocol/fields';
import type { Packet } from '../../sim/types';
import { PROTO_LAYERS, type LayerKey } from '../theme/layers';

/**
 * What the dump needs of a frame: a packet, or an ARP frame read back as fields (linkFrame.ts). `captured`
 * marks a frame from a capture file, shown as captured.
 */
export type DumpSource = Pick<Packet, 'frame' | 'fields' | 'padding' | 'fcs'> & {
  readonly captured?: Packet['captured'];
};

export interface HexCell {
  readonly offset: number;
  readonly value: number;
  /** Two lower-case hex digits. */
  readonly hex: string;
  /** Printable ASCII or '·'. */
  readonly ascii: string;
  /** Index into `HexDump.fields` of the field this byte selects, or -1. */
  readonly field: number;
  readonly colour: LayerKey;
  readonly trailer: boolean;
}

export interface HexRow {
  readonly offset: number;
  /** `0000`, `0010`, … */
  readonly label: string;
  readonly cells: readonly HexCell[];
}

export interface HexDump {
  readonly rows: readonly HexRow[];
  /** The packet's fields followed by the trailer's (padding, FCS). */
  readonly fields: readonly FieldAnnotation[];
  /** Total bytes shown, trailer included. */
  readonly length: number;
  /** For each byte, the index of the field a click selects (the narrowest covering it), or -1. */
  readonly byteToField: Int32Array;
}

/** The bytes after the frame on the cable: zero padding up to 60 bytes, then the FCS (least significant byte first). */
export function trailerBytes(packet: DumpSource): Uint8Array {
  // A captured frame is shown as captured: capture files hold neither the padding nor the FCS.
  if (packet.captured) return new Uint8Array(0);
  const out = new Uint8Array(packet.padding + FCS_LENGTH);
  out.set(fcsBytes(packet.fcs), packet.padding);
  return out;
}

function printable(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
}

/** The narrowest field covering each byte; on a tie the first listed (the outer header's). */
export function mapBytesToFields(fields: readonly FieldAnnotation[], length: number): Int32Array {
  const map = new Int32Array(length).fill(-1);
  const span = new Float64Array(length).fill(Infinity);
  fields.forEach((f, index) => {
    const width = f.bits ? (f.bits.end - f.bits.start) / 8 : f.end - f.start;
    for (let i = Math.max(0, f.start); i < Math.min(length, f.end); i++) {
      if (width < span[i]!) {
        span[i] = width;
        map[i] = index;
      }
    }
  });
  return map;
}

/** Every field covering a byte, narrowest first (clicking the same byte again walks outwards). */
export function fieldsAt(fields: readonly FieldAnnotation[], offset: number): number[] {
  const hits: { index: number; width: number }[] = [];
  fields.forEach((f, index) => {
    if (offset >= f.start && offset < f.end) {
      hits.push({ index, width: f.bits ? (f.bits.end - f.bits.start) / 8 : f.end - f.start });
    }
  });
  return hits.sort((a, b) => a.width - b.width || a.index - b.index).map((h) => h.index);
}

export function hexDump(packet: DumpSource, bytesPerRow: number): HexDump {
  const trailer = trailerBytes(packet);
  const frameLength = packet.frame.length;
  const length = frameLength + trailer.length;
  // The engine's field list already ends with the padding and FCS (sim/engine/packet.ts); a packet built
  // without them gets them here. Either way each is listed once.
  const trailerFields = (packet.captured ? [] : ethernetTrailerFields(packet.frame)).filter(
    (t) => !packet.fields.some((f) => f.layer === t.layer && f.key === t.key),
  );
  const fields = [...packet.fields, ...trailerFields];
  const byteToField = mapBytesToFields(fields, length);
  const rows: HexRow[] = [];
  for (let rowStart = 0; rowStart < length; rowStart += bytesPerRow) {
    const cells: HexCell[] = [];
    for (let i = rowStart; i < Math.min(length, rowStart + bytesPerRow); i++) {
      const isTrailer = i >= frameLength;
      const value = isTrailer ? trailer[i - frameLength]! : packet.frame[i]!;
      const field = byteToField[i]!;
      const layer = field >= 0 ? fields[field]!.layer : null;
      cells.push({
        offset: i,
        value,
        hex: value.toString(16).padStart(2, '0'),
        ascii: printable(value),
        field,
        colour: layer ? PROTO_LAYERS[layer].colour : 'data',
        trailer: isTrailer,
      });
    }
    rows.push({ offset: rowStart, label: rowStart.toString(16).padStart(4, '0'), cells });
  }
  return { rows, fields, length, byteToField };
}

/** Bytes a field occupies, clipped to the dump. */
export function fieldBytes(
  dump: HexDump,
  field: number,
): { readonly start: number; readonly end: number } | null {
  const f = dump.fields[field];
  if (!f) return null;
  return { start: Math.max(0, f.start), end: Math.min(dump.length, f.end) };
}
