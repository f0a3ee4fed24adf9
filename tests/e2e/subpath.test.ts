import { setupBrowser } from './browser';
import { blurControls, pressUntilStep, waitForStage } from './stage';

// The site exists only under this prefix: any request that escapes the relative base gets a 404 (and the
// harness fails the test on the console error that follows).
const PREFIX = '/some/sub/path/';
const e2e = setupBrowser({ prefix: PREFIX });

describe('served from a sub-path', () => {
  it('loads every file relative to the page and works', async () => {
    const { page } = await e2e.page();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(e2e.url('?lesson=websocket&step=2'));
    const at = await waitForStage(page);
    expect(at.step).toBe(2);
    await blurControls(page);
    await pressUntilStep(page, 'ArrowRight', 3);

    expect(requested.length).toBeGreaterThan(1);
    expect(requested.filter((path) => !path.startsWith(PREFIX))).toEqual([]);
    expect(e2e.server.log.filter((line) => !line.endsWith(' 200'))).toEqual([]);
  });

  it('registers its service worker with the sub-path as its scope', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url());
    await waitForStage(page);
    const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
    expect(new URL(scope).pathname).toBe(PREFIX);
  });

  it('the server really is strict: the site is not at the root', async () => {
    const { page } = await e2e.page();
    const response = await page.request.get(new URL('/index.html', e2e.url()).href);
    expect(response.status()).toBe(404);
  });
});
