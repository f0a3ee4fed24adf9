/**
 * HTTP/1.1 message heads (RFC 9112) and the WebSocket opening handshake (RFC 6455 §4).
 *
 * A head is text in bytes: a start line, header lines, a blank line, then the body. Header order and
 * spelling are kept exactly, because the inspector shows them as sent. Text is read as Latin-1 so
 * that one character is one byte and string offsets are byte offsets (RFC 9110 §5.5: field values
 * are octets; anything above 0x7f is opaque obs-text).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { base64, concatBytes, utf8 } from './bytes';
import { fail, type DecodeResult, type FieldAnnotation } from './fields';

export type HttpHeaders = readonly (readonly [string, string])[];

export interface HttpRequestRepr {
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly headers: HttpHeaders;
}

export interface HttpResponseRepr {
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: HttpHeaders;
}

/** RFC 6455 §1.3: the fixed GUID a server appends to the client's key. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const CRLF = '\r\n';
const HEAD_END = CRLF + CRLF;
const HEADER_SEPARATOR = ': ';

/**
 * One part of a start line: its key, what it means, and the delimiter that ends it on the wire.
 * The encoder joins parts with these delimiters; the decoder splits on them and annotates each part
 * together with its delimiter, so the start line is tiled exactly by its parts.
 */
interface StartLinePart {
  readonly key: string;
  readonly name: string;
  readonly delimiter: string;
  readonly pattern: RegExp;
  readonly meaning: string;
}

// RFC 9110 §5.6.2: token = 1*tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9112 §3.2: request-target has no whitespace or control characters.
const TARGET = /^[\x21-\x7e\x80-\xff]+$/;
// RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT.
const VERSION = /^HTTP\/[0-9]\.[0-9]$/;
// RFC 9112 §4: status-code = 3DIGIT.
const STATUS = /^[0-9]{3}$/;
// RFC 9112 §4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ).
const REASON = /^[\t\x20-\x7e\x80-\xff]*$/;
// RFC 9110 §5.5: field-value = *field-content, no CR, LF or NUL (other CTLs are rejected too).
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// RFC 9110 §5.6.3: optional whitespace around a field value.
const OWS = /^[ \t]+|[ \t]+$/g;

const VERSION_PART: Omit<StartLinePart, 'delimiter'> = {
  key: 'version',
  name: 'HTTP version',
  pattern: VERSION,
  // RFC 9112 §2.3 (HTTP-version); RFC 6455 §4.1 item 2: the version MUST be at least 1.1.
  meaning: 'Which version of HTTP this message speaks; WebSocket upgrades need HTTP/1.1.',
};

/** RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF. */
const REQUEST_LINE: readonly StartLinePart[] = [
  {
    key: 'method',
    name: 'Method',
    delimiter: ' ',
    pattern: TOKEN,
    // RFC 9110 §9.1 (method); RFC 6455 §4.1 item 2: the method MUST be GET.
    meaning: 'What the client asks the server to do; a WebSocket handshake is always GET.',
  },
  {
    key: 'target',
    name: 'Request target',
    delimiter: ' ',
    pattern: TARGET,
    // RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ].
    meaning: 'Which resource on the server the request is for (the path and query of the URL).',
  },
  { ...VERSION_PART, delimiter: CRLF },
];

/** RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF. */
const STATUS_LINE: readonly StartLinePart[] = [
  { ...VERSION_PART, delimiter: ' ' },
  {
    key: 'status',
    name: 'Status code',
    delimiter: ' ',
    pattern: STATUS,
    // RFC 9110 §15: the five classes; §15.2.2: 101 Switching Protocols.
    meaning:
      'Three digits telling the outcome: 1xx informational (101 = switching protocols), 2xx success, 3xx redirection, 4xx client error, 5xx server error.',
  },
  {
    key: 'reason',
    name: 'Reason phrase',
    delimiter: CRLF,
    pattern: REASON,
    // RFC 9112 §4: a client SHOULD ignore the reason-phrase content.
    meaning: 'Words for people; programs go by the status code only.',
  },
];

const HEADER_MEANINGS: { readonly [lowerCaseName: string]: string } = {
  // RFC 9110 §7.2 (Host = uri-host [ ":" port ]); RFC 9112 §3.2: a client MUST send Host in every HTTP/1.1 request.
  host: 'Which server (name, and port if not the default) the client wants; required in every HTTP/1.1 request.',
  // RFC 9110 §7.8; RFC 6455 §4.1 item 5 and §4.2.2 item 5.2.
  upgrade: 'The protocol to switch this connection to: websocket.',
  // RFC 9110 §7.6.1 (hop-by-hop options) and §7.8 (a sender of Upgrade also sends Connection: upgrade).
  connection: 'Options for this hop only; Upgrade means this connection is about to change protocol.',
  // RFC 6455 §4.1 item 7: a randomly selected 16-byte value, base64-encoded; §4.2.2 item 5.4.
  'sec-websocket-key':
    'A random 16-byte value in base64, chosen by the client; the server must answer with a value derived from it.',
  // RFC 6455 §4.1 item 9: the value MUST be 13.
  'sec-websocket-version': 'The WebSocket protocol version; 13 is RFC 6455.',
  // RFC 6455 §4.2.2 item 5.4 (the computation) and §1.3 (the server proves it received the handshake).
  'sec-websocket-accept':
    'base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)): proves the server understood the WebSocket handshake.',
  // RFC 6455 §4.1 item 10 and §4.2.2 item 5.5.
  'sec-websocket-protocol': 'Subprotocols the client offers, or the one the server picked.',
  // RFC 6455 §9.1; RFC 7692 §5 (permessage-deflate).
  'sec-websocket-extensions':
    'Extensions the client offers, or those the server accepted, such as permessage-deflate compression.',
  // RFC 6454 §7 (the Origin header); RFC 6455 §4.1 item 8 and §10.2 (the server may refuse an origin).
  origin:
    'The page (scheme, host, port) whose script opened the connection; the server may refuse foreign origins.',
  'content-length': 'How many bytes of body follow the blank line.', // RFC 9110 §8.6
  'content-type': 'What kind of data the body holds.', // RFC 9110 §8.3
  'transfer-encoding': 'How the body is framed instead of Content-Length (for example chunked).', // RFC 9112 §6.1
  'user-agent': 'Which program sent the request.', // RFC 9110 §10.1.5
  accept: 'Which kinds of response the client can use.', // RFC 9110 §12.5.1
  'cache-control': 'Whether and how long the message may be cached.', // RFC 9111 §5.2
  pragma: 'An HTTP/1.0 caching hint.', // RFC 9111 §5.4
  // RFC 6265 §5.4: only the cookies whose domain, path and flags match the request.
  cookie: 'Cookies the browser stored for this server, sent back with its requests to it.',
  'set-cookie': 'A cookie the server asks the browser to store.', // RFC 6265 §4.1
  date: 'When the message was generated.', // RFC 9110 §6.6.1
  server: 'Which software answered.', // RFC 9110 §10.2.4
  // RFC 2068 §19.7.1.1 (HTTP/1.0 persistent connections; the timeout parameter).
  'keep-alive': 'How long an idle connection stays open.',
  // WHATWG Fetch §3.2.3 (HTTP responses of the CORS protocol).
  'access-control-allow-origin': 'Which page origins may read this response (CORS).',
};

// RFC 9110 §5 (fields: name, colon, value).
const GENERIC_HEADER_MEANING = 'A header field: extra information about the message, as name: value.';

function latin1Decode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function latin1Encode(text: string, what: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff)
      // RFC 9110 §5.5: field values are octets; one character must fit one byte.
      throw new RangeError(`${what}: character U+${c.toString(16)} cannot be sent in an HTTP head`);
    out[i] = c;
  }
  return out;
}

/** RFC 9110 §5.3: repeated fields are combined into one comma-separated value; names are case-insensitive. */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

function encodeHead(parts: readonly string[], line: readonly StartLinePart[], headers: HttpHeaders): string {
  let head = '';
  line.forEach((part, i) => {
    const value = parts[i] ?? '';
    if (!part.pattern.test(value))
      // RFC 9112 §3 and §4: the grammar of the start line.
      throw new RangeError(`HTTP ${part.name} is malformed: ${JSON.stringify(value)}`);
    head += value + part.delimiter;
  });
  for (const [name, value] of headers) {
    // RFC 9110 §5.1: a field name is a token.
    if (!TOKEN.test(name)) throw new RangeError(`HTTP header name is malformed: ${JSON.stringify(name)}`);
    if (!FIELD_VALUE.test(value) || value !== value.replace(OWS, '')) {
      // RFC 9110 §5.5: no CR, LF or NUL in a value, and no whitespace at its ends.
      throw new RangeError(`HTTP header ${name} has a malformed value: ${JSON.stringify(value)}`);
    }
    head += name + HEADER_SEPARATOR + value + CRLF;
  }
  return head + CRLF;
}

/**
 * The encoder does not invent headers: a body must come with a matching Content-Length
 * (RFC 9112 §6.2), otherwise no reader could find where it ends.
 */
function checkBody(headers: HttpHeaders, body: Uint8Array): void {
  if (body.length === 0) return;
  const declared = headerValue(headers, 'Content-Length');
  if (declared !== String(body.length)) {
    throw new RangeError(`HTTP body of ${body.length} bytes needs Content-Length: ${body.length}`); // RFC 9112 §6.2
  }
}

export function encodeHttpRequest(repr: HttpRequestRepr, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkBody(repr.headers, body);
  const head = encodeHead([repr.method, repr.target, repr.version], REQUEST_LINE, repr.headers);
  return concatBytes(latin1Encode(head, 'HTTP request'), body);
}

export function encodeHttpResponse(repr: HttpResponseRepr, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkBody(repr.headers, body);
  const head = encodeHead([repr.version, String(repr.status), repr.reason], STATUS_LINE, repr.headers);
  return concatBytes(latin1Encode(head, 'HTTP response'), body);
}

interface ParsedHead {
  readonly parts: readonly string[];
  readonly headers: HttpHeaders;
  readonly fields: FieldAnnotation[];
  /** Offset of the first body byte. */
  readonly bodyStart: number;
}

type HeadResult = { readonly ok: true; readonly head: ParsedHead } | ReturnType<typeof fail>;

function parseHead(bytes: Uint8Array, line: readonly StartLinePart[], what: string): HeadResult {
  const text = latin1Decode(bytes);
  const headEnd = text.indexOf(HEAD_END);
  // RFC 9112 §2.1: the head ends with an empty line.
  if (headEnd < 0)
    return fail('incomplete', `${what} head is not complete (no blank line yet)`, bytes.length);
  const fields: FieldAnnotation[] = [];

  const lineEnd = text.indexOf(CRLF);
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < line.length; i++) {
    const part = line[i]!;
    const last = i === line.length - 1;
    const stop = last ? lineEnd : text.indexOf(part.delimiter, at);
    // RFC 9112 §3 and §4: the parts of the start line are separated by single spaces.
    if (stop < 0 || stop > lineEnd)
      return fail('bad-start-line', `${what}: ${part.name} is not followed by a space`, at);
    const value = text.slice(at, stop);
    if (!part.pattern.test(value)) {
      return fail(
        'bad-start-line',
        `${what}: malformed ${part.name} ${JSON.stringify(value.slice(0, 40))}`,
        at,
      );
    }
    const end = stop + part.delimiter.length;
    fields.push({
      layer: 'http',
      key: part.key,
      name: part.name,
      start: at,
      end,
      value,
      meaning: part.meaning,
    });
    parts.push(value);
    at = end;
  }

  const headers: (readonly [string, string])[] = [];
  const seen = new Map<string, number>();
  while (at < headEnd + CRLF.length) {
    const stop = text.indexOf(CRLF, at);
    const raw = text.slice(at, stop);
    const colon = raw.indexOf(':');
    // RFC 9112 §5.1: no whitespace between name and colon; §5.2: obs-fold continuation lines are rejected.
    if (colon <= 0) return fail('bad-header', `${what}: header line without a name and colon`, at);
    const name = raw.slice(0, colon);
    if (!TOKEN.test(name))
      return fail('bad-header', `${what}: malformed header name ${JSON.stringify(name)}`, at);
    const rawValue = raw.slice(colon + 1);
    if (!FIELD_VALUE.test(rawValue)) {
      // RFC 9110 §5.5: no CR, LF or NUL in a field value.
      return fail('bad-header', `${what}: header ${name} holds a control character`, at + colon + 1);
    }
    const value = rawValue.replace(OWS, '');
    const lower = name.toLowerCase();
    const count = (seen.get(lower) ?? 0) + 1;
    seen.set(lower, count);
    fields.push({
      layer: 'http',
      key: count === 1 ? `header:${lower}` : `header:${lower}:${count}`,
      name,
      start: at,
      end: stop + CRLF.length,
      value,
      meaning: HEADER_MEANINGS[lower] ?? GENERIC_HEADER_MEANING,
    });
    headers.push([name, value]);
    at = stop + CRLF.length;
  }
  fields.push({
    layer: 'http',
    key: 'blankLine',
    name: 'Blank line',
    start: at,
    end: at + CRLF.length,
    value: '\\r\\n',
    meaning: 'An empty line (CR LF) ends the head; whatever follows is the body.', // RFC 9112 §2.1
  });
  return { ok: true, head: { parts, headers, fields, bodyStart: at + CRLF.length } };
}

/**
 * RFC 9112 §6.3: the body length comes from Content-Length (repeated identical values are allowed,
 * §8.6 of RFC 9110). Transfer-Encoding framing is not modelled, so it is reported, not guessed.
 */
function bodyLength(
  headers: HttpHeaders,
  offset: number,
): { ok: true; length: number } | ReturnType<typeof fail> {
  if (headerValue(headers, 'Transfer-Encoding') !== undefined) {
    // RFC 9112 §6.1: Transfer-Encoding framing, which this decoder does not model (src/capture/decode/http.ts does).
    return fail('unsupported-transfer-encoding', 'Transfer-Encoding bodies are not supported', offset);
  }
  const declared = headerValue(headers, 'Content-Length');
  if (declared === undefined) return { ok: true, length: 0 };
  const values = new Set(declared.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^[0-9]{1,15}$/.test(only)) {
    // RFC 9110 §8.6: Content-Length = 1*DIGIT; differing repeated values are an error.
    return fail(
      'bad-content-length',
      `Content-Length ${JSON.stringify(declared.slice(0, 40))} is not one number`,
      offset,
    );
  }
  return { ok: true, length: Number(only) };
}

function withBody<R>(
  bytes: Uint8Array,
  repr: R,
  head: ParsedHead,
  length: number,
  what: string,
): DecodeResult<R> {
  const end = head.bodyStart + length;
  if (bytes.length < end) {
    // RFC 9112 §6.2: the body is exactly Content-Length bytes.
    return fail(
      'incomplete',
      `${what} body needs ${length} bytes, ${bytes.length - head.bodyStart} there`,
      bytes.length,
    );
  }
  const fields = [...head.fields];
  if (length > 0) {
    fields.push({
      layer: 'http',
      key: 'body',
      name: 'Body',
      start: head.bodyStart,
      end,
      value: `${length} bytes`,
      meaning: 'The content carried by the message; Content-Length says how long it is.', // RFC 9112 §6.2
    });
  }
  return { ok: true, repr, payload: bytes.subarray(head.bodyStart, end), fields, length: end };
}

/**
 * Both decoders: the head (start line split by `startLine`, headers), then the body Content-Length
 * frames, unless `bodiless` says this message never has one.
 */
function decodeMessage<R extends { readonly headers: HttpHeaders }>(
  bytes: Uint8Array,
  startLine: readonly StartLinePart[],
  what: string,
  toRepr: (parts: readonly string[], headers: HttpHeaders) => R,
  bodiless: (repr: R) => boolean,
): DecodeResult<R> {
  const parsed = parseHead(bytes, startLine, what);
  if (!parsed.ok) return parsed;
  const { head } = parsed;
  const repr = toRepr(head.parts, head.headers);
  const body = bodiless(repr) ? { ok: true as const, length: 0 } : bodyLength(head.headers, head.bodyStart);
  if (!body.ok) return body;
  return withBody(bytes, repr, head, body.length, what);
}

export function decodeHttpRequest(bytes: Uint8Array): DecodeResult<HttpRequestRepr> {
  return decodeMessage(
    bytes,
    REQUEST_LINE,
    'HTTP request',
    ([method = '', target = '', version = ''], headers) => ({ method, target, version, headers }),
    () => false,
  );
}

export function decodeHttpResponse(bytes: Uint8Array): DecodeResult<HttpResponseRepr> {
  return decodeMessage(
    bytes,
    STATUS_LINE,
    'HTTP response',
    ([version = '', statusText = '', reason = ''], headers) => ({
      version,
      status: Number(statusText),
      reason,
      headers,
    }),
    // RFC 9112 §6.3: 1xx, 204 and 304 responses never have a body, whatever the headers say.
    ({ status }) => status < 200 || status === 204 || status === 304,
  );
}

/**
 * The head alone (start line, headers, blank line), for readers that frame the body themselves: chunked
 * transfer coding and read-until-close (RFC 9112 §6.3, src/capture/decode/http.ts). `length` is the head's
 * length and `payload` is empty. Pass just the head's bytes: the text is scanned to the first blank line.
 */
export function decodeHttpRequestHead(bytes: Uint8Array): DecodeResult<HttpRequestRepr> {
  const parsed = parseHead(bytes, REQUEST_LINE, 'HTTP request');
  if (!parsed.ok) return parsed;
  const [method = '', target = '', version = ''] = parsed.head.parts;
  return headOnly({ method, target, version, headers: parsed.head.headers }, parsed.head);
}

export function decodeHttpResponseHead(bytes: Uint8Array): DecodeResult<HttpResponseRepr> {
  const parsed = parseHead(bytes, STATUS_LINE, 'HTTP response');
  if (!parsed.ok) return parsed;
  const [version = '', statusText = '', reason = ''] = parsed.head.parts;
  return headOnly({ version, status: Number(statusText), reason, headers: parsed.head.headers }, parsed.head);
}

function headOnly<R>(repr: R, head: ParsedHead): DecodeResult<R> {
  return { ok: true, repr, payload: new Uint8Array(0), fields: head.fields, length: head.bodyStart };
}

/** RFC 6455 §4.1: the key is 16 random bytes, base64-encoded (always 24 characters). */
export function websocketKey(random16: Uint8Array): string {
  if (random16.length !== 16)
    // RFC 6455 §4.1 item 7: the nonce is 16 bytes.
    throw new RangeError(`Sec-WebSocket-Key needs 16 bytes, got ${random16.length}`);
  return base64(random16);
}

export function acceptComputation(key: string): {
  readonly key: string;
  readonly guid: string;
  readonly concatenated: string;
  readonly sha1: Uint8Array;
  readonly accept: string;
} {
  // RFC 6455 §4.2.2 item 5.4: SHA-1 over the key as sent (not decoded) followed by the GUID.
  const concatenated = key + WEBSOCKET_GUID;
  const digest = sha1(utf8(concatenated));
  return { key, guid: WEBSOCKET_GUID, concatenated, sha1: digest, accept: base64(digest) };
}

export function websocketAccept(key: string): string {
  return acceptComputation(key).accept;
}

/**
 * RFC 6455 §4.1: the client's opening handshake, fixed headers in the order of the §1.3 example
 * (Origin, when given, after the key), then any extra headers.
 */
export function upgradeRequest(o: {
  readonly host: string;
  readonly path: string;
  readonly key: string;
  readonly origin?: string;
  readonly extraHeaders?: HttpHeaders;
}): HttpRequestRepr {
  const headers: (readonly [string, string])[] = [
    ['Host', o.host],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', o.key],
  ];
  if (o.origin !== undefined) headers.push(['Origin', o.origin]);
  headers.push(['Sec-WebSocket-Version', '13']);
  headers.push(...(o.extraHeaders ?? []));
  return { method: 'GET', target: o.path, version: 'HTTP/1.1', headers };
}

/** RFC 6455 §4.2.2: the server's answer, in the order the §1.3 example (and the `ws` library) sends it. */
export function upgradeResponse(key: string): HttpResponseRepr {
  return {
    version: 'HTTP/1.1',
    status: 101,
    reason: 'Switching Protocols',
    headers: [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', websocketAccept(key)],
    ],
  };
}

function upgradeNote(headers: HttpHeaders): string {
  const upgrade = headerValue(headers, 'Upgrade');
  return upgrade === undefined ? '' : ` (Upgrade: ${upgrade})`;
}

/** 'GET /chat HTTP/1.1 (Upgrade: websocket)', as Wireshark's Info column plus the upgrade. */
export function describeHttpRequest(r: HttpRequestRepr): string {
  return `${r.method} ${r.target} ${r.version}${upgradeNote(r.headers)}`;
}

/** 'HTTP/1.1 101 Switching Protocols (Upgrade: websocket)'. */
export function describeHttpResponse(r: HttpResponseRepr): string {
  return `${r.version} ${r.status} ${r.reason}${upgradeNote(r.headers)}`;
}
