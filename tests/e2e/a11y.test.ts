/**
 * Accessibility in the built app and real Chromium: axe-core (@axe-core/playwright) with the WCAG 2.0, 2.1
 * and 2.2 level A and AA rules finds nothing in the default view, where every lesson's link opens, in
 * presenter mode, embed mode, with the share dialog open and in the dark theme; and the stage works from the
 * keyboard alone (Tab reaches the playback controls, the panel tabs and the composer, every stop shows where
 * focus is, the narration is a polite live region).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { LESSONS } from '../../src/lesson/catalogue';
import { setupBrowser } from './browser';
import { position, waitForIdleLoads, waitForStage, waitForStillness } from './stage';

const e2e = setupBrowser();

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's violations, one line per rule and node, so a failure names what to fix. */
async function violations(page: Page): Promise<string[]> {
  // Motion settles first: axe judges colours and overlap from the final picture, not a frame of a transition.
  await waitForStillness(page);
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  // A real run has checked something: rules passed and none could not run at all.
  expect(result.passes.length).toBeGreaterThan(10);
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary ?? v.help}`),
  );
}

describe('axe-core, WCAG 2.0–2.2 A and AA', () => {
  it('the default view (no link)', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url());
    await waitForStage(page);
    expect(await violations(page)).toEqual([]);
  });

  it.each(LESSONS.map((l) => l.id))('where the link of lesson %s opens (its start)', async (id) => {
    const { page } = await e2e.page();
    await page.goto(e2e.url(`?lesson=${id}`));
    await waitForStage(page);
    // The lesson's introduction card is part of what a bare link shows.
    await page.getByRole('button', { name: /^Start the lesson/ }).waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('presenter mode', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=28&present=1'));
    await waitForStage(page);
    await page.locator('.app.is-present').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('embed mode', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&embed=1&from=10&to=14'));
    await waitForStage(page);
    await page.locator('.app.is-embed').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('the share dialog open', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=upgrade&step=16'));
    await waitForStage(page);
    await page.getByRole('button', { name: /^Share/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this lesson' });
    await dialog.getByRole('img', { name: /^QR code/ }).waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('the dark theme, chosen with the toggle and from the system setting', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=34'));
    await waitForStage(page);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.locator('.app.theme-dark').waitFor();
    expect(await violations(page)).toEqual([]);

    const system = await e2e.page({ context: { colorScheme: 'dark' } });
    await system.page.goto(e2e.url('?lesson=tcp'));
    await waitForStage(system.page);
    await system.page.locator('.app.theme-dark').waitFor();
    expect(await violations(system.page)).toEqual([]);
  });
});

interface FocusStop {
  readonly role: string;
  readonly name: string;
  /** How it looked with focus, and how it looks once focus has moved on. */
  readonly focused: string;
  unfocused?: string | null;
  /** Focus came back to an element already visited: once round the page. */
  readonly again: boolean;
}

/**
 * Mark the focused element (a data attribute, so it is found again however the DOM around it changes) and
 * describe it; describe the previously focused one as it looks now, without focus. "Looks": the properties a
 * focus indicator can change (outline of 2 px or more, ring, border, background, SVG stroke), on the element
 * and its first children.
 */
const probeFocus = (page: Page, index: number) =>
  page.evaluate((i) => {
    const lookOf = (el: Element) =>
      [el, ...Array.from(el.querySelectorAll('*')).slice(0, 20)]
        .map((e) => {
          const s = getComputedStyle(e);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
          return [
            outline ? `outline ${s.outlineWidth} ${s.outlineColor}` : 'no outline',
            s.boxShadow,
            s.borderColor,
            s.backgroundColor,
            s.stroke,
            s.strokeWidth,
          ].join('|');
        })
        .join('\n');
    const previous = document.querySelector(`[data-focus-probe="${i - 1}"]`);
    const before = previous && previous !== document.activeElement ? lookOf(previous) : null;
    const el = document.activeElement;
    if (!el || el === document.body) return { before, stop: null };
    const again = el.hasAttribute('data-focus-probe');
    el.setAttribute('data-focus-probe', String(i));
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    const name = (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const role = el.getAttribute('role') ?? el.tagName.toLowerCase();
    const stop: FocusStop = { role, name, focused: lookOf(el), again };
    return { before, stop };
  }, index);

describe('the keyboard alone', () => {
  it('Tab reaches the playback controls, the panel tabs and the composer, and every stop shows focus', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=14'));
    await waitForStage(page);
    // The panels that arrive when the page is idle are in place, so the Tab order does not change under the walk.
    await waitForIdleLoads(page);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());

    const stops: FocusStop[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const { before, stop } = await probeFocus(page, stops.length);
      const last = stops[stops.length - 1];
      if (last && last.unfocused === undefined) last.unfocused = before;
      if (!stop) continue;
      if (stop.again) break;
      stops.push(stop);
    }

    const reached = stops.map((s) => `${s.role} "${s.name}"`);
    expect(stops.length).toBeGreaterThan(10);
    for (const want of [
      /^button "Play"$/,
      /^button "Next step"$/,
      /^button "Previous step"$/,
      /^input "Step"$/,
      /^tab "Sequence diagram"$/,
      /^input "Message"$/,
      /^button "Share/,
    ]) {
      expect(reached, `Tab never reached ${want}`).toEqual(
        expect.arrayContaining([expect.stringMatching(want)]),
      );
    }
    // Every stop, seen again after focus moved on, looks different from when it had focus.
    const unmarked = stops
      .filter((s) => s.unfocused !== undefined && s.unfocused !== null && s.unfocused === s.focused)
      .map((s) => `${s.role} "${s.name}"`);
    expect(unmarked).toEqual([]);
    expect(stops.filter((s) => s.unfocused === null || s.unfocused === undefined).length).toBeLessThanOrEqual(
      1,
    );
  });

  it('the narration is a polite live region that holds the step as it changes', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=tcp'));
    const first = await waitForStage(page);
    const region = page.locator('[aria-live]').filter({
      has: page.getByRole('heading', { name: first.title, exact: true }),
    });
    expect(await region.count()).toBe(1);
    expect(await region.getAttribute('aria-live')).toBe('polite');
    const live = (await region.elementHandle())!;
    await page.getByRole('button', { name: 'Next step', exact: true }).click();
    await expect.poll(async () => (await position(page)).step).toBe(first.step + 1);
    const second = await position(page);
    // The same live element (not a replaced one, which a screen reader would not announce) now says the next step.
    await expect.poll(() => live.innerText()).toContain(second.title);
  });
});
