/**
 * What the classroom shows around the stage for each lesson: an introduction, a few "check yourself"
 * questions, notes for the teacher, an `aside` that adds the lesson's point under the narration of the steps
 * where it is made (with this run's real values, read from the step and its packet), and the step the lesson
 * opens at. `aside` and `start` read the timeline only: they never simulate.
 *
 * One module per story (websocket/, socketio.ts, compare.ts), all reading the run through queries.ts.
 * Loaded lazily by the app (it is most of the lessons' text: src/state/lesson.ts imports this module
 * dynamically, so it is a chunk of its own); the link-facing part is in ../catalogue.ts. The curriculum map
 * (../curriculum.ts) rides along: the narration's Q/M tags name their question from it once it is here.
 */
import { COMPARE_LESSONS } from './compare';
import { SOCKETIO_LESSONS } from './socketio';
import type { LessonContent } from './types';
import { CONNECTION_LESSONS } from './websocket/connection';
import { FRAME_LESSONS } from './websocket/frames';
import { LOSS_LESSONS } from './websocket/loss';
import { WSS_LESSONS } from './websocket/wss';

export type { LessonContent, SelfCheck } from './types';
export { CURRICULUM_MAP, type CurriculumEntry } from '../curriculum';

/** In teaching order, as LESSONS. Lesson ids appear in links (`lesson=<id>`): never rename one. */
export const LESSON_CONTENT: readonly LessonContent[] = [
  ...CONNECTION_LESSONS,
  ...FRAME_LESSONS,
  ...WSS_LESSONS,
  ...SOCKETIO_LESSONS,
  ...COMPARE_LESSONS,
  ...LOSS_LESSONS,
];

const BY_ID: ReadonlyMap<string, LessonContent> = new Map(LESSON_CONTENT.map((c) => [c.id, c]));

export function lessonContent(id: string): LessonContent | undefined {
  return BY_ID.get(id);
}
