/**
 * Links that open from real hosting. Static hosts limit the request line: nginx's default
 * `large_client_header_buffers 4 8k` answers `414 URI Too Long` beyond 8 192 bytes, and the page never opens.
 * Here the build is served by scripts/serve.ts with that same limit (`maxRequestLine`), and a fresh visitor (a
 * new context, service workers blocked, so nothing answers from a cache) opens the links Wirewalk writes: they
 * must open at the same step, with the same narration (which quotes this run's real bytes: sequence numbers,
 * lengths, keys), as the same scenario opened from a server without a limit.
 *
 * And a lesson's bare link (`?lesson=<id>`, no `step=`) opens at the lesson's own start, exactly where choosing
 * the lesson from the menu lands.
 */
import type { Page } from 'playwright-core';
import { LESSONS, lessonScenario } from '../../src/lesson/catalogue';
import { DEFAULT_VIEW, LINK_BUDGET, writeLink, type LinkState } from '../../src/lesson/link';
import type { ScenarioMessage } from '../../src/sim/scenario';
import { serveStatic, type StaticServer } from '../../scripts/serve';
import { DIST, setupBrowser, squash } from './browser';
import { noticeText, position, waitForStage } from './stage';

/** nginx's default: the request line must fit one 8 KiB buffer. */
const NGINX_REQUEST_LINE = 8192;

const e2e = setupBrowser();
let limited: StaticServer | undefined;

beforeAll(async () => {
  limited = await serveStatic({ root: DIST, maxRequestLine: NGINX_REQUEST_LINE });
});
afterAll(async () => {
  await limited?.close();
});

function limitedUrl(link: string): string {
  if (!limited) throw new Error('the limited server is not ready');
  return limited.url + link;
}

/** What a visitor sees: the step, its title and the narration's text. */
async function seen(page: Page): Promise<{ step: number; count: number; title: string; text: string }> {
  const at = await waitForStage(page, 60_000);
  const text = squash(await page.locator('section[aria-labelledby="narration-title"]').innerText());
  return { ...at, text };
}

/** Open `url` as a first-time visitor: a new context with service workers blocked. */
async function visit(url: string): Promise<{ page: Page; status: number | undefined }> {
  const { page } = await e2e.page({ context: { serviceWorkers: 'block' } });
  const response = await page.goto(url, { timeout: 120_000 });
  return { page, status: response?.status() };
}

/** The link in the address bar, as the part after the site's root ('?…' and '#…'). */
function linkOf(page: Page): string {
  const url = new URL(page.url());
  return url.search + url.hash;
}

/** The same link opened from a server without a limit, and Wirewalk's link from the 8 KB one: same view. */
async function sameFromBothServers(wirewalkLink: string, plainLink: string): Promise<void> {
  const reference = await visit(e2e.url(plainLink));
  expect(reference.status).toBe(200);
  const want = await seen(reference.page);

  const fresh = await visit(limitedUrl(wirewalkLink));
  expect(fresh.status).toBe(200);
  // The lesson's aside comes with its lazily loaded content: wait for the view to settle, not for a time.
  await expect.poll(async () => seen(fresh.page), { timeout: 30_000 }).toEqual(want);
  expect(await noticeText(fresh.page)).toBe('');
}

describe('links from a host with an 8 KB request line (nginx defaults)', () => {
  it('the server really refuses a long query (so the tests below can fail)', async () => {
    const long = `?lesson=websocket&m=c:${'a'.repeat(9000)}`;
    const response = await fetch(limitedUrl(long));
    expect(response.status).toBe(414);
    expect((await fetch(limitedUrl('?lesson=websocket'))).status).toBe(200);
  });

  it('six 2 000-character messages typed into the composer', async () => {
    const { page } = await visit(e2e.url('?lesson=frames&step=3'));
    await waitForStage(page);
    const box = page.getByRole('textbox', { name: 'Message' });
    for (let i = 0; i < 6; i++) {
      await box.fill(`${i} `.padEnd(2000, 'abcdefghij'.charAt(i)));
      await page.getByRole('button', { name: 'Send from client' }).click();
    }
    // The address bar settles on the link of what is shown (it is written at most every few seconds while
    // things change, then once they stop).
    const shown = await position(page);
    await expect
      .poll(() => new URL(page.url()).searchParams.get('step'), { timeout: 30_000 })
      .toBe(String(shown.step));
    expect(page.url()).toMatch(/#z=/);
    const link = linkOf(page);
    expect(link.split('#')[0]!.length).toBeLessThanOrEqual(LINK_BUDGET);
    const want = await seen(page);

    const fresh = await visit(limitedUrl(link));
    expect(fresh.status).toBe(200);
    expect(await seen(fresh.page)).toEqual(want);
    expect(await noticeText(fresh.page)).toBe('');
  });

  it('a 20 000-character message', async () => {
    const messages: ScenarioMessage[] = [{ from: 'c', text: 'é'.repeat(20_000) }];
    const scenario = { ...lessonScenario('websocket'), messages };
    const link = wirewalkLink({ scenario, view: { ...DEFAULT_VIEW, step: 30 } });
    expect(link).toMatch(/#z=/);
    const plain = `?lesson=websocket&m=c:${encodeURIComponent('é'.repeat(20_000))}&step=30`;
    await sameFromBothServers(link, plain);
  });

  it('1 000 messages', async () => {
    const messages: ScenarioMessage[] = Array.from({ length: 1000 }, (_, i) => ({
      from: i % 2 === 0 ? 'c' : 's',
      text: `message ${i} `.padEnd(100, 'abcdefghijklmnopqrstuvwxyz'.charAt(i % 26)),
    }));
    const scenario = { ...lessonScenario('websocket'), messages };
    const link = wirewalkLink({ scenario, view: { ...DEFAULT_VIEW, step: 500 } });
    expect(link).toMatch(/#z=/);
    const plain =
      '?lesson=websocket&' +
      messages.map((m) => `m=${m.from}:${encodeURIComponent(m.text)}`).join('&') +
      '&step=500';
    await sameFromBothServers(link, plain);
  });
});

describe('a lesson’s bare link', () => {
  it('opens every lesson where choosing it from the menu does', async () => {
    for (const [i, lesson] of LESSONS.entries()) {
      const { page } = await visit(e2e.url(`?lesson=${lesson.id}`));
      const opened = await waitForStage(page, 60_000);
      await page.context().close();

      // Choose it from the menu of another lesson's page.
      const other = LESSONS[(i + 1) % LESSONS.length]!;
      const { page: menu } = await visit(e2e.url(`?lesson=${other.id}`));
      await waitForStage(menu, 60_000);
      await menu.getByRole('combobox', { name: 'Lesson' }).selectOption(lesson.id);
      await expect
        .poll(async () => ({ lesson: lesson.id, ...(await position(menu)) }), { timeout: 30_000 })
        .toEqual({ lesson: lesson.id, ...opened });
      await menu.context().close();
    }
  });
});

/** The link Wirewalk writes for a state, as the share dialog and the address bar do. */
function wirewalkLink(state: LinkState): string {
  return `?${writeLink(state, { includeStep: true, includeView: true })}`;
}
