/**
 * In the built app and real Chromium: the "check yourself" questions readable at 1024×768 and deaf to arrow
 * keys once answered; no spoilers in presenter mode's sequence diagram; the theme and that choice remembered
 * across a reload; a clear focus ring on every packet row of the diagram.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { LESSONS } from '../../src/lesson/catalogue';
import { setupBrowser } from './browser';
import { position, waitForStage, waitForStillness } from './stage';

const e2e = setupBrowser();

/** Wait until the diagram's arrows are drawn, and list their packet numbers. */
async function arrowNumbers(page: Page): Promise<number[]> {
  await page.locator('g.arrow').first().waitFor();
  return page.$$eval('g.arrow', (gs) =>
    gs.map((g) => Number(/^Packet (\d+)/.exec(g.getAttribute('aria-label') ?? '')?.[1] ?? NaN)),
  );
}

describe('check yourself at 1024×768', () => {
  it.each(LESSONS.map((l) => l.id))('%s: every question readable, nothing cut off sideways', async (id) => {
    const { page } = await e2e.page({ context: { viewport: { width: 1024, height: 768 } } });
    await page.goto(e2e.url(`?lesson=${id}`));
    await waitForStage(page);
    await page.getByRole('button', { name: 'Start the lesson' }).click();
    await page.getByRole('button', { name: 'Last step' }).click();
    // The comparison lesson's questions wait behind a button beside the tabs (never over its chart).
    if (id === 'polling-vs-websocket') await page.getByRole('button', { name: /^Check yourself/ }).click();
    const card = page.getByRole('region', { name: 'Check yourself' });
    await card.waitFor();
    const report = await card.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const cut = [...el.querySelectorAll<HTMLElement>('legend, label, li, p, button')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > box.right + 1)
        .map((e) => e.textContent);
      const style = getComputedStyle(el);
      return {
        cut,
        // The card either shows all of itself or scrolls to it.
        reachable: el.scrollHeight <= el.clientHeight + 1 || style.overflowY === 'auto',
        inViewport: box.left >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
        fontSize: parseFloat(getComputedStyle(el.querySelector('legend')!).fontSize),
      };
    });
    expect(report.cut).toEqual([]);
    expect(report.reachable).toBe(true);
    expect(report.inViewport).toBe(true);
    expect(report.fontSize).toBeGreaterThanOrEqual(16);
  });

  it('arrow keys neither change an answer nor step the lesson', async () => {
    const { page } = await e2e.page({ context: { viewport: { width: 1024, height: 768 } } });
    await page.goto(e2e.url('?lesson=upgrade&step=35'));
    await waitForStage(page);
    const first = page.getByRole('region', { name: 'Check yourself' }).getByRole('group').first();
    await first.getByRole('radio').nth(1).click();
    await first.getByRole('button', { name: 'Check' }).click();
    const feedback = await first.locator('.check-feedback').innerText();
    expect(feedback).toMatch(/^(✓ Correct\.|✗ Not quite\.)/);
    const stored = await page.evaluate(() => localStorage.getItem('wirewalk:checks:upgrade'));
    const at = (await position(page)).step;
    for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'ArrowLeft'])
      await page.keyboard.press(key);
    expect(await first.locator('.check-feedback').innerText()).toBe(feedback);
    expect(await page.evaluate(() => localStorage.getItem('wirewalk:checks:upgrade'))).toBe(stored);
    expect((await position(page)).step).toBe(at);
  });
});

describe('axe-core, WCAG 2.0–2.2 A and AA', () => {
  /** axe's violations, one line per rule and node. */
  async function violations(page: Page): Promise<string[]> {
    await waitForStillness(page);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(result.passes.length).toBeGreaterThan(10);
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }

  it('the questions, one answered, and in presenter mode revealed', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=tcp&step=35'));
    await waitForStage(page);
    const first = page.getByRole('region', { name: 'Check yourself' }).getByRole('group').first();
    await first.getByRole('radio').first().click();
    await first.getByRole('button', { name: 'Check' }).click();
    await first.getByRole('button', { name: 'Try again' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.goto(e2e.url('?lesson=tcp&step=35&present=1'));
    await waitForStage(page);
    await page.getByRole('button', { name: 'Reveal the answers' }).click();
    expect(await violations(page)).toEqual([]);
  });
});

describe('no spoilers, remembered', () => {
  it('presenter mode hides the packets to come; "Hide next" shows them; the choice survives a reload', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=tcp&step=12&present=1'));
    await waitForStage(page);
    expect(await arrowNumbers(page)).toEqual([1, 2, 3]);
    const toggle = page.getByRole('button', { name: 'Hide next packets' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    await page.locator('g.arrow.time-future').first().waitFor();
    expect((await arrowNumbers(page)).length).toBeGreaterThan(3);
    await page.reload();
    await waitForStage(page);
    await page.locator('g.arrow.time-future').first().waitFor();
    expect(await page.getByRole('button', { name: 'Hide next packets' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
  });

  it('the theme, once chosen, is there after a reload', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=34'));
    await waitForStage(page);
    await page.locator('.app.theme-light').waitFor();
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.locator('.app.theme-dark').waitFor();
    await page.reload();
    await waitForStage(page);
    await page.locator('.app.theme-dark').waitFor();
  });
});

describe('focus ring on packet rows', () => {
  it('a focused row, past or still to come, is outlined at least 2 px in the focus colour', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=34'));
    await waitForStage(page);
    await arrowNumbers(page);
    for (const which of ['g.arrow.time-past', 'g.arrow.time-future']) {
      // Focus by keyboard (Tab from the arrow before), so :focus-visible applies as it does for a user.
      await page.locator(which).first().focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const g = document.activeElement!;
        const hit = g.querySelector('.arrow-hit')!;
        const focus = getComputedStyle(document.querySelector('.app')!).getPropertyValue('--focus');
        const probe = document.createElement('div');
        probe.style.color = focus;
        document.body.append(probe);
        const want = getComputedStyle(probe).color;
        probe.remove();
        return {
          isArrow: g.classList.contains('arrow'),
          width: parseFloat(getComputedStyle(hit).strokeWidth),
          stroke: getComputedStyle(hit).stroke,
          want,
          opacity: getComputedStyle(g).opacity,
        };
      });
      expect(ring.isArrow).toBe(true);
      expect(ring.width).toBeGreaterThanOrEqual(2);
      expect(ring.stroke).toBe(ring.want);
      expect(ring.opacity).toBe('1');
    }
  });
});
