/**
 * Start from a link: parse it (problems become a notice), build the timeline, and open at its step.
 * The only place outside sim/ that runs the simulator (views never re-simulate). A link without a step opens
 * where choosing its lesson from the menu does (`lessonStartCursor`: the lesson's start step, in presenter and
 * embed mode too; an embed with `from=` at its range's start), with the lesson's introduction showing, except
 * in embed and presenter mode, where the stage speaks for itself.
 */
import { parseLink } from '../lesson/link';
import { loadLessonContent } from './lesson';
import { CAPTURE_LINK_MESSAGE, rememberOpeningLink } from './links';
import { openingTimeline } from './opening';
import { buildWithLoadedStories, ensureStory, needsExtraLibraries, startWithLoadedStories } from './stories';
import { createWirewalkStore, type HideFuture, type WirewalkStore } from './store';

type Prefs = {
  readonly theme?: 'light' | 'dark';
  readonly reducedMotion?: boolean;
  readonly hideFuture?: HideFuture;
  readonly stepClock?: () => number;
};

interface Opening {
  /**
   * Open a long scenario with its first steps (state/opening.ts); the caller then simulates the rest with
   * `finishOpening`. Without it the timeline is built whole.
   */
  readonly firstSteps?: boolean;
}

export function storeFromLink(link: string, prefs: Prefs = {}): WirewalkStore {
  return storeFromParsed(link, parseLink(link), prefs);
}

function storeFromParsed(
  link: string,
  { state, problems }: ReturnType<typeof parseLink>,
  prefs: Prefs,
  opening: Opening = {},
): WirewalkStore {
  rememberOpeningLink(state.scenario, link);
  const run = opening.firstSteps ? startWithLoadedStories(state.scenario) : undefined;
  if (run) openingTimeline(run, state.scenario, state.view, true);
  return createWirewalkStore({
    ...(run ? { run } : {}),
    scenario: state.scenario,
    view: state.view,
    problems: problems.map((p) => (p.param === 'capture' ? { ...p, message: CAPTURE_LINK_MESSAGE } : p)),
    build: buildWithLoadedStories,
    prepare: ensureStory,
    intro: state.view.step === null && !state.view.embed && !state.view.present,
    lessonStart: true,
    ...prefs,
  });
}

/**
 * The same, for the page: first loads the story the link needs when it is not in the main bundle
 * (Socket.IO, the comparison), and, for a link without a step, the lesson content that says where the lesson
 * starts (the page fetches it right after anyway), so the first picture is already the right story at the
 * right step. The link is parsed once.
 */
export async function loadStoreFromLink(
  link: string,
  prefs: Prefs = {},
  opening: Opening = {},
): Promise<WirewalkStore> {
  const parsed = parseLink(link);
  const story = ensureStory(parsed.state.scenario.story, needsExtraLibraries(parsed.state.scenario))?.catch(
    () => {
      // The story's chunk could not be fetched: the timeline is one step saying that the story is not loaded.
    },
  );
  // loadLessonContent never rejects: without the content the lesson opens at its first step.
  await Promise.all([story, parsed.state.view.step === null ? loadLessonContent() : null]);
  return storeFromParsed(link, parsed, prefs, opening);
}
