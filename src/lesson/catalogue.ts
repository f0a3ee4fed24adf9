/**
 * The built-in lessons, in teaching order. A lesson is a story plus the knobs it sets; the rest of the
 * scenario comes from SCENARIO_DEFAULTS. Adding a lesson is adding one entry to LESSONS: the link codec,
 * `lessonById` and `lessonScenario` pick it up from there.
 */
import { SCENARIO_DEFAULTS, type Scenario, type Story } from '../sim/scenario';

export interface LessonDef {
  readonly id: string;
  readonly title: string;
  /** One or two sentences. */
  readonly summary: string;
  readonly story: Story;
  /** Knobs this lesson sets (messages, ping, walk, clients, emit...); `lesson` and `story` are ignored here. */
  readonly defaults: Partial<Scenario>;
}

/** Lesson ids appear in links (`lesson=<id>`): keep them lower-case, URL-safe and never rename one. */
export const LESSONS: readonly LessonDef[] = [
  {
    id: 'websocket',
    title: 'What is a WebSocket? The whole story',
    summary:
      'A browser opens a TCP connection, turns it from HTTP into a WebSocket with one request and one ' +
      'response, and then both sides send frames whenever they like until one of them closes it.',
    story: 'websocket',
    defaults: {
      messages: [
        { from: 'c', text: 'Hello' },
        { from: 's', text: 'Hi!' },
      ],
      ping: true,
    },
  },
  {
    id: 'socketio',
    title: 'Socket.IO: a protocol on top of the transport',
    summary:
      'The same chat with Socket.IO: Engine.IO opens a session over HTTP long-polling, upgrades it to a ' +
      'WebSocket, and carries named events such as 42["chat message","Hello"] inside the frames.',
    story: 'socketio',
    defaults: {
      messages: [
        { from: 'c', text: 'Hello' },
        { from: 's', text: 'Hi!' },
      ],
    },
  },
  {
    id: 'polling-vs-websocket',
    title: 'Why not just poll? HTTP polling next to a WebSocket',
    summary:
      'Repeated HTTP requests, each with full headers, next to WebSocket frames with a 2 to 14 byte header: ' +
      'what each message costs in bytes and in delay.',
    story: 'compare',
    defaults: {},
  },
];

const BY_ID: ReadonlyMap<string, LessonDef> = new Map(LESSONS.map((l) => [l.id, l]));

export function lessonById(id: string): LessonDef | undefined {
  return BY_ID.get(id);
}

/**
 * SCENARIO_DEFAULTS, then the lesson's defaults, then `{lesson: id, story}`.
 * An unknown id gives the first lesson's scenario (its own id, not the unknown one), so callers always get
 * a scenario the simulator can run; `parseLink` is where unknown ids are reported.
 */
export function lessonScenario(id: string): Scenario {
  const lesson = BY_ID.get(id) ?? LESSONS[0]!;
  return { ...SCENARIO_DEFAULTS, ...lesson.defaults, lesson: lesson.id, story: lesson.story };
}
