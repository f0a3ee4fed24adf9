/**
 * The Sec-WebSocket-Extensions header (RFC 6455 §9.1) and the permessage-deflate negotiation (RFC 7692
 * §5, §7.1) as the two peers of Wirewalk run it: a `ws` 8 server (lib/permessage-deflate.js acceptAsServer,
 * lib/extension.js parse/format) and Chrome (which offers `permessage-deflate; client_max_window_bits` and
 * takes whatever valid parameters the server answers with). No compression here: permessageDeflate.ts does
 * that, loaded only with a scenario that compresses.
 */

/** One extension in a header: its name and its parameters in order, a valueless one as `true`. */
export interface ExtensionOffer {
  readonly name: string;
  readonly params: readonly (readonly [string, string | true])[];
}

/** RFC 7230 token characters (RFC 6455 §9.1 names and parameter names are tokens). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * RFC 6455 §9.1: `name; param; param=value, name2 ...`, whitespace around separators allowed, a value a
 * token or a quoted string. Null when the header does not follow that grammar (ws answers such a request
 * with 400: websocket-server.js handleUpgrade "Invalid or unacceptable Sec-WebSocket-Extensions header").
 */
export function parseExtensions(header: string): readonly ExtensionOffer[] | null {
  const out: ExtensionOffer[] = [];
  for (const item of header.split(',')) {
    const parts = item.split(';').map((p) => p.trim());
    const name = parts[0] ?? '';
    if (!TOKEN.test(name)) return null;
    const params: (readonly [string, string | true])[] = [];
    for (const part of parts.slice(1)) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (!TOKEN.test(key)) return null;
      if (eq < 0) {
        params.push([key, true]);
        continue;
      }
      let value = part.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!TOKEN.test(value)) return null;
      params.push([key, value]);
    }
    out.push({ name, params });
  }
  return out;
}

/** ws lib/extension.js format: `name; key; key=value`. */
export function formatExtension(e: ExtensionOffer): string {
  return [e.name, ...e.params.map(([k, v]) => (v === true ? k : `${k}=${v}`))].join('; ');
}

export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/** The parameters both ends agreed on (RFC 7692 §7.1); a window of 15 bits when none was named. */
export interface DeflateParams {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number;
  readonly clientMaxWindowBits: number;
}

/** RFC 7692 §7.1.2: a window size is 8 to 15 bits. */
function windowBits(v: string | true | undefined): number | null {
  if (v === undefined) return 15;
  if (v === true || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= 8 && n <= 15 ? n : null;
}

/** The agreed parameters of one permessage-deflate element, or null if one is unknown or out of range. */
function paramsOf(e: ExtensionOffer, clientBitsMayBeEmpty: boolean): DeflateParams | null {
  const seen = new Map<string, string | true>();
  for (const [k, v] of e.params) {
    // RFC 7692 §7.1: a parameter named twice, or one this extension does not define, declines the element.
    if (seen.has(k)) return null;
    seen.set(k, v);
  }
  for (const k of seen.keys()) {
    if (
      k !== 'server_no_context_takeover' &&
      k !== 'client_no_context_takeover' &&
      k !== 'server_max_window_bits' &&
      k !== 'client_max_window_bits'
    )
      return null;
  }
  const flag = (k: string): boolean | null => {
    const v = seen.get(k);
    return v === undefined ? false : v === true ? true : null;
  };
  const serverNo = flag('server_no_context_takeover');
  const clientNo = flag('client_no_context_takeover');
  const serverBits = windowBits(seen.get('server_max_window_bits'));
  const clientRaw = seen.get('client_max_window_bits');
  const clientBits = clientRaw === true && clientBitsMayBeEmpty ? 15 : windowBits(clientRaw);
  if (serverNo === null || clientNo === null || serverBits === null || clientBits === null) return null;
  return {
    serverNoContextTakeover: serverNo,
    clientNoContextTakeover: clientNo,
    serverMaxWindowBits: serverBits,
    clientMaxWindowBits: clientBits,
  };
}

/**
 * A `ws` server created with `perMessageDeflate: true` (all of PerMessageDeflate's options at their
 * defaults) answering the client's offer: ws lib/permessage-deflate.js acceptAsServer takes the first
 * permessage-deflate offer it can (with default options it refuses none), deletes a valueless
 * client_max_window_bits ("accepted.client_max_window_bits === true" → delete) and echoes the rest, which
 * completeUpgrade writes with lib/extension.js format. Chrome's `permessage-deflate; client_max_window_bits`
 * is answered `permessage-deflate`. Null when nothing is offered (no Sec-WebSocket-Extensions in the 101).
 */
export function wsAcceptDeflate(
  header: string | undefined,
): { readonly response: string; readonly params: DeflateParams } | null {
  if (header === undefined) return null;
  const offers = parseExtensions(header);
  if (!offers) return null;
  for (const offer of offers) {
    if (offer.name !== PERMESSAGE_DEFLATE) continue;
    const params = paramsOf(offer, true);
    if (!params) continue;
    const kept = offer.params.filter(([k, v]) => !(k === 'client_max_window_bits' && v === true));
    return { response: formatExtension({ name: PERMESSAGE_DEFLATE, params: kept }), params };
  }
  return null;
}

/**
 * The client reading the 101's Sec-WebSocket-Extensions after offering permessage-deflate (RFC 7692 §5.1,
 * §7.1): exactly one permessage-deflate element with valid parameters, or the client must fail the
 * connection (RFC 6455 §4.1 item 6: an extension it did not offer). `undefined` header: no extension.
 */
export function clientAcceptDeflate(
  header: string | undefined,
  offered: boolean,
):
  | { readonly ok: true; readonly params: DeflateParams | null }
  | { readonly ok: false; readonly why: string } {
  if (header === undefined) return { ok: true, params: null };
  const answer = parseExtensions(header);
  if (!answer) return { ok: false, why: 'the Sec-WebSocket-Extensions answer does not parse' }; // RFC 6455 §9.1
  if (!offered || answer.length !== 1 || answer[0]!.name !== PERMESSAGE_DEFLATE) {
    // An extension not requested fails the connection: RFC 6455 §4.1 item 6; RFC 7692 §7.1.
    return {
      ok: false,
      why: `the server answered with an extension the browser did not offer (${header})`, // RFC 6455 §4.1
    };
  }
  // §7.1.2.2: the server may name client_max_window_bits only with a value.
  const params = paramsOf(answer[0]!, false);
  if (!params) return { ok: false, why: `invalid permessage-deflate parameters (${header})` };
  return { ok: true, params };
}
