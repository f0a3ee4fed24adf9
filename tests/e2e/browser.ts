/**
 * The browser-test harness: the built site on a local static server and Debian's Chromium through
 * playwright-core, one browser per test file. `page()` gives a fresh context and page per test; the test fails
 * if that page logs a console error or throws (a page error), unless the error matches `allowErrors`.
 * Chromium: see scripts/e2e-chromium.ts.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { launchChromium } from '../../scripts/e2e-chromium';
import { serveStatic, type StaticServer } from '../../scripts/serve';

export { launchChromium };

export const ROOT = resolve(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const DIST_SINGLE = join(ROOT, 'dist-single');

export function requireBuild(dir: string, file: string, command: string): string {
  const path = join(dir, file);
  if (!existsSync(path))
    throw new Error(`${path} is missing: run \`${command}\` first (npm run test:e2e does)`);
  return path;
}

export interface PageOptions {
  readonly context?: BrowserContextOptions;
  /** Console errors this test provokes on purpose. */
  readonly allowErrors?: readonly RegExp[];
}

export interface OpenPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and page errors seen so far (the test fails at its end if any is not allowed). */
  readonly errors: string[];
}

export interface E2E {
  readonly browser: Browser;
  readonly server: StaticServer;
  /** The site's URL (ends in '/'), plus an optional query such as '?lesson=websocket'. */
  url(query?: string): string;
  page(options?: PageOptions): Promise<OpenPage>;
}

/**
 * Register beforeAll/afterAll hooks for one test file: a server for `root` under `prefix`, and one browser.
 * Read the returned object's members inside tests (they exist once beforeAll has run).
 */
export function setupBrowser(options: { readonly root?: string; readonly prefix?: string } = {}): E2E {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;
  const root = options.root ?? DIST;

  beforeAll(async () => {
    requireBuild(root, 'index.html', 'npm run build');
    server = await serveStatic({ root, prefix: options.prefix ?? '/' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use it inside a test`);
    return value;
  };

  return {
    get browser() {
      return need(browser, 'the browser');
    },
    get server() {
      return need(server, 'the server');
    },
    url(query = '') {
      return need(server, 'the server').url + query;
    },
    page(pageOptions = {}) {
      return freshPage(need(browser, 'the browser'), pageOptions);
    },
  };
}

/** A new context and page that fail the current test on any console error or page error. */
export async function freshPage(browser: Browser, options: PageOptions = {}): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options.context });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url
      ? ` (${message.location().url}:${message.location().lineNumber})`
      : '';
    errors.push(`console.error: ${message.text()}${where}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  onTestFinished(async () => {
    await context.close();
    const unexpected = errors.filter((e) => !(options.allowErrors ?? []).some((re) => re.test(e)));
    if (unexpected.length) {
      throw new Error(`the page reported ${unexpected.length} error(s):\n${unexpected.join('\n')}`);
    }
  });
  return { page, context, errors };
}

/** The value a string would have after innerText's whitespace collapsing, for comparing sentences. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
