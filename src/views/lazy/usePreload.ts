/**
 * Start loading lazily split code once the page is idle after its first paint, so that a panel which is not
 * on screen at first (the bytes, the code, the signal) is ready before anyone asks for it, without being in
 * the first download.
 */
import { useEffect } from 'react';

type IdleWindow = Window & {
  requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
};

export function usePreload(...loads: readonly (() => Promise<unknown>)[]): void {
  useEffect(() => {
    const run = () => loads.forEach((load) => void load().catch(() => {}));
    const w = window as IdleWindow;
    if (w.requestIdleCallback && w.cancelIdleCallback) {
      const id = w.requestIdleCallback(run, { timeout: 2000 });
      return () => w.cancelIdleCallback!(id);
    }
    const id = setTimeout(run, 500);
    return () => clearTimeout(id);
    // The loaders are module-level constants: run once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
