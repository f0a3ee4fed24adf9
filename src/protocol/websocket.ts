/**
 * WebSocket framing (RFC 6455 §5) and the message-level rules on top of it.
 *
 * The decoder checks what one frame can show by itself (reserved bits and opcodes, control-frame
 * limits, masking direction, UTF-8 of an unfragmented text frame, the close payload) and reports a
 * violation with the close code a conforming peer would fail the connection with (§7.4.1).
 * `reassemble` checks what needs several frames (fragmentation order, UTF-8 across fragments).
 */
import { codePointCut, concatBytes, isUtf8, slabBytes, strictUtf8, toHex } from './bytes';
import {
  fail,
  namesByValue,
  readBits,
  tableLength,
  type DecodeError,
  type DecodeResult,
  type FieldAnnotation,
  type FieldSpec,
  type FieldTable,
} from './fields';

export const WS_OPCODES = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;
export type WsOpcodeName = keyof typeof WS_OPCODES;

/** An opcode's name ('text', 'close', …), undefined for a reserved one (RFC 6455 §5.2). */
export const WS_OPCODE_NAMES = namesByValue(WS_OPCODES);

/** Wireshark's names, so the app and a real capture read the same. */
const OPCODE_LABELS: { readonly [P in WsOpcodeName]: string } = {
  continuation: 'Continuation',
  text: 'Text',
  binary: 'Binary',
  close: 'Connection Close',
  ping: 'Ping',
  pong: 'Pong',
};

/** RFC 6455 §7.4.1 and the IANA WebSocket Close Code Number Registry. */
export const CLOSE_CODES: { readonly [code: number]: string } = Object.freeze({
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid Frame Payload Data', // IANA WebSocket Close Code Number Registry; RFC 6455 §11.7
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
  1015: 'TLS Handshake',
});

export interface WsFrameRepr {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly rsv2: boolean;
  readonly rsv3: boolean;
  readonly opcode: number;
  readonly maskKey: Uint8Array | null;
  /** unmasked application data */
  readonly payload: Uint8Array;
}

export interface WsMessage {
  readonly opcode: number;
  readonly data: Uint8Array;
}

/** RFC 6455 §5.2: the two bytes every frame starts with. */
const WS_HEADER = {
  fin: {
    name: 'FIN',
    start: 0,
    end: 1,
    bits: { start: 0, end: 1 },
    meaning: '1 if this frame ends its message; 0 if more fragments follow.', // RFC 6455 §5.2 (FIN)
  },
  rsv1: {
    name: 'RSV1',
    start: 0,
    end: 1,
    bits: { start: 1, end: 2 },
    // RFC 6455 §5.2 (RSV1-3); RFC 7692 §6: the "Per-Message Compressed" bit, on a message's first frame.
    meaning:
      'Reserved for extensions (permessage-deflate sets it on the first frame of a compressed message); must be 0 when none is agreed.',
  },
  rsv2: {
    name: 'RSV2',
    start: 0,
    end: 1,
    bits: { start: 2, end: 3 },
    meaning: 'Reserved for extensions; must be 0 when none is agreed.', // RFC 6455 §5.2 (RSV1-3)
  },
  rsv3: {
    name: 'RSV3',
    start: 0,
    end: 1,
    bits: { start: 3, end: 4 },
    meaning: 'Reserved for extensions; must be 0 when none is agreed.', // RFC 6455 §5.2 (RSV1-3)
  },
  opcode: {
    name: 'Opcode',
    start: 0,
    end: 1,
    bits: { start: 4, end: 8 },
    // RFC 6455 §5.2 (Opcode) and §11.8.
    meaning:
      'What the frame carries: 0x1 text, 0x2 binary, 0x0 continuation of a message; 0x8 close, 0x9 ping, 0xA pong.',
  },
  mask: {
    name: 'MASK',
    start: 1,
    end: 2,
    bits: { start: 0, end: 1 },
    // RFC 6455 §5.1 (a client masks every frame, a server never) and §5.3.
    meaning:
      'Set on every frame a client sends (the payload is XOR-masked); never set on frames from the server.',
  },
  payloadLength: {
    name: 'Payload length',
    start: 1,
    end: 2,
    bits: { start: 1, end: 8 },
    // RFC 6455 §5.2 (Payload length).
    meaning: '0-125 is the payload length itself; 126 means a 16-bit length follows, 127 a 64-bit one.',
  },
} as const satisfies FieldTable<string>;

type HeaderKey = keyof typeof WS_HEADER;

const BASE_HEADER_LENGTH = tableLength(WS_HEADER);
/** §5.2: the largest length the 7-bit field holds directly, and its two escape codes. */
const MAX_7BIT_LENGTH = 125;
const LENGTH_16BIT = 126;
const LENGTH_64BIT = 127;
const MAX_16BIT_LENGTH = 0xffff;
const EXTENDED_LENGTH_BYTES: { readonly [code: number]: number } = { [LENGTH_16BIT]: 2, [LENGTH_64BIT]: 8 };
const MASKING_KEY_LENGTH = 4;
/** §5.5: control frames carry at most 125 bytes and are never fragmented. */
const MAX_CONTROL_PAYLOAD = 125;
const CONTROL_BIT = 0x8;

/** Where the variable part of a header lies, from the 7-bit length code and the MASK bit. */
interface WsLayout {
  readonly extendedLength: FieldSpec | null;
  readonly maskingKey: FieldSpec | null;
  readonly headerLength: number;
}

/** The six layouts (no, 16-bit or 64-bit extended length; masked or not), built once: every frame needs one. */
const LAYOUTS: readonly WsLayout[] = [0, LENGTH_16BIT, LENGTH_64BIT].flatMap((code) => [
  buildWsLayout(code, false),
  buildWsLayout(code, true),
]);

function wsLayout(lengthCode: number, masked: boolean): WsLayout {
  const ext = lengthCode === LENGTH_16BIT ? 1 : lengthCode === LENGTH_64BIT ? 2 : 0;
  return LAYOUTS[2 * ext + (masked ? 1 : 0)]!;
}

function buildWsLayout(lengthCode: number, masked: boolean): WsLayout {
  const extBytes = EXTENDED_LENGTH_BYTES[lengthCode] ?? 0;
  const keyStart = BASE_HEADER_LENGTH + extBytes;
  const headerLength = keyStart + (masked ? MASKING_KEY_LENGTH : 0);
  return {
    extendedLength:
      extBytes === 0
        ? null
        : {
            name: 'Extended payload length',
            start: BASE_HEADER_LENGTH,
            end: keyStart,
            // RFC 6455 §5.2: 16 or 64 bits in network byte order, the minimal number of bytes.
            meaning: `The payload length as a ${extBytes * 8}-bit big-endian number, because it does not fit in 7 bits.`,
          },
    maskingKey: masked
      ? {
          name: 'Masking key',
          start: keyStart,
          end: headerLength,
          // RFC 6455 §5.3 (fresh key, j = i MOD 4) and §10.3 (attacks on infrastructure).
          meaning:
            'Four fresh random bytes from the client; payload byte i is XORed with key byte i mod 4, so a web page cannot choose the exact bytes on the wire and fool proxies (RFC 6455 §10.3).',
        }
      : null,
    headerLength,
  };
}

/** §5.2: the minimal encoding of a payload length in the 7-bit field. */
function lengthCodeFor(payloadLength: number): number {
  if (payloadLength <= MAX_7BIT_LENGTH) return payloadLength;
  return payloadLength <= MAX_16BIT_LENGTH ? LENGTH_16BIT : LENGTH_64BIT;
}

export function wsHeaderLength(payloadLength: number, masked: boolean): number {
  return wsLayout(lengthCodeFor(payloadLength), masked).headerLength;
}

/** §5.3: out[i] = data[i] XOR key[i mod 4]; applying it twice gives the data back. */
export function maskPayload(data: Uint8Array, key: Uint8Array): Uint8Array {
  if (key.length !== MASKING_KEY_LENGTH)
    throw new RangeError(`masking key must be 4 bytes, got ${key.length}`); // RFC 6455 §5.2
  const out = slabBytes(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i & 3]!;
  return out;
}

/** The value of header field `key` (a bit field of the first two bytes). */
function headerBit(bytes: Uint8Array, key: HeaderKey): number {
  return readBits(bytes, WS_HEADER[key].start, WS_HEADER[key].bits);
}

function writeBits(bytes: Uint8Array, spec: FieldSpec, value: number): void {
  const bits = spec.bits ?? { start: 0, end: (spec.end - spec.start) * 8 };
  let v = value;
  for (let b = bits.end - 1; b >= bits.start; b--) {
    const index = spec.start + (b >> 3);
    const mask = 0x80 >> (b & 7);
    bytes[index] = v & 1 ? bytes[index]! | mask : bytes[index]! & ~mask;
    v = Math.floor(v / 2);
  }
}

function writeUint(bytes: Uint8Array, spec: FieldSpec, value: number): void {
  let v = value;
  for (let i = spec.end - 1; i >= spec.start; i--) {
    bytes[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

function readUint(bytes: Uint8Array, spec: FieldSpec): number {
  let v = 0;
  for (let i = spec.start; i < spec.end; i++) v = v * 256 + bytes[i]!;
  return v;
}

/**
 * Encodes any frame the format can express, including ones that break the protocol's rules
 * (reserved bits, reserved opcodes, long or fragmented control frames), so lessons and tests can
 * show what a peer does with them. Throws RangeError only for what cannot be put in the bytes.
 */
export function encodeWsFrame(repr: WsFrameRepr): Uint8Array {
  if (!Number.isInteger(repr.opcode) || repr.opcode < 0 || repr.opcode > 0xf) {
    throw new RangeError(`opcode must be 0-15, got ${repr.opcode}`); // RFC 6455 §5.2: 4 bits
  }
  if (repr.maskKey && repr.maskKey.length !== MASKING_KEY_LENGTH) {
    throw new RangeError(`masking key must be 4 bytes, got ${repr.maskKey.length}`); // RFC 6455 §5.2
  }
  const masked = repr.maskKey !== null;
  const n = repr.payload.length;
  const lengthCode = lengthCodeFor(n);
  const layout = wsLayout(lengthCode, masked);
  const out = slabBytes(layout.headerLength + n);
  const values: { readonly [P in HeaderKey]: number } = {
    fin: repr.fin ? 1 : 0,
    rsv1: repr.rsv1 ? 1 : 0,
    rsv2: repr.rsv2 ? 1 : 0,
    rsv3: repr.rsv3 ? 1 : 0,
    opcode: repr.opcode,
    mask: masked ? 1 : 0,
    payloadLength: lengthCode,
  };
  for (const key of Object.keys(WS_HEADER) as HeaderKey[]) writeBits(out, WS_HEADER[key], values[key]);
  if (layout.extendedLength) writeUint(out, layout.extendedLength, n);
  if (layout.maskingKey && repr.maskKey) {
    const key = repr.maskKey;
    out.set(key, layout.maskingKey.start);
    // maskPayload, written straight into the frame.
    const payload = repr.payload;
    const at = layout.headerLength;
    for (let i = 0; i < n; i++) out[at + i] = payload[i]! ^ key[i & 3]!;
  } else {
    out.set(repr.payload, layout.headerLength);
  }
  return out;
}

/** RFC 6455 §7.4.1 / §7.4.2: codes that may appear in a Close frame (1012-1014 are IANA-registered since). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** §5.5.1: a close payload starts with a 2-byte big-endian status code. */
const CLOSE_CODE_FIELD: FieldSpec = {
  name: 'Status code',
  start: 0,
  end: 2,
  // RFC 6455 §5.5.1 and §7.4.1 (defined status codes).
  meaning:
    'Why the connection is closing: 1000 normal, 1001 going away, 1002 protocol error, 1007 invalid data...',
};

/** §5.5.1: a 2-byte big-endian status code, then a UTF-8 reason. Any 16-bit code is encoded, valid or not. */
export function encodeClosePayload(code: number, reason: string): Uint8Array {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff)
    throw new RangeError(`close code must be 16-bit, got ${code}`); // RFC 6455 §5.5.1
  const out = concatBytes(new Uint8Array(2), new TextEncoder().encode(reason));
  writeUint(out, CLOSE_CODE_FIELD, code);
  return out;
}

/** Offsets in errors are relative to `payload`. An empty payload means "no status code" (1005 locally). */
export function decodeClosePayload(
  payload: Uint8Array,
):
  | { readonly ok: true; readonly code: number | null; readonly reason: string }
  | { readonly ok: false; readonly error: DecodeError } {
  if (payload.length === 0) return { ok: true, code: null, reason: '' };
  if (payload.length < CLOSE_CODE_FIELD.end) {
    // RFC 6455 §5.5.1: if there is a body, its first two bytes are the status code.
    return fail('close-payload-1-byte', 'a close payload of 1 byte cannot hold a status code', 0, 1002);
  }
  const code = readUint(payload, CLOSE_CODE_FIELD);
  if (!isValidCloseCode(code)) {
    // RFC 6455 §7.4.1 and §7.4.2 (1005, 1006, 1015 and unassigned codes are never sent).
    return fail('invalid-close-code', `close code ${code} may not be sent on the wire`, 0, 1002);
  }
  const reason = strictUtf8(payload.subarray(CLOSE_CODE_FIELD.end));
  if (reason === null) {
    // RFC 6455 §5.5.1: the reason is UTF-8; §8.1: invalid UTF-8 fails the connection.
    return fail('invalid-utf8', 'the close reason is not valid UTF-8', CLOSE_CODE_FIELD.end, 1007);
  }
  return { ok: true, code, reason };
}

interface RuleViolation {
  readonly code: string;
  readonly message: string;
  readonly field: HeaderKey;
}

/**
 * The per-frame rules, shared by the decoder and `reassemble`. `payloadLength` is as declared
 * by the length field (the decoder passes the 7-bit code: 126 and 127 already mean "over 125").
 */
function frameRuleViolation(
  f: {
    readonly fin: boolean;
    readonly rsv1: boolean;
    readonly rsv2: boolean;
    readonly rsv3: boolean;
    readonly opcode: number;
    readonly payloadLength: number;
  },
  deflate = false,
): RuleViolation | null {
  // RFC 7692 §6: with permessage-deflate agreed, RSV1 ("Per-Message Compressed") may be set on the first
  // frame of a data message; §6.1: never on a control frame or a continuation frame.
  const rsv1Allowed = deflate && (f.opcode === WS_OPCODES.text || f.opcode === WS_OPCODES.binary);
  // §5.2: a nonzero RSV bit without a negotiated extension fails the connection.
  const rsv = (['rsv1', 'rsv2', 'rsv3'] as const).filter((k) => f[k] && !(k === 'rsv1' && rsv1Allowed));
  if (rsv.length > 0) {
    return {
      code: 'reserved-bits',
      // RFC 6455 §5.2: nonzero and no negotiated extension defines it; RFC 7692 §6.1 for RSV1.
      message: `${rsv.map((k) => k.toUpperCase()).join(', ')} set, but no negotiated extension gives it a meaning here`,
      field: rsv[0]!,
    };
  }
  // §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved.
  if (WS_OPCODE_NAMES[f.opcode] === undefined) {
    return {
      code: 'reserved-opcode',
      message: `opcode 0x${f.opcode.toString(16)} is reserved`,
      field: 'opcode',
    };
  }
  if (f.opcode & CONTROL_BIT) {
    // §5.5: control frames must not be fragmented and carry at most 125 bytes.
    if (!f.fin) {
      return {
        code: 'control-fragmented',
        message: 'a control frame must have FIN set', // RFC 6455 §5.5: control frames MUST NOT be fragmented
        field: 'fin',
      };
    }
    if (f.payloadLength > MAX_CONTROL_PAYLOAD) {
      return {
        code: 'control-too-long',
        message: `a control frame may carry at most 125 bytes, not ${f.payloadLength}`, // RFC 6455 §5.5
        field: 'payloadLength',
      };
    }
  }
  return null;
}

const MAX_PREVIEW_CHARS = 60;

function quote(text: string): string {
  // Count code points only near the cut: a 1 MB payload must not become a million-element array.
  const limit = 2 * MAX_PREVIEW_CHARS + 2;
  const cut = codePointCut(text, MAX_PREVIEW_CHARS, limit);
  return JSON.stringify(cut.more || text.length > limit ? text.slice(0, cut.end) + '…' : text);
}

/** Printable UTF-8 as quoted text, anything else as hex. */
function preview(data: Uint8Array, asText: boolean): string {
  const text = asText ? strictUtf8(data) : null;
  // eslint-disable-next-line no-control-regex
  if (text !== null && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return quote(text);
  const head = toHex(data.subarray(0, 16));
  return data.length > 16 ? `${head} … (${data.length} bytes)` : head;
}

function opcodeLabel(opcode: number): string {
  const name = WS_OPCODE_NAMES[opcode];
  return name ? OPCODE_LABELS[name] : `Reserved 0x${opcode.toString(16)}`;
}

function closeCodeText(code: number): string {
  const name = CLOSE_CODES[code];
  return name ? `${code} (${name})` : String(code);
}

function payloadFields(repr: WsFrameRepr, start: number, end: number): FieldAnnotation[] {
  if (start === end) return [];
  const masked = repr.maskKey !== null;
  // RFC 6455 §5.3: the masked payload is what travels; the inspector shows it unmasked (Wirewalk's choice).
  const maskNote = masked
    ? ' On the wire these bytes are masked (XOR with the masking key); shown here unmasked.'
    : '';
  if (repr.opcode === WS_OPCODES.close) {
    const close = decodeClosePayload(repr.payload);
    const code = readUint(repr.payload, CLOSE_CODE_FIELD);
    const fields: FieldAnnotation[] = [
      {
        layer: 'websocket',
        key: 'closeCode',
        name: CLOSE_CODE_FIELD.name,
        start: start + CLOSE_CODE_FIELD.start,
        end: start + CLOSE_CODE_FIELD.end,
        value: closeCodeText(code),
        meaning: CLOSE_CODE_FIELD.meaning + maskNote,
      },
    ];
    if (end > start + CLOSE_CODE_FIELD.end) {
      fields.push({
        layer: 'websocket',
        key: 'closeReason',
        name: 'Close reason',
        start: start + CLOSE_CODE_FIELD.end,
        end,
        value: close.ok ? quote(close.reason) : preview(repr.payload.subarray(2), false),
        // RFC 6455 §5.5.1: the reason is UTF-8, not necessarily human readable, for debugging.
        meaning: 'Optional UTF-8 text explaining the close, for debugging rather than for users.' + maskNote,
      });
    }
    return fields;
  }
  // RFC 6455 §5.5.2 and §5.5.3 (a pong echoes the ping's data); §5.2 (payload data); RFC 7692 §6 (RSV1: compressed).
  const meaning =
    repr.opcode === WS_OPCODES.ping
      ? 'Application data of the ping; the pong must echo it.'
      : repr.opcode === WS_OPCODES.pong
        ? 'Application data of the pong: a copy of the ping it answers.'
        : repr.rsv1
          ? 'The application data, compressed with permessage-deflate: what the program sent, deflated.'
          : 'The application data: what the program sent.';
  return [
    {
      layer: 'websocket',
      key: 'payload',
      name: masked ? 'Payload (masked)' : 'Payload',
      start,
      end,
      value: preview(repr.payload, repr.opcode !== WS_OPCODES.binary),
      meaning: meaning + maskNote,
    },
  ];
}

function headerFields(
  bytes: Uint8Array,
  layout: WsLayout,
  payloadLength: number,
  maskKey: Uint8Array | null,
): FieldAnnotation[] {
  const opcode = headerBit(bytes, 'opcode');
  const lengthCode = headerBit(bytes, 'payloadLength');
  const values: { readonly [P in HeaderKey]: string } = {
    fin: headerBit(bytes, 'fin') ? '1 (final fragment)' : '0 (more fragments follow)',
    rsv1: String(headerBit(bytes, 'rsv1')),
    rsv2: String(headerBit(bytes, 'rsv2')),
    rsv3: String(headerBit(bytes, 'rsv3')),
    opcode: `0x${opcode.toString(16)} (${opcodeLabel(opcode)})`,
    mask: headerBit(bytes, 'mask') ? '1 (masked)' : '0 (not masked)',
    payloadLength:
      lengthCode === LENGTH_16BIT
        ? '126 (16-bit length follows)'
        : lengthCode === LENGTH_64BIT
          ? '127 (64-bit length follows)'
          : String(lengthCode),
  };
  const fields: FieldAnnotation[] = [];
  for (const key of Object.keys(WS_HEADER) as HeaderKey[]) {
    const spec = WS_HEADER[key];
    fields.push({ layer: 'websocket', key, ...spec, value: values[key] });
  }
  if (layout.extendedLength) {
    fields.push({
      layer: 'websocket',
      key: 'extendedPayloadLength',
      ...layout.extendedLength,
      value: String(payloadLength),
    });
  }
  if (layout.maskingKey && maskKey) {
    fields.push({ layer: 'websocket', key: 'maskingKey', ...layout.maskingKey, value: toHex(maskKey) });
  }
  return fields;
}

/**
 * Decode one frame from the start of `bytes`. `opts.from` names the sender, so masking can be
 * checked (§5.1: client frames are masked, server frames are not). Violations visible in the first
 * two bytes are reported even before the rest of the frame has arrived, as a streaming peer would.
 */
export function decodeWsFrame(
  bytes: Uint8Array,
  opts: {
    readonly from?: 'client' | 'server';
    /** permessage-deflate was agreed in the opening handshake (RFC 7692): RSV1 marks a compressed message. */
    readonly deflate?: boolean;
  } = {},
): DecodeResult<WsFrameRepr> {
  if (bytes.length < BASE_HEADER_LENGTH) {
    return fail('incomplete', `a frame header needs ${BASE_HEADER_LENGTH} bytes`, bytes.length); // RFC 6455 §5.2
  }
  const fin = headerBit(bytes, 'fin') === 1;
  const rsv1 = headerBit(bytes, 'rsv1') === 1;
  const rsv2 = headerBit(bytes, 'rsv2') === 1;
  const rsv3 = headerBit(bytes, 'rsv3') === 1;
  const opcode = headerBit(bytes, 'opcode');
  const masked = headerBit(bytes, 'mask') === 1;
  const lengthCode = headerBit(bytes, 'payloadLength');

  const violation = frameRuleViolation(
    { fin, rsv1, rsv2, rsv3, opcode, payloadLength: lengthCode },
    opts.deflate ?? false,
  );
  if (violation) return fail(violation.code, violation.message, WS_HEADER[violation.field].start, 1002);
  if (opts.from === 'client' && !masked) {
    return fail(
      'mask-required',
      'a client must mask every frame it sends (RFC 6455 §5.1)', // RFC 6455 §5.1
      WS_HEADER.mask.start,
      1002,
    );
  }
  if (opts.from === 'server' && masked) {
    return fail(
      'mask-forbidden',
      'a server must not mask frames (RFC 6455 §5.1)', // RFC 6455 §5.1
      WS_HEADER.mask.start,
      1002,
    );
  }

  const layout = wsLayout(lengthCode, masked);
  if (bytes.length < layout.headerLength) {
    return fail('incomplete', `this frame header needs ${layout.headerLength} bytes`, bytes.length); // RFC 6455 §5.2
  }
  let payloadLength = lengthCode;
  if (layout.extendedLength) {
    const ext = layout.extendedLength;
    // §5.2: the most significant bit of the 64-bit length must be 0.
    if (ext.end - ext.start === 8 && bytes[ext.start]! & 0x80) {
      return fail(
        'length-msb',
        'the 64-bit payload length has its most significant bit set', // RFC 6455 §5.2
        ext.start,
        1002,
      );
    }
    payloadLength = readUint(bytes, ext);
    if (payloadLength > Number.MAX_SAFE_INTEGER) {
      // RFC 6455 §7.4.1: 1009, a message too big to process.
      return fail('too-big', `a payload of ${payloadLength} bytes is beyond any buffer`, ext.start, 1009);
    }
  }
  const end = layout.headerLength + payloadLength;
  if (bytes.length < end) {
    return fail('incomplete', `this frame needs ${end} bytes, ${bytes.length} there`, bytes.length); // RFC 6455 §5.2
  }
  const maskKey = layout.maskingKey ? bytes.slice(layout.maskingKey.start, layout.maskingKey.end) : null;
  const wire = bytes.subarray(layout.headerLength, end);
  const payload = maskKey ? maskPayload(wire, maskKey) : wire;
  const repr: WsFrameRepr = { fin, rsv1, rsv2, rsv3, opcode, maskKey, payload };

  // §8.1: a complete text message must be valid UTF-8; fragments are checked by reassemble(). A compressed
  // payload (RSV1, RFC 7692 §6) is deflate data: its text is checked once inflated.
  if (opcode === WS_OPCODES.text && fin && !rsv1 && !isUtf8(payload)) {
    return fail('invalid-utf8', 'the text frame is not valid UTF-8', layout.headerLength, 1007); // RFC 6455 §8.1
  }
  if (opcode === WS_OPCODES.close) {
    const close = decodeClosePayload(payload);
    if (!close.ok) {
      const e = close.error;
      return fail(e.code, e.message, layout.headerLength + e.offset, e.closeCode);
    }
  }
  // The annotations (with their payload preview) are for the inspector: built on first read, then kept, so
  // a peer that only reads the frame (the simulator's receivers) does not pay for them.
  let fields: FieldAnnotation[] | null = null;
  return {
    ok: true,
    repr,
    payload,
    get fields(): readonly FieldAnnotation[] {
      fields ??= [
        ...headerFields(bytes, layout, payloadLength, maskKey),
        ...payloadFields(repr, layout.headerLength, end),
      ];
      return fields;
    },
    length: end,
  };
}

/**
 * Message-level rules (§5.4, §8.1). `error.offset` is the index of the offending frame in `frames`.
 * Control frames may sit between fragments and are returned as messages in arrival order. A message
 * whose last fragment has not arrived is not returned; its UTF-8 is still checked as far as it goes,
 * so invalid text fails at the fragment that makes it invalid.
 */
export function reassemble(
  frames: readonly WsFrameRepr[],
):
  | { readonly ok: true; readonly messages: readonly WsMessage[] }
  | { readonly ok: false; readonly error: DecodeError } {
  const messages: WsMessage[] = [];
  let current: { opcode: number; parts: Uint8Array[]; text: TextDecoder | null } | null = null;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const violation = frameRuleViolation({ ...f, payloadLength: f.payload.length });
    if (violation) return fail(violation.code, violation.message, i, 1002);
    if (f.opcode & CONTROL_BIT) {
      if (f.opcode === WS_OPCODES.close) {
        const close = decodeClosePayload(f.payload);
        if (!close.ok) return fail(close.error.code, close.error.message, i, close.error.closeCode);
      }
      messages.push({ opcode: f.opcode, data: f.payload });
      continue;
    }
    if (f.opcode === WS_OPCODES.continuation) {
      if (!current)
        // RFC 6455 §5.4: a continuation frame only follows a fragmented message's first frame.
        return fail('orphan-continuation', 'a continuation frame with no message to continue', i, 1002);
    } else {
      if (current) {
        return fail(
          'expected-continuation',
          'a new data frame arrived before the fragmented message ended', // RFC 6455 §5.4
          i,
          1002,
        );
      }
      current = {
        opcode: f.opcode,
        parts: [],
        text: f.opcode === WS_OPCODES.text ? new TextDecoder('utf-8', { fatal: true }) : null,
      };
    }
    current.parts.push(f.payload);
    if (current.text) {
      try {
        current.text.decode(f.payload, { stream: !f.fin });
      } catch {
        return fail('invalid-utf8', 'the text message is not valid UTF-8', i, 1007); // RFC 6455 §8.1
      }
    }
    if (f.fin) {
      messages.push({ opcode: current.opcode, data: concatBytes(...current.parts) });
      current = null;
    }
  }
  return { ok: true, messages };
}

/** 'WebSocket Text [FIN] [MASKED] "Hello"', Wireshark's Info column plus the payload. */
export function describeWsFrame(repr: WsFrameRepr): string {
  const flags = [
    repr.fin ? ' [FIN]' : '',
    repr.rsv1 ? ' [RSV1]' : '',
    repr.rsv2 ? ' [RSV2]' : '',
    repr.rsv3 ? ' [RSV3]' : '',
    repr.maskKey ? ' [MASKED]' : '',
  ].join('');
  let summary: string;
  if (repr.opcode === WS_OPCODES.close) {
    const close = decodeClosePayload(repr.payload);
    if (!close.ok) summary = `(${close.error.message})`;
    else if (close.code === null) summary = '(no status code)';
    else
      summary = close.reason
        ? `${closeCodeText(close.code)} ${quote(close.reason)}`
        : closeCodeText(close.code);
  } else if (
    repr.opcode === WS_OPCODES.text ||
    repr.opcode === WS_OPCODES.ping ||
    repr.opcode === WS_OPCODES.pong
  ) {
    const text = strictUtf8(repr.payload);
    const quoted = text !== null && (repr.opcode === WS_OPCODES.text || text.length > 0);
    summary = quoted ? quote(text) : `(${repr.payload.length} bytes)`;
  } else {
    summary = `(${repr.payload.length} bytes)`;
  }
  return `WebSocket ${opcodeLabel(repr.opcode)}${flags} ${summary}`;
}
