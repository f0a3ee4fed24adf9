/**
 * The modal dialog (views/dialog/Modal.tsx) in the built app and real Chromium, where `showModal()` does what
 * jsdom cannot: the dialog sits in the top layer, the page behind is inert, so Tab and Shift+Tab never reach
 * it; Esc closes the dialog and nothing else (not presenter mode), and focus returns to the control that
 * opened it. The share dialog is the example: it opens from its button or the C key.
 */
import type { Page } from 'playwright-core';
import { setupBrowser } from './browser';
import { waitForStage } from './stage';

const e2e = setupBrowser();

/** Where focus is: inside the open dialog, on the page behind it, or nowhere (the body). */
function focusPlace(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    return el.closest('dialog[open]') ? `dialog: ${name}` : `page: ${name}`;
  });
}

describe('the share dialog, a native modal <dialog>', () => {
  it('opens from its button with focus inside, keeps Tab inside, closes on Esc and gives focus back', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=upgrade&step=16'));
    await waitForStage(page);
    const opener = page.getByRole('button', { name: /^Share/ });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Share this lesson' });
    await dialog.waitFor({ state: 'visible' });
    // Opened with showModal(): in the top layer, matching :modal.
    expect(await dialog.evaluate((d) => d instanceof HTMLDialogElement && d.matches(':modal'))).toBe(true);
    await expect.poll(() => focusPlace(page)).toBe('dialog: button "Copy link to this step"');

    // Forwards and backwards, more stops than the dialog has: focus never lands on the page behind. (Past the
    // last control it may rest on the body for one stop, where a browser with a window offers its own UI.)
    const seen = new Set<string>();
    for (const key of [...Array<string>(24).fill('Tab'), ...Array<string>(24).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      const place = await focusPlace(page);
      expect(place).not.toMatch(/^page:/);
      seen.add(place);
    }
    // It went round: every button of the dialog had focus.
    for (const button of [
      'Close (Esc)',
      'Copy link to this step',
      'Copy link from the start',
      'Copy embed code',
    ]) {
      expect(seen).toContain(`dialog: button "${button}"`);
    }

    // The page behind is inert: it cannot take focus even when asked directly.
    const behind = page.getByRole('button', { name: 'Next step' });
    await behind.evaluate((el: HTMLElement) => el.focus());
    expect(await focusPlace(page)).not.toMatch(/^page:/);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('in presenter mode: opens with C, Esc closes the dialog but not presenter mode; a click outside closes it', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=28&present=1'));
    await waitForStage(page);
    await page.locator('.app.is-present').waitFor();
    const opener = page.getByRole('button', { name: /^Share/ });
    await opener.focus();
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog', { name: 'Share this lesson' });
    await dialog.waitFor({ state: 'visible' });
    await expect.poll(() => focusPlace(page)).toMatch(/^dialog: /);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('.app.is-present').count()).toBe(1);
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // The backdrop: a click in the top-left corner, outside the dialog's box.
    await page.keyboard.press('c');
    await dialog.waitFor({ state: 'visible' });
    const box = await dialog.boundingBox();
    expect(box && box.x > 4 && box.y > 4).toBe(true);
    await page.mouse.click(2, 2);
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('.app.is-present').count()).toBe(1);
  });
});
