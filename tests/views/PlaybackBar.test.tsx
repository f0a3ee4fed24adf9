// @vitest-environment jsdom
import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PlaybackBar } from '../../src/views/playback/PlaybackBar';
import { FIXTURE } from './fixture';
import { renderWithStore } from '../support/renderWithStore';

const N = FIXTURE.steps.length;

describe('PlaybackBar', () => {
  it('names every control and shows the keyboard shortcut', () => {
    renderWithStore(<PlaybackBar />);
    for (const name of ['First step', 'Previous step', 'Play', 'Next step', 'Last step']) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Next step' })).toHaveAttribute(
      'aria-keyshortcuts',
      'ArrowRight L PageDown',
    );
    expect(screen.getByRole('combobox', { name: 'Speed' })).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'Step' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Playback' })).toBeInTheDocument();
  });

  it('steps forward and back and says where it is', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<PlaybackBar />);
    expect(screen.getByText(/of 28/).textContent).toBe(`Step 1 of ${N}`);
    expect(screen.getByRole('button', { name: 'Previous step' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Next step' }));
    await user.click(screen.getByRole('button', { name: 'Next step' }));
    expect(store.getState().cursor).toBe(2);
    expect(screen.getByText(/of 28/).textContent).toBe(`Step 3 of ${N}`);
    await user.click(screen.getByRole('button', { name: 'Previous step' }));
    expect(store.getState().cursor).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Last step' }));
    expect(store.getState().cursor).toBe(N - 1);
    expect(screen.getByRole('button', { name: 'Next step' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'First step' }));
    expect(store.getState().cursor).toBe(0);
  });

  it('play becomes pause and back', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<PlaybackBar />);
    await user.click(screen.getByRole('button', { name: 'Play' }));
    expect(store.getState().playing).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(store.getState().playing).toBe(false);
  });

  it('sets the speed from 0.25× to 4×', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<PlaybackBar />);
    const select = screen.getByRole('combobox', { name: 'Speed' });
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      '0.25×',
      '0.5×',
      '1×',
      '2×',
      '4×',
    ]);
    await user.selectOptions(select, '4');
    expect(store.getState().speed).toBe(4);
  });

  it('scrubs, with the step title as the slider text', () => {
    const { store } = renderWithStore(<PlaybackBar />);
    const slider = screen.getByRole('slider', { name: 'Step' });
    fireEvent.change(slider, { target: { value: '10' } });
    expect(store.getState().cursor).toBe(9);
    expect(slider).toHaveAttribute('aria-valuetext', `Step 10 of ${N}: ${FIXTURE.steps[9]!.title}`);
  });

  it('marks and names the chapters; a chapter button jumps to its first step', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<PlaybackBar />);
    const chapters = screen.getByRole('list', { name: 'Chapters' });
    const buttons = [...chapters.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['TCP handshake', 'WebSocket upgrade', 'Messages']);
    expect(buttons[0]).toHaveAttribute('aria-current', 'true');
    await user.click(buttons[2]!);
    expect(store.getState().cursor).toBe(FIXTURE.chapters[2]!.firstStep);
    expect(screen.getByRole('button', { name: 'Messages' })).toHaveAttribute('aria-current', 'true');
  });
});
