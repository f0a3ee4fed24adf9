import { readdirSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { serveStatic, type StaticServer } from '../../scripts/serve';
import { DIST, freshPage, launchChromium, requireBuild } from './browser';
import { blurControls, pressUntilStep, waitForStage } from './stage';

function builtFiles(): string[] {
  return readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(DIST, `${e.parentPath}${sep}${e.name}`).split(sep).join('/'))
    .filter((f) => f !== 'sw.js')
    .sort();
}

/** Resolves once a service worker controls the page (clients.claim() in sw.ts makes that the first visit). */
async function waitForControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((done) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => done(), { once: true }),
    );
  });
}

// This file runs its own server, because the test stops it.
let browser: Browser;
let server: StaticServer;
beforeAll(async () => {
  requireBuild(DIST, 'sw.js', 'npm run build');
  server = await serveStatic({ root: DIST });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('offline', () => {
  it('precaches exactly the files of the build, in a cache named by the build version', async () => {
    const { page } = await freshPage(browser);
    await page.goto(server.url);
    await waitForStage(page);
    await waitForControl(page);
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
      return { names, urls };
    });
    expect(cached.names).toHaveLength(1);
    expect(cached.names[0]).toMatch(/^wirewalk-precache-[0-9a-f]{16}$/);
    expect(cached.urls.map((u) => u.slice(server.url.length)).sort()).toEqual(builtFiles());
  });

  it('after one visit, reloads and steps through a lesson with the network off and the server gone', async () => {
    // The one request this test makes to show the network is gone is allowed to fail, and only that one.
    const { page, context } = await freshPage(browser, { allowErrors: [/not-in-the-build-[\d.]+\.txt/] });
    await page.goto(`${server.url}?lesson=websocket`);
    await waitForStage(page);
    await waitForControl(page);

    await context.setOffline(true);
    await server.close();
    // A different link than the cached index.html was fetched with: the worker ignores the query string.
    await page.goto(`${server.url}?lesson=websocket&seed=7&step=2`);
    const at = await waitForStage(page);
    expect(at.step).toBe(2);
    await blurControls(page);
    for (let step = 3; step <= Math.min(at.count, 12); step++) await pressUntilStep(page, 'ArrowRight', step);
    await page.reload();
    expect((await waitForStage(page)).count).toBe(at.count);
    // The network is really gone for the page: a request the worker does not hold gets no answer. (Not
    // navigator.onLine: Chromium 150 reports true again after a reload under emulated offline.)
    const reached = await page.evaluate(() =>
      fetch(`/not-in-the-build-${Math.random()}.txt`, { cache: 'no-store' }).then(
        (r) => r.ok,
        () => false,
      ),
    );
    expect(reached).toBe(false);
    // Every file of the build, lazily loaded chunks included, is there without the network.
    const statuses = await page.evaluate(
      (files) =>
        Promise.all(
          files.map((f) =>
            fetch(f).then(
              (r) => `${f} ${r.status}`,
              () => `${f} failed`,
            ),
          ),
        ),
      builtFiles(),
    );
    expect(statuses).toEqual(builtFiles().map((f) => `${f} 200`));
  });
});
