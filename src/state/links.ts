/**
 * Every link the classroom hands out, built from the store's state with the link codec: the address bar's
 * own query, a link to this step or from the start, the embed snippet's address, the speaker window's, and
 * the full app behind an embed. One place, so the share dialog, the address bar and the QR code agree.
 */
import {
  FRAGMENT_PREFIX,
  decompressQuery,
  fragmentOf,
  scenarioLink,
  writeLinkFrom,
  writtenLength,
  type ScenarioLink,
  type ViewState,
} from '../lesson/link';
import type { Scenario } from '../sim/scenario';
import type { WirewalkState } from './store';

type LinkSource = Pick<WirewalkState, 'scenario' | 'view' | 'cursor'>;

/**
 * The link codec's writeLink, cheap per step. The scenario part can be a megabyte (a thousand long messages),
 * and past LINK_BUDGET it is compressed into the fragment: both are done once per scenario (scenarios are
 * immutable, so identity is enough); every step after that writes only `lesson`, the view and the step.
 */
const scenarioLinks = new WeakMap<Scenario, ScenarioLink>();

/** The `#z=` text of the link a scenario was opened from, for the scenario that link describes. */
const openedFragments = new WeakMap<Scenario, string>();

/**
 * Remember the link the page opened `scenario` from. When it carried a `#z=` fragment that still describes the
 * scenario, the address bar reuses that text instead of compressing the whole scenario again (hundreds of
 * milliseconds for a thousand messages, on the main thread, right after opening).
 */
export function rememberOpeningLink(scenario: Scenario, link: string): void {
  const fragment = fragmentOf(link);
  if (fragment.startsWith(FRAGMENT_PREFIX))
    openedFragments.set(scenario, fragment.slice(FRAGMENT_PREFIX.length));
}

function linkOf(scenario: Scenario): ScenarioLink {
  let link = scenarioLinks.get(scenario);
  if (!link) {
    const made = scenarioLink(scenario);
    const packed = openedFragments.get(scenario);
    let compressed: string | null = null;
    // Any compression of the same text is the same link: it decompresses to exactly what Wirewalk writes.
    link = packed
      ? {
          ...made,
          compressed: () =>
            (compressed ??= decompressQuery(packed) === made.rest ? packed : made.compressed()),
        }
      : made;
    scenarioLinks.set(scenario, link);
  }
  return link;
}

const ALL = { includeStep: true, includeView: true } as const;

/** writeLink({scenario, view: {...view, step}}, {includeStep: true, includeView: true}), cheaply. */
function cachedLink(scenario: Scenario, view: ViewState, step: number | null): string {
  return writeLinkFrom(linkOf(scenario), { ...view, step }, ALL);
}

/**
 * The link (without '?') the address bar shows: scenario, view and the current step; past LINK_BUDGET the
 * scenario is in a `#z=` fragment after the short query.
 */
export function linkFor(state: LinkSource): string {
  return cachedLink(state.scenario, state.view, state.cursor + 1);
}

/**
 * What the address bar shows while a capture is open: a link cannot carry a capture (the file stays on the
 * machine that opened it), so instead of a wrong link it says so; opening it says how to get the capture back.
 */
export const CAPTURE_QUERY = 'capture=not-in-link';

/** The problem shown when a link written while a capture was open is opened. */
export const CAPTURE_LINK_MESSAGE =
  'This address was written while a capture was open. A capture is never in a link: the file stays on the ' +
  'machine that opened it. Open the file again with "Open capture…"; meanwhile, here is the first lesson.';

/** The length of `linkFor(state)`, without building it. */
export function linkLength(state: LinkSource): number {
  return writtenLength(linkOf(state.scenario), { ...state.view, step: state.cursor + 1 }, ALL);
}

const PLAIN: ViewState = { step: null, present: false, embed: false, from: null, to: null };

/** This scenario at this step, as a student should open it: no presenter or embed mode. */
export function stepQuery(state: LinkSource): string {
  return cachedLink(state.scenario, PLAIN, state.cursor + 1);
}

/** This scenario from its first step. */
export function startQuery(state: Pick<WirewalkState, 'scenario'>): string {
  return cachedLink(state.scenario, PLAIN, null);
}

/**
 * The embed's address: `embed=1`, the optional locked range, and the current step when it lies inside the
 * range (otherwise the embed opens at the range's start).
 */
export function embedQuery(state: LinkSource, from: number | null, to: number | null): string {
  const step = state.cursor + 1;
  const inside = (from === null || step >= from) && (to === null || step <= to);
  return cachedLink(state.scenario, { ...PLAIN, embed: true, from, to }, inside ? step : null);
}

/**
 * The speaker window: the same scenario and step in presenter mode (so it may black the class's screen), plus
 * `speaker=1`, which the app shell reads and takes away before the link codec sees the rest.
 */
export function speakerQuery(state: LinkSource): string {
  const link = stepQuery(state);
  const hash = link.indexOf('#');
  const [query, fragment] = hash < 0 ? [link, ''] : [link.slice(0, hash), link.slice(hash)];
  return `${query}&present=1&${SPEAKER_PARAM}=1${fragment}`;
}

/**
 * A query without the speaker parameter, every other pair left exactly as written. A fragment after it (the
 * page passes `location.search + location.hash`, for the `#z=` of a long link) is kept as it is.
 */
export function withoutSpeaker(search: string): { readonly search: string; readonly speaker: boolean } {
  const hash = search.indexOf('#');
  const fragment = hash < 0 ? '' : search.slice(hash);
  let speaker = false;
  const kept = (hash < 0 ? search : search.slice(0, hash))
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => {
      const name = pair.split('=')[0];
      if (name !== SPEAKER_PARAM) return true;
      speaker = pair === `${SPEAKER_PARAM}=1`;
      return false;
    });
  return { search: (kept.some(Boolean) ? `?${kept.join('&')}` : '') + fragment, speaker };
}

/** The app-shell parameter that opens the speaker view instead of the stage. */
export const SPEAKER_PARAM = 'speaker';

/** The page's address without query or hash; works for http(s) and for the single file on file://. */
export function pageBase(href: string): string {
  return href.replace(/[?#].*$/s, '');
}

/** A full address for a link (a query, perhaps with its `#z=` fragment). */
export function absoluteLink(href: string, query: string): string {
  return `${pageBase(href)}?${query}`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The HTML a course page pastes in: a titled, lazily loaded iframe of 960×600. */
export function iframeSnippet(src: string, lessonTitle: string): string {
  return (
    `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(`Wirewalk: ${lessonTitle}`)}" ` +
    'width="960" height="600" loading="lazy"></iframe>'
  );
}
