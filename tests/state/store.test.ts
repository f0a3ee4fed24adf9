import {
  createWirewalkStore,
  selectChapter,
  selectInspected,
  selectPacket,
  selectStep,
  selectStepCount,
  type Build,
} from '../../src/state/store';
import {
  consolesByRole,
  consoleUpTo,
  firstDifference,
  inspectedPacket,
  messageFirstStep,
} from '../../src/state/derive';
import { SCENARIO_DEFAULTS, LIMITS, type Scenario } from '../../src/sim/scenario';
import type { Packet, Step, Timeline } from '../../src/sim/types';
import { FIXTURE, PACKETS, STEPS, WALK_START } from '../views/fixture';

/** The fixture plus one more client message ("Again"): a `ws.send` app step and its packet's transmit. */
function withAgain(base: Timeline): Timeline {
  const p: Packet = {
    ...PACKETS[5]!,
    id: base.packets.length,
    wireIndex: base.packets.length + 1,
    app: { kind: 'ws-frame', opcode: 1, fin: true, masked: true, text: 'Again' },
    summary: 'WebSocket Text [FIN] [MASKED] "Again"',
  };
  const n = base.steps.length;
  const last = base.steps[n - 1]!;
  const extra: Step[] = [
    {
      ...last,
      index: n,
      host: 'client',
      kind: 'app',
      title: "ws.send('Again')",
      message: 2,
      text: 'Again.',
      packet: undefined,
      console: undefined,
    },
    {
      ...last,
      index: n + 1,
      host: 'wire',
      kind: 'transmit',
      layer: 1,
      packet: p.id,
      message: 2,
      title: 'Again on the wire',
      text: '…',
      console: undefined,
    },
  ].map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as Step);
  return {
    ...base,
    packets: [...base.packets, p],
    steps: [...base.steps, ...extra],
    chapters: base.chapters.map((c, i, all) => (i === all.length - 1 ? { ...c, lastStep: n + 1 } : c)),
  };
}

const EXTENDED = withAgain(FIXTURE);
const build: Build = (s: Scenario) =>
  s.messages.length > 2 ? { ...EXTENDED, scenario: s } : { ...FIXTURE, scenario: s };

function store(step: number | null = null) {
  return createWirewalkStore({
    scenario: SCENARIO_DEFAULTS,
    build,
    view: { step, present: false, embed: false, from: null, to: null },
  });
}

describe('playback slice', () => {
  it('starts at the link step (1-based), clamped', () => {
    expect(store().getState().cursor).toBe(0);
    expect(store(5).getState().cursor).toBe(4);
    expect(store(9999).getState().cursor).toBe(STEPS.length - 1);
    expect(store(-3).getState().cursor).toBe(0);
  });

  it('steps both ways, clamped at the ends', () => {
    const s = store();
    const { next, prev, first, last } = s.getState();
    prev();
    expect(s.getState().cursor).toBe(0);
    next();
    next();
    expect(s.getState().cursor).toBe(2);
    prev();
    expect(s.getState().cursor).toBe(1);
    last();
    expect(s.getState().cursor).toBe(STEPS.length - 1);
    next();
    expect(s.getState().cursor).toBe(STEPS.length - 1);
    first();
    expect(s.getState().cursor).toBe(0);
  });

  it('seeks to any step, clamping and truncating', () => {
    const s = store();
    s.getState().seek(7.9);
    expect(s.getState().cursor).toBe(7);
    s.getState().seek(-1);
    expect(s.getState().cursor).toBe(0);
    s.getState().seek(Number.NaN);
    expect(s.getState().cursor).toBe(0);
    s.getState().seek(1e9);
    expect(s.getState().cursor).toBe(STEPS.length - 1);
  });

  it('plays, pauses, restarts from the end, and stops playing at the last step', () => {
    const s = store();
    s.getState().togglePlay();
    expect(s.getState().playing).toBe(true);
    s.getState().togglePlay();
    expect(s.getState().playing).toBe(false);
    s.getState().last();
    s.getState().play();
    expect(s.getState()).toMatchObject({ playing: true, cursor: 0 });
    s.getState().seek(STEPS.length - 2);
    s.getState().next();
    expect(s.getState()).toMatchObject({ playing: false, cursor: STEPS.length - 1 });
  });

  it('keeps the speed between 0.25× and 4×', () => {
    const s = store();
    s.getState().setSpeed(2);
    expect(s.getState().speed).toBe(2);
    s.getState().setSpeed(10);
    expect(s.getState().speed).toBe(4);
    s.getState().setSpeed(0);
    expect(s.getState().speed).toBe(0.25);
    s.getState().setSpeed(Number.NaN);
    expect(s.getState().speed).toBe(0.25);
  });
});

describe('selectors derive from the cursor, never copies', () => {
  it('selectStep, selectPacket, selectChapter, selectStepCount', () => {
    const s = store();
    s.getState().seek(WALK_START);
    const st = s.getState();
    expect(selectStep(st)).toBe(FIXTURE.steps[WALK_START]);
    expect(selectPacket(st)).toBe(FIXTURE.packets[5]);
    expect(selectChapter(st)!.id).toBe('ws-data');
    expect(selectStepCount(st)).toBe(STEPS.length);
    expect(Object.keys(st)).not.toContain('step');
  });

  it('the inspector keeps showing the latest packet on steps without one', () => {
    const s = store();
    expect(selectInspected(s.getState())).toBeUndefined();
    s.getState().seek(WALK_START - 1); // "ws.send('Hello')": no packet of its own
    expect(selectInspected(s.getState())).toBe(FIXTURE.packets[4]);
    expect(inspectedPacket(FIXTURE, WALK_START)).toBe(FIXTURE.packets[5]);
  });
});

describe('scenario slice', () => {
  it('addMessage rebuilds, puts the message in the scenario and jumps to its first step', () => {
    const s = store();
    expect(s.getState().addMessage('c', 'Again')).toBe(true);
    const st = s.getState();
    expect(st.scenario.messages.at(-1)).toEqual({ from: 'c', text: 'Again' });
    expect(st.timeline.steps).toHaveLength(STEPS.length + 2);
    // The ws.send step leads in to the packet, so the view starts there.
    expect(st.cursor).toBe(STEPS.length);
    expect(selectStep(st)!.title).toBe("ws.send('Again')");
  });

  it('refuses a message beyond the limits, with a problem to show', () => {
    const s = createWirewalkStore({
      scenario: { ...SCENARIO_DEFAULTS, messages: [{ from: 'c', text: 'x'.repeat(LIMITS.maxMessageBytes) }] },
      build,
    });
    expect(s.getState().addMessage('s', 'one more')).toBe(false);
    expect(s.getState().scenario.messages).toHaveLength(1);
    expect(s.getState().problems[0]!.message).toMatch(/not added/);
    s.getState().dismissProblems();
    expect(s.getState().problems).toEqual([]);
  });

  it('setScenario rebuilds and moves the cursor when asked', () => {
    const s = store();
    s.getState().setScenario({ ...SCENARIO_DEFAULTS, seed: 7 }, { step: 3 });
    expect(s.getState().scenario.seed).toBe(7);
    expect(s.getState().timeline.scenario.seed).toBe(7);
    expect(s.getState().cursor).toBe(3);
  });
});

describe('a story loaded on demand: setScenario and chooseLesson wait for it (loadScenario)', () => {
  /** A store whose 'socketio' and 'compare' stories arrive only when `arrive()` is called, as a chunk would. */
  function lazyStore() {
    const loaded = new Set<string>(['websocket']);
    let arrive!: () => void;
    const chunk = new Promise<void>((resolve) => (arrive = resolve)).then(() => {
      loaded.add('socketio');
      loaded.add('compare');
    });
    const built: string[] = [];
    const s = createWirewalkStore({
      scenario: SCENARIO_DEFAULTS,
      build: (scenario) => {
        expect(loaded.has(scenario.story)).toBe(true); // never built before its story is there
        built.push(scenario.lesson);
        return build(scenario);
      },
      prepare: (story) => (loaded.has(story) ? null : chunk),
    });
    return { s, arrive, chunk, built };
  }
  const SOCKETIO: Scenario = { ...SCENARIO_DEFAULTS, lesson: 'socketio', story: 'socketio', seed: 5 };

  it('setScenario keeps the old scenario until the story is there, then builds it once', async () => {
    const { s, arrive, chunk, built } = lazyStore();
    s.getState().setScenario(SOCKETIO, { step: 2 });
    expect(s.getState().scenario).toBe(SCENARIO_DEFAULTS);
    expect(built).toEqual(['websocket']);
    arrive();
    await chunk;
    expect(s.getState().scenario).toBe(SOCKETIO);
    expect(s.getState().cursor).toBe(2);
    expect(built).toEqual(['websocket', 'socketio']);
  });

  it('chooseLesson does the same, and opens with the introduction', async () => {
    const { s, arrive, chunk } = lazyStore();
    s.getState().chooseLesson('emit');
    expect(s.getState().scenario.lesson).toBe('websocket');
    arrive();
    await chunk;
    expect(s.getState()).toMatchObject({ scenario: { lesson: 'emit' }, introOpen: true, playing: false });
  });

  it('the latest request wins: a scenario still waiting when another is asked for is dropped', async () => {
    const { s, arrive, chunk, built } = lazyStore();
    s.getState().chooseLesson('emit');
    s.getState().setScenario({ ...SCENARIO_DEFAULTS, seed: 9 });
    expect(s.getState().scenario.seed).toBe(9);
    arrive();
    await chunk;
    expect(s.getState().scenario.seed).toBe(9);
    expect(s.getState().scenario.lesson).toBe('websocket');
    expect(built).toEqual(['websocket', 'websocket']);
  });
});

describe('prefs slice', () => {
  it('theme, reduced motion and the open panel', () => {
    const s = store();
    expect(s.getState().theme).toBe('light');
    s.getState().toggleTheme();
    expect(s.getState().theme).toBe('dark');
    s.getState().setReducedMotion(true);
    expect(s.getState().reducedMotion).toBe(true);
    expect(s.getState().panel).toBe('ladder');
    s.getState().setPanel('code');
    expect(s.getState().panel).toBe('code');
    expect(s.getState().expanded).toBe(false);
    s.getState().toggleExpanded();
    expect(s.getState().expanded).toBe(true);
  });
});

describe('derive', () => {
  it('console lines up to a step, in order', () => {
    const before = consoleUpTo(FIXTURE, WALK_START);
    expect(before.map((l) => l.text)).toEqual(['connected']);
    expect(consoleUpTo(FIXTURE, STEPS.length - 1).map((l) => `${l.host}: ${l.text}`)).toEqual([
      'server: connected',
      'server: message: Hello',
      'client: Hi!',
    ]);
    expect(consoleUpTo(FIXTURE, 0)).toEqual([]);
  });

  it("each side's console up to a step: the same lines as filtering consoleUpTo by host role", () => {
    const consoles = consolesByRole(FIXTURE);
    const roleOf = (id: string) => FIXTURE.hosts.find((h) => h.id === id)?.role;
    for (let step = 0; step < STEPS.length; step++) {
      for (const role of ['client', 'server'] as const) {
        const shown = consoles[role].lines.slice(0, consoles[role].countAt[step]);
        expect(shown).toEqual(consoleUpTo(FIXTURE, step).filter((l) => roleOf(l.host) === role));
      }
    }
    expect(consoles.server.countAt[STEPS.length - 1]).toBe(2);
    expect(consoles.client.countAt[STEPS.length - 1]).toBe(1);
    expect(consolesByRole(FIXTURE)).toBe(consoles);
  });

  it('firstDifference finds where two stories part', () => {
    expect(firstDifference(FIXTURE, FIXTURE)).toBe(STEPS.length);
    expect(firstDifference(FIXTURE, EXTENDED)).toBe(STEPS.length);
    const changed = {
      ...FIXTURE,
      steps: FIXTURE.steps.map((s, i) => (i === 4 ? { ...s, text: 'other' } : s)),
    };
    expect(firstDifference(FIXTURE, changed)).toBe(4);
  });

  it('messageFirstStep finds the first step the story marks with the message', () => {
    expect(messageFirstStep(FIXTURE, 0, 0)).toBe(WALK_START - 1); // ws.send('Hello')
    expect(STEPS[WALK_START - 1]!.title).toBe("ws.send('Hello')");
    expect(messageFirstStep(FIXTURE, 1, 0)).toBe(STEPS.findIndex((s) => s.packet === 6));
    expect(messageFirstStep(FIXTURE, 5, 12)).toBe(12); // no step marked: where the stories part
    expect(messageFirstStep(FIXTURE, 5, 9999)).toBe(STEPS.length - 1);
  });
});
