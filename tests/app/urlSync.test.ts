import { INTERVAL_MS, linkFor, LONG_LINK, SETTLE_MS, syncUrl } from '../../src/app/urlSync';
import { NO_FRAME_MS } from '../../src/state/tasks';
import { LINK_BUDGET, parseLink } from '../../src/lesson/link';
import { createWirewalkStore } from '../../src/state/store';
import type { Scenario } from '../../src/sim/scenario';
import { FIXTURE } from '../views/fixture';

function target(search = '?lesson=websocket', hash = '#x') {
  const calls: string[] = [];
  const location = { pathname: '/app/', hash, search };
  return {
    calls,
    location,
    history: {
      replaceState(_d: unknown, _u: string, url?: string) {
        calls.push(url ?? '');
        location.search = (url ?? '').replace(/^[^?]*/, '').replace(/#.*$/, '');
        const at = (url ?? '').indexOf('#');
        location.hash = at < 0 ? '' : (url ?? '').slice(at);
      },
    },
  };
}

/**
 * The page's frames, by hand: a write due at once waits for the frame that shows the change (`soon`), and
 * `paint()` is that frame having painted.
 */
function frames() {
  const waiting: (() => void)[] = [];
  return {
    soon: (write: () => void) => {
      waiting.push(write);
      return () => {
        const at = waiting.indexOf(write);
        if (at >= 0) waiting.splice(at, 1);
      };
    },
    paint: () => waiting.splice(0).forEach((write) => write()),
    get pending() {
      return waiting.length;
    },
  };
}

const store = (scenario: Scenario = FIXTURE.scenario, problems = [] as { param: string }[]) =>
  createWirewalkStore({
    scenario,
    build: () => FIXTURE,
    problems: problems.map((p) => ({ ...p, message: 'x', used: '' })),
  });

/** Messages whose readable link is longer than LINK_BUDGET but shorter than LONG_LINK. */
const longScenario = (): Scenario => ({
  ...FIXTURE.scenario,
  messages: Array.from({ length: 40 }, (_, i) => ({ from: 'c' as const, text: `message ${i} `.repeat(8) })),
});

describe('url sync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the step (1-based) with replaceState right after the frame that shows it, keeping path and hash', () => {
    const s = store();
    const t = target();
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().seek(4);
    expect(t.calls).toEqual([]); // not inside the key press: its step paints first
    s.getState().seek(5); // a change before that frame goes with the same write
    expect(f.pending).toBe(1);
    f.paint();
    expect(t.calls).toEqual(['/app/?lesson=websocket&step=6#x']);
    stop();
  });

  it('without a frame to wait for (a background tab, Node), the write comes NO_FRAME_MS later', () => {
    const s = store();
    const t = target();
    const stop = syncUrl(s, t);
    s.getState().seek(4);
    expect(t.calls).toEqual([]);
    vi.advanceTimersByTime(NO_FRAME_MS);
    expect(t.calls).toEqual(['/app/?lesson=websocket&step=5#x']);
    stop();
  });

  it('a write waiting for its frame is dropped when syncing stops', () => {
    const s = store();
    const t = target();
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().seek(4);
    stop();
    expect(f.pending).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(t.calls).toEqual([]);
  });

  it(`while stepping: at most one write every ${INTERVAL_MS} ms, and the step shown once stepping stops`, () => {
    const s = store();
    const t = target();
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().next(); // the first step of a burst is written right after its frame
    f.paint();
    expect(t.calls).toHaveLength(1);
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(100);
      s.getState().next(); // held arrow key: a step every 100 ms for 2 s, never settling
      f.paint();
    }
    expect(t.calls).toHaveLength(2); // one more when the interval was up
    expect(t.calls[1]).toContain('step=21');
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(t.calls).toHaveLength(2);
    vi.advanceTimersByTime(1); // the key is let go: the step shown
    expect(t.calls.at(-1)).toBe(`/app/?lesson=websocket&step=${s.getState().cursor + 1}#x`);
    expect(t.calls).toHaveLength(3);
    stop();
  });

  it('while playing: one write per interval, and the step shown at once on pause', () => {
    const s = store();
    const t = target();
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().seek(1);
    s.setState({ playing: true });
    f.paint();
    expect(t.calls).toHaveLength(1);
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(700); // a step every 700 ms, slower than the settle time: still one write per interval
      s.getState().seek(s.getState().cursor + 1);
      f.paint();
    }
    // 6.3 s of playing after the first write: one write at 2 s, 4 s and 6 s
    expect(t.calls).toHaveLength(4);
    s.getState().seek(s.getState().cursor + 1);
    s.getState().pause();
    f.paint();
    expect(t.calls).toHaveLength(5);
    expect(t.calls.at(-1)).toContain(`step=${s.getState().cursor + 1}#x`);
    vi.advanceTimersByTime(10_000);
    f.paint();
    expect(t.calls).toHaveLength(5);
    stop();
  });

  it('the link it writes reads back as the same scenario and step', () => {
    const s = store();
    s.getState().seek(7);
    const { state, problems } = parseLink(linkFor(s.getState()));
    expect(problems).toEqual([]);
    expect(state.view.step).toBe(8);
    expect(state.scenario).toEqual(s.getState().scenario);
  });

  it('a link past LINK_BUDGET: a short query per step and the same #z= fragment, replacing the old hash', () => {
    const s = store(longScenario());
    const t = target('?lesson=websocket', '#x');
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().seek(2);
    f.paint();
    vi.advanceTimersByTime(SETTLE_MS);
    s.getState().seek(9);
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(t.calls).toHaveLength(2);
    const [a, b] = t.calls.map((url) => url.split('#'));
    expect(a![0]).toBe('/app/?lesson=websocket&step=3');
    expect(b![0]).toBe('/app/?lesson=websocket&step=10');
    expect(a![0]!.length).toBeLessThanOrEqual(LINK_BUDGET);
    expect(a![1]).toMatch(/^z=/);
    expect(b![1]).toBe(a![1]);
    const { state, problems } = parseLink(t.calls[1]!);
    expect(problems).toEqual([]);
    expect(state.scenario).toEqual(s.getState().scenario);
    expect(state.view.step).toBe(10);
    stop();
  });

  it('back under the budget, the #z= fragment goes', () => {
    const s = store(longScenario());
    const t = target('?lesson=websocket', '');
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().seek(2);
    f.paint();
    expect(t.location.hash).toMatch(/^#z=/);
    s.getState().setScenario(FIXTURE.scenario);
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(t.location.hash).toBe('');
    expect(t.calls.at(-1)).toBe('/app/?lesson=websocket&step=3');
    stop();
  });

  it('writes a long link only once the step has settled, ending on the step shown', () => {
    // An address longer than LONG_LINK: replaceState with it would block the page for a while. Random text
    // compresses badly, so even the #z= form is that long.
    let x = 7;
    const noise = Array.from({ length: LONG_LINK }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(0x4e00 + (x % 20000));
    }).join('');
    const s = store({ ...FIXTURE.scenario, messages: [{ from: 'c', text: noise }] });
    const t = target();
    const stop = syncUrl(s, t, { settleMs: 1000 });
    for (let i = 0; i < 10; i++) {
      s.getState().next();
      vi.advanceTimersByTime(300); // faster than the settle time
    }
    expect(t.calls).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]!.length).toBeGreaterThan(LONG_LINK);
    expect(t.calls[0]).toContain(`step=${s.getState().cursor + 1}#z=`);
    expect(parseLink(t.calls[0]!).state.scenario.messages[0]!.text).toBe(noise);
    stop();
  });

  it('skips writing when nothing in the link changed', () => {
    const s = store();
    const t = target('?lesson=websocket&step=1');
    const f = frames();
    const stop = syncUrl(s, t, { soon: f.soon });
    s.getState().setTheme('dark');
    s.getState().seek(0);
    f.paint();
    vi.advanceTimersByTime(10_000);
    f.paint();
    expect(t.calls).toEqual([]);
    stop();
  });

  it('a link that was corrected on opening is written at once; one that was not is left alone', () => {
    const t = target('?lesson=websocket&step=999&mss=abc');
    const stop = syncUrl(store(FIXTURE.scenario, [{ param: 'step' }]), t);
    expect(t.calls).toEqual(['/app/?lesson=websocket&step=1#x']);
    stop();
    const bare = target('?lesson=websocket');
    const stop2 = syncUrl(store(), bare);
    vi.advanceTimersByTime(10_000);
    expect(bare.calls).toEqual([]);
    stop2();
  });

  it('takes its clock from the options', () => {
    let now = 0;
    const s = store();
    const t = target();
    const f = frames();
    const stop = syncUrl(s, t, { now: () => now, soon: f.soon });
    s.getState().seek(1);
    f.paint();
    s.getState().seek(2);
    f.paint();
    expect(t.calls).toHaveLength(1);
    now = INTERVAL_MS;
    s.getState().seek(3); // the interval is up by this clock: written after this frame
    f.paint();
    expect(t.calls).toHaveLength(2);
    expect(t.calls[1]).toContain('step=4');
    stop();
  });
});
