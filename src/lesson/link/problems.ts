/** The problems a link reports: the values they quote, and the cap on how many are listed. */
import type { LinkProblem } from './types';

/** Problems reported one by one; the rest are summed up in one last problem. */
const MAX_PROBLEMS = 20;
/** Code points of a value quoted in a problem message. */
const SHOWN_LENGTH = 40;

/** A value quoted in a problem: at most SHOWN_LENGTH code points, controls and lone surrogates escaped. */
export function shown(text: string): string {
  const head = Array.from(text.slice(0, SHOWN_LENGTH * 2 + 2));
  const cut = head.length > SHOWN_LENGTH || text.length > SHOWN_LENGTH * 2 + 2;
  const kept = head.slice(0, SHOWN_LENGTH).join('');
  const safe = kept.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\uD800-\uDFFF]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
  return cut ? safe + '…' : safe;
}

export function quoted(text: string): string {
  return `"${shown(text)}"`;
}

export function oneOf(options: readonly string[]): string {
  return options.length < 2 ? options.join('') : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
}

export class Problems {
  private readonly list: LinkProblem[] = [];
  private more = 0;

  add(param: string, message: string, used: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ param, message, used });
    else this.more++;
  }

  /** Merged in order (reported first come first); still at most MAX_PROBLEMS plus one summary. */
  static merge(first: Problems, second: Problems): readonly LinkProblem[] {
    const all = [...first.list, ...second.list];
    const more = first.more + second.more + Math.max(0, all.length - MAX_PROBLEMS);
    const out = all.slice(0, MAX_PROBLEMS);
    if (more > 0)
      out.push({ param: '', message: `and ${more} more problem${more === 1 ? '' : 's'}`, used: '' });
    return out;
  }
}
