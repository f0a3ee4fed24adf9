// @vitest-environment jsdom
/**
 * No spoilers in the sequence diagram: in presenter mode (by default) the packets still to come are not drawn
 * at all, so their Seq and Ack cannot be read before the class has guessed them; the "Hide next" button turns
 * that off and on per mode. And the diagram says its Seq/Ack numbers are relative.
 */
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StoreProvider } from '../../src/state/context';
import { createWirewalkStore, type HideFuture } from '../../src/state/store';
import { LadderDiagram } from '../../src/views/ladder/LadderDiagram';
import { ClassroomControls } from '../../src/views/presenter/ClassroomControls';
import {
  chaptersWithRelativeNumbers,
  relativeNote,
  RELATIVE_NOTE,
  shownArrows,
  showsRelativeNumbers,
} from '../../src/views/ladder/spoilers';
import type { LadderArrow } from '../../src/views/ladder/layout';
import { FIXTURE, PACKETS, STEPS } from './fixture';

const shell = { fullscreen: () => undefined, speaker: () => undefined };

function renderLadder(opts: { present: boolean; step: number; hideFuture?: HideFuture }) {
  const store = createWirewalkStore({
    scenario: FIXTURE.scenario,
    build: () => FIXTURE,
    view: { step: opts.step, present: opts.present, embed: false, from: null, to: null },
    reducedMotion: true,
    ...(opts.hideFuture ? { hideFuture: opts.hideFuture } : {}),
  });
  const result = render(
    <StoreProvider store={store}>
      <ClassroomControls shell={shell} />
      <LadderDiagram />
    </StoreProvider>,
  );
  return { store, ...result };
}

const drawn = () =>
  screen
    .getAllByRole('button', { name: /^Packet \d+/ })
    .map((a) => Number(/^Packet (\d+)/.exec(a.getAttribute('aria-label')!)![1]));
/** The (0-based) step at which packet `wireIndex` goes onto the wire; links and `view.step` are 1-based. */
const sentAt = (wireIndex: number) =>
  STEPS.findIndex((s) => s.packet === wireIndex - 1 && s.kind === 'transmit');

describe('no spoilers', () => {
  it('in presenter mode the packets to come are not drawn, and appear as they happen', () => {
    const { store } = renderLadder({ present: true, step: sentAt(2) + 1 });
    expect(drawn()).toEqual([1, 2]);
    // The third packet's numbers are nowhere on the page, not even greyed.
    expect(document.body).not.toHaveTextContent(PACKETS[2]!.summary);
    act(() => store.getState().seek(sentAt(3)));
    expect(drawn()).toEqual([1, 2, 3]);
    expect(screen.getByRole('region', { name: /packets still to come are hidden/ })).toBeInTheDocument();
  });

  it('outside presenter mode everything is drawn unless asked', async () => {
    const user = userEvent.setup();
    const { store } = renderLadder({ present: false, step: sentAt(2) + 1 });
    expect(drawn()).toEqual(PACKETS.map((p) => p.wireIndex));
    const toggle = screen.getByRole('button', { name: 'Hide next packets' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(drawn()).toEqual([1, 2]);
    expect(store.getState().hideFuture).toEqual({ present: true, normal: true });
  });

  it('the presenter can show them again; each mode keeps its own choice', async () => {
    const user = userEvent.setup();
    const { store } = renderLadder({ present: true, step: sentAt(2) });
    const toggle = () => screen.getByRole('button', { name: 'Hide next packets' });
    expect(toggle()).toHaveAttribute('aria-pressed', 'true');
    await user.click(toggle());
    expect(drawn()).toEqual(PACKETS.map((p) => p.wireIndex));
    expect(store.getState().hideFuture).toEqual({ present: false, normal: false });
    act(() => store.getState().setPresent(false));
    expect(toggle()).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle());
    act(() => store.getState().setPresent(true));
    expect(toggle()).toHaveAttribute('aria-pressed', 'false');
    expect(drawn()).toEqual(PACKETS.map((p) => p.wireIndex));
  });

  it('a remembered choice is where a store starts', () => {
    renderLadder({ present: true, step: sentAt(2), hideFuture: { present: false, normal: false } });
    expect(drawn()).toEqual(PACKETS.map((p) => p.wireIndex));
  });
});

describe('relative numbers', () => {
  it('bands with Seq/Ack labels say the numbers are relative; the arrows say it to screen readers', () => {
    renderLadder({ present: false, step: 1 });
    const svg = document.querySelector('svg.ladder-svg')!;
    const notes = [...svg.querySelectorAll('.band-note')].map((n) => n.textContent);
    expect(notes.length).toBeGreaterThan(0);
    notes.forEach((n) => expect([RELATIVE_NOTE, 'relative']).toContain(n));
    const handshakeBand = within(svg as unknown as HTMLElement)
      .getByText('TCP handshake')
      .closest('g')!;
    expect(handshakeBand.querySelector('.band-note')).not.toBeNull();
    expect(screen.getByRole('button', { name: /^Packet 1,/ })).toHaveAccessibleName(
      /\[SYN\] Seq=0 .* \(relative Seq and Ack\)/,
    );
    expect(screen.getByRole('button', { name: /^Packet 4,/ })).not.toHaveAccessibleName(/relative/);
  });

  it('labels with Seq= or Ack= have relative numbers; others do not', () => {
    expect(showsRelativeNumbers('[SYN, ACK] Seq=0 Ack=1 Win=64240')).toBe(true);
    expect(showsRelativeNumbers('[TCP segment of a reassembled PDU] Seq=201 Len=200')).toBe(true);
    expect(showsRelativeNumbers('WebSocket Text [FIN] "Seq=1"')).toBe(true); // a message may say it: harmless
    expect(showsRelativeNumbers('HTTP/1.1 101 Switching Protocols')).toBe(false);
  });

  it('the note shortens, then gives way, when the strip is narrow', () => {
    expect(relativeNote('TCP handshake', 900)).toBe(RELATIVE_NOTE);
    expect(relativeNote('TCP handshake', 320)).toBe(RELATIVE_NOTE);
    expect(relativeNote('WebSocket messages', 320)).toBe('relative');
    expect(relativeNote('A very long chapter title indeed', 320)).toBeNull();
  });

  it('notes chapters, not drawn rows (stable as the window scrolls), and only packets shown so far', () => {
    const all = chaptersWithRelativeNumbers(FIXTURE, null);
    expect([...all]).toContain('tcp-handshake');
    expect(chaptersWithRelativeNumbers(FIXTURE, null)).toEqual(all);
    const firstSyn = STEPS.findIndex((s) => s.packet === 0);
    expect(chaptersWithRelativeNumbers(FIXTURE, firstSyn - 1).size).toBe(0);
    expect([...chaptersWithRelativeNumbers(FIXTURE, firstSyn)]).toEqual(['tcp-handshake']);
  });

  it('shownArrows keeps past and current arrows only when hiding', () => {
    const a = (time: LadderArrow['time']) => ({ time }) as LadderArrow;
    const all = [a('past'), a('current'), a('future')];
    expect(shownArrows(all, false)).toBe(all);
    expect(shownArrows(all, true).map((x) => x.time)).toEqual(['past', 'current']);
  });
});
