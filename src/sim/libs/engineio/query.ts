/** Engine.IO's request targets: `/socket.io/?EIO=4&transport=…&t=…&sid=…`, built and parsed. */
import { NS_PER_MS } from '../../engine/network';
import type { Rng } from '../../engine/rng';

export const EIO_PATH = '/socket.io/';

/** `/socket.io/?EIO=4&transport=polling&t=…&sid=…`, keys in the order engine.io-client builds them. */
export function eioTarget(params: readonly (readonly [string, string])[]): string {
  return EIO_PATH + '?' + params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export function parseQuery(target: string): { readonly path: string; readonly query: Map<string, string> } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const part of target.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      const v = eq < 0 ? '' : part.slice(eq + 1);
      try {
        query.set(decodeURIComponent(k), decodeURIComponent(v));
      } catch {
        query.set(k, v);
      }
    }
  }
  return { path, query };
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * engine.io-client's cache-busting `t` value: the clock in base 36 without its first three digits, then
 * three random base-36 digits (the client reads the wall clock and a random number for them).
 * Here the clock is the simulated one (from the capture's time zero) and the digits come from the seed.
 */
export function cacheBuster(nowNs: number, rng: Rng, epochMs: number): string {
  const time = (epochMs + Math.floor(nowNs / NS_PER_MS)).toString(36).substring(3);
  let r = '';
  for (let i = 0; i < 3; i++) r += BASE36[rng.int(0, 35)];
  return time + r;
}
