/**
 * A long scenario opens with its first steps and simulates the rest afterwards (src/state/opening.ts): the
 * first part must be exactly the start of the whole timeline, the rest in slices must give exactly the
 * timeline of one uninterrupted run, the store must open where it would have opened with the whole timeline,
 * and the swap must neither move the cursor nor overwrite a timeline the user has replaced.
 */
import { lessonScenario } from '../../src/lesson/catalogue';
import { DEFAULT_VIEW, writeLink, type ViewState } from '../../src/lesson/link';
import type { Scenario, ScenarioMessage } from '../../src/sim/scenario';
import { buildTimeline, startTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';
import { loadStoreFromLink } from '../../src/state/boot';
import { wholeTimeline } from '../../src/state/exports';
import { finishOpening, OPENING_STEPS, openingTimeline } from '../../src/state/opening';
import { loadAllStories } from '../../src/state/stories';

function messages(n: number, bytes: number): ScenarioMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    from: i % 2 ? 's' : 'c',
    text: `Message ${i + 1} `.padEnd(bytes, 'abcdefghijklmnopqrstuvwxyz'.charAt(i % 26)),
  }));
}

const json = (t: Timeline): string => JSON.stringify(t);
const LONG: Scenario = { ...lessonScenario('websocket'), messages: messages(800, 100) };
const whole = buildTimeline(LONG, ALL_STORIES);

/** Run the posted slices one after another, as the page's event loop would (no timers). */
function queue(): { post: (task: () => void) => void; drain: () => number } {
  const tasks: (() => void)[] = [];
  return {
    post: (task) => tasks.push(task),
    drain() {
      let n = 0;
      for (let task = tasks.shift(); task; task = tasks.shift(), n++) task();
      return n;
    },
  };
}

describe('the first steps of a long scenario', () => {
  it('are the start of the whole timeline, step for step and byte for byte', () => {
    expect(whole.steps.length).toBeGreaterThan(3 * OPENING_STEPS);
    const first = openingTimeline(startTimeline(LONG, ALL_STORIES), LONG, DEFAULT_VIEW, false);
    expect(first.partial).toBe(true);
    expect(first.steps.length).toBeGreaterThanOrEqual(OPENING_STEPS);
    expect(first.steps.length).toBeLessThan(whole.steps.length);
    expect(JSON.stringify(first.steps)).toBe(JSON.stringify(whole.steps.slice(0, first.steps.length)));
    expect(JSON.stringify(first.packets)).toBe(JSON.stringify(whole.packets.slice(0, first.packets.length)));
    // Its chapters are the whole one's, the last one cut where the steps end.
    const last = first.chapters.at(-1)!;
    expect(first.chapters.slice(0, -1)).toEqual(whole.chapters.slice(0, first.chapters.length - 1));
    expect(last.firstStep).toBe(whole.chapters[first.chapters.length - 1]!.firstStep);
    expect(last.lastStep).toBe(first.steps.length - 1);
  });

  it('reach past the step a link asks for, and its embed range', () => {
    const at = (view: Partial<ViewState>) =>
      openingTimeline(startTimeline(LONG, ALL_STORIES), LONG, { ...DEFAULT_VIEW, ...view }, false);
    expect(at({ step: 900 }).steps.length).toBeGreaterThanOrEqual(900 + OPENING_STEPS);
    expect(at({ embed: true, from: 10, to: 1000 }).steps.length).toBeGreaterThanOrEqual(1000 + OPENING_STEPS);
    // A step past the end simulates the whole story: the store can then say how long it really is.
    const past = at({ step: 1e6 });
    expect(past.partial).toBeUndefined();
    expect(json(past)).toBe(json(whole));
  });

  it('are the whole timeline when the story is short (every lesson as it comes)', () => {
    const lesson = lessonScenario('reconnect');
    const t = openingTimeline(startTimeline(lesson, ALL_STORIES), lesson, DEFAULT_VIEW, true);
    expect(t.partial).toBeUndefined();
    expect(json(t)).toBe(json(buildTimeline(lesson, ALL_STORIES)));
  });
});

describe('the rest, simulated in slices', () => {
  it.each([
    ['websocket', LONG],
    ['socketio', { ...lessonScenario('emit'), messages: messages(120, 100) }],
  ] as const)('gives the timeline of one uninterrupted run (%s)', (_story, scenario) => {
    const one = buildTimeline(scenario, ALL_STORIES);
    const run = startTimeline(scenario, ALL_STORIES);
    let pauses = 0;
    let next = 7;
    while (
      !run.advance((steps) => {
        if (steps < next) return false;
        next = steps + 7;
        return true;
      })
    ) {
      pauses++;
      expect(run.timeline().partial).toBe(true);
      // Asked twice during one pause, the same timeline (the page keeps it as the one it opened with).
      expect(run.timeline()).toBe(run.timeline());
    }
    expect(pauses).toBeGreaterThan(10);
    expect(json(run.timeline())).toBe(json(one));
  });
});

describe('a store opened with the first steps', () => {
  beforeAll(() => loadAllStories());

  const link = (scenario: Scenario, view: Partial<ViewState> = {}) =>
    writeLink({ scenario, view: { ...DEFAULT_VIEW, ...view } }, { includeStep: true, includeView: true });

  it.each([
    ['websocket', LONG],
    ['socketio', { ...lessonScenario('emit'), messages: messages(200, 100) }],
    ['loss', { ...lessonScenario('loss'), messages: messages(300, 200) }],
    // The close lesson starts at the close handshake, after every message: far past the first steps.
    [
      'close',
      { ...lessonScenario('close'), messages: [...lessonScenario('close').messages, ...messages(300, 100)] },
    ],
  ] as const)(
    'opens at the step the whole timeline opens at, and swaps it in without moving (%s)',
    async (_lesson, scenario) => {
      const first = await loadStoreFromLink(link(scenario), {}, { firstSteps: true });
      const all = await loadStoreFromLink(link(scenario));
      expect(all.getState().timeline.partial).toBeUndefined();
      const { cursor: start, timeline: whole } = all.getState();
      expect(first.getState().cursor).toBe(start);
      // The first steps reach OPENING_STEPS past the start; when the story ends before that, it is whole.
      const partial = start + OPENING_STEPS < whole.steps.length;
      expect(first.getState().timeline.partial).toBe(partial || undefined);
      expect(first.getState().timeline.steps.length).toBeGreaterThanOrEqual(
        Math.min(start + OPENING_STEPS, whole.steps.length),
      );
      expect(first.getState().problems).toEqual(all.getState().problems);
      first.getState().next();
      const cursor = first.getState().cursor;
      const q = queue();
      const done = finishOpening(first, () => 0, q.post);
      expect(q.drain()).toBeGreaterThan(0);
      await done;
      expect(first.getState().timeline.partial).toBeUndefined();
      expect(first.getState().cursor).toBe(cursor);
      expect(json(first.getState().timeline)).toBe(json(all.getState().timeline));
    },
  );

  it('slices the rest by the clock: one slice per SLICE_MS', async () => {
    const store = await loadStoreFromLink(link(LONG), {}, { firstSteps: true });
    let clock = 0;
    const q = queue();
    // Each question "is it time to pause?" moves the clock by 1 ms: a slice ends after 12 of them.
    void finishOpening(store, () => clock++, q.post);
    expect(q.drain()).toBeGreaterThan(20);
    expect(store.getState().timeline.partial).toBeUndefined();
  });

  it('leaves alone a timeline the user has replaced meanwhile', async () => {
    const store = await loadStoreFromLink(link(LONG), {}, { firstSteps: true });
    store.getState().setScenario(lessonScenario('tcp'));
    const replaced = store.getState().timeline;
    const q = queue();
    const done = finishOpening(store, () => 0, q.post);
    q.drain();
    await done;
    expect(store.getState().timeline).toBe(replaced);
  });

  it('gives a file the whole timeline even before the rest has been simulated', async () => {
    const store = await loadStoreFromLink(link(LONG, { step: 3 }), {}, { firstSteps: true });
    expect(store.getState().timeline.partial).toBe(true);
    expect(json(wholeTimeline(store))).toBe(json(whole));
    expect(store.getState().cursor).toBe(2);
  });
});
