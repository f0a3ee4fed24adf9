/** Byte helpers shared by the codecs. Uint8Array and DataView only: this runs in the browser. */

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `48 65 6c` style (separator configurable). */
export function toHex(bytes: Uint8Array, sep = ' '): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i ? sep : '') + HEX[bytes[i]!];
  return s;
}

/** Parse hex with any whitespace or colons between bytes. Throws on malformed input (for tests and fixtures). */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`not hex: ${hex.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function hex16(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

export function hex8(n: number): string {
  return '0x' + n.toString(16).padStart(2, '0');
}

const encoder = new TextEncoder();
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decode UTF-8; `null` when the bytes are not valid UTF-8 (RFC 3629). */
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    // One decoder for every call: without `stream`, each decode() starts afresh (WHATWG Encoding §7.2.2).
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Lenient decode for display: invalid sequences become U+FFFD. */
const lossyDecoder = new TextDecoder('utf-8');

export function lossyUtf8(bytes: Uint8Array): string {
  return lossyDecoder.decode(bytes);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Standard base64 with padding (RFC 4648 §4). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Decode standard base64; `null` if malformed. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j]!;
      n = (n << 6) | (c === '=' ? 0 : B64.indexOf(c));
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/**
 * The start of `text` up to `n` characters (code points, as `Array.from` splits `text.slice(0, limit)`: a
 * surrogate pair cut by `limit` counts as a lone surrogate), without building an array. `end` is the index
 * just after the `n`-th character (or after the last one when there are fewer); `more` says whether
 * `text.slice(0, limit)` holds more than `n` characters.
 */
export function codePointCut(text: string, n: number, limit: number): { end: number; more: boolean } {
  const stop = Math.min(text.length, limit);
  let i = 0;
  let count = 0;
  while (i < stop) {
    if (count === n) return { end: i, more: true };
    const c = text.charCodeAt(i);
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < stop) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) width = 2;
    }
    i += width;
    count++;
  }
  return { end: i, more: false };
}
