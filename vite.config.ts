import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { defineConfig } from 'vitest/config';

/**
 * Builds:
 * - `vite build` → dist/: relative base, so the site works from any sub-path; a Content-Security-Policy meta;
 *   a service worker (src/app/sw.ts → dist/sw.js) that precaches every file of the build for offline use.
 * - `vite build --mode single` → dist-single/wirewalk.html: one self-contained file that works from file://
 *   (scripts and styles inlined by vite-plugin-singlefile, allowed by their sha256 hashes in its CSP; no service
 *   worker, and captures are read without a Web Worker).
 * - dev server: no CSP (React Refresh injects an inline preamble) and no worker.
 * tests/e2e checks all of this in Chromium.
 */

/**
 * The policy. script-src 'self' only: the built HTML loads one module script and no inline code, and nothing evals.
 * style-src 'self' too, without 'unsafe-inline': the stylesheet is a file, and React and d3 set styles through
 * the CSSOM (element.style), which CSP does not govern; only `<style>` elements and `style="…"` in markup would
 * need 'unsafe-inline', and the build refuses HTML that has them (assertNoInlineCode). img-src allows data: and
 * blob: for generated images and downloads. object-src, base-uri and form-action are closed: the app embeds no
 * plugins, needs no <base> (its paths are relative to the page), and submits no forms to anywhere.
 * frame-ancestors cannot be set from a meta tag (CSP3 §6.4.2); a host that wants it sends it as a header.
 */
const POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

const SINGLE_FILE_NAME = 'wirewalk.html';
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const SW_ENTRY = fileURLToPath(new URL('./src/app/sw.ts', import.meta.url));
const SW_FILE = 'sw.js';
/** The global in sw.ts that the build replaces with the precache list (see sw.ts). */
const SW_PRECACHE_TOKEN = '__WIREWALK_PRECACHE__';

function serialisePolicy(policy: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(policy)
    .map(([directive, sources]) => [directive, ...sources].join(' '))
    .join('; ');
}

/** Put the policy right after `<meta charset>`: a meta policy governs only what the parser meets after it. */
function withCspMeta(html: string, policy: string): string {
  const charset = /<meta\s+charset=[^>]*>/i;
  if (!charset.test(html))
    throw new Error('index.html needs a <meta charset>; the CSP meta goes right after it');
  return html.replace(
    charset,
    (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`,
  );
}

/** Inline elements of one kind (not those loading a file), with their exact text. */
function inlineBodies(html: string, tag: 'script' | 'style'): string[] {
  const re = new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'gi');
  return [...html.matchAll(re)].filter((m) => !/\ssrc\s*=/i.test(m[1] ?? '')).map((m) => m[2] ?? '');
}

/** CSP3 §8.3: a hash source is the base64 SHA-256 of the element's text, UTF-8 encoded. */
function hashSources(bodies: readonly string[]): string[] {
  return [
    ...new Set(bodies.map((b) => `'sha256-${createHash('sha256').update(b, 'utf8').digest('base64')}'`)),
  ];
}

/** The normal build's HTML must carry no code the policy would block, or the page would silently lose it. */
function assertNoInlineCode(html: string): void {
  const found: string[] = [];
  if (inlineBodies(html, 'script').some((b) => b.trim() !== '')) found.push('an inline <script>');
  if (inlineBodies(html, 'style').length) found.push('a <style> element');
  if (/<[^>]+\sstyle\s*=/i.test(html)) found.push('a style="…" attribute');
  if (/<[^>]+\son[a-z]+\s*=/i.test(html)) found.push('an inline event handler');
  if (found.length) {
    throw new Error(
      `index.html has ${found.join(', ')}, which its Content-Security-Policy blocks: move it to a file`,
    );
  }
}

function cspPlugin(): Plugin {
  return {
    name: 'wirewalk:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        assertNoInlineCode(html);
        return withCspMeta(html, serialisePolicy(POLICY));
      },
    },
  };
}

/**
 * Apply `edit` to the markup only: the text of inline scripts and styles (which may well quote markup) is set
 * aside behind private-use placeholders and put back unchanged.
 */
async function editMarkup(html: string, edit: (markup: string) => Promise<string> | string): Promise<string> {
  const bodies: string[] = [];
  const skeleton = html.replace(
    /(<(script|style)\b[^>]*>)([\s\S]*?)(<\/\2>)/gi,
    (_m, open, _tag, body, close) => {
      bodies.push(body as string);
      return `${open}\uE000${bodies.length - 1}\uE000${close}`;
    },
  );
  return (await edit(skeleton)).replace(/\uE000(\d+)\uE000/g, (_m, i) => bodies[Number(i)] ?? '');
}

/**
 * Files from public/ that the HTML links to (the icon) become data: URLs: vite-plugin-singlefile inlines only
 * what the bundle produced, and the single file has nothing beside it.
 */
async function inlinePublicFiles(markup: string): Promise<string> {
  // With publicDir off (single mode) Vite leaves `/favicon.svg` as written; otherwise it is `./favicon.svg`.
  for (const [, ref = ''] of new Set(markup.matchAll(/\s(?:href|src)="(\.?\/[^"#?]+)"/g))) {
    const data = await readFile(join(PUBLIC_DIR, decodeURI(ref.replace(/^\.?\//, '')))).catch(() => null);
    if (!data) continue;
    const type = MIME_BY_EXTENSION[extname(ref).toLowerCase()] ?? 'application/octet-stream';
    markup = markup.replaceAll(`="${ref}"`, `="data:${type};base64,${data.toString('base64')}"`);
  }
  return markup;
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/**
 * After vite-plugin-singlefile has inlined the bundle: inline what public/ provides, check nothing is left to
 * load, allow exactly the inlined script and style by hash, and name the file.
 */
function singleFileCspPlugin(): Plugin {
  return {
    name: 'wirewalk:single-file-csp',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        const page = bundle['index.html'];
        if (!page || page.type !== 'asset') {
          this.error('single-file build: index.html is missing from the bundle');
        }
        let html = await editMarkup(
          typeof page.source === 'string' ? page.source : new TextDecoder().decode(page.source),
          inlinePublicFiles,
        );
        const leftovers: string[] = [];
        await editMarkup(html, (markup) => {
          for (const m of markup.matchAll(
            /<[a-z]+\b[^>]*\s(?:src|href)="(?!data:|https?:|#)[^"]*"[^>]*>/gi,
          )) {
            leftovers.push(m[0]);
          }
          return markup;
        });
        if (leftovers.length)
          this.error(`the single file still loads files beside it: ${leftovers.join(' ')}`);
        const scripts = hashSources(inlineBodies(html, 'script'));
        const styles = hashSources(inlineBodies(html, 'style'));
        html = withCspMeta(
          html,
          serialisePolicy({
            ...POLICY,
            'script-src': scripts.length ? scripts : ["'none'"],
            'style-src': styles.length ? styles : ["'none'"],
          }),
        );
        delete bundle['index.html'];
        this.emitFile({ type: 'asset', fileName: SINGLE_FILE_NAME, source: html });
      },
    },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/**
 * The worker is bundled as its own entry (`sw.js`, next to index.html so its scope is the app's folder). Once
 * every file is written — the bundle and the copied public/ files — the precache list is exactly what is on disk,
 * and the version is a hash of the files' contents.
 */
function serviceWorkerPlugin(): Plugin {
  return {
    name: 'wirewalk:service-worker',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: SW_ENTRY, fileName: SW_FILE });
    },
    async writeBundle(options) {
      const dir = options.dir;
      if (!dir) this.error('service worker: the build has no output directory');
      const files = (await filesUnder(dir)).filter((f) => f !== SW_FILE && !f.endsWith('.map'));
      const digest = createHash('sha256');
      for (const file of files) {
        digest.update(`${file}\0`).update(
          createHash('sha256')
            .update(await readFile(join(dir, file)))
            .digest(),
        );
      }
      const precache = { version: digest.digest('hex').slice(0, 16), urls: files.map((f) => encodeURI(f)) };
      const swPath = join(dir, SW_FILE);
      const code = await readFile(swPath, 'utf8');
      // A classic worker: an import or export statement here would make registration fail at run time.
      if (/^\s*(?:import|export)\b/m.test(code)) this.error(`${SW_FILE} has import/export statements`);
      if (!code.includes(SW_PRECACHE_TOKEN))
        this.error(`${SW_FILE} lost its ${SW_PRECACHE_TOKEN} placeholder`);
      await writeFile(swPath, code.replaceAll(SW_PRECACHE_TOKEN, JSON.stringify(precache)));
    },
  };
}

// Relative base: the built site works from any sub-path (and from file:// for the single-file build).
export default defineConfig(({ mode }) => {
  const single = mode === 'single';
  return {
    base: './',
    plugins: single
      ? [react(), viteSingleFile(), singleFileCspPlugin()]
      : [react(), cspPlugin(), serviceWorkerPlugin()],
    // The single file is the whole app: nothing from public/ beside it.
    publicDir: single ? false : 'public',
    // ... and no Web Worker file beside it (Chromium refuses workers from file:// anyway): captures are read on
    // the page's thread there (src/state/captureInline.ts in place of captureWorker.ts).
    resolve: single
      ? {
          alias: [
            {
              find: /^\.\/captureWorker$/,
              replacement: fileURLToPath(new URL('./src/state/captureInline.ts', import.meta.url)),
            },
          ],
        }
      : {},
    build: {
      target: 'es2022',
      sourcemap: false,
      outDir: single ? 'dist-single' : 'dist',
      // No modulepreload polyfill in the first download: a browser without <link rel=modulepreload> (Safari
      // before 17) still loads the lazy chunks, only without preloading their imports.
      modulePreload: { polyfill: false },
      // Everything the page loads up front in one file: left to itself Rolldown gives each module that a lazy
      // chunk shares with the entry a chunk of its own (a dozen small files, each compressed on its own).
      // (The service worker, an entry of its own, stays a classic script with nothing imported.)
      rolldownOptions: single
        ? {}
        : {
            output: {
              codeSplitting: {
                groups: [{ name: 'app', tags: ['$initial'], test: (id: string) => id !== SW_ENTRY }],
              },
            },
          },
    },
    test: {
      globals: true,
      environment: 'node',
      include: ['tests/**/*.test.{ts,tsx}'],
      exclude: ['tests/e2e/**', 'node_modules/**'],
      setupFiles: ['./vitest.setup.ts'],
      testTimeout: 20000,
    },
  };
});
