/**
 * HAR 1.2 (the HTTP Archive format, W3C Web Performance WG draft; "HAR 1.2 Spec" by Jan Odvarko), as the
 * browsers' Network panels save it. There are no packets in a HAR: each entry becomes its HTTP request and
 * response, and Chrome's WebSocket frames (its own `_webSocketMessages` field, written by DevTools'
 * front_end/models/har/Log.ts: `{type: 'send'|'receive', time, opcode, data}`, time in seconds since the
 * epoch) become `ws-frame` messages, or `engineio` ones when the entry is Engine.IO's (`EIO=` in the URL).
 * Engine.IO long-polling bodies (request.postData.text, response.content.text) are read as payloads.
 *
 * Checked against HAR 1.2's required fields (log.version, log.creator, log.entries[].startedDateTime,
 * request, response) and the types DevTools' importer (front_end/models/har/HARFormat.ts) insists on; what
 * is wrong is a problem naming the entry, and the rest is still read. Never throws.
 */
import { fromBase64, utf8, utf8Length } from '../protocol/bytes';
import { describeWsFrame } from '../protocol/websocket';
import { engineIoTransport, engineIoVersion, readEngineIo } from './decode/engineio';
import type { Capture, CapturedMessage, CaptureProblem } from './model';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Line and column (1-based) of a character offset, for a JSON error. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Where JSON text first goes wrong (RFC 8259 grammar), or -1 when it is valid. JSON.parse's messages do not
 * always say (V8 often quotes a snippet instead of a position), so the place is found here. Iterative: a
 * deeply nested garbage file cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: number[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'colon' | 'next' | 'end' = 'value';
  const after = (): 'next' | 'end' => (stack.length > 0 ? 'next' : 'end');
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const string = (from: number): number => {
    for (let j = from + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return -j - 1;
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -(j + 1) - 1;
          j += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
        else return -(j + 1) - 1;
      }
    }
    return -n - 1;
  };
  for (;;) {
    while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
    if (i >= n) return state === 'end' ? -1 : n;
    const c = text[i]!;
    switch (state) {
      case 'value':
        if (c === '{' || c === '[') {
          stack.push(c === '{' ? 0x7d : 0x5d);
          i++;
          while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
          if (text.charCodeAt(i) === stack[stack.length - 1]) {
            stack.pop();
            i++;
            state = after();
          } else state = c === '{' ? 'key' : 'value';
        } else if (c === '"') {
          const j = string(i);
          if (j < 0) return -j - 1;
          i = j;
          state = after();
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
          state = after();
        } else if (text.startsWith('false', i)) {
          i += 5;
          state = after();
        } else {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return i;
          i = NUMBER.lastIndex;
          state = after();
        }
        break;
      case 'key': {
        if (c !== '"') return i;
        const j = string(i);
        if (j < 0) return -j - 1;
        i = j;
        state = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        break;
      case 'next':
        if (c === ',') {
          i++;
          state = stack[stack.length - 1] === 0x7d ? 'key' : 'value';
        } else if (text.charCodeAt(i) === stack[stack.length - 1]) {
          stack.pop();
          i++;
          state = after();
        } else return i;
        break;
      case 'end':
        return i;
    }
  }
}

function headersOf(v: Json | undefined): (readonly [string, string])[] {
  if (!Array.isArray(v)) return [];
  const out: (readonly [string, string])[] = [];
  for (const h of v) if (isObj(h)) out.push([String(h['name'] ?? ''), String(h['value'] ?? '')]);
  return out;
}

/** request.url's path and query: what an HTTP/1.1 request line carries (RFC 9112 §3.2.1, origin-form). */
function targetOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** The response's arrival: startedDateTime plus the phases before the first byte (HAR 1.2 `timings`; -1 = not applicable). */
function responseDelay(timings: Json | undefined): number {
  if (!isObj(timings)) return 0;
  let total = 0;
  for (const k of ['blocked', 'dns', 'connect', 'send', 'wait']) {
    const v = timings[k];
    if (typeof v === 'number' && v > 0) total += v;
  }
  return total;
}

function contentText(content: Json | undefined): string | null {
  if (!isObj(content) || typeof content['text'] !== 'string') return null;
  const text = content['text'];
  if (content['encoding'] === 'base64') {
    const bytes = fromBase64(text);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }
  return text;
}

const WS_OPCODE_NAMES: { readonly [op: number]: string } = {
  1: 'text',
  2: 'binary',
  8: 'close',
  9: 'ping',
  10: 'pong',
};

export function readHar(text: string, name: string): Capture {
  const problems: CaptureProblem[] = [];
  const messages: (CapturedMessage & { readonly order: number })[] = [];
  const source = (records: number) => ({
    name,
    format: 'har' as const,
    size: utf8Length(text),
    records,
    interfaces: [],
    skipped: {},
    keyLog: 'none' as const,
  });
  const empty = (records = 0): Capture => ({
    source: source(records),
    segments: [],
    streams: [],
    messages: [],
    problems,
  });

  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const found = jsonErrorOffset(text);
    const offset = found >= 0 ? found : null;
    const where =
      offset === null
        ? ''
        : (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, offset));
    problems.push({
      code: 'bad-json',
      message: `${name} is not valid JSON${where}: ${message}. A HAR file is JSON (HAR 1.2).`,
      severity: 'error',
      ...(offset !== null ? { offset } : {}),
    });
    return empty();
  }
  const log = isObj(root) ? root['log'] : undefined;
  if (!isObj(log)) {
    problems.push({
      code: 'har-no-log',
      message: `${name} is JSON but not a HAR: it has no "log" object (HAR 1.2 §log).`,
      severity: 'error',
    });
    return empty();
  }
  const version = log['version'];
  if (typeof version !== 'string') {
    problems.push({
      code: 'har-version',
      message: `${name}: log.version is missing (HAR 1.2 requires it; Chrome writes "1.2").`,
      severity: 'note',
    });
  } else if (version !== '1.2' && version !== '1.1') {
    problems.push({
      code: 'har-version',
      message: `${name}: log.version is ${JSON.stringify(version)}; read as HAR 1.2.`,
      severity: 'note',
    });
  }
  const creator = log['creator'];
  const creatorName = isObj(creator) && typeof creator['name'] === 'string' ? creator['name'] : null;
  if (creatorName === null) {
    problems.push({
      code: 'har-creator',
      message: `${name}: log.creator.name is missing (HAR 1.2 requires log.creator).`,
      severity: 'note',
    });
  }
  const entries = log['entries'];
  if (!Array.isArray(entries)) {
    problems.push({
      code: 'har-no-entries',
      message: `${name}: log.entries is not an array (HAR 1.2 requires it).`,
      severity: 'error',
    });
    return empty();
  }

  // Times are milliseconds since the first entry started (entries need not be in order).
  const starts = entries.map((e) =>
    isObj(e) && typeof e['startedDateTime'] === 'string' ? Date.parse(e['startedDateTime']) : NaN,
  );
  const t0 = Math.min(...starts.filter((t) => !Number.isNaN(t)));
  let order = 0;
  let wsEntries = 0;
  let wsMessages = 0;
  const push = (m: CapturedMessage): void => {
    messages.push({ ...m, order: order++ });
  };

  entries.forEach((entry, i) => {
    const record = i + 1;
    const bad = (code: string, why: string, severity: 'error' | 'note' = 'error'): void => {
      problems.push({ code, message: `${name}, entry ${i + 1}: ${why}`, severity, record });
    };
    if (!isObj(entry)) return bad('har-entry', 'not an object; skipped.');
    const started = starts[i]!;
    if (Number.isNaN(started))
      return bad('har-entry', 'startedDateTime is missing or not an ISO 8601 date (HAR 1.2); skipped.');
    const request = entry['request'];
    const response = entry['response'];
    if (!isObj(request) || typeof request['method'] !== 'string' || typeof request['url'] !== 'string') {
      return bad('har-entry', 'request with method and url is missing (HAR 1.2); skipped.');
    }
    const time = started - t0;
    const method = request['method'];
    const url = request['url'];
    const target = targetOf(url);
    const httpVersion = typeof request['httpVersion'] === 'string' ? request['httpVersion'] : 'HTTP/1.1';
    const reqHeaders = headersOf(request['headers']);
    const postData =
      isObj(request['postData']) && typeof request['postData']['text'] === 'string'
        ? request['postData']['text']
        : '';
    const upgrade = reqHeaders.some(([n]) => n.toLowerCase() === 'upgrade');
    let transport = engineIoTransport(target);
    if (transport === 'polling' && engineIoVersion(target) !== 4) {
      // socket.io 2's EIO=3 polling bodies are length-prefixed (97:0{…}), not 0x1e-separated.
      bad(
        'engineio-version',
        'an Engine.IO polling request that is not EIO=4; its bodies are left as HTTP.',
        'note',
      );
      transport = null;
    }
    push({
      time,
      from: 'client',
      entry: i,
      body: { kind: 'http-request', method, target, headers: reqHeaders, body: postData, upgrade },
      summary: `${method} ${target} ${httpVersion}`,
    });
    if (transport === 'polling' && postData.length > 0) {
      const eio = readEngineIo(postData, 'polling');
      push({
        time,
        from: 'client',
        entry: i,
        body: eio.body,
        summary: eio.summary,
        ...problemsOf(eio.errors, bad),
      });
    }
    if (!isObj(response) || typeof response['status'] !== 'number') {
      return bad(
        'har-entry',
        'response with a numeric status is missing (HAR 1.2); the request alone is shown.',
      );
    }
    const status = response['status'];
    const reason = typeof response['statusText'] === 'string' ? response['statusText'] : '';
    const respTime = time + responseDelay(entry['timings']);
    const body = contentText(response['content']) ?? '';
    const respVersion = typeof response['httpVersion'] === 'string' ? response['httpVersion'] : httpVersion;
    // status 0: the browser got no response (blocked, failed); Chrome puts why in response._error.
    if (status === 0) {
      const err = typeof response['_error'] === 'string' ? `: ${response['_error']}` : '';
      bad('har-no-response', `no response was received${err}.`, 'note');
    } else {
      push({
        time: respTime,
        from: 'server',
        entry: i,
        body: { kind: 'http-response', status, reason, headers: headersOf(response['headers']), body },
        summary: `${respVersion} ${status} ${reason}`.trim(),
      });
    }
    if (transport === 'polling' && method === 'GET' && status === 200 && body.length > 0) {
      const eio = readEngineIo(body, 'polling');
      push({
        time: respTime,
        from: 'server',
        entry: i,
        body: eio.body,
        summary: eio.summary,
        ...problemsOf(eio.errors, bad),
      });
    }

    const isWs = entry['_resourceType'] === 'websocket' || status === 101;
    if (!isWs) return;
    wsEntries++;
    const frames = entry['_webSocketMessages'];
    if (!Array.isArray(frames)) {
      const firefox = creatorName?.toLowerCase().includes('firefox') ?? false;
      bad(
        'har-no-ws-messages',
        firefox
          ? 'a WebSocket, but Firefox wrote none of its messages into the HAR (its export leaves them out); save a HAR from Chrome, or a pcap, to see them.'
          : 'a WebSocket, but the HAR holds none of its messages (Chrome writes them as _webSocketMessages).',
        'note',
      );
      return;
    }
    frames.forEach((f, k) => {
      if (!isObj(f) || (f['type'] !== 'send' && f['type'] !== 'receive') || typeof f['time'] !== 'number') {
        if (isObj(f) && f['type'] === 'error') return; // Chrome records a failed frame as type 'error' (no bytes)
        return bad(
          'har-ws-message',
          `WebSocket message ${k + 1} has no type send/receive or no time; skipped.`,
        );
      }
      const opcode = typeof f['opcode'] === 'number' ? f['opcode'] : 1;
      const data = typeof f['data'] === 'string' ? f['data'] : '';
      const from = f['type'] === 'send' ? 'client' : 'server';
      const at = f['time'] * 1000 - t0;
      wsMessages++;
      // Chrome hands DevTools whole messages, after permessage-deflate and unmasking: the mask key and
      // compression are not in a HAR. A browser masks every frame it sends (RFC 6455 §5.1).
      const payload = opcode === 2 ? (fromBase64(data) ?? utf8(data)) : utf8(data);
      if (transport === 'websocket' && opcode === 1) {
        const eio = readEngineIo(data, 'websocket');
        push({
          time: at,
          from,
          entry: i,
          body: eio.body,
          summary: eio.summary,
          ...problemsOf(eio.errors, bad),
        });
        return;
      }
      const close =
        opcode === 8 && payload.length >= 2
          ? {
              closeCode: (payload[0]! << 8) | payload[1]!,
              closeReason: new TextDecoder().decode(payload.subarray(2)),
            }
          : {};
      push({
        time: at,
        from,
        entry: i,
        body: {
          kind: 'ws-frame',
          opcode,
          fin: true,
          compressed: false,
          masked: from === 'client',
          text: opcode === 2 ? new TextDecoder().decode(payload) : data,
          payloadLength: payload.length,
          ...close,
        },
        summary: WS_OPCODE_NAMES[opcode]
          ? describeWsFrame({
              fin: true,
              rsv1: false,
              rsv2: false,
              rsv3: false,
              opcode,
              maskKey: from === 'client' ? new Uint8Array(4) : null,
              payload,
            })
          : `WebSocket opcode 0x${opcode.toString(16)} (${payload.length} bytes)`,
      });
    });
  });
  if (wsEntries === 0 || wsMessages === 0) {
    problems.push({
      code: 'har-no-websocket',
      message:
        wsEntries === 0
          ? `${name} holds no WebSocket connection: only HTTP requests and responses (${entries.length} entries).`
          : `${name} holds ${wsEntries} WebSocket connection${wsEntries === 1 ? '' : 's'} but none of their messages.`,
      severity: 'note',
    });
  }
  messages.sort((a, b) => a.time - b.time || a.order - b.order);
  return {
    source: source(entries.length),
    segments: [],
    streams: [],
    messages: messages.map(({ order: _order, ...m }) => m),
    problems,
  };
}

function problemsOf(
  errors: readonly { readonly message: string }[],
  bad: (code: string, why: string) => void,
): { problems?: CaptureProblem[] } {
  if (errors.length === 0) return {};
  return {
    problems: errors.map((e) => {
      bad('engineio-bad-packet', `Engine.IO: ${e.message}.`);
      return { code: 'engineio-bad-packet', message: `Engine.IO: ${e.message}.`, severity: 'error' as const };
    }),
  };
}
