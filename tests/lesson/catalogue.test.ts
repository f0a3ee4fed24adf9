import { createHash } from 'node:crypto';
import {
  LESSONS as CARDS,
  lessonById as cardById,
  lessonScenario,
  lessonsInOrder,
  type LessonDef as LessonCard,
} from '../../src/lesson/catalogue';
import { LESSON_CONTENT, lessonContent, type LessonContent } from '../../src/lesson/content';

// A lesson as the classroom sees it: the link-facing card plus its lazily loaded content.
type LessonDef = LessonCard & LessonContent;
const LESSONS: readonly LessonDef[] = CARDS.map((c) => ({ ...c, ...lessonContent(c.id)! }));
const lessonById = (id: string): LessonDef | undefined => LESSONS.find((l) => l.id === id);
import { DEFAULT_VIEW, parseLink, serialiseLink } from '../../src/lesson/link';
import { toHex } from '../../src/protocol/bytes';
import { SCENARIO_DEFAULTS } from '../../src/sim/scenario';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Packet, Step, Timeline } from '../../src/sim/types';

/** The teaching order of the brief: overview first, loss last. */
const TEACHING_ORDER = [
  'websocket',
  'osi',
  'tcp',
  'upgrade',
  'frames',
  'masking',
  'close',
  'wss',
  'socketio',
  'emit',
  'reconnect',
  'polling-vs-websocket',
  'loss',
];

const timelines = new Map<string, Timeline>();
function timelineOf(id: string): Timeline {
  let t = timelines.get(id);
  if (!t) {
    t = buildTimeline(lessonScenario(id), ALL_STORIES);
    timelines.set(id, t);
  }
  return t;
}

function lesson(id: string): LessonDef {
  const l = lessonById(id);
  if (!l) throw new Error(`no lesson ${id}`);
  return l;
}

function sentences(text: string): number {
  return text.split(/[.!?](\s|$)/).filter((s) => s.trim() !== '').length;
}

function packetAt(t: Timeline, s: Step): Packet | undefined {
  return s.packet === undefined ? undefined : t.packets[s.packet];
}

/** The step at which the lesson's aside says something, with the text, for the steps matching `pred`. */
function asidesWhere(id: string, pred: (s: Step, t: Timeline) => boolean): { step: Step; text: string }[] {
  const t = timelineOf(id);
  const l = lesson(id);
  return t.steps
    .filter((s) => pred(s, t))
    .map((step) => ({ step, text: l.aside?.(step, t) ?? '' }))
    .filter((x) => x.text !== '');
}

function wirePacket(id: string, pred: (p: Packet) => boolean): { step: Step; packet: Packet } {
  const t = timelineOf(id);
  // ARP steps are transmits too, with no packet (step.link).
  const step = t.steps.find((s) => {
    const p = s.kind === 'transmit' ? packetAt(t, s) : undefined;
    return p !== undefined && pred(p);
  });
  if (!step) throw new Error(`no such packet in ${id}`);
  return { step, packet: packetAt(t, step)! };
}

describe('LESSONS', () => {
  it('lists the lessons in teaching order, and lessonsInOrder() gives that order', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(TEACHING_ORDER);
    expect(lessonsInOrder().map((l) => l.id)).toEqual(TEACHING_ORDER);
  });

  it('has unique ids that stay literal in a link', () => {
    const ids = LESSONS.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(encodeURIComponent(id)).toBe(id);
    }
  });

  it('gives every lesson a title and a one- or two-sentence summary', () => {
    for (const l of LESSONS) {
      expect(l.title.trim()).not.toBe('');
      expect(sentences(l.summary)).toBeGreaterThanOrEqual(1);
      expect(sentences(l.summary)).toBeLessThanOrEqual(2);
    }
  });

  it('gives every lesson a 2-4 sentence introduction and teacher notes', () => {
    for (const l of LESSONS) {
      expect(sentences(l.intro), l.id).toBeGreaterThanOrEqual(2);
      expect(sentences(l.intro), l.id).toBeLessThanOrEqual(4);
      expect(l.teacherNotes.length, l.id).toBeGreaterThan(100);
    }
  });

  it('gives every lesson 2-4 self-checks with 2-4 distinct choices, a valid answer and an explanation', () => {
    for (const l of LESSONS) {
      expect(l.checks.length, l.id).toBeGreaterThanOrEqual(2);
      expect(l.checks.length, l.id).toBeLessThanOrEqual(4);
      for (const c of l.checks) {
        expect(c.question.trim(), l.id).not.toBe('');
        expect(c.choices.length, c.question).toBeGreaterThanOrEqual(2);
        expect(c.choices.length, c.question).toBeLessThanOrEqual(4);
        expect(new Set(c.choices).size, c.question).toBe(c.choices.length);
        expect(Number.isInteger(c.answer), c.question).toBe(true);
        expect(c.answer, c.question).toBeGreaterThanOrEqual(0);
        expect(c.answer, c.question).toBeLessThan(c.choices.length);
        expect(c.explain.length, c.question).toBeGreaterThan(40);
      }
    }
  });

  it('keeps lesson and story out of the defaults (they come from the definition)', () => {
    for (const l of LESSONS) {
      expect(l.defaults).not.toHaveProperty('lesson');
      expect(l.defaults).not.toHaveProperty('story');
    }
  });

  it('defines the websocket lesson: the whole story, Hello then Hi!, with ping/pong', () => {
    const l = lessonById('websocket');
    expect(l?.title).toBe('What is a WebSocket? The whole story');
    expect(l?.story).toBe('websocket');
    const s = lessonScenario('websocket');
    expect(s.messages).toEqual([
      { from: 'c', text: 'Hello' },
      { from: 's', text: 'Hi!' },
    ]);
    expect(s.ping).toBe(true);
  });

  it('defines the socketio lessons on the socketio story and the comparison on the compare story', () => {
    for (const id of ['socketio', 'emit', 'reconnect']) expect(lessonById(id)?.story).toBe('socketio');
    expect(lessonScenario('socketio').messages).toEqual([
      { from: 'c', text: 'Hello' },
      { from: 's', text: 'Hi!' },
    ]);
    expect(lessonById('polling-vs-websocket')?.story).toBe('compare');
    expect(lessonScenario('polling-vs-websocket').story).toBe('compare');
  });
});

describe('every lesson runs', () => {
  it.each(TEACHING_ORDER)('%s builds a timeline without an engine error', (id) => {
    const t = timelineOf(id);
    expect(t.steps.length).toBeGreaterThan(10);
    expect(t.steps.map((s) => s.title)).not.toContain('This scenario could not be simulated');
    expect(t.scenario.lesson).toBe(id);
  });

  it.each(TEACHING_ORDER)('%s opens at a step inside its timeline', (id) => {
    const t = timelineOf(id);
    const start = lesson(id).start?.(t) ?? 1;
    expect(Number.isInteger(start)).toBe(true);
    expect(start).toBeGreaterThanOrEqual(1);
    expect(start).toBeLessThanOrEqual(t.steps.length);
  });

  it.each(TEACHING_ORDER)('%s: the aside is pure and speaks at least once, from its start on', (id) => {
    const l = lesson(id);
    const t = timelineOf(id);
    const again = buildTimeline(lessonScenario(id), ALL_STORIES);
    expect(l.aside).toBeTypeOf('function');
    const start = l.start?.(t) ?? 1;
    let spoken = 0;
    for (const s of t.steps) {
      const a = l.aside!(s, t);
      expect(l.aside!(s, t)).toBe(a);
      expect(l.aside!(again.steps[s.index]!, again)).toBe(a);
      if (a !== undefined) {
        expect(a.trim()).not.toBe('');
        expect(a).not.toMatch(/undefined|NaN|\[object/);
        if (s.index + 1 >= start) spoken++;
      }
    }
    expect(spoken).toBeGreaterThan(0);
  });

  it.each(TEACHING_ORDER)('%s: its link round-trips through serialiseLink and parseLink', (id) => {
    const t = timelineOf(id);
    const state = {
      scenario: lessonScenario(id),
      view: { ...DEFAULT_VIEW, step: lesson(id).start?.(t) ?? 1 },
    };
    const link = serialiseLink(state, { includeStep: true });
    expect(link.startsWith(`lesson=${id}&`)).toBe(true);
    expect(parseLink(link)).toEqual({ state, problems: [] });
    expect(serialiseLink(state)).toBe(`lesson=${id}`);
  });
});

describe('lesson points, checked against the bytes', () => {
  it('osi: opens at the Hello frame on layer 7, and its sizes add up layer by layer', () => {
    const t = timelineOf('osi');
    const start = t.steps[lesson('osi').start!(t) - 1]!;
    const p = packetAt(t, start)!;
    expect([start.host, start.layer, start.kind]).toEqual(['client', 7, 'encapsulate']);
    expect(p.app?.kind === 'ws-frame' && p.app.text).toBe('Hello');
    const app = p.frame.length - p.layers.tcp!.end;
    const segment = p.frame.length - p.layers.ipv4!.end;
    const packet = p.frame.length - p.layers.ethernet!.end;
    const frame = p.frame.length + p.padding + 4;
    const down = asidesWhere('osi', (s) => s.packet === p.id && s.kind === 'encapsulate');
    expect(down.map((d) => d.step.layer)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(down[0]!.text).toContain(`${app} bytes`);
    expect(down[1]!.text).toBe(`Still ${app} bytes: layer 6 changed nothing and added nothing.`);
    expect(down[2]!.text).toMatch(new RegExp(`^Still ${app} bytes: .*DNS`));
    expect(down[3]!.text).toContain(`= ${segment} bytes: a segment`);
    expect(down[4]!.text).toContain(`= ${packet} bytes: a packet`);
    expect(down[5]!.text).toContain(`= ${frame} bytes: a frame`);
    expect(down[6]!.text).toContain(`${(frame + 8) * 8} bits`);
    const up = asidesWhere('osi', (s) => s.packet === p.id && s.kind === 'decapsulate');
    expect(up.map((u) => u.step.layer)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(up[6]!.text).toContain('"Hello"');
    // Only that one frame's steps carry the OSI aside.
    expect(asidesWhere('osi', (s) => s.packet !== p.id)).toEqual([]);
  });

  it('tcp: the handshake ACK aside gives x+1 and y+1 as absolute numbers from the SYN and SYN-ACK', () => {
    const syn = wirePacket('tcp', (p) => p.tcp.flags.join() === 'SYN').packet;
    const synAck = wirePacket('tcp', (p) => p.tcp.flags.join() === 'SYN,ACK').packet;
    const ack = wirePacket('tcp', (p) => p.tcp.flags.join() === 'ACK' && p.tcp.relSeq === 1);
    const text = lesson('tcp').aside!(ack.step, timelineOf('tcp'))!;
    expect(text).toContain(`Seq = ${syn.tcp.seq + 1} = x+1`);
    expect(text).toContain(`Ack = ${synAck.tcp.seq + 1} = y+1`);
    expect(ack.packet.tcp.seq).toBe(syn.tcp.seq + 1);
    const t = timelineOf('tcp');
    expect(t.steps[lesson('tcp').start!(t) - 1]!.title).toMatch(/CLOSED → SYN_SENT/);
  });

  it('tcp: every FIN aside says the FIN uses up a number, and its ACK says FIN + 1', () => {
    const fins = asidesWhere(
      'tcp',
      (s, t) => s.kind === 'transmit' && !!packetAt(t, s)?.tcp.flags.includes('FIN'),
    );
    expect(fins).toHaveLength(2);
    for (const f of fins) {
      const p = packetAt(timelineOf('tcp'), f.step)!;
      expect(f.text).toContain(`Ack = ${p.tcp.relSeq + 1} (relative)`);
    }
  });

  it('upgrade: the 101 aside computes the accept value that node:crypto computes from the GET key', () => {
    const get = wirePacket('upgrade', (p) => p.app?.kind === 'http-request').packet;
    const key = /Sec-WebSocket-Key: (\S+)\r\n/.exec(
      new TextDecoder().decode(get.frame.subarray(get.layers.tcp!.end)),
    )![1]!;
    const accept = createHash('sha1')
      .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
      .digest('base64');
    const res = wirePacket('upgrade', (p) => p.app?.kind === 'http-response');
    const head = new TextDecoder().decode(res.packet.frame.subarray(res.packet.layers.tcp!.end));
    expect(head).toContain(`Sec-WebSocket-Accept: ${accept}\r\n`);
    const text = lesson('upgrade').aside!(res.step, timelineOf('upgrade'))!;
    expect(text).toContain(`1) the key ${key}`);
    expect(text).toContain(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`);
    expect(text).toContain(
      createHash('sha1')
        .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
        .digest('hex'),
    );
    expect(text).toContain(`4) those 20 bytes in base64: ${accept}, exactly the header in this 101.`);
    const t = timelineOf('upgrade');
    const first = packetAt(t, t.steps[lesson('upgrade').start!(t) - 1]!)!;
    expect(first.tcp.flags).toEqual(['ACK']);
    expect([first.tcp.relSeq, first.tcp.relAck, first.tcp.len]).toEqual([1, 1, 0]);
  });

  it('frames: the server speaks first, before the browser sends any data after the 101', () => {
    const t = timelineOf('frames');
    const firstFrame = t.packets.find((p) => p.app?.kind === 'ws-frame')!;
    expect(firstFrame.from).toBe('server');
    const start = t.steps[lesson('frames').start!(t) - 1]!;
    expect(start.packet).toBe(firstFrame.id);
    const text = lesson('frames').aside!(start, t)!;
    const head = firstFrame.frame.subarray(firstFrame.layers.tcp!.end, firstFrame.layers.tcp!.end + 2);
    expect(text).toContain(`Header ${toHex(head)}`);
    expect(text).toContain('server push');
    expect(start.curriculum).toContain('Q3');
  });

  it('masking: the aside lists the masked bytes actually on the wire, and the same text masks differently', () => {
    const t = timelineOf('masking');
    const hellos = asidesWhere(
      'masking',
      (s, tl) =>
        s.kind === 'transmit' &&
        packetAt(tl, s)?.from === 'client' &&
        packetAt(tl, s)?.app?.kind === 'ws-frame',
    ).filter((a) => a.text.startsWith('Key'));
    expect(hellos).toHaveLength(2);
    const wire = hellos.map(({ step }) => {
      const p = packetAt(t, step)!;
      const payload = p.frame.subarray(p.layers.tcp!.end + 6);
      return toHex(payload);
    });
    expect(wire[0]).not.toBe(wire[1]);
    expect(hellos[0]!.text).toContain(`On the wire: ${wire[0]}.`);
    expect(hellos[1]!.text).toContain(`On the wire: ${wire[1]}.`);
    expect(hellos[1]!.text).toContain(`went out as ${wire[0]}: same text, different bytes`);
    const server = wirePacket('masking', (p) => p.from === 'server' && p.app?.kind === 'ws-frame');
    expect(lesson('masking').aside!(server.step, t)).toContain('48 65 6c 6c 6f');
  });

  it('close: the server closes, and the aside reads status 1000 from the Close frame payload', () => {
    const t = timelineOf('close');
    const start = t.steps[lesson('close').start!(t) - 1]!;
    expect(start.host).toBe('server');
    const close = wirePacket('close', (p) => p.app?.kind === 'ws-frame' && p.app.opcode === 8);
    expect(close.packet.from).toBe('server');
    const payload = close.packet.frame.subarray(close.packet.layers.tcp!.end + 2);
    expect(toHex(payload.subarray(0, 2))).toBe('03 e8');
    expect(lesson('close').aside!(close.step, t)).toContain('03 e8 is the status code 1000');
    const onclose = asidesWhere(
      'close',
      (s) => s.kind === 'app' && s.host === 'client' && s.title.startsWith('onclose'),
    );
    expect(onclose).toHaveLength(1);
    expect(onclose[0]!.text).toMatch(/1005.*1006.*None of them is ever sent on the wire/);
  });

  it('loss: a data segment of a 4-segment message is lost and fast-retransmitted; a FIN is lost and resent on timeout', () => {
    const t = timelineOf('loss');
    const lost = t.packets.filter((p) => p.lost);
    expect(lost).toHaveLength(2);
    const [data, fin] = lost;
    expect(data!.tcp.len).toBeGreaterThan(0);
    expect(fin!.tcp.flags).toContain('FIN');
    const pieces = t.packets.filter((p) => p.app?.kind === 'continuation' && p.app.of === data!.id);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    const again = t.packets.filter((p) => p.retransmissionOf !== undefined);
    expect(again.map((p) => [p.retransmissionOf, p.retransmitReason])).toEqual([
      [data!.id, 'fast-retransmit'],
      [fin!.id, 'timeout'],
    ]);
    const dups = asidesWhere('loss', (s) => s.kind === 'transmit').filter((a) =>
      a.text.startsWith('Duplicate ACK'),
    );
    expect(dups.map((d) => d.text.slice(0, 15))).toEqual([
      'Duplicate ACK 1',
      'Duplicate ACK 2',
      'Duplicate ACK 3',
    ]);
    const start = t.steps[lesson('loss').start!(t) - 1]!;
    expect([start.kind, start.packet]).toEqual(['drop', data!.id]);
  });
});

describe('Socket.IO and comparison lesson points, checked against the run', () => {
  function frameText(p: Packet | undefined): string | undefined {
    return p?.app?.kind === 'ws-frame' ? p.app.text : undefined;
  }

  it('socketio: opens at io(), and the upgrade aside counts the HTTP requests made before it', () => {
    const t = timelineOf('socketio');
    expect(t.steps[lesson('socketio').start!(t) - 1]!.title).toMatch(/io\(\)/);
    const up = wirePacket('socketio', (p) => p.app?.kind === 'http-request' && p.app.upgrade);
    const before = t.packets.filter(
      (p) => p.id < up.packet.id && p.from === 'client' && p.tcp.len > 0 && p.retransmissionOf === undefined,
    );
    const requests = before.filter((p) =>
      /^(GET|POST) /.test(new TextDecoder().decode(p.frame.subarray(p.layers.tcp!.end))),
    );
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(lesson('socketio').aside!(up.step, t)).toContain(`after ${requests.length} HTTP requests`);
    const event = wirePacket('socketio', (p) => /^42/.test(frameText(p) ?? ''));
    const text = frameText(event.packet)!;
    expect(lesson('socketio').aside!(event.step, t)).toContain(
      `carries ${new TextEncoder().encode(text).length} bytes of text: ${text}`,
    );
  });

  it.each([
    ['broadcast', ['client-2', 'client-3']],
    ['io', ['client', 'client-2', 'client-3']],
    ['socket', ['client']],
  ] as const)('emit=%s: the aside counts the frames the server really fans out', (emit, expected) => {
    const t = buildTimeline({ ...lessonScenario('emit'), emit }, ALL_STORIES);
    const fan = t.packets.filter(
      (p) => p.from === 'server' && /^42\["chat message"/.test(frameText(p) ?? ''),
    );
    expect(fan.map((p) => p.to)).toEqual(expected);
    const first = t.steps.find((s) => s.kind === 'transmit' && s.packet === fan[0]!.id)!;
    expect(lesson('emit').aside!(first, t)).toMatch(
      new RegExp(`^Frame 1 of ${expected.length} of this fan-out`),
    );
  });

  it('reconnect: the network drops, the page notices by ping timeout, and the offline emit arrives once', () => {
    const t = timelineOf('reconnect');
    const start = t.steps[lesson('reconnect').start!(t) - 1]!;
    expect(start.chapter).toBe('reconnect');
    const lines = t.steps.flatMap((s) => (s.console ?? []).map((c) => `${c.host}: ${c.text}`));
    expect(lines).toContain('client: disconnect: ping timeout');
    expect(lines.some((l) => l.startsWith('client: reconnect after'))).toBe(true);
    expect(lines.filter((l) => l === 'server: message: Are you still there?')).toHaveLength(1);
    const said = t.steps.map((s) => lesson('reconnect').aside!(s, t)).filter(Boolean);
    expect(
      said.some((a) =>
        /^The buffered message arrives .* after the page emitted it while disconnected/.test(a!),
      ),
    ).toBe(true);
    expect(said.some((a) => /^Waits before each attempt so far: \S+ m?s, /.test(a!))).toBe(true);
  });

  it('polling-vs-websocket: an empty poll costs the frames it took, and the totals come from the comparison', () => {
    const t = timelineOf('polling-vs-websocket');
    const empty = t.steps.find((s) => {
      const p = packetAt(t, s);
      return (
        s.kind === 'transmit' &&
        p?.app?.kind === 'http-response' &&
        new TextDecoder().decode(p.frame).endsWith('\r\n\r\n[]')
      );
    })!;
    const p = packetAt(t, empty)!;
    const get = [...t.packets].reverse().find((q) => q.id < p.id && q.app?.kind === 'http-request')!;
    const ack = t.packets.find((q) => q.id > p.id && q.from === 'client' && q.tcp.len === 0)!;
    expect(lesson('polling-vs-websocket').aside!(empty, t)).toContain(
      `cost ${get.frame.length + p.frame.length + ack.frame.length} bytes in the capture`,
    );
    const ws = t.comparison!.series.find((s) => s.method === 'websocket')!;
    const short = t.comparison!.series.find((s) => s.method === 'short-polling')!;
    const summary = t.steps.find(
      (s) => s.chapter === 'short-polling' && / bytes, \d+ packets/.test(s.title),
    )!;
    expect(lesson('polling-vs-websocket').aside!(summary, t)).toBe(
      `Short polling: ${short.cumulativeBytes.at(-1)} bytes for ${t.comparison!.messages} messages, ` +
        `${(short.cumulativeBytes.at(-1)! / ws.cumulativeBytes.at(-1)!).toFixed(1)}× the WebSocket's ${ws.cumulativeBytes.at(-1)} bytes.`,
    );
  });
});

describe('lessonById', () => {
  it('finds each lesson by its id and nothing else', () => {
    for (const l of CARDS) expect(cardById(l.id)).toBe(l);
    expect(cardById('WebSocket')).toBeUndefined();
    expect(cardById('')).toBeUndefined();
    expect(cardById('toString')).toBeUndefined();
  });
});

describe('lesson content (loaded lazily)', () => {
  it('has exactly one entry per lesson, in the same order', () => {
    expect(LESSON_CONTENT.map((c) => c.id)).toEqual(CARDS.map((c) => c.id));
    expect(lessonContent('nope')).toBeUndefined();
  });
});

describe('lessonScenario', () => {
  it('is SCENARIO_DEFAULTS, then the lesson defaults, then its id and story', () => {
    for (const l of LESSONS) {
      expect(lessonScenario(l.id)).toEqual({
        ...SCENARIO_DEFAULTS,
        ...l.defaults,
        lesson: l.id,
        story: l.story,
      });
    }
  });

  it('falls back to the first lesson for an unknown id', () => {
    expect(lessonScenario('no-such-lesson')).toEqual(lessonScenario(LESSONS[0]!.id));
    expect(lessonScenario('no-such-lesson').lesson).toBe('websocket');
  });

  it('returns a fresh object on every call', () => {
    expect(lessonScenario('websocket')).not.toBe(lessonScenario('websocket'));
  });
});
