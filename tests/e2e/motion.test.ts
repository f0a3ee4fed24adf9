/**
 * Motion in the built app and real Chromium. With reduced motion asked for (prefers-reduced-motion, emulated),
 * a step forward shows its final picture at once: the geometry of the stage is the same on every animation frame
 * from the one that shows the new step. Without it the same step forward does move (so the sampling below can
 * see motion), and the pause control stops all of it (WCAG 2.2 SC 2.2.2 Pause, Stop, Hide).
 */
import type { Page } from 'playwright-core';
import { setupBrowser } from './browser';
import { blurControls, pressUntilStep, scrubber, waitForIdleLoads, waitForStage } from './stage';

const e2e = setupBrowser();

/** One animation frame's picture: the step on screen and a signature of everything drawn on the stage. */
interface Frame {
  readonly step: number;
  readonly picture: string;
}

/**
 * Start recording, after every animation frame, the box, transform, opacity and stroke dash offset of each element
 * of the stage and the playback bar, and the scroll positions (the ladder follows the step); `frames` frames, or
 * until stopSampling.
 */
async function startSampling(page: Page, frames: number): Promise<void> {
  await page.evaluate((count) => {
    const out: { step: number; picture: string }[] = [];
    const w = window as unknown as { __frames: typeof out; __stopSampling: boolean };
    w.__frames = out;
    w.__stopSampling = false;
    const picture = () => {
      const parts: string[] = [];
      for (const el of document.querySelectorAll('main.stage *, nav.playback *')) {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        parts.push(
          `${r.x.toFixed(1)},${r.y.toFixed(1)},${r.width.toFixed(1)},${r.height.toFixed(1)}` +
            `|${el.getAttribute('transform') ?? ''}|${s.transform}|${s.opacity}|${s.strokeDashoffset}` +
            `|${el.scrollTop},${el.scrollLeft}`,
        );
      }
      return parts.join('\n');
    };
    // Read in a task posted from each animation frame callback: it runs once that frame's rendering is done
    // (HTML "update the rendering" runs every frame callback, then style, layout and paint, in one task), so
    // it sees what the frame painted, including what other frame callbacks changed after this one was queued.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const range = document.querySelector('input[type="range"][aria-label="Step"]') as HTMLInputElement;
      out.push({ step: Number(range.value), picture: picture() });
      if (out.length < count && !w.__stopSampling) requestAnimationFrame(tick);
    };
    const tick = () => channel.port2.postMessage(null);
    requestAnimationFrame(tick);
  }, frames);
}

async function sampled(page: Page, frames: number): Promise<Frame[]> {
  await page.waitForFunction(
    (n) => (window as unknown as { __frames: unknown[] }).__frames.length >= n,
    frames,
    {
      timeout: 30_000,
    },
  );
  return page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames);
}

/** Stop recording and return the frames so far. */
async function stopSampling(page: Page): Promise<Frame[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: Frame[]; __stopSampling: boolean };
    w.__stopSampling = true;
    return w.__frames;
  });
}

/** How many different pictures the frames that show `step` have. */
const picturesAt = (frames: readonly Frame[], step: number) =>
  new Set(frames.filter((f) => f.step === step).map((f) => f.picture)).size;

/**
 * Press "next" from `from` while recording: the frames from the one showing the new step on. The link opens a
 * step of the OSI walk where the next step adds a header to the unit on the wire strip (it grows in) and the
 * ladder follows.
 */
async function stepForward(page: Page, from: number): Promise<Frame[]> {
  await blurControls(page);
  const FRAMES = 60; // a second at 60 Hz; the animation lasts 600 ms at 1×
  await startSampling(page, FRAMES);
  await pressUntilStep(page, 'ArrowRight', from + 1);
  const frames = await sampled(page, FRAMES);
  expect(frames.filter((f) => f.step === from + 1).length).toBeGreaterThan(20);
  return frames;
}

async function openAt(page: Page, query: string): Promise<number> {
  await page.goto(e2e.url(query));
  const at = await waitForStage(page);
  // The animations are a chunk loaded once the page is idle; wait for it and for the first paint to settle.
  await waitForIdleLoads(page);
  return at.step;
}

const LINK = '?lesson=osi&step=6';

describe('reduced motion', () => {
  it('without it, a step forward moves: frames showing the new step differ (the sampling sees motion)', async () => {
    const { page } = await e2e.page();
    const from = await openAt(page, LINK);
    const frames = await stepForward(page, from);
    expect(picturesAt(frames, from + 1)).toBeGreaterThan(5);
  });

  it('with it, a step forward jumps straight to its final picture: every frame of the new step is the same', async () => {
    const { page } = await e2e.page();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const from = await openAt(page, LINK);
    expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
    const frames = await stepForward(page, from);
    expect(picturesAt(frames, from + 1)).toBe(1);
  });
});

describe('pause (WCAG 2.2.2)', () => {
  it('stops all motion: after Pause, nothing on the stage moves for a second', async () => {
    const { page } = await e2e.page();
    await openAt(page, LINK);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    // Playing moves things: the step advances and the pictures change from frame to frame. Sample until a new
    // step has been on screen for 30 frames (its animation runs over the first of them), however long that takes.
    await startSampling(page, Number.MAX_SAFE_INTEGER);
    await page.waitForFunction(
      () => {
        const frames = (window as unknown as { __frames: Frame[] }).__frames;
        return frames.filter((f) => f.step !== frames[0]?.step).length >= 30;
      },
      undefined,
      { timeout: 30_000, polling: 'raf' },
    );
    const playing = await stopSampling(page);
    expect(new Set(playing.map((f) => f.step)).size).toBeGreaterThan(1);
    expect(new Set(playing.map((f) => f.picture)).size).toBeGreaterThan(5);

    // Pause just as a step arrives, in the middle of its animation.
    const before = await scrubber(page).inputValue();
    await page.waitForFunction(
      (was) =>
        (document.querySelector('input[type="range"][aria-label="Step"]') as HTMLInputElement).value !== was,
      before,
      { timeout: 10_000, polling: 'raf' },
    );
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const paused = await scrubber(page).inputValue();
    await startSampling(page, 60);
    const still = await sampled(page, 60);
    expect(still.every((f) => String(f.step) === paused)).toBe(true);
    expect(new Set(still.map((f) => f.picture)).size).toBe(1);
  });
});
