/**
 * The composer lands on the new message in every story (issue 15). Each case opens a real link the way the
 * page does (`loadStoreFromLink`), composes a message with a text no story prints on its own, and checks
 * that the cursor is on the first step that shows that text anywhere: its title, its sentences, its console
 * lines, or the application payload of the packet it concerns. That is found from the timeline's content,
 * not from `Step.message`, so a story that marks the wrong step fails here.
 */
import { loadStoreFromLink } from '../../src/state/boot';
import { selectStep } from '../../src/state/store';
import type { Side } from '../../src/sim/scenario';
import type { Packet, Step, Timeline } from '../../src/sim/types';

const TEXT = 'zebra-7q';

function appText(p: Packet | undefined): string {
  const app = p?.app;
  if (!app) return '';
  if (app.kind === 'ws-frame') return app.text;
  if (app.kind === 'engineio') return app.packets.join('\n');
  return p.summary;
}

/** The first step whose words, console or packet carry `text`: where the message first appears. */
function firstMention(t: Timeline, text: string): number {
  const mentions = (s: Step): boolean =>
    s.title.includes(text) ||
    s.text.includes(text) ||
    (s.console ?? []).some((l) => l.text.includes(text)) ||
    (s.packet !== undefined && appText(t.packets[s.packet]).includes(text));
  return t.steps.findIndex(mentions);
}

// Every story: the WebSocket lessons, Socket.IO with each emit kind and both transports, reconnection,
// the polling comparison. A `step=` in the link puts the cursor somewhere first, as a teacher's link does.
const LINKS = [
  '?lesson=websocket',
  '?lesson=osi',
  '?lesson=tcp',
  '?lesson=upgrade',
  '?lesson=frames',
  '?lesson=masking',
  '?lesson=close',
  '?lesson=loss',
  '?lesson=websocket&frag=3',
  '?lesson=socketio',
  '?lesson=socketio&transport=polling',
  '?lesson=emit&step=110',
  '?lesson=emit&emit=socket',
  '?lesson=emit&emit=io',
  '?lesson=emit&emit=room',
  '?lesson=reconnect',
  '?lesson=polling-vs-websocket',
  '?lesson=wss',
  '?lesson=socketio&tls=1',
];

describe('the composer lands on the new message', () => {
  for (const link of LINKS) {
    for (const from of ['c', 's'] as Side[]) {
      it(`${link}, ${from === 'c' ? 'sent from the client' : 'pushed from the server'}`, async () => {
        const store = await loadStoreFromLink(link);
        expect(store.getState().timeline.steps.length).toBeGreaterThan(1); // the story is loaded
        expect(firstMention(store.getState().timeline, TEXT)).toBe(-1);
        expect(store.getState().addMessage(from, TEXT)).toBe(true);
        const { timeline, cursor } = store.getState();
        const expected = firstMention(timeline, TEXT);
        expect(expected).toBeGreaterThan(0);
        expect(cursor).toBe(expected);
        expect(selectStep(store.getState())).toBe(timeline.steps[expected]);
      });
    }
  }

  it('lands on the second of two identical messages, not on the first', async () => {
    const store = await loadStoreFromLink('?lesson=socketio');
    store.getState().addMessage('c', TEXT);
    store.getState().addMessage('c', TEXT);
    const { timeline, cursor } = store.getState();
    // The page's socket.emit calls that send the text: one per message.
    const emits = timeline.steps.filter(
      (s) => s.host === 'client' && s.title.includes('socket.emit(') && s.title.includes(TEXT),
    );
    expect(emits).toHaveLength(2);
    expect(cursor).toBe(emits[1]!.index);
  });
});
