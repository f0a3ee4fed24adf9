/**
 * The Content-Security-Policy of the built site, in real Chromium: strict on paper, enforced in the page, and
 * never broken by the app itself. Every "no violation" below is read by a watcher that is shown, in the same
 * page, to catch a planted one: an empty list means the app broke nothing, not that nothing was listening.
 */
import type { Page } from 'playwright-core';
import { setupBrowser } from './browser';
import { cspOf, watchViolations } from './policy';
import { blurControls, position, pressUntilStep, waitForStage } from './stage';

const e2e = setupBrowser();

/** What Chromium logs when it refuses planted code; allowed only in tests that plant it. */
const REFUSED = [/Content Security Policy/];

/**
 * Plant, from the page's side (DevTools' own evaluation is exempt from 'unsafe-eval'), an inline script, an
 * inline event handler and a string for setTimeout; return which of them ran. Each sets a flag if it runs.
 */
const plantInlineCode = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as Record<string, boolean | undefined>;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.head.append(s);
    document.body.setAttribute('onclick', 'window.__handler = true');
    document.body.click();
    document.body.removeAttribute('onclick');
    (setTimeout as (code: string, ms: number) => number)('window.__eval = true', 0);
    return { inline: w.__inline, handler: w.__handler };
  });

/** The three violations plantInlineCode provokes, as watchViolations words them. */
const PLANTED = [
  expect.stringMatching(/^script-src-elem blocked inline /),
  expect.stringMatching(/^script-src-attr blocked inline /),
  expect.stringMatching(/^script-src blocked eval /),
];

describe('Content-Security-Policy', () => {
  it('the built page carries a strict policy in a meta tag, before any script', async () => {
    const html = await (await fetch(e2e.url())).text();
    const policy = cspOf(html);
    const scripts = policy.get('script-src') ?? policy.get('default-src');
    expect(scripts).toBeDefined();
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts?.some((s) => s === '*' || s === 'data:' || s === 'http:' || s === 'https:')).toBe(false);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('style-src')).not.toContain("'unsafe-inline'");
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('nothing the app does while it runs breaks the policy', async () => {
    const { page } = await e2e.page({ allowErrors: REFUSED });
    const violations = await watchViolations(page);
    await page.goto(e2e.url('?lesson=websocket'));
    const { count } = await waitForStage(page);
    await blurControls(page);
    // Past the first step (which may show the lesson's intro card over the stage).
    await pressUntilStep(page, 'ArrowRight', 2);
    // Walk the whole lesson with every panel open once: the animations, the inspector, the signal trace.
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click();
      await blurControls(page);
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    }
    await pressUntilStep(page, 'End', count);
    await pressUntilStep(page, 'Home', 1);
    // The classroom dialogs (share link and QR code, export) render generated markup and images.
    const classroom = page.getByRole('group', { name: 'Classroom' });
    for (const name of ['Share', 'Export']) {
      await classroom.getByRole('button', { name: new RegExp(`^${name}`) }).click();
      await page.getByRole('dialog').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    }
    // Playback: steps arrive on their own, each with its animations.
    await blurControls(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(async () => (await position(page)).step, { timeout: 30_000 }).toBeGreaterThan(2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    expect(await violations()).toEqual([]);

    // The same watcher, in the same page, reports planted code: the empty list above was not deafness.
    await plantInlineCode(page);
    await expect.poll(violations).toEqual(expect.arrayContaining(PLANTED));
    expect(await violations()).toHaveLength(PLANTED.length);
  });

  it('is enforced: inline code and string evaluation are refused and reported (so the check above can fail)', async () => {
    const { page } = await e2e.page({ allowErrors: REFUSED });
    const violations = await watchViolations(page);
    await page.goto(e2e.url());
    await waitForStage(page);
    expect(await violations()).toEqual([]);
    // The inline script and the handler would have run at once, synchronously.
    expect(await plantInlineCode(page)).toEqual({ inline: undefined, handler: undefined });
    // All three are reported. The string for setTimeout is refused when it is handed over, so once its
    // report is in, it can never run: then its flag is still unset.
    await expect.poll(violations).toEqual(expect.arrayContaining(PLANTED));
    expect(await violations()).toHaveLength(PLANTED.length);
    expect(await page.evaluate(() => (window as unknown as { __eval?: boolean }).__eval)).toBeUndefined();
  });
});
