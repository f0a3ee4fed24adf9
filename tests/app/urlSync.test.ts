import { linkFor, LONG_LINK, syncUrl } from '../../src/app/urlSync';
import { parseLink } from '../../src/lesson/link';
import { createWirewalkStore } from '../../src/state/store';
import { FIXTURE } from '../views/fixture';

function target(search = '?lesson=websocket') {
  const calls: string[] = [];
  const location = { pathname: '/app/', hash: '#x', search };
  return {
    calls,
    location,
    history: {
      replaceState(_d: unknown, _u: string, url?: string) {
        calls.push(url ?? '');
        location.search = (url ?? '').replace(/^[^?]*/, '').replace(/#.*$/, '');
      },
    },
  };
}

const store = () => createWirewalkStore({ scenario: FIXTURE.scenario, build: () => FIXTURE });

describe('url sync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the step (1-based) with replaceState, keeping path and hash', () => {
    const s = store();
    const t = target();
    const stop = syncUrl(s, t, 250);
    s.getState().seek(4);
    vi.advanceTimersByTime(0);
    expect(t.calls).toEqual(['/app/?lesson=websocket&step=5#x']);
    stop();
  });

  it('throttles bursts: holding an arrow key makes one write per interval, ending on the latest step', () => {
    const s = store();
    const t = target();
    const stop = syncUrl(s, t, 250);
    s.getState().next();
    vi.advanceTimersByTime(0);
    for (let i = 0; i < 20; i++) {
      s.getState().next();
      vi.advanceTimersByTime(30);
    }
    vi.advanceTimersByTime(1000);
    expect(t.calls.length).toBeLessThanOrEqual(1 + Math.ceil((20 * 30) / 250) + 1);
    expect(t.calls.at(-1)).toContain(`step=${s.getState().cursor + 1}`);
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

  it('writes a long link only once the step has settled, ending on the step shown', () => {
    // A scenario whose link is longer than LONG_LINK: replaceState with it would block the page for a while.
    const long = 'x'.repeat(LONG_LINK);
    const scenario = { ...FIXTURE.scenario, messages: [{ from: 'c' as const, text: long }] };
    const s = createWirewalkStore({ scenario, build: () => FIXTURE });
    const t = target();
    const stop = syncUrl(s, t, 250, 1000);
    for (let i = 0; i < 10; i++) {
      s.getState().next();
      vi.advanceTimersByTime(300); // faster than the settle time, slower than the short-link interval
    }
    expect(t.calls).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]).toContain(`m=c:${long}`);
    expect(t.calls[0]).toContain(`step=${s.getState().cursor + 1}#x`);
    stop();
  });

  it('skips writing when nothing in the link changed', () => {
    const s = store();
    const t = target('?lesson=websocket&step=1');
    const stop = syncUrl(s, t, 250);
    s.getState().setTheme('dark');
    s.getState().seek(0);
    vi.advanceTimersByTime(1000);
    expect(t.calls).toEqual([]);
    stop();
  });
});
