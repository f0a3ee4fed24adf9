/**
 * Swipe left / right on the stage to step, for touch screens (pointer events, so a pen works too; a mouse
 * never swipes: it has the buttons and keys).
 *
 * A swipe is a touch that travels at least SWIPE_MIN px sideways and clearly more sideways than up or down
 * (|dx| > 1.5·|dy|): a vertical scroll of the page or a panel never steps. When the browser takes a touch for
 * its own scrolling it sends pointercancel, and the touch is forgotten. Touches that start on a control that
 * drags sideways itself (the scrubber, a text field, the tab strip) are left to it. The stage sets
 * `touch-action: pan-y` so horizontal moves reach this code instead of panning the page.
 */
import { useEffect, type RefObject } from 'react';

export const SWIPE_MIN = 48;

const OWN_GESTURES = 'input, textarea, select, [role="tablist"], [role="slider"]';

export function isSwipe(dx: number, dy: number): -1 | 0 | 1 {
  if (Math.abs(dx) < SWIPE_MIN || Math.abs(dx) <= 1.5 * Math.abs(dy)) return 0;
  return dx < 0 ? 1 : -1;
}

/** `onStep(1)` for a swipe to the left (the next step comes in from the right), `onStep(-1)` to the right. */
export function useSwipe(ref: RefObject<HTMLElement | null>, onStep: (direction: 1 | -1) => void): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let start: { id: number; x: number; y: number } | null = null;
    const down = (e: PointerEvent) => {
      if (e.pointerType === 'mouse' || !e.isPrimary) return;
      if (e.target instanceof Element && e.target.closest(OWN_GESTURES)) return;
      start = { id: e.pointerId, x: e.clientX, y: e.clientY };
    };
    const up = (e: PointerEvent) => {
      if (!start || e.pointerId !== start.id) return;
      const direction = isSwipe(e.clientX - start.x, e.clientY - start.y);
      start = null;
      if (direction) onStep(direction);
    };
    const cancel = (e: PointerEvent) => {
      if (start && e.pointerId === start.id) start = null;
    };
    el.addEventListener('pointerdown', down);
    // The finger may lift outside the stage (over the playback bar): listen on the window.
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    return () => {
      el.removeEventListener('pointerdown', down);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
    };
  }, [ref, onStep]);
}
