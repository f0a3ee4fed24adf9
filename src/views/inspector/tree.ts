/**
 * The inspector's layer tree: the packet's fields grouped by protocol layer, outermost first
 * (Ethernet II ▸ IPv4 ▸ TCP ▸ HTTP/WebSocket ▸ Engine.IO/Socket.IO), as Wireshark's packet-details pane.
 */
import type { FieldAnnotation, ProtoLayer } from '../../protocol/fields';
import { PROTO_LAYERS, PROTO_ORDER } from '../theme/layers';

export interface TreeLayer {
  readonly layer: ProtoLayer;
  readonly title: string;
  /** Byte range the layer's fields span. */
  readonly start: number;
  readonly end: number;
  /** Indices into the field list, in byte order. */
  readonly fields: readonly number[];
}

export function fieldTree(fields: readonly FieldAnnotation[]): TreeLayer[] {
  const groups = new Map<ProtoLayer, number[]>();
  fields.forEach((f, i) => {
    const list = groups.get(f.layer);
    if (list) list.push(i);
    else groups.set(f.layer, [i]);
  });
  const order = [...PROTO_ORDER, ...[...groups.keys()].filter((l) => !PROTO_ORDER.includes(l))];
  const out: TreeLayer[] = [];
  for (const layer of order) {
    const list = groups.get(layer);
    if (!list) continue;
    const sorted = [...list].sort(
      (a, b) =>
        fields[a]!.start - fields[b]!.start || (fields[a]!.bits?.start ?? 0) - (fields[b]!.bits?.start ?? 0),
    );
    let start = Infinity;
    let end = -Infinity;
    for (const i of sorted) {
      start = Math.min(start, fields[i]!.start);
      end = Math.max(end, fields[i]!.end);
    }
    out.push({ layer, title: PROTO_LAYERS[layer].name, start, end, fields: sorted });
  }
  return out;
}

/**
 * Wireshark's bit picture of a sub-byte field: `.... 0101` — the field's bits shown, every other bit of its
 * bytes a dot, a space between nibbles. `bytes` is the whole buffer the field's offsets point into.
 */
export function bitPattern(field: FieldAnnotation, bytes: Uint8Array): string | null {
  const bits = field.bits;
  if (!bits) return null;
  const count = (field.end - field.start) * 8;
  let out = '';
  for (let b = 0; b < count; b++) {
    if (b > 0 && b % 4 === 0) out += ' ';
    if (b >= bits.start && b < bits.end) {
      const byte = bytes[field.start + (b >> 3)] ?? 0;
      out += (byte >> (7 - (b & 7))) & 1 ? '1' : '0';
    } else {
      out += '.';
    }
  }
  return out;
}
