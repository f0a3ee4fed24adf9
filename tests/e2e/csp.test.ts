import { setupBrowser } from './browser';
import { cspOf, watchViolations } from './policy';
import { blurControls, position, pressUntilStep, waitForStage } from './stage';

const e2e = setupBrowser();

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
    const { page } = await e2e.page();
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
      const button = classroom.getByRole('button', { name: new RegExp(`^${name}`) });
      if (!(await button.count())) continue;
      await button.click();
      await page.getByRole('dialog').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    }
    await blurControls(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(1500);
    expect((await position(page)).step).toBeGreaterThanOrEqual(1);
    expect(await violations()).toEqual([]);
  });

  it('is enforced: inline code and string evaluation are refused and reported (so the check above can fail)', async () => {
    const { page } = await e2e.page({ allowErrors: [/Content Security Policy/] });
    const violations = await watchViolations(page);
    await page.goto(e2e.url());
    await waitForStage(page);
    // Planted from the page's side (DevTools' own evaluation is exempt from 'unsafe-eval').
    const ran = await page.evaluate(async () => {
      const w = window as unknown as Record<string, boolean | undefined>;
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.head.append(s);
      document.body.setAttribute('onclick', 'window.__handler = true');
      document.body.click();
      document.body.removeAttribute('onclick');
      (setTimeout as (code: string, ms: number) => number)('window.__eval = true', 0);
      await new Promise((done) => setTimeout(done, 50));
      return { inline: w.__inline, handler: w.__handler, eval: w.__eval };
    });
    expect(ran).toEqual({ inline: undefined, handler: undefined, eval: undefined });
    await expect.poll(async () => (await violations()).length).toBe(3);
  });
});
