// @vitest-environment jsdom
/** preloadable(): suspends until its chunk is here, renders in the same pass once it is, and retries a failed load. */
import { act, render, screen } from '@testing-library/react';
import { Suspense } from 'react';
import { preloadable } from '../../../src/views/lazy/preloadable';

function Hello({ name }: { readonly name: string }) {
  return <p>Hello {name}</p>;
}

describe('preloadable', () => {
  it('shows the fallback until loaded, then the component', async () => {
    let resolve: (c: typeof Hello) => void = () => undefined;
    const Lazy = preloadable(() => new Promise<typeof Hello>((r) => (resolve = r)));
    render(
      <Suspense fallback={<p>waiting</p>}>
        <Lazy name="Ada" />
      </Suspense>,
    );
    expect(screen.getByText('waiting')).toBeTruthy();
    await act(async () => resolve(Hello));
    expect(await screen.findByText('Hello Ada')).toBeTruthy();
  });

  it('renders at once, without suspending, once preloaded', async () => {
    let loads = 0;
    const Lazy = preloadable(() => {
      loads++;
      return Promise.resolve(Hello);
    });
    await Lazy.preload();
    render(
      <Suspense fallback={<p>waiting</p>}>
        <Lazy name="Grace" />
      </Suspense>,
    );
    // No act() and no waiting: the same render pass.
    expect(screen.getByText('Hello Grace')).toBeTruthy();
    expect(screen.queryByText('waiting')).toBeNull();
    await Lazy.preload();
    expect(loads).toBe(1);
  });

  it('tries again after a failed load', async () => {
    let attempt = 0;
    const Lazy = preloadable(() =>
      ++attempt === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(Hello),
    );
    await expect(Lazy.preload()).rejects.toThrow('offline');
    await Lazy.preload();
    expect(attempt).toBe(2);
    render(<Lazy name="Linus" />);
    expect(screen.getByText('Hello Linus')).toBeTruthy();
  });

  it('draws nothing when the chunk cannot be fetched, asks again when drawn again, and draws it once here', async () => {
    let offline = true;
    let attempts = 0;
    const Lazy = preloadable(() => {
      attempts++;
      return offline ? Promise.reject(new Error('offline')) : Promise.resolve(Hello);
    });
    const page = (name: string) => (
      <Suspense fallback={<p>waiting</p>}>
        <Lazy name={name} />
      </Suspense>
    );
    const { container, rerender } = render(page('Ken'));
    await vi.waitFor(() => expect(container.textContent).toBe(''));
    const failedSoFar = attempts;
    expect(failedSoFar).toBeGreaterThan(0);
    offline = false;
    rerender(page('Ken'));
    await act(() => Lazy.preload());
    expect(attempts).toBe(failedSoFar + 1);
    rerender(page('Ken'));
    expect(screen.getByText('Hello Ken')).toBeTruthy();
  });
});
