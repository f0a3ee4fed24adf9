/** Wires the pure keyboard map to the window and the store. */
import { useEffect } from 'react';
import type { WirewalkStore } from '../state/store';
import { focusKind, keyAction } from './keyboard';

export function useKeyboard(store: WirewalkStore): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const target = e.target instanceof Element ? e.target : null;
      const action = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        focus: focusKind(target as (Element & { type?: string; isContentEditable?: boolean }) | null),
      });
      if (!action) return;
      e.preventDefault();
      // Holding Space would toggle play on and off thirty times a second.
      if (action === 'togglePlay' && e.repeat) return;
      const s = store.getState();
      if (action === 'togglePlay') s.togglePlay();
      else if (action === 'next') {
        // Stepping by hand takes over from playing.
        if (s.playing) s.pause();
        s.next();
      } else if (action === 'prev') {
        if (s.playing) s.pause();
        s.prev();
      } else if (action === 'first') s.first();
      else s.last();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
