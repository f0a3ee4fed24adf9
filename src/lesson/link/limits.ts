/** The scenario's message limits (LIMITS), for messages from a link and messages typed on the page. */
import { LIMITS, type ScenarioMessage } from '../../sim/scenario';
import { utf8Length } from '../../protocol/bytes';
import type { LinkProblem } from './types';

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
