import { focusKind, keyAction, resolveKey, type FocusKind, type KeyMode } from '../../src/app/keyboard';

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
    ['p', 'present'],
    ['P', 'present'],
    ['f', 'fullscreen'],
    ['b', 'blackout'],
    ['B', 'blackout'],
    ['.', 'blackout'],
    ['s', 'speaker'],
    ['c', 'share'],
    ['C', 'share'],
    ['Escape', 'escape'],
  ])('maps %j to %s', (key, action) => {
    expect(press(key)).toBe(action);
  });

  it('ignores other keys', () => {
    expect(press('a')).toBeNull();
    expect(press('x')).toBeNull();
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

  it('leaves arrows to a region that owns them (the questions), whatever is focused in it', () => {
    for (const focus of ['other', 'button', 'choice'] as const) {
      for (const key of [
        'ArrowLeft',
        'ArrowRight',
        'ArrowUp',
        'ArrowDown',
        'Home',
        'End',
        'PageUp',
        'PageDown',
      ]) {
        expect(keyAction({ key, focus, ownArrows: true })).toBeNull();
      }
    }
    expect(keyAction({ key: 'ArrowLeft', focus: 'other', ownArrows: false })).toBe('prev');
    expect(keyAction({ key: 'l', focus: 'other', ownArrows: true })).toBe('next');
    expect(keyAction({ key: ' ', focus: 'button', ownArrows: true })).toBeNull();
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
    expect(focusKind(el('INPUT', { type: 'radio' }))).toBe('choice');
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

describe('a radio button (the self-check answers)', () => {
  it('keeps arrows and Space, which move and pick in its group, but not the letters', () => {
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowDown', ' ']) expect(press(key, 'choice')).toBeNull();
    expect(press('l', 'choice')).toBe('next');
    expect(press('b', 'choice')).toBe('blackout');
  });

  it('the classroom letters are typing, not commands, in a text field', () => {
    for (const key of ['p', 'f', 'b', '.', 's', 'c', 'Escape']) expect(press(key, 'text')).toBeNull();
  });
});

describe('resolveKey: the action fitted to the mode', () => {
  const normal: KeyMode = { embed: false, present: false, blackout: false };
  const present: KeyMode = { ...normal, present: true };
  const black: KeyMode = { ...present, blackout: true };
  const embed: KeyMode = { ...normal, embed: true };

  it('passes playback keys through in every mode without a black screen', () => {
    for (const mode of [normal, present, embed])
      for (const a of ['togglePlay', 'next', 'prev', 'first', 'last'] as const)
        expect(resolveKey(a, mode)).toBe(a);
  });

  it('an embed answers playback keys only', () => {
    for (const a of ['present', 'fullscreen', 'blackout', 'speaker', 'share', 'escape'] as const)
      expect(resolveKey(a, embed)).toBeNull();
  });

  it('B and . black the screen in presenter mode only', () => {
    expect(resolveKey('blackout', present)).toBe('blackoutOn');
    expect(resolveKey('blackout', normal)).toBeNull();
  });

  it('while black, every key of the map only brings the picture back', () => {
    for (const a of ['blackout', 'escape', 'next', 'prev', 'togglePlay', 'present', 'share'] as const)
      expect(resolveKey(a, black)).toBe('blackoutOff');
    expect(resolveKey(null, black)).toBeNull();
  });

  it('Esc leaves presenter mode, puts the introduction away, and is left alone otherwise', () => {
    expect(resolveKey('escape', present)).toBe('leavePresent');
    expect(resolveKey('escape', normal)).toBeNull();
    expect(resolveKey('escape', { ...normal, intro: true })).toBe('dismissIntro');
    expect(resolveKey('escape', { ...embed, intro: true })).toBeNull();
  });

  it('P, F, S and C work outside an embed', () => {
    for (const mode of [normal, present]) {
      expect(resolveKey('present', mode)).toBe('present');
      expect(resolveKey('fullscreen', mode)).toBe('fullscreen');
      expect(resolveKey('speaker', mode)).toBe('speaker');
      expect(resolveKey('share', mode)).toBe('share');
    }
  });
});
