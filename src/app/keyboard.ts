/**
 * The global keyboard map, as a pure function: a key press (and what has focus) in, an action out.
 *
 * Space/K play-pause, →/L/PageDown next, ←/J/PageUp previous, Home/End first/last (the K/J/L trio as in
 * video players). Keys are left alone when they belong to the focused element: typing in a text field,
 * Space/Enter on a button, arrows on the scrubber, a tab list or a list box, anything on a select; and whenever a
 * modifier is held, so browser and screen-reader shortcuts keep working.
 */

export type KeyAction = 'togglePlay' | 'next' | 'prev' | 'first' | 'last';

/** What kind of element has focus, as far as the keyboard map cares. */
/** `widget`: a composite widget (tab list, list box) that moves its own selection with arrows, Home and End. */
export type FocusKind = 'text' | 'button' | 'range' | 'select' | 'widget' | 'other';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly focus: FocusKind;
}

const MAP: Readonly<Record<string, KeyAction>> = {
  ' ': 'togglePlay',
  k: 'togglePlay',
  K: 'togglePlay',
  ArrowRight: 'next',
  l: 'next',
  L: 'next',
  PageDown: 'next',
  ArrowLeft: 'prev',
  j: 'prev',
  J: 'prev',
  PageUp: 'prev',
  Home: 'first',
  End: 'last',
};

const ARROWS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

export function keyAction(press: KeyPress): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const action = MAP[press.key];
  if (!action) return null;
  switch (press.focus) {
    case 'text':
    case 'select':
      return null;
    case 'button':
      return press.key === ' ' ? null : action;
    case 'range':
    case 'widget':
      return ARROWS.has(press.key) ? null : action;
    case 'other':
      return action;
  }
}

/** Classify a focused element (duck-typed, so it is testable without a DOM). */
export function focusKind(
  el: {
    readonly tagName?: string;
    readonly type?: string;
    readonly isContentEditable?: boolean;
    getAttribute?(name: string): string | null;
  } | null,
): FocusKind {
  if (!el || !el.tagName) return 'other';
  const tag = el.tagName.toLowerCase();
  const role = el.getAttribute?.('role') ?? null;
  if (el.isContentEditable || tag === 'textarea') return 'text';
  if (tag === 'select') return 'select';
  if (tag === 'input') {
    const type = (el.type ?? 'text').toLowerCase();
    if (type === 'range') return 'range';
    if (
      type === 'button' ||
      type === 'submit' ||
      type === 'reset' ||
      type === 'checkbox' ||
      type === 'radio'
    ) {
      return 'button';
    }
    return 'text';
  }
  if (role === 'tab' || role === 'option' || role === 'listbox' || role === 'tablist') return 'widget';
  if (role === 'slider') return 'range';
  if (tag === 'button' || tag === 'summary' || role === 'button' || tag === 'a') return 'button';
  return 'other';
}
