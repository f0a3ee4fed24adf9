// @vitest-environment jsdom
/**
 * The classroom on the whole app and real timelines: the lesson picker and introduction, presenter mode and
 * its keys (clicker keys, black screen, full screen, speaker window, leaving), the share key, and embed mode
 * (no header, keys only once focused, the locked range).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { lessonsInOrder } from '../../src/lesson/catalogue';
import { lessonContent } from '../../src/lesson/content';
import { parseLink } from '../../src/lesson/link';
import { LIMITS } from '../../src/sim/scenario';
import { lessonStartIndex, loadLessonContent } from '../../src/state/lesson';
import { withoutSpeaker } from '../../src/state/links';
import { selectStep } from '../../src/state/store';
import { preloadLazyChunks } from '../support/lazyChunks';
import { pressKey as key, renderApp } from '../support/renderApp';

// The share dialog and the self-check are lazy chunks: load them before any test waits for them to show.
beforeAll(() => Promise.all([loadLessonContent(), preloadLazyChunks()]), 120_000);
const title = () => screen.getByRole('heading', { level: 2, name: (_n, el) => el.id === 'narration-title' });

describe('bad links', () => {
  it('name every problem and what was used instead: unknown lesson, bad values, oversized message, step', () => {
    const huge = 'x'.repeat(LIMITS.maxMessageBytes + 1);
    const { store } = renderApp(`?lesson=nope&mss=abc&m=c:${huge}&step=99999`);
    const n = store.getState().timeline.steps.length;
    const notice = screen.getByRole('status');
    expect(notice).toHaveTextContent(/lesson=nope is not a built-in lesson .*; using websocket/);
    expect(notice).toHaveTextContent('mss=abc is not a whole number; using 1460');
    expect(notice).toHaveTextContent(/the m= messages add up to \d+ bytes of text, more than the limit/);
    expect(notice).toHaveTextContent(`step=99999 is past the end (${n} steps); showing step ${n}`);
    expect(notice).toHaveTextContent('4 parts of the link were changed');
    expect(store.getState().cursor).toBe(n - 1);
  });
});

describe('lesson picker', () => {
  it('lists every lesson in teaching order, named by its title', () => {
    renderApp('?lesson=websocket&step=2');
    const picker = screen.getByRole('combobox', { name: 'Lesson' });
    const options = within(picker).getAllByRole('option');
    expect(options.map((o) => (o as HTMLOptionElement).value)).toEqual(lessonsInOrder().map((l) => l.id));
    options.forEach((o, i) => expect(o).toHaveTextContent(`${i + 1}. ${lessonsInOrder()[i]!.title}`));
    expect(picker).toHaveValue('websocket');
  });

  it('choosing a lesson loads it at its start step with its introduction, until the lesson moves', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('?lesson=websocket&step=20');
    const lesson = lessonsInOrder().find((l) => l.id === 'tcp')!;
    await user.selectOptions(screen.getByRole('combobox', { name: 'Lesson' }), 'tcp');
    const s = store.getState();
    expect(s.scenario.lesson).toBe('tcp');
    expect(s.cursor).toBe(lessonStartIndex(lesson, s.timeline));
    expect(title()).toHaveTextContent(selectStep(s)!.title);
    const intro = screen.getByRole('region', { name: lesson.title });
    expect(intro).toHaveTextContent(lessonContent('tcp')!.intro);
    await user.click(within(intro).getByRole('button', { name: 'Start the lesson' }));
    expect(screen.queryByRole('region', { name: lesson.title })).toBeNull();

    const upgrade = lessonsInOrder().find((l) => l.id === 'upgrade')!;
    await user.selectOptions(screen.getByRole('combobox', { name: 'Lesson' }), 'upgrade');
    expect(screen.getByRole('region', { name: upgrade.title })).toBeInTheDocument();
    key('ArrowRight');
    expect(screen.queryByRole('region', { name: upgrade.title })).toBeNull();
  });

  it('the introduction starts with focus on its button, and Esc puts it away (focus to the narration)', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('?lesson=tcp');
    const lesson = lessonsInOrder().find((l) => l.id === 'tcp')!;
    const intro = screen.getByRole('region', { name: lesson.title });
    expect(within(intro).getByRole('button', { name: 'Start the lesson' })).toHaveFocus();
    const at = store.getState().cursor;
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: lesson.title })).toBeNull();
    expect(store.getState()).toMatchObject({ cursor: at, introOpen: false });
    expect(document.activeElement).toHaveClass('narration');
    key('Escape'); // with the card gone, Esc is the browser's again
    expect(store.getState().cursor).toBe(at);
  });

  it('shows the lesson’s aside under the narration where the lesson makes its point', () => {
    const { store } = renderApp('?lesson=tcp&step=1');
    const t = store.getState().timeline;
    const lesson = lessonContent('tcp')!;
    const at = t.steps.findIndex((st) => lesson.aside?.(st, t));
    expect(at).toBeGreaterThanOrEqual(0);
    act(() => store.getState().seek(at));
    const live = document.querySelector('.narration-main[aria-live="polite"]')!;
    expect(live).toHaveTextContent(lesson.aside!(t.steps[at]!, t)!);
    expect(live).toHaveTextContent('In this lesson');
  });

  it('at the last step offers "Check yourself", which can be hidden and brought back', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('?lesson=upgrade&step=2');
    expect(screen.queryByRole('region', { name: 'Check yourself' })).toBeNull();
    act(() => store.getState().last());
    const checks = await screen.findByRole('region', { name: 'Check yourself' });
    expect(within(checks).getAllByRole('group')).toHaveLength(lessonContent('upgrade')!.checks.length);
    // Arrows and Space on an answer belong to its radio group, not to the lesson.
    const radio = within(checks).getAllByRole('radio')[0]!;
    radio.focus();
    const last = store.getState().cursor;
    key('ArrowLeft', radio);
    key(' ', radio);
    expect(store.getState()).toMatchObject({ cursor: last, playing: false });
    // Once answered, arrows anywhere in the questions still leave the lesson (and the questions) where they are.
    const first = within(checks).getAllByRole('group')[0]!;
    await user.click(within(first).getAllByRole('radio')[0]!);
    await user.click(within(first).getByRole('button', { name: 'Check' }));
    for (const el of [
      first.querySelector<HTMLElement>('.check-feedback')!,
      within(first).getByRole('button', { name: 'Try again' }),
      within(checks).getByRole('button', { name: 'Hide the questions' }),
    ]) {
      el.focus();
      for (const k of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'PageUp']) key(k, el);
    }
    expect(store.getState().cursor).toBe(last);
    expect(screen.getByRole('region', { name: 'Check yourself' })).toBe(checks);
    key('ArrowLeft'); // outside the questions, the arrows step as ever
    expect(store.getState().cursor).toBe(last - 1);
    act(() => store.getState().last());
    const again = await screen.findByRole('region', { name: 'Check yourself' });
    await user.click(within(again).getByRole('button', { name: 'Hide the questions' }));
    expect(screen.queryByRole('region', { name: 'Check yourself' })).toBeNull();
    await user.click(screen.getByRole('button', { name: /^Check yourself \(\d+ questions?\)$/ }));
    expect(await screen.findByRole('region', { name: 'Check yourself' })).toBeInTheDocument();
  });
});

describe('presenter mode', () => {
  afterEach(() => vi.restoreAllMocks());

  it('at the end, the questions offer to reveal their answers to the class', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('?lesson=upgrade&step=2&present=1');
    act(() => store.getState().last());
    const checks = await screen.findByRole('region', { name: 'Check yourself' });
    await user.click(within(checks).getByRole('button', { name: 'Reveal the answers' }));
    const right = lessonContent('upgrade')!.checks.map((c) => c.choices[c.answer]!);
    for (const text of right) expect(checks).toHaveTextContent(`The answer is “${text}”.`);
  });

  it('P enters it: editing chrome gone, picker collapsed to the title, the link says present=1', () => {
    const { store, container } = renderApp('?lesson=websocket&step=5');
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeInTheDocument();
    key('p');
    expect(store.getState().view.present).toBe(true);
    expect(container.querySelector('.app')).toHaveClass('is-present');
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Lesson' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Dark theme' })).toBeNull();
    expect(screen.getByText('What is a WebSocket? The whole story', { exact: false })).toBeInTheDocument();
    for (const b of screen.getAllByRole('button')) expect(b).toHaveAccessibleName();
  });

  it('clicker keys step: PageDown/PageUp, →/←, Space plays', () => {
    const { store } = renderApp('?lesson=websocket&step=5&present=1');
    const at = () => store.getState().cursor;
    key('PageDown');
    key('ArrowRight');
    expect(at()).toBe(6);
    key('PageUp');
    key('ArrowLeft');
    expect(at()).toBe(4);
    key(' ');
    expect(store.getState().playing).toBe(true);
    key(' ');
    expect(store.getState().playing).toBe(false);
  });

  it('B blacks the screen and says so; any key brings it back without moving; . does the same', () => {
    const { store } = renderApp('?lesson=websocket&step=5&present=1');
    key('b');
    expect(screen.getByTestId('blackout')).toBeInTheDocument();
    expect(screen.getByText(/The screen is black/)).toBeInTheDocument();
    key('ArrowRight');
    expect(screen.queryByTestId('blackout')).toBeNull();
    expect(store.getState().cursor).toBe(4);
    key('.');
    expect(screen.getByTestId('blackout')).toBeInTheDocument();
    key('.');
    expect(screen.queryByTestId('blackout')).toBeNull();
    key('B');
    fireEvent.click(screen.getByTestId('blackout'));
    expect(screen.queryByTestId('blackout')).toBeNull();
  });

  it('Esc ends the blackout first, then presenter mode; outside it Esc does nothing', () => {
    const { store } = renderApp('?lesson=websocket&step=5&present=1');
    key('b');
    key('Escape');
    expect(store.getState()).toMatchObject({ blackout: false, view: { present: true } });
    key('Escape');
    expect(store.getState().view.present).toBe(false);
    const e = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    window.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(false);
  });

  it('F toggles full screen with the Fullscreen API, and leaving presenter mode leaves full screen', async () => {
    renderApp('?lesson=websocket&step=5&present=1');
    let fullscreen: Element | null = null;
    Object.defineProperty(document, 'fullscreenElement', { configurable: true, get: () => fullscreen });
    const request = vi.fn(() => {
      fullscreen = document.documentElement;
      return Promise.resolve();
    });
    const exit = vi.fn(() => {
      fullscreen = null;
      return Promise.resolve();
    });
    document.documentElement.requestFullscreen = request;
    document.exitFullscreen = exit;
    key('f');
    expect(request).toHaveBeenCalledTimes(1);
    key('Escape');
    await waitFor(() => expect(exit).toHaveBeenCalledTimes(1));
    expect(fullscreen).toBeNull();
  });

  it('S opens the speaker window on the same step, named so a second S brings it back', () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    renderApp('?lesson=masking&step=7&present=1');
    key('s');
    expect(open).toHaveBeenCalledTimes(1);
    const [url, name] = open.mock.calls[0]!;
    expect(name).toBe('wirewalk-speaker');
    const { search, speaker } = withoutSpeaker(new URL(String(url)).search);
    expect(speaker).toBe(true);
    expect(parseLink(search).state.view).toMatchObject({ step: 7, present: true });
    expect(parseLink(search).state.scenario.lesson).toBe('masking');
    fireEvent.click(screen.getByRole('button', { name: 'Speaker window' }));
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('the header buttons do what the keys do', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('?lesson=websocket&step=5');
    await user.click(screen.getByRole('button', { name: /^Present/ }));
    expect(store.getState().view.present).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Black screen' }));
    expect(screen.getByTestId('blackout')).toBeInTheDocument();
    act(() => store.getState().setBlackout(false));
    await user.click(screen.getByRole('button', { name: 'Leave presenter mode' }));
    expect(store.getState().view.present).toBe(false);
  });
});

describe('share key', () => {
  it('C opens the share dialog; keys inside it belong to the dialog; Esc closes it', async () => {
    const { store } = renderApp('?lesson=websocket&step=5');
    key('c');
    const dialog = await screen.findByRole('dialog', { name: 'Share this lesson' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    key('ArrowRight', within(dialog).getByRole('button', { name: 'Copy link to this step' }));
    expect(store.getState().cursor).toBe(4);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().view.present).toBe(false);
  });
});

describe('embed mode', () => {
  it('has no header, a titled focusable root and a small link to the full app at the same step', () => {
    const { container } = renderApp('?lesson=websocket&embed=1&step=6');
    expect(container.querySelector('.topbar')).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Lesson' })).toBeNull();
    const root = screen.getByRole('group', { name: /^Wirewalk: What is a WebSocket/ });
    expect(root).toHaveAttribute('tabindex', '0');
    const open = screen.getByRole('link', { name: 'Open in Wirewalk' });
    expect(open).toHaveAttribute('target', '_blank');
    expect(parseLink(open.getAttribute('href')!).state.view).toEqual({
      step: 6,
      present: false,
      embed: false,
      from: null,
      to: null,
    });
  });

  it('takes no key before it has focus (and prevents none), and steps once focused', () => {
    const { store } = renderApp('?lesson=websocket&embed=1&step=6');
    const before = new KeyboardEvent('keydown', { key: 'ArrowRight', cancelable: true, bubbles: true });
    window.dispatchEvent(before);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', cancelable: true, bubbles: true }));
    expect(before.defaultPrevented).toBe(false);
    expect(store.getState()).toMatchObject({ cursor: 5, playing: false });
    const root = screen.getByRole('group', { name: /^Wirewalk:/ });
    root.focus();
    key('ArrowRight', root);
    expect(store.getState().cursor).toBe(6);
    for (const k of ['p', 'b', 's', 'c', 'f']) key(k, root);
    expect(store.getState()).toMatchObject({ view: { present: false }, dialog: null, blackout: false });
  });

  it('locks playback and the scrubber to from=–to=', () => {
    const { store } = renderApp('?lesson=websocket&embed=1&from=10&to=14');
    const root = screen.getByRole('group', { name: /^Wirewalk:/ });
    const slider = screen.getByRole('slider', { name: 'Step' });
    expect(slider).toHaveAttribute('min', '10');
    expect(slider).toHaveAttribute('max', '14');
    expect(store.getState().cursor).toBe(9);
    expect(screen.getByRole('button', { name: 'Previous step' })).toBeDisabled();
    for (let i = 0; i < 8; i++) key('ArrowRight', root);
    expect(store.getState().cursor).toBe(13);
    expect(screen.getByRole('button', { name: 'Next step' })).toBeDisabled();
    key('Home', root);
    expect(store.getState().cursor).toBe(9);
    fireEvent.change(slider, { target: { value: '40' } });
    expect(store.getState().cursor).toBe(13);
    expect(screen.getByText('(steps 10–14)')).toBeInTheDocument();
  });
});
