/**
 * The page at every size a class meets it: a phone in portrait (390×844, touch) and landscape (844×390), a
 * tablet (820×1180), a projector's 1024×768, a laptop's 1280×720 and 1920×1080; each in the normal view and in
 * presenter mode (`present=1`). At every size and mode:
 * - nothing overflows sideways (the document, and every region of the page, within the window);
 * - the step count and Previous / Next are on screen and not covered; on a touch screen they are at least
 *   44×44 px, and every control at least 24×24 (WCAG 2.5.5 / 2.5.8);
 * - in EVERY step of EVERY lesson, the narration either fits its box or shows the "More" cue, and the regions of
 *   the stage (narration, stacks, wire, panel, playback bar) do not move between steps;
 * - no two pieces of text on the stage overlap;
 * - axe finds no WCAG 2.0–2.2 A/AA violation.
 * And on the phone, a sideways swipe steps and a vertical one does not.
 *
 * The every-step sweep runs inside the page, one evaluate per lesson: it presses → (a keydown on the window,
 * which app/useKeyboard.ts answers) and waits, yielding to the page's tasks, until the scrubber shows the next
 * step; React has then committed the step, the narration's fit included (a layout effect).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { LESSONS } from '../../src/lesson/catalogue';
import { setupBrowser } from './browser';
import { position, pressUntilStep, waitForStage, waitForStillness } from './stage';

const e2e = setupBrowser();

interface Size {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly touch?: boolean;
}

const SIZES: readonly Size[] = [
  { name: 'phone portrait', width: 390, height: 844, touch: true },
  { name: 'phone landscape', width: 844, height: 390, touch: true },
  { name: 'tablet portrait', width: 820, height: 1180, touch: true },
  { name: 'projector', width: 1024, height: 768 },
  { name: 'laptop', width: 1280, height: 720 },
  { name: 'full HD', width: 1920, height: 1080 },
];
const MODES = ['normal', 'present'] as const;
type Mode = (typeof MODES)[number];

const CASES = SIZES.flatMap((size) => MODES.map((mode) => ({ ...size, mode })));
/** The narrowest phone in common use, for the overflow and target checks only. */
const SMALL_PHONE: Size = { name: 'small phone', width: 360, height: 740, touch: true };
const CHROME_CASES = [...SIZES, SMALL_PHONE].flatMap((size) => MODES.map((mode) => ({ ...size, mode })));

/** Regions of the stage that must hold still while the lesson steps. */
const REGIONS = ['.narration', '.stage-left', '.stage-right', '.wire', '.panels', '.playback'] as const;
/** How far (px) a region may move or change size between two steps. */
const STILL = 3;

async function openAt(size: Size, mode: Mode, query: string) {
  const { page } = await e2e.page({
    context: {
      viewport: { width: size.width, height: size.height },
      hasTouch: size.touch ?? false,
      isMobile: size.touch ?? false,
      reducedMotion: 'reduce',
    },
  });
  await page.goto(e2e.url(`?${query}${mode === 'present' ? '&present=1' : ''}`));
  await waitForStage(page);
  if (mode === 'present') await page.locator('.app.is-present').waitFor();
  return page;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The boxes, in the window, of the elements that make the page usable at this size. */
const readChrome = (page: Page) =>
  page.evaluate(() => {
    const rect = (el: Element | null) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    /** The element at the centre of `el` is `el` or inside it: nothing covers it. */
    const uncovered = (el: Element | null) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return !!hit && (hit === el || el.contains(hit));
    };
    const button = (name: string) => document.querySelector(`.playback button[aria-label="${name}"]`);
    // Every region of the page, and every direct part of the header and the playback bar.
    const parts = [
      ...document.querySelectorAll(
        '.topbar > *, .playback > *, .narration, .stage-left, .stage-right, .stage-centre, .wire, .panels, .tab',
      ),
    ]
      .filter((el) => el.getBoundingClientRect().width > 0)
      .map((el) => ({ what: el.className || el.tagName, box: rect(el)! }));
    const controls = [
      ...document.querySelectorAll('button, input, select, [role="tab"], [role="button"], a[href], summary'),
    ].filter((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // What a finger can reach: shown, in the window, and not scrolled out of its panel.
      return (
        r.width > 0 &&
        r.height > 0 &&
        style.visibility !== 'hidden' &&
        r.bottom > 0 &&
        r.top < innerHeight &&
        !el.closest('.visually-hidden') &&
        uncovered(el)
      );
    });
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth,
      innerHeight,
      parts,
      count: rect(document.querySelector('.step-count')),
      countUncovered: uncovered(document.querySelector('.step-count')),
      prev: rect(button('Previous step')),
      next: rect(button('Next step')),
      play: rect(button('Play')),
      prevUncovered: uncovered(button('Previous step')),
      nextUncovered: uncovered(button('Next step')),
      small: controls
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width < 23.5 || r.height < 23.5)
        .map(
          ({ el, r }) =>
            `${el.tagName} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`,
        ),
    };
  });

const inWindow = (b: Box | null, w: number, h: number) =>
  !!b && b.x >= -1 && b.y >= -1 && b.x + b.width <= w + 1 && b.y + b.height <= h + 1;

interface StepReading {
  readonly step: number;
  /** Pixels of narration below the box (0: it fits). */
  readonly hidden: number;
  readonly cue: boolean;
  readonly fit: number;
  /** Shrunk (fit < 1): pixels of narration below the box one size larger (> 1: that size would not fit). */
  readonly hiddenOneLarger: number | null;
  /** How the size was found: fitted ahead while the page was idle, or measured in the key press. */
  readonly how: string | undefined;
  readonly boxes: Record<string, readonly number[] | null>;
}

/**
 * Walk the open lesson from its first step to its last, reading the narration and the regions at each. With
 * `ahead`, each step waits for the page to have fitted the next steps while idle (Narration.tsx: the probe)
 * before the next press, as a class stepping at a reading pace does; without it, the presses come as fast as
 * the page takes them, so most sizes are measured in the key press.
 */
const sweep = (page: Page, ahead = false) =>
  page.evaluate(
    async ([regions, ahead]): Promise<StepReading[]> => {
      const slider = document.querySelector<HTMLInputElement>('input[type="range"][aria-label="Step"]')!;
      const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
      const read = (): StepReading => {
        const n = document.querySelector<HTMLElement>('.narration')!;
        const cue = n.querySelector('.narration-more');
        let cueShown = false;
        if (cue) {
          const c = cue.getBoundingClientRect();
          const b = n.getBoundingClientRect();
          const style = getComputedStyle(cue);
          cueShown =
            c.width > 0 &&
            c.height > 0 &&
            style.visibility !== 'hidden' &&
            Number(style.opacity) > 0 &&
            c.top >= b.top - 1 &&
            c.bottom <= b.bottom + 1;
        }
        const fit = Number(getComputedStyle(n).getPropertyValue('--fit')) || 1;
        const hidden = (el: HTMLElement) => Math.max(0, el.scrollHeight - el.clientHeight - el.scrollTop);
        let hiddenOneLarger: number | null = null;
        if (fit < 1) {
          n.style.setProperty('--fit', String(Math.round((fit + 0.05) * 100) / 100));
          hiddenOneLarger = hidden(n);
          n.style.setProperty('--fit', String(fit));
        }
        const boxes: Record<string, number[] | null> = {};
        for (const sel of regions) {
          const el = document.querySelector(sel);
          const r = el?.getBoundingClientRect();
          boxes[sel] = r && r.width > 0 ? [r.x, r.y, r.width, r.height].map(Math.round) : null;
        }
        return {
          step: Number(slider.value),
          hidden: hidden(n),
          cue: cueShown,
          fit,
          hiddenOneLarger,
          how: n.dataset.fit,
          boxes,
        };
      };
      const fittedAhead = async () => {
        const done = `done:${Number(slider.value) - 1}`;
        // Yielding to idle time itself: a timer loop would leave the page too little of it.
        while (document.querySelector<HTMLElement>('.narration')!.dataset.probe !== done)
          await new Promise<void>((resolve) => requestIdleCallback(() => resolve()));
      };
      (document.activeElement as HTMLElement | null)?.blur?.();
      const out: StepReading[] = [read()];
      const last = Number(slider.max);
      while (Number(slider.value) < last) {
        const at = Number(slider.value);
        if (ahead) await fittedAhead();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        while (Number(slider.value) === at) await yieldToPage();
        out.push(read());
      }
      return out;
    },
    [REGIONS, ahead] as const,
  );

/**
 * Every piece of text on the stage (a text node's box, or an SVG text element's), clipped to the scrolling
 * boxes it sits in; pairs that overlap by more than a pixel or two. The narration's "More" cue sits over the
 * box's last line on purpose (the text goes on below it), so it is left out.
 */
const textOverlaps = (page: Page) =>
  page.evaluate(() => {
    interface Piece {
      readonly text: string;
      readonly owner: Element;
      readonly r: { left: number; top: number; right: number; bottom: number };
    }
    const clipTo = (el: Element, r: Piece['r']): Piece['r'] | null => {
      // Copied field by field: a DOMRect's sides are getters, which a spread would not copy.
      let out = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      for (let a: Element | null = el.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
          const b = a.getBoundingClientRect();
          out = {
            left: Math.max(out.left, b.left),
            top: Math.max(out.top, b.top),
            right: Math.min(out.right, b.right),
            bottom: Math.min(out.bottom, b.bottom),
          };
        }
      }
      return out.right - out.left > 1 && out.bottom - out.top > 1 ? out : null;
    };
    const stage = document.querySelector('.stage')!;
    const pieces: Piece[] = [];
    const visible = (el: Element) => {
      const s = getComputedStyle(el);
      return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
    };
    const walker = document.createTreeWalker(stage, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const owner = node.parentElement!;
      if (!node.textContent?.trim() || owner.closest('.narration-more, .visually-hidden, title')) continue;
      if (
        owner.closest('svg') &&
        owner.tagName.toLowerCase() !== 'text' &&
        owner.tagName.toLowerCase() !== 'tspan'
      )
        continue;
      if (!visible(owner)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      // One box per line, so a paragraph that wraps is not one big rectangle.
      for (const line of range.getClientRects()) {
        if (line.width < 1 || line.height < 1) continue;
        const r = clipTo(owner, line);
        if (r) pieces.push({ text: node.textContent.trim().slice(0, 30), owner, r });
      }
    }
    const found: string[] = [];
    const slack = 2;
    for (let i = 0; i < pieces.length; i++) {
      for (let j = i + 1; j < pieces.length; j++) {
        const a = pieces[i]!;
        const b = pieces[j]!;
        if (a.owner === b.owner) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > slack && h > slack)
          found.push(`"${a.text}" × "${b.text}" (${Math.round(w)}×${Math.round(h)} px)`);
      }
    }
    return { pieces: pieces.length, overlaps: found };
  });

describe.each(CHROME_CASES)('$name $width×$height, $mode', (c) => {
  it('nothing overflows; the step count and Previous / Next are on screen; targets are large enough', async () => {
    const page = await openAt(c, c.mode, 'lesson=websocket&step=50');
    const m = await readChrome(page);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
    const outside = m.parts
      .filter((p) => p.box.x < -1 || p.box.x + p.box.width > m.innerWidth + 1)
      .map((p) => `${p.what} ${JSON.stringify(p.box)}`);
    expect(outside).toEqual([]);
    expect(inWindow(m.count, m.innerWidth, m.innerHeight), 'step count in the window').toBe(true);
    expect(inWindow(m.prev, m.innerWidth, m.innerHeight), 'Previous in the window').toBe(true);
    expect(inWindow(m.next, m.innerWidth, m.innerHeight), 'Next in the window').toBe(true);
    expect([m.countUncovered, m.prevUncovered, m.nextUncovered]).toEqual([true, true, true]);
    if (c.touch) {
      for (const b of [m.prev!, m.next!, m.play!]) {
        expect(b.width).toBeGreaterThanOrEqual(44);
        expect(b.height).toBeGreaterThanOrEqual(44);
      }
      expect(m.small).toEqual([]);
    }
  });
});

describe.each(CASES)('$name $width×$height, $mode', (c) => {
  it('no two pieces of text on the stage overlap', async () => {
    for (const query of ['lesson=websocket&step=52', 'lesson=loss&step=45', 'lesson=socketio&step=68']) {
      const page = await openAt(c, c.mode, query);
      await waitForStillness(page);
      const { pieces, overlaps } = await textOverlaps(page);
      expect(pieces, 'pieces of text found on the stage').toBeGreaterThan(20);
      expect(overlaps, query).toEqual([]);
      await page.context().close();
    }
  });

  it('the signal on the wire is drawn whole inside its box', async () => {
    // Step 13 of the first lesson: the first frame on the cable (its signal is drawn under the unit).
    const page = await openAt(c, c.mode, 'lesson=websocket&step=13');
    // The signal's module loads after the first paint.
    await page.locator('.wire-box path.signal-wave').waitFor({ state: 'attached' });
    const { box, signal, shown } = await page.evaluate(() => {
      const wire = document.querySelector('.wire-box')!;
      const g = document.querySelector('.wire-box g.signal')!;
      const r = (e: Element) => {
        const b = e.getBoundingClientRect();
        return { top: b.top, bottom: b.bottom, left: b.left, right: b.right };
      };
      // The wave's stroke is 3 px wide: half of it lies outside its geometry.
      const stroke = parseFloat(getComputedStyle(g.querySelector('.signal-wave')!).strokeWidth) / 2;
      const s = r(g);
      return {
        box: r(wire),
        signal: { ...s, bottom: s.bottom + stroke },
        // Hidden only while the bytes or the code take the room (WireStrip.tsx: compact).
        shown: getComputedStyle(g.parentElement!).display !== 'none' && s.bottom > s.top,
      };
    });
    expect(shown, 'the signal is shown under the sequence diagram').toBe(true);
    expect(signal.top, 'top of the signal').toBeGreaterThanOrEqual(box.top - 0.5);
    expect(signal.bottom, 'bottom of the signal').toBeLessThanOrEqual(box.bottom + 0.5);
    expect(signal.left).toBeGreaterThanOrEqual(box.left - 0.5);
    expect(signal.right).toBeLessThanOrEqual(box.right + 0.5);
    await page.context().close();
  });

  it('axe finds nothing', async () => {
    const page = await openAt(c, c.mode, 'lesson=websocket&step=50');
    await waitForStillness(page);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(result.passes.length).toBeGreaterThan(10);
    expect(
      result.violations.flatMap((v) =>
        v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary}`),
      ),
    ).toEqual([]);
  });

  it('every step of every lesson: the narration fits or shows "More"; the stage holds still', async () => {
    const page = await openAt(c, c.mode, `lesson=${LESSONS[0]!.id}&step=1`);
    let steps = 0;
    let shrunk = 0;
    let cued = 0;
    const silent: string[] = [];
    const moved: string[] = [];
    for (const lesson of LESSONS) {
      await page.goto(e2e.url(`?lesson=${lesson.id}&step=1${c.mode === 'present' ? '&present=1' : ''}`));
      await waitForStage(page);
      const readings = await sweep(page);
      steps += readings.length;
      for (let i = 0; i < readings.length; i++) {
        const r = readings[i]!;
        if (r.fit < 1) shrunk++;
        // Shrunk no further than needed: one size larger would not fit.
        if (r.hiddenOneLarger !== null && r.hiddenOneLarger <= 1)
          silent.push(
            `${lesson.id} step ${r.step}: shrunk to ${r.fit}, but ${(r.fit + 0.05).toFixed(2)} fits too`,
          );
        if (r.hidden > 1) {
          cued++;
          if (!r.cue) silent.push(`${lesson.id} step ${r.step}: ${Math.round(r.hidden)} px hidden, no cue`);
        } else if (r.cue) {
          silent.push(`${lesson.id} step ${r.step}: a cue with nothing hidden`);
        }
        const before = readings[i - 1];
        if (!before) continue;
        for (const [sel, box] of Object.entries(r.boxes)) {
          const was = before.boxes[sel];
          if (!box || !was) continue;
          const d = Math.max(...box.map((v, k) => Math.abs(v - was[k]!)));
          if (d > STILL) moved.push(`${lesson.id} step ${before.step}→${r.step}: ${sel} moved ${d} px`);
        }
      }
    }
    console.log(
      `${c.name} ${c.width}×${c.height} ${c.mode}: ${steps} steps, ${shrunk} shrunk to fit, ${cued} with "More"`,
    );
    expect(steps).toBeGreaterThan(LESSONS.length * 10);
    expect(silent).toEqual([]);
    expect(moved.slice(0, 20)).toEqual([]);
  }, 600_000);
});

describe('fitting ahead (the narration probe)', () => {
  // The laptop and the projector in presenter mode: two box sizes and both floors that differ.
  it.each([
    { ...SIZES[4]!, mode: 'normal' as const },
    { ...SIZES[3]!, mode: 'present' as const },
  ])(
    '$name $width×$height $mode: a step fitted while idle gets the size measuring would give',
    async (c) => {
      const page = await openAt(c, c.mode, 'lesson=websocket&step=1');
      const readings = await sweep(page, true);
      const wrong: string[] = [];
      for (const r of readings.slice(1)) {
        if (r.how !== 'ahead') wrong.push(`step ${r.step}: ${r.how ?? 'no'} fit`);
        if (r.hiddenOneLarger !== null && r.hiddenOneLarger <= 1)
          wrong.push(`step ${r.step}: shrunk to ${r.fit}, but ${(r.fit + 0.05).toFixed(2)} fits too`);
        if (r.hidden > 1 !== r.cue)
          wrong.push(`step ${r.step}: ${Math.round(r.hidden)} px hidden, cue ${r.cue}`);
      }
      expect(readings.length).toBeGreaterThan(40);
      expect(readings.filter((r) => r.fit < 1).length, 'steps shrunk to fit').toBeGreaterThan(0);
      expect(wrong).toEqual([]);
    },
    300_000,
  );
});

describe('presenter mode: the sequence diagram reads from the back row', () => {
  /** The smallest drawn size (px on screen) of the diagram's labels, protocol chips and packet numbers. */
  const drawnSizes = (page: Page) =>
    page.evaluate(() => {
      const smallest = (selector: string) =>
        Math.min(
          ...[...document.querySelectorAll<SVGGraphicsElement>(selector)].map(
            (el) => parseFloat(getComputedStyle(el).fontSize) * (el.getScreenCTM()?.a ?? 1),
          ),
        );
      return {
        label: smallest('.ladder .arrow-label'),
        chip: smallest('.ladder .chip text'),
        number: smallest('.ladder .arrow-num'),
      };
    });

  // 24 px at 1080 px high, and the same share of the height (24/1080) at 768: 17 px.
  it.each([
    [1920, 1080, 24],
    [1024, 768, (24 / 1080) * 768],
  ])('%i×%i: labels, chips and packet numbers at least %f px', async (width, height, least) => {
    const page = await openAt({ name: 'projector', width, height }, 'present', 'lesson=websocket&step=50');
    await page.locator('.ladder .arrow-label').first().waitFor();
    const sizes = await drawnSizes(page);
    expect(sizes.label).toBeGreaterThanOrEqual(least - 0.5);
    expect(sizes.chip).toBeGreaterThanOrEqual(least - 0.5);
    expect(sizes.number).toBeGreaterThanOrEqual(least - 0.5);
  });

  it('the normal view keeps its sizes (the scale is for presenter mode only)', async () => {
    const page = await openAt(
      { name: 'full HD', width: 1920, height: 1080 },
      'normal',
      'lesson=websocket&step=50',
    );
    await page.locator('.ladder .arrow-label').first().waitFor();
    expect((await drawnSizes(page)).label).toBeLessThan(20);
  });
});

describe('the text-overlap check itself', () => {
  it('sees a label laid over the narration', async () => {
    const page = await openAt(SIZES[4]!, 'normal', 'lesson=websocket&step=50');
    expect((await textOverlaps(page)).overlaps).toEqual([]);
    await page.evaluate(() => {
      const title = document.querySelector('.narration-title')!.getBoundingClientRect();
      const span = document.createElement('span');
      span.textContent = 'over the title';
      span.style.cssText = `position:fixed;left:${title.left}px;top:${title.top}px`;
      document.querySelector('.stage-centre')!.append(span);
    });
    expect((await textOverlaps(page)).overlaps.join('\n')).toContain('over the title');
  });
});

describe('phone: the header behind Menu, the stacks as a tab, sheets', () => {
  it("the header's tools open from Menu and close on Esc, focus back on Menu", async () => {
    const page = await openAt(SIZES[0]!, 'normal', 'lesson=websocket&step=24');
    expect(await page.getByRole('button', { name: /^Share/ }).count()).toBe(0);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('button', { name: /^Share/ }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).press('Escape');
    await page.getByRole('button', { name: /^Share/ }).waitFor({ state: 'detached' });
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('the Layers tab shows both stacks; the wide layout has no such tab', async () => {
    const page = await openAt(SIZES[0]!, 'normal', 'lesson=websocket&step=24');
    await page.getByRole('tab', { name: 'Layers' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: /^Browser/ }).waitFor();
    await panel.getByRole('heading', { name: /^Server/ }).waitFor();
    const wide = await openAt(SIZES[4]!, 'normal', 'lesson=websocket&step=24');
    expect(await wide.getByRole('tab', { name: 'Layers' }).count()).toBe(0);
  });

  it('the introduction and the questions cover the screen', async () => {
    const covers = (page: Page, selector: string) =>
      page.locator(selector).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.x <= 0 && r.y <= 0 && r.right >= innerWidth && r.bottom >= innerHeight;
      });
    const page = await openAt(SIZES[0]!, 'normal', 'lesson=tcp');
    await page.getByRole('button', { name: /^Start the lesson/ }).waitFor();
    expect(await covers(page, '.intro-card')).toBe(true);
    await page.goto(e2e.url('?lesson=tcp&step=999'));
    await page.getByRole('heading', { name: 'Check yourself' }).waitFor();
    expect(await covers(page, '.checks-card')).toBe(true);
  });
});

describe('touch: swipe on the stage', () => {
  /** A one-finger drag from (x1, y1) to (x2, y2) on the stage, as pointer events. */
  const drag = (page: Page, x1: number, y1: number, x2: number, y2: number) =>
    page.evaluate(
      ([ax, ay, bx, by]) => {
        const stage = document.querySelector('.stage')!;
        const init = { pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, composed: true };
        stage.dispatchEvent(new PointerEvent('pointerdown', { ...init, clientX: ax, clientY: ay }));
        stage.dispatchEvent(new PointerEvent('pointermove', { ...init, clientX: bx, clientY: by }));
        stage.dispatchEvent(new PointerEvent('pointerup', { ...init, clientX: bx, clientY: by }));
      },
      [x1, y1, x2, y2] as const,
    );

  it('left steps forward, right steps back, up and down do not step', async () => {
    const page = await openAt(SIZES[0]!, 'normal', 'lesson=websocket&step=24');
    const start = (await position(page)).step;
    await drag(page, 300, 300, 120, 320); // to the left: next
    await expect.poll(async () => (await position(page)).step).toBe(start + 1);
    await drag(page, 200, 500, 210, 200); // up: a scroll, not a step
    await drag(page, 200, 300, 150, 420); // more down than sideways: not a step
    await drag(page, 100, 300, 300, 290); // to the right: previous
    // Had either of the vertical drags stepped, this would not be back at the start.
    await expect.poll(async () => (await position(page)).step).toBe(start);
  });

  it('PageDown reads the rest of a long step before stepping, PageUp goes back up first', async () => {
    const page = await openAt(SIZES[0]!, 'present', 'lesson=websocket&step=1');
    // Find a step whose narration does not fit, even shrunk.
    const found = await page.evaluate(async () => {
      const slider = document.querySelector<HTMLInputElement>('input[type="range"][aria-label="Step"]')!;
      const n = document.querySelector<HTMLElement>('.narration')!;
      const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
      while (n.scrollHeight - n.clientHeight <= 1 && Number(slider.value) < Number(slider.max)) {
        const at = Number(slider.value);
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        while (Number(slider.value) === at) await yieldToPage();
      }
      return n.scrollHeight - n.clientHeight > 1 ? Number(slider.value) : null;
    });
    expect(found, 'some step of the first lesson overflows on a phone in presenter mode').not.toBeNull();
    await page.getByRole('button', { name: /^More/ }).waitFor();
    const scrollTop = () => page.evaluate(() => document.querySelector('.narration')!.scrollTop);
    const below = () =>
      page.evaluate(() => {
        const n = document.querySelector('.narration')!;
        return n.scrollHeight - n.clientHeight - n.scrollTop;
      });
    // PageDown until the end of the text: each press scrolls, none steps.
    while ((await below()) > 1) {
      const was = await scrollTop();
      await page.keyboard.press('PageDown');
      await page.waitForFunction((w) => document.querySelector('.narration')!.scrollTop > w, was);
      expect((await position(page)).step).toBe(found);
    }
    await page.locator('.narration-more').waitFor({ state: 'detached' });
    // PageUp goes back up the text first.
    const bottom = await scrollTop();
    await page.keyboard.press('PageUp');
    await page.waitForFunction((w) => document.querySelector('.narration')!.scrollTop < w, bottom);
    expect((await position(page)).step).toBe(found);
    await page.locator('.narration-more').waitFor();
    // Back at the bottom, the next PageDown steps.
    while ((await below()) > 1) {
      const was = await scrollTop();
      await page.keyboard.press('PageDown');
      await page.waitForFunction((w) => document.querySelector('.narration')!.scrollTop > w, was);
    }
    await pressUntilStep(page, 'PageDown', found! + 1);
  });
});
