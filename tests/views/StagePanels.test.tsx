// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StagePanels } from '../../src/views/panels/StagePanels';
import { renderWithStore } from '../support/renderWithStore';

describe('StagePanels', () => {
  it('is a tab list: arrows, Home and End move between tabs and show their panel', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<StagePanels />);
    const ladder = screen.getByRole('tab', { name: 'Sequence diagram' });
    expect(ladder).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Sequence diagram');
    ladder.focus();
    await user.keyboard('{ArrowRight}');
    expect(store.getState().panel).toBe('bytes');
    expect(screen.getByRole('tab', { name: 'Packet bytes' })).toHaveFocus();
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Packet bytes');
    await user.keyboard('{End}');
    expect(store.getState().panel).toBe('code');
    await user.keyboard('{ArrowRight}');
    expect(store.getState().panel).toBe('ladder');
    await user.keyboard('{ArrowLeft}');
    expect(store.getState().panel).toBe('code');
    await user.keyboard('{Home}');
    expect(store.getState().panel).toBe('ladder');
    expect(screen.getAllByRole('tab').filter((t) => t.tabIndex === 0)).toHaveLength(1);
  });

  it('can enlarge the panel to the whole stage', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<StagePanels />);
    const enlarge = screen.getByRole('button', { name: 'Enlarge' });
    await user.click(enlarge);
    expect(store.getState().expanded).toBe(true);
    expect(enlarge).toHaveAttribute('aria-pressed', 'true');
  });
});
