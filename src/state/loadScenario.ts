/**
 * The one way a new scenario gets its timeline: the larger stories are loaded on demand, so a scenario whose
 * story is not loaded yet is built once it is. Both `setScenario` and `chooseLesson` go through here.
 */
import type { Scenario } from '../sim/scenario';
import type { Timeline } from '../sim/types';

export type Build = (scenario: Scenario) => Timeline;
/**
 * Makes sure a story can be built: `null` when it can now, else a promise for when it can (the larger stories
 * are loaded on demand).
 */
/** `tls`: the scenario needs sim/tlsStories.ts (TLS, or permessage-deflate). */
export type Prepare = (story: Scenario['story'], tls: boolean) => Promise<void> | null;

export interface ScenarioLoader {
  /** Build a scenario now (its story must be loaded: the store's first scenario, a composed message). */
  readonly build: Build;
  /**
   * Build `scenario` and hand its timeline to `apply`: at once when its story is loaded, else once it is.
   * The latest call wins: a scenario still waiting for its story when another is asked for is dropped.
   * `apply` reads the store when it runs, not when it was asked for.
   */
  load(scenario: Scenario, apply: (timeline: Timeline) => void): void;
}

/** One per store. */
export function scenarioLoader(build: Build, prepare: Prepare): ScenarioLoader {
  let latest = 0;
  const attempt = (ticket: number, scenario: Scenario, apply: (timeline: Timeline) => void): void => {
    if (ticket !== latest) return;
    // TLS and permessage-deflate come in the same on-demand chunk (state/stories.ts needsExtraLibraries).
    const pending = prepare(scenario.story, (scenario.tls ?? false) || (scenario.deflate ?? false));
    if (pending) {
      void pending.then(() => attempt(ticket, scenario, apply)).catch(() => undefined);
      return;
    }
    apply(build(scenario));
  };
  return {
    build,
    load(scenario, apply) {
      attempt(++latest, scenario, apply);
    },
  };
}
