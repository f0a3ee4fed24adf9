/**
 * The link argument of the command-line tools (pcap, timeline): the link itself, `-` to read it from standard
 * input, or `@FILE` to read it from a file. A long link (messages of a megabyte) is past Linux's limit of
 * 128 KiB for one argument; either form of link (readable, or with its `#z=` fragment) works.
 */
import { readFileSync } from 'node:fs';

/** The link text, or an error message saying what could not be read. */
export function readLinkArgument(arg: string): { readonly link: string } | { readonly error: string } {
  if (arg !== '-' && !arg.startsWith('@')) return { link: arg };
  const from = arg === '-' ? 'standard input' : arg.slice(1);
  try {
    return { link: readFileSync(arg === '-' ? 0 : from, 'utf8') };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { error: `cannot read the link from ${from}: ${reason}` };
  }
}

/** readLinkArgument for a script: the link, or the error on stderr and exit code 2. */
export function linkArgument(arg: string): string {
  const read = readLinkArgument(arg);
  if ('link' in read) return read.link;
  process.stderr.write(`${read.error}\n`);
  process.exit(2);
}
