// @vitest-environment jsdom
/**
 * useElementSize: sizes come from one shared ResizeObserver (mocked here: jsdom has none), the first one drawn
 * before the browser could paint (flushSync), as the padding box; without ResizeObserver, clientWidth /
 * clientHeight after the commit, and the fallback while those are 0 (jsdom).
 */
import { act, render, screen } from '@testing-library/react';
import type { useElementSize as UseElementSize } from '../../src/views/motion/useElementSize';

type Callback = (entries: ResizeObserverEntry[]) => void;

class FakeResizeObserver {
  static all: FakeResizeObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(readonly callback: Callback) {
    FakeResizeObserver.all.push(this);
  }
  observe(el: Element) {
    this.observed.add(el);
  }
  unobserve(el: Element) {
    this.observed.delete(el);
  }
  disconnect() {
    this.observed.clear();
  }
}

const entry = (target: Element, inlineSize: number, blockSize: number) =>
  ({
    target,
    contentBoxSize: [{ inlineSize, blockSize }],
    contentRect: { width: inlineSize, height: blockSize },
  }) as unknown as ResizeObserverEntry;

let useElementSize: typeof UseElementSize;
beforeAll(async () => {
  useElementSize = (await import('../../src/views/motion/useElementSize')).useElementSize;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function Box({ name, padding }: { readonly name: string; readonly padding?: string }) {
  const [ref, size] = useElementSize<HTMLDivElement>({ width: 760, height: 320 });
  return (
    <div ref={ref} data-testid={name} style={{ padding }}>
      {`${name} ${size.width}×${size.height}`}
    </div>
  );
}

describe('useElementSize with ResizeObserver', () => {
  beforeEach(() => {
    FakeResizeObserver.all = [];
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  });

  it('draws the first size at once (before a paint), later ones as ordinary updates; padding counts', () => {
    const { unmount } = render(
      <>
        <Box name="a" padding="0 8px" />
        <Box name="b" />
      </>,
    );
    expect(screen.getByTestId('a')).toHaveTextContent('a 760×320');
    // One observer for both elements, so they are sized in one callback and one render.
    const observers = FakeResizeObserver.all.filter((o) => o.observed.size > 0);
    expect(observers).toHaveLength(1);
    const observer = observers[0]!;
    const a = screen.getByTestId('a');
    const b = screen.getByTestId('b');
    expect([...observer.observed]).toEqual(expect.arrayContaining([a, b]));

    // No act(), as in the browser: flushSync has already rendered the first size when the callback returns.
    const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    const wasAct = env.IS_REACT_ACT_ENVIRONMENT;
    env.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      observer.callback([entry(a, 500.4, 200), entry(b, 300, 100)]);
    } finally {
      env.IS_REACT_ACT_ENVIRONMENT = wasAct;
    }
    expect(a).toHaveTextContent('a 516×200');
    expect(b).toHaveTextContent('b 300×100');

    act(() => observer.callback([entry(a, 600, 210)]));
    expect(a).toHaveTextContent('a 616×210');

    // A hidden element (0 × 0) keeps its last size.
    act(() => observer.callback([entry(a, 0, 0)]));
    expect(a).toHaveTextContent('a 616×210');

    unmount();
    expect(observer.observed.size).toBe(0);
  });
});

describe('useElementSize without ResizeObserver', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', undefined));

  it('keeps the fallback while the element measures 0 (jsdom)', () => {
    render(<Box name="c" />);
    expect(screen.getByTestId('c')).toHaveTextContent('c 760×320');
  });

  it('reads clientWidth / clientHeight after the commit and on window resizes', () => {
    let width = 640;
    const w = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(() => width);
    const h = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 240);
    try {
      render(<Box name="d" />);
      expect(screen.getByTestId('d')).toHaveTextContent('d 640×240');
      width = 700;
      act(() => {
        window.dispatchEvent(new Event('resize'));
      });
      expect(screen.getByTestId('d')).toHaveTextContent('d 700×240');
    } finally {
      w.mockRestore();
      h.mockRestore();
    }
  });
});
