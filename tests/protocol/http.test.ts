import fc from 'fast-check';
import { fromHex, toHex, utf8 } from '../../src/protocol/bytes';
import type { FieldAnnotation } from '../../src/protocol/fields';
import {
  WEBSOCKET_GUID,
  acceptComputation,
  decodeHttpRequest,
  decodeHttpResponse,
  describeHttpRequest,
  describeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  headerValue,
  upgradeRequest,
  upgradeResponse,
  websocketAccept,
  websocketKey,
  type HttpRequestRepr,
  type HttpResponseRepr,
} from '../../src/protocol/http';
import { expectTiling } from './tiling';

/** HTTP fields are whole bytes; together they tile the head (and body) exactly. */
function expectByteTiling(fields: readonly FieldAnnotation[], start: number, end: number): void {
  expect(fields.filter((f) => f.bits !== undefined)).toEqual([]);
  expectTiling(fields, start, end);
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

// Real bytes from ../shared/reference/real-ws-loopback.pcap (frames 4 and 6): a Node `ws` 8 client and server.
const CAPTURED_REQUEST = fromHex(
  '474554202f6368617420485454502f312e310d0a5365632d576562536f636b65742d56657273696f6e3a2031330d0a' +
    '5365632d576562536f636b65742d4b65793a20716b7447474d4a38457753316b55717134745a4479413d3d0d0a' +
    '436f6e6e656374696f6e3a20557067726164650d0a557067726164653a20776562736f636b65740d0a' +
    '486f73743a203132372e302e302e313a31383038310d0a0d0a',
);
const CAPTURED_RESPONSE = fromHex(
  '485454502f312e312031303120537769746368696e672050726f746f636f6c730d0a557067726164653a20776562736f636b65740d0a' +
    '436f6e6e656374696f6e3a20557067726164650d0a5365632d576562536f636b65742d4163636570743a20' +
    '64483750594e2f79354d5575754c7366442b6941725539396776453d0d0a0d0a',
);

describe('Sec-WebSocket-Accept (RFC 6455 §1.3, §4.2.2)', () => {
  it('gives the RFC 6455 §1.3 accept for the sample key', () => {
    expect(websocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('shows each step of the computation with the SHA-1 the RFC prints', () => {
    const steps = acceptComputation('dGhlIHNhbXBsZSBub25jZQ==');
    expect(steps.key).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(steps.guid).toBe('258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(WEBSOCKET_GUID).toBe(steps.guid);
    expect(steps.concatenated).toBe('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    // RFC 6455 §1.3 lists the digest as 0xb3 0x7a 0x4f 0x2c ... 0xea.
    expect(toHex(steps.sha1, '')).toBe('b37a4f2cc0624f1690f64606cf385945b2bec4ea');
    expect(steps.accept).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('matches the accept a real ws server sent for its client key', () => {
    expect(websocketAccept('qktGGMJ8EwS1kUqq4tZDyA==')).toBe('dH7PYN/y5MUuuLsfD+iArU99gvE=');
  });

  it('encodes the 16-byte nonce as base64: "the sample nonce" is the RFC sample key', () => {
    expect(websocketKey(utf8('the sample nonce'))).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(websocketKey(new Uint8Array(16).fill(0xff))).toBe('/////////////////////w==');
    expect(() => websocketKey(new Uint8Array(15))).toThrow(RangeError);
    expect(() => websocketKey(new Uint8Array(17))).toThrow(RangeError);
  });
});

describe('upgrade handshake builders', () => {
  it('builds the client handshake in RFC 6455 §1.3 order', () => {
    const req = upgradeRequest({
      host: 'server.example.com',
      path: '/chat',
      key: 'dGhlIHNhbXBsZSBub25jZQ==',
      origin: 'http://example.com',
      extraHeaders: [['Sec-WebSocket-Protocol', 'chat, superchat']],
    });
    expect(latin1(encodeHttpRequest(req))).toBe(
      'GET /chat HTTP/1.1\r\n' +
        'Host: server.example.com\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Origin: http://example.com\r\n' +
        'Sec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Protocol: chat, superchat\r\n' +
        '\r\n',
    );
    expect(describeHttpRequest(req)).toBe('GET /chat HTTP/1.1 (Upgrade: websocket)');
  });

  it('leaves Origin out when not given', () => {
    const req = upgradeRequest({ host: 'h', path: '/', key: 'k' });
    expect(req.headers.map(([n]) => n)).toEqual([
      'Host',
      'Upgrade',
      'Connection',
      'Sec-WebSocket-Key',
      'Sec-WebSocket-Version',
    ]);
  });

  it('builds the server answer byte for byte as a real ws server sent it', () => {
    const res = upgradeResponse('qktGGMJ8EwS1kUqq4tZDyA==');
    expect(toHex(encodeHttpResponse(res))).toBe(toHex(CAPTURED_RESPONSE));
    expect(describeHttpResponse(res)).toBe('HTTP/1.1 101 Switching Protocols (Upgrade: websocket)');
  });

  it('answers the RFC sample key with the RFC accept', () => {
    const res = upgradeResponse('dGhlIHNhbXBsZSBub25jZQ==');
    expect(headerValue(res.headers, 'sec-websocket-accept')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(res.status).toBe(101);
  });
});

describe('decodeHttpRequest', () => {
  it('decodes a captured ws client handshake, header order and spelling intact', () => {
    const r = decodeHttpRequest(CAPTURED_REQUEST);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr).toEqual({
      method: 'GET',
      target: '/chat',
      version: 'HTTP/1.1',
      headers: [
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Key', 'qktGGMJ8EwS1kUqq4tZDyA=='],
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
        ['Host', '127.0.0.1:18081'],
      ],
    });
    expect(r.length).toBe(CAPTURED_REQUEST.length);
    expect(r.payload.length).toBe(0);
    expect(toHex(encodeHttpRequest(r.repr))).toBe(toHex(CAPTURED_REQUEST));
  });

  it('annotates each start-line part, each header line and the blank line, tiling the head', () => {
    const r = decodeHttpRequest(CAPTURED_REQUEST);
    if (!r.ok) throw new Error(r.error.message);
    const text = latin1(CAPTURED_REQUEST);
    const at = (f: FieldAnnotation): string => text.slice(f.start, f.end);
    expect(r.fields.map((f) => [f.key, f.value, at(f)])).toEqual([
      ['method', 'GET', 'GET '],
      ['target', '/chat', '/chat '],
      ['version', 'HTTP/1.1', 'HTTP/1.1\r\n'],
      ['header:sec-websocket-version', '13', 'Sec-WebSocket-Version: 13\r\n'],
      [
        'header:sec-websocket-key',
        'qktGGMJ8EwS1kUqq4tZDyA==',
        'Sec-WebSocket-Key: qktGGMJ8EwS1kUqq4tZDyA==\r\n',
      ],
      ['header:connection', 'Upgrade', 'Connection: Upgrade\r\n'],
      ['header:upgrade', 'websocket', 'Upgrade: websocket\r\n'],
      ['header:host', '127.0.0.1:18081', 'Host: 127.0.0.1:18081\r\n'],
      ['blankLine', '\\r\\n', '\r\n'],
    ]);
    expect(r.fields.find((f) => f.key === 'header:sec-websocket-key')?.name).toBe('Sec-WebSocket-Key');
    for (const f of r.fields) {
      expect(f.layer).toBe('http');
      expect(f.meaning.length).toBeGreaterThan(10);
    }
    expectByteTiling(r.fields, 0, CAPTURED_REQUEST.length);
  });

  it('takes the body from Content-Length and reports the bytes consumed', () => {
    const body = utf8('{"a":1}');
    const req: HttpRequestRepr = {
      method: 'POST',
      target: '/socket.io/?EIO=4&transport=polling&t=abc',
      version: 'HTTP/1.1',
      headers: [
        ['Host', 'localhost:3000'],
        ['Content-Type', 'text/plain;charset=UTF-8'],
        ['Content-Length', String(body.length)],
      ],
    };
    const wire = encodeHttpRequest(req, body);
    const next = encodeHttpRequest({ ...req, headers: [['Host', 'x']] });
    const r = decodeHttpRequest(new Uint8Array([...wire, ...next]));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr).toEqual(req);
    expect(r.length).toBe(wire.length);
    expect(latin1(r.payload)).toBe('{"a":1}');
    const bodyField = r.fields.at(-1)!;
    expect([bodyField.key, bodyField.start, bodyField.end]).toEqual(['body', wire.length - 7, wire.length]);
    expectByteTiling(r.fields, 0, wire.length);
  });

  it('says incomplete while the head or the body is still arriving', () => {
    const req = encodeHttpRequest(
      { method: 'POST', target: '/', version: 'HTTP/1.1', headers: [['Content-Length', '3']] },
      utf8('abc'),
    );
    for (let n = 0; n < req.length; n++) {
      const r = decodeHttpRequest(req.subarray(0, n));
      expect(r.ok ? 'ok' : r.error.code).toBe('incomplete');
    }
    expect(decodeHttpRequest(req).ok).toBe(true);
  });

  it('trims optional whitespace around values but keeps spelling', () => {
    const r = decodeHttpRequest(ascii('GET / HTTP/1.1\r\nX-Thing:\t  a b  \r\nhOsT:x\r\n\r\n'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr.headers).toEqual([
      ['X-Thing', 'a b'],
      ['hOsT', 'x'],
    ]);
    expect(r.fields.find((f) => f.key === 'header:x-thing')?.meaning).toMatch(/header field/);
  });

  it.each([
    ['GET /  HTTP/1.1\r\n\r\n', 'bad-start-line', 6],
    ['GET /\r\n\r\n', 'bad-start-line', 4],
    ['G(T / HTTP/1.1\r\n\r\n', 'bad-start-line', 0],
    ['GET / HTTP/11\r\n\r\n', 'bad-start-line', 6],
    ['GET / HTTP/1.1 \r\n\r\n', 'bad-start-line', 6],
    ['GET / HTTP/1.1\r\nHost : x\r\n\r\n', 'bad-header', 16],
    ['GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n', 'bad-header', 22],
    ['GET / HTTP/1.1\r\nA: b\nc\r\n\r\n', 'bad-header', 18],
    ['GET / HTTP/1.1\r\nNoColon\r\n\r\n', 'bad-header', 16],
    ['POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\nabcd', 'bad-content-length', 41],
    ['POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'bad-content-length', 39],
    ['POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 'unsupported-transfer-encoding', 47],
  ])('rejects %j with %s at offset %i', (text, code, offset) => {
    const r = decodeHttpRequest(ascii(text));
    expect(r.ok ? 'ok' : [r.error.code, r.error.offset]).toEqual([code, offset]);
  });

  it('accepts repeated identical Content-Length values (RFC 9110 §8.6)', () => {
    const r = decodeHttpRequest(ascii('POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi'));
    if (!r.ok) throw new Error(r.error.message);
    expect(latin1(r.payload)).toBe('hi');
    expect(r.fields.map((f) => f.key)).toContain('header:content-length:2');
  });
});

describe('decodeHttpResponse', () => {
  it('decodes the captured 101 and its accept checks against the captured key', () => {
    const r = decodeHttpResponse(CAPTURED_RESPONSE);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.repr).toEqual(upgradeResponse('qktGGMJ8EwS1kUqq4tZDyA=='));
    expect(r.fields.slice(0, 3).map((f) => [f.key, f.value, f.start, f.end])).toEqual([
      ['version', 'HTTP/1.1', 0, 9],
      ['status', '101', 9, 13],
      ['reason', 'Switching Protocols', 13, 34],
    ]);
    expectByteTiling(r.fields, 0, CAPTURED_RESPONSE.length);
  });

  it('stops at the head of a 101 and leaves the WebSocket frames that follow', () => {
    const frame = fromHex('810b7365727665722070757368');
    const r = decodeHttpResponse(new Uint8Array([...CAPTURED_RESPONSE, ...frame]));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.length).toBe(CAPTURED_RESPONSE.length);
  });

  it('ignores Content-Length on 1xx, 204 and 304 (RFC 9112 §6.3) but honours it on 200', () => {
    for (const status of [101, 204, 304]) {
      const r = decodeHttpResponse(ascii(`HTTP/1.1 ${status} X\r\nContent-Length: 5\r\n\r\n`));
      expect(r.ok && r.length).toBe(37);
    }
    const ok = decodeHttpResponse(ascii('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
    if (!ok.ok) throw new Error(ok.error.message);
    expect(latin1(ok.payload)).toBe('hello');
    expect(describeHttpResponse(ok.repr)).toBe('HTTP/1.1 200 OK');
  });

  it('keeps a reason with spaces and an empty reason', () => {
    const r = decodeHttpResponse(ascii('HTTP/1.1 404 Not Found Here\r\n\r\n'));
    expect(r.ok && r.repr.reason).toBe('Not Found Here');
    const empty = decodeHttpResponse(ascii('HTTP/1.1 200 \r\n\r\n'));
    expect(empty.ok && empty.repr).toEqual({ version: 'HTTP/1.1', status: 200, reason: '', headers: [] });
  });

  it.each([
    ['HTTP/1.1 200\r\n\r\n', 'bad-start-line'],
    ['HTTP/1.1 20 OK\r\n\r\n', 'bad-start-line'],
    ['HTTP/1.1 2000 OK\r\n\r\n', 'bad-start-line'],
    ['HTTP/1.1 200 OK\r\n', 'incomplete'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort', 'incomplete'],
  ])('rejects %j with %s', (text, code) => {
    const r = decodeHttpResponse(ascii(text));
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
});

describe('encoder contracts', () => {
  const base: HttpRequestRepr = { method: 'GET', target: '/', version: 'HTTP/1.1', headers: [] };
  it.each([
    ['a header value with CR LF (header injection)', { ...base, headers: [['X', 'a\r\nEvil: 1']] }],
    ['a header name with a space', { ...base, headers: [['Bad Name', 'x']] }],
    ['a value with surrounding spaces', { ...base, headers: [['X', ' a']] }],
    ['a target with a space', { ...base, target: '/a b' }],
    ['a lower-case version', { ...base, version: 'http/1.1' }],
    ['a character beyond Latin-1', { ...base, headers: [['X', 'λ']] }],
  ] as const)('refuses %s', (_what, repr) => {
    expect(() => encodeHttpRequest(repr as HttpRequestRepr)).toThrow(RangeError);
  });

  it('refuses a body without a matching Content-Length, and a 4-digit status', () => {
    expect(() => encodeHttpRequest(base, utf8('x'))).toThrow(RangeError);
    expect(() => encodeHttpRequest({ ...base, headers: [['Content-Length', '2']] }, utf8('x'))).toThrow(
      RangeError,
    );
    const res: HttpResponseRepr = { version: 'HTTP/1.1', status: 1000, reason: '', headers: [] };
    expect(() => encodeHttpResponse(res)).toThrow(RangeError);
  });

  it('headerValue is case-insensitive and combines repeats with ", " (RFC 9110 §5.3)', () => {
    const headers = [
      ['Accept', 'a'],
      ['X', '1'],
      ['accept', 'b'],
    ] as const;
    expect(headerValue(headers, 'ACCEPT')).toBe('a, b');
    expect(headerValue(headers, 'x')).toBe('1');
    expect(headerValue(headers, 'missing')).toBeUndefined();
  });
});

const tchar = fc.constantFrom(
  ..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
);
const token = fc.array(tchar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
const vchar = fc
  .integer({ min: 0x21, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c));
const fieldValue = fc
  .array(fc.oneof(vchar, fc.constantFrom(' ', '\t')), { maxLength: 20 })
  .map((cs) => cs.join('').replace(/^[ \t]+|[ \t]+$/g, ''));
const headers = fc
  .array(fc.tuple(token, fieldValue), { maxLength: 8 })
  .map((hs) => hs.filter(([n]) => !['content-length', 'transfer-encoding'].includes(n.toLowerCase())));
const version = fc
  .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))
  .map(([a, b]) => `HTTP/${a}.${b}`);

describe('properties', () => {
  it('any well-formed request round-trips with its body', () => {
    fc.assert(
      fc.property(
        token,
        fc.array(vchar, { minLength: 1, maxLength: 30 }),
        version,
        headers,
        fc.uint8Array({ maxLength: 64 }),
        (method, target, v, hs, body) => {
          const repr: HttpRequestRepr = {
            method,
            target: target.join(''),
            version: v,
            headers: body.length > 0 ? [...hs, ['Content-Length', String(body.length)]] : hs,
          };
          const wire = encodeHttpRequest(repr, body);
          const r = decodeHttpRequest(wire);
          if (!r.ok) throw new Error(r.error.message);
          expect(r.repr).toEqual(repr);
          expect(toHex(r.payload)).toBe(toHex(body));
          expect(r.length).toBe(wire.length);
          expectByteTiling(r.fields, 0, wire.length);
        },
      ),
    );
  });

  it('any well-formed response round-trips', () => {
    fc.assert(
      fc.property(
        version,
        fc.integer({ min: 100, max: 999 }),
        fieldValue,
        headers,
        (v, status, reason, hs) => {
          const repr: HttpResponseRepr = { version: v, status, reason, headers: hs };
          const r = decodeHttpResponse(encodeHttpResponse(repr));
          if (!r.ok) throw new Error(r.error.message);
          expect(r.repr).toEqual(repr);
        },
      ),
    );
  });

  it('no bytes make the decoders throw', () => {
    const prefixes = [
      '',
      'GET / HTTP/1.1\r\n',
      'HTTP/1.1 200 OK\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 4\r\n',
    ];
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 200, size: 'max' }),
      fc
        .array(fc.constantFrom('\r', '\n', ' ', ':', 'a', 'GET', 'HTTP/1.1', '\t', '9', ','), {
          maxLength: 40,
          size: 'max',
        })
        .map((p) => ascii(p.join(''))),
    );
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), noise, (prefix, tail) => {
        const bytes = new Uint8Array([...ascii(prefix), ...tail]);
        for (const r of [decodeHttpRequest(bytes), decodeHttpResponse(bytes)]) {
          if (r.ok) expect(r.length).toBeLessThanOrEqual(bytes.length);
          else expect(typeof r.error.code).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });
});
