/**
 * What the timeline is told about each Engine.IO write: an HTTP message (long-polling, the WebSocket
 * upgrade) or a WebSocket frame, with the Engine.IO packets it carries and a label for the views.
 */
import type { TlsWriteInfo } from '../tls/socket';
import { utf8 } from '../../../protocol/bytes';
import { RECORD_SEPARATOR, clipText, decodeEioPacket, type EioPacketRepr } from '../../../protocol/engineio';
import { shiftFields, type FieldAnnotation } from '../../../protocol/fields';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  headerValue,
  type HttpRequestRepr,
  type HttpResponseRepr,
} from '../../../protocol/http';
import { decodeSioOverEio, decodeSioOverEioPayload } from '../../../protocol/socketio';
import { WS_OPCODES, decodeWsFrame, encodeWsFrame, type WsFrameRepr } from '../../../protocol/websocket';
import type { AppWrite } from '../../engine/packet';
import type { AppInfo, HostId } from '../../types';
import type { WsWrites } from '../websocket';

export type EioWritePurpose =
  | 'handshake-request'
  | 'handshake-response'
  | 'poll-request'
  | 'poll-response'
  | 'post-request'
  | 'post-response'
  | 'ws-upgrade-request'
  | 'ws-upgrade-response'
  | 'ws-frame'
  | 'ws-close'
  | 'ws-pong'
  | 'http-error'
  | 'http-request'
  | 'http-response'
  /** A chunk of a streamed (chunked) response: one Server-Sent Event (sim/stories/compare/sse.ts). */
  | 'sse-chunk';

const TEXT = new TextDecoder('utf-8');

/**
 * One write (an HTTP message or a WebSocket frame) with the Engine.IO packets it carries. Its field
 * annotations (HTTP or WebSocket, then Engine.IO and Socket.IO inside) are decoded from the bytes the
 * first time a view asks for them.
 */
export class EioWrite implements AppWrite {
  firstPacket = -1;
  /** Set on the copy TLS makes when it carries the write (sim/libs/tls/socket.ts). */
  declare readonly tls?: TlsWriteInfo;
  private cached: readonly FieldAnnotation[] | null = null;

  constructor(
    readonly layer: 'http' | 'websocket',
    readonly bytes: Uint8Array,
    readonly info: AppInfo,
    readonly summary: string,
    readonly from: 'client' | 'server',
    readonly purpose: EioWritePurpose,
    /** The browser this write is to or from. */
    readonly browser: HostId,
    /** The Engine.IO packets it carries, in order (none for a plain HTTP message). */
    readonly packets: readonly EioPacketRepr[],
    /** The Engine.IO text (body or frame payload), when it carries packets. */
    readonly text: string,
    readonly frame?: WsFrameRepr,
    readonly http?: HttpRequestRepr | HttpResponseRepr,
  ) {}

  get fields(): readonly FieldAnnotation[] | null {
    if (this.cached) return this.cached;
    const out: FieldAnnotation[] = [];
    if (this.layer === 'websocket') {
      const f = decodeWsFrame(this.bytes, { from: this.from });
      if (f.ok) {
        out.push(...f.fields);
        if (this.packets.length > 0) {
          const inner = decodeSioOverEio(this.text);
          if (inner.ok) out.push(...shiftFields(inner.fields, this.bytes.length - f.repr.payload.length));
        }
      }
    } else {
      const h = this.from === 'client' ? decodeHttpRequest(this.bytes) : decodeHttpResponse(this.bytes);
      if (h.ok) {
        out.push(...h.fields);
        if (this.packets.length > 0) {
          const inner = decodeSioOverEioPayload(this.text);
          if (inner.ok) out.push(...shiftFields(inner.fields, this.bytes.length - h.payload.length));
        }
      }
    }
    this.cached = out;
    return out;
  }

  set fields(v: readonly FieldAnnotation[] | null) {
    this.cached = v;
  }
}

/** `42["chat message","Hello"]`, shortened for a label. */
function packetsLabel(text: string): string {
  return clipText(text.split(RECORD_SEPARATOR).join(' ␞ '), 90);
}

/** An HTTP message; with packets, its body is a long-polling payload and is shown as Engine.IO. */
function httpWrite(
  from: 'client' | 'server',
  repr: HttpRequestRepr | HttpResponseRepr,
  bytes: Uint8Array,
  body: string,
  plain: { readonly info: AppInfo; readonly summary: string },
  purpose: EioWritePurpose,
  browser: HostId,
  packets: readonly EioPacketRepr[],
): EioWrite {
  const info: AppInfo =
    packets.length > 0
      ? { kind: 'engineio', packets: body.split(RECORD_SEPARATOR), transport: 'polling' }
      : plain.info;
  return new EioWrite(
    'http',
    bytes,
    info,
    plain.summary,
    from,
    purpose,
    browser,
    packets,
    body,
    undefined,
    repr,
  );
}

export function httpRequestWrite(
  repr: HttpRequestRepr,
  body: string,
  purpose: EioWritePurpose,
  browser: HostId,
  packets: readonly EioPacketRepr[],
): EioWrite {
  const bytes = encodeHttpRequest(repr, utf8(body));
  const upgrade = headerValue(repr.headers, 'Upgrade') !== undefined;
  const info: AppInfo = { kind: 'http-request', method: repr.method, target: repr.target, upgrade };
  const line = `${repr.method} ${repr.target} ${repr.version}`;
  const summary = upgrade
    ? `${line} (Upgrade)`
    : packets.length > 0
      ? `${line}  ${packetsLabel(body)}`
      : line;
  return httpWrite('client', repr, bytes, body, { info, summary }, purpose, browser, packets);
}

export function httpResponseWrite(
  repr: HttpResponseRepr,
  body: string,
  purpose: EioWritePurpose,
  browser: HostId,
  packets: readonly EioPacketRepr[],
): EioWrite {
  const bytes = encodeHttpResponse(repr, utf8(body));
  const info: AppInfo = { kind: 'http-response', status: repr.status, reason: repr.reason };
  const line = `${repr.version} ${repr.status} ${repr.reason}`;
  const summary =
    packets.length > 0 ? `${line}  ${packetsLabel(body)}` : body ? `${line}  (${clipText(body, 40)})` : line;
  return httpWrite('server', repr, bytes, body, { info, summary }, purpose, browser, packets);
}

/** A WebSocket frame; a text frame carries one Engine.IO packet when `eio` is true. */
export function wsFrameWrite(
  repr: WsFrameRepr,
  from: 'client' | 'server',
  browser: HostId,
  eio: boolean,
): EioWrite {
  const bytes = encodeWsFrame(repr);
  const text = repr.opcode === WS_OPCODES.close ? '' : TEXT.decode(repr.payload);
  const masked = repr.maskKey !== null;
  const flags = `${repr.fin ? ' [FIN]' : ''}${masked ? ' [MASKED]' : ''}`;
  let packets: EioPacketRepr[] = [];
  let summary: string;
  let purpose: EioWritePurpose = 'ws-frame';
  if (repr.opcode === WS_OPCODES.close) {
    purpose = 'ws-close';
    const code = repr.payload.length >= 2 ? (repr.payload[0]! << 8) | repr.payload[1]! : null;
    summary = `WebSocket Close${flags} ${code === null ? '(no status code)' : code}`;
  } else if (repr.opcode === WS_OPCODES.pong || repr.opcode === WS_OPCODES.ping) {
    purpose = 'ws-pong';
    summary = `WebSocket ${repr.opcode === WS_OPCODES.ping ? 'Ping' : 'Pong'}${flags}`;
  } else {
    if (eio) {
      const p = decodeEioPacket(text);
      if (p.ok) packets = [p.repr];
    }
    summary = `WebSocket Text${flags} ${eio ? clipText(text, 90) : JSON.stringify(clipText(text, 60))}`;
  }
  const info: AppInfo = {
    kind: 'ws-frame',
    opcode: repr.opcode,
    fin: repr.fin,
    masked,
    text,
    ...(repr.opcode === WS_OPCODES.close && repr.payload.length >= 2
      ? { closeCode: (repr.payload[0]! << 8) | repr.payload[1]! }
      : {}),
  };
  return new EioWrite('websocket', bytes, info, summary, from, purpose, browser, packets, text, repr);
}

/** Engine.IO's labels for a WebSocket endpoint's writes (`eio`: text frames carry Engine.IO packets). */
export function eioWsWrites(browser: HostId, eio: boolean): WsWrites {
  return {
    request: (repr) => httpRequestWrite(repr, '', 'ws-upgrade-request', browser, []),
    response: (repr) => httpResponseWrite(repr, '', 'ws-upgrade-response', browser, []),
    frame: (repr, from) => wsFrameWrite(repr, from, browser, eio),
  };
}
