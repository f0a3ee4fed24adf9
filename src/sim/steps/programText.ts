/**
 * The program text a story shows beside its steps (client.js, server.js): lines added one by one, each
 * returning the `CodeRef` a step points at, and the send lines for the scenario's messages, written out
 * one per message up to four, then as a loop.
 */
import { codePointCount, codePointCut } from '../../protocol/bytes';
import type { Scenario } from '../scenario';
import type { CodeRef, Program } from '../types';

/** Messages per side written out one line each; more become a loop over an array. */
const MAX_LITERAL_SENDS = 4;
/** Characters of a message shown in a send line. */
const MAX_LITERAL_CHARS = 24;

/** One program's lines, as they are added. */
export class ProgramText {
  readonly lines: string[] = [];

  constructor(
    private readonly program: 'client' | 'server',
    private readonly title: string,
  ) {}

  /** Add a line; returns where it is (1-based). */
  add(line: string): CodeRef {
    this.lines.push(line);
    return { program: this.program, line: this.lines.length };
  }

  /** A blank line, then a comment that opens a part of the program. */
  section(comment: string): void {
    this.add('');
    this.add(comment);
  }

  /** Three lines: `head`, `body` (whose place is returned) and `tail`, e.g. a handler that logs. */
  wrap(head: string, body: string, tail: string): CodeRef {
    this.add(head);
    const ref = this.add(body);
    this.add(tail);
    return ref;
  }

  done(): Program {
    return { title: this.title, language: 'javascript', lines: this.lines };
  }
}

/** A JavaScript single-quoted string literal of `text`, cut to `max` characters with '…'. */
export function jsString(text: string, max = MAX_LITERAL_CHARS): string {
  // The first `max` characters as Array.from counts them, without splitting a long message into an array.
  const cut = codePointCut(text, max, text.length);
  const shown = cut.more ? text.slice(0, cut.end) + '…' : text;
  const escaped = shown
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${escaped}'`;
}

/**
 * The lines that send the messages `indices` of the scenario: `call` is the call up to the message
 * argument (`ws.send(`, `socket.emit('chat message', `). Fills `out` with message index → line.
 */
export function sendLines(
  b: ProgramText,
  indent: string,
  call: string,
  indices: readonly number[],
  scenario: Scenario,
  out: Map<number, CodeRef>,
): void {
  if (indices.length <= MAX_LITERAL_SENDS) {
    for (const i of indices) {
      const text = scenario.messages[i]!.text;
      const length = codePointCount(text);
      const note = length > MAX_LITERAL_CHARS ? ` // ${length} characters` : '';
      out.set(i, b.add(`${indent}${call}${jsString(text)});${note}`));
    }
    return;
  }
  // Wirewalk's choice: past MAX_LITERAL_SENDS messages the program shows a loop, not one line each.
  b.add(`${indent}const messages = [/* the ${indices.length} messages of this link */];`);
  // Wirewalk's choice (as above): the loop that sends them.
  const ref = b.add(`${indent}for (const text of messages) ${call}text);`);
  for (const i of indices) out.set(i, ref);
}

/** The scenario's message indices, from the client and from the server. */
export function messagesBySide(scenario: Scenario): { fromClient: number[]; fromServer: number[] } {
  const fromClient: number[] = [];
  const fromServer: number[] = [];
  scenario.messages.forEach((m, i) => (m.from === 'c' ? fromClient : fromServer).push(i));
  return { fromClient, fromServer };
}
