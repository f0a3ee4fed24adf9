/**
 * The scenario slice: the link's scenario and view, its problems, and the timeline built from it.
 */
import type { StateCreator } from 'zustand/vanilla';
import { addedMessageProblem, type LinkProblem, type ViewState } from '../lesson/link';
import type { Scenario, Side } from '../sim/scenario';
import type { StoryRun, Timeline } from '../sim/types';
import { clampToRange } from './cursor';
import { firstDifference, messageFirstStep } from './derive';
import type { ScenarioLoader } from './loadScenario';
import type { WirewalkState } from './store';

export interface ScenarioSlice {
  readonly scenario: Scenario;
  readonly view: ViewState;
  /** Problems found in the link (or in a composed message), shown as a notice until dismissed. */
  readonly problems: readonly LinkProblem[];
  readonly timeline: Timeline;
  /** Replace the scenario and rebuild; the cursor goes to `step` (0-based, clamped) or stays where it was. */
  setScenario(scenario: Scenario, opts?: { readonly step?: number }): void;
  /**
   * The scenario gains a message at the end; the timeline is rebuilt and the cursor jumps to the message's
   * first step. Returns false (and adds a problem) when the scenario's limits would be exceeded.
   */
  addMessage(from: Side, text: string): boolean;
  dismissProblems(): void;
  /**
   * While the timeline is the first part of a long scenario (`Timeline.partial`, state/opening.ts): simulate
   * more, until `pause` (asked between events with the steps so far) says to stop; once the run has ended, the
   * whole timeline replaces the partial one and the cursor stays. True when nothing is left to do (also when
   * the timeline has been replaced meanwhile).
   */
  buildRest(pause: (steps: number) => boolean): boolean;
}

export const createScenarioSlice =
  (
    loader: ScenarioLoader,
    initial: {
      scenario: Scenario;
      view: ViewState;
      problems: readonly LinkProblem[];
      /** The scenario's run, advanced as far as the store opens (state/opening.ts); else it is built whole. */
      run?: StoryRun;
    },
  ): StateCreator<WirewalkState, [], [], ScenarioSlice> =>
  (set, get) => {
    const opening = initial.run?.timeline() ?? loader.build(initial.scenario);
    let rest = opening.partial ? initial.run : undefined;
    return {
      scenario: initial.scenario,
      view: initial.view,
      problems: initial.problems,
      timeline: opening,
      setScenario(scenario, opts) {
        loader.load(scenario, (timeline) => {
          const cursor = clampToRange(opts?.step ?? get().cursor, get().view, timeline);
          set({ scenario, timeline, cursor });
        });
      },
      addMessage(from, text) {
        const { scenario, timeline: before } = get();
        const problem = addedMessageProblem(scenario.messages, { from, text });
        if (problem) {
          set({ problems: [...get().problems, problem] });
          return false;
        }
        const next: Scenario = { ...scenario, messages: [...scenario.messages, { from, text }] };
        const timeline = loader.build(next);
        const cursor = clampToRange(
          messageFirstStep(timeline, next.messages.length - 1, firstDifference(before, timeline)),
          get().view,
          timeline,
        );
        set({ scenario: next, timeline, cursor, playing: false });
        return true;
      },
      dismissProblems() {
        set({ problems: [] });
      },
      buildRest(pause) {
        if (!rest || get().timeline !== opening) {
          rest = undefined;
          return true;
        }
        if (!rest.advance(pause)) return false;
        const whole = rest.timeline();
        rest = undefined;
        set({ timeline: whole });
        return true;
      },
    };
  };
