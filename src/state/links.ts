/**
 * Every link the classroom hands out, built from the store's state with the link codec: the address bar's
 * own query, a link to this step or from the start, the embed snippet's address, the speaker window's, and
 * the full app behind an embed. One place, so the share dialog, the address bar and the QR code agree.
 */
import { serialiseLink, type ViewState } from '../lesson/link';
import type { Scenario } from '../sim/scenario';
import type { WirewalkState } from './store';

type LinkSource = Pick<WirewalkState, 'scenario' | 'view' | 'cursor'>;

/**
 * A serialised link cut around its step: `head` + `step=N` + `tail` is exactly what serialiseLink writes for
 * step N, and `head` + `tail` what it writes without a step. serialiseLink puts the scenario's parameters
 * first, then `step`, then the view's; the scenario part can be a megabyte (a thousand long messages), so it is
 * serialised once per scenario (scenarios are immutable, so identity is enough) and every step after that is a
 * concatenation. The cut is found in a link written for step 1: values escape '&' (%26), so `&step=1` can only
 * be the step parameter itself.
 */
interface StepLink {
  readonly head: string;
  readonly tail: string;
}

const STEP_MARK = '&step=1';
/** Per scenario, per view (present/embed/from/to): a handful at most (the share dialog's embed ranges). */
const stepLinks = new WeakMap<Scenario, Map<string, StepLink>>();
const MAX_VIEWS_PER_SCENARIO = 16;

function stepLink(scenario: Scenario, view: ViewState): StepLink {
  // Every view field but the step: whatever else a view may come to hold is part of the key.
  const key = JSON.stringify({ ...view, step: null });
  let views = stepLinks.get(scenario);
  const hit = views?.get(key);
  if (hit) return hit;
  const whole = serialiseLink(
    { scenario, view: { ...view, step: 1 } },
    { includeStep: true, includeView: true },
  );
  const at = whole.indexOf(STEP_MARK);
  if (at < 0) throw new Error(`serialiseLink wrote no step parameter: ${whole.slice(0, 80)}`);
  const link = { head: whole.slice(0, at + 1), tail: whole.slice(at + STEP_MARK.length) };
  if (!views) stepLinks.set(scenario, (views = new Map()));
  if (views.size >= MAX_VIEWS_PER_SCENARIO) views.clear();
  views.set(key, link);
  return link;
}

/** serialiseLink({scenario, view: {...view, step}}, {includeStep: true, includeView: true}), cheaply. */
function cachedLink(scenario: Scenario, view: ViewState, step: number | null): string {
  const { head, tail } = stepLink(scenario, view);
  // Without a step, the '&' that led to it goes too (the head ends with it); the tail starts with its own.
  return step === null ? head.slice(0, -1) + tail : `${head}step=${step}${tail}`;
}

/** The query (without '?') the address bar shows: scenario, view and the current step. */
export function linkFor(state: LinkSource): string {
  return cachedLink(state.scenario, state.view, state.cursor + 1);
}

/** The length of `linkFor(state)`, without building it. */
export function linkLength(state: LinkSource): number {
  const { head, tail } = stepLink(state.scenario, state.view);
  return head.length + 'step='.length + String(state.cursor + 1).length + tail.length;
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
  return `${stepQuery(state)}&present=1&${SPEAKER_PARAM}=1`;
}

/** A query without the speaker parameter, every other pair left exactly as written. */
export function withoutSpeaker(search: string): { readonly search: string; readonly speaker: boolean } {
  let speaker = false;
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => {
      const name = pair.split('=')[0];
      if (name !== SPEAKER_PARAM) return true;
      speaker = pair === `${SPEAKER_PARAM}=1`;
      return false;
    });
  return { search: kept.length && kept.some(Boolean) ? `?${kept.join('&')}` : '', speaker };
}

/** The app-shell parameter that opens the speaker view instead of the stage. */
export const SPEAKER_PARAM = 'speaker';

/** The page's address without query or hash; works for http(s) and for the single file on file://. */
export function pageBase(href: string): string {
  return href.replace(/[?#].*$/s, '');
}

/** A full address for a query. */
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
