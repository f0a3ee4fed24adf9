// @vitest-environment jsdom
/**
 * In the comparison lesson the chart is the answer: at the last step the questions wait behind a button beside
 * the tabs instead of covering the panels (and the chart's tab); asked for, they open; other lessons open
 * them by themselves (tests/app/classroom.test.tsx).
 */
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../src/app/App';
import { loadStoreFromLink } from '../../src/state/boot';
import { StoreProvider } from '../../src/state/context';
import { loadLessonContent } from '../../src/state/lesson';
import { preloadLazyChunks } from '../support/lazyChunks';

beforeAll(() => Promise.all([loadLessonContent(), preloadLazyChunks()]), 120_000);

describe('the questions at the end of the comparison lesson', () => {
  it('never cover the chart: a button beside the tabs, the chart reachable, the questions on request', async () => {
    const user = userEvent.setup();
    const store = await loadStoreFromLink('?lesson=polling-vs-websocket&step=2', { reducedMotion: true });
    render(
      <StoreProvider store={store}>
        <App syncAddressBar={false} />
      </StoreProvider>,
    );
    expect(store.getState().timeline.comparison).toBeDefined();
    act(() => store.getState().last());
    const button = await screen.findByRole(
      'button',
      { name: /^Check yourself \(\d+\)$/ },
      { timeout: 60_000 }, // the lesson's questions load with its content: wait for them, however busy the machine
    );
    // Beside the tabs, in the panels' bar.
    expect(button.closest('.panels-bar')).not.toBeNull();
    expect(screen.queryByRole('region', { name: 'Check yourself' })).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Polling vs WebSocket' }));
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Polling vs WebSocket');
    expect(screen.queryByRole('region', { name: 'Check yourself' })).toBeNull();
    await user.click(button);
    const checks = await screen.findByRole('region', { name: 'Check yourself' }, { timeout: 60_000 });
    await user.click(within(checks).getByRole('button', { name: 'Hide the questions' }));
    expect(screen.queryByRole('region', { name: 'Check yourself' })).toBeNull();
    expect(
      screen.getByRole('button', { name: /^Check yourself \(\d+\)$/ }).closest('.panels-bar'),
    ).not.toBeNull();
  });
});
