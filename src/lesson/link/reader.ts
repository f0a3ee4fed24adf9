/** Reading the link's parameters by their kind in LINK_PARAMS, each problem reported and a fallback used. */
import { BAD_ESCAPE, type Pair } from './decode';
import {
  MAX_UINT32,
  nullable,
  spec,
  type ChoiceParam,
  type FlagParam,
  type Param,
  type WholeParam,
} from './params';
import { oneOf, shown, type Problems } from './problems';

/** The pairs given for each known parameter, in the order written. */
type Groups = ReadonlyMap<Param, readonly Pair[]>;

export class Reader {
  constructor(
    private readonly groups: Groups,
    readonly problems: Problems,
  ) {}

  /** The pairs of a repeatable parameter, each checked for encoding repairs. */
  all(param: Param): readonly Pair[] | undefined {
    const pairs = this.groups.get(param);
    if (pairs) for (const p of pairs) this.reportRepairs(param, p);
    return pairs;
  }

  /** The decoded value of a single-valued parameter: the first one given, or undefined. */
  single(param: Param): string | undefined {
    const pairs = this.groups.get(param);
    const first = pairs?.[0];
    if (!pairs || !first) return undefined;
    if (pairs.length > 1) {
      this.problems.add(
        param,
        `${param} is given ${pairs.length} times; using the first (${param}=${shown(first.value)})`,
        first.value,
      );
    }
    this.reportRepairs(param, first);
    return first.value;
  }

  private reportRepairs(param: Param, pair: Pair): void {
    if (pair.repairs.length === 0) return;
    this.problems.add(
      param,
      `${shown(pair.raw)} has invalid percent-encoding (${pair.repairs.join(', ')}); reading it as ` +
        `${param}=${shown(pair.value)}` +
        (pair.repairs.includes(BAD_ESCAPE) ? ' (write %25 for a literal "%")' : ''),
      pair.value,
    );
  }

  /** A whole number within the parameter's bounds (LINK_PARAMS); otherwise the fallback. */
  whole(param: WholeParam, fallback: number): number {
    const n = this.number(param, String(fallback));
    return typeof n === 'number' ? n : fallback;
  }

  /** The same for a knob that may be null (absent); where LINK_PARAMS says `none`, the link may say so. */
  optionalWhole(param: WholeParam, fallback: number | null): number | null {
    const n = this.number(param, nullable(fallback));
    return n === 'none' ? null : (n ?? fallback);
  }

  private number(param: WholeParam, used: string): number | 'none' | undefined {
    const { min, max, none } = spec(param, 'whole');
    const value = this.single(param);
    if (value === undefined) return undefined;
    if (value === 'none' && none) return 'none';
    if (!/^-?\d+$/.test(value)) {
      this.problems.add(param, `${param}=${shown(value)} is not a whole number; using ${used}`, used);
      return undefined;
    }
    const n = Number(value) + 0; // + 0 turns -0 into 0
    if (n < min || n > max) {
      // Knobs without a real upper bound (step, drop, frag) read better as "less than 1".
      const range =
        max === MAX_UINT32 && min > 0
          ? `is ${n < min ? 'less' : 'more'} than ${n < min ? min : max}`
          : `is not between ${min} and ${max}`;
      this.problems.add(param, `${param}=${shown(value)} ${range}; using ${used}`, used);
      return undefined;
    }
    return n;
  }

  /** One of the parameter's options (LINK_PARAMS); otherwise the fallback. */
  choice<T extends string>(param: ChoiceParam, fallback: T): T {
    return this.oneOfOptions(param, spec(param, 'choice').options as readonly T[], fallback);
  }

  flag(param: FlagParam, fallback: boolean): boolean {
    return this.oneOfOptions(param, ['0', '1'], fallback ? '1' : '0') === '1';
  }

  private oneOfOptions<T extends string>(param: Param, options: readonly T[], fallback: T): T {
    const value = this.single(param);
    if (value === undefined) return fallback;
    const found = options.find((o) => o === value);
    if (found !== undefined) return found;
    this.problems.add(
      param,
      `${param}=${shown(value)} must be ${oneOf(options)}; using ${fallback}`,
      fallback,
    );
    return fallback;
  }
}
