/**
 * Register the offline service worker (sw.ts, built to `sw.js` beside index.html) in the production build served
 * over http(s) only: the dev server has no sw.js, the single-file build (mode 'single', vite.config.ts) has no
 * worker file and runs from file://, and an insecure context (http on a LAN address) has no
 * `navigator.serviceWorker`. tests/e2e/offline.test.ts and single-file.test.ts check both sides.
 *
 * When: the worker precaches the whole build as soon as it installs, which competes for the network and the
 * CPU with whatever the page is doing. So registration waits for `drawn` (main.tsx: the whole first step,
 * panels included, has painted), then for the page to be idle (requestIdleCallback, at most `idleTimeout` ms;
 * a timeout where there is no requestIdleCallback), and for `load` if the page has not loaded by then.
 */
/// <reference types="vite/client" />
import { whenIdle } from '../state/tasks';

export function registerServiceWorker(drawn: Promise<void>, idleTimeout = 5000): void {
  if (!import.meta.env.PROD || import.meta.env.MODE === 'single') return;
  if (location.protocol !== 'https:' && location.protocol !== 'http:') return;
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    // Relative to the page, so the app works from any sub-path; the scope is the app's folder.
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
      // Offline use is an extra: a refused registration (sandboxed iframe, storage blocked) must not break the app.
      console.warn('Wirewalk: offline use is not available here:', error);
    });
  };
  const whenLoaded = () => {
    if (document.readyState === 'complete') register();
    else window.addEventListener('load', register, { once: true });
  };
  void drawn.then(() => whenIdle(whenLoaded, idleTimeout));
}
