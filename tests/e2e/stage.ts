/**
 * How the browser tests read the stage, through roles and accessible names only (views/playback/PlaybackBar.tsx,
 * views/notice/ProblemNotice.tsx):
 * - the scrubber: role slider named "Step", aria-valuetext "Step 3 of 87: <step title>";
 * - the step buttons: "Next step", "Previous step", "Play"/"Pause";
 * - the step's title: a heading with that text (views/narration/Narration.tsx);
 * - the link's problems: role status.
 */
import type { Page } from 'playwright-core';

export interface StepPosition {
  /** 1-based, as on screen. */
  readonly step: number;
  readonly count: number;
  readonly title: string;
}

export const scrubber = (page: Page) => page.getByRole('slider', { name: 'Step', exact: true });

export function parseStepText(text: string | null): StepPosition {
  const m = /^Step (\d+) of (\d+)(?:: ([\s\S]*))?$/.exec(text ?? '');
  if (!m)
    throw new Error(`the scrubber's aria-valuetext is not "Step N of M: title": ${JSON.stringify(text)}`);
  return { step: Number(m[1]), count: Number(m[2]), title: m[3] ?? '' };
}

export async function position(page: Page): Promise<StepPosition> {
  return parseStepText(await scrubber(page).getAttribute('aria-valuetext'));
}

/**
 * Wait until the stage shows a step of the whole timeline: the scrubber is there and says how many steps there
 * are (a long scenario first shows "Step 3 of …" while the rest is simulated, src/state/opening.ts), the
 * step's title is a visible heading, and the stacks, the wire and the panels are drawn.
 */
export async function waitForStage(page: Page, timeout = 30_000): Promise<StepPosition> {
  await scrubber(page).waitFor({ state: 'visible', timeout });
  await page.waitForFunction(
    () =>
      /^Step \d+ of \d+/.test(
        document.querySelector('input[type="range"][aria-label="Step"]')?.getAttribute('aria-valuetext') ??
          '',
      ),
    null,
    { timeout, polling: 100 },
  );
  const at = await position(page);
  if (!at.title.trim()) throw new Error(`step ${at.step} has no title`);
  await page
    .getByRole('heading', { name: at.title, exact: true })
    .first()
    .waitFor({ state: 'visible', timeout });
  // The stage's heavy half (stacks, wire, panels: its own chunk, drawn in a frame after the first) is there, or
  // has said it could not be loaded. Until then the centre is aria-busy (app/App.tsx); on a loaded machine a
  // test that looked at the panels right after the heading found none (panels.test.ts, "lost" at 1024×768).
  await page.waitForFunction(
    () =>
      !document.querySelector('.stage-centre[aria-busy="true"]') ||
      !!document.querySelector('.stage-missing'),
    null,
    { timeout, polling: 100 },
  );
  return at;
}

/** Keys go to the page, not to a focused control that keeps arrows for itself. */
export async function blurControls(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
}

/** Press a key and wait until the scrubber shows `expected` (1-based). */
export async function pressUntilStep(page: Page, key: string, expected: number): Promise<StepPosition> {
  await page.keyboard.press(key);
  await page.waitForFunction(
    (want) => {
      const el = document.querySelector('input[type="range"][aria-label="Step"]');
      return el instanceof HTMLInputElement && Number(el.value) === want;
    },
    expected,
    { timeout: 10_000 },
  );
  return position(page);
}

/** The text of the problem notice (empty when there is none). */
export async function noticeText(page: Page): Promise<string> {
  return (await page.getByRole('status').allInnerTexts()).join('\n');
}

/**
 * Wait until nothing on the page moves: no CSS animation or transition running (document.getAnimations) and no
 * d3 transition scheduled on any element (d3-transition keeps them in `__transition` until they end).
 */
export async function waitForStillness(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () =>
      !document.getAnimations().some((a) => a.playState === 'running') &&
      !Array.from(document.querySelectorAll('*')).some((el) => '__transition' in el),
    undefined,
    { timeout, polling: 'raf' },
  );
}

/** The chunks the stage fetches once the page is idle after its first paint (views/lazy/usePreload.ts). */
export const IDLE_CHUNKS = ['SignalTrace', 'stepAnimations', 'Inspector', 'CodePanel'] as const;

/**
 * Wait until the page has fetched and run the chunks it loads when idle, then until nothing moves. "Run": an
 * `import()` of a URL already in the page's module map settles once that module has run, as the page's own
 * `import()` does. (A string, evaluated by DevTools: the test runner rewrites `import()` in test code, and the
 * page's policy refuses `eval`.)
 */
export async function waitForIdleLoads(page: Page, timeout = 30_000): Promise<void> {
  const urls = await (
    await page.waitForFunction(
      (names) => {
        const fetched = performance.getEntriesByType('resource').map((e) => e.name);
        const found = names.map((n) => fetched.find((u) => new RegExp(`/${n}-[\\w-]+\\.js$`).test(u)));
        return found.every(Boolean) ? found : null;
      },
      IDLE_CHUNKS,
      { timeout },
    )
  ).jsonValue();
  await page.evaluate(`Promise.all(${JSON.stringify(urls)}.map((u) => import(u))).then(() => true)`);
  await waitForStillness(page, timeout);
}
