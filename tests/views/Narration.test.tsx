// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
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

/**
 * The probe (NarrationProbe in Narration.tsx) fits the next steps in idle time with a hidden copy of the box.
 * The copy may only exist inside one idle callback: left in the page between tasks, a frame would draw it (and
 * a reduced-motion frame would change; tests/e2e/motion.test.ts). Idle time is handed out here by hand.
 */
describe('Narration probe', () => {
  type Idle = (deadline: { timeRemaining(): number; didTimeout: boolean }) => void;
  const queued: Idle[] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { ric: g.requestIdleCallback, cic: g.cancelIdleCallback, ro: g.ResizeObserver };

  beforeEach(() => {
    queued.length = 0;
    g.requestIdleCallback = (cb: Idle) => queued.push(cb);
    g.cancelIdleCallback = () => {};
    // A box of 800 × 200 px, reported once observed (jsdom has no layout and no ResizeObserver).
    g.ResizeObserver = class {
      constructor(private readonly cb: (e: unknown[]) => void) {}
      observe() {
        this.cb([{ contentRect: { width: 800, height: 200 } }]);
      }
      disconnect() {}
    };
  });
  afterEach(() => {
    cleanup(); // unmount while the stubs are still in place (the effect's cleanup cancels its idle callback)
    g.requestIdleCallback = saved.ric;
    g.cancelIdleCallback = saved.cic;
    g.ResizeObserver = saved.ro;
  });

  /** Run the next idle callback with `budgets` as the successive answers of timeRemaining(). */
  const idle = (budgets: number[]) => {
    const cb = queued.shift();
    expect(cb).toBeDefined();
    act(() => cb!({ timeRemaining: () => budgets.shift() ?? 0, didTimeout: false }));
  };

  it('never leaves its copy in the page between tasks, also when an idle period ends halfway', () => {
    const { container } = renderWithStore(<Narration />, { step: 1 });
    const box = container.querySelector('section.narration:not(.narration-probe)') as HTMLElement;
    expect(box.dataset.probe).toBe('busy:0');
    // Time for two steps, then the period ends: the copy goes, and the rest waits for the next period.
    idle([50, 50, 0]);
    expect(container.querySelector('.narration-probe')).toBeNull();
    expect(box.dataset.probe).toBe('busy:0');
    expect(queued).toHaveLength(1);
    idle(Array(20).fill(50));
    expect(container.querySelector('.narration-probe')).toBeNull();
    expect(box.dataset.probe).toBe('done:0');
  });
});
