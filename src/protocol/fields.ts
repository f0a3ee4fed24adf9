/**
 * The shared face of every wire format: per-field annotations and decode results.
 *
 * Each codec module writes its byte offsets once, in a field table, and derives both its
 * encoder/decoder offsets and its annotations from that table, so the inspector's picture
 * can never disagree with the bytes.
 */

/** Protocol layers an annotation can belong to (also the colour key in every view). */
export type ProtoLayer =
  | 'ethernet'
  | 'arp'
  | 'sll'
  | 'loopback'
  | 'ipv4'
  | 'ipv6'
  | 'tcp'
  | 'tls'
  | 'http'
  | 'websocket'
  | 'engineio'
  | 'socketio'
  | 'pcap';

/** Bit range inside a field's bytes: bit 0 is the most significant bit of `start`'s byte. */
export interface BitRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** One field of one header, located in the bytes. */
export interface FieldAnnotation {
  readonly layer: ProtoLayer;
  /** Stable machine key, e.g. `srcPort`. */
  readonly key: string;
  /** Human name, e.g. `Source port`. */
  readonly name: string;
  /** First byte (inclusive), relative to the buffer the decoder was given (see `shiftFields`). */
  readonly start: number;
  /** Byte after the last one (exclusive). */
  readonly end: number;
  /** For sub-byte fields: which bits of bytes [start, end) the field occupies. */
  readonly bits?: BitRange;
  /** Displayed value, e.g. `49152` or `0x0800 (IPv4)`. */
  readonly value: string;
  /** A short meaning for a student. */
  readonly meaning: string;
}

/** A field table entry: where a field lives in a header. */
export interface FieldSpec {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Sub-byte fields: the bit range within [start, end), MSB-first. */
  readonly bits?: BitRange;
  readonly meaning: string;
}

export type FieldTable<K extends string> = { readonly [P in K]: FieldSpec };

export interface DecodeError {
  /** Stable machine code, e.g. `truncated`, `bad-checksum`, `reserved-bits`. */
  readonly code: string;
  readonly message: string;
  /** Byte offset where the problem was found. */
  readonly offset: number;
  /** For WebSocket violations: the close code a peer would send (RFC 6455 §7.4.1). */
  readonly closeCode?: number;
}

export type DecodeResult<R> =
  | {
      readonly ok: true;
      readonly repr: R;
      /** The bytes this layer carries for the next layer up. */
      readonly payload: Uint8Array;
      readonly fields: readonly FieldAnnotation[];
      /** How many bytes of input this header (plus payload, where the format frames it) consumed. */
      readonly length: number;
    }
  | { readonly ok: false; readonly error: DecodeError };

export function fail(
  code: string,
  message: string,
  offset: number,
  closeCode?: number,
): {
  ok: false;
  error: DecodeError;
} {
  return closeCode === undefined
    ? { ok: false, error: { code, message, offset } }
    : { ok: false, error: { code, message, offset, closeCode } };
}

/** Byte length of a fixed header described by a field table: the end of its last field. */
export function tableLength(table: FieldTable<string>): number {
  let end = 0;
  for (const spec of Object.values(table)) end = Math.max(end, spec.end);
  return end;
}

/**
 * Build annotations from a field table and the displayed value of each field.
 * `offset` moves the whole table (for variable-position headers).
 */
export function annotate<K extends string>(
  layer: ProtoLayer,
  table: FieldTable<K>,
  values: { readonly [P in K]: string },
  offset = 0,
): FieldAnnotation[] {
  const out: FieldAnnotation[] = [];
  for (const key of Object.keys(table) as K[]) {
    const spec = table[key];
    const base = {
      layer,
      key,
      name: spec.name,
      start: spec.start + offset,
      end: spec.end + offset,
      value: values[key],
      meaning: spec.meaning,
    };
    out.push(spec.bits ? { ...base, bits: spec.bits } : base);
  }
  return out;
}

/** Re-base annotations by `delta` bytes (a header nested inside a frame). */
export function shiftFields(fields: readonly FieldAnnotation[], delta: number): FieldAnnotation[] {
  return fields.map((f) => ({ ...f, start: f.start + delta, end: f.end + delta }));
}

/** Read the value of a sub-byte field from the bytes (big-endian, MSB-first bit numbering). */
export function readBits(bytes: Uint8Array, start: number, bits: BitRange): number {
  let value = 0;
  for (let b = bits.start; b < bits.end; b++) {
    const byte = bytes[start + (b >> 3)] ?? 0;
    value = value * 2 + ((byte >> (7 - (b & 7))) & 1);
  }
  return value;
}

/** Write `value` into a sub-byte field (the inverse of `readBits`); other bits are left as they are. */
export function writeBits(bytes: Uint8Array, start: number, bits: BitRange, value: number): void {
  let v = value;
  for (let b = bits.end - 1; b >= bits.start; b--) {
    const at = start + (b >> 3);
    const mask = 1 << (7 - (b & 7));
    bytes[at] = v % 2 ? bytes[at]! | mask : bytes[at]! & ~mask;
    v = Math.floor(v / 2);
  }
}

/**
 * Reverse a name → number table (`ETHER_TYPES`, `TCP_OPTION_KINDS`, …) into number → name, for
 * decoders that read the number and show the name.
 */
export function namesByValue<N extends string>(table: { readonly [P in N]: number }): {
  readonly [value: number]: N;
} {
  return Object.fromEntries((Object.keys(table) as N[]).map((name) => [table[name], name]));
}

/**
 * The range check every encoder runs on a numeric field before writing it: a RangeError
 * `<layer> <name> must be an integer 0..<max>, got <value>` unless `value` is an integer in range.
 */
export function uintChecker(layer: string): (name: string, value: number, max: number) => void {
  return (name, value, max) => {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      // The widths are the standards' own (RFC 791 §3.1, RFC 8200 §3, RFC 9293 §3.1, libpcap/pcap/pcap.h).
      throw new RangeError(`${layer} ${name} must be an integer 0..${max}, got ${value}`);
    }
  };
}

/**
 * Read a header-length field that counts 32-bit words (the IPv4 IHL, the TCP data offset) and check
 * it against the header's `minimum` byte length and the `bytes` there are. `label` names the field
 * in the error messages, `code` is the error code when it is below the minimum.
 */
export function wordCountedLength(
  bytes: Uint8Array,
  field: { readonly start: number; readonly bits: BitRange },
  minimum: number,
  label: string,
  code: string,
): { readonly ok: true; readonly words: number; readonly length: number } | ReturnType<typeof fail> {
  const words = readBits(bytes, field.start, field.bits);
  const length = words * 4;
  if (length < minimum) {
    // RFC 791 §3.1 (IHL) and RFC 9293 §3.1 (Data Offset): a length in 32-bit words, at least 5.
    return fail(
      code,
      `${label} ${words} is below the minimum of ${minimum / 4} (${minimum} bytes)`,
      field.start,
    );
  }
  if (length > bytes.length) {
    // RFC 791 §3.1 and RFC 9293 §3.1: the header is as long as this field says.
    return fail(
      'truncated',
      `${label} ${words} says ${length} header bytes, only ${bytes.length} present`,
      bytes.length,
    );
  }
  return { ok: true, words, length };
}
