/**
 * Scroll a box back to its top whenever `key` changes, as a freshly drawn box would be. Whether the box has
 * been scrolled is learnt from its scroll events, so an unscrolled box (the usual case) costs nothing: reading
 * or writing scrollTop right after the DOM changed would force a synchronous layout.
 */
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

export function useScrollReset(box: RefObject<HTMLElement | null>, key: unknown): void {
  const scrolled = useRef(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => {
      scrolled.current = el.scrollTop !== 0;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [box]);
  const first = useRef(true);
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const el = box.current;
    if (!el || !scrolled.current) return;
    el.scrollTop = 0;
    scrolled.current = false;
    // Scroll listeners (HexView's window) hear of it from the scroll event as usual.
  }, [box, key]);
}
