/**
 * Seeded randomness. Every "random" choice of a run (ISNs, the ephemeral port, IP identification,
 * timestamp offsets, the Sec-WebSocket-Key, masking keys, sids) comes from a named sub-stream of the
 * scenario's seed, so that drawing more from one stream (another message, another masking key) never
 * shifts what another stream gives: adding a message to a link leaves its ISNs and port unchanged.
 */

/** FNV-1a over the UTF-16 code units of `name`: a stable 32-bit label for a stream. */
function fnv1a(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The splitmix32 finaliser: a bijective 32-bit mix with good avalanche. */
function mix32(x: number): number {
  let t = x | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/** A splitmix32 generator: a Weyl sequence passed through `mix32`. Period 2^32 per stream. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform uint32. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }

  /** Uniform integer in [lo, hi] (inclusive); `hi - lo` must be below 2^32. */
  int(lo: number, hi: number): number {
    const span = hi - lo + 1;
    // Multiply-shift keeps the bias below span / 2^32, invisible at the spans used here (≤ 2^16).
    return lo + Math.floor((this.next() / 0x100000000) * span);
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const r = this.next();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (r >>> (8 * j)) & 0xff;
    }
    return out;
  }
}

/** The sub-stream `name` of `seed`, e.g. `rngStream(seed, 'isn:client:0')`. */
export function rngStream(seed: number, name: string): Rng {
  return new Rng(mix32((seed >>> 0) ^ mix32(fnv1a(name))));
}
