/** The content-box size of an element, kept current with a ResizeObserver (layout functions need pixels). */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useElementSize<T extends HTMLElement>(
  fallback: { readonly width: number; readonly height: number } = { width: 800, height: 300 },
): [RefObject<T | null>, { readonly width: number; readonly height: number }] {
  const ref = useRef<T | null>(null);
  const [size, setSize] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const width = el.clientWidth;
      const height = el.clientHeight;
      // jsdom and hidden panels report 0: keep the fallback rather than laying out into nothing.
      if (width > 0 && height > 0) {
        setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}
