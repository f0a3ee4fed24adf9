// @vitest-environment jsdom
/**
 * fitToBox (views/narration/Narration.tsx): the size it picks is the one that trying every size from the top
 * would pick (the largest that fits, else the floor with the rest scrolling), over text that wraps as real text
 * does (whole lines, padding and margins that do not scale); and it measures far fewer sizes to find it.
 * jsdom has no layout, so the box's heights come from a model of its text.
 */
import { fitToBox } from '../../src/views/narration/Narration';

interface TextModel {
  /** The box's height (the padding box, as clientHeight). */
  readonly box: number;
  /** Characters of text, their width at full size, and the width they wrap in. */
  readonly chars: number;
  readonly charWidth: number;
  readonly width: number;
  readonly lineHeight: number;
  /** Height that does not scale with --fit (margins in rem, a tag of fixed size). */
  readonly fixed: number;
}

const PADDING_TOP = 5;
const PADDING_BOTTOM = 6;

function contentHeight(m: TextModel, fit: number): number {
  const lines = Math.ceil((m.chars * m.charWidth * fit) / m.width);
  return PADDING_TOP + PADDING_BOTTOM + m.fixed + lines * m.lineHeight * fit;
}

/** A box whose heights follow the model at its current --fit, counting the sizes measured. */
function box(m: TextModel): { el: HTMLElement; measured: number[] } {
  const el = document.createElement('section');
  el.style.padding = `${PADDING_TOP}px 0 ${PADDING_BOTTOM}px`;
  const measured: number[] = [];
  const fit = () => Number(el.style.getPropertyValue('--fit') || 1);
  Object.defineProperty(el, 'clientHeight', { get: () => m.box });
  // jsdom's scrollTop is always 0; a plain property lets the test see the box scrolled back.
  Object.defineProperty(el, 'scrollTop', { value: 0, writable: true });
  Object.defineProperty(el, 'scrollHeight', {
    get: () => {
      measured.push(fit());
      return Math.max(m.box, contentHeight(m, fit()));
    },
  });
  return { el, measured };
}

/** What the narration did before: every size from the top until one fits or the floor is reached. */
function tryEverySize(m: TextModel, floor: number): { fit: number; more: boolean } {
  let fit = 1;
  while (contentHeight(m, fit) > m.box + 1 && fit - 0.05 >= floor - 1e-9) {
    fit = Math.round((fit - 0.05) * 100) / 100;
  }
  return { fit, more: contentHeight(m, fit) > m.box + 1 };
}

/** A small deterministic generator (mulberry32), so the models are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fitToBox', () => {
  const next = random(13);
  const models: TextModel[] = Array.from({ length: 1200 }, () => ({
    box: 90 + Math.round(next() * 200),
    chars: 20 + Math.round(next() * 900),
    charWidth: 7 + next() * 9,
    width: 300 + Math.round(next() * 1500),
    lineHeight: 18 + next() * 20,
    fixed: Math.round(next() * 30),
  }));

  for (const floor of [0.8, 0.75]) {
    it(`picks the size that trying every size from the top picks (floor ${floor})`, () => {
      let shrunk = 0;
      let scrolls = 0;
      let searched = 0;
      let scanned = 0;
      for (const m of models) {
        const { el, measured } = box(m);
        const got = fitToBox(el, floor);
        const want = tryEverySize(m, floor);
        expect({ model: m, ...got }).toEqual({ model: m, ...want });
        // The box is left at the size picked.
        expect(Number(el.style.getPropertyValue('--fit'))).toBe(got.fit);
        const tries = new Set(measured.slice(1)).size;
        expect(tries).toBeLessThanOrEqual(4);
        searched += tries;
        // Trying every size from the top measures each size above the answer, and the answer.
        scanned += Math.round((1 - want.fit) / 0.05);
        if (got.fit < 1) shrunk++;
        if (got.more) scrolls++;
      }
      expect(searched).toBeLessThan(scanned / 2);
      // The models cover all three cases: fits at full size, shrunk to fit, scrolls even at the floor.
      expect(shrunk).toBeGreaterThan(300);
      expect(scrolls).toBeGreaterThan(100);
      expect(models.length - shrunk).toBeGreaterThan(300);
    });
  }

  it('measures no other size when the text fits at full size, or when it may not shrink (embed)', () => {
    const long: TextModel = { box: 100, chars: 900, charWidth: 10, width: 400, lineHeight: 24, fixed: 0 };
    const short: TextModel = { ...long, chars: 30 };
    for (const [m, floor, more] of [
      [short, 0.8, false],
      [long, 1, true],
    ] as const) {
      const { el, measured } = box(m);
      expect(fitToBox(el, floor)).toEqual({ fit: 1, more });
      expect(new Set(measured)).toEqual(new Set([1]));
    }
  });

  it('starts every step at the top of the box', () => {
    const { el } = box({ box: 100, chars: 900, charWidth: 10, width: 400, lineHeight: 24, fixed: 0 });
    el.scrollTop = 40;
    fitToBox(el, 0.8);
    expect(el.scrollTop).toBe(0);
  });
});
