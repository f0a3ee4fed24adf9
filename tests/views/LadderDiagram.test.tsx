// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LadderDiagram } from '../../src/views/ladder/LadderDiagram';
import type { Packet, Step, Timeline } from '../../src/sim/types';
import { FIXTURE, PACKETS, STEPS, WALK_START } from './fixture';
import { renderWithStore } from '../support/renderWithStore';

const arrows = () => screen.getAllByRole('button', { name: /^Packet \d+/ });

describe('LadderDiagram', () => {
  it('draws one labelled arrow per packet, the lost one marked', () => {
    renderWithStore(<LadderDiagram />);
    expect(arrows()).toHaveLength(PACKETS.length);
    expect(screen.getByRole('button', { name: /^Packet 1, Browser to Server: \[SYN\]/ })).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^Packet 7, Server to Browser: .*"Hi!", lost\./ }),
    ).toBeInTheDocument();
    expect(screen.getByText('TCP handshake')).toBeInTheDocument();
    expect(screen.getByText('WebSocket upgrade')).toBeInTheDocument();
  });

  it('highlights the current packet and follows the cursor', () => {
    const { store } = renderWithStore(<LadderDiagram />, { step: WALK_START + 1 });
    const current = () => arrows().filter((a) => a.getAttribute('aria-current') === 'step');
    expect(current().map((a) => a.getAttribute('aria-label'))).toEqual([expect.stringMatching(/^Packet 6,/)]);
    act(() => store.getState().seek(STEPS.findIndex((s) => s.packet === 7)));
    expect(current().map((a) => a.getAttribute('aria-label'))).toEqual([expect.stringMatching(/^Packet 8,/)]);
    act(() => store.getState().seek(0));
    expect(current()).toEqual([]);
  });

  it('a click or Enter on an arrow seeks to its first step and opens the bytes panel', async () => {
    const user = userEvent.setup();
    const { store } = renderWithStore(<LadderDiagram />);
    await user.click(screen.getByRole('button', { name: /^Packet 5,/ }));
    expect(store.getState().cursor).toBe(STEPS.findIndex((s) => s.packet === 4));
    expect(store.getState().panel).toBe('bytes');
    screen.getByRole('button', { name: /^Packet 2,/ }).focus();
    await user.keyboard('{Enter}');
    expect(store.getState().cursor).toBe(STEPS.findIndex((s) => s.packet === 1));
  });

  it('a link opening far down shows its step at once; a step scrolls there smoothly', () => {
    const calls: (ScrollBehavior | undefined)[] = [];
    const had = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollTo');
    HTMLElement.prototype.scrollTo = function (options?: ScrollToOptions | number) {
      if (typeof options === 'object') calls.push(options.behavior);
    } as HTMLElement['scrollTo'];
    const frame = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
      cb(0);
      return 1;
    });
    try {
      const { store } = renderWithStore(<LadderDiagram />, {
        timeline: longTimeline(3000),
        step: 1500,
        reducedMotion: false,
      });
      expect(calls).toEqual(['auto']);
      act(() => store.getState().seek(1530));
      expect(calls).toEqual(['auto', 'smooth']);
    } finally {
      frame.mockRestore();
      if (had) Object.defineProperty(HTMLElement.prototype, 'scrollTo', had);
      else delete (HTMLElement.prototype as Partial<HTMLElement>).scrollTo;
    }
  });

  it('renders only a window of a long conversation', () => {
    renderWithStore(<LadderDiagram />, { timeline: longTimeline(3000), step: 1500 });
    const drawn = arrows();
    expect(drawn.length).toBeGreaterThan(3);
    expect(drawn.length).toBeLessThan(40);
    // The window is around the current step, which is drawn.
    expect(screen.getByRole('button', { name: /^Packet 1500,/ })).toHaveAttribute('aria-current', 'step');
  });
});

/** A conversation of n WebSocket frames, one step each. */
function longTimeline(n: number): Timeline {
  const base = PACKETS[5]!;
  const packets: Packet[] = Array.from({ length: n }, (_, i) => ({
    ...base,
    id: i,
    wireIndex: i + 1,
    summary: `frame ${i}`,
  }));
  const steps: Step[] = packets.map((p, i) => ({
    ...STEPS[WALK_START + 7]!,
    index: i,
    packet: p.id,
    chapter: 'ws-data',
  }));
  return {
    ...FIXTURE,
    packets,
    steps,
    chapters: [{ id: 'ws-data', title: 'Messages', firstStep: 0, lastStep: n - 1 }],
  };
}
