import { readFileSync } from 'node:fs';
import {
  CURRICULUM_MAP,
  curriculumLink,
  curriculumMapMarkdown,
  type CurriculumEntry,
} from '../../src/lesson/curriculum';
import { lessonById } from '../../src/lesson/catalogue';
import { parseLink, serialiseLink } from '../../src/lesson/link';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';
import { CURRICULUM_MAP_PATH, renderCurriculumMap } from '../../scripts/curriculum-map';

/** Every question and misconception of the class curriculum (CURRICULUM.md), kept here on purpose. */
const CURRICULUM_IDS = [
  ...Array.from({ length: 13 }, (_, i) => `Q${i + 1}`),
  ...Array.from({ length: 15 }, (_, i) => `M${i + 1}`),
];

/**
 * Entries answered by the whole lesson as well as by their step: besides the tag on the step, each rule
 * checks what the rest of the lesson must provide.
 */
const WHOLE_LESSON_RULES: { readonly [key: string]: (t: Timeline) => void } = {
  // Q12 is answered by the comparison chart, drawn from timeline.comparison across the whole lesson.
  'Q12@polling-vs-websocket': (t) => {
    const c = t.comparison;
    expect(c).toBeDefined();
    const methods = c!.series.map((s) => s.method);
    expect(methods).toEqual(expect.arrayContaining(['short-polling', 'long-polling', 'websocket']));
    for (const s of c!.series) expect(s.cumulativeBytes).toHaveLength(c!.messages);
  },
};

const timelines = new Map<string, Timeline>();
/** The timeline a link opens: the scenario the link parser settles on, as the app builds it. */
function timelineOfLink(link: string): Timeline {
  const key = link.replace(/&step=\d+$/, '');
  let t = timelines.get(key);
  if (!t) {
    t = buildTimeline(parseLink(link).state.scenario, ALL_STORIES);
    timelines.set(key, t);
  }
  return t;
}
function timelineOf(e: CurriculumEntry): Timeline {
  return timelineOfLink(curriculumLink(e));
}

describe('CURRICULUM_MAP', () => {
  it('lists each curriculum id being checked (Q1-Q13, M1-M15)', () => {
    expect(CURRICULUM_IDS).toHaveLength(28);
  });

  it.each(CURRICULUM_IDS)('%s is answered by at least one lesson step', (id) => {
    expect(CURRICULUM_MAP.some((e) => e.id === id)).toBe(true);
  });

  it('has only curriculum ids, each entry once, with a question and a one-line description', () => {
    const seen = new Set<string>();
    for (const e of CURRICULUM_MAP) {
      expect(CURRICULUM_IDS).toContain(e.id);
      const key = `${e.id}@${curriculumLink(e)}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(e.text.trim()).not.toBe('');
      expect(e.how.trim()).not.toBe('');
      expect(e.how).not.toMatch(/\n/);
      expect(e.how.length, key).toBeLessThanOrEqual(220);
    }
  });

  it('gives every id the same question text wherever it appears', () => {
    const text = new Map<string, string>();
    for (const e of CURRICULUM_MAP) {
      expect(text.get(e.id) ?? e.text, e.id).toBe(e.text);
      text.set(e.id, e.text);
    }
  });

  it.each(CURRICULUM_MAP.map((e) => [`${e.id} → ${curriculumLink(e)}`, e] as const))(
    '%s exists and carries the id',
    (_, e) => {
      expect(lessonById(e.lesson), e.lesson).toBeDefined();
      expect(Number.isInteger(e.step)).toBe(true);
      const t = timelineOf(e);
      expect(e.step).toBeGreaterThanOrEqual(1);
      expect(e.step).toBeLessThanOrEqual(t.steps.length);
      const step = t.steps[e.step - 1]!;
      expect(step.curriculum ?? [], `${step.title}`).toContain(e.id);
      WHOLE_LESSON_RULES[`${e.id}@${e.lesson}`]?.(t);
    },
  );

  it.each(CURRICULUM_MAP.map((e) => [curriculumLink(e), e] as const))(
    '%s is a link the app reads without a problem, and writes back the same',
    (link, e) => {
      const { state, problems } = parseLink(link);
      expect(problems).toEqual([]);
      expect(state.scenario.lesson).toBe(e.lesson);
      expect(state.view.step).toBe(e.step);
      expect('?' + serialiseLink(state, { includeStep: true })).toBe(link);
    },
  );

  it('opens a variant where the link names one: emit=socket and emit=io fan out differently', () => {
    const socket = CURRICULUM_MAP.find((e) => e.id === 'M1' && e.params === 'emit=socket');
    const io = CURRICULUM_MAP.find((e) => e.id === 'M1' && e.params === 'emit=io');
    expect(socket && io).toBeTruthy();
    expect(timelineOf(socket!).scenario.emit).toBe('socket');
    expect(timelineOf(io!).scenario.emit).toBe('io');
  });

  it('can fail: a step without the id is noticed', () => {
    const t = timelineOfLink('?lesson=websocket');
    expect(t.steps[0]!.curriculum ?? []).not.toContain('Q12');
  });
});

describe('docs/curriculum-map.md', () => {
  it('is up to date (npm run curriculum:map)', async () => {
    expect(readFileSync(CURRICULUM_MAP_PATH, 'utf8')).toBe(await renderCurriculumMap());
  });

  it('has one row per entry, each with its link', () => {
    const md = curriculumMapMarkdown();
    for (const e of CURRICULUM_MAP) expect(md).toContain(`\`${curriculumLink(e)}\``);
    expect(md.split('\n').filter((l) => /^\| [QM]\d+ /.test(l))).toHaveLength(CURRICULUM_MAP.length);
  });
});
