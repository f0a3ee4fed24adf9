/**
 * Opening your own capture in the built app (issue 14): a real capture through the real file input and
 * through a drop, stepped to a WebSocket message whose exact text the ladder and the inspector show; a file
 * that is no capture, named clearly with the page still working; a long read cancelled. What to expect is
 * read from the same capture in Node with the same code the worker runs (src/capture/open.ts), never typed in.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openCaptureTimeline } from '../../src/capture/open';
import { bigCapture } from '../../scripts/bigCapture';
import { setupBrowser } from './browser';
import { blurControls, position, pressUntilStep, scrubber, waitForStage } from './stage';

const e2e = setupBrowser();
const REAL = join(import.meta.dirname, '..', 'fixtures', 'capture', 'real-ws-loopback.pcap');
const dir = mkdtempSync(join(tmpdir(), 'wirewalk-capture-'));

const expected = openCaptureTimeline([
  { name: 'real-ws-loopback.pcap', bytes: new Uint8Array(readFileSync(REAL)) },
]);
/** The app step of the client's "Hello" (1-based, as on screen) and the packet that completed it. */
const helloStep =
  expected.steps.findIndex((s) => s.kind === 'app' && s.title === 'WebSocket text: "Hello"') + 1;
const helloPacket = expected.packets[expected.steps[helloStep - 1]!.packet!]!;

async function openLesson(page: Page) {
  await page.goto(e2e.url('?lesson=websocket'));
  return waitForStage(page);
}

const captureBar = (page: Page) => page.getByRole('region', { name: 'Opened capture' });

async function walkTo(page: Page, step: number): Promise<void> {
  await blurControls(page);
  await pressUntilStep(page, 'Home', 1);
  for (let i = 2; i <= step; i++) await pressUntilStep(page, 'ArrowRight', i);
}

async function checkHello(page: Page): Promise<void> {
  await walkTo(page, helloStep);
  const at = await position(page);
  expect(at.title).toBe('WebSocket text: "Hello"');
  expect(at.count).toBe(expected.steps.length);
  // The ladder labels the arrow as Wireshark would, with the message's exact text.
  await page.getByRole('tab', { name: 'Sequence diagram' }).click();
  await expect.poll(() => page.locator('.ladder').innerText()).toContain(helloPacket.summary);
  // The inspector names the record and shows the payload's field with its text.
  await page.getByRole('tab', { name: 'Packet bytes' }).click();
  const inspector = page.locator('.inspector');
  await expect.poll(() => inspector.innerText()).toContain(`Packet ${helloPacket.wireIndex}`);
  await expect.poll(() => inspector.innerText()).toContain('B captured (record');
  await expect.poll(() => inspector.innerText()).toContain('Hello');
}

describe('opening a capture', () => {
  it('opens a real capture through the file input and steps to a WebSocket message', async () => {
    expect(helloStep).toBeGreaterThan(1);
    const { page } = await e2e.page();
    await openLesson(page);
    await expect
      .poll(() => page.getByText('Read in this browser; the file is never uploaded.').count())
      .toBe(0);
    await page.locator('input[type=file]').setInputFiles(REAL);
    await captureBar(page).waitFor();
    expect(await captureBar(page).innerText()).toContain('real-ws-loopback.pcap');
    expect(await captureBar(page).innerText()).toContain('never uploaded');
    expect(await page.title()).toBe('Wirewalk: real-ws-loopback.pcap');
    // The address bar says a capture is not in the link, rather than writing a wrong one.
    await page.waitForFunction(() => location.search === '?capture=not-in-link');
    await checkHello(page);
    // The code panel says the programs are not known.
    await page.getByRole('tab', { name: 'Code & console' }).click();
    await expect.poll(() => page.locator('.code-panel').innerText()).toContain('not known for a capture');
    // And the way back.
    await captureBar(page).getByRole('button', { name: 'Back to the lessons' }).click();
    await captureBar(page).waitFor({ state: 'detached' });
    await page.waitForFunction(() => new URLSearchParams(location.search).get('lesson') === 'websocket');
  });

  it('opens a capture dropped onto the page', async () => {
    const { page } = await e2e.page();
    await openLesson(page);
    const bytes = [...readFileSync(REAL)];
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'real-ws-loopback.pcap'));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await page.getByText('Drop to open the capture').waitFor();
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'real-ws-loopback.pcap'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await captureBar(page).waitFor();
    await page.getByText('Drop to open the capture').waitFor({ state: 'detached' });
    await checkHello(page);
  });

  it('names what is wrong with a file that is no capture, and the page keeps working', async () => {
    const garbage = join(dir, 'notes.pcap');
    writeFileSync(garbage, 'These are my notes from the lecture, not a capture.\n'.repeat(20));
    const { page } = await e2e.page();
    await openLesson(page);
    await page.locator('input[type=file]').setInputFiles(garbage);
    await captureBar(page).waitFor();
    const bar = await captureBar(page).innerText();
    expect(bar).toContain('notes.pcap');
    expect(bar).toMatch(/Error/);
    expect(bar).toMatch(/pcap|pcapng/);
    // Not a blank page: a step says there is nothing to step through, and a lesson can still be chosen.
    const at = await waitForStage(page);
    expect(at.title).toBe('notes.pcap could not be read');
    await page.getByRole('combobox', { name: 'Lesson' }).selectOption('websocket');
    await captureBar(page).waitFor({ state: 'detached' });
    expect((await waitForStage(page)).count).toBeGreaterThan(10);
  });

  it('cancels a long read, and the page opens the next file', async () => {
    const big = join(dir, 'big.pcap');
    writeFileSync(big, bigCapture(40 * 1024 * 1024));
    const { page } = await e2e.page();
    const before = await openLesson(page);
    await page.locator('input[type=file]').setInputFiles(big);
    const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
    await cancel.click();
    await page.locator('progress').waitFor({ state: 'detached' });
    expect((await position(page)).count).toBe(before.count);
    expect(await captureBar(page).count()).toBe(0);
    await page.locator('input[type=file]').setInputFiles(REAL);
    await captureBar(page).waitFor();
    expect(await captureBar(page).innerText()).toContain('real-ws-loopback.pcap');
    expect((await position(page)).count).toBe(expected.steps.length);
    await expect.poll(() => scrubber(page).isVisible()).toBe(true);
  });
});
