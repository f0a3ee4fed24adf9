/**
 * Where a key press's time goes: a Chromium performance trace (categories devtools.timeline) of stepping a
 * scenario of the built app, summed per key press into script, style, layout and paint, as DevTools' summary
 * has them (each trace event's own time, without the events nested in it). Not a test, and not part of
 * `npm run bench`: a tool for finding what to make faster. The machine is printed beside the figures, with
 * its load average before and after (the figures are only comparable between runs on the same machine under a
 * similar load; compare builds in alternating runs).
 *
 *   npx tsx scripts/profile-step.ts [--dist DIR] [--scenario websocket|long|thousand] [--keys N]
 *     [--key ArrowRight] [--skip N] [--out trace.json] [--categories a,b]
 *
 * websocket: `?lesson=websocket` (the lesson as a class opens it); long: the websocket lesson with 80 short
 * messages (586 steps, the lesson scripts/bench.ts steps through); thousand: 1 000 messages of 1 KB, as
 * scripts/bench.ts's big scenario (links written by the app's own writer). `--skip N` presses N keys first,
 * untraced (to step past the lesson's opening); then N keys (default 40) are pressed and traced one at a time,
 * each after the previous one's frame has been painted. `--out` keeps the raw trace for DevTools. `--categories`
 * traces more (e.g. disabled-by-default-v8.cpu_profiler for JS samples, blink_style for style's own parts).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { lessonScenario } from '../src/lesson/catalogue';
import { DEFAULT_VIEW, writeLink } from '../src/lesson/link';
import type { ScenarioMessage } from '../src/sim/scenario';
import { launchChromium } from './e2e-chromium';
import { serveStatic } from './serve';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly data?: { readonly type?: string }; readonly name?: string };
}

/** DevTools' summary categories (front_end/panels/timeline/TimelineUIUtils: eventStyles), for the names a step produces. */
const GROUP: Readonly<Record<string, 'script' | 'style' | 'layout' | 'paint' | 'gc'>> = {
  EventDispatch: 'script',
  FunctionCall: 'script',
  EvaluateScript: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  RunMicrotasks: 'script',
  'v8.execute': 'script',
  'V8.Execute': 'script',
  'v8.compile': 'script',
  'v8.compileModule': 'script',
  'v8.evaluateModule': 'script',
  ResizeObserverController: 'script',
  'ResizeObserverController::DeliverObservations': 'script',
  UpdateLayoutTree: 'style',
  RecalculateStyles: 'style',
  ParseAuthorStyleSheet: 'style',
  Layout: 'layout',
  UpdateLayerTree: 'layout',
  'IntersectionObserverController::computeIntersections': 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  PaintImage: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  CompositeLayers: 'paint',
  Commit: 'paint',
  MajorGC: 'gc',
  MinorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'V8.GC_MARK_COMPACTOR': 'gc',
  BlinkGC: 'gc',
};

type Group = (typeof GROUP)[string] | 'other';
const GROUPS: readonly Group[] = ['script', 'style', 'layout', 'paint', 'gc', 'other'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function messages(count: number, bytes: number): ScenarioMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `Message ${String(i + 1).padStart(4, '0')} `;
    const text = head + 'abcdefghijklmnopqrstuvwxyz'.repeat(64).slice(0, bytes - head.length);
    return { from: i % 2 ? 's' : 'c', text };
  });
}

function link(scenario: string): string {
  if (scenario === 'websocket') return '?lesson=websocket';
  const msgs = scenario === 'long' ? messages(80, 24) : scenario === 'thousand' ? messages(1000, 1024) : null;
  if (!msgs) throw new Error(`--scenario: websocket, long or thousand, not ${scenario}`);
  const written = writeLink(
    { scenario: { ...lessonScenario('websocket'), messages: msgs }, view: DEFAULT_VIEW },
    { includeStep: true, includeView: true },
  );
  return written.startsWith('?') || written.startsWith('#') ? written : `?${written}`;
}

/** In the page before its scripts: counts key presses whose next frame has been painted. */
const PAINT_COUNTER = `(() => {
  window.__painted = 0;
  window.addEventListener('keydown', () => requestAnimationFrame(() => {
    const c = new MessageChannel();
    c.port1.onmessage = () => { window.__painted++; };
    c.port2.postMessage(null);
  }), { capture: true });
})();`;

/** Presses `key` and resolves once the frame after it has been painted (rAF, then a task after that frame). */
async function pressAndPaint(page: Page, key: string): Promise<void> {
  type Counted = Window & { __painted: number };
  const n = await page.evaluate(() => (window as unknown as Counted).__painted);
  await page.keyboard.press(key);
  await page.waitForFunction((m) => (window as unknown as Counted).__painted > m, n, {
    polling: 'raf',
    timeout: 30_000,
  });
}

/** Own time (ms) per group on the renderer's main thread: each complete event minus the events nested in it. */
function summarise(events: readonly TraceEvent[]): Record<Group, number> & { forcedLayouts: number } {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mine = events
    .filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const totals = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  let forcedLayouts = 0;
  // A stack of open events: an event's own time is its duration minus its children's.
  const stack: { readonly end: number; readonly group: Group | null; own: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= upTo) {
      const done = stack.pop()!;
      if (done.group) totals[done.group] += done.own / 1000;
    }
  };
  for (const e of mine) {
    close(e.ts);
    const group: Group | null =
      GROUP[e.name] ?? (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask' ? null : 'other');
    const parent = stack[stack.length - 1];
    if (parent) parent.own -= e.dur!;
    if (e.name === 'Layout' && stack.some((s) => s.group === 'script')) forcedLayouts++;
    // Time under a task that no named event covers is not counted (idle gaps, the task's own bookkeeping).
    stack.push({ end: e.ts + e.dur!, group, own: e.dur! });
  }
  close(Infinity);
  return { ...totals, forcedLayouts };
}

async function main(): Promise<void> {
  const dist = resolve(arg('--dist') ?? join(import.meta.dirname, '..', 'dist'));
  const scenario = arg('--scenario') ?? 'websocket';
  const keys = Number(arg('--keys') ?? 40);
  const skip = Number(arg('--skip') ?? 0);
  const key = arg('--key') ?? 'ArrowRight';
  const out = arg('--out');
  const loadBefore = loadavg();
  const server = await serveStatic({ root: dist });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.addInitScript({ content: PAINT_COUNTER });
    await page.goto(server.url + link(scenario), { timeout: 180_000 });
    await page.waitForFunction(
      // A long scenario opens with its first steps ("Step 1 of …") and simulates the rest in slices between
      // frames (src/state/opening.ts): wait for the whole timeline, or the slices would be traced as key work.
      () =>
        /^Step \d+ of \d+/.test(
          document.querySelector('input[type="range"][aria-label="Step"]')?.getAttribute('aria-valuetext') ??
            '',
        ) && !document.querySelector('.stage-centre[aria-busy="true"]'),
      null,
      { timeout: 180_000, polling: 100 },
    );
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
    for (let i = 0; i < skip; i++) await pressAndPaint(page, key);
    const before = await page
      .getByRole('slider', { name: 'Step', exact: true })
      .getAttribute('aria-valuetext');
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        // The JS stack of each forced layout and style recalculation (what DevTools shows as "initiator").
        'disabled-by-default-devtools.timeline.stack',
        ...(arg('--categories')?.split(',') ?? []),
      ],
    });
    const t0 = Date.now();
    for (let i = 0; i < keys; i++) await pressAndPaint(page, key);
    const wall = Date.now() - t0;
    const trace = await browser.stopTracing();
    const after = await page
      .getByRole('slider', { name: 'Step', exact: true })
      .getAttribute('aria-valuetext');
    if (out) writeFileSync(out, trace);
    const { traceEvents } = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] };
    const sums = summarise(traceEvents);
    const per = (ms: number) => (ms / keys).toFixed(2).padStart(7);
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    console.log(`machine: ${cpu}, ${cpus().length} CPUs, Chromium ${browser.version()}`);
    console.log(
      `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`${scenario}: ${keys} × ${key}, from "${before?.slice(0, 60)}" to "${after?.slice(0, 60)}"`);
    console.log(
      `ms per key press (own time on the main thread; wall ${(wall / keys).toFixed(1)} ms per key):`,
    );
    for (const g of GROUPS) console.log(`  ${g.padEnd(7)}${per(sums[g])}`);
    const total = GROUPS.reduce((a, g) => a + sums[g], 0);
    console.log(`  ${'total'.padEnd(7)}${per(total)}`);
    console.log(`  forced layouts (Layout inside script): ${(sums.forcedLayouts / keys).toFixed(2)} per key`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
