// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ComparisonChart } from '../../src/views/compare/ComparisonChart';
import { StagePanels } from '../../src/views/panels/StagePanels';
import { COMPARISON, FIXTURE_WITH_COMPARISON } from './fixture';
import { preloadLazyChunks } from '../support/lazyChunks';
import { renderWithStore } from '../support/renderWithStore';

// The chart's tab loads it lazily: load the chunk before a test waits for it to show.
beforeAll(preloadLazyChunks, 120_000);

describe('ComparisonChart', () => {
  it('draws both measures with labelled lines and a text summary', () => {
    render(<ComparisonChart comparison={COMPARISON} />);
    const charts = screen.getAllByRole('img');
    expect(charts).toHaveLength(2);
    expect(charts[0]).toHaveAccessibleName(/Bytes on the wire.*WebSocket: 940 B/);
    expect(charts[1]).toHaveAccessibleName(/Delay.*HTTP short polling \(every 1 s\): 505 ms/);
    expect(charts[0]!.querySelectorAll('.series')).toHaveLength(3);
    const table = screen.getByRole('table');
    expect(within(table).getByRole('row', { name: /WebSocket 940 B 12 6 ms/ })).toBeInTheDocument();
  });

  it('gets its own tab only when the timeline has comparison data', async () => {
    const user = userEvent.setup();
    const { unmount } = renderWithStore(<StagePanels />);
    expect(screen.queryByRole('tab', { name: 'Polling vs WebSocket' })).toBeNull();
    unmount();
    renderWithStore(<StagePanels />, { timeline: FIXTURE_WITH_COMPARISON });
    await user.click(screen.getByRole('tab', { name: 'Polling vs WebSocket' }));
    expect(await screen.findAllByRole('img', { name: /Bytes on the wire|Delay/ })).toHaveLength(2);
  });
});
