// @vitest-environment jsdom
import { act, screen, waitFor } from '@testing-library/react';
import { loadStepAnimations } from '../../src/views/motion/useStepMotion';
import { WireStrip } from '../../src/views/wire/WireStrip';
import { FIXTURE, STEPS, WALK_START } from './fixture';
import { preloadLazyChunks } from '../support/lazyChunks';
import { trailerBytes } from '../../src/views/hex/layout';
import { renderWithStore } from '../support/renderWithStore';

// The signal trace is a lazy chunk: load it before a test waits for it to show.
beforeAll(preloadLazyChunks, 120_000);

const blockNames = (c: HTMLElement) =>
  [...c.querySelectorAll('.block')].map(
    (b) =>
      `${b.getAttribute('class')!.match(/colour-(\w+)/)![1]}:${b.querySelector('.block-size')!.textContent}`,
  );

describe('WireStrip', () => {
  it('draws the unit as it exists at this step, with the change in words', () => {
    const { container } = renderWithStore(<WireStrip />, { step: WALK_START + 4 }); // client layer 4
    expect(blockNames(container)).toEqual(['tcp:20 B', 'app:6 B', 'data:5 B']);
    expect(container.querySelector('.block.state-adding')).toHaveClass('colour-tcp');
    expect(screen.getByText('+ TCP header: 20 bytes, added by layer 4 (transport)')).toBeInTheDocument();
    expect(screen.getByRole('img')).toHaveAccessibleName(
      /at the Browser: TCP 20 bytes \(just added\), WebSocket 6 bytes, data 5 bytes/,
    );
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('#6 Browser → Server');
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('unit now: 31 bytes');
    // Slots for the headers still to come are outlined, so the frame's final shape is visible.
    expect(container.querySelectorAll('.block-ghost')).toHaveLength(4);
  });

  it('draws the frame as 100BASE-TX sends it: /J/K/, preamble, SFD, the frame, its FCS, /T/R/', async () => {
    const { container } = renderWithStore(<WireStrip />, { step: WALK_START + 8 }); // transmit
    // The signal's module loads after the first paint.
    await waitFor(() => expect(container.querySelector('path.signal-wave')).not.toBeNull());
    const packet = FIXTURE.packets[5]!;
    // One text element holds every code-group name, one character each.
    const groups = [...container.querySelector('.signal-group')!.textContent!].join(' ');
    const nibbles = (b: number) => `${(b & 15).toString(16)} ${(b >> 4).toString(16)}`.toUpperCase();
    const onCable = [...packet.frame, ...trailerBytes(packet)];
    const last = onCable.slice(-2);
    expect(groups).toBe(`J K 5 5 5 D ${nibbles(onCable[0]!)} ${last.map(nibbles).join(' ')} T R`);
    const labels = [...container.querySelectorAll('.signal-byte')].map((t) => t.textContent);
    expect(labels.slice(0, 3)).toEqual(['J K: start', '0x55 ×6', 'SFD 0xd5']);
    expect(container.querySelector('path.signal-wave')!.getAttribute('d')).toMatch(/^M0,/);
    expect(blockNames(container)[0]).toBe('physical:8 B');
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('on the cable: 77 bytes');
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('100BASE-TX, unscrambled');
  });

  it('marks a lost frame', () => {
    const drop = STEPS.findIndex((s) => s.kind === 'drop');
    const { container } = renderWithStore(<WireStrip />, { step: drop + 1 });
    expect(container.querySelector('.lost-mark')).toHaveTextContent('lost');
    expect(screen.getByRole('img')).toHaveAccessibleName(/lost/);
  });

  it('says so when nothing is on the wire', () => {
    renderWithStore(<WireStrip />, { step: 1 });
    expect(screen.getByRole('img')).toHaveAccessibleName(
      /^No frame on the wire at this step. Server TCP: CLOSED → LISTEN/,
    );
  });

  it('animates one step forward, finishes at once when stepping on, and never animates backwards', async () => {
    await loadStepAnimations(); // as the stage does once the page is idle
    const { container, store } = renderWithStore(<WireStrip />, {
      step: WALK_START + 3,
      reducedMotion: false,
    });
    const transformed = () =>
      [...container.querySelectorAll('.anim[transform]')].map((g) =>
        g.closest('.block')?.getAttribute('class'),
      );
    expect(transformed()).toEqual([]);
    act(() => store.getState().next()); // layer 4 adds TCP: it grows in
    expect(transformed()).toEqual([expect.stringContaining('colour-tcp state-adding')]);
    act(() => store.getState().next()); // next mid-animation: TCP is done at once, IPv4 grows in
    expect(transformed()).toEqual([expect.stringContaining('colour-ipv4 state-adding')]);
    act(() => store.getState().prev()); // back: the previous picture at once, no movement
    expect(transformed()).toEqual([]);
  });

  it('a hurried step (sooner than the animation after the one before) shows at once; a paced one moves', async () => {
    await loadStepAnimations();
    let now = 0;
    const { container, store } = renderWithStore(<WireStrip />, {
      step: WALK_START + 3,
      reducedMotion: false,
      stepClock: () => now,
    });
    const moving = () => container.querySelectorAll('.anim[transform]').length;
    act(() => store.getState().next()); // at once after opening (no step before it): layer 4's TCP grows in
    expect(moving()).toBe(1);
    now = 300;
    act(() => store.getState().next()); // 300 ms later (the animation takes 600): layer 3's IPv4 is simply there
    expect(moving()).toBe(0);
    now = 850;
    act(() => store.getState().next()); // 550 ms after that: still hurried
    expect(moving()).toBe(0);
    now = 1500;
    act(() => store.getState().prev()); // back (never moves), 650 ms later
    now = 2200;
    act(() => store.getState().next()); // 700 ms after the last step: a reading pace, it moves
    expect(moving()).toBeGreaterThan(0);
    act(() => store.getState().setSpeed(4)); // at 4× the animation takes 150 ms
    act(() => store.getState().prev());
    now = 2400;
    act(() => store.getState().next()); // 200 ms later: paced at 4×
    expect(moving()).toBeGreaterThan(0);
  });

  it('does not move at all with reduced motion', () => {
    const { container, store } = renderWithStore(<WireStrip />, {
      step: WALK_START + 3,
      reducedMotion: true,
    });
    act(() => store.getState().next());
    expect(container.querySelectorAll('.anim[transform]')).toHaveLength(0);
  });
});
