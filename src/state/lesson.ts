/**
 * What the classroom views need from the lesson catalogue: the teaching order, the introduction, the
 * "check yourself" questions, the teacher's notes, the aside for a step and the step a lesson opens at.
 *
 * The catalogue's link-facing part (ids, titles, scenarios) is in the main bundle; the classroom content
 * (src/lesson/content/, most of the lessons' text) is loaded with `loadLessonContent()` after the first step
 * is drawn. Until it arrives, the summary stands in for the introduction and there are no asides or questions;
 * the store's `lessonContentReady` flips when it lands, so subscribed views draw it.
 *
 * An `aside` or `start` that throws, or a question whose answer index is out of range, must not take the
 * stage down with it: those are caught here and left out.
 */
import { lessonById, lessonsInOrder, type LessonDef } from '../lesson/catalogue';
import { curriculumLink } from '../lesson/curriculumLink';
import type { CurriculumEntry, LessonContent, SelfCheck } from '../lesson/content';
import type { ViewState } from '../lesson/link';
import type { Step, Timeline } from '../sim/types';
import { clampToRange, stepRange } from './cursor';

export { curriculumLink, lessonById, lessonsInOrder };
export type SelfCheckQuestion = SelfCheck;

type ContentModule = typeof import('../lesson/content');
let content: ContentModule | null = null;
let loading: Promise<void> | null = null;

/** Load the lessons' classroom content once; resolves when it is there (or failed: then it stays absent). */
export function loadLessonContent(): Promise<void> {
  loading ??= import('../lesson/content').then(
    (m) => {
      content = m;
    },
    () => {
      loading = null; // offline before the chunk was cached: try again on the next call
    },
  );
  return loading;
}

export function lessonContentLoaded(): boolean {
  return content !== null;
}

function contentOf(lesson: LessonDef): LessonContent | undefined {
  return content?.lessonContent(lesson.id);
}

function wellFormed(c: SelfCheck): boolean {
  return c.choices.length >= 2 && Number.isInteger(c.answer) && c.answer >= 0 && c.answer < c.choices.length;
}

/**
 * A curriculum question or misconception (`Q11`, `M3`) as the curriculum map has it: its text, and the step
 * of a lesson that answers it (this lesson's entry when the map has one, else the map's first). Undefined for
 * an id the map does not list, and until the content has loaded.
 */
export function curriculumEntry(id: string, lesson: string): CurriculumEntry | undefined {
  const entries = content?.CURRICULUM_MAP.filter((e) => e.id === id) ?? [];
  return entries.find((e) => e.lesson === lesson) ?? entries[0];
}

/** The introduction shown before step 1; the summary stands in while the content is loading. */
export function lessonIntro(lesson: LessonDef): string {
  const intro = contentOf(lesson)?.intro;
  return intro?.trim() ? intro : lesson.summary;
}

/** Well-formed questions only (one whose answer index is out of range is left out, not shown wrong). */
export function lessonChecks(lesson: LessonDef): readonly SelfCheck[] {
  return (contentOf(lesson)?.checks ?? []).filter(wellFormed);
}

export function lessonNotes(lesson: LessonDef): string {
  return contentOf(lesson)?.teacherNotes ?? '';
}

/** The lesson's aside for this step, if it has one to say here. */
export function lessonAside(lesson: LessonDef, step: Step, timeline: Timeline): string | undefined {
  const aside = contentOf(lesson)?.aside;
  if (!aside) return undefined;
  try {
    const text = aside(step, timeline);
    return text?.trim() ? text : undefined;
  } catch {
    return undefined;
  }
}

/** 0-based index of the step the lesson's point starts at (the lesson's `start` is 1-based); 0 by default. */
export function lessonStartIndex(lesson: LessonDef, timeline: Timeline): number {
  return lessonStartFound(lesson, timeline) ?? 0;
}

/**
 * The same, but null when the lesson's start is not among the timeline's steps: not yet, for the first steps
 * of a long scenario (state/opening.ts), or not at all.
 */
export function lessonStartFound(lesson: LessonDef, timeline: Timeline): number | null {
  const start = contentOf(lesson)?.start;
  if (!start) return 0;
  try {
    const n = start(timeline);
    if (!Number.isFinite(n)) return null;
    return Math.max(0, Math.min(timeline.steps.length - 1, Math.trunc(n) - 1));
  } catch {
    return 0;
  }
}

/**
 * Where a lesson opens when nothing says which step: choosing it from the menu, or a link without `step=`.
 * The lesson's start step (`lessonStartIndex`), kept inside an embed's range; an embed whose link sets `from=`
 * opens at the start of its range instead, since the page that embeds it chose where the excerpt begins. The
 * start is part of the lazily loaded content: before it has loaded, this is the first step.
 */
export function lessonStartCursor(lessonId: string, view: ViewState, timeline: Timeline): number {
  const lesson = lessonById(lessonId);
  if (!lesson || (view.embed && view.from !== null)) return stepRange(view, timeline).first;
  return clampToRange(lessonStartIndex(lesson, timeline), view, timeline);
}
