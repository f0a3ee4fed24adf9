/**
 * The compressed form of a long link: the scenario's parameters, exactly as serialiseLink writes them, in the
 * fragment as `#z=<lz-string compressToEncodedURIComponent>`. Compression is lz-string's; reading is a port of
 * its decompressor that stops at a size limit, since a few kilobytes of hand-made `#z=` can otherwise expand to
 * gigabytes (each code may stand for one character more than the code before it).
 */
import LZString from 'lz-string';
import { LIMITS } from '../../sim/scenario';

/**
 * The longest query (`?…`, in characters) Wirewalk writes as it is; a longer link keeps `lesson` and the view
 * in the query and moves the rest, compressed, into the fragment (`#z=…`). 2000 stays well under every static
 * host's request-line limit (nginx answers 414 URI Too Long at 8 KB; the fragment is never sent to the
 * server), under what chat apps and mail clients keep clickable, and within a QR code's 2 953 bytes.
 */
export const LINK_BUDGET = 2000;

/** The fragment's name: `#z=…`. */
export const FRAGMENT_PREFIX = 'z=';

/**
 * The longest text a `#z=` may expand to: messages at their byte limit, each byte written as %XX, with room
 * for 5000 `&m=c:` and the short parameters.
 */
const MAX_EXPANDED = 3 * LIMITS.maxMessageBytes + 64 * LIMITS.maxMessages + 65_536;

export function compressQuery(text: string): string {
  return LZString.compressToEncodedURIComponent(text);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
/** Each character code's 6-bit value in ALPHABET, -1 for characters outside it. */
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** The last text decompressQuery read, and what it read there. */
let lastRead: { readonly input: string; readonly maxLength: number; readonly output: string | null } | null =
  null;

/**
 * LZString.decompressFromEncodedURIComponent, except that it answers null, never garbage or an exception,
 * for text it did not write: a character outside its alphabet (a space counts as '+', as there), a code
 * that names no entry, input that ends early, or output longer than `maxLength` characters.
 */
export function decompressQuery(input: string, maxLength = MAX_EXPANDED): string | null {
  // The page reads its opening #z= twice: to open it, and once idle, to tell whether the address bar may keep
  // that text (state/links.ts). The second time is the same answer.
  if (lastRead && lastRead.input === input && lastRead.maxLength === maxLength) return lastRead.output;
  const output = decompress(input, maxLength);
  lastRead = { input, maxLength, output };
  return output;
}

function decompress(input: string, maxLength: number): string | null {
  const text = input.replace(/ /g, '+');
  let index = 0;
  let value = 0;
  let position = 0;
  let broken = false;
  const bits = (count: number): number => {
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (position === 0) {
        const code = index < text.length ? text.charCodeAt(index) : 128;
        const v = code < 128 ? VALUE[code]! : -1;
        index++;
        if (v < 0) {
          broken = true;
          return 0;
        }
        value = v;
        position = 32;
      }
      // count < 31: a code has about log2 of the dictionary's size bits, and maxLength bounds the dictionary.
      if (value & position) n |= 1 << i;
      position >>= 1;
    }
    return n;
  };
  const literal = (kind: number): string | null => {
    const code = bits(kind === 0 ? 8 : 16);
    return broken ? null : String.fromCharCode(code);
  };

  const first = bits(2);
  if (broken) return null;
  if (first === 2) return '';
  if (first === 3) return null;
  const c = literal(first);
  if (c === null) return null;
  const dictionary: string[] = ['', '', '', c];
  let enlargeIn = 4;
  let numBits = 3;
  let w = c;
  const result: string[] = [c];
  let length = c.length;
  for (;;) {
    let code = bits(numBits);
    if (broken) return null;
    if (code === 2) return result.join('');
    if (code === 0 || code === 1) {
      const added = literal(code);
      if (added === null) return null;
      dictionary.push(added);
      code = dictionary.length - 1;
      if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
    }
    let entry: string;
    if (code >= 3 && code < dictionary.length) entry = dictionary[code]!;
    else if (code === dictionary.length) entry = w + w[0]!;
    else return null;
    length += entry.length;
    if (length > maxLength) return null;
    result.push(entry);
    dictionary.push(w + entry[0]!);
    if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
    w = entry;
  }
}
