import { LESSONS, lessonById, lessonScenario } from '../../src/lesson/catalogue';
import { SCENARIO_DEFAULTS } from '../../src/sim/scenario';

describe('LESSONS', () => {
  it('lists the lessons in teaching order', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['websocket', 'socketio', 'polling-vs-websocket']);
  });

  it('has unique ids that stay literal in a link', () => {
    const ids = LESSONS.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('gives every lesson a title and a one- or two-sentence summary', () => {
    for (const l of LESSONS) {
      expect(l.title.trim()).not.toBe('');
      const sentences = l.summary.split(/[.!?](\s|$)/).filter((s) => s.trim() !== '');
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(2);
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

  it('defines the socketio lesson on the socketio story with the same chat', () => {
    expect(lessonById('socketio')?.story).toBe('socketio');
    expect(lessonScenario('socketio').messages).toEqual([
      { from: 'c', text: 'Hello' },
      { from: 's', text: 'Hi!' },
    ]);
  });

  it('defines the polling comparison on the compare story', () => {
    expect(lessonById('polling-vs-websocket')?.story).toBe('compare');
    expect(lessonScenario('polling-vs-websocket').story).toBe('compare');
  });
});

describe('lessonById', () => {
  it('finds each lesson by its id and nothing else', () => {
    for (const l of LESSONS) expect(lessonById(l.id)).toBe(l);
    expect(lessonById('WebSocket')).toBeUndefined();
    expect(lessonById('')).toBeUndefined();
    expect(lessonById('toString')).toBeUndefined();
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
