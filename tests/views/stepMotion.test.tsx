// @vitest-environment jsdom
/**
 * The step animations load after the first paint (their own chunk, with d3). A step forward taken before they
 * have arrived still animates, as soon as they do; one that has been left by then does not.
 * Its own file: the chunk must not have been loaded by another test yet.
 */
import { act } from '@testing-library/react';
import { loadStepAnimations } from '../../src/views/motion/useStepMotion';
import { WireStrip } from '../../src/views/wire/WireStrip';
import { WALK_START } from './fixture';
import { renderWithStore } from '../support/renderWithStore';

const transformed = (c: HTMLElement) =>
  [...c.querySelectorAll('.anim[transform]')].map((g) => g.closest('.block')?.getAttribute('class'));

describe('step animations before their chunk has loaded', () => {
  it('a step forward animates once the animations arrive; stepping on before that leaves nothing moving', async () => {
    const { container, store } = renderWithStore(<WireStrip />, {
      step: WALK_START + 3,
      reducedMotion: false,
    });
    act(() => store.getState().next()); // layer 4 adds TCP
    expect(transformed(container)).toEqual([]); // not loaded yet: the final picture, still
    act(() => store.getState().next()); // layer 3 adds IPv4; the TCP step's animation is cancelled
    // Wait for the chunk itself (the load the stage has started), however long it takes, not for a time.
    await act(() => loadStepAnimations());
    expect(transformed(container)).toEqual([expect.stringContaining('colour-ipv4 state-adding')]);
    act(() => store.getState().prev());
    expect(transformed(container)).toEqual([]);
  });
});
