/**
 * Engine.IO protocol v4: the transport layer under Socket.IO (what engine.io 6 / socket.io 4 speak).
 *
 * A packet is one type digit followed by its data, as text: `0{"sid":…}` (open), `2` (ping), `3probe`,
 * `42["chat message","Hello"]` (a message carrying the Socket.IO packet `2["chat message","Hello"]`).
 * Over WebSocket every text frame holds one packet; over HTTP long-polling a body holds several,
 * joined by the record separator 0x1e. Binary messages in a polling body travel as `b` + base64.
 *
 * Modelled on engine.io-parser 5 (encodePacket/decodePacket/encodePayload/decodePayload); the outputs
 * are byte-identical for text packets and base64 binary packets. Differences: pure functions on
 * strings, and decoders return a DecodeResult (codes `empty`, `unknown-type`, `bad-base64`) where the
 * reference returns its `{type: 'error'}` packet. Field offsets are UTF-8 byte offsets in the text:
 * what a student sees in the hex dump of the WebSocket frame or the HTTP body.
 */
import { base64, fromBase64, hex8, toHex, utf8 } from './bytes';
import { fail, namesByValue, shiftFields, type DecodeResult, type FieldAnnotation } from './fields';

/** The `EIO=4` query parameter of every Engine.IO request. */
export const EIO_PROTOCOL = 4;

export const EIO_PACKET_TYPES = {
  open: 0,
  close: 1,
  ping: 2,
  pong: 3,
  message: 4,
  upgrade: 5,
  noop: 6,
} as const;
export type EioPacketType = keyof typeof EIO_PACKET_TYPES;

/** Reverse of EIO_PACKET_TYPES: type digit value → name. */
export const EIO_PACKET_NAMES: { readonly [code: number]: EioPacketType | undefined } =
  namesByValue(EIO_PACKET_TYPES);

/** What each packet type is for, in words a student can follow. */
export const EIO_PACKET_MEANINGS: { readonly [T in EioPacketType]: string } = {
  // engine.io-parser lib/commons.ts (PACKET_TYPES); engine.io lib/socket.ts onOpen (the handshake fields).
  open: 'Engine.IO open packet: the server accepts the session and sends the handshake (session id, upgrades, heartbeat timing)',
  close: 'Engine.IO close packet: ends the Engine.IO session', // engine.io lib/socket.ts onPacket ("close")
  // engine.io lib/socket.ts schedulePing: in protocol v4 the server pings every pingInterval.
  ping: 'Engine.IO ping packet: in v4 the server sends one every pingInterval ms to check the client is still there',
  // engine.io lib/socket.ts resetPingTimeout: no pong within pingTimeout closes the socket ("ping timeout").
  pong: 'Engine.IO pong packet: the answer to a ping; without it within pingTimeout ms the server drops the session',
  message: 'Engine.IO message packet: carries one Socket.IO packet', // socket.io lib/client.ts (ondata)
  // engine.io-client lib/socket.ts probe(): 2probe, 3probe, then 5 (upgrade).
  upgrade:
    'Engine.IO upgrade packet: the client moves the session from HTTP long-polling to the WebSocket it has just probed',
  // engine.io lib/socket.ts maybeUpgrade: a noop flushes the pending polling request.
  noop: 'Engine.IO noop packet: does nothing; the server uses it to end a pending long-polling request during the upgrade',
};

export interface EioPacketRepr {
  readonly type: EioPacketType;
  /** Text after the type digit; absent when the packet is the digit alone. */
  readonly data?: string;
  /**
   * Extension to the shared API: a binary message. In an HTTP long-polling body it travels as `b` +
   * base64 (the body is text); over WebSocket it is a binary frame with no type digit. When set, `type`
   * is `message` and `data` is ignored.
   */
  readonly binary?: Uint8Array;
}

/** Separates packets in an HTTP long-polling body (ASCII RS, 0x1e). */
export const RECORD_SEPARATOR = '\x1e';

/** Data of the ping/pong pair that tests a new WebSocket before the upgrade: `2probe` → `3probe` → `5`. */
export const PROBE = 'probe';

/** Marks a base64-encoded binary message in place of the type digit. */
const BINARY_MARKER = 'b';

export function encodeEioPacket(p: EioPacketRepr): string {
  if (p.binary !== undefined) return BINARY_MARKER + base64(p.binary);
  return String(EIO_PACKET_TYPES[p.type]) + (p.data ?? '');
}

/** The text of a message packet carrying `data` (normally an encoded Socket.IO packet). */
export function eioMessage(data: string): string {
  return encodeEioPacket({ type: 'message', data });
}

export interface EioHandshake {
  readonly sid: string;
  readonly upgrades: readonly string[];
  readonly pingInterval: number;
  readonly pingTimeout: number;
  readonly maxPayload: number;
}

/**
 * The server's handshake values when socket.io 4 (engine.io 6) runs with its defaults:
 * pingInterval 25000 ms, pingTimeout 20000 ms, maxHttpBufferSize 1e6 bytes, upgrade to websocket.
 */
export const EIO_HANDSHAKE_DEFAULTS: Omit<EioHandshake, 'sid'> = {
  upgrades: ['websocket'],
  pingInterval: 25000,
  pingTimeout: 20000,
  maxPayload: 1_000_000,
};

/** Handshake JSON, keys in engine.io's order: sid, upgrades, pingInterval, pingTimeout, maxPayload. */
export function encodeHandshake(h: EioHandshake): string {
  return JSON.stringify({
    sid: h.sid,
    upgrades: h.upgrades,
    pingInterval: h.pingInterval,
    pingTimeout: h.pingTimeout,
    maxPayload: h.maxPayload,
  });
}

/** The full open packet: `0` + handshake JSON. */
export function eioOpen(h: EioHandshake): string {
  return encodeEioPacket({ type: 'open', data: encodeHandshake(h) });
}

/** Read an open packet's data; `null` unless it is a JSON object with the five handshake keys well typed. */
export function parseHandshake(data: string): EioHandshake | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as { [k: string]: unknown };
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = o;
  if (typeof sid !== 'string') return null;
  if (!Array.isArray(upgrades) || !upgrades.every((u) => typeof u === 'string')) return null;
  if (![pingInterval, pingTimeout, maxPayload].every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return null;
  }
  return {
    sid,
    upgrades: upgrades as string[],
    pingInterval: pingInterval as number,
    pingTimeout: pingTimeout as number,
    maxPayload: maxPayload as number,
  };
}

/**
 * An id shaped like engine.io's `base64id.generateId()` (used for both the Engine.IO sid and the
 * Socket.IO socket id): 15 bytes = 12 random bytes then the low 24 bits of a per-process counter,
 * big-endian, in base64 with `/` → `_` and `+` → `-`. The ids in the reference capture have counter 0,
 * hence their `AAAA` ending. Throws RangeError unless `random12` holds exactly 12 bytes.
 */
export function base64Id(random12: Uint8Array, sequence = 0): string {
  // base64id lib/base64id.js generateId: 12 random bytes and a 3-byte counter.
  if (random12.length !== 12) throw new RangeError(`base64Id needs 12 random bytes, got ${random12.length}`);
  const raw = new Uint8Array(15);
  raw.set(random12);
  raw[12] = (sequence >>> 16) & 0xff;
  raw[13] = (sequence >>> 8) & 0xff;
  raw[14] = sequence & 0xff;
  return base64(raw).replace(/\//g, '_').replace(/\+/g, '-');
}

/** A character for an error message: itself if printable ASCII, else its code in hex. */
function showChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x21 && code <= 0x7e) return `'${c}' (${hex8(code)})`;
  return code <= 0xff ? hex8(code) : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function dataMeaning(type: EioPacketType, data: string): { value: string; meaning: string } {
  switch (type) {
    case 'open': {
      const h = parseHandshake(data);
      if (!h) {
        return {
          value: data,
          // engine.io lib/socket.ts onOpen: the handshake object.
          meaning:
            'Handshake data; engine.io sends a JSON object with sid, upgrades, pingInterval, pingTimeout and maxPayload',
        };
      }
      return {
        // engine.io lib/socket.ts onOpen: sid, upgrades, pingInterval, pingTimeout, maxPayload.
        value:
          `sid=${h.sid}, upgrades=[${h.upgrades.join(', ')}], pingInterval=${h.pingInterval} ms, ` +
          `pingTimeout=${h.pingTimeout} ms, maxPayload=${h.maxPayload} bytes`,
        // engine.io lib/socket.ts onOpen (the handshake) and resetPingTimeout (pingTimeout waits for the pong).
        meaning:
          'Handshake (JSON): the session id (sid) the client repeats in every later request, the transports it may ' +
          'upgrade to, how often the server pings (pingInterval), how long it waits for the pong (pingTimeout) and ' +
          'the largest payload it accepts (maxPayload)',
      };
    }
    case 'ping':
    case 'pong':
      return data === PROBE
        ? {
            value: data,
            // engine.io-client lib/socket.ts probe(); engine.io lib/socket.ts maybeUpgrade (answers 3probe).
            meaning:
              'probe: sent on the new WebSocket before the upgrade; the server answers 3probe, proving the WebSocket ' +
              'works, and the client then sends 5 (upgrade)',
          }
        : {
            value: data,
            // engine.io lib/socket.ts schedulePing sends "ping" with no data; engine.io-client answers "pong" alone.
            meaning:
              'Unexpected data: socket.io 4 heartbeats are a bare 2 and 3; only the upgrade probe carries data',
          };
    case 'message':
      return {
        value: data,
        meaning: 'The Socket.IO packet this message carries, as text (decoded at the next layer up)', // socket.io lib/client.ts
      };
    default:
      return { value: data, meaning: `Unexpected data: a ${type} packet normally carries none` }; // engine.io lib/socket.ts
  }
}

/** Decode one packet (one WebSocket text frame, or one record of a polling body). Never throws. */
export function decodeEioPacket(text: string): DecodeResult<EioPacketRepr> {
  // engine.io-parser lib/decodePacket.ts: the first character is the type.
  if (text.length === 0) return fail('empty', 'empty Engine.IO packet: it needs at least a type digit', 0);
  const total = utf8(text).length;
  const first = text[0]!;

  if (first === BINARY_MARKER) {
    const encoded = text.slice(1);
    const binary = fromBase64(encoded);
    // engine.io-parser lib/decodePacket.ts: "b" + base64.
    if (binary === null)
      return fail('bad-base64', 'binary Engine.IO packet: the text after b is not base64', 1);
    const fields: FieldAnnotation[] = [
      {
        layer: 'engineio',
        key: 'binaryMarker',
        name: 'Binary marker',
        start: 0,
        end: 1,
        value: 'b (binary message)',
        // engine.io-parser lib/encodePacket.ts (binary without binary support: "b" + base64) and lib/index.ts encodePayload.
        meaning:
          "'b' replaces the type digit: a binary message (type 4) sent as base64 text, because an HTTP long-polling body is text",
      },
    ];
    if (total > 1) {
      fields.push({
        layer: 'engineio',
        key: 'base64',
        name: 'Base64 data',
        start: 1,
        end: total,
        value: `${binary.length} bytes: ${toHex(binary.subarray(0, 16))}${binary.length > 16 ? ' …' : ''}`,
        meaning: "The message's bytes in base64 (RFC 4648 §4): 4 characters for every 3 bytes", // RFC 4648 §4
      });
    }
    return { ok: true, repr: { type: 'message', binary }, payload: binary, fields, length: total };
  }

  const type = EIO_PACKET_NAMES[text.charCodeAt(0) - 0x30];
  if (type === undefined) {
    // engine.io-parser lib/commons.ts (types 0-6) and lib/decodePacket.ts (an unknown type is an error packet).
    return fail(
      'unknown-type',
      `unknown Engine.IO packet type ${showChar(first)}: expected a digit 0-6 or b`,
      0,
    );
  }
  const fields: FieldAnnotation[] = [
    {
      layer: 'engineio',
      key: 'type',
      name: 'Packet type',
      start: 0,
      end: 1,
      value: `${first} (${type})`,
      meaning: EIO_PACKET_MEANINGS[type],
    },
  ];
  const data = text.slice(1);
  if (data.length > 0) {
    fields.push({
      layer: 'engineio',
      key: 'data',
      name: 'Data',
      start: 1,
      end: total,
      ...dataMeaning(type, data),
    });
  }
  return {
    ok: true,
    repr: data.length > 0 ? { type, data } : { type },
    payload: utf8(data),
    fields,
    length: total,
  };
}

/** An HTTP long-polling body: the packets joined by RECORD_SEPARATOR (binary ones as b + base64). */
export function encodeEioPayload(ps: readonly EioPacketRepr[]): string {
  return ps.map(encodeEioPacket).join(RECORD_SEPARATOR);
}

/**
 * Decode a long-polling body record by record with `decodePacket` (socketio.ts passes one that also
 * decodes the Socket.IO packet inside each message). Fields are re-based to the body's byte offsets and
 * every separator gets its own field. The first bad record fails the whole body, with the offset of the
 * problem inside the body (engine.io-parser likewise stops at its first error packet). `payload` is
 * empty: each record's data is in its repr.
 */
/** The 0x1e between two packets of a polling body, at `at` (engine.io-parser v4 SEPARATOR). */
export function separatorField(at: number): FieldAnnotation {
  return {
    layer: 'engineio',
    key: 'separator',
    name: 'Record separator',
    start: at,
    end: at + 1,
    value: '0x1e',
    // engine.io-parser lib/index.ts: SEPARATOR = String.fromCharCode(30).
    meaning:
      'Record separator (ASCII RS, 0x1e): ends one packet and starts the next in an HTTP long-polling body',
  };
}

export function decodeEioPayloadWith<R>(
  text: string,
  decodePacket: (record: string) => DecodeResult<R>,
): DecodeResult<readonly R[]> {
  const records = text.split(RECORD_SEPARATOR);
  const reprs: R[] = [];
  const fields: FieldAnnotation[] = [];
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    if (i > 0) {
      fields.push(separatorField(at));
      at += 1;
    }
    const r = decodePacket(records[i]!);
    if (!r.ok) {
      const where = records.length > 1 ? `packet ${i + 1} of ${records.length}: ` : '';
      return fail(r.error.code, where + r.error.message, at + r.error.offset);
    }
    reprs.push(r.repr);
    fields.push(...shiftFields(r.fields, at));
    at += r.length;
  }
  return { ok: true, repr: reprs, payload: new Uint8Array(0), fields, length: at };
}

export function decodeEioPayload(text: string): DecodeResult<readonly EioPacketRepr[]> {
  return decodeEioPayloadWith(text, decodeEioPacket);
}

/** Shorten for a one-line summary without splitting a surrogate pair. */
export function clipText(s: string, max = 60): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

/** `Engine.IO message 42["chat message","Hello"]`, `Engine.IO ping probe`, `Engine.IO noop`. */
export function describeEioPacket(p: EioPacketRepr): string {
  if (p.binary !== undefined) return `Engine.IO message <${p.binary.length} bytes binary>`; // engine.io-parser lib/commons.ts
  return `Engine.IO ${p.type}${p.data ? ' ' + clipText(p.data) : ''}`;
}

/** `Engine.IO payload: 2 packets (message, message)`. */
export function describeEioPayload(ps: readonly EioPacketRepr[]): string {
  return `Engine.IO payload: ${ps.length} packet${ps.length === 1 ? '' : 's'} (${ps.map((p) => p.type).join(', ')})`;
}
