/**
 * The lesson link: a query string <-> a Scenario plus view state. The same text serves the browser's address
 * bar and the command line, so it is meant to be read and edited by hand (format: docs/link-format.md).
 *
 * Decoding follows the WHATWG application/x-www-form-urlencoded parser, i.e. what URLSearchParams and every
 * browser produce ('+' is a space, %XX is a byte, the bytes are UTF-8), so a link reads the same here as in
 * `new URL(link).searchParams`. Unlike URLSearchParams, this parser also *reports* what it had to repair.
 * `parseLink` never throws: every problem becomes a LinkProblem and the lesson's default is used instead.
 */
import {
  LIMITS,
  type EmitKind,
  type Scenario,
  type ScenarioMessage,
  type Side,
  type Transport,
  type WalkMode,
} from '../sim/scenario';
import { SIO_RESERVED_EVENTS } from '../protocol/socketio';
import { LESSONS, lessonById, lessonScenario } from './catalogue';

export interface ViewState {
  /** 1-based as in the link; null = not given. */
  readonly step: number | null;
  readonly present: boolean;
  readonly embed: boolean;
  /** Embed locked range, 1-based. */
  readonly from: number | null;
  readonly to: number | null;
}

export interface LinkState {
  readonly scenario: Scenario;
  readonly view: ViewState;
}

/**
 * `param` is the parameter's name ('' for the "and N more problems" summary); `message` is a whole sentence
 * for people; `used` is the value now in effect, written as in a link ('1460', 'none', '3,5'), or '' when
 * the parameter was dropped and nothing stands in for it.
 */
export interface LinkProblem {
  readonly param: string;
  readonly message: string;
  readonly used: string;
}

export const DEFAULT_VIEW: ViewState = { step: null, present: false, embed: false, from: null, to: null };

const MAX_UINT32 = 0xffffffff;
/** Problems reported one by one; the rest are summed up in one last problem. */
const MAX_PROBLEMS = 20;
/** Socket.IO sets no limit on event names; this keeps one from swallowing the message budget. */
const MAX_EVENT_BYTES = 256;
/** Code points of a value quoted in a problem message. */
const SHOWN_LENGTH = 40;

/** Socket.IO v5 refuses to emit these names (socket.io-parser RESERVED_EVENTS). */
export const RESERVED_EVENTS: readonly string[] = SIO_RESERVED_EVENTS;

const CLOSE_SIDES: readonly Side[] = ['c', 's'];
const WALK_MODES: readonly WalkMode[] = ['default', 'all', 'none'];
const EMIT_KINDS: readonly EmitKind[] = ['socket', 'broadcast', 'io', 'room'];
const TRANSPORTS: readonly Transport[] = ['websocket', 'polling'];

/**
 * What one link parameter accepts. `whole`: a whole number in [min, max], and with `none` also the word
 * `none` (null); `choice`: one of `options`; `flag`: 0 or 1; `lesson`: a built-in lesson id; `packets`: a
 * comma-separated list of packet numbers (1 or more, at most `max` of them) or `none`; `event`: a Socket.IO
 * event name (not empty, not reserved, at most `maxBytes` UTF-8 bytes); `messages`: repeated, each `c:` or
 * `s:` and the text (a lone empty `m=`: no messages), all within LIMITS.
 */
export type LinkParamKind =
  | { readonly kind: 'lesson' }
  | { readonly kind: 'whole'; readonly min: number; readonly max: number; readonly none: boolean }
  | { readonly kind: 'choice'; readonly options: readonly string[] }
  | { readonly kind: 'flag' }
  | { readonly kind: 'packets'; readonly max: number }
  | { readonly kind: 'event'; readonly maxBytes: number }
  | { readonly kind: 'messages'; readonly maxMessages: number; readonly maxBytes: number };

export type LinkParam = LinkParamKind & {
  readonly name: string;
  /** Where the value goes: the scenario's field or the view's. */
  readonly part: 'scenario' | 'view';
  readonly field: string;
};

/**
 * Every parameter, in the order serialiseLink writes them (and problems are reported): the one list the
 * parser, the serialiser and the tests (fuzz and hostile links) read, so a new parameter reaches them all.
 */
export const LINK_PARAMS = [
  { name: 'lesson', part: 'scenario', field: 'lesson', kind: 'lesson' },
  { name: 'seed', part: 'scenario', field: 'seed', kind: 'whole', min: 0, max: MAX_UINT32, none: false },
  {
    name: 'mss',
    part: 'scenario',
    field: 'mss',
    kind: 'whole',
    min: LIMITS.minMss,
    max: LIMITS.maxMss,
    none: false,
  },
  {
    name: 'frag',
    part: 'scenario',
    field: 'frag',
    kind: 'whole',
    min: LIMITS.minFrag,
    max: MAX_UINT32,
    none: true,
  },
  { name: 'loss', part: 'scenario', field: 'loss', kind: 'packets', max: LIMITS.maxLoss },
  { name: 'close', part: 'scenario', field: 'close', kind: 'choice', options: CLOSE_SIDES },
  { name: 'walk', part: 'scenario', field: 'walk', kind: 'choice', options: WALK_MODES },
  { name: 'ping', part: 'scenario', field: 'ping', kind: 'flag' },
  { name: 'ev', part: 'scenario', field: 'event', kind: 'event', maxBytes: MAX_EVENT_BYTES },
  {
    name: 'clients',
    part: 'scenario',
    field: 'clients',
    kind: 'whole',
    min: 1,
    max: LIMITS.maxClients,
    none: false,
  },
  { name: 'emit', part: 'scenario', field: 'emit', kind: 'choice', options: EMIT_KINDS },
  { name: 'drop', part: 'scenario', field: 'drop', kind: 'whole', min: 1, max: MAX_UINT32, none: true },
  { name: 'transport', part: 'scenario', field: 'transport', kind: 'choice', options: TRANSPORTS },
  {
    name: 'interval',
    part: 'scenario',
    field: 'interval',
    kind: 'whole',
    min: LIMITS.minInterval,
    max: LIMITS.maxInterval,
    none: false,
  },
  {
    name: 'm',
    part: 'scenario',
    field: 'messages',
    kind: 'messages',
    maxMessages: LIMITS.maxMessages,
    maxBytes: LIMITS.maxMessageBytes,
  },
  { name: 'step', part: 'view', field: 'step', kind: 'whole', min: 1, max: MAX_UINT32, none: false },
  { name: 'present', part: 'view', field: 'present', kind: 'flag' },
  { name: 'embed', part: 'view', field: 'embed', kind: 'flag' },
  { name: 'from', part: 'view', field: 'from', kind: 'whole', min: 1, max: MAX_UINT32, none: false },
  { name: 'to', part: 'view', field: 'to', kind: 'whole', min: 1, max: MAX_UINT32, none: false },
] as const satisfies readonly LinkParam[];

type Param = (typeof LINK_PARAMS)[number]['name'];
type Spec<K extends LinkParam['kind']> = Extract<(typeof LINK_PARAMS)[number], { readonly kind: K }>;
type WholeParam = Spec<'whole'>['name'];
type ChoiceParam = Spec<'choice'>['name'];
type FlagParam = Spec<'flag'>['name'];
const PARAMS: readonly Param[] = LINK_PARAMS.map((p) => p.name);
const SPEC: ReadonlyMap<string, LinkParam> = new Map(LINK_PARAMS.map((p) => [p.name, p]));
const KNOWN: ReadonlySet<string> = new Set(PARAMS);

function spec<K extends LinkParam['kind']>(name: Param, kind: K): Extract<LinkParam, { readonly kind: K }> {
  const p = SPEC.get(name);
  if (p?.kind !== kind) throw new Error(`link parameter ${name} is not ${kind}`);
  return p as Extract<LinkParam, { readonly kind: K }>;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

interface Pair {
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

const BAD_ESCAPE = 'a "%" without two hex digits after it';

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
  if (!/[%+\uD800-\uDFFF]/.test(raw)) return raw;
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

/**
 * The query part of a full URL, of '?query', or of a bare query. As the URL parser does, leading and
 * trailing spaces and controls are stripped, tabs and line breaks removed, and '#' ends the query.
 */
function queryOf(input: string): string {
  // eslint-disable-next-line no-control-regex
  let s = input.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  const q = s.indexOf('?');
  // A '?' after an '=' or '&' is a hand-typed '?' inside a bare query, not the start of the query.
  if (q >= 0) return /[=&]/.test(s.slice(0, q)) ? s : s.slice(q + 1);
  // A URL or path without a query.
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(s) || s.startsWith('/')) return '';
  return s;
}

function splitQuery(query: string): Pair[] {
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

// ---------------------------------------------------------------------------------------------------------
// Problems

/** A value quoted in a problem: at most SHOWN_LENGTH code points, controls and lone surrogates escaped. */
function shown(text: string): string {
  const head = Array.from(text.slice(0, SHOWN_LENGTH * 2 + 2));
  const cut = head.length > SHOWN_LENGTH || text.length > SHOWN_LENGTH * 2 + 2;
  const kept = head.slice(0, SHOWN_LENGTH).join('');
  const safe = kept.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\uD800-\uDFFF]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
  return cut ? safe + '…' : safe;
}

function quoted(text: string): string {
  return `"${shown(text)}"`;
}

function oneOf(options: readonly string[]): string {
  return options.length < 2 ? options.join('') : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
}

class Problems {
  private readonly list: LinkProblem[] = [];
  private more = 0;

  add(param: string, message: string, used: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ param, message, used });
    else this.more++;
  }

  /** Merged in order (reported first come first); still at most MAX_PROBLEMS plus one summary. */
  static merge(first: Problems, second: Problems): readonly LinkProblem[] {
    const all = [...first.list, ...second.list];
    const more = first.more + second.more + Math.max(0, all.length - MAX_PROBLEMS);
    const out = all.slice(0, MAX_PROBLEMS);
    if (more > 0)
      out.push({ param: '', message: `and ${more} more problem${more === 1 ? '' : 's'}`, used: '' });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parameters

function nullable(n: number | null): string {
  return n === null ? 'none' : String(n);
}

/** The pairs given for each known parameter, in the order written. */
type Groups = ReadonlyMap<Param, readonly Pair[]>;

class Reader {
  constructor(
    private readonly groups: Groups,
    readonly problems: Problems,
  ) {}

  /** The pairs of a repeatable parameter, each checked for encoding repairs. */
  all(param: Param): readonly Pair[] | undefined {
    const pairs = this.groups.get(param);
    if (pairs) for (const p of pairs) this.reportRepairs(param, p);
    return pairs;
  }

  /** The decoded value of a single-valued parameter: the first one given, or undefined. */
  single(param: Param): string | undefined {
    const pairs = this.groups.get(param);
    const first = pairs?.[0];
    if (!pairs || !first) return undefined;
    if (pairs.length > 1) {
      this.problems.add(
        param,
        `${param} is given ${pairs.length} times; using the first (${param}=${shown(first.value)})`,
        first.value,
      );
    }
    this.reportRepairs(param, first);
    return first.value;
  }

  private reportRepairs(param: Param, pair: Pair): void {
    if (pair.repairs.length === 0) return;
    this.problems.add(
      param,
      `${shown(pair.raw)} has invalid percent-encoding (${pair.repairs.join(', ')}); reading it as ` +
        `${param}=${shown(pair.value)}` +
        (pair.repairs.includes(BAD_ESCAPE) ? ' (write %25 for a literal "%")' : ''),
      pair.value,
    );
  }

  /** A whole number within the parameter's bounds (LINK_PARAMS); otherwise the fallback. */
  whole(param: WholeParam, fallback: number): number {
    const n = this.number(param, String(fallback));
    return typeof n === 'number' ? n : fallback;
  }

  /** The same for a knob that may be null (absent); where LINK_PARAMS says `none`, the link may say so. */
  optionalWhole(param: WholeParam, fallback: number | null): number | null {
    const n = this.number(param, nullable(fallback));
    return n === 'none' ? null : (n ?? fallback);
  }

  private number(param: WholeParam, used: string): number | 'none' | undefined {
    const { min, max, none } = spec(param, 'whole');
    const value = this.single(param);
    if (value === undefined) return undefined;
    if (value === 'none' && none) return 'none';
    if (!/^-?\d+$/.test(value)) {
      this.problems.add(param, `${param}=${shown(value)} is not a whole number; using ${used}`, used);
      return undefined;
    }
    const n = Number(value) + 0; // + 0 turns -0 into 0
    if (n < min || n > max) {
      // Knobs without a real upper bound (step, drop, frag) read better as "less than 1".
      const range =
        max === MAX_UINT32 && min > 0
          ? `is ${n < min ? 'less' : 'more'} than ${n < min ? min : max}`
          : `is not between ${min} and ${max}`;
      this.problems.add(param, `${param}=${shown(value)} ${range}; using ${used}`, used);
      return undefined;
    }
    return n;
  }

  /** One of the parameter's options (LINK_PARAMS); otherwise the fallback. */
  choice<T extends string>(param: ChoiceParam, fallback: T): T {
    return this.oneOfOptions(param, spec(param, 'choice').options as readonly T[], fallback);
  }

  flag(param: FlagParam, fallback: boolean): boolean {
    return this.oneOfOptions(param, ['0', '1'], fallback ? '1' : '0') === '1';
  }

  private oneOfOptions<T extends string>(param: Param, options: readonly T[], fallback: T): T {
    const value = this.single(param);
    if (value === undefined) return fallback;
    const found = options.find((o) => o === value);
    if (found !== undefined) return found;
    this.problems.add(
      param,
      `${param}=${shown(value)} must be ${oneOf(options)}; using ${fallback}`,
      fallback,
    );
    return fallback;
  }
}

function utf8Length(text: string): number {
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

function readLesson(r: Reader): string {
  const value = r.single('lesson');
  if (value === undefined || lessonById(value)) return value ?? LESSONS[0]!.id;
  const fallback = LESSONS[0]!.id;
  r.problems.add(
    'lesson',
    `lesson=${shown(value)} is not a built-in lesson (${LESSONS.map((l) => l.id).join(', ')}); using ${fallback}`,
    fallback,
  );
  return fallback;
}

function readLoss(r: Reader, fallback: readonly number[]): readonly number[] {
  const value = r.single('loss');
  if (value === undefined) return fallback;
  if (value === 'none') return [];
  const bad: string[] = [];
  const good = new Set<number>();
  for (const entry of value.split(',')) {
    if (entry === '') continue; // "3,5," from hand editing
    const n = /^\d+$/.test(entry) ? Number(entry) : NaN;
    if (n >= 1 && n <= MAX_UINT32) good.add(n);
    else bad.push(entry);
  }
  const sorted = [...good].sort((a, b) => a - b);
  const loss = sorted.slice(0, LIMITS.maxLoss);
  const used = loss.length ? loss.join(',') : 'none';
  if (bad.length) {
    const listed = bad.slice(0, 5).map(quoted).join(', ') + (bad.length > 5 ? ', …' : '');
    const what = bad.length === 1 ? 'which is not a packet number' : 'which are not packet numbers';
    r.problems.add('loss', `loss=${shown(value)} has ${listed}, ${what} (1 or more); using ${used}`, used);
  }
  if (sorted.length > LIMITS.maxLoss) {
    r.problems.add(
      'loss',
      `loss= lists ${sorted.length} packets, more than the limit of ${LIMITS.maxLoss}; using the first ` +
        `${LIMITS.maxLoss} (${shown(used)})`,
      used,
    );
  }
  return loss;
}

function readEvent(r: Reader, fallback: string): string {
  const value = r.single('ev');
  if (value === undefined) return fallback;
  let wrong: string | null = null;
  if (value === '') wrong = 'is empty';
  else if (RESERVED_EVENTS.includes(value)) wrong = 'is reserved by Socket.IO and cannot be emitted';
  else if (utf8Length(value) > MAX_EVENT_BYTES) wrong = `is longer than ${MAX_EVENT_BYTES} bytes`;
  if (wrong === null) return value;
  r.problems.add('ev', `ev=${shown(value)} ${wrong}; using ${quoted(fallback)}`, fallback);
  return fallback;
}

function readMessages(r: Reader, fallback: readonly ScenarioMessage[]): readonly ScenarioMessage[] {
  const pairs = r.all('m');
  if (!pairs) return fallback;
  // A lone `m=` (no side) is the way to say "no messages at all".
  if (pairs.length === 1 && pairs[0]!.value === '') return [];
  let messages: ScenarioMessage[] = [];
  for (const { value } of pairs) {
    const from = value[0];
    if (value[1] === ':' && (from === 'c' || from === 's')) {
      messages.push({ from, text: value.slice(2) });
    } else if (value === '') {
      r.problems.add('m', 'm= (no messages) cannot be combined with other m= messages; ignored', '');
    } else {
      r.problems.add(
        'm',
        `m=${shown(value)} does not start with "c:" (client) or "s:" (server); ignored`,
        '',
      );
    }
  }
  const limit = messagesThatFit(messages);
  if (limit.tooMany) {
    r.problems.add(
      'm',
      `m= is given ${messages.length} times, more than the limit of ${LIMITS.maxMessages} messages; ` +
        `using the first ${LIMITS.maxMessages}`,
      '',
    );
  }
  if (limit.tooLong) {
    const using = limit.fit === 0 ? "the lesson's messages" : `the first ${limit.fit}`;
    r.problems.add(
      'm',
      `the m= messages add up to ${limit.bytes} bytes of text, more than the limit of ${LIMITS.maxMessageBytes}; ` +
        `using ${using}`,
      '',
    );
  }
  messages = messages.slice(0, limit.fit);
  // Every m= was unusable: the lesson's conversation is a better stand-in than silence.
  return messages.length ? messages : fallback;
}

/**
 * The scenario's message limits (LIMITS): of `messages`, a scenario holds the first `maxMessages`, and of
 * those the ones before their text (UTF-8) first adds up to more than `maxMessageBytes`. `fit` is how many
 * that is; `bytes`, the text of the first `maxMessages` together.
 */
export function messagesThatFit(messages: readonly ScenarioMessage[]): {
  readonly fit: number;
  readonly tooMany: boolean;
  readonly tooLong: boolean;
  readonly bytes: number;
} {
  const counted = Math.min(messages.length, LIMITS.maxMessages);
  let bytes = 0;
  let fit = counted;
  for (let i = 0; i < counted; i++) {
    bytes += utf8Length(messages[i]!.text);
    if (fit === counted && bytes > LIMITS.maxMessageBytes) fit = i;
  }
  return { fit, tooMany: messages.length > LIMITS.maxMessages, tooLong: fit < counted, bytes };
}

/** Why `added` cannot join `messages` (a message typed on the page), or null when the limits allow it. */
export function addedMessageProblem(
  messages: readonly ScenarioMessage[],
  added: ScenarioMessage,
): LinkProblem | null {
  const limit = messagesThatFit([...messages, added]);
  const problem = limit.tooMany
    ? `a scenario holds at most ${LIMITS.maxMessages} messages`
    : limit.tooLong
      ? `all messages together may hold at most ${LIMITS.maxMessageBytes} bytes of text`
      : null;
  return problem === null
    ? null
    : { param: 'm', message: `The message was not added: ${problem}.`, used: '' };
}

function readView(r: Reader): ViewState {
  const step = r.optionalWhole('step', null);
  const present = r.flag('present', false);
  const embed = r.flag('embed', false);
  let from = r.optionalWhole('from', null);
  let to = r.optionalWhole('to', null);
  if (from !== null && to !== null && from > to) {
    r.problems.add('from', `from=${from} is after to=${to}; using neither`, '');
    from = null;
    to = null;
  }
  return { step, present, embed, from, to };
}

function readLink(input: string): { state: LinkState; problems: readonly LinkProblem[] } {
  const known = new Problems();
  const unknown = new Problems();
  const groups = new Map<Param, Pair[]>();
  for (const pair of splitQuery(queryOf(input))) {
    if (KNOWN.has(pair.name)) {
      const name = pair.name as Param;
      const list = groups.get(name);
      if (list) list.push(pair);
      else groups.set(name, [pair]);
    } else {
      const near = PARAMS.find((p) => p === pair.name.toLowerCase());
      const hint = near ? ` (did you mean "${near}"?)` : '';
      unknown.add(pair.name, `unknown parameter ${quoted(pair.name)} ignored${hint}`, '');
    }
  }
  const r = new Reader(groups, known);
  const lesson = readLesson(r);
  const base = lessonScenario(lesson);
  // Read in PARAMS order so that problems come out in the order the link is written.
  const seed = r.whole('seed', base.seed);
  const mss = r.whole('mss', base.mss);
  const frag = r.optionalWhole('frag', base.frag);
  const loss = readLoss(r, base.loss);
  const close = r.choice('close', base.close);
  const walk = r.choice('walk', base.walk);
  const ping = r.flag('ping', base.ping);
  const event = readEvent(r, base.event);
  const clients = r.whole('clients', base.clients);
  const emit = r.choice('emit', base.emit);
  const drop = r.optionalWhole('drop', base.drop);
  const transport = r.choice('transport', base.transport);
  const interval = r.whole('interval', base.interval);
  const messages = readMessages(r, base.messages);
  const view = readView(r);
  const scenario: Scenario = {
    ...base,
    messages,
    seed,
    mss,
    frag,
    loss,
    close,
    walk,
    ping,
    event,
    clients,
    emit,
    drop,
    transport,
    interval,
  };
  return { state: { scenario, view }, problems: Problems.merge(known, unknown) };
}

/**
 * Input: a full URL (`http://x/y?...#...`), `?query`, or a bare query. Never throws, whatever the input:
 * every invalid part is reported and replaced by the lesson's default.
 */
export function parseLink(input: string): {
  readonly state: LinkState;
  readonly problems: readonly LinkProblem[];
} {
  try {
    return readLink(String(input));
  } catch (error) {
    // Not expected to happen (the fuzz tests look for this message); a broken link must still open a lesson.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      state: { scenario: lessonScenario(LESSONS[0]!.id), view: DEFAULT_VIEW },
      problems: [
        {
          param: '',
          message: `the link could not be read (${shown(reason)}); using the first lesson`,
          used: '',
        },
      ],
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Steps: what only the built timeline can refuse

function clampStep(index: number, count: number): number {
  const last = count - 1;
  if (last < 0 || !Number.isFinite(index)) return 0;
  return Math.max(0, Math.min(last, Math.trunc(index)));
}

/**
 * The steps a view lets the cursor visit in a timeline of `count` steps, 0-based and inclusive: every step,
 * or in embed mode the `from`–`to` range (each end clamped to the timeline).
 */
export function viewRange(view: ViewState, count: number): { readonly first: number; readonly last: number } {
  const last = Math.max(0, count - 1);
  if (!view.embed) return { first: 0, last };
  const lo = view.from === null ? 0 : clampStep(view.from - 1, count);
  const hi = view.to === null ? last : clampStep(view.to - 1, count);
  return { first: Math.min(lo, hi), last: Math.max(lo, hi) };
}

/**
 * What the link asked for that only the built timeline (of `count` steps) can refuse: a step past the end,
 * an embed range past the end or a step outside it. `cursor` is the step shown instead (0-based). Each
 * becomes a problem saying what is shown instead.
 */
export function stepProblems(view: ViewState, count: number, cursor: number): LinkProblem[] {
  const steps = `${count} step${count === 1 ? '' : 's'}`;
  const problems: LinkProblem[] = [];
  if (view.embed) {
    for (const param of ['from', 'to'] as const) {
      const n = view[param];
      if (n !== null && n > count) {
        problems.push({
          param,
          message: `${param}=${n} is past the end (${steps}); the range ends at step ${count}`,
          used: String(count),
        });
      }
    }
  }
  if (view.step !== null && view.step - 1 !== cursor) {
    const showing = String(cursor + 1);
    const range = viewRange(view, count);
    const message =
      view.step > count
        ? `step=${view.step} is past the end (${steps}); showing step ${showing}`
        : `step=${view.step} is outside the embedded range (steps ${range.first + 1}` +
          `–${range.last + 1}); showing step ${showing}`;
    problems.push({ param: 'step', message, used: showing });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Serialising

const ENCODER = new TextEncoder();
const HEX = '0123456789ABCDEF';

/** RFC 3986 §2.3 unreserved characters plus ':' and ',' stay literal; all else is %XX of UTF-8 (§2.1). */
function encodeValue(text: string): string {
  if (/^[A-Za-z0-9\-._~:,]*$/.test(text)) return text;
  let out = '';
  for (const b of ENCODER.encode(text)) {
    const literal =
      (b >= 0x30 && b <= 0x39) || // 0-9
      (b >= 0x41 && b <= 0x5a) || // A-Z
      (b >= 0x61 && b <= 0x7a) || // a-z
      b === 0x2d || // -
      b === 0x2e || // .
      b === 0x5f || // _
      b === 0x7e || // ~
      b === 0x3a || // :
      b === 0x2c; // ,
    out += literal ? String.fromCharCode(b) : '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

function sameMessages(a: readonly ScenarioMessage[], b: readonly ScenarioMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.from === b[i]!.from && m.text === b[i]!.text);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * The query string, without '?': `lesson` first, then, in PARAMS order, only what differs from the lesson's
 * defaults; messages as repeated `m=`. The story is not written: it comes with the lesson.
 */
export function serialiseLink(
  state: LinkState,
  opts?: { readonly includeStep?: boolean; readonly includeView?: boolean },
): string {
  const s = state.scenario;
  const v = state.view;
  const base = lessonScenario(s.lesson);
  const parts: string[] = [`lesson=${encodeValue(s.lesson)}`];
  const put = (param: Param, value: string): void => {
    parts.push(`${param}=${encodeValue(value)}`);
  };
  if (s.seed !== base.seed) put('seed', String(s.seed));
  if (s.mss !== base.mss) put('mss', String(s.mss));
  if (s.frag !== base.frag) put('frag', nullable(s.frag));
  if (!sameNumbers(s.loss, base.loss)) put('loss', s.loss.length ? s.loss.join(',') : 'none');
  if (s.close !== base.close) put('close', s.close);
  if (s.walk !== base.walk) put('walk', s.walk);
  if (s.ping !== base.ping) put('ping', s.ping ? '1' : '0');
  if (s.event !== base.event) put('ev', s.event);
  if (s.clients !== base.clients) put('clients', String(s.clients));
  if (s.emit !== base.emit) put('emit', s.emit);
  if (s.drop !== base.drop) put('drop', nullable(s.drop));
  if (s.transport !== base.transport) put('transport', s.transport);
  if (s.interval !== base.interval) put('interval', String(s.interval));
  if (!sameMessages(s.messages, base.messages)) {
    if (s.messages.length === 0) parts.push('m=');
    for (const m of s.messages) put('m', `${m.from}:${m.text}`);
  }
  if (opts?.includeStep && v.step !== null) put('step', String(v.step));
  if (opts?.includeView) {
    if (v.present) put('present', '1');
    if (v.embed) put('embed', '1');
    if (v.from !== null) put('from', String(v.from));
    if (v.to !== null) put('to', String(v.to));
  }
  return parts.join('&');
}
