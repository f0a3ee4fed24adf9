/**
 * `npm run bench:capture:ui [-- MEGABYTES]` (vite build, then this): open a large capture (scripts/bigCapture.ts,
 * 50 MB by default) through the real file input of the built app in headless Chromium, and print
 * - time to first step: from handing the file to the input until the capture's first step is on screen (the
 *   capture bar and the scrubber at "Step 1 of N"), with the worker's phases as the page reported them;
 * - step latency: keydown → the task after the next frame (requestAnimationFrame, then a MessageChannel
 *   message), p50 and p95 over 100 ArrowRight and 100 ArrowLeft presses, and the End key;
 * with the machine (CPU model and count, load average, Chromium's version) beside every figure. Not a test:
 * figures only, no budget enforced.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { bigCapture } from './bigCapture';
import { launchChromium } from './e2e-chromium';
import { serveStatic } from './serve';

const megabytes = Number(process.argv[2] ?? 50);
const dist = resolve(import.meta.dirname, '..', 'dist');

function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function stepLatency(page: Page, key: string): Promise<number> {
  return page.evaluate(
    (k) =>
      new Promise<number>((done) => {
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => done(performance.now() - t0);
          ch.port2.postMessage(0);
        });
      }),
    key,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wirewalk-bench-'));
  const file = join(dir, `big-${megabytes}MB.pcap`);
  const bytes = bigCapture(megabytes * 1024 * 1024);
  writeFileSync(file, bytes);
  const server = await serveStatic({ root: dist, prefix: '/' });
  const browser = await launchChromium();
  const machine = () =>
    `[${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, Chromium ${browser.version()}]`;
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.goto(`${server.url}?lesson=websocket`);
    await page.getByRole('slider', { name: 'Step', exact: true }).waitFor();
    const phases: string[] = [];
    const started = Date.now();
    const watch = setInterval(() => {
      void page
        .locator('.capture-bar.is-reading .capture-what')
        .textContent({ timeout: 50 })
        .then((t) => {
          const line = `${((Date.now() - started) / 1000).toFixed(1)} s ${t?.replace(/^.*: /, '') ?? ''}`;
          if (t && !phases.some((p) => p.endsWith(line.replace(/^[\d.]+ s /, '')))) phases.push(line);
        })
        .catch(() => undefined);
    }, 250);
    await page.locator('input[type=file]').setInputFiles(file);
    const region = page.getByRole('region', { name: 'Opened capture' });
    await region.waitFor({ timeout: 600_000 });
    await page.waitForFunction(() =>
      /^Step 1 of \d+/.test(
        document.querySelector('input[type="range"][aria-label="Step"]')?.getAttribute('aria-valuetext') ??
          '',
      ),
    );
    const firstStep = Date.now() - started;
    clearInterval(watch);
    const steps = await page
      .locator('input[type="range"][aria-label="Step"]')
      .getAttribute('aria-valuetext')
      .then((t) => /of (\d+)/.exec(t ?? '')?.[1]);
    process.stdout.write(
      `capture: ${bytes.length} bytes (${megabytes} MB), ${steps} steps ${machine()}\n` +
        `time to first step: ${(firstStep / 1000).toFixed(1)} s ${machine()}\n` +
        phases.map((p) => `  phase seen at ${p}\n`).join(''),
    );
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
    const forward: number[] = [];
    const backward: number[] = [];
    for (let i = 0; i < 100; i++) forward.push(await stepLatency(page, 'ArrowRight'));
    for (let i = 0; i < 100; i++) backward.push(await stepLatency(page, 'ArrowLeft'));
    const end = await stepLatency(page, 'End');
    const all = [...forward, ...backward];
    process.stdout.write(
      `step latency (keydown → next frame), 200 steps: p50 ${quantile(all, 0.5).toFixed(1)} ms, ` +
        `p95 ${quantile(all, 0.95).toFixed(1)} ms ${machine()}\n` +
        `  forward p50 ${quantile(forward, 0.5).toFixed(1)} / p95 ${quantile(forward, 0.95).toFixed(1)} ms; ` +
        `backward p50 ${quantile(backward, 0.5).toFixed(1)} / p95 ${quantile(backward, 0.95).toFixed(1)} ms; ` +
        `End (to step ${steps}) ${end.toFixed(1)} ms ${machine()}\n`,
    );
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
    if (heap)
      process.stdout.write(`page JS heap after opening: ${(heap / 1e6).toFixed(0)} MB ${machine()}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
