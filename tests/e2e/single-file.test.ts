import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { DIST_SINGLE, freshPage, launchChromium, requireBuild } from './browser';
import { cspOf, watchViolations } from './policy';
import { blurControls, noticeText, pressUntilStep, waitForStage } from './stage';

let browser: Browser;
let file: string;
beforeAll(async () => {
  file = requireBuild(DIST_SINGLE, 'wirewalk.html', 'npm run build:single');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the single-file build', () => {
  it('is one file that loads nothing beside it, with its inline code allowed by hash only', () => {
    expect(readdirSync(DIST_SINGLE)).toEqual(['wirewalk.html']);
    const html = readFileSync(file, 'utf8');
    const policy = cspOf(html);
    const scripts = policy.get('script-src') ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((s) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(s))).toBe(true);
    expect(policy.get('style-src')?.every((s) => /^'sha256-|^'none'$/.test(s))).toBe(true);
    // Markup outside inline code refers to no file (only data: URLs).
    const markup = html.replace(/(<(script|style)\b[^>]*>)[\s\S]*?(<\/\2>)/gi, '$1$3');
    expect(markup.match(/\s(?:src|href)="(?!data:)[^"]*"/g)).toBeNull();
  });

  it('works from file:// with a link, under its CSP, with no service worker', async () => {
    const { page } = await freshPage(browser);
    const violations = await watchViolations(page);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${pathToFileURL(file).href}?lesson=websocket&mss=abc&step=3`);
    const at = await waitForStage(page);
    expect(at.step).toBe(3);
    expect(await noticeText(page)).toContain('mss=abc is not a whole number');
    await blurControls(page);
    for (let step = 4; step <= Math.min(at.count, 10); step++) await pressUntilStep(page, 'ArrowRight', step);
    await pressUntilStep(page, 'End', at.count);
    expect(await violations()).toEqual([]);
    expect(await page.evaluate(() => navigator.serviceWorker?.controller ?? null)).toBeNull();
    // Nothing but the page itself (and data: URLs) was loaded.
    expect(
      requested.filter((u) => !u.startsWith('data:') && u.split('?')[0] !== pathToFileURL(file).href),
    ).toEqual([]);
  });
});
