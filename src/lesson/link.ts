/**
 * The lesson link: a query string <-> a Scenario plus view state. The same text serves the browser's address
 * bar and the command line, so it is meant to be read and edited by hand (format: README.md, "Lesson links").
 * `parseLink` never throws: every problem becomes a LinkProblem and the lesson's default is used instead.
 *
 * This module is the codec's front door; import the link from here. The codec itself lives in link/:
 * params.ts (LINK_PARAMS, the one list of parameters, and their limits), decode.ts (the query's WHATWG
 * decoding), reader.ts and parse.ts (parseLink), problems.ts (how problems are worded and capped), limits.ts
 * (the message limits), steps.ts (what only the built timeline can refuse), write.ts (serialiseLink, and
 * writeLink, which compresses a link longer than LINK_BUDGET) and compact.ts (that compression).
 */
export { DEFAULT_VIEW, type LinkProblem, type LinkState, type ViewState } from './link/types';
export { LINK_PARAMS, RESERVED_EVENTS, type LinkParam, type LinkParamKind } from './link/params';
export { addedMessageProblem, messagesThatFit } from './link/limits';
export { parseLink } from './link/parse';
export { stepProblems, viewRange } from './link/steps';
export { FRAGMENT_PREFIX, LINK_BUDGET, decompressQuery } from './link/compact';
export { fragmentOf } from './link/decode';
export {
  scenarioLink,
  serialiseLink,
  writeLink,
  writeLinkFrom,
  writtenLength,
  type ScenarioLink,
  type WriteOptions,
} from './link/write';
