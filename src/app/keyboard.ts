/**
 * The global keyboard map, as a pure function: a key press (and what has focus) in, an action out.
 *
 * Space/K play-pause, →/L/PageDown next, ←/J/PageUp previous, Home/End first/last (the K/J/L trio as in
 * video players; PageDown/PageUp and B/`.` are what presentation clickers send). The classroom: P presenter
 * mode, F full screen, B or `.` black screen, S speaker window, C share, Esc leaves the blackout and then
 * presenter mode. Keys are left alone when they belong to the focused element: typing in a text field,
 * Space/Enter on a button, arrows on the scrubber, a tab list or a list box, arrows and Space on a radio
 * button, anything on a select; arrows (and Home, End, PageUp, PageDown) anywhere inside a region that owns
 * them (`data-own-arrows`: the "check yourself" questions, which stepping would take off the screen); and
 * whenever a modifier is held, so browser and screen-reader shortcuts keep working. `resolveKey` then fits the action to the mode (embed, presenter, blackout).
 */

export type KeyAction =
  | 'togglePlay'
  | 'next'
  | 'prev'
  | 'first'
  | 'last'
  | 'present'
  | 'fullscreen'
  | 'blackout'
  | 'speaker'
  | 'share'
  | 'escape';

/** What kind of element has focus, as far as the keyboard map cares. */
/**
 * `widget`: a composite widget (tab list, list box) that moves its own selection with arrows, Home and End.
 * `choice`: a radio button, whose group moves with arrows and which Space selects.
 */
export type FocusKind = 'text' | 'button' | 'range' | 'select' | 'widget' | 'choice' | 'other';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly focus: FocusKind;
  /** Focus is inside a region that owns the arrow keys (`data-own-arrows`). */
  readonly ownArrows?: boolean;
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
  p: 'present',
  P: 'present',
  f: 'fullscreen',
  F: 'fullscreen',
  b: 'blackout',
  B: 'blackout',
  '.': 'blackout',
  s: 'speaker',
  S: 'speaker',
  c: 'share',
  C: 'share',
  Escape: 'escape',
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
  if (press.ownArrows && ARROWS.has(press.key)) return null;
  switch (press.focus) {
    case 'text':
    case 'select':
      return null;
    case 'button':
      return press.key === ' ' ? null : action;
    case 'range':
    case 'widget':
      return ARROWS.has(press.key) ? null : action;
    case 'choice':
      return ARROWS.has(press.key) || press.key === ' ' ? null : action;
    case 'other':
      return action;
  }
}

/** What the app is showing, as far as keys care. */
export interface KeyMode {
  readonly embed: boolean;
  readonly present: boolean;
  readonly blackout: boolean;
  /** The lesson's introduction card is open (Esc puts it away). */
  readonly intro?: boolean;
}

/** What a key finally does: a key action, or one of the mode changes it turns into. */
export type KeyCommand =
  Exclude<KeyAction, 'escape' | 'blackout'> | 'blackoutOn' | 'blackoutOff' | 'leavePresent' | 'dismissIntro';

const PLAYBACK: ReadonlySet<KeyAction> = new Set(['togglePlay', 'next', 'prev', 'first', 'last']);

/**
 * Fit an action to the mode. An embed answers playback keys only (the page around it owns the rest). While
 * the screen is black, any key of the map brings the picture back and does nothing else, so a stray press
 * never moves the lesson unseen. B and `.` black the screen in presenter mode only; Esc ends the blackout,
 * then presenter mode, or puts the lesson's introduction away, and is left alone otherwise (it belongs to
 * dialogs and the browser).
 */
export function resolveKey(action: KeyAction | null, mode: KeyMode): KeyCommand | null {
  if (action === null) return null;
  if (mode.embed) return PLAYBACK.has(action) ? (action as KeyCommand) : null;
  if (mode.blackout) return 'blackoutOff';
  switch (action) {
    case 'blackout':
      return mode.present ? 'blackoutOn' : null;
    case 'escape':
      return mode.present ? 'leavePresent' : mode.intro ? 'dismissIntro' : null;
    default:
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
    if (type === 'radio') return 'choice';
    if (type === 'button' || type === 'submit' || type === 'reset' || type === 'checkbox') {
      return 'button';
    }
    return 'text';
  }
  if (role === 'tab' || role === 'option' || role === 'listbox' || role === 'tablist') return 'widget';
  if (role === 'slider') return 'range';
  if (tag === 'button' || tag === 'summary' || role === 'button' || tag === 'a') return 'button';
  return 'other';
}
