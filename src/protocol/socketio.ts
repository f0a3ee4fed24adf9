/**
 * Socket.IO protocol v5 (socket.io 4.x): the packets Socket.IO sends inside Engine.IO message packets.
 *
 * Layout of a packet's text, every part but the type optional:
 *   <type digit>[<attachments>-][<namespace>,][<ack id>][<JSON data>]
 * e.g. `2["chat message","Hello"]`, `0{"sid":"YFkc…"}`, `2/admin,12["x"]`, `3/admin,12["ok"]`,
 * `51-["file",{"_placeholder":true,"num":0}]`. On the wire each sits behind the Engine.IO type `4`:
 * `42["chat message","Hello"]` is Engine.IO message + Socket.IO EVENT.
 *
 * Modelled on socket.io-parser 4 (Encoder#encodeAsString, Decoder#decodeString): encodeSioPacket is
 * byte-identical for non-binary packets and for the text part of binary ones. decodeSioPacket accepts a
 * subset of what the reference accepts and decodes it to the same packet; it is stricter where the
 * reference is lenient by accident (an empty string reads as CONNECT there, a space as an ack-id digit,
 * an EVENT may lack its array, a namespace its comma, an ack id may overflow). Errors are returned, not
 * thrown: `empty`, `unknown-type`, `bad-attachments`, `bad-namespace`, `bad-ack-id`, `bad-json`,
 * `bad-payload`, `reserved-event`. Field offsets are UTF-8 byte offsets in the text.
 */
import { hex8, utf8 } from './bytes';
import { clipText, decodeEioPacket, decodeEioPayloadWith, eioMessage, type EioPacketRepr } from './engineio';
import { fail, namesByValue, shiftFields, type DecodeResult, type FieldAnnotation } from './fields';

/** The Socket.IO protocol revision socket.io 4 speaks. */
export const SIO_PROTOCOL = 5;

export const SIO_PACKET_TYPES = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;
export type SioPacketTypeName = keyof typeof SIO_PACKET_TYPES;

/** Reverse of SIO_PACKET_TYPES: type digit value → name. */
export const SIO_PACKET_NAMES: { readonly [code: number]: SioPacketTypeName | undefined } =
  namesByValue(SIO_PACKET_TYPES);

export const SIO_PACKET_MEANINGS: { readonly [T in SioPacketTypeName]: string } = {
  // socket.io-parser lib/index.ts (PacketType); socket.io lib/socket.ts _onconnect (CONNECT {sid}) and
  // lib/namespace.ts _doConnect (then "connection").
  CONNECT:
    'Socket.IO CONNECT: the client asks to join a namespace; the server answers CONNECT with the socket id, and io.on("connection") runs',
  // socket.io lib/socket.ts disconnect() and onclose; socket.io-client lib/socket.ts ondisconnect.
  DISCONNECT:
    'Socket.IO DISCONNECT: one side leaves the namespace (socket.disconnect()); the other side fires "disconnect"',
  EVENT: 'Socket.IO EVENT: a named event with its arguments, what socket.emit(name, ...args) sends', // socket.io lib/socket.ts emit
  // socket.io lib/socket.ts ack() and onack.
  ACK: 'Socket.IO ACK: the reply to an EVENT that asked for an acknowledgement (the callback passed to emit)',
  // socket.io lib/namespace.ts _doConnect (a middleware error) and lib/client.ts connect ("Invalid namespace");
  // socket.io-client lib/socket.ts onpacket emits "connect_error".
  CONNECT_ERROR:
    'Socket.IO CONNECT_ERROR: the server refused the namespace connection (a middleware called next(err), or no such namespace); the client fires "connect_error"',
  // socket.io-parser lib/binary.ts deconstructPacket and lib/index.ts Encoder.
  BINARY_EVENT:
    'Socket.IO BINARY_EVENT: an EVENT with binary arguments; the bytes follow as separate attachments',
  // socket.io-parser lib/binary.ts deconstructPacket and lib/index.ts Encoder.
  BINARY_ACK: 'Socket.IO BINARY_ACK: an ACK with binary arguments; the bytes follow as separate attachments',
};

// In its own module so that the link reader can check event names without loading this one (bundle size).
export { SIO_RESERVED_EVENTS } from './socketioReserved';
import { SIO_RESERVED_EVENTS } from './socketioReserved';

/** socket.io-parser's Decoder default `maxAttachments`. */
export const SIO_MAX_ATTACHMENTS = 10;

export interface SioPacketRepr {
  readonly type: number;
  /** `/` for the main namespace (then left out of the text). */
  readonly nsp: string;
  readonly id?: number;
  readonly data?: unknown;
  /**
   * Extension to the shared API: for BINARY_EVENT/BINARY_ACK, how many binary attachments follow. The
   * encoder counts the `{_placeholder: true, num}` objects in `data` when it is absent.
   */
  readonly attachments?: number;
}

function isPlaceholder(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { _placeholder?: unknown })._placeholder === true &&
    typeof (v as { num?: unknown }).num === 'number'
  );
}

function countPlaceholders(v: unknown): number {
  if (isPlaceholder(v)) return 1;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countPlaceholders(x), 0);
  if (typeof v === 'object' && v !== null) {
    return Object.values(v).reduce((n: number, x) => n + countPlaceholders(x), 0);
  }
  return 0;
}

function isBinaryType(type: number): boolean {
  return type === SIO_PACKET_TYPES.BINARY_EVENT || type === SIO_PACKET_TYPES.BINARY_ACK;
}

/**
 * Encoder#encodeAsString of socket.io-parser. `data` must be JSON-serialisable; binary values must
 * already be replaced by placeholders (a BINARY_* packet), as socket.io-parser's deconstructPacket does.
 */
export function encodeSioPacket(p: SioPacketRepr): string {
  let s = String(p.type);
  if (isBinaryType(p.type)) s += String(p.attachments ?? countPlaceholders(p.data)) + '-';
  if (p.nsp && p.nsp !== '/') s += p.nsp + ',';
  if (p.id !== undefined && p.id !== null) s += String(p.id);
  if (p.data !== undefined && p.data !== null) s += JSON.stringify(p.data) ?? '';
  return s;
}

/** The Engine.IO message carrying `p`: the text of one WebSocket frame or one polling record. */
export function encodeSioMessage(p: SioPacketRepr): string {
  return eioMessage(encodeSioPacket(p));
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function showChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x21 && code <= 0x7e) return `'${c}' (${hex8(code)})`;
  return code <= 0xff ? hex8(code) : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `data` cannot be the data of a packet of `type`; null when it can (socket.io-parser isPayloadValid). */
function payloadProblem(type: number, data: unknown): { code: string; message: string } | null {
  const name = SIO_PACKET_NAMES[type] ?? hex8(type);
  switch (type) {
    case SIO_PACKET_TYPES.CONNECT:
      return isPlainObject(data)
        ? null
        : {
            code: 'bad-payload',
            message: 'CONNECT data must be a JSON object (auth, or {sid} from the server)', // socket.io-parser lib/index.ts isPayloadValid
          };
    case SIO_PACKET_TYPES.DISCONNECT:
      return { code: 'bad-payload', message: 'DISCONNECT carries no data' }; // socket.io-parser lib/index.ts isPayloadValid
    case SIO_PACKET_TYPES.CONNECT_ERROR:
      return typeof data === 'string' || isPlainObject(data)
        ? null
        : { code: 'bad-payload', message: 'CONNECT_ERROR data must be a JSON object or string' }; // socket.io-parser lib/index.ts
    case SIO_PACKET_TYPES.EVENT:
    case SIO_PACKET_TYPES.BINARY_EVENT: {
      if (!Array.isArray(data) || data.length === 0) {
        return {
          code: 'bad-payload',
          message: `${name} data must be a JSON array starting with the event name`, // socket.io-parser lib/index.ts
        };
      }
      const event: unknown = data[0];
      if (typeof event === 'number') return null;
      if (typeof event !== 'string') {
        return {
          code: 'bad-payload',
          message: `${name} name must be a string (or a number), not ${typeof event}`, // socket.io-parser lib/index.ts
        };
      }
      if ((SIO_RESERVED_EVENTS as readonly string[]).includes(event)) {
        return {
          code: 'reserved-event',
          // socket.io-parser lib/index.ts RESERVED_EVENTS and isPayloadValid.
          message: `"${event}" is reserved: Socket.IO fires it itself, an EVENT packet may not carry it`,
        };
      }
      return null;
    }
    default:
      return Array.isArray(data)
        ? null
        : { code: 'bad-payload', message: `${name} data must be a JSON array` }; // socket.io-parser lib/index.ts
  }
}

function dataMeaning(type: number, data: unknown): string {
  switch (type) {
    case SIO_PACKET_TYPES.CONNECT:
      // socket.io-client lib/socket.ts onopen (sends auth); socket.io lib/socket.ts _onconnect (sends {sid}).
      return 'JSON object: from the client, its auth payload (io(url, { auth })); from the server, {sid}: the id of the new socket in this namespace (socket.id)';
    case SIO_PACKET_TYPES.CONNECT_ERROR:
      // socket.io lib/namespace.ts _doConnect (err.message, err.data) and lib/client.ts ("Invalid namespace").
      return 'Why the server refused the connection: {message, data?}, for example from the Error a middleware passed to next()';
    case SIO_PACKET_TYPES.EVENT:
    case SIO_PACKET_TYPES.BINARY_EVENT: {
      const list = data as readonly unknown[];
      const args = list.length - 1;
      // socket.io-parser lib/binary.ts _deconstructPacket: { _placeholder: true, num }.
      const binary = isBinaryType(type)
        ? '; binary arguments are {"_placeholder":true,"num":n} stand-ins'
        : '';
      const event = clipText(JSON.stringify(list[0]) ?? '', 40);
      // socket.io lib/socket.ts emit: [name, ...args].
      return `JSON array: the event name ${event}, then ${args} argument${args === 1 ? '' : 's'}, as passed to emit()${binary}`;
    }
    default: {
      // socket.io-parser lib/binary.ts _deconstructPacket: { _placeholder: true, num }.
      const binary = isBinaryType(type) ? '; binary values are {"_placeholder":true,"num":n} stand-ins' : '';
      // socket.io lib/socket.ts ack(): the ACK carries the arguments given to the callback.
      return `JSON array: the values the event's receiver passed to the acknowledgement callback${binary}`;
    }
  }
}

/** Decoder#decodeString of socket.io-parser, as a total function with byte-offset field annotations. */
export function decodeSioPacket(text: string): DecodeResult<SioPacketRepr> {
  // socket.io-parser lib/index.ts decodeString: the first character is the type.
  if (text.length === 0) return fail('empty', 'empty Socket.IO packet: it needs at least a type digit', 0);
  const at = (i: number): number => utf8(text.slice(0, i)).length;
  const type = text.charCodeAt(0) - 0x30;
  const typeName = SIO_PACKET_NAMES[type];
  if (typeName === undefined) {
    // socket.io-parser lib/index.ts decodeString: "unknown packet type".
    return fail(
      'unknown-type',
      `unknown Socket.IO packet type ${showChar(text[0]!)}: expected a digit 0-6`,
      0,
    );
  }
  const fields: FieldAnnotation[] = [
    {
      layer: 'socketio',
      key: 'type',
      name: 'Packet type',
      start: 0,
      end: 1,
      value: `${type} (${typeName})`,
      meaning: SIO_PACKET_MEANINGS[typeName],
    },
  ];
  let i = 1;

  let attachments: number | undefined;
  if (isBinaryType(type)) {
    const m = /^(\d+)-/.exec(text.slice(i));
    const n = m ? Number(m[1]) : NaN;
    if (!m || n < 1 || n > SIO_MAX_ATTACHMENTS) {
      // socket.io-parser lib/index.ts decodeString ("Illegal attachments") and maxAttachments.
      return fail(
        'bad-attachments',
        `${typeName} needs its attachment count, 1 to ${SIO_MAX_ATTACHMENTS}, then '-'`,
        at(i),
      );
    }
    attachments = n;
    fields.push({
      layer: 'socketio',
      key: 'attachments',
      name: 'Attachments',
      start: at(i),
      end: at(i + m[0].length),
      value: `${n} attachment${n === 1 ? '' : 's'}`,
      // socket.io-parser lib/index.ts Encoder (attachments + "-"); engine.io-parser lib/encodePacket.ts (b + base64).
      meaning:
        "How many binary attachments follow this packet as separate frames (WebSocket binary frames, or b… records when polling); '-' ends the count",
    });
    i += m[0].length;
  }

  let nsp = '/';
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    if (comma === -1) {
      // socket.io-parser lib/index.ts decodeString: the namespace runs to ','.
      return fail('bad-namespace', `namespace ${clipText(text.slice(i), 30)} is not followed by ','`, at(i));
    }
    nsp = text.slice(i, comma);
    fields.push({
      layer: 'socketio',
      key: 'nsp',
      name: 'Namespace',
      start: at(i),
      end: at(comma + 1),
      value: nsp,
      meaning: `Namespace ${nsp}, ended by ','. Packets for the main namespace / leave it out`, // socket.io-parser lib/index.ts
    });
    i = comma + 1;
  }

  let id: number | undefined;
  // socket.io-parser starts an ack id at any character c with Number(c) == c, which whitespace also
  // passes (it reads as 0): refuse what it would misread instead of decoding it differently.
  if (/^\s/.test(text.slice(i, i + 1))) {
    // socket.io-parser lib/index.ts decodeString; refusing is Wirewalk's choice.
    return fail('bad-ack-id', 'whitespace where the ack id or the data should start', at(i));
  }
  const digits = /^\d+/.exec(text.slice(i));
  if (digits) {
    id = Number(digits[0]);
    if (!Number.isSafeInteger(id)) {
      // ECMA-262 Number.MAX_SAFE_INTEGER; refusing is Wirewalk's choice.
      return fail('bad-ack-id', `ack id ${clipText(digits[0], 30)} is larger than 2^53 - 1`, at(i));
    }
    const isAck = type === SIO_PACKET_TYPES.ACK || type === SIO_PACKET_TYPES.BINARY_ACK;
    fields.push({
      layer: 'socketio',
      key: 'ackId',
      name: 'Ack id',
      start: at(i),
      end: at(i + digits[0].length),
      value: String(id),
      // socket.io lib/socket.ts emit (a callback gets the next id) and onack (runs it).
      meaning: isAck
        ? `Id of the EVENT being acknowledged: the sender's callback number ${id} runs with the data that follows`
        : `Acknowledgement id: the sender passed a callback to emit(); the receiver answers with an ACK (type 3) carrying id ${id}`,
    });
    i += digits[0].length;
  }

  let data: unknown;
  const hasData = i < text.length;
  if (hasData) {
    try {
      data = JSON.parse(text.slice(i));
    } catch (e) {
      // socket.io-parser lib/index.ts tryParse ("invalid payload").
      return fail(
        'bad-json',
        `packet data is not JSON: ${e instanceof Error ? e.message : String(e)}`,
        at(i),
      );
    }
    const problem = payloadProblem(type, data);
    if (problem) return fail(problem.code, problem.message, at(i));
    fields.push({
      layer: 'socketio',
      key: 'data',
      name: 'Data',
      start: at(i),
      end: at(text.length),
      value: text.slice(i),
      meaning: dataMeaning(type, data),
    });
  } else if (type !== SIO_PACKET_TYPES.CONNECT && type !== SIO_PACKET_TYPES.DISCONNECT) {
    return fail('bad-payload', `${typeName} needs its JSON data`, at(i)); // socket.io-parser lib/index.ts isPayloadValid
  }

  const repr: SioPacketRepr = {
    type,
    nsp,
    ...(id !== undefined ? { id } : {}),
    ...(hasData ? { data } : {}),
    ...(attachments !== undefined ? { attachments } : {}),
  };
  return { ok: true, repr, payload: new Uint8Array(0), fields, length: at(text.length) };
}

/** One Engine.IO packet and, when it is a text message, the Socket.IO packet inside it. */
export interface SioOverEioRepr {
  readonly eio: EioPacketRepr;
  readonly sio: SioPacketRepr | null;
}

/**
 * Decode the text of a WebSocket frame (or one polling record) through both layers. For a text message
 * the Engine.IO data field is replaced by the Socket.IO fields (shifted one byte), so the fields still
 * tile the text; a message whose data is not a valid Socket.IO packet fails with the Socket.IO error.
 * Binary messages (Socket.IO attachments) and other Engine.IO packets have `sio: null`.
 */
export function decodeSioOverEio(text: string): DecodeResult<SioOverEioRepr> {
  const eio = decodeEioPacket(text);
  if (!eio.ok) return eio;
  const p = eio.repr;
  if (p.type !== 'message' || p.binary !== undefined) {
    return { ...eio, repr: { eio: p, sio: null } };
  }
  const sio = decodeSioPacket(p.data ?? '');
  // socket.io-parser lib/index.ts Decoder#add: a message's text is a Socket.IO packet.
  if (!sio.ok)
    return fail(
      sio.error.code,
      `Socket.IO packet in the message: ${sio.error.message}`,
      1 + sio.error.offset,
    );
  return {
    ok: true,
    repr: { eio: p, sio: sio.repr },
    payload: new Uint8Array(0),
    fields: [...eio.fields.filter((f) => f.key === 'type'), ...shiftFields(sio.fields, 1)],
    length: eio.length,
  };
}

/** decodeSioOverEio for each record of an HTTP long-polling body. */
export function decodeSioOverEioPayload(text: string): DecodeResult<readonly SioOverEioRepr[]> {
  return decodeEioPayloadWith(text, decodeSioOverEio);
}

function jsonForDisplay(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** `Socket.IO EVENT ["chat message","Hello"]`, `Socket.IO ACK /admin id=12 ["ok"]`, `Socket.IO CONNECT`. */
export function describeSioPacket(p: SioPacketRepr): string {
  let s = `Socket.IO ${SIO_PACKET_NAMES[p.type] ?? hex8(p.type)}`;
  if (p.nsp && p.nsp !== '/') s += ` ${p.nsp}`;
  if (p.id !== undefined) s += ` id=${p.id}`;
  if (p.data !== undefined) s += ` ${clipText(jsonForDisplay(p.data), 80)}`;
  return s;
}
