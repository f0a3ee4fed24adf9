import { startPlaybackClock } from '../../src/app/playbackClock';
import { createWirewalkStore } from '../../src/state/store';
import { FIXTURE } from '../views/fixture';

const store = () => createWirewalkStore({ scenario: FIXTURE.scenario, build: () => FIXTURE });

describe('playback clock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('advances one step per dwell while playing, scaled by speed, and stops at the end', () => {
    const s = store();
    const stop = startPlaybackClock(s, 1000);
    vi.advanceTimersByTime(5000);
    expect(s.getState().cursor).toBe(0); // not playing: nothing moves
    s.getState().play();
    vi.advanceTimersByTime(999);
    expect(s.getState().cursor).toBe(0);
    vi.advanceTimersByTime(1);
    expect(s.getState().cursor).toBe(1);
    s.getState().setSpeed(4);
    vi.advanceTimersByTime(250);
    expect(s.getState().cursor).toBe(2);
    s.getState().setSpeed(0.25);
    vi.advanceTimersByTime(3999);
    expect(s.getState().cursor).toBe(2);
    vi.advanceTimersByTime(1);
    expect(s.getState().cursor).toBe(3);
    s.getState().pause();
    vi.advanceTimersByTime(60_000);
    expect(s.getState().cursor).toBe(3);
    s.getState().setSpeed(4);
    s.getState().play();
    vi.advanceTimersByTime(250 * 100);
    expect(s.getState()).toMatchObject({ cursor: FIXTURE.steps.length - 1, playing: false });
    stop();
  });

  it('restarts the wait when the teacher steps by hand', () => {
    const s = store();
    const stop = startPlaybackClock(s, 1000);
    s.getState().play();
    vi.advanceTimersByTime(900);
    s.getState().seek(10);
    vi.advanceTimersByTime(900);
    expect(s.getState().cursor).toBe(10);
    vi.advanceTimersByTime(100);
    expect(s.getState().cursor).toBe(11);
    stop();
    vi.advanceTimersByTime(10_000);
    expect(s.getState().cursor).toBe(11);
  });
});
