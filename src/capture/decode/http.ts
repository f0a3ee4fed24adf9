/**
 * HTTP/1.1 (RFC 9112) on one connection: requests from the client in order, responses from the server in
 * the same order (a keep-alive connection carries several), bodies framed by Content-Length or the chunked
 * transfer coding, or read until the server closes (§6.3). Engine.IO long-polling bodies are read as
 * Engine.IO payloads. After `101 Switching Protocols` the rest of both directions is WebSocket frames.
 */
import { inflate } from 'pako';
import { lossyUtf8, strictUtf8 } from '../../protocol/bytes';
import type { FieldAnnotation } from '../../protocol/fields';
import {
  decodeHttpRequestHead,
  decodeHttpResponseHead,
  describeHttpRequest,
  describeHttpResponse,
  headerValue,
  websocketAccept,
  type HttpHeaders,
  type HttpRequestRepr,
} from '../../protocol/http';
import type { CaptureProblem } from '../model';
import { gapIn, type Channel, type Decoding } from './context';
import { engineIoTransport, engineIoVersion, readEngineIo } from './engineio';
import { clientAcceptDeflate, parseExtensions, PERMESSAGE_DEFLATE } from '../../protocol/wsExtensions';
import { decodeWebSocket } from './websocket';

/** A head longer than this is not HTTP (Node's default max header size is 16 KiB; Chrome's 256 KiB). */
const MAX_HEAD = 256 * 1024;
/** Bodies are kept as text up to this size; the rest is cut (the byte range still covers all of it). */
const MAX_BODY_TEXT = 256 * 1024;

/** Offset just past the blank line ending a head that starts at `from`, or -1 (none within MAX_HEAD). */
function headEnd(bytes: Uint8Array, from: number): number {
  const stop = Math.min(bytes.length, from + MAX_HEAD);
  for (let i = from; i + 3 < stop; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a && bytes[i + 2] === 0x0d && bytes[i + 3] === 0x0a)
      return i + 4;
  }
  return -1;
}

type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' }
  | { readonly kind: 'bad'; readonly message: string };

/** RFC 9112 §6.3, in its order: transfer coding first, then Content-Length, then (responses) until close. */
function framing(headers: HttpHeaders, isResponse: boolean): Framing {
  const te = headerValue(headers, 'Transfer-Encoding');
  if (te !== undefined) {
    const codings = te.split(',').map((c) => c.trim().toLowerCase());
    if (codings[codings.length - 1] === 'chunked') return { kind: 'chunked' };
    // §6.3 item 4: a response whose final coding is not chunked runs until close; a request is an error.
    return isResponse
      ? { kind: 'close' }
      : { kind: 'bad', message: `Transfer-Encoding ${te} does not end in chunked` };
  }
  const cl = headerValue(headers, 'Content-Length');
  if (cl !== undefined) {
    const values = new Set(cl.split(',').map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || only === undefined || !/^[0-9]{1,15}$/.test(only)) {
      return { kind: 'bad', message: `Content-Length ${JSON.stringify(cl.slice(0, 40))} is not one number` };
    }
    return { kind: 'length', length: Number(only) };
  }
  return isResponse ? { kind: 'close' } : { kind: 'none' };
}

type Body =
  | { readonly ok: true; readonly end: number; readonly data: Uint8Array; readonly fields: FieldAnnotation[] }
  | { readonly ok: false; readonly incomplete: boolean; readonly message: string; readonly at: number };

/** RFC 9112 §7.1: chunk-size [ext] CRLF data CRLF … 0 CRLF trailers CRLF. */
function readChunked(bytes: Uint8Array, from: number): Body {
  const parts: Uint8Array[] = [];
  const fields: FieldAnnotation[] = [];
  let at = from;
  let total = 0;
  for (;;) {
    let eol = -1;
    for (let i = at; i + 1 < bytes.length && i < at + 1024; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        eol = i;
        break;
      }
    }
    if (eol < 0)
      return {
        ok: false,
        incomplete: bytes.length - at < 1024,
        message: 'a chunk size line is not complete',
        at,
      };
    const line = lossyUtf8(bytes.subarray(at, eol));
    const m = /^([0-9a-fA-F]{1,8})[ \t]*(;.*)?$/.exec(line);
    if (!m)
      return {
        ok: false,
        incomplete: false,
        message: `chunk size ${JSON.stringify(line.slice(0, 20))} is not hex`,
        at,
      };
    const size = parseInt(m[1]!, 16);
    fields.push({
      layer: 'http',
      key: `chunkSize:${fields.length}`,
      name: 'Chunk size',
      start: at,
      end: eol + 2,
      value: `${size} bytes`,
      meaning: 'Chunked transfer coding (RFC 9112 §7.1): the size of the next chunk in hex; 0 ends the body.',
    });
    at = eol + 2;
    if (size === 0) {
      // Trailer section, then the final CRLF.
      const end = bytes[at] === 0x0d && bytes[at + 1] === 0x0a ? at + 2 : headEnd(bytes, at);
      if (end < 0 || end > bytes.length)
        return { ok: false, incomplete: true, message: 'the chunked body has no final CRLF', at };
      const data = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        data.set(p, o);
        o += p.length;
      }
      return { ok: true, end, data, fields };
    }
    if (at + size + 2 > bytes.length) {
      return { ok: false, incomplete: true, message: `a chunk of ${size} bytes is cut off`, at };
    }
    parts.push(bytes.subarray(at, at + size));
    total += size;
    at += size + 2;
  }
}

function readBody(ch: Channel, from: number, f: Framing): Body {
  const bytes = ch.bytes;
  switch (f.kind) {
    case 'none':
      return { ok: true, end: from, data: new Uint8Array(0), fields: [] };
    case 'bad':
      return { ok: false, incomplete: false, message: f.message, at: from };
    case 'length':
      if (from + f.length > bytes.length) {
        return {
          ok: false,
          incomplete: true,
          message: `the body needs ${f.length} bytes (Content-Length), the capture holds ${bytes.length - from}`,
          at: bytes.length,
        };
      }
      return {
        ok: true,
        end: from + f.length,
        data: bytes.subarray(from, from + f.length),
        fields:
          f.length > 0
            ? [
                {
                  layer: 'http',
                  key: 'body',
                  name: 'Body',
                  start: from,
                  end: from + f.length,
                  value: `${f.length} bytes`,
                  meaning:
                    'The content carried by the message; Content-Length says how long it is (RFC 9112 §6.2).',
                },
              ]
            : [],
      };
    case 'chunked':
      return readChunked(bytes, from);
    case 'close':
      return {
        ok: true,
        end: bytes.length,
        data: bytes.subarray(from),
        fields:
          bytes.length > from
            ? [
                {
                  layer: 'http',
                  key: 'body',
                  name: 'Body',
                  start: from,
                  end: bytes.length,
                  value: `${bytes.length - from} bytes`,
                  meaning:
                    'No Content-Length and no chunked coding: the body runs until the server closes the connection (RFC 9112 §6.3 item 8).',
                },
              ]
            : [],
      };
  }
}

/** The body as text: decompressed when Content-Encoding says gzip/deflate (pako), text when it is UTF-8. */
function bodyText(headers: HttpHeaders, data: Uint8Array): { text: string; note?: string } {
  let bytes = data;
  const ce = headerValue(headers, 'Content-Encoding')?.trim().toLowerCase();
  if (data.length > 0 && (ce === 'gzip' || ce === 'deflate' || ce === 'x-gzip')) {
    try {
      bytes = inflate(data);
    } catch {
      return {
        text: `(${data.length} bytes, ${ce}-encoded, could not be decompressed)`,
        note: `the ${ce} body could not be decompressed`,
      };
    }
  }
  const clipped = bytes.length > MAX_BODY_TEXT ? bytes.subarray(0, MAX_BODY_TEXT) : bytes;
  const text = strictUtf8(clipped) ?? (bytes.length > MAX_BODY_TEXT ? lossyUtf8(clipped) : null);
  if (text === null) {
    const type = headerValue(headers, 'Content-Type') ?? 'no Content-Type';
    return { text: `(${bytes.length} bytes of ${type}, not text)` };
  }
  return bytes.length > MAX_BODY_TEXT
    ? { text: text + '…', note: `body cut to ${MAX_BODY_TEXT} bytes for display` }
    : { text };
}

interface Request {
  readonly repr: HttpRequestRepr;
  readonly upgrade: boolean;
  readonly transport: 'polling' | 'websocket' | null;
}

/**
 * Read one HTTP message head+body at `at`. Returns the new offset, or null when reading must stop
 * (the reason is already reported).
 */
function readMessage(
  d: Decoding,
  ch: Channel,
  at: number,
  request: Request | null,
): { next: number; request?: Request; status?: number; headers?: HttpHeaders } | null {
  const bytes = ch.bytes;
  const end = headEnd(bytes, at);
  const gapLimit = gapIn(ch, at, end < 0 ? bytes.length : end);
  const what = ch.from === 'client' ? 'request' : 'response';
  if (gapLimit) {
    d.problem(
      'tcp-gap',
      `An HTTP ${what} from the ${ch.from} meets a gap in the capture (stream bytes ${gapLimit[0]}–${gapLimit[1]}); the rest is not decoded.`,
      'error',
      { ch, offset: gapLimit[0] },
    );
    return null;
  }
  if (end < 0) {
    const partial = bytes.length - at < MAX_HEAD;
    d.problem(
      partial ? 'http-incomplete' : 'http-bad-head',
      partial
        ? `The capture ends inside an HTTP ${what} head from the ${ch.from} (${bytes.length - at} bytes, no blank line yet).`
        : `No blank line within ${MAX_HEAD} bytes: what the ${ch.from} sent here is not an HTTP ${what}.`,
      partial ? 'note' : 'error',
      { ch, offset: at },
    );
    return null;
  }
  const head =
    ch.from === 'client'
      ? decodeHttpRequestHead(bytes.subarray(at, end))
      : decodeHttpResponseHead(bytes.subarray(at, end));
  if (!head.ok) {
    d.problem(
      `http-${head.error.code}`,
      `Not a readable HTTP ${what} at stream byte ${at + head.error.offset}: ${head.error.message}.`,
      'error',
      { ch, offset: at + head.error.offset },
    );
    return null;
  }
  const headers = head.repr.headers;
  const problems: CaptureProblem[] = [];
  if (ch.from === 'client') {
    const repr = head.repr as HttpRequestRepr;
    const body = readBody(ch, end, framing(headers, false));
    if (!body.ok) {
      d.problem(
        body.incomplete ? 'http-incomplete' : 'http-bad-body',
        `HTTP ${repr.method} ${repr.target}: ${body.message}.`,
        body.incomplete ? 'note' : 'error',
        { ch, offset: body.at },
      );
      return null;
    }
    const upgrade =
      headerValue(headers, 'Upgrade') !== undefined &&
      /\bupgrade\b/i.test(headerValue(headers, 'Connection') ?? '');
    const transport = engineIoTransport(repr.target);
    const { text, note } = bodyText(headers, body.data);
    if (note)
      problems.push(
        d.problem('http-body', `HTTP ${repr.method} ${repr.target}: ${note}.`, 'note', { ch, offset: end }),
      );
    d.emit(
      ch,
      at,
      body.end,
      { kind: 'http-request', method: repr.method, target: repr.target, headers, body: text, upgrade },
      describeHttpRequest(repr),
      [...head.fields.map((f) => ({ ...f, start: f.start + at, end: f.end + at })), ...body.fields],
      problems,
    );
    if (transport === 'polling' && body.data.length > 0)
      engineIoMessage(d, ch, end, body.end, text, repr.target);
    return { next: body.end, request: { repr, upgrade, transport } };
  }
  const status = (head.repr as { status: number }).status;
  const reason = (head.repr as { reason: string }).reason;
  // RFC 9112 §6.3: HEAD responses, 1xx, 204 and 304 have no body; a 2xx to CONNECT is a tunnel.
  const bodiless = request?.repr.method === 'HEAD' || status < 200 || status === 204 || status === 304;
  const body = readBody(ch, end, bodiless ? { kind: 'none' } : framing(headers, true));
  if (!body.ok) {
    d.problem(
      body.incomplete ? 'http-incomplete' : 'http-bad-body',
      `HTTP ${status} ${reason}: ${body.message}.`,
      body.incomplete ? 'note' : 'error',
      { ch, offset: body.at },
    );
    return null;
  }
  const { text, note } = bodyText(headers, body.data);
  if (note)
    problems.push(d.problem('http-body', `HTTP ${status} ${reason}: ${note}.`, 'note', { ch, offset: end }));
  d.emit(
    ch,
    at,
    body.end,
    { kind: 'http-response', status, reason, headers, body: text },
    describeHttpResponse(head.repr as never),
    [...head.fields.map((f) => ({ ...f, start: f.start + at, end: f.end + at })), ...body.fields],
    problems,
  );
  // engine.io: a polling GET is answered with a payload; a POST with the text "ok" (not a payload).
  if (
    request?.transport === 'polling' &&
    request.repr.method === 'GET' &&
    status === 200 &&
    body.data.length > 0
  ) {
    engineIoMessage(d, ch, end, body.end, text, request.repr.target);
  }
  return { next: body.end, status, headers };
}

function engineIoMessage(
  d: Decoding,
  ch: Channel,
  start: number,
  end: number,
  text: string,
  target: string,
): void {
  const version = engineIoVersion(target);
  if (version !== 4) {
    d.problem(
      'engineio-version',
      `An Engine.IO polling body of protocol ${version ?? '?'} (EIO=${version ?? '?'} in ${target.slice(0, 60)}): Wirewalk reads EIO=4 (socket.io 3 and 4); EIO=3 bodies are length-prefixed and are left as HTTP.`,
      'note',
      { ch, offset: start },
    );
    return;
  }
  const eio = readEngineIo(text, 'polling');
  const problems = eio.errors.map((e) =>
    d.problem(`engineio-${e.code}`, `Engine.IO polling body from the ${ch.from}: ${e.message}.`, 'error', {
      ch,
      offset: start + e.offset,
    }),
  );
  d.emit(
    ch,
    start,
    end,
    eio.body,
    eio.summary,
    eio.fields.map((f) => ({ ...f, start: f.start + start, end: f.end + start })),
    problems,
  );
}

/**
 * The whole connection: requests and responses in turn (the n-th response answers the n-th request,
 * RFC 9112 §9.3), until the server switches protocols.
 */
export function decodeHttp(d: Decoding, client: Channel, server: Channel): void {
  let c = 0;
  let s = 0;
  const pending: Request[] = [];
  let clientDone = false;
  let serverDone = false;
  for (;;) {
    let progressed = false;
    // Requests until one asks to upgrade (what follows it depends on the answer).
    while (!clientDone) {
      const r = c < client.bytes.length ? readMessage(d, client, c, null) : null;
      if (!r?.request) {
        clientDone = true;
        break;
      }
      c = r.next;
      progressed = true;
      pending.push(r.request);
      if (r.request.upgrade) break;
    }
    // Responses to what was asked (all that is left once the client has no more).
    while (!serverDone && (pending.length > 0 || clientDone)) {
      const request = pending[0] ?? null;
      const r = s < server.bytes.length ? readMessage(d, server, s, request) : null;
      if (!r) {
        serverDone = true;
        break;
      }
      s = r.next;
      progressed = true;
      const status = r.status ?? 0;
      if (status === 101) {
        upgradeTo(d, client, c, server, s, request, r.headers ?? []);
        return;
      }
      if (status < 200) continue; // an interim response: the final one still comes (RFC 9110 §15.2)
      pending.shift();
      if (request?.upgrade) break; // the upgrade was refused: the client may go on with HTTP
    }
    if (!progressed) return;
  }
}

function upgradeTo(
  d: Decoding,
  client: Channel,
  c: number,
  server: Channel,
  s: number,
  request: Request | null,
  headers: HttpHeaders,
): void {
  const upgrade = headerValue(headers, 'Upgrade')?.toLowerCase();
  if (upgrade !== 'websocket') {
    d.problem(
      'http-upgrade',
      `The server switched to ${upgrade ?? 'an unnamed protocol'}, not WebSocket; the rest of the connection is not decoded.`,
      'note',
      { ch: server, offset: s },
    );
    return;
  }
  // RFC 6455 §4.2.2 item 5.4 and §4.1: the accept must be base64(SHA-1(key + GUID)) or the client fails the connection.
  const key = request ? headerValue(request.repr.headers, 'Sec-WebSocket-Key') : undefined;
  const accept = headerValue(headers, 'Sec-WebSocket-Accept');
  if (key !== undefined && accept !== undefined && websocketAccept(key) !== accept) {
    d.problem(
      'ws-bad-accept',
      `Sec-WebSocket-Accept ${accept} does not match the key ${key} (expected ${websocketAccept(key)}, RFC 6455 §4.2.2): a client would fail this connection.`,
      'error',
      { ch: server, offset: s - 1 },
    );
  } else if (key === undefined || accept === undefined) {
    d.problem(
      'ws-no-key',
      `The WebSocket upgrade has no ${key === undefined ? 'Sec-WebSocket-Key' : 'Sec-WebSocket-Accept'} (RFC 6455 §4.1-4.2 require both).`,
      'error',
      { ch: server, offset: s - 1 },
    );
  }
  // permessage-deflate as the browser reads the 101 (RFC 7692 §5.1, §7.1; the simulator's own reading,
  // protocol/wsExtensions.ts): only an answer to an offer in the request counts. Without the request in the
  // capture the offer is unknown, so it is taken as made.
  const offer = request ? headerValue(request.repr.headers, 'Sec-WebSocket-Extensions') : undefined;
  const offered =
    request === null || (parseExtensions(offer ?? '') ?? []).some((e) => e.name === PERMESSAGE_DEFLATE);
  const answer = clientAcceptDeflate(headerValue(headers, 'Sec-WebSocket-Extensions'), offered);
  if (!answer.ok) {
    d.problem(
      'ws-bad-extensions',
      `The 101's Sec-WebSocket-Extensions cannot be accepted: ${answer.why} (RFC 6455 §4.1, RFC 7692 §7.1), so a client would fail this connection; its frames are read without an extension.`,
      'error',
      { ch: server, offset: s - 1 },
    );
  }
  const deflate = answer.ok ? answer.params : null;
  const engineIo = request !== null && engineIoTransport(request.repr.target) === 'websocket';
  decodeWebSocket(d, client, c, { deflate, engineIo });
  decodeWebSocket(d, server, s, { deflate, engineIo });
}
