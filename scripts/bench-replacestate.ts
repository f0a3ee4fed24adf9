/**
 * What history.replaceState costs the page's main thread, by the length of the address: the figures behind
 * src/app/urlSync.ts (when it writes, and LONG_LINK). Not a test and not part of `npm run bench`: prints the
 * machine, then per address length the median and maximum of 11 calls, spaced (150 ms apart, as stepping at a
 * reader's pace writes) and back to back (as a burst would, were it not held back).
 *
 *   npx tsx scripts/bench-replacestate.ts
 */
import { cpus, loadavg } from 'node:os';
import { launchChromium } from './e2e-chromium';

const LENGTHS = [100, 2_000, 10_000, 22_000, 50_000, 100_000];
const CALLS = 11;

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    // tsx compiles with esbuild's keepNames, which wraps named functions in a `__name` helper the page lacks.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    // Any http page will do (replaceState needs a URL it may change): one answered by the test itself.
    await page.route('http://wirewalk.test/**', (route) => route.fulfill({ body: '<title>x</title>' }));
    await page.goto('http://wirewalk.test/');
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    console.log(`machine: ${cpu}, ${cpus().length} CPUs, Chromium ${browser.version()}`);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log('address length   spaced: median / max   back to back: median / max (ms)');
    for (const length of LENGTHS) {
      const [spaced, burst] = await page.evaluate(
        async ([length, calls]) => {
          const body = 'x'.repeat(length);
          const time = async (gapMs: number) => {
            const took: number[] = [];
            for (let i = 0; i < calls; i++) {
              if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
              const t0 = performance.now();
              history.replaceState(null, '', `/?${body}${i}${gapMs}`);
              took.push(performance.now() - t0);
            }
            took.sort((a, b) => a - b);
            return [took[Math.floor(calls / 2)]!, took[calls - 1]!] as const;
          };
          return [await time(150), await time(0)] as const;
        },
        [length, CALLS] as const,
      );
      const f = ([median, max]: readonly [number, number]) => `${median.toFixed(1)} / ${max.toFixed(1)}`;
      console.log(`${String(length).padStart(14)}   ${f(spaced).padStart(20)}   ${f(burst).padStart(26)}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
