/**
 * The scenarios whose bytes and words are pinned (tests/golden/golden.test.ts): every built-in lesson,
 * plus links that reach the code paths the lessons leave out (several clients, each fan-out, a drop
 * with reconnection, polling only, loss in each phase, fragmentation, a small MSS, the server closing).
 * `npm run golden:update` rewrites the pinned files; a change of any byte, field, step or sentence shows
 * up as a failing test and a diff of readable text.
 */
import { LESSONS } from '../../src/lesson/catalogue';

export interface GoldenCase {
  /** File-name safe. */
  readonly name: string;
  readonly link: string;
  /** Pin the readable timeline text too (every lesson; the extra cases are pinned by digest only). */
  readonly text: boolean;
}

const big = 'x'.repeat(3000);

export const EXTRA_CASES: readonly Omit<GoldenCase, 'text'>[] = [
  { name: 'ws-push-first-close-s', link: 'lesson=websocket&m=s:Welcome&m=c:Hi&close=s&ping=1' },
  { name: 'ws-mss536-frag', link: `lesson=websocket&mss=536&frag=100&m=c:${big}&m=s:${big}` },
  { name: 'ws-loss-syn-data-fin', link: 'lesson=websocket&loss=1,2,8,20' },
  { name: 'ws-walk-all-unicode', link: 'lesson=websocket&walk=all&m=c:caf%C3%A9%20%F0%9F%98%80&m=s:%D7%A9' },
  { name: 'sio-3-broadcast', link: 'lesson=socketio&clients=3&emit=broadcast' },
  { name: 'sio-5-room', link: 'lesson=socketio&clients=5&emit=room&m=c:Hi&m=s:News' },
  { name: 'sio-2-io', link: 'lesson=socketio&clients=2&emit=io&ev=news' },
  { name: 'sio-polling', link: 'lesson=socketio&transport=polling&m=c:a&m=s:b&m=c:c' },
  { name: 'sio-drop', link: 'lesson=socketio&drop=81&m=c:Hello&m=c:Are%20you%20there%3F' },
  {
    name: 'sio-drop-polling',
    link: 'lesson=socketio&transport=polling&drop=40&m=c:1&m=c:2&m=c:3&m=c:4&ping=0',
  },
  { name: 'sio-loss-mss536', link: `lesson=socketio&loss=28&mss=536&m=c:${big}&m=s:${big}` },
  { name: 'sio-walk-all', link: 'lesson=socketio&walk=all&clients=2' },
  { name: 'compare-250', link: 'lesson=polling-vs-websocket&interval=250' },
  { name: 'ws-deflate', link: 'lesson=websocket&deflate=1&m=c:Hello&m=c:Hello&m=s:Hi!&m=c:&frag=4' },
  { name: 'ws-deflate-tls', link: 'lesson=websocket&deflate=1&tls=1' },
  { name: 'sio-offline', link: 'lesson=socketio&offline=81&m=c:Hello&m=c:Are%20you%20there%3F' },
  { name: 'sio-client-ws', link: 'lesson=socketio&client=ws' },
  { name: 'sio-client-ws-silent', link: 'lesson=socketio&client=ws&m=' },
];

export const GOLDEN_CASES: readonly GoldenCase[] = [
  ...LESSONS.map((l) => ({ name: `lesson-${l.id}`, link: `lesson=${l.id}`, text: true })),
  ...EXTRA_CASES.map((c) => ({ ...c, text: false })),
];
