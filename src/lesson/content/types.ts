/** The shape of a lesson's classroom content (the lessons' modules fill it in; index.ts looks it up). */
import type { Step, Timeline } from '../../sim/types';

export interface SelfCheck {
  readonly question: string;
  /** 2-4 choices. */
  readonly choices: readonly string[];
  /** Index of the correct choice. */
  readonly answer: number;
  /** Shown after answering: why, pointing at what the lesson showed. */
  readonly explain: string;
}

export interface LessonContent {
  /** Lesson id, as in LESSONS. */
  readonly id: string;
  /** A short introduction (2-4 sentences) shown before step 1. */
  readonly intro: string;
  /** 2-4 "check yourself" questions shown at the end. */
  readonly checks: readonly SelfCheck[];
  /** For the speaker window: what to ask the class, where to pause. */
  readonly teacherNotes: string;
  /** Lesson-specific aside shown under the narration at steps where this lesson's point is made. Pure. */
  readonly aside?: (step: Step, timeline: Timeline) => string | undefined;
  /**
   * 1-based step where the lesson's point starts (the picker opens there), computed from the timeline; NaN
   * when the timeline has no such step (the lesson then opens at step 1). Without `start`, step 1.
   */
  readonly start?: (timeline: Timeline) => number;
}
