/** Render a component inside a fresh store built on a given timeline (the fixture by default). */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { StoreProvider } from '../../src/state/context';
import { createWirewalkStore, type Build } from '../../src/state/store';
import type { Timeline } from '../../src/sim/types';
import { FIXTURE } from '../views/fixture';

export function renderWithStore(
  ui: ReactElement,
  opts: {
    timeline?: Timeline;
    build?: Build;
    step?: number;
    reducedMotion?: boolean;
    stepClock?: () => number;
  } = {},
) {
  const timeline = opts.timeline ?? FIXTURE;
  const store = createWirewalkStore({
    scenario: timeline.scenario,
    build: opts.build ?? (() => timeline),
    view: { step: opts.step ?? 1, present: false, embed: false, from: null, to: null },
    reducedMotion: opts.reducedMotion ?? true,
    ...(opts.stepClock ? { stepClock: opts.stepClock } : {}),
  });
  const result = render(<StoreProvider store={store}>{ui}</StoreProvider>);
  return { store, ...result };
}
