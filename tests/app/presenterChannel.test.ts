/**
 * Presenter and speaker windows over the BroadcastChannel protocol, with two real stores on real timelines
 * and a pair of linked in-memory channels (delivery is asynchronous, as BroadcastChannel's is).
 */
import { connectPresenter, type ChannelLike, type PresenterMessage } from '../../src/app/presenterChannel';
import { storeFromLink } from '../../src/state/boot';
import { withoutSpeaker } from '../../src/state/links';

type Listener = (event: MessageEvent) => void;

/** Messages posted and not yet delivered, on every channel of this file. */
let inFlight = 0;

/** Two ends of one channel: what one posts, the other hears (never itself), one task later. */
function channelPair(): [ChannelLike & { sent: unknown[] }, ChannelLike & { sent: unknown[] }] {
  const make = () => {
    const listeners = new Set<Listener>();
    return {
      sent: [] as unknown[],
      listeners,
      peer: null as null | { listeners: Set<Listener> },
      closed: false,
      postMessage(message: unknown) {
        this.sent.push(message);
        const data = structuredClone(message);
        const targets = [...this.peer!.listeners];
        inFlight++;
        setTimeout(() => {
          targets.forEach((l) => l({ data } as MessageEvent));
          inFlight--;
        }, 0);
      },
      addEventListener(_t: 'message', l: Listener) {
        listeners.add(l);
      },
      removeEventListener(_t: 'message', l: Listener) {
        listeners.delete(l);
      },
      close() {
        this.closed = true;
      },
    };
  };
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Until every message posted (and every answer to one) has been delivered: a condition, not a delay. */
const settle = async (): Promise<void> => {
  do await new Promise((r) => setTimeout(r, 0));
  while (inFlight > 0);
};

function pair(link = '?lesson=websocket&step=10&present=1') {
  const presenter = storeFromLink(link);
  const speaker = storeFromLink(withoutSpeaker(`?lesson=websocket&step=1&present=1&speaker=1`).search);
  const [a, b] = channelPair();
  const stopA = connectPresenter(presenter, a, 'presenter');
  const stopB = connectPresenter(speaker, b, 'speaker');
  return { presenter, speaker, a, b, stop: () => (stopA(), stopB()) };
}

describe('presenter channel', () => {
  it('the speaker window says hello and takes up the presenter’s step', async () => {
    const { presenter, speaker, b, stop } = pair();
    expect(b.sent[0]).toEqual({ type: 'hello' } satisfies PresenterMessage);
    await settle();
    expect(speaker.getState().cursor).toBe(9);
    expect(speaker.getState().cursor).toBe(presenter.getState().cursor);
    stop();
  });

  it('stepping in either window moves both', async () => {
    const { presenter, speaker, stop } = pair();
    await settle();
    presenter.getState().next();
    await settle();
    expect(speaker.getState().cursor).toBe(10);
    speaker.getState().next();
    speaker.getState().next();
    await settle();
    expect(presenter.getState().cursor).toBe(12);
    speaker.getState().first();
    await settle();
    expect(presenter.getState().cursor).toBe(0);
    stop();
  });

  it('a new message or another lesson in the presenter rebuilds the same timeline in the speaker window', async () => {
    const { presenter, speaker, stop } = pair();
    await settle();
    presenter.getState().addMessage('s', 'pushed');
    await settle();
    expect(speaker.getState().scenario).toEqual(presenter.getState().scenario);
    expect(speaker.getState().cursor).toBe(presenter.getState().cursor);
    expect(speaker.getState().timeline.steps[speaker.getState().cursor]!.title).toBe(
      presenter.getState().timeline.steps[presenter.getState().cursor]!.title,
    );
    presenter.getState().chooseLesson('tcp');
    await settle();
    expect(speaker.getState().scenario.lesson).toBe('tcp');
    expect(speaker.getState().cursor).toBe(presenter.getState().cursor);
    stop();
  });

  it('the black screen follows both ways', async () => {
    const { presenter, speaker, stop } = pair();
    await settle();
    presenter.getState().setBlackout(true);
    await settle();
    expect(speaker.getState().blackout).toBe(true);
    speaker.getState().setBlackout(false);
    await settle();
    expect(presenter.getState().blackout).toBe(false);
    stop();
  });

  it('does not echo: a change that came from the channel is not sent back', async () => {
    const { presenter, a, b, stop } = pair();
    await settle();
    const before = b.sent.length;
    presenter.getState().next();
    await settle();
    expect(a.sent.at(-1)).toMatchObject({ type: 'state', cursor: 10 });
    expect(b.sent.length).toBe(before);
    stop();
  });

  it('ignores malformed messages and closes the channel when stopped', async () => {
    const presenter = storeFromLink('?lesson=websocket&step=3');
    const [a, b] = channelPair();
    const stop = connectPresenter(presenter, a, 'presenter');
    for (const junk of [null, 'x', { type: 'state', cursor: 'no' }, { type: 'state' }, { type: 'other' }])
      b.postMessage(junk);
    b.postMessage({ type: 'state', scenario: 'lesson=websocket', cursor: 1.5, blackout: false });
    await settle();
    expect(presenter.getState().cursor).toBe(2);
    stop();
    expect((a as unknown as { closed: boolean }).closed).toBe(true);
  });
});
