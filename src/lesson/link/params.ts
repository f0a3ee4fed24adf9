/**
 * The link's parameters: LINK_PARAMS, the one list of what each parameter accepts, and the limits it names.
 */
import {
  LIMITS,
  type EmitKind,
  type Side,
  type SioClientKind,
  type Transport,
  type WalkMode,
} from '../../sim/scenario';
import { SIO_RESERVED_EVENTS } from '../../protocol/socketioReserved';

/** 2^32 - 1: the top of the knobs that have no smaller bound of their own (seed, frag, drop, step...). */
export const MAX_UINT32 = 0xffffffff;
/** Socket.IO sets no limit on event names; this keeps one from swallowing the message budget. */
export const MAX_EVENT_BYTES = 256;

/** Socket.IO v5 refuses to emit these names (socket.io-parser RESERVED_EVENTS). */
export const RESERVED_EVENTS: readonly string[] = SIO_RESERVED_EVENTS;

const CLOSE_SIDES: readonly Side[] = ['c', 's'];
const WALK_MODES: readonly WalkMode[] = ['default', 'all', 'none'];
const EMIT_KINDS: readonly EmitKind[] = ['socket', 'broadcast', 'io', 'room'];
const TRANSPORTS: readonly Transport[] = ['websocket', 'polling'];
const SIO_CLIENTS: readonly SioClientKind[] = ['io', 'ws'];

/**
 * What one link parameter accepts. `whole`: a whole number in [min, max], and with `none` also the word
 * `none` (null); `choice`: one of `options`; `flag`: 0 or 1; `lesson`: a built-in lesson id; `packets`: a
 * comma-separated list of packet numbers (1 or more, at most `max` of them) or `none`; `event`: a Socket.IO
 * event name (not empty, not reserved, at most `maxBytes` UTF-8 bytes); `messages`: repeated, each `c:` or
 * `s:` and the text (a lone empty `m=`: no messages), all within LIMITS.
 */
export type LinkParamKind =
  | { readonly kind: 'lesson' }
  | { readonly kind: 'whole'; readonly min: number; readonly max: number; readonly none: boolean }
  | { readonly kind: 'choice'; readonly options: readonly string[] }
  | { readonly kind: 'flag' }
  | { readonly kind: 'packets'; readonly max: number }
  | { readonly kind: 'event'; readonly maxBytes: number }
  | { readonly kind: 'messages'; readonly maxMessages: number; readonly maxBytes: number };

export type LinkParam = LinkParamKind & {
  readonly name: string;
  /** Where the value goes: the scenario's field or the view's. */
  readonly part: 'scenario' | 'view';
  readonly field: string;
};

/**
 * Every parameter, in the order serialiseLink writes them (and problems are reported): the one list the
 * parser, the serialiser and the tests (fuzz and hostile links) read, so a new parameter reaches them all.
 */
export const LINK_PARAMS = [
  { name: 'lesson', part: 'scenario', field: 'lesson', kind: 'lesson' },
  { name: 'seed', part: 'scenario', field: 'seed', kind: 'whole', min: 0, max: MAX_UINT32, none: false },
  {
    name: 'mss',
    part: 'scenario',
    field: 'mss',
    kind: 'whole',
    min: LIMITS.minMss,
    max: LIMITS.maxMss,
    none: false,
  },
  {
    name: 'frag',
    part: 'scenario',
    field: 'frag',
    kind: 'whole',
    min: LIMITS.minFrag,
    max: MAX_UINT32,
    none: true,
  },
  { name: 'loss', part: 'scenario', field: 'loss', kind: 'packets', max: LIMITS.maxLoss },
  { name: 'close', part: 'scenario', field: 'close', kind: 'choice', options: CLOSE_SIDES },
  { name: 'walk', part: 'scenario', field: 'walk', kind: 'choice', options: WALK_MODES },
  { name: 'ping', part: 'scenario', field: 'ping', kind: 'flag' },
  { name: 'ev', part: 'scenario', field: 'event', kind: 'event', maxBytes: MAX_EVENT_BYTES },
  {
    name: 'clients',
    part: 'scenario',
    field: 'clients',
    kind: 'whole',
    min: 1,
    max: LIMITS.maxClients,
    none: false,
  },
  { name: 'emit', part: 'scenario', field: 'emit', kind: 'choice', options: EMIT_KINDS },
  { name: 'drop', part: 'scenario', field: 'drop', kind: 'whole', min: 1, max: MAX_UINT32, none: true },
  { name: 'offline', part: 'scenario', field: 'offline', kind: 'whole', min: 1, max: MAX_UINT32, none: true },
  { name: 'transport', part: 'scenario', field: 'transport', kind: 'choice', options: TRANSPORTS },
  { name: 'client', part: 'scenario', field: 'client', kind: 'choice', options: SIO_CLIENTS },
  {
    name: 'interval',
    part: 'scenario',
    field: 'interval',
    kind: 'whole',
    min: LIMITS.minInterval,
    max: LIMITS.maxInterval,
    none: false,
  },
  { name: 'tls', part: 'scenario', field: 'tls', kind: 'flag' },
  { name: 'deflate', part: 'scenario', field: 'deflate', kind: 'flag' },
  { name: 'hops', part: 'scenario', field: 'hops', kind: 'whole', min: 0, max: LIMITS.maxHops, none: false },
  {
    name: 'm',
    part: 'scenario',
    field: 'messages',
    kind: 'messages',
    maxMessages: LIMITS.maxMessages,
    maxBytes: LIMITS.maxMessageBytes,
  },
  { name: 'step', part: 'view', field: 'step', kind: 'whole', min: 1, max: MAX_UINT32, none: false },
  { name: 'present', part: 'view', field: 'present', kind: 'flag' },
  { name: 'embed', part: 'view', field: 'embed', kind: 'flag' },
  { name: 'from', part: 'view', field: 'from', kind: 'whole', min: 1, max: MAX_UINT32, none: false },
  { name: 'to', part: 'view', field: 'to', kind: 'whole', min: 1, max: MAX_UINT32, none: false },
] as const satisfies readonly LinkParam[];

export type Param = (typeof LINK_PARAMS)[number]['name'];
type Spec<K extends LinkParam['kind']> = Extract<(typeof LINK_PARAMS)[number], { readonly kind: K }>;
export type WholeParam = Spec<'whole'>['name'];
export type ChoiceParam = Spec<'choice'>['name'];
export type FlagParam = Spec<'flag'>['name'];
export const PARAMS: readonly Param[] = LINK_PARAMS.map((p) => p.name);
const SPEC: ReadonlyMap<string, LinkParam> = new Map(LINK_PARAMS.map((p) => [p.name, p]));
export const KNOWN: ReadonlySet<string> = new Set(PARAMS);

export function spec<K extends LinkParam['kind']>(
  name: Param,
  kind: K,
): Extract<LinkParam, { readonly kind: K }> {
  const p = SPEC.get(name);
  if (p?.kind !== kind) throw new Error(`link parameter ${name} is not ${kind}`);
  return p as Extract<LinkParam, { readonly kind: K }>;
}

/** A whole number that may be null, as a link writes it. */
export function nullable(n: number | null): string {
  return n === null ? 'none' : String(n);
}
