/**
 * Decoding follows the WHATWG application/x-www-form-urlencoded parser, i.e. what URLSearchParams and every
 * browser produce ('+' is a space, %XX is a byte, the bytes are UTF-8), so a link reads the same here as in
 * `new URL(link).searchParams`. Unlike URLSearchParams, this parser also *reports* what it had to repair.
 */

/** One `name=value` of the query, decoded. */
export interface Pair {
  readonly name: string;
  readonly value: string;
  /** `name=value` exactly as written, for problems about the encoding itself. */
  readonly raw: string;
  /** What the WHATWG decoder had to repair in this pair (empty: nothing). */
  readonly repairs: readonly string[];
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// ignoreBOM: the URL standard's "UTF-8 decode without BOM" keeps a leading U+FEFF; so must we.
const LOSSY_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

export const BAD_ESCAPE = 'a "%" without two hex digits after it';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * WHATWG URL §5.1 (application/x-www-form-urlencoded parsing) for one name or value: '+' becomes a space,
 * %XX a byte, anything else its UTF-8 bytes; the bytes are decoded as UTF-8 with U+FFFD for bad sequences.
 * A lone surrogate in the input is a U+FFFD, as in the USVString conversion that URLSearchParams applies.
 */
function formDecode(raw: string, repairs: Set<string>): string {
  // Without surrogates, '+' as a space and well-formed escapes of UTF-8 read the same natively (a 1 MB message
  // in milliseconds, not byte by byte; text without '%' comes back as it is). decodeURIComponent refuses
  // exactly what needs repairing (a bad escape, bytes that are not UTF-8), which the loop below reads and
  // reports.
  if (!/[\uD800-\uDFFF]/.test(raw)) {
    try {
      return decodeURIComponent(raw.includes('+') ? raw.replace(/\+/g, ' ') : raw);
    } catch {
      // below
    }
  }
  const bytes = new Uint8Array(raw.length * 3);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x2b) {
      bytes[n++] = 0x20;
    } else if (c === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = (hi << 4) | lo;
        i += 2;
      } else {
        bytes[n++] = 0x25;
        repairs.add(BAD_ESCAPE);
      }
    } else if (c < 0x80) {
      bytes[n++] = c;
    } else if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
      bytes[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = raw.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        bytes[n++] = 0xf0 | (cp >> 18);
        bytes[n++] = 0x80 | ((cp >> 12) & 0x3f);
        bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
        bytes[n++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        bytes[n++] = 0xef;
        bytes[n++] = 0xbf;
        bytes[n++] = 0xbd;
        repairs.add('half of a UTF-16 surrogate pair');
      }
    } else {
      bytes[n++] = 0xe0 | (c >> 12);
      bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[n++] = 0x80 | (c & 0x3f);
    }
  }
  const decoded = bytes.subarray(0, n);
  try {
    return FATAL_UTF8.decode(decoded);
  } catch {
    repairs.add('%XX bytes that are not UTF-8');
    return LOSSY_UTF8.decode(decoded);
  }
}

/** As the URL parser does: leading and trailing spaces and controls stripped, tabs and line breaks removed. */
function cleaned(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

/** The fragment: what follows the first '#', or '' when there is none. */
export function fragmentOf(input: string): string {
  const s = cleaned(input);
  const hash = s.indexOf('#');
  return hash < 0 ? '' : s.slice(hash + 1);
}

/**
 * The query part of a full URL, of '?query', or of a bare query. As the URL parser does, leading and
 * trailing spaces and controls are stripped, tabs and line breaks removed, and '#' ends the query.
 */
export function queryOf(input: string): string {
  let s = cleaned(input);
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  const q = s.indexOf('?');
  // A '?' after an '=' or '&' is a hand-typed '?' inside a bare query, not the start of the query.
  if (q >= 0) return /[=&]/.test(s.slice(0, q)) ? s : s.slice(q + 1);
  // A URL or path without a query.
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(s) || s.startsWith('/')) return '';
  return s;
}

export function splitQuery(query: string): Pair[] {
  const pairs: Pair[] = [];
  for (const segment of query.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const repairs = new Set<string>();
    const name = formDecode(eq < 0 ? segment : segment.slice(0, eq), repairs);
    const value = eq < 0 ? '' : formDecode(segment.slice(eq + 1), repairs);
    pairs.push({ name, value, raw: segment, repairs: [...repairs] });
  }
  return pairs;
}
