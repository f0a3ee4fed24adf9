import type { Page } from 'playwright-core';
import { LINK_PARAMS, parseLink } from '../../src/lesson/link';
import { squash, setupBrowser } from './browser';
import { watchViolations } from './policy';
import { blurControls, noticeText, position, waitForStage } from './stage';

/**
 * Links are typed, pasted and forwarded by anyone: whatever a link holds, the page opens, shows a step, says what
 * it changed, and runs none of it. Every payload tries to set window.__pwned.
 */
const e2e = setupBrowser();

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  "javascript:window.__pwned=1//'",
];
const enc = encodeURIComponent;

/** Every parameter of the link's own table (a new one is attacked here by itself), `m` from each side. */
function everyParameter(payload: string): string {
  const pairs = LINK_PARAMS.flatMap((p) =>
    p.kind === 'messages'
      ? ['c', 's', 'x'].map((side) => `${p.name}=${side}:${enc(payload)}`)
      : [`${p.name}=${enc(payload)}`],
  );
  return `?${[...pairs, `${enc(payload)}=1`].join('&')}#${enc(payload)}`;
}

const CASES: ReadonlyArray<{ readonly name: string; readonly query: string; readonly timeout?: number }> = [
  ...PAYLOADS.map((p, i) => ({
    name: `payload ${i + 1} in every parameter, a name and the fragment`,
    query: everyParameter(p),
  })),
  {
    name: 'markup in valid messages and event name',
    query: `?lesson=socketio&ev=${enc(PAYLOADS[1]!)}&m=c:${enc(PAYLOADS[0]!)}&m=s:${enc(PAYLOADS[2]!)}`,
  },
  { name: 'a 1 MB message', query: `?m=c:${enc(PAYLOADS[1]!)}${'x'.repeat(1 << 20)}`, timeout: 120_000 },
  {
    name: 'invalid percent-encoding',
    query: '?lesson=websocket&m=c:100%ZZ&m=s:%E0%A4%A&mss=%&seed=%FF%FE&%zz=1&%=%',
  },
  { name: '5000 parameters', query: `?${Array.from({ length: 5000 }, (_, i) => `x${i}=${i}`).join('&')}` },
  {
    name: '5001 messages',
    query: `?${Array.from({ length: 5001 }, (_, i) => `m=${'cs'[i % 2]}:${i}`).join('&')}`,
    timeout: 120_000,
  },
  {
    name: 'negative, NaN and huge numbers',
    query:
      '?seed=-1&mss=NaN&frag=1e309&loss=-1,NaN,99999999999999999999&clients=-0&interval=Infinity&step=-5&from=NaN&to=1e400&drop=0x10&ping=2',
  },
  { name: 'a step far past the end', query: '?lesson=websocket&step=99999999999999999999' },
  {
    name: 'unknown lessons and prototype names',
    query: '?lesson=__proto__&__proto__=1&constructor=1&toString=1&hasOwnProperty=x',
  },
  { name: 'an unknown lesson', query: '?lesson=tcp' },
  { name: 'empty and odd separators', query: '?&&=&==&m&m=&lesson&;&%26=%3D' },
];

async function attackSurface(page: Page) {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: document.scripts.length,
    handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
    planted: document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript:"]').length,
    text: document.body.innerText.length,
  }));
}

describe('hostile links', () => {
  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const { page } = await e2e.page();
        const violations = await watchViolations(page);
        await page.goto(e2e.url(c.query), { timeout: c.timeout ?? 60_000 });
        const at = await waitForStage(page, c.timeout ?? 60_000);
        expect(at.count).toBeGreaterThan(1);

        // The page says what it changed: every problem parseLink reports for this address is in the notice.
        const { problems } = parseLink(page.url());
        const notice = squash(await noticeText(page));
        for (const problem of problems) expect(notice).toContain(squash(problem.message));
        if (problems.length) await expect.poll(() => page.getByRole('status').first().isVisible()).toBe(true);

        // Walk to the end and back, through every view of the payload.
        await blurControls(page);
        for (let i = 0; i < Math.min(at.count - at.step, 40); i++) await page.keyboard.press('ArrowRight');
        await page.keyboard.press('End');
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowRight');
        await expect.poll(async () => (await position(page)).step).toBe(2);

        const surface = await attackSurface(page);
        expect(surface).toMatchObject({ pwned: undefined, scripts: 1, handlers: 0, planted: 0 });
        expect(surface.text).toBeGreaterThan(200);
        expect(await violations()).toEqual([]);
      },
      c.timeout ?? 60_000,
    );
  }
});
