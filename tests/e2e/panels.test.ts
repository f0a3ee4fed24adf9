/**
 * The panels' geometry, measured in the built app in real Chromium at 1280×720 and 1024×768 (the sizes a
 * classroom laptop or projector has): no tab hidden or cut, chart ticks and end labels that do not collide,
 * "lost" inside the sequence diagram, no layer row cut, the wire's caption never over "cable", and the
 * inspector's Accept and unmasking tables never cut by a box of their own; and the lifelines' names never under the
 * "Hide next" toggle (also at 1920×1080 and on a phone).
 */
import type { Page } from 'playwright-core';
import { setupBrowser } from './browser';
import { waitForStage, waitForStillness } from './stage';

const e2e = setupBrowser();

const SIZES = [
  [1280, 720],
  [1024, 768],
] as const;

interface Rect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly what: string;
}

async function open(page: Page, query: string): Promise<void> {
  await page.goto(e2e.url(`?${query}`));
  await waitForStage(page);
  await waitForStillness(page);
}

/** Pairs of boxes (by CSS selector, in the page) that overlap by more than half a pixel. */
async function collisions(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const boxes = [...document.querySelectorAll(sel)]
      .map((el) => ({ r: el.getBoundingClientRect(), what: (el.textContent ?? '').trim() }))
      .filter((b) => b.r.width > 0 && b.r.height > 0);
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 0.5 && y > 0.5) out.push(`${boxes[i]!.what} × ${boxes[j]!.what}`);
      }
    }
    return out;
  }, selector);
}

/** Each tab shows its whole label, inside the tab strip, left of whatever follows the strip. */
async function tabProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const strip = document.querySelector<HTMLElement>('[role="tablist"]')!;
    if (strip.scrollWidth > strip.clientWidth + 1)
      out.push(`tab strip scrolls (${strip.scrollWidth} > ${strip.clientWidth})`);
    const box = strip.getBoundingClientRect();
    const after = strip.nextElementSibling?.getBoundingClientRect();
    for (const tab of strip.querySelectorAll<HTMLElement>('[role="tab"]')) {
      const r = tab.getBoundingClientRect();
      const name = tab.getAttribute('aria-label');
      if (tab.scrollWidth > tab.clientWidth + 1) out.push(`${name} is cut`);
      if (r.right > box.right + 1) out.push(`${name} ends past the strip`);
      if (after && after.width > 0 && r.right > after.left + 1)
        out.push(`${name} runs under the next control`);
      const shown = [...tab.querySelectorAll<HTMLElement>('span')].find((s) => s.offsetWidth > 0);
      if (!shown?.textContent?.trim()) out.push(`${name} shows no label`);
    }
    return out;
  });
}

describe.each(SIZES)('at %i×%i', (width, height) => {
  const context = { viewport: { width, height }, reducedMotion: 'reduce' as const };

  it('no tab is hidden or cut: 3 or 4 tabs, enlarged or not, with "Check yourself" beside them', async () => {
    const { page } = await e2e.page({ context });
    for (const query of ['lesson=websocket&step=24', 'lesson=polling-vs-websocket&step=44']) {
      await open(page, query);
      expect(await tabProblems(page), query).toEqual([]);
      await page.getByRole('button', { name: 'Enlarge' }).click();
      await expect.poll(() => tabProblems(page), { message: `${query}, enlarged` }).toEqual([]);
      await page.getByRole('button', { name: 'Enlarge' }).click();
    }
    // The last step of the comparison: the chart open and the questions' button beside the tabs.
    await open(page, 'lesson=polling-vs-websocket&step=326');
    await page.getByRole('tab', { name: 'Polling vs WebSocket' }).click();
    await page.getByRole('button', { name: /^Check yourself/ }).waitFor();
    expect(await tabProblems(page)).toEqual([]);
    // The questions do not cover the chart.
    expect(await page.locator('.checks-card').count()).toBe(0);
  });

  it('chart ticks, end labels and axis titles do not collide', async () => {
    const { page } = await e2e.page({ context });
    await open(page, 'lesson=polling-vs-websocket&step=256');
    await page.getByRole('tab', { name: 'Polling vs WebSocket' }).click();
    await page.locator('.chart .tick-x').first().waitFor();
    for (const chart of [1, 2]) {
      const scope = `.comparison .chart:nth-of-type(${chart})`;
      expect(await collisions(page, `${scope} .tick-x`)).toEqual([]);
      expect(
        await collisions(page, `${scope} .series-label, ${scope} .axis-title, ${scope} .tick-x`),
      ).toEqual([]);
      expect(await page.locator(`${scope} .tick-x`).count()).toBeGreaterThanOrEqual(3);
    }
  });

  it('"lost" stays inside the sequence diagram', async () => {
    const { page } = await e2e.page({ context });
    for (const query of ['lesson=loss&step=19', 'lesson=loss&step=38', 'lesson=reconnect&step=105']) {
      await open(page, query);
      await page.locator('.lost-label').first().waitFor();
      const outside = await page.evaluate(() => {
        const box = document.querySelector('.ladder-scroll')!.getBoundingClientRect();
        return [...document.querySelectorAll('.lost-label')]
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5)
          .map((r) => `${r.left.toFixed(0)}–${r.right.toFixed(0)} outside ${box.left}–${box.right}`);
      });
      expect(await page.locator('.lost-label').count(), query).toBeGreaterThan(0);
      expect(outside, query).toEqual([]);
    }
  });

  it('no layer row is cut, even under the longest narration', async () => {
    const { page } = await e2e.page({ context });
    for (const query of ['lesson=websocket&step=64', 'lesson=polling-vs-websocket&step=326']) {
      await open(page, query);
      const cut = await page.evaluate(() => {
        const out: Rect[] = [];
        for (const row of document.querySelectorAll<HTMLElement>('.stack .layer')) {
          const r = row.getBoundingClientRect();
          for (const part of row.querySelectorAll<HTMLElement>(
            '.layer-num, .layer-name, .layer-sub, .layer-dir',
          )) {
            const p = part.getBoundingClientRect();
            if (p.width === 0 || p.height === 0) continue;
            if (p.top < r.top - 0.5 || p.bottom > r.bottom + 0.5)
              out.push({ left: p.left, right: p.right, top: p.top, bottom: p.bottom, what: part.className });
          }
        }
        return out;
      });
      expect(cut, query).toEqual([]);
    }
  });

  it('the wire caption is never over "cable"', async () => {
    const { page } = await e2e.page({ context });
    for (let step = 2; step <= 12; step++) {
      await open(page, `lesson=websocket&step=${step}`);
      expect(await collisions(page, '.wire .unit-change, .wire .cable-label'), `step ${step}`).toEqual([]);
    }
  });

  it('the Accept and unmasking tables are never cut by a scroll box of their own', async () => {
    const { page } = await e2e.page({ context });
    for (const [query, field, table] of [
      ['lesson=websocket&step=50', /^Sec-WebSocket-Accept/, '.explain.accept'],
      ['lesson=websocket&step=78', /^Masking key/, '.explain.mask'],
    ] as const) {
      await open(page, query);
      await page.getByRole('tab', { name: 'Packet bytes' }).click();
      await page.getByRole('option', { name: field }).first().click();
      await page.locator(table).waitFor();
      const nested = await page.evaluate((sel) => {
        const out: string[] = [];
        const column = document.querySelector('.inspector-column')!;
        for (let el = document.querySelector(sel); el && el !== column; el = el.parentElement) {
          if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
            out.push(
              `${el.className}: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`,
            );
        }
        for (const el of document.querySelectorAll(`${sel} *`)) {
          const s = getComputedStyle(el);
          if (/auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1)
            out.push(el.className);
        }
        return out;
      }, table);
      expect(nested, query).toEqual([]);
      // Selecting the field brings the table into the column's window right below the field's sentence: whole
      // when it fits there, else its top (the rest scrolls with the same column, no box of its own).
      const fits = await page.evaluate((sel) => {
        const t = document.querySelector(sel)!.getBoundingClientRect();
        const c = document.querySelector('.inspector-column')!.getBoundingClientRect();
        const d = document.querySelector('.field-detail')!.getBoundingClientRect();
        const room = c.bottom - d.bottom;
        const below = t.top >= d.bottom - 1 && t.top <= d.bottom + 12;
        return below && (t.height > room || t.bottom <= c.bottom + 1);
      }, table);
      expect(fits, query).toBe(true);
    }
  });
});

// At 1920×1080 the "Server" name sat under the "Hide next" eye in the diagram's corner (the root font grows
// with the window, the lifelines' margin does not).
it.each([
  [1920, 1080, 'lesson=websocket&step=13'],
  [1280, 720, 'lesson=websocket&step=13'],
  [1920, 1080, 'lesson=emit'],
  [390, 844, 'lesson=websocket&step=13'],
])(
  'at %i×%i the lifelines’ names are never under the "Hide next" toggle (%s)',
  async (width, height, query) => {
    const { page } = await e2e.page({ context: { viewport: { width, height }, reducedMotion: 'reduce' } });
    await open(page, query);
    if (width < 700) await page.getByRole('tab', { name: 'Diagram' }).click();
    const toggle = page.getByRole('button', { name: 'Hide next packets' });
    await toggle.waitFor();
    const heads = page.locator('.ladder-head');
    expect(await heads.count()).toBeGreaterThanOrEqual(2);
    const eye = (await toggle.boundingBox())!;
    for (const head of await heads.all()) {
      const r = (await head.boundingBox())!;
      const name = await head.textContent();
      const overlap = Math.min(r.x + r.width, eye.x + eye.width) - Math.max(r.x, eye.x);
      const overlapY = Math.min(r.y + r.height, eye.y + eye.height) - Math.max(r.y, eye.y);
      expect(overlap > 0.5 && overlapY > 0.5, `${name}: ${r.x}–${r.x + r.width} vs eye ${eye.x}`).toBe(false);
      // Still whole: no head is cut by the change.
      expect(await head.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${name} is cut`).toBe(true);
    }
  },
);
