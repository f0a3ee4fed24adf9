/**
 * wss:// in the built app: the TLS stories load only for a TLS lesson, the wss lesson opens at the
 * ClientHello, and the inspector's TLS panel shows the upgrade request's record as sent and as decrypted.
 */
import { parseLink } from '../../src/lesson/link';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import { setupBrowser } from './browser';
import { waitForIdleLoads, waitForStage } from './stage';

const e2e = setupBrowser();

/** The 1-based step at which the upgrade GET is on the wire in lesson=wss. */
function getStep(): number {
  const t = buildTimeline(parseLink('lesson=wss').state.scenario, ALL_STORIES);
  const get = t.packets.find((p) => p.app?.kind === 'http-request')!;
  return t.steps.findIndex((s) => s.packet === get.id && s.kind === 'transmit') + 1;
}

describe('wss:// in the browser', () => {
  it('loads the TLS stories for lesson=wss and opens at the ClientHello', async () => {
    const { page } = await e2e.page();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(e2e.url('?lesson=wss'));
    await waitForStage(page);
    await expect.poll(() => page.evaluate(() => document.body.innerText)).toContain('ClientHello');
    expect(requested.some((u) => /\/tlsStories-[^/]*\.js$/.test(u))).toBe(true);
  });

  it('the inspector shows the upgrade request as a TLS record and, beside it, the GET it decrypts to', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url(`?lesson=wss&step=${getStep()}`));
    await waitForStage(page);
    await page.getByRole('tab', { name: 'Packet bytes' }).click();
    const panel = page.locator('section.tls');
    await panel.waitFor({ state: 'visible' });
    const text = await panel.innerText();
    expect(text).toMatch(/type 23 \(application_data\) · 0x0303 · length \d+/);
    expect(text).toContain('GET /chat HTTP/1.1');
    expect(text).toMatch(/TLS adds 1 × 22 = 22 bytes/);
  });

  it('deflate=1 loads the same chunk (pako comes with it) and the inspector shows the compressed frame', async () => {
    const link = 'lesson=websocket&deflate=1';
    const t = buildTimeline(parseLink(link).state.scenario, ALL_STORIES);
    const hello = t.packets.find((p) => p.app?.kind === 'ws-frame' && p.app.opcode === 1)!;
    const step = t.steps.findIndex((s) => s.packet === hello.id && /RSV1 = 1/.test(s.text)) + 1;
    const { page } = await e2e.page();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(e2e.url(`?${link}&step=${step}`));
    await waitForStage(page);
    expect(step).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(() => document.body.innerText)).toContain('RSV1 = 1');
    expect(requested.some((u) => /\/tlsStories-[^/]*\.js$/.test(u))).toBe(true);
    await page.getByRole('tab', { name: 'Packet bytes' }).click();
    await expect.poll(() => page.evaluate(() => document.body.innerText)).toContain('compressed');
  });

  it('a lesson without TLS never downloads the TLS code', async () => {
    const { page } = await e2e.page();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(e2e.url('?lesson=websocket'));
    await waitForStage(page);
    await waitForIdleLoads(page);
    expect(requested.filter((u) => /\/(tlsStories|tlsKeys|TlsPanel)-[^/]*\.js$/.test(u))).toEqual([]);
  });
});
