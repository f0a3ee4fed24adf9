import { focusKind, keyAction, type FocusKind } from '../../src/app/keyboard';

const press = (
  key: string,
  focus: FocusKind = 'other',
  mods: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean } = {},
) => keyAction({ key, focus, ...mods });

describe('keyAction', () => {
  it.each([
    [' ', 'togglePlay'],
    ['k', 'togglePlay'],
    ['K', 'togglePlay'],
    ['ArrowRight', 'next'],
    ['l', 'next'],
    ['PageDown', 'next'],
    ['ArrowLeft', 'prev'],
    ['j', 'prev'],
    ['PageUp', 'prev'],
    ['Home', 'first'],
    ['End', 'last'],
  ])('maps %j to %s', (key, action) => {
    expect(press(key)).toBe(action);
  });

  it('ignores other keys', () => {
    expect(press('a')).toBeNull();
    expect(press('Enter')).toBeNull();
    expect(press('ArrowUp')).toBeNull();
  });

  it('ignores everything while typing in a text field or a select', () => {
    for (const key of [' ', 'k', 'l', 'j', 'ArrowRight', 'Home', 'End']) {
      expect(press(key, 'text')).toBeNull();
      expect(press(key, 'select')).toBeNull();
    }
  });

  it('leaves Space to a focused button but still steps with arrows and letters', () => {
    expect(press(' ', 'button')).toBeNull();
    expect(press('ArrowRight', 'button')).toBe('next');
    expect(press('k', 'button')).toBe('togglePlay');
  });

  it('leaves arrows, Home and End to the scrubber, tab lists and list boxes, which handle them themselves', () => {
    for (const focus of ['range', 'widget'] as const) {
      expect(press('ArrowRight', focus)).toBeNull();
      expect(press('Home', focus)).toBeNull();
      expect(press('PageDown', focus)).toBeNull();
      expect(press('l', focus)).toBe('next');
      expect(press(' ', focus)).toBe('togglePlay');
    }
  });

  it('never takes a key pressed with a modifier (browser and screen-reader shortcuts)', () => {
    expect(press('ArrowRight', 'other', { altKey: true })).toBeNull();
    expect(press('l', 'other', { ctrlKey: true })).toBeNull();
    expect(press('k', 'other', { metaKey: true })).toBeNull();
  });
});

describe('focusKind', () => {
  const el = (
    tagName: string,
    extra: { type?: string; role?: string; isContentEditable?: boolean } = {},
  ) => ({
    tagName,
    type: extra.type,
    isContentEditable: extra.isContentEditable ?? false,
    getAttribute: (n: string) => (n === 'role' ? (extra.role ?? null) : null),
  });
  it('classifies focused elements', () => {
    expect(focusKind(null)).toBe('other');
    expect(focusKind(el('INPUT', { type: 'text' }))).toBe('text');
    expect(focusKind(el('INPUT', { type: 'search' }))).toBe('text');
    expect(focusKind(el('INPUT', { type: 'range' }))).toBe('range');
    expect(focusKind(el('INPUT', { type: 'checkbox' }))).toBe('button');
    expect(focusKind(el('TEXTAREA'))).toBe('text');
    expect(focusKind(el('DIV', { isContentEditable: true }))).toBe('text');
    expect(focusKind(el('SELECT'))).toBe('select');
    expect(focusKind(el('BUTTON'))).toBe('button');
    expect(focusKind(el('BUTTON', { role: 'tab' }))).toBe('widget');
    expect(focusKind(el('LI', { role: 'option' }))).toBe('widget');
    expect(focusKind(el('DIV', { role: 'slider' }))).toBe('range');
    expect(focusKind(el('BODY'))).toBe('other');
  });
});
