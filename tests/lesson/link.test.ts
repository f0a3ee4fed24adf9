import fc from 'fast-check';
import { LESSONS, lessonById, lessonScenario } from '../../src/lesson/catalogue';
import LZString from 'lz-string';
import {
  DEFAULT_VIEW,
  LINK_BUDGET,
  LINK_PARAMS,
  RESERVED_EVENTS,
  parseLink,
  serialiseLink,
  writeLink,
  type LinkParam,
  type LinkProblem,
  type LinkState,
  type ViewState,
} from '../../src/lesson/link';
import { splitQuery } from '../../src/lesson/link/decode';
import {
  DEFAULT_HOPS,
  DEFAULT_SEED,
  LIMITS,
  type Scenario,
  type ScenarioMessage,
} from '../../src/sim/scenario';

const MAX_UINT32 = 0xffffffff;
const WEBSOCKET = lessonScenario('websocket');

function scenarioOf(query: string): Scenario {
  return parseLink(query).state.scenario;
}

/** Parse a link that must be clean. */
function clean(query: string): LinkState {
  const { state, problems } = parseLink(query);
  expect(problems).toEqual([]);
  return state;
}

function only(query: string): LinkProblem {
  const { problems } = parseLink(query);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

function state(scenario: Partial<Scenario> = {}, view: Partial<ViewState> = {}): LinkState {
  const base = lessonScenario(scenario.lesson ?? 'websocket');
  return { scenario: { ...base, ...scenario }, view: { ...DEFAULT_VIEW, ...view } };
}

const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;
const isUint = (n: number | null, min: number, max: number): boolean =>
  n !== null && Number.isInteger(n) && !Object.is(n, -0) && n >= min && n <= max;

/** An oracle written apart from the parser: what "a valid Scenario within LIMITS" means. */
function expectValid(result: ReturnType<typeof parseLink>): void {
  const { scenario: s, view: v } = result.state;
  const lesson = lessonById(s.lesson);
  expect(lesson).toBeDefined();
  expect(s.story).toBe(lesson!.story);
  expect(s.messages.length).toBeLessThanOrEqual(LIMITS.maxMessages);
  let bytes = 0;
  for (const m of s.messages) {
    expect(['c', 's']).toContain(m.from);
    expect(m.text).toMatch(WELL_FORMED);
    bytes += utf8Bytes(m.text);
  }
  expect(bytes).toBeLessThanOrEqual(LIMITS.maxMessageBytes);
  expect(isUint(s.seed, 0, MAX_UINT32)).toBe(true);
  expect(isUint(s.mss, LIMITS.minMss, LIMITS.maxMss)).toBe(true);
  expect(s.frag === null || isUint(s.frag, LIMITS.minFrag, MAX_UINT32)).toBe(true);
  expect(s.loss.length).toBeLessThanOrEqual(LIMITS.maxLoss);
  s.loss.forEach((n, i) => {
    expect(isUint(n, 1, MAX_UINT32)).toBe(true);
    if (i > 0) expect(n).toBeGreaterThan(s.loss[i - 1]!);
  });
  expect(['c', 's']).toContain(s.close);
  expect(['default', 'all', 'none']).toContain(s.walk);
  expect(typeof s.ping).toBe('boolean');
  expect(s.event).not.toBe('');
  expect(s.event).toMatch(WELL_FORMED);
  expect(RESERVED_EVENTS).not.toContain(s.event);
  expect(isUint(s.clients, 1, LIMITS.maxClients)).toBe(true);
  expect(['socket', 'broadcast', 'io', 'room']).toContain(s.emit);
  expect(s.drop === null || isUint(s.drop, 1, MAX_UINT32)).toBe(true);
  expect(['websocket', 'polling']).toContain(s.transport);
  expect(isUint(s.interval, LIMITS.minInterval, LIMITS.maxInterval)).toBe(true);
  expect(v.step === null || isUint(v.step, 1, MAX_UINT32)).toBe(true);
  expect(v.from === null || isUint(v.from, 1, MAX_UINT32)).toBe(true);
  expect(v.to === null || isUint(v.to, 1, MAX_UINT32)).toBe(true);
  if (v.from !== null && v.to !== null) expect(v.from).toBeLessThanOrEqual(v.to);
  expect(typeof v.present).toBe('boolean');
  expect(typeof v.embed).toBe('boolean');
  expect(result.problems.length).toBeLessThanOrEqual(21);
  for (const p of result.problems) {
    expect(p.message).toMatch(WELL_FORMED);
    expect(p.message).not.toMatch(/could not be read/);
    expect(p.message.length).toBeLessThan(500);
  }
}

describe('parseLink: where the query is', () => {
  const q = 'lesson=socketio&mss=536';
  it.each([
    q,
    `?${q}`,
    `https://teacher.example/wirewalk/?${q}`,
    `https://teacher.example/wirewalk/?${q}#ladder`,
    `  ${q}\n`,
    `?lesson=socket\nio&mss=5\t36`,
  ])('reads %j', (input) => {
    const s = clean(input).scenario;
    expect(s.lesson).toBe('socketio');
    expect(s.mss).toBe(536);
  });

  it.each(['', '?', 'https://teacher.example/wirewalk/', '/wirewalk/index.html', '#lesson=socketio'])(
    'gives the default lesson for %j',
    (input) => {
      expect(clean(input)).toEqual({ scenario: WEBSOCKET, view: DEFAULT_VIEW });
    },
  );

  it('ends the query at "#", as a browser does', () => {
    expect(clean('lesson=websocket&m=c:Issue #4').scenario.messages).toEqual([{ from: 'c', text: 'Issue ' }]);
  });

  it('reads a hand-typed "?" inside a bare query as text', () => {
    expect(clean('lesson=websocket&m=c:Ready?').scenario.messages).toEqual([{ from: 'c', text: 'Ready?' }]);
  });
});

describe('parseLink: every parameter, valid', () => {
  it('lesson picks the lesson, its story and its defaults', () => {
    for (const l of LESSONS) expect(clean(`lesson=${l.id}`).scenario).toEqual(lessonScenario(l.id));
  });

  it('m= replaces the lesson messages, in order, client and server', () => {
    expect(clean('lesson=socketio&m=s:Welcome&m=c:Hello%20world&m=c:').scenario.messages).toEqual([
      { from: 's', text: 'Welcome' },
      { from: 'c', text: 'Hello world' },
      { from: 'c', text: '' },
    ]);
  });

  it('decodes m= as URLSearchParams does: "+" is a space, %2B a plus, UTF-8 escapes and raw text', () => {
    const texts = clean('m=c:1+1&m=c:1%2B1&m=s:%F0%9F%98%80%20caf%C3%A9&m=c:café&m=c:a=b:c%26d%25').scenario
      .messages;
    expect(texts.map((m) => m.text)).toEqual(['1 1', '1+1', '😀 café', 'café', 'a=b:c&d%']);
  });

  it('a lone m= means no messages at all', () => {
    expect(clean('m=').scenario.messages).toEqual([]);
  });

  it.each([
    ['seed=0', { seed: 0 }],
    ['seed=4294967295', { seed: MAX_UINT32 }],
    ['seed=007', { seed: 7 }],
    ['mss=64', { mss: 64 }],
    ['mss=9000', { mss: 9000 }],
    ['frag=1', { frag: 1 }],
    ['frag=125', { frag: 125 }],
    ['frag=none', { frag: null }],
    ['loss=5,3,5,1', { loss: [1, 3, 5] }],
    ['loss=3,5,', { loss: [3, 5] }],
    ['loss=', { loss: [] }],
    ['loss=none', { loss: [] }],
    ['close=s', { close: 's' }],
    ['close=c', { close: 'c' }],
    ['walk=all', { walk: 'all' }],
    ['walk=none', { walk: 'none' }],
    ['walk=default', { walk: 'default' }],
    ['ping=0', { ping: false }],
    ['ping=1', { ping: true }],
    ['ev=typing', { event: 'typing' }],
    ['ev=new+message', { event: 'new message' }],
    ['clients=1', { clients: 1 }],
    ['clients=5', { clients: 5 }],
    ['emit=broadcast', { emit: 'broadcast' }],
    ['emit=io', { emit: 'io' }],
    ['emit=room', { emit: 'room' }],
    ['drop=7', { drop: 7 }],
    ['drop=none', { drop: null }],
    ['transport=polling', { transport: 'polling' }],
    ['interval=50', { interval: 50 }],
    ['interval=60000', { interval: 60000 }],
  ] satisfies [string, Partial<Scenario>][])('%s', (query, expected) => {
    expect(clean(query).scenario).toEqual({ ...WEBSOCKET, ...expected });
  });

  it.each([
    ['step=12', { step: 12 }],
    ['present=1', { present: true }],
    ['embed=1', { embed: true }],
    ['embed=0', { embed: false }],
    ['from=3&to=7', { from: 3, to: 7 }],
    ['from=4&to=4', { from: 4, to: 4 }],
    ['to=9', { to: 9 }],
  ] satisfies [string, Partial<ViewState>][])('%s', (query, expected) => {
    expect(clean(query).view).toEqual({ ...DEFAULT_VIEW, ...expected });
  });

  it('uses the fixed DEFAULT_SEED when no seed is given, so a link always shows the same bytes', () => {
    expect(clean('lesson=socketio').scenario.seed).toBe(DEFAULT_SEED);
  });
});

describe('parseLink: invalid parameters give a clear problem and the default', () => {
  it.each([
    [
      'lesson=nope',
      'lesson',
      `lesson=nope is not a built-in lesson (${LESSONS.map((l) => l.id).join(', ')}); using websocket`,
      'websocket',
    ],
    ['lesson=', 'lesson', expect.stringMatching(/^lesson= is not a built-in lesson/), 'websocket'],
    ['mss=abc', 'mss', 'mss=abc is not a whole number; using 1460', '1460'],
    ['mss=63', 'mss', 'mss=63 is not between 64 and 9000; using 1460', '1460'],
    ['mss=9001', 'mss', 'mss=9001 is not between 64 and 9000; using 1460', '1460'],
    ['mss=1e3', 'mss', 'mss=1e3 is not a whole number; using 1460', '1460'],
    ['mss=536.5', 'mss', 'mss=536.5 is not a whole number; using 1460', '1460'],
    ['mss=+536', 'mss', 'mss= 536 is not a whole number; using 1460', '1460'],
    ['seed=-5', 'seed', 'seed=-5 is not between 0 and 4294967295; using 20111211', '20111211'],
    [
      'seed=4294967296',
      'seed',
      'seed=4294967296 is not between 0 and 4294967295; using 20111211',
      '20111211',
    ],
    ['seed=0x10', 'seed', 'seed=0x10 is not a whole number; using 20111211', '20111211'],
    ['frag=0', 'frag', 'frag=0 is less than 1; using none', 'none'],
    ['frag=4294967296', 'frag', 'frag=4294967296 is more than 4294967295; using none', 'none'],
    ['loss=-1', 'loss', 'loss=-1 has "-1", which is not a packet number (1 or more); using none', 'none'],
    ['loss=0,x,3', 'loss', 'loss=0,x,3 has "0", "x", which are not packet numbers (1 or more); using 3', '3'],
    ['close=x', 'close', 'close=x must be c or s; using c', 'c'],
    ['walk=some', 'walk', 'walk=some must be default, all or none; using default', 'default'],
    ['ping=yes', 'ping', 'ping=yes must be 0 or 1; using 1', '1'],
    ['ev=', 'ev', 'ev= is empty; using "chat message"', 'chat message'],
    [
      'ev=connect',
      'ev',
      'ev=connect is reserved by Socket.IO and cannot be emitted; using "chat message"',
      'chat message',
    ],
    ['clients=0', 'clients', 'clients=0 is not between 1 and 5; using 1', '1'],
    ['clients=6', 'clients', 'clients=6 is not between 1 and 5; using 1', '1'],
    ['emit=all', 'emit', 'emit=all must be socket, broadcast, io or room; using socket', 'socket'],
    ['drop=0', 'drop', 'drop=0 is less than 1; using none', 'none'],
    ['transport=ws', 'transport', 'transport=ws must be websocket or polling; using websocket', 'websocket'],
    ['interval=49', 'interval', 'interval=49 is not between 50 and 60000; using 1000', '1000'],
    ['interval=60001', 'interval', 'interval=60001 is not between 50 and 60000; using 1000', '1000'],
    ['step=0', 'step', 'step=0 is less than 1; using none', 'none'],
    ['step=two', 'step', 'step=two is not a whole number; using none', 'none'],
    ['present=true', 'present', 'present=true must be 0 or 1; using 0', '0'],
    ['embed=yes', 'embed', 'embed=yes must be 0 or 1; using 0', '0'],
    ['from=9&to=3', 'from', 'from=9 is after to=3; using neither', ''],
    ['m=x:hi', 'm', 'm=x:hi does not start with "c:" (client) or "s:" (server); ignored', ''],
    ['m=C:hi', 'm', 'm=C:hi does not start with "c:" (client) or "s:" (server); ignored', ''],
    ['m=c', 'm', 'm=c does not start with "c:" (client) or "s:" (server); ignored', ''],
    ['foo=1', 'foo', 'unknown parameter "foo" ignored', ''],
    ['Lesson=socketio', 'Lesson', 'unknown parameter "Lesson" ignored (did you mean "lesson"?)', ''],
    ['=1', '', 'unknown parameter "" ignored', ''],
    ['mss=1000&mss=2000', 'mss', 'mss is given 2 times; using the first (mss=1000)', '1000'],
  ])('%s', (query, param, message, used) => {
    expect(only(query)).toEqual({ param, message, used });
  });

  it('keeps the other parameters when one is wrong', () => {
    const { state: st, problems } = parseLink('lesson=socketio&mss=abc&seed=9&m=x:oops&m=s:Hi');
    expect(problems.map((p) => p.param)).toEqual(['mss', 'm']);
    expect(st.scenario).toEqual({
      ...lessonScenario('socketio'),
      seed: 9,
      messages: [{ from: 's', text: 'Hi' }],
    });
  });

  it('falls back to the lesson messages when every m= is unusable', () => {
    expect(scenarioOf('lesson=socketio&m=x:a&m=hello').messages).toEqual(lessonScenario('socketio').messages);
  });

  it('measures defaults against the lesson given, wherever lesson= stands', () => {
    expect(only('mss=1&lesson=polling-vs-websocket').message).toBe(
      'mss=1 is not between 64 and 9000; using 1460',
    );
    expect(scenarioOf('mss=1&lesson=polling-vs-websocket').story).toBe('compare');
  });

  it('reports an unknown lesson and uses the websocket lesson for the rest', () => {
    const { state: st } = parseLink('lesson=nope&m=c:x');
    expect(st.scenario).toEqual({ ...WEBSOCKET, messages: [{ from: 'c', text: 'x' }] });
  });

  it('reports a duplicate that is also invalid twice: once as a duplicate, once as invalid', () => {
    expect(parseLink('seed=x&seed=5').problems.map((p) => p.message)).toEqual([
      'seed is given 2 times; using the first (seed=x)',
      'seed=x is not a whole number; using 20111211',
    ]);
    expect(scenarioOf('seed=x&seed=5').seed).toBe(DEFAULT_SEED);
  });

  it('rejects a too-long event name', () => {
    const long = 'e'.repeat(257);
    expect(only(`ev=${long}`).message).toBe(
      `ev=${'e'.repeat(40)}… is longer than 256 bytes; using "chat message"`,
    );
    expect(clean(`ev=${'e'.repeat(256)}`).scenario.event).toHaveLength(256);
  });

  it.each(RESERVED_EVENTS)('rejects the reserved Socket.IO event %s', (name) => {
    expect(only(`ev=${name}`).param).toBe('ev');
    expect(scenarioOf(`ev=${name}`).event).toBe('chat message');
  });

  it('keeps the lowest 64 of too many lost packets', () => {
    const query = `loss=${Array.from({ length: 70 }, (_, i) => 70 - i).join(',')}`;
    const p = only(query);
    expect(p.message).toMatch(
      /^loss= lists 70 packets, more than the limit of 64; using the first 64 \(1,2,3,/,
    );
    expect(scenarioOf(query).loss).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  });
});

describe('parseLink: invalid percent-encoding is reported, then read as URLSearchParams reads it', () => {
  it('%E0%A4%A: a truncated UTF-8 sequence and a short escape', () => {
    const query = 'm=c:%E0%A4%A';
    const expected = new URLSearchParams(query).get('m')!;
    expect(expected).toBe('c:\uFFFD%A');
    expect(only(query)).toEqual({
      param: 'm',
      message:
        'm=c:%E0%A4%A has invalid percent-encoding (a "%" without two hex digits after it, %XX bytes that ' +
        'are not UTF-8); reading it as m=c:\uFFFD%A (write %25 for a literal "%")',
      used: 'c:\uFFFD%A',
    });
    expect(scenarioOf(query).messages).toEqual([{ from: 'c', text: '\uFFFD%A' }]);
  });

  it('%ZZ: not an escape, kept literally', () => {
    expect(only('m=c:100%ZZ').message).toBe(
      'm=c:100%ZZ has invalid percent-encoding (a "%" without two hex digits after it); reading it as ' +
        'm=c:100%ZZ (write %25 for a literal "%")',
    );
    expect(scenarioOf('m=c:100%ZZ').messages).toEqual([{ from: 'c', text: '100%ZZ' }]);
  });

  it('%FF: a byte that is never UTF-8', () => {
    expect(only('ev=%FF').message).toBe(
      'ev=%FF has invalid percent-encoding (%XX bytes that are not UTF-8); reading it as ev=\uFFFD',
    );
  });

  it('a raw lone surrogate becomes U+FFFD', () => {
    const { state: st, problems } = parseLink('m=c:a\uD800b');
    expect(problems).toEqual([
      {
        param: 'm',
        message:
          'm=c:a\\ud800b has invalid percent-encoding (half of a UTF-16 surrogate pair); reading it as m=c:a\uFFFDb',
        used: 'c:a\uFFFDb',
      },
    ]);
    expect(st.scenario.messages).toEqual([{ from: 'c', text: 'a\uFFFDb' }]);
  });

  it('keeps a leading byte order mark, as URLSearchParams does', () => {
    expect(clean('m=c:%EF%BB%BFhi').scenario.messages[0]!.text).toBe('\uFEFFhi');
  });

  it('reads any value as the URL standard does: "+", escapes good and bad, lone surrogates', () => {
    // The standard's steps, literally (URL §5.1 and §1.3 percent-decode, then UTF-8 decode without BOM, which
    // gives U+FFFD for what is not UTF-8; the string's own lone surrogates are U+FFFD first, as USVString).
    // jsdom's and Node's URLSearchParams both misread some of these ("%FF " and "\u0080%FF"), so they are not
    // the oracle. Covers both fast paths (no "%"; well-formed escapes) and the byte loop.
    const standard = (value: string): string => {
      const bytes = new TextEncoder().encode(value.replace(/\+/g, ' '));
      const out: number[] = [];
      const hex = (b: number | undefined) => b !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(b));
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 0x25 && hex(bytes[i + 1]) && hex(bytes[i + 2])) {
          out.push(parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16));
          i += 2;
        } else out.push(bytes[i]!);
      }
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(out));
    };
    const piece = fc.oneof(
      fc.constantFrom(
        '+',
        '%',
        '%2B',
        '%25',
        '%E2%82%AC',
        '%e2%82',
        '%FF',
        '%C0%80',
        '%ED%A0%80',
        '%EF%BB%BF',
      ),
      fc.constantFrom('%f0%9f%98%80', '%Z', '%4', ' ', '\uD83D\uDE00', '\uD800', '\uDFFF', 'é', '\u0080'),
      fc.string({ unit: 'grapheme', maxLength: 6 }).map((t) => t.replace(/[&#]/g, '')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const value = pieces.join('');
        expect(splitQuery(`ev=${value}`).map((p) => p.value)).toEqual([standard(value)]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseLink: limits', () => {
  it('drops messages beyond the total byte budget (a 5 MB message)', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const { state: st, problems } = parseLink(`lesson=socketio&m=c:${big}`);
    expect(problems).toEqual([
      {
        param: 'm',
        message:
          "the m= messages add up to 5242880 bytes of text, more than the limit of 4194304; using the lesson's messages",
        used: '',
      },
    ]);
    expect(st.scenario.messages).toEqual(lessonScenario('socketio').messages);
  });

  it('keeps the messages that fit before the one that overflows, counting UTF-8 bytes', () => {
    const half = 'é'.repeat(LIMITS.maxMessageBytes / 4); // 2 bytes each: half the budget
    const query = `m=c:a&m=s:${half}&m=c:${half}&m=s:b`;
    const { state: st, problems } = parseLink(query);
    expect(problems.map((p) => p.message)).toEqual([
      `the m= messages add up to ${LIMITS.maxMessageBytes + 2} bytes of text, more than the limit of ` +
        `${LIMITS.maxMessageBytes}; using the first 2`,
    ]);
    expect(st.scenario.messages.map((m) => m.text.length)).toEqual([1, half.length]);
  });

  it('accepts exactly the byte budget', () => {
    const text = 'x'.repeat(LIMITS.maxMessageBytes);
    expect(clean(`m=c:${text}`).scenario.messages[0]!.text).toHaveLength(LIMITS.maxMessageBytes);
  });

  it('keeps the first 5000 of too many messages', () => {
    const query = Array.from({ length: LIMITS.maxMessages + 7 }, (_, i) => `m=c:${i}`).join('&');
    const { state: st, problems } = parseLink(query);
    expect(problems.map((p) => p.message)).toEqual([
      'm= is given 5007 times, more than the limit of 5000 messages; using the first 5000',
    ]);
    expect(st.scenario.messages).toHaveLength(LIMITS.maxMessages);
    expect(st.scenario.messages.at(-1)).toEqual({ from: 'c', text: '4999' });
  });

  it('reports the first 20 problems and counts the rest (thousands of parameters)', () => {
    const query = Array.from({ length: 3000 }, (_, i) => `p${i}=1`).join('&');
    const { state: st, problems } = parseLink(query);
    expect(problems).toHaveLength(21);
    expect(problems[0]).toEqual({ param: 'p0', message: 'unknown parameter "p0" ignored', used: '' });
    expect(problems[19]!.param).toBe('p19');
    expect(problems[20]).toEqual({ param: '', message: 'and 2980 more problems', used: '' });
    expect(st.scenario).toEqual(WEBSOCKET);
  });

  it('lists problems with known parameters before unknown ones, so they survive the cap', () => {
    const unknown = Array.from({ length: 30 }, (_, i) => `x${i}=1`).join('&');
    const { problems } = parseLink(`${unknown}&mss=abc`);
    expect(problems[0]!.message).toBe('mss=abc is not a whole number; using 1460');
    expect(problems.at(-1)!.message).toBe('and 11 more problems');
  });

  it('shortens long values in messages', () => {
    const p = only(`m=q:${'z'.repeat(1000)}`);
    expect(p.message).toBe(
      `m=q:${'z'.repeat(38)}… does not start with "c:" (client) or "s:" (server); ignored`,
    );
  });
});

describe('serialiseLink', () => {
  it('writes only the lesson for a lesson as it is', () => {
    for (const l of LESSONS) expect(serialiseLink(state({ lesson: l.id }))).toBe(`lesson=${l.id}`);
  });

  it('writes a typical teacher link readably and well under 300 characters', () => {
    const link = serialiseLink(
      state({
        seed: 42,
        messages: [
          { from: 'c', text: 'Hello, class!' },
          { from: 's', text: 'Hi! Ready?' },
          { from: 'c', text: "Yes, let's go" },
        ],
      }),
    );
    expect(link).toBe(
      'lesson=websocket&seed=42&m=c:Hello,%20class%21&m=s:Hi%21%20Ready%3F&m=c:Yes,%20let%27s%20go',
    );
    expect(link.length).toBeLessThan(300);
  });

  it('keeps any three short messages and a seed under 300 characters', () => {
    const short = fc.string({ unit: 'binary-ascii', maxLength: 20 });
    const message = fc.record({ from: fc.constantFrom<'c' | 's'>('c', 's'), text: short });
    fc.assert(
      fc.property(
        fc.tuple(message, message, message),
        fc.integer({ min: 0, max: MAX_UINT32 }),
        (ms, seed) => {
          expect(serialiseLink(state({ seed, messages: ms })).length).toBeLessThan(300);
        },
      ),
    );
  });

  it('writes every knob in the fixed order, lesson first and messages after the knobs', () => {
    const link = serialiseLink(
      state(
        {
          lesson: 'socketio',
          messages: [{ from: 's', text: 'a b' }],
          seed: 1,
          mss: 536,
          frag: 100,
          loss: [2, 9],
          close: 's',
          walk: 'all',
          ping: false,
          event: 'new message',
          clients: 3,
          emit: 'broadcast',
          drop: 12,
          transport: 'polling',
          interval: 250,
        },
        { step: 4, present: true, embed: true, from: 2, to: 8 },
      ),
      { includeStep: true, includeView: true },
    );
    expect(link).toBe(
      'lesson=socketio&seed=1&mss=536&frag=100&loss=2,9&close=s&walk=all&ping=0&ev=new%20message&clients=3' +
        '&emit=broadcast&drop=12&transport=polling&interval=250&m=s:a%20b&step=4&present=1&embed=1&from=2&to=8',
    );
  });

  it('writes step only with includeStep, and present/embed/from/to only with includeView', () => {
    const st = state({}, { step: 5, present: true, embed: true, from: 1, to: 3 });
    expect(serialiseLink(st)).toBe('lesson=websocket');
    expect(serialiseLink(st, { includeStep: true })).toBe('lesson=websocket&step=5');
    expect(serialiseLink(st, { includeView: true })).toBe('lesson=websocket&present=1&embed=1&from=1&to=3');
  });

  it('encodes "+", "&", "=", "#", "%" and spaces so they come back as typed', () => {
    const messages: ScenarioMessage[] = [{ from: 'c', text: '1+1=2 & 50% #win' }];
    const link = serialiseLink(state({ messages }));
    expect(link).toBe('lesson=websocket&m=c:1%2B1%3D2%20%26%2050%25%20%23win');
    expect(clean(link).scenario.messages).toEqual(messages);
  });

  it('escapes every byte of a message but A-Z a-z 0-9 - . _ ~ : , as %XX of its UTF-8, lone surrogates as U+FFFD', () => {
    // The rule, byte by byte (RFC 3986 §2.1, §2.3); the writer takes the browser's encodeURIComponent instead.
    const byByte = (text: string) =>
      [...new TextEncoder().encode(text)]
        .map((b) =>
          /[A-Za-z0-9\-._~:,]/.test(String.fromCharCode(b)) && b < 0x80
            ? String.fromCharCode(b)
            : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
        )
        .join('');
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          ...`!'()*~-._:,;/?@+$&=#% "<>[]{}|\\^\``.split(''),
          '\uD800',
          '\uDFFF',
          '\uD83D\uDE00',
        ),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 16,
    });
    fc.assert(
      fc.property(text, (t) => {
        const link = serialiseLink(state({ messages: [{ from: 'c', text: t }] }));
        expect(link).toBe(`lesson=websocket&m=c:${byByte(t)}`);
      }),
      { numRuns: 500 },
    );
  });

  it('writes an empty message list as a lone m=', () => {
    expect(serialiseLink(state({ messages: [] }))).toBe('lesson=websocket&m=');
  });

  it('writes none for a null frag or drop and for no loss when the lesson sets them', () => {
    // No built-in lesson sets these yet; compare against a lesson state changed by hand instead.
    const link = serialiseLink(state({ frag: 10, drop: 3, loss: [1] }));
    expect(link).toBe('lesson=websocket&frag=10&loss=1&drop=3');
    expect(clean('frag=none&drop=none&loss=none').scenario).toEqual(WEBSOCKET);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

/** Characters that matter to a query string, plus any Unicode text. */
const tricky = fc.constantFrom(
  '&',
  '=',
  '%',
  '+',
  '#',
  ' ',
  '?',
  ':',
  ',',
  '%20',
  '%2',
  '😀',
  '\uFEFF',
  '\t',
  '\n',
);
const anyText = fc.string({
  unit: fc.oneof(
    tricky,
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom('a', 'é'),
  ),
  maxLength: 30,
});
const uint32 = fc.integer({ min: 0, max: MAX_UINT32 });
const positive = fc.integer({ min: 1, max: MAX_UINT32 });

const linkState: fc.Arbitrary<LinkState> = fc
  .record({
    lesson: fc.constantFrom(...LESSONS.map((l) => l.id)),
    messages: fc.option(
      fc.array(fc.record({ from: fc.constantFrom<'c' | 's'>('c', 's'), text: anyText }), { maxLength: 8 }),
      { nil: undefined },
    ),
    seed: uint32,
    mss: fc.integer({ min: LIMITS.minMss, max: LIMITS.maxMss }),
    frag: fc.option(fc.integer({ min: LIMITS.minFrag, max: MAX_UINT32 }), { nil: null }),
    loss: fc.uniqueArray(positive, { maxLength: LIMITS.maxLoss }).map((l) => l.sort((a, b) => a - b)),
    close: fc.constantFrom<'c' | 's'>('c', 's'),
    walk: fc.constantFrom<'default' | 'all' | 'none'>('default', 'all', 'none'),
    ping: fc.boolean(),
    event: anyText.filter((e) => e !== '' && !RESERVED_EVENTS.includes(e)),
    clients: fc.integer({ min: 1, max: LIMITS.maxClients }),
    emit: fc.constantFrom<'socket' | 'broadcast' | 'io' | 'room'>('socket', 'broadcast', 'io', 'room'),
    drop: fc.option(positive, { nil: null }),
    transport: fc.constantFrom<'websocket' | 'polling'>('websocket', 'polling'),
    interval: fc.integer({ min: LIMITS.minInterval, max: LIMITS.maxInterval }),
    step: fc.option(positive, { nil: null }),
    present: fc.boolean(),
    embed: fc.boolean(),
    range: fc.tuple(fc.option(positive, { nil: null }), fc.option(positive, { nil: null })),
  })
  .map(({ lesson, messages, step, present, embed, range, ...knobs }) => {
    const base = lessonScenario(lesson);
    const [a, b] = range;
    const [from, to] = a !== null && b !== null && a > b ? [b, a] : [a, b];
    return {
      // Undefined messages: keep the lesson's own, which the link then leaves out.
      scenario: { ...base, ...knobs, messages: messages ?? base.messages },
      view: { step, present, embed, from, to },
    };
  });

describe('properties', () => {
  it('any valid LinkState survives serialiseLink -> parseLink unchanged and without problems', () => {
    fc.assert(
      fc.property(linkState, (st) => {
        const link = serialiseLink(st, { includeStep: true, includeView: true });
        expect(parseLink(link)).toEqual({ state: st, problems: [] });
        expect(parseLink(`https://class.example/ww/?${link}#top`)).toEqual({ state: st, problems: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('serialiseLink writes only unreserved characters, ":", ",", "=", "&" and %XX escapes', () => {
    fc.assert(
      fc.property(linkState, (st) => {
        const link = serialiseLink(st, { includeStep: true, includeView: true });
        expect(link).toMatch(/^lesson=[a-z-]+(&[a-z]+=([A-Za-z0-9\-._~:,]|%[0-9A-F]{2})*)*$/);
      }),
    );
  });

  it('decodes m= exactly as the browser URL parser does, for any text', () => {
    const raw = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          '%',
          '+',
          '=',
          '#',
          '?',
          ' ',
          '\t',
          '%E0',
          '%A4',
          '%F0%9F',
          '%ZZ',
          '%C3%A9',
          '%EF%BB%BF',
          'A',
          'f',
        ),
        fc.string({
          unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          maxLength: 1,
        }),
      ),
      maxLength: 40,
    });
    fc.assert(
      fc.property(raw, (r) => {
        fc.pre(!r.includes('&'));
        const input = `?m=c:${r}`;
        const expected = new URL(`http://x/${input}`).searchParams.get('m')!.slice(2);
        expect(parseLink(input).state.scenario.messages).toEqual([{ from: 'c', text: expected }]);
      }),
      { numRuns: 500 },
    );
  });

  const token = fc.constantFrom(
    '&',
    '=',
    '%',
    '?',
    '#',
    '+',
    ',',
    ':',
    '-',
    '%E0%A4%A',
    '%ZZ',
    '%F0%9F%98%80',
    '%26',
    '\uD800',
    '0',
    '1',
    '64',
    '9000',
    '4294967296',
    'none',
    'c:',
    's:',
    'x:',
    ...LINK_PARAMS.map((p) => p.name),
    'foo',
    ...['websocket', 'socketio', 'polling-vs-websocket', 'all', 'room', 'polling', 'connect'],
  );
  const queryLike = fc.array(token, { maxLength: 60 }).map((t) => t.join(''));

  it('parses any input without throwing into a valid scenario within LIMITS, which re-serialises cleanly', () => {
    const anyInput = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
      queryLike,
      queryLike.map((q) => `https://x.example/a?${q}`),
    );
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parseLink(input);
        expectValid(result);
        const again = serialiseLink(result.state, { includeStep: true, includeView: true });
        expect(parseLink(again)).toEqual({ state: result.state, problems: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('reports every parameter it does not know, by the name URLSearchParams sees', () => {
    fc.assert(
      fc.property(queryLike, (q) => {
        const { problems } = parseLink(`?${q}`);
        fc.pre(problems.length <= 20);
        const known = new Set<string>(LINK_PARAMS.map((p) => p.name));
        const names = [...new URL(`http://x/?${q}`).searchParams.keys()].filter((k) => !known.has(k));
        const reported = problems
          .filter((p) => p.message.startsWith('unknown parameter'))
          .map((p) => p.param);
        expect(reported).toEqual(names);
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every parameter of LINK_PARAMS: values drawn from what the table says each accepts, so a parameter added
// to the table is fuzzed here without touching this file.

/** One parameter's pairs as written in a link (`m` is repeated), and whether the table accepts them. */
interface Given {
  readonly param: LinkParam;
  readonly values: readonly string[];
  readonly valid: boolean;
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });

/** Values the table accepts for `p`. */
function validValues(p: LinkParam): fc.Arbitrary<readonly string[]> {
  const one = (a: fc.Arbitrary<string>) => a.map((v) => [v]);
  switch (p.kind) {
    case 'lesson':
      return one(fc.constantFrom(...LESSONS.map((l) => l.id)));
    case 'whole': {
      const n = fc.integer({ min: p.min, max: p.max }).map(String);
      return one(p.none ? fc.oneof(n, fc.constant('none')) : n);
    }
    case 'choice':
      return one(fc.constantFrom(...p.options));
    case 'flag':
      return one(fc.constantFrom('0', '1'));
    case 'packets':
      return one(
        fc.oneof(
          fc.array(positive, { maxLength: p.max }).map((l) => l.join(',')),
          fc.constant('none'),
        ),
      );
    case 'event':
      return one(text.filter((e) => e !== '' && !RESERVED_EVENTS.includes(e) && utf8Bytes(e) <= p.maxBytes));
    case 'messages':
      return fc.array(
        fc.tuple(fc.constantFrom('c', 's'), text).map(([side, t]) => `${side}:${t}`),
        { minLength: 1, maxLength: 4 },
      );
  }
}

/** Values the table refuses for `p`: each must be reported. */
function invalidValues(p: LinkParam): fc.Arbitrary<readonly string[]> {
  const one = (...v: string[]) => fc.constantFrom(...v).map((x) => [x]);
  switch (p.kind) {
    case 'lesson':
      return one('', 'no-such-lesson', 'WEBSOCKET', '__proto__');
    case 'whole':
      return one('', 'x', '1e3', '0x10', String(p.min - 1), String(p.max + 1), ...(p.none ? [] : ['none']));
    case 'choice':
      return one('', 'x', ...p.options.map((o) => o.toUpperCase()));
    case 'flag':
      return one('', '2', 'true', 'yes');
    case 'packets':
      return one('0', 'x', '-1', '1,,x', '1.5');
    case 'event':
      return one('', 'e'.repeat(p.maxBytes + 1), ...RESERVED_EVENTS);
    case 'messages':
      return fc
        .tuple(validValues(p), fc.constantFrom('x:hi', 'hello', 'c'))
        .map(([good, bad]) => [...good, bad]);
  }
}

/** What parseLink must have made of valid values, read from the table alone. */
function expectedValue(p: LinkParam, values: readonly string[]): unknown {
  const v = values[0]!;
  switch (p.kind) {
    case 'lesson':
    case 'choice':
    case 'event':
      return v;
    case 'whole':
      return v === 'none' ? null : Number(v);
    case 'flag':
      return v === '1';
    case 'packets':
      return v === 'none' ? [] : [...new Set(v.split(',').filter(Boolean).map(Number))].sort((a, b) => a - b);
    case 'messages':
      return values.map((m) => ({ from: m[0], text: m.slice(2) }));
  }
}

const everyParameter = (validOnly: boolean): fc.Arbitrary<readonly Given[]> =>
  fc
    .tuple(
      ...LINK_PARAMS.map((p: LinkParam) =>
        (validOnly ? fc.constant(true) : fc.boolean()).chain((valid) =>
          (valid ? validValues(p) : invalidValues(p)).map((values): Given => ({ param: p, values, valid })),
        ),
      ),
    )
    .map((drawn) => {
      // from after to is a problem of the pair, not of either value: give a valid pair in order.
      const from = drawn.find((g) => g.param.name === 'from')!;
      const to = drawn.find((g) => g.param.name === 'to')!;
      const given =
        from.valid && to.valid && Number(from.values[0]) > Number(to.values[0])
          ? drawn.map((g) =>
              g === from ? { ...g, values: to.values } : g === to ? { ...g, values: from.values } : g,
            )
          : drawn;
      // tls=1 on the polling comparison is a problem of the pair (parse.ts): give it on the other stories only.
      const lesson = given.find((g) => g.param.name === 'lesson')!;
      const tls = given.find((g) => g.param.name === 'tls')!;
      const onCompare =
        lesson.valid &&
        parseLink(`?lesson=${encodeURIComponent(lesson.values.at(-1) ?? '')}`).state.scenario.story ===
          'compare';
      const withTls =
        onCompare && tls.valid && tls.values.at(-1) === '1'
          ? given.map((g) => (g === tls ? { ...g, values: ['0'] } : g))
          : given;
      // So is hops on the polling comparison (it keeps its one path): give it the default there.
      const hops = withTls.find((g) => g.param.name === 'hops')!;
      const withHops =
        onCompare && hops.valid ? withTls.map((g) => (g === hops ? { ...g, values: ['1'] } : g)) : withTls;
      // deflate=1 outside the websocket story is likewise a problem of the pair: give it there only.
      const deflate = withHops.find((g) => g.param.name === 'deflate')!;
      const story = lesson.valid
        ? parseLink(`?lesson=${encodeURIComponent(lesson.values.at(-1) ?? '')}`).state.scenario.story
        : 'websocket';
      const withDeflate =
        story !== 'websocket' && deflate.valid && deflate.values.at(-1) === '1'
          ? withHops.map((g) => (g === deflate ? { ...g, values: ['0'] } : g))
          : withHops;
      // offline=<step> outside the Socket.IO story likewise.
      const offline = withDeflate.find((g) => g.param.name === 'offline')!;
      const withOffline =
        story !== 'socketio' && offline.valid && offline.values.at(-1) !== 'none'
          ? withDeflate.map((g) => (g === offline ? { ...g, values: ['none'] } : g))
          : withDeflate;
      // client=ws (the plain-WebSocket page) only where parse.ts lets it run: a Socket.IO lesson with one
      // browser, no drop or offline, transport=websocket and no TLS. Judge it on the scenario read without it.
      const client = withOffline.find((g) => g.param.name === 'client')!;
      if (client.valid && client.values.at(-1) === 'ws') {
        const rest = parseLink(linkOf(withOffline.filter((g) => g !== client))).state.scenario;
        const fits =
          rest.story === 'socketio' &&
          rest.clients === 1 &&
          rest.drop === null &&
          (rest.offline ?? null) === null &&
          rest.transport === 'websocket' &&
          !rest.tls;
        if (!fits) return withOffline.map((g) => (g === client ? { ...g, values: ['io'] } : g));
      }
      return withOffline;
    });

function linkOf(given: readonly Given[]): string {
  const pairs = given.flatMap((g) => g.values.map((v) => `${g.param.name}=${encodeURIComponent(v)}`));
  return `?${pairs.join('&')}`;
}

describe('hops', () => {
  it('reads 0 to 4, keeps the default (1) out of the scenario, writes back what differs', () => {
    for (const n of [0, 2, 3, 4]) {
      const { state, problems } = parseLink(`?lesson=websocket&hops=${n}`);
      expect(problems).toEqual([]);
      expect(state.scenario.hops).toBe(n);
      expect(serialiseLink(state)).toContain(`hops=${n}`);
    }
    const one = parseLink('?lesson=websocket&hops=1');
    expect(one.problems).toEqual([]);
    expect(one.state.scenario.hops).toBeUndefined();
    expect(serialiseLink(one.state)).not.toContain('hops');
  });

  it('refuses 5, -1 and words, naming the parameter, and uses the default', () => {
    for (const bad of ['5', '-1', 'two', '1.5']) {
      const { state, problems } = parseLink(`?lesson=websocket&hops=${bad}`);
      expect(problems.map((p) => p.param)).toEqual(['hops']);
      expect(state.scenario.hops).toBeUndefined();
    }
  });

  it('has no effect on the polling comparison, and says so', () => {
    const { state, problems } = parseLink('?lesson=polling-vs-websocket&hops=3');
    expect(problems.map((p) => p.param)).toEqual(['hops']);
    expect(state.scenario.hops).toBeUndefined();
  });
});

describe('tls on the polling comparison', () => {
  it('is reported and not used: the comparison runs over plain http:// and ws://', () => {
    const { state, problems } = parseLink('?lesson=polling-vs-websocket&tls=1');
    expect(problems.map((p) => p.param)).toEqual(['tls']);
    expect(state.scenario.tls).toBeUndefined();
    expect(parseLink('?lesson=websocket&tls=1').problems).toEqual([]);
  });
});

describe('deflate outside the websocket story', () => {
  it('is reported and not used: only the ws server of the WebSocket lessons is given perMessageDeflate', () => {
    const { state, problems } = parseLink('?lesson=socketio&deflate=1');
    expect(problems.map((p) => p.param)).toEqual(['deflate']);
    expect(state.scenario.deflate).toBeUndefined();
    const ok = parseLink('?lesson=websocket&deflate=1');
    expect(ok.problems).toEqual([]);
    expect(ok.state.scenario.deflate).toBe(true);
    expect(serialiseLink(ok.state)).toBe('lesson=websocket&deflate=1');
  });
});

describe('every parameter of LINK_PARAMS', () => {
  it('the table names every parameter once, and the fuzz below draws a value for each', () => {
    const names = LINK_PARAMS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['lesson', 'm', 'step', 'embed', 'from', 'to']));
  });

  it('reads valid values of all parameters at once, without problems, into the fields the table names', () => {
    fc.assert(
      fc.property(everyParameter(true), (given) => {
        const { state, problems } = parseLink(linkOf(given));
        expect(problems).toEqual([]);
        for (const g of given) {
          const part: Record<string, unknown> = state[g.param.part] as never;
          // An optional flag (tls, deflate) is absent when off: absent reads as 0; hops is absent when 1 (the default).
          const optional = g.param.name === 'tls' || g.param.name === 'deflate';
          const value = optional
            ? (part[g.param.field] ?? false)
            : g.param.name === 'offline'
              ? (part[g.param.field] ?? null)
              : g.param.name === 'client'
                ? (part[g.param.field] ?? 'io')
                : g.param.name === 'hops'
                  ? (part[g.param.field] ?? DEFAULT_HOPS)
                  : part[g.param.field];
          expect(value, g.param.name).toEqual(expectedValue(g.param, g.values));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports each parameter given a value the table refuses, and only those, and stays valid', () => {
    fc.assert(
      fc.property(everyParameter(false), (given) => {
        const result = parseLink(linkOf(given));
        expectValid(result);
        const reported = new Set(result.problems.map((p) => p.param));
        // Past a screenful the list ends in "and N more problems" (src/lesson/link/problems.ts): then every
        // refused parameter is either named or counted in N.
        const more = result.problems.find(
          (p) => p.param === '' && /^and \d+ more problems?$/.test(p.message),
        );
        const refused = given.filter((g) => !g.valid);
        for (const g of given) {
          const named = reported.has(g.param.name);
          if (g.valid || !more) expect(named, `${g.param.name}=${g.values.join('|')}`).toBe(!g.valid);
        }
        if (more) {
          const named = refused.filter((g) => reported.has(g.param.name)).length;
          // A parameter may earn more than one problem (two bad messages), so at least as many as refused.
          expect(named + Number(/\d+/.exec(more.message)![0])).toBeGreaterThanOrEqual(refused.length);
        }
        const again = serialiseLink(result.state, { includeStep: true, includeView: true });
        expect(parseLink(again)).toEqual({ state: result.state, problems: [] });
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The compressed form: past LINK_BUDGET, the scenario goes into a `#z=` fragment

const ALL_VIEW = { includeStep: true, includeView: true } as const;
/** The query of a written link, with its '?', and the fragment ('' when there is none). */
function cut(link: string): { query: string; fragment: string } {
  const at = link.indexOf('#');
  return at < 0
    ? { query: `?${link}`, fragment: '' }
    : { query: `?${link.slice(0, at)}`, fragment: link.slice(at + 1) };
}

/** Messages long enough together that the readable link is over the budget. */
const longState: fc.Arbitrary<LinkState> = fc
  .tuple(
    linkState,
    fc.array(fc.record({ from: fc.constantFrom<'c' | 's'>('c', 's'), text: anyText }), {
      minLength: 1,
      maxLength: 8,
    }),
    fc.integer({ min: 0, max: 3000 }),
  )
  .map(([st, messages, pad]) => ({
    ...st,
    scenario: {
      ...st.scenario,
      messages: [...messages, { from: 'c' as const, text: 'é'.repeat(LINK_BUDGET / 6 + pad) }],
    },
  }));

describe('the compressed form (#z=)', () => {
  it('writes the readable query while `?` and the query fit in LINK_BUDGET, the #z= form beyond', () => {
    const fits = (n: number) => state({ messages: [{ from: 'c', text: 'x'.repeat(n) }] });
    const readable = serialiseLink(fits(0), ALL_VIEW);
    const most = LINK_BUDGET - 1 - readable.length;
    expect(writeLink(fits(most), ALL_VIEW)).toBe(serialiseLink(fits(most), ALL_VIEW));
    expect((1 + writeLink(fits(most), ALL_VIEW)).length).toBe(LINK_BUDGET);
    const over = writeLink(fits(most + 1), ALL_VIEW);
    const text = serialiseLink(fits(most + 1)).replace(/^lesson=websocket&/, '');
    expect(over).toBe(`lesson=websocket#z=${LZString.compressToEncodedURIComponent(text)}`);
  });

  it('keeps lesson and the view readable in the query, and the rest exactly as serialiseLink writes it', () => {
    const st = state(
      { seed: 42, messages: [{ from: 'c', text: 'a b'.repeat(1000) }] },
      { step: 12, present: true, embed: true, from: 3, to: 40 },
    );
    const link = writeLink(st, ALL_VIEW);
    const { query, fragment } = cut(link);
    expect(query).toBe('?lesson=websocket&step=12&present=1&embed=1&from=3&to=40');
    expect(LZString.decompressFromEncodedURIComponent(fragment.slice(2))).toBe(
      `seed=42&m=c:${'a%20b'.repeat(1000)}`,
    );
    expect(parseLink(link)).toEqual({ state: st, problems: [] });
  });

  it('any valid LinkState survives writeLink -> parseLink unchanged, in either form', () => {
    fc.assert(
      fc.property(fc.oneof(linkState, longState), (st) => {
        const link = writeLink(st, ALL_VIEW);
        const full = `https://class.example/ww/?${link}`;
        for (const form of [link, `?${link}`, full, ` ${full}\n`]) {
          expect(parseLink(form)).toEqual({ state: st, problems: [] });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('any long scenario writes a query of at most LINK_BUDGET characters and a #z= fragment', () => {
    fc.assert(
      fc.property(longState, (st) => {
        const link = writeLink(st, ALL_VIEW);
        const { query, fragment } = cut(link);
        expect(query.length).toBeLessThanOrEqual(LINK_BUDGET);
        expect(query).toMatch(/^\?lesson=[a-z-]+(&(step|present|embed|from|to)=\d+)*$/);
        expect(fragment).toMatch(/^z=[A-Za-z0-9+\-$]+$/);
      }),
      { numRuns: 100 },
    );
  });

  it('reads the compressed text as more of the query, with the same problems', () => {
    const z = (text: string) => `#z=${LZString.compressToEncodedURIComponent(text)}`;
    expect(
      parseLink(`?lesson=websocket&step=3${z('seed=7&mss=abc&foo=1')}`).problems.map((p) => p.message),
    ).toEqual(['mss=abc is not a whole number; using 1460', 'unknown parameter "foo" ignored']);
    expect(parseLink(`lesson=websocket${z('seed=7')}`).state.scenario.seed).toBe(7);
    expect(only(`lesson=websocket&seed=1${z('seed=7')}`).message).toBe(
      'seed is given 2 times; using the first (seed=1)',
    );
    // A chat app that percent-encoded the fragment.
    const packed = LZString.compressToEncodedURIComponent('m=c:hi');
    expect(
      clean(`lesson=websocket#z=${encodeURIComponent(packed).replace(/\$/g, '%24')}`).scenario.messages,
    ).toEqual([{ from: 'c', text: 'hi' }]);
    // Other fragments are ignored, as before.
    expect(clean('lesson=websocket&seed=7#z').scenario.seed).toBe(7);
    expect(clean('lesson=websocket&seed=7#top').scenario.seed).toBe(7);
  });

  it('a #z= that cannot be read is reported, and the lesson opens with its own settings', () => {
    for (const bad of ['!!!', 'z', '', '%E0%A4', 'A'.repeat(50), 'zz zz']) {
      const { state: st, problems } = parseLink(`?lesson=socketio&step=4#z=${bad}`);
      expect(problems).toEqual([
        {
          param: 'z',
          message:
            "the compressed part of the link (#z=…) is damaged or incomplete; using the lesson's own settings and messages",
          used: '',
        },
      ]);
      expect(st.scenario).toEqual(lessonScenario('socketio'));
      expect(st.view.step).toBe(4);
    }
  });

  it('garbage after #z= never throws: it is reported, or read as the query text it happens to expand to', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
    const garbage = fc.oneof(
      fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 200 }),
      fc.string({ unit: fc.oneof(tricky, fc.constantFrom(...alphabet, '%', '!', '*')), maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    fc.assert(
      fc.property(garbage, (g) => {
        const result = parseLink(`?lesson=websocket#z=${g}`);
        expectValid(result);
        let expanded: string | null = null;
        try {
          // As the URL parser reads the fragment: tabs and line breaks gone, trailing controls trimmed.
          // eslint-disable-next-line no-control-regex
          const packed = g.replace(/[\t\n\r]/g, '').replace(/[\u0000-\u0020]+$/, '');
          expanded = LZString.decompressFromEncodedURIComponent(
            packed.includes('%') ? decodeURIComponent(packed) : packed,
          );
        } catch {
          // lz-string itself throws on some garbage; parseLink must not.
        }
        const unreadable = result.problems.some((p) => p.param === 'z');
        if (!unreadable) {
          expect(expanded).toBeTruthy();
          expect(result).toEqual(parseLink(`?lesson=websocket&${expanded}`));
        } else {
          expect(result.state.scenario).toEqual(WEBSOCKET);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a #z= that would expand past the limits is refused quickly instead of filling the memory', () => {
    // Written by hand in lz-string's format: one 'a', then `codes` codes that each stand for the entry before
    // plus one 'a', so 11 kB expand to 14 million characters (and 100 kB would to a billion).
    const bombOf = (codes: number): string => {
      const bits: number[] = [];
      const put = (value: number, count: number) => {
        for (let i = 0; i < count; i++) bits.push((value >> i) & 1);
      };
      put(0, 2);
      put(97, 8);
      let numBits = 3;
      let enlargeIn = 4;
      let dictSize = 4;
      for (let k = 0; k < codes; k++) {
        put(dictSize++, numBits);
        if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
      }
      put(2, numBits);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
      let out = '';
      for (let i = 0; i < bits.length; i += 6) {
        let v = 0;
        for (let j = 0; j < 6; j++) v = v * 2 + (bits[i + j] ?? 0);
        out += alphabet[v];
      }
      return out;
    };
    expect(LZString.decompressFromEncodedURIComponent(bombOf(50))).toBe('a'.repeat(1 + (50 * 53) / 2));
    const bomb = bombOf(5300);
    expect(bomb.length).toBeLessThan(12_000);
    expect(only(`lesson=websocket#z=${bomb}`).param).toBe('z');
  });
});
