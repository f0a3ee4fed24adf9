import { consoleText } from '../../src/sim/steps/recorder';

describe('consoleText: a console line of at most 60 characters', () => {
  it('keeps a short text as it is', () => {
    expect(consoleText('Hello', true)).toBe('Hello');
  });

  it('cuts a long one with … and says how many characters it had', () => {
    const long = 'x'.repeat(100);
    expect(consoleText(long, true)).toBe(`${'x'.repeat(60)}… (100 characters)`);
    expect(consoleText(long, false)).toBe(`${'x'.repeat(60)}…`);
  });

  it('counts a character outside the BMP (two UTF-16 units) once, in the cut and in the length', () => {
    const text = '😀'.repeat(70); // 140 UTF-16 units, 70 characters
    expect(consoleText(text, true)).toBe(`${'😀'.repeat(60)}… (70 characters)`);
    // 60 characters exactly, but 120 units: not cut.
    expect(consoleText('😀'.repeat(60), true)).toBe('😀'.repeat(60));
  });
});
