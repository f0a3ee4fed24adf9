import { setupBrowser } from './browser';
import { blurControls, position, pressUntilStep, scrubber, waitForStage } from './stage';

const e2e = setupBrowser();

describe('the built app', () => {
  it('opens with no link at the first step of a lesson, drawn and readable, without errors', async () => {
    const { page } = await e2e.page();
    const response = await page.goto(e2e.url());
    expect(response?.status()).toBe(200);
    const at = await waitForStage(page);
    expect(at.step).toBe(1);
    expect(at.count).toBeGreaterThan(1);
    expect(await page.title()).toMatch(/Wirewalk/);

    // Not a blank page: the first step's words are on screen and the stage fills the window.
    const text = await page.evaluate(() => document.body.innerText);
    expect(text.length).toBeGreaterThan(200);
    const box = await page.locator('#root').boundingBox();
    expect(box?.width).toBeGreaterThan(1000);
    expect(box?.height).toBeGreaterThan(600);
    await expect.poll(() => scrubber(page).isVisible()).toBe(true);
  });

  it('steps with the keyboard and the buttons, and the address bar follows the step', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket'));
    const first = await waitForStage(page);
    await blurControls(page);
    const second = await pressUntilStep(page, 'ArrowRight', 2);
    expect(second.title).not.toBe(first.title);
    await page.getByRole('button', { name: 'Next step', exact: true }).click();
    expect((await position(page)).step).toBe(3);
    await blurControls(page);
    expect((await pressUntilStep(page, 'ArrowLeft', 2)).title).toBe(second.title);
    // urlSync writes step= with history.replaceState, throttled.
    await page.waitForFunction(() => new URLSearchParams(location.search).get('step') === '2', null, {
      timeout: 5000,
    });
    expect((await pressUntilStep(page, 'End', first.count)).step).toBe(first.count);
  });

  it('opens a link at its step', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=5'));
    expect((await waitForStage(page)).step).toBe(5);
  });
});
