/**
 * A new user's first visit, in one go, in the built app and real Chromium: open the app with no link, read the
 * first step, play and pause, step with the keyboard, open a packet from the sequence diagram, hover a field
 * and see its bytes, push a message from the server, copy the link and open it in a fresh page, enter and
 * leave presenter mode, download the capture and have Wireshark's engine (tshark) check every checksum. The
 * page must not log a console error or throw at any point (browser.ts fails the test otherwise).
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dissect, wireProblems } from '../../scripts/tshark';
import { DWELL_MS } from '../../src/app/playbackClock';
import { setupBrowser, squash } from './browser';
import { blurControls, position, pressUntilStep, scrubber, waitForStage } from './stage';

const e2e = setupBrowser();

const narration = async (page: Page) => squash(await page.locator('.narration-main').first().innerText());
const stepNumber = async (page: Page) => Number(await scrubber(page).inputValue());

describe('a new user', () => {
  it('reads, plays, steps, inspects, sends, shares, presents and downloads, without an error', async () => {
    const { page, context } = await e2e.page();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.url() });

    // Open the app with no parameters: the first step of the first lesson, its title a visible heading.
    await page.goto(e2e.url());
    const first = await waitForStage(page);
    expect(first.step).toBe(1);
    await expect
      .poll(() => page.getByRole('heading', { level: 2, name: first.title, exact: true }).isVisible())
      .toBe(true);
    expect(await narration(page)).toContain(first.title);

    // Play: the step advances on its own; Pause: it stops where it is (that it stays there: the next test).
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => stepNumber(page), { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const paused = await stepNumber(page);

    // Forward and back with the keyboard; the narration follows.
    await blurControls(page);
    const ahead = await pressUntilStep(page, 'ArrowRight', paused + 1);
    await pressUntilStep(page, 'ArrowRight', paused + 2);
    const back = await pressUntilStep(page, 'ArrowLeft', paused + 1);
    expect(back).toEqual(ahead);
    expect(await narration(page)).toContain(ahead.title);

    // Step until a few packets are on the wire, then click an earlier one in the sequence diagram: the stage
    // seeks to it and the inspector opens on it.
    const deep = 30;
    await scrubber(page).fill(String(deep));
    await expect.poll(() => stepNumber(page)).toBe(deep);
    // Frames 1 and 2 are the ARP request and reply (no arrow of their own): the SYN is packet 3.
    const arrow = page.getByRole('button', { name: /^Packet 3, / });
    await arrow.click();
    await expect.poll(() => stepNumber(page)).toBeLessThan(deep);
    await expect
      .poll(() => page.getByRole('tab', { name: 'Packet bytes', exact: true }).getAttribute('aria-selected'))
      .toBe('true');
    const inspector = page.locator('.inspector-title');
    await expect.poll(() => inspector.innerText()).toMatch(/^Packet 3: /);

    // Hover a field: its bytes are marked in the hex dump, exactly as many as the field is long.
    const fields = page.getByRole('listbox', { name: /^Fields of every layer/ });
    const field = fields
      .getByRole('option')
      .filter({ hasText: /^Source port:/ })
      .first();
    await field.hover();
    await expect.poll(() => page.locator('.hex-bytes .byte.is-hovered').count()).toBe(2);

    // Type a message and push it from the server: the link gains it.
    await page.getByRole('textbox', { name: 'Message' }).fill('Hi from the server');
    await page.getByRole('button', { name: 'Push from server' }).click();
    await page.waitForFunction(
      () => new URLSearchParams(location.search).getAll('m').includes('s:Hi from the server'),
      null,
      { timeout: 5000 },
    );
    const here = await position(page);
    const words = await narration(page);

    // Copy the link and open it in a fresh page: the same step and narration.
    await page.getByRole('button', { name: /^Share/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this lesson' });
    await dialog.getByRole('button', { name: 'Copy link to this step' }).click();
    await expect.poll(() => dialog.getByRole('status').innerText()).toMatch(/copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('m=s:Hi%20from%20the%20server');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const fresh = await e2e.page();
    await fresh.page.goto(copied);
    expect(await waitForStage(fresh.page)).toEqual(here);
    // The lesson's aside arrives with the lazily loaded lesson content, a moment after the first step.
    await expect.poll(() => narration(fresh.page), { timeout: 10_000 }).toBe(words);
    await fresh.context.close();

    // Enter presenter mode (the button) and leave it (Esc): the editing chrome goes and comes back.
    await page.getByRole('button', { name: /^Present/ }).click();
    await page.locator('.app.is-present').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    expect((await position(page)).step).toBe(here.step);
    await blurControls(page);
    await page.keyboard.press('Escape');
    await page.locator('.app.is-present').waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Message' }).waitFor();

    // Download the capture; tshark, with checksum validation on, finds every checksum good and nothing
    // malformed, and reads the pushed message out of the WebSocket frames.
    await page.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the capture (.pcap)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^wirewalk-websocket-\d+\.pcap$/);
    const file = join(mkdtempSync(join(tmpdir(), 'wirewalk-journey-')), download.suggestedFilename());
    writeFileSync(file, readFileSync((await download.path())!));
    const frames = dissect(file);
    expect(frames.length).toBeGreaterThan(5);
    // The browser's ARP request for its gateway and the router's reply (RFC 826) carry no IP or TCP checksum.
    const ip = frames.filter((f) => f.ipChecksum !== '');
    expect(frames.length - ip.length).toBe(2);
    expect(ip.every((f) => f.ipChecksum === '1' && f.tcpChecksum === '1')).toBe(true);
    expect(wireProblems(ip)).toEqual([]);
    expect(frames.flatMap((f) => f.wsTexts)).toContain('Hi from the server');
  });

  it('plays one step per dwell, and Pause holds the step however much time passes (the page clock in hand)', async () => {
    const { page } = await e2e.page();
    // The page's timers run on a clock the test stops and advances: no waiting, no race with a busy machine.
    await page.clock.install();
    await page.goto(e2e.url());
    expect((await waitForStage(page)).step).toBe(1);
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.clock.runFor(DWELL_MS - 1);
    expect(await stepNumber(page)).toBe(1);
    await page.clock.runFor(1);
    await expect.poll(() => stepNumber(page)).toBe(2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.clock.runFor(DWELL_MS * 10);
    expect(await stepNumber(page)).toBe(2);
  });
});
