/**
 * Presenter and speaker windows stay in step over a BroadcastChannel ('wirewalk-presenter'): whichever window
 * moves (a step, a new message, another lesson, the black screen) tells the other, which follows. Messages
 * carry the scenario as its link query, so the other window rebuilds the same timeline (the simulator is
 * deterministic) and then only the cursor travels. A change that came from the channel is not sent back.
 *
 * The speaker window says `hello` when it opens; the presenter answers with where it is.
 */
import { parseLink } from '../lesson/link';
import { startQuery } from '../state/links';
import type { WirewalkStore } from '../state/store';

export const CHANNEL_NAME = 'wirewalk-presenter';

export type PresenterMessage =
  | { readonly type: 'hello' }
  | {
      readonly type: 'state';
      /** The scenario as a link query (startQuery). */
      readonly scenario: string;
      /** 0-based. */
      readonly cursor: number;
      readonly blackout: boolean;
    };

/** The part of BroadcastChannel used here (tests pass a pair of linked fakes). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type PresenterRole = 'presenter' | 'speaker';

function isMessage(data: unknown): data is PresenterMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  if (m.type === 'hello') return true;
  return (
    m.type === 'state' &&
    typeof m.scenario === 'string' &&
    typeof m.cursor === 'number' &&
    Number.isInteger(m.cursor) &&
    typeof m.blackout === 'boolean'
  );
}

export function connectPresenter(
  store: WirewalkStore,
  channel: ChannelLike,
  role: PresenterRole,
): () => void {
  let applying = false;
  const snapshot = (): PresenterMessage => {
    const s = store.getState();
    return { type: 'state', scenario: startQuery(s), cursor: s.cursor, blackout: s.blackout };
  };
  const send = () => channel.postMessage(snapshot());

  const apply = (m: Extract<PresenterMessage, { type: 'state' }>) => {
    const s = store.getState();
    applying = true;
    try {
      if (m.scenario !== startQuery(s)) {
        s.setScenario(parseLink(m.scenario).state.scenario, { step: m.cursor });
      } else if (m.cursor !== s.cursor) {
        s.seek(m.cursor);
      }
      // Both windows are in presenter mode (the speaker's link says present=1); elsewhere this does nothing.
      if (m.blackout !== store.getState().blackout) s.setBlackout(m.blackout);
    } finally {
      applying = false;
    }
  };

  const onMessage = (event: MessageEvent) => {
    const m: unknown = event.data;
    if (!isMessage(m)) return;
    if (m.type === 'hello') {
      if (role === 'presenter') send();
    } else apply(m);
  };
  channel.addEventListener('message', onMessage);
  const unsubscribe = store.subscribe((s, prev) => {
    if (applying) return;
    if (s.cursor !== prev.cursor || s.scenario !== prev.scenario || s.blackout !== prev.blackout) send();
  });
  if (role === 'speaker') channel.postMessage({ type: 'hello' } satisfies PresenterMessage);
  else send();
  return () => {
    unsubscribe();
    channel.removeEventListener('message', onMessage);
    channel.close();
  };
}

/** Connect over a real BroadcastChannel, where the browser has one (not every file:// page does). */
export function openPresenterChannel(store: WirewalkStore, role: PresenterRole): () => void {
  if (typeof BroadcastChannel !== 'function') return () => {};
  try {
    return connectPresenter(store, new BroadcastChannel(CHANNEL_NAME), role);
  } catch {
    return () => {};
  }
}
