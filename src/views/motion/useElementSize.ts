/**
 * The content-box size of an element, kept current with a ResizeObserver (layout functions need pixels).
 *
 * The size comes from the observer only: its first callback arrives in the frame's own layout, before that frame
 * paints, so reading it costs no forced synchronous layout (reading clientWidth in a layout effect made the
 * browser lay out the whole page in the middle of React's commit). A first size is applied with flushSync, so
 * the frame that first shows the element already draws it at its real size (no frame at the fallback size, no
 * jump); later resizes are ordinary updates. The size is the padding box, as clientWidth / clientHeight.
 *
 * Without ResizeObserver (jsdom, old browsers) the size is read once after the commit, in a passive effect, and
 * again on window resizes. A size of 0 (jsdom, a hidden panel) keeps the fallback rather than laying out into
 * nothing.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

interface Size {
  readonly width: number;
  readonly height: number;
}

type Listener = (size: Size, first: boolean) => void;

/**
 * The padding box (what clientWidth / clientHeight give, which the layout functions were written against) from
 * an observer entry: the content box plus the padding. Both are current while the observer's callbacks run
 * (style and layout were just done), so no layout is forced.
 */
function entrySize(entry: ResizeObserverEntry): Size {
  const box = entry.contentBoxSize?.[0];
  const width = box ? box.inlineSize : entry.contentRect.width;
  const height = box ? box.blockSize : entry.contentRect.height;
  const style = getComputedStyle(entry.target);
  const px = (value: string) => parseFloat(value) || 0;
  return {
    width: Math.round(width + px(style.paddingLeft) + px(style.paddingRight)),
    height: Math.round(height + px(style.paddingTop) + px(style.paddingBottom)),
  };
}

/**
 * One observer for every element measured here, so that elements which appear together (the wire and the
 * ladder) are sized in one callback and drawn at their size in one render, not one render each.
 */
const listeners = new Map<Element, { readonly listener: Listener; first: boolean }>();
let shared: ResizeObserver | null = null;

function observe(el: Element, listener: Listener): () => void {
  shared ??= new ResizeObserver((entries) => {
    // Read every size before any update: a render in between would make the next read force a layout.
    const sizes = entries.flatMap((entry) => {
      const watched = listeners.get(entry.target);
      if (!watched) return [];
      const size = entrySize(entry);
      if (!(size.width > 0 && size.height > 0)) return [];
      const first = watched.first;
      watched.first = false;
      return [{ watched, size, first }];
    });
    const apply = () => sizes.forEach(({ watched, size, first }) => watched.listener(size, first));
    if (sizes.some((s) => s.first)) flushSync(apply);
    else apply();
  });
  listeners.set(el, { listener, first: true });
  shared.observe(el);
  return () => {
    listeners.delete(el);
    shared?.unobserve(el);
  };
}

export function useElementSize<T extends HTMLElement>(
  fallback: Size = { width: 800, height: 300 },
): [RefObject<T | null>, Size] {
  const ref = useRef<T | null>(null);
  const [size, setSize] = useState(fallback);
  const hasObserver = typeof ResizeObserver !== 'undefined';

  // Observing in a layout effect (observe() itself forces no layout) so that the first callback comes in the
  // very frame that first shows the element.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !hasObserver) return;
    return observe(el, ({ width, height }) =>
      setSize((old) => (old.width === width && old.height === height ? old : { width, height })),
    );
  }, [hasObserver]);

  useEffect(() => {
    const el = ref.current;
    if (!el || hasObserver) return;
    const measure = () => {
      const width = el.clientWidth;
      const height = el.clientHeight;
      if (width > 0 && height > 0) {
        setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
      }
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [hasObserver]);

  return [ref, size];
}
