/** The scenario's message limits (LIMITS), for messages from a link and messages typed on the page. */
import { LIMITS, type ScenarioMessage } from '../../sim/scenario';
import type { LinkProblem } from './types';

/** The length of `text` in UTF-8 bytes (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  // Natively first: ASCII text is one byte a character.
  if (!/[^\u0000-\u007f]/.test(text)) return text.length; // eslint-disable-line no-control-regex
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * The scenario's message limits (LIMITS): of `messages`, a scenario holds the first `maxMessages`, and of
 * those the ones before their text (UTF-8) first adds up to more than `maxMessageBytes`. `fit` is how many
 * that is; `bytes`, the text of the first `maxMessages` together.
 */
export function messagesThatFit(messages: readonly ScenarioMessage[]): {
  readonly fit: number;
  readonly tooMany: boolean;
  readonly tooLong: boolean;
  readonly bytes: number;
} {
  const counted = Math.min(messages.length, LIMITS.maxMessages);
  let bytes = 0;
  let fit = counted;
  for (let i = 0; i < counted; i++) {
    bytes += utf8Length(messages[i]!.text);
    if (fit === counted && bytes > LIMITS.maxMessageBytes) fit = i;
  }
  return { fit, tooMany: messages.length > LIMITS.maxMessages, tooLong: fit < counted, bytes };
}

/** Why `added` cannot join `messages` (a message typed on the page), or null when the limits allow it. */
export function addedMessageProblem(
  messages: readonly ScenarioMessage[],
  added: ScenarioMessage,
): LinkProblem | null {
  const limit = messagesThatFit([...messages, added]);
  const problem = limit.tooMany
    ? `a scenario holds at most ${LIMITS.maxMessages} messages`
    : limit.tooLong
      ? `all messages together may hold at most ${LIMITS.maxMessageBytes} bytes of text`
      : null;
  return problem === null
    ? null
    : { param: 'm', message: `The message was not added: ${problem}.`, used: '' };
}
