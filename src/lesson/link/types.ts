/** What a link carries besides the scenario (the view), and the problems reading one reports. */
import type { Scenario } from '../../sim/scenario';

export interface ViewState {
  /** 1-based as in the link; null = not given. */
  readonly step: number | null;
  readonly present: boolean;
  readonly embed: boolean;
  /** Embed locked range, 1-based. */
  readonly from: number | null;
  readonly to: number | null;
}

export interface LinkState {
  readonly scenario: Scenario;
  readonly view: ViewState;
}

/**
 * `param` is the parameter's name ('' for the "and N more problems" summary); `message` is a whole sentence
 * for people; `used` is the value now in effect, written as in a link ('1460', 'none', '3,5'), or '' when
 * the parameter was dropped and nothing stands in for it.
 */
export interface LinkProblem {
  readonly param: string;
  readonly message: string;
  readonly used: string;
}

export const DEFAULT_VIEW: ViewState = { step: null, present: false, embed: false, from: null, to: null };
