// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import { Narration } from '../../src/views/narration/Narration';
import { STEPS } from './fixture';
import { renderWithStore } from '../support/renderWithStore';

describe('Narration', () => {
  it('shows the title and text in a polite live region', () => {
    const { container } = renderWithStore(<Narration />, { step: 2 });
    const live = container.querySelector('[aria-live="polite"]')!;
    expect(live).toHaveTextContent(STEPS[1]!.title);
    expect(live).toHaveTextContent(STEPS[1]!.text);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(STEPS[1]!.title);
  });

  it('adds the misconception callout only where the step meets one', () => {
    const { store } = renderWithStore(<Narration />, { step: 1 });
    expect(screen.queryByRole('complementary', { name: 'Misconception' })).toBeNull();
    const myth = STEPS.findIndex((s) => s.misconception);
    act(() => store.getState().seek(myth));
    expect(screen.getByRole('complementary', { name: 'Misconception' })).toHaveTextContent(
      STEPS[myth]!.misconception!,
    );
  });

  it('says where the step happens', () => {
    const { store } = renderWithStore(<Narration />, { step: 2 });
    expect(screen.getByText('the wire')).toBeInTheDocument();
    act(() => store.getState().seek(STEPS.findIndex((s) => s.kind === 'encapsulate')));
    expect(screen.getByText('Browser, layer 7')).toBeInTheDocument();
  });
});
