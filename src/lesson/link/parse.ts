/** parseLink: a link's parameters read in LINK_PARAMS order, over the lesson's defaults. */
import { DEFAULT_HOPS, LIMITS, type Scenario, type ScenarioMessage } from '../../sim/scenario';
import { LESSONS, lessonById, lessonScenario } from '../catalogue';
import { FRAGMENT_PREFIX, decompressQuery } from './compact';
import { fragmentOf, queryOf, splitQuery, type Pair } from './decode';
import { utf8Length } from '../../protocol/bytes';
import { messagesThatFit } from './limits';
import { KNOWN, MAX_EVENT_BYTES, MAX_UINT32, PARAMS, RESERVED_EVENTS, type Param } from './params';
import { Problems, quoted, shown } from './problems';
import { Reader } from './reader';
import { DEFAULT_VIEW, type LinkProblem, type LinkState, type ViewState } from './types';

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

/** Controls, spaces, '#' or half a surrogate pair: never in a query Wirewalk wrote (it writes %XX). */
const NOT_A_QUERY =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0020\u007f#]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const UNREADABLE =
  "the compressed part of the link (#z=…) is damaged or incomplete; using the lesson's own settings and messages";

/**
 * The pairs a `#z=` fragment holds (read as more of the query, after it), [] for no or another fragment, or
 * null when the compressed text cannot be read. A chat app may have percent-encoded the fragment: undone.
 */
function compressedPairs(fragment: string): Pair[] | null {
  if (!fragment.startsWith(FRAGMENT_PREFIX)) return [];
  let packed = fragment.slice(FRAGMENT_PREFIX.length);
  if (packed.includes('%')) {
    try {
      packed = decodeURIComponent(packed);
    } catch {
      return null;
    }
  }
  const text = decompressQuery(packed);
  // Wirewalk never writes an empty `#z=`, and its query text is printable: anything else is not its link.
  if (text === null || text === '' || NOT_A_QUERY.test(text)) return null;
  return splitQuery(text);
}

function readLink(input: string): { state: LinkState; problems: readonly LinkProblem[] } {
  const known = new Problems();
  const unknown = new Problems();
  const groups = new Map<Param, Pair[]>();
  const pairs = splitQuery(queryOf(input));
  const compressed = compressedPairs(fragmentOf(input));
  if (compressed === null) known.add('z', UNREADABLE, '');
  else pairs.push(...compressed);
  for (const pair of pairs) {
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
  const offlineAsked = r.optionalWhole('offline', base.offline ?? null);
  // `offline` is engine.io-client's 'offline' listener (lib/socket.ts): only the Socket.IO lessons have it. A
  // bare WebSocket does not close when the browser goes offline, and the comparison has no Socket.IO.
  const offline = base.story === 'socketio' ? offlineAsked : null;
  if (offlineAsked !== null && offline === null) {
    known.add(
      'offline',
      `offline=${offlineAsked} applies to the Socket.IO lessons only (engine.io-client listens for the ` +
        "browser's offline event); using none",
      'none',
    );
  }
  const transport = r.choice('transport', base.transport);
  const clientAsked = r.choice('client', base.client ?? 'io');
  // client=ws puts one plain browser WebSocket in front of the Socket.IO server (CURRICULUM Q9,
  // sim/stories/socketio/plainClient.ts): only the Socket.IO lessons have that server, and the page models
  // neither more browsers, a network failure nor long-polling.
  const plainFits = clients === 1 && drop === null && offlineAsked === null && transport === 'websocket';
  const client = base.story === 'socketio' && plainFits ? clientAsked : 'io';
  if (clientAsked !== client) {
    known.add(
      'client',
      base.story === 'socketio'
        ? `client=${clientAsked} needs one browser, no drop or offline and transport=websocket; using io`
        : `client=${clientAsked} applies to the Socket.IO lessons only; using io`,
      'io',
    );
  }
  const interval = r.whole('interval', base.interval);
  const tlsAsked = r.flag('tls', base.tls ?? false);
  // TLS runs under the WebSocket and Socket.IO stories (sim/tlsStories.ts); the polling comparison measures
  // plain http:// polling against ws://, so a tls=1 there would be silently ignored: say so.
  const tls = tlsAsked && base.story !== 'compare' && client === 'io';
  if (tlsAsked && !tls && client !== 'io') {
    // Wirewalk's choice: the plain-WebSocket page (client=ws, sim/stories/socketio/plainClient.ts) runs over ws:// only.
    known.add('tls', 'tls=1 is not modelled with client=ws (a plain WebSocket over ws://); using tls=0', '0');
  } else if (tlsAsked && !tls) {
    known.add(
      'tls',
      'tls=1 has no effect on the polling comparison (it compares plain http:// polling with ws://); using tls=0',
      '0',
    );
  }
  const deflateAsked = r.flag('deflate', base.deflate ?? false);
  // permessage-deflate is modelled between Chrome and a plain `ws` server (the websocket story); socket.io's
  // server (engine.io) has its own perMessageDeflate option, off by default, and the comparison measures
  // uncompressed bytes: a deflate=1 there would be silently ignored, so say so.
  const deflate = deflateAsked && base.story === 'websocket';
  if (deflateAsked && !deflate) {
    known.add(
      'deflate',
      'deflate=1 applies to the WebSocket lessons only (a ws server with perMessageDeflate); using deflate=0',
      '0',
    );
  }
  const hopsAsked = r.whole('hops', base.hops ?? DEFAULT_HOPS);
  // The polling comparison keeps the one path it measures (sim/stories/compare): say so, as for tls.
  const hops = base.story === 'compare' ? (base.hops ?? DEFAULT_HOPS) : hopsAsked;
  if (hops !== hopsAsked) {
    known.add(
      'hops',
      `hops has no effect on the polling comparison (it measures one path); using hops=${hops}`,
      String(hops),
    );
  }
  const messages = readMessages(r, base.messages);
  const view = readView(r);
  const {
    tls: _baseTls,
    deflate: _baseDeflate,
    offline: _baseOffline,
    hops: _baseHops,
    client: _baseClient,
    ...untouched
  } = base;
  const scenario: Scenario = {
    ...untouched,
    ...(tls ? { tls: true } : {}),
    ...(deflate ? { deflate: true } : {}),
    ...(offline !== null ? { offline } : {}),
    ...(client !== 'io' ? { client } : {}),
    // Absent when the default, like tls: a scenario that does not ask for another path is the same data.
    ...(hops !== DEFAULT_HOPS ? { hops } : {}),
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
 * Input: a full URL (`http://x/y?...#...`), `?query`, or a bare query, each with or without the compressed
 * fragment `#z=…` (its text is read as more of the query; other fragments are ignored). Never throws,
 * whatever the input: every invalid part is reported and replaced by the lesson's default.
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
