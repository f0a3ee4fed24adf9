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

/**
 * Write `value` as 16 big-endian bits (network byte order) at `at`: what `view(out).setUint16(at, value)` does,
 * without making a DataView (the encoders write every header of every packet).
 */
export function putUint16(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 8;
  out[at + 1] = value;
}

/** Write `value` as 32 big-endian bits (network byte order) at `at` (see `putUint16`). */
export function putUint32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
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

/**
 * Byte arrays of up to 64 KiB are carved out of shared 256 KiB buffers: one allocation per many arrays instead
 * of one each. An ArrayBuffer of its own has a backing store outside the JavaScript heap that the garbage
 * collector must track and free, at a cost per buffer that dwarfs zeroing its bytes; a timeline of a thousand
 * messages made thousands of them. (64 KiB buffers measured slower: four times as many allocations.)
 */
const SLAB = 256 * 1024;
let slab = new Uint8Array(0);
let slabAt = 0;

/** Make sure the current shared buffer has `length` bytes left. */
function slabRoom(length: number): void {
  if (slabAt + length > slab.length) {
    slab = new Uint8Array(SLAB);
    slabAt = 0;
  }
}

/**
 * `length` zero bytes of their own. Small ones are a view into a shared buffer: `.buffer` is bigger than the
 * array and `byteOffset` is not 0, so read it through the view (`view()` does), never through `.buffer` alone.
 */
export function slabBytes(length: number): Uint8Array {
  if (length > SLAB / 4) return new Uint8Array(length);
  slabRoom(length);
  const out = slab.subarray(slabAt, slabAt + length);
  slabAt += length;
  return out;
}

const encoder = new TextEncoder();
/** `text` as UTF-8 (RFC 3629), in bytes of its own (see `slabBytes`). */
export function utf8(text: string): Uint8Array {
  // Each UTF-16 code unit takes at most 3 bytes (a surrogate pair: 4 bytes for 2 units).
  const most = text.length * 3;
  if (most > SLAB / 4) return encoder.encode(text);
  slabRoom(most);
  // encodeInto writes `written` bytes at the start of the room; the rest stays free (and zero) for the next array.
  const { written } = encoder.encodeInto(text, slab.subarray(slabAt, slabAt + most));
  const out = slab.subarray(slabAt, slabAt + written);
  slabAt += written;
  return out;
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

/**
 * Whether `bytes` are valid UTF-8 (RFC 3629 §3-4: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no sequence cut short): `strictUtf8(bytes) !== null`, without building the string. The bounds of each
 * sequence's second byte are the WHATWG Encoding Standard's (§4.1.1, UTF-8 decoder), which the fatal decoder
 * applies.
 */
export function isUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      if (b === 0xe0) lower = 0xa0; // overlong
      if (b === 0xed) upper = 0x9f; // U+D800-U+DFFF, the surrogates
      need = 2;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (b === 0xf0) lower = 0x90; // overlong
      if (b === 0xf4) upper = 0x8f; // above U+10FFFF
      need = 3;
    } else return false;
    if (i + need >= n) return false;
    const second = bytes[i + 1]!;
    if (second < lower || second > upper) return false;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
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
 * How many characters (code points) `text` has, counted as `Array.from(text).length` counts them (a lone
 * surrogate is one), without building the array: a message may be a megabyte long.
 */
export function codePointCount(text: string): number {
  // Natively first (a 1 MB message is counted on opening): without surrogates, one unit is one character.
  if (!/[\uD800-\uDFFF]/.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * The length of `text` in UTF-8 bytes, as TextEncoder would write it (a lone surrogate counts as U+FFFD, 3
 * bytes), without encoding a copy: a message or a HAR file may be megabytes long.
 */
export function utf8Length(text: string): number {
  // Natively first: ASCII text is one byte a character.
  if (!/[^\u0000-\u007f]/.test(text)) return text.length; // eslint-disable-line no-control-regex
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
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
