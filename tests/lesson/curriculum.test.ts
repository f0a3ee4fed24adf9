import { readFileSync } from 'node:fs';
import { CURRICULUM_MAP, curriculumMapMarkdown } from '../../src/lesson/curriculum';
import { lessonById, lessonScenario } from '../../src/lesson/catalogue';
import { parseLink } from '../../src/lesson/link';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';
import { CURRICULUM_MAP_PATH, renderCurriculumMap } from '../../scripts/curriculum-map';

/** Every question and misconception of the class curriculum (CURRICULUM.md), kept here on purpose. */
const CURRICULUM_IDS = [
  ...Array.from({ length: 13 }, (_, i) => `Q${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `M${i + 1}`),
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
function timelineOf(lesson: string): Timeline {
  let t = timelines.get(lesson);
  if (!t) {
    t = buildTimeline(lessonScenario(lesson), ALL_STORIES);
    timelines.set(lesson, t);
  }
  return t;
}

describe('CURRICULUM_MAP', () => {
  it('lists each curriculum id being checked (Q1-Q13, M1-M8)', () => {
    expect(CURRICULUM_IDS).toHaveLength(21);
  });

  it.each(CURRICULUM_IDS)('%s is answered by at least one lesson step', (id) => {
    expect(CURRICULUM_MAP.some((e) => e.id === id)).toBe(true);
  });

  it('has only curriculum ids, each entry once, with a question and a one-line description', () => {
    const seen = new Set<string>();
    for (const e of CURRICULUM_MAP) {
      expect(CURRICULUM_IDS).toContain(e.id);
      const key = `${e.id}@${e.lesson}#${e.step}`;
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

  it.each(CURRICULUM_MAP.map((e) => [`${e.id} → ${e.lesson} step ${e.step}`, e] as const))(
    '%s exists and carries the id',
    (_, e) => {
      expect(lessonById(e.lesson), e.lesson).toBeDefined();
      expect(Number.isInteger(e.step)).toBe(true);
      const t = timelineOf(e.lesson);
      expect(e.step).toBeGreaterThanOrEqual(1);
      expect(e.step).toBeLessThanOrEqual(t.steps.length);
      const step = t.steps[e.step - 1]!;
      expect(step.curriculum ?? [], `${step.title}`).toContain(e.id);
      WHOLE_LESSON_RULES[`${e.id}@${e.lesson}`]?.(t);
    },
  );

  it.each(CURRICULUM_MAP.map((e) => [`?lesson=${e.lesson}&step=${e.step}`] as const))(
    '%s is a link the app reads without a problem',
    (link) => {
      const { state, problems } = parseLink(link);
      expect(problems).toEqual([]);
      expect(`?lesson=${state.scenario.lesson}&step=${state.view.step}`).toBe(link);
    },
  );

  it('can fail: a step without the id is noticed', () => {
    const t = timelineOf('websocket');
    expect(t.steps[0]!.curriculum ?? []).not.toContain('Q12');
  });
});

describe('docs/curriculum-map.md', () => {
  it('is up to date (npm run curriculum:map)', async () => {
    expect(readFileSync(CURRICULUM_MAP_PATH, 'utf8')).toBe(await renderCurriculumMap());
  });

  it('has one row per entry, each with its link', () => {
    const md = curriculumMapMarkdown();
    for (const e of CURRICULUM_MAP) expect(md).toContain(`\`?lesson=${e.lesson}&step=${e.step}\``);
    expect(md.split('\n').filter((l) => /^\| [QM]\d+ /.test(l))).toHaveLength(CURRICULUM_MAP.length);
  });
});
