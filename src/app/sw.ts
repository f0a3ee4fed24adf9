/**
 * The service worker: Wirewalk works offline once it has been opened over http(s).
 *
 * Contract with the build (vite.config.ts, plugin `wirewalk:service-worker`): this file is bundled on its own as
 * `sw.js` at the root of the site, and after the build has written every file the plugin replaces the global
 * `__WIREWALK_PRECACHE__` with `{ version, urls }`: every file of the build (paths relative to this worker's
 * scope) and a version derived from their contents. A new build therefore changes this script's bytes, which is
 * what makes the browser install the new worker (Service Workers §4.3, "Update").
 *
 * Precache, cache first, as Workbox's precaching does: the files are content-hashed (index.html aside), so a cached
 * file is never stale for the worker that cached it. A new version installs in the background and takes over when
 * no page uses the old one (no skipWaiting): a lesson open in class never has its scripts swapped under it.
 * A navigation to the app, whatever its query string (the lesson link), gets the cached index.html.
 * Anything not in the build (another app on the same origin, a typo) goes to the network untouched.
 */
export {};

interface Precache {
  readonly version: string;
  readonly urls: readonly string[];
}

// The DOM library has no service-worker types, and the WebWorker library conflicts with it in one program;
// these are the few members used here (Service Workers §4.1, §4.5, §4.6).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

declare const __WIREWALK_PRECACHE__: Precache;

const PRECACHE: Precache = __WIREWALK_PRECACHE__;
const CACHE_PREFIX = 'wirewalk-precache-';
const CACHE_NAME = CACHE_PREFIX + PRECACHE.version;

const worker = self as unknown as ServiceWorkerScope;
const scope = new URL(worker.registration.scope);
const INDEX = new URL('index.html', scope).href;
const precached = new Set(PRECACHE.urls.map((path) => new URL(path, scope).href));

worker.addEventListener('install', (event) => {
  // `cache: 'reload'` bypasses the HTTP cache, so a stale index.html from a previous visit is never precached.
  event.waitUntil(
    caches
      .open(CACHE_NAME)
      .then((cache) => cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' })))),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE_NAME).map((n) => caches.delete(n)),
        ),
      )
      // The first visit is controlled at once, so it works offline without a second load.
      .then(() => worker.clients.claim()),
  );
});

/** The cached file for a request, or null when the request is not for a file of this build. */
function precachedUrl(request: Request): string | null {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  if (
    request.mode === 'navigate' &&
    (url.pathname === scope.pathname || url.href.split(/[?#]/)[0] === INDEX)
  ) {
    return INDEX;
  }
  url.search = '';
  url.hash = '';
  return precached.has(url.href) ? url.href : null;
}

worker.addEventListener('fetch', (event) => {
  const url = precachedUrl(event.request);
  if (url === null) return;
  event.respondWith(
    caches
      .open(CACHE_NAME)
      .then((cache) => cache.match(url))
      .then((hit) => hit ?? fetch(event.request)),
  );
});
