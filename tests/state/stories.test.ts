/**
 * The page's stories as the browser has them: the websocket story from the start, Socket.IO and the
 * polling comparison once `sim/stories.ts` has been loaded. Until then a lesson of theirs shows one step
 * saying so, never another story. (Modules are fresh in every test file, so nothing is loaded here yet.)
 */
import { lessonScenario } from '../../src/lesson/catalogue';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline, timelineText } from '../../src/sim/timeline';
import { loadStoreFromLink, storeFromLink } from '../../src/state/boot';
import { buildWithLoadedStories, ensureStory, loadAllStories } from '../../src/state/stories';

describe('stories loaded on demand', () => {
  it('before loading: the websocket story is there, a Socket.IO lesson says its story is not loaded', () => {
    expect(ensureStory('websocket')).toBeNull();
    expect(ensureStory('socketio')).toBeInstanceOf(Promise);
    const ws = buildWithLoadedStories(lessonScenario('websocket'));
    expect(timelineText(ws)).toBe(timelineText(buildTimeline(lessonScenario('websocket'), ALL_STORIES)));
    const t = storeFromLink('?lesson=emit').getState().timeline;
    expect(t.steps.map((s) => s.title)).toEqual(['The Socket.IO story is not loaded']);
    expect(t.packets).toEqual([]);
  });

  it('the page waits for the story its link needs, then builds it', async () => {
    const store = await loadStoreFromLink('?lesson=emit');
    expect(ensureStory('socketio')).toBeNull();
    expect(ensureStory('compare')).toBeNull();
    expect(timelineText(store.getState().timeline)).toBe(
      timelineText(buildTimeline(lessonScenario('emit'), ALL_STORIES)),
    );
  });

  it('loads once: every later call gives the same promise', () => {
    expect(loadAllStories()).toBe(loadAllStories());
  });
});
