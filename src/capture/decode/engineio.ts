/**
 * Engine.IO packets, and the Socket.IO packet inside each `message`, read from what a capture carried:
 * an HTTP long-polling body (packets joined by the record separator 0x1e, engine.io-parser's
 * `decodePayload`) or one WebSocket text message (one packet, `decodePacket`). The codecs are
 * src/protocol/engineio.ts and socketio.ts; this turns their reprs into the capture model's body and a
 * one-line summary, and keeps reading past a packet it cannot decode (the problem names it).
 */
import { utf8 } from '../../protocol/bytes';
import {
  decodeEioPacket,
  describeEioPacket,
  clipText,
  RECORD_SEPARATOR,
  separatorField,
} from '../../protocol/engineio';
import { shiftFields, type DecodeError, type FieldAnnotation } from '../../protocol/fields';
import {
  decodeSioOverEio,
  SIO_PACKET_NAMES,
  SIO_PACKET_TYPES,
  type SioPacketRepr,
} from '../../protocol/socketio';
import { hex8 } from '../../protocol/bytes';
import type { CapturedMessageBody } from '../model';

type EngineIoBody = Extract<CapturedMessageBody, { kind: 'engineio' }>;
type Packet = EngineIoBody['packets'][number];

export interface EngineIoRead {
  readonly body: EngineIoBody;
  readonly summary: string;
  /** Offsets into the text's UTF-8 bytes. */
  readonly fields: readonly FieldAnnotation[];
  /** Packets that could not be read: which one (1-based) and why, offsets into the text's bytes. */
  readonly errors: readonly DecodeError[];
}

function json(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function socketIoOf(p: SioPacketRepr): NonNullable<Packet['socketio']> {
  const type = SIO_PACKET_NAMES[p.type] ?? hex8(p.type);
  const isEvent = p.type === SIO_PACKET_TYPES.EVENT || p.type === SIO_PACKET_TYPES.BINARY_EVENT;
  // socket.io-parser: an EVENT's data is [eventName, ...args]; an ACK's is the callback's arguments.
  if (isEvent && Array.isArray(p.data) && typeof p.data[0] === 'string') {
    return {
      type,
      nsp: p.nsp,
      event: p.data[0],
      args: json(p.data.slice(1)),
      ...(p.id !== undefined ? { id: p.id } : {}),
    };
  }
  return {
    type,
    nsp: p.nsp,
    ...(p.data !== undefined ? { args: json(p.data) } : {}),
    ...(p.id !== undefined ? { id: p.id } : {}),
  };
}

/** `Socket.IO EVENT "chat message" ["Hello"]`, `Socket.IO CONNECT {"sid":"…"}`, `Engine.IO ping probe`. */
export function describePacket(p: Packet): string {
  const s = p.socketio;
  if (!s) return describeEioPacket({ type: p.type as never, ...(p.data ? { data: p.data } : {}) });
  let out = `Socket.IO ${s.type}`;
  if (s.nsp && s.nsp !== '/') out += ` ${s.nsp}`;
  if (s.id !== undefined) out += ` id=${s.id}`;
  if (s.event !== undefined) out += ` ${JSON.stringify(s.event)}`;
  if (s.args !== undefined) out += ` ${clipText(s.args, 80)}`;
  return out;
}

function readPacket(record: string): {
  readonly packet: Packet;
  readonly fields: readonly FieldAnnotation[];
  readonly error?: DecodeError;
} {
  const both = decodeSioOverEio(record);
  if (both.ok) {
    const { eio, sio } = both.repr;
    const data = eio.binary !== undefined ? `<${eio.binary.length} bytes binary>` : (eio.data ?? '');
    return {
      packet: { type: eio.type, data, ...(sio ? { socketio: socketIoOf(sio) } : {}) },
      fields: both.fields,
    };
  }
  // The Engine.IO packet may still be fine when the Socket.IO packet inside it is not.
  const eio = decodeEioPacket(record);
  if (eio.ok) {
    return {
      packet: { type: eio.repr.type, data: eio.repr.data ?? '' },
      fields: eio.fields,
      error: both.error,
    };
  }
  return { packet: { type: 'unreadable', data: record }, fields: [], error: eio.error };
}

/**
 * engine.io-parser v4 `decodePayload`: a polling body is packets joined by 0x1e; `transport: 'websocket'`
 * reads the text of one WebSocket message as one packet (no separator there).
 */
export function readEngineIo(text: string, transport: 'polling' | 'websocket'): EngineIoRead {
  const records = transport === 'polling' ? text.split(RECORD_SEPARATOR) : [text];
  const packets: Packet[] = [];
  const fields: FieldAnnotation[] = [];
  const errors: DecodeError[] = [];
  let at = 0;
  records.forEach((record, i) => {
    if (i > 0) {
      fields.push(separatorField(at));
      at += 1;
    }
    const r = readPacket(record);
    packets.push(r.packet);
    fields.push(...shiftFields(r.fields, at));
    if (r.error) {
      const which = records.length > 1 ? `packet ${i + 1} of ${records.length}: ` : '';
      errors.push({ ...r.error, message: which + r.error.message, offset: at + r.error.offset });
    }
    at += utf8(record).length;
  });
  const summaries = packets.map(describePacket);
  const summary =
    summaries.length === 1
      ? summaries[0]!
      : `${summaries.length} Engine.IO packets: ${summaries.join(' · ')}`;
  return { body: { kind: 'engineio', transport, packets }, summary, fields, errors };
}

/**
 * Engine.IO's own query parameter marks its requests whatever path the server mounts it on
 * (engine.io's `path` option, `/socket.io/` by default): `EIO=4&transport=polling|websocket`.
 */
export function engineIoTransport(target: string): 'polling' | 'websocket' | null {
  const params = engineIoParams(target);
  if (!params) return null;
  const t = params.get('transport');
  return t === 'polling' || t === 'websocket' ? t : null;
}

function engineIoParams(target: string): URLSearchParams | null {
  const q = target.indexOf('?');
  if (q < 0) return null;
  const params = new URLSearchParams(target.slice(q + 1));
  return params.has('EIO') ? params : null;
}

/**
 * The Engine.IO protocol revision the client asked for (`EIO=4` for socket.io 3 and 4, `EIO=3` for
 * socket.io 2, whose polling bodies are length-prefixed, `97:0{…}`, instead of 0x1e-separated).
 */
export function engineIoVersion(target: string): number | null {
  const v = engineIoParams(target)?.get('EIO');
  return v && /^[0-9]+$/.test(v) ? Number(v) : null;
}
