/**
 * A lazily loaded component that, once its chunk is here, renders in the same pass: React.lazy suspends once on
 * its first render even when the module arrived long ago, so a component test that has preloaded it would still
 * see the fallback first. Before the chunk is here it is React.lazy (put it under a <Suspense>); once an
 * instance has been drawn through React.lazy, it stays so, so that nothing already on screen is mounted again.
 * A chunk that cannot be fetched (offline before it was cached) draws nothing, and is asked for again at each
 * later render. `preload()` fetches it ahead (tests/support/lazyChunks.ts does, for component tests).
 */
import { createElement, lazy, type ComponentType, type ReactNode } from 'react';

export interface Preloadable<P> {
  (props: P): ReactNode;
  preload(): Promise<void>;
}

const Nothing = (): ReactNode => null;

export function preloadable<P extends object>(load: () => Promise<ComponentType<P>>): Preloadable<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<void> | null = null;
  let viaLazy = false;
  const preload = (): Promise<void> =>
    (pending ??= load().then(
      (component) => {
        loaded = component;
      },
      (err: unknown) => {
        pending = null; // offline before the chunk was cached: the next attempt fetches again
        throw err;
      },
    ));
  // A chunk that cannot be fetched draws nothing rather than taking the page down (React.lazy would throw to
  // the nearest error boundary, and keeps the failure for good); each later render asks for it again, and draws
  // it once it is here.
  let failed = false;
  const Deferred = lazy(() =>
    preload().then(
      () => ({ default: loaded! }),
      () => {
        failed = true;
        return { default: Nothing };
      },
    ),
  );
  const Lazy = (props: P): ReactNode => {
    if (loaded && (!viaLazy || failed)) return createElement(loaded, props);
    if (failed) {
      void preload().catch(() => undefined);
      return null;
    }
    viaLazy = true;
    return createElement(Deferred, props);
  };
  return Object.assign(Lazy, { preload });
}
