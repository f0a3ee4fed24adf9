/**
 * The simulator's seeded randomness, for the rooms above sim/ that need a choice driven by a link's seed
 * (state/checks.ts shuffles the "check yourself" choices with it). The same splitmix32 streams as every
 * run's ISNs and masking keys (engine/rng.ts): a named sub-stream per use, so uses never shift each other.
 */
export { rngStream, type Rng } from './engine/rng';
