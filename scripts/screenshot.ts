/**
 * Screenshots of the built app in real headless Chromium, at 1280×720 and 1024×768.
 *
 *   npm run screenshot                 # build, serve, shoot into /tmp/shots
 *   npm run screenshot -- --out DIR    # elsewhere
 *   npm run screenshot -- --readme     # also copy the README picture to docs/screenshot.png
 *   npm run screenshot -- --no-build   # reuse dist/
 *
 * Chromium: CHROMIUM=/path (default /usr/bin/chromium). The preview server runs on port 4173 and is stopped
 * when the script ends. Reduced motion is emulated so no shot catches an animation half-way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const PORT = 4173;
const BASE = `http://localhost:${PORT}/`;
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const OUT = resolve(outIndex >= 0 ? args[outIndex + 1]! : '/tmp/shots');
const README_SHOT = '1280x720-walk';

interface Shot {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly query: string;
  /** Clicks and keys after load, to open a panel or select a field. */
  readonly then?: (page: Page) => Promise<void>;
}

const openBytes = async (page: Page) => {
  await page.getByRole('tab', { name: 'Packet bytes' }).click();
};
const selectField = (name: RegExp) => async (page: Page) => {
  await openBytes(page);
  // A click event rather than a pointer click: the sticky layer titles may cover the option's centre.
  await page.getByRole('option', { name }).first().dispatchEvent('click');
};

const SHOTS: readonly Shot[] = [
  { name: '1280x720-start', width: 1280, height: 720, query: 'lesson=websocket' },
  { name: README_SHOT, width: 1280, height: 720, query: 'lesson=websocket&step=60' },
  { name: '1280x720-signal', width: 1280, height: 720, query: 'lesson=websocket&step=63' },
  {
    name: '1280x720-inspector',
    width: 1280,
    height: 720,
    query: 'lesson=websocket&step=46',
    then: selectField(/^Sec-WebSocket-Accept/),
  },
  {
    name: '1280x720-masked',
    width: 1280,
    height: 720,
    query: 'lesson=websocket&step=64',
    then: selectField(/^Masking key/),
  },
  {
    name: '1280x720-code',
    width: 1280,
    height: 720,
    query: 'lesson=websocket&step=72',
    then: async (page) => page.getByRole('tab', { name: 'Code & console' }).click(),
  },
  {
    name: '1280x720-dark',
    width: 1280,
    height: 720,
    query: 'lesson=websocket&step=21',
    then: async (page) => page.getByRole('button', { name: 'Dark theme' }).click(),
  },
  {
    name: '1280x720-enlarged',
    width: 1280,
    height: 720,
    query: 'lesson=websocket&step=46',
    then: async (page) => {
      await selectField(/^Sec-WebSocket-Accept/)(page);
      await page.getByRole('button', { name: 'Enlarge' }).click();
    },
  },
  { name: '1024x768-walk', width: 1024, height: 768, query: 'lesson=websocket&step=60' },
  {
    name: '1024x768-inspector',
    width: 1024,
    height: 768,
    query: 'lesson=websocket&step=64',
    then: selectField(/^Masking key/),
  },
  { name: '1024x768-teardown', width: 1024, height: 768, query: 'lesson=websocket&step=106' },
];

async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`preview server did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  if (!args.includes('--no-build')) {
    const build = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  mkdirSync(OUT, { recursive: true });
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  const stopServer = () => {
    // The npx wrapper starts vite in its own process group: stop the whole group, and only it.
    if (server.pid !== undefined) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitForServer(BASE, 20_000);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      for (const shot of SHOTS) {
        const page = await browser.newPage({
          viewport: { width: shot.width, height: shot.height },
          reducedMotion: 'reduce',
          colorScheme: 'light',
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.goto(`${BASE}?${shot.query}`, { waitUntil: 'networkidle' });
        await shot.then?.(page);
        await page.waitForTimeout(300);
        const path = join(OUT, `${shot.name}.png`);
        await page.screenshot({ path });
        console.log(path + (errors.length ? `  (page errors: ${errors.join(' | ')})` : ''));
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    stopServer();
  }
  if (args.includes('--readme')) {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    copyFileSync(join(OUT, `${README_SHOT}.png`), join(ROOT, 'docs', 'screenshot.png'));
    console.log(join(ROOT, 'docs', 'screenshot.png'));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
