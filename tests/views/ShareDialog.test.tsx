// @vitest-environment jsdom
/**
 * The share dialog on a real timeline: the two links reproduce the scenario and step, the QR code on screen
 * scans (with an independent reader) to the link, the embed snippet carries embed=1 and the range, copying
 * uses the clipboard or falls back to selecting the text; and it is an accessible modal.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseLink } from '../../src/lesson/link';
import { storeFromLink } from '../../src/state/boot';
import { StoreProvider, useWirewalk } from '../../src/state/context';
import { ShareDialog } from '../../src/views/share/ShareDialog';
import { scanQrSvg } from '../support/scanQr';

/** Shows the dialog while the store says so, as the app does. */
function Host() {
  const open = useWirewalk((s) => s.dialog === 'share');
  return open ? <ShareDialog /> : null;
}

const LINK = '?lesson=masking&seed=99&m=c:Hi%20class&m=s:hello&step=17&present=1';

function renderDialog(link = LINK) {
  const store = storeFromLink(link, { reducedMotion: true });
  window.history.replaceState(null, '', `/course/wirewalk/${link}`);
  const opener = document.createElement('button');
  opener.textContent = 'Share';
  document.body.appendChild(opener);
  opener.focus();
  act(() => store.getState().openDialog('share'));
  const result = render(
    <StoreProvider store={store}>
      <Host />
    </StoreProvider>,
  );
  return { store, opener, ...result };
}

const field = (name: RegExp | string) => screen.getByRole('textbox', { name }) as HTMLTextAreaElement;

describe('ShareDialog', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('is a labelled modal dialog with focus on the first copy button', () => {
    renderDialog();
    const dialog = screen.getByRole('dialog', { name: 'Share this lesson' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByRole('button', { name: 'Copy link to this step' })).toHaveFocus();
  });

  it('links to this step and from the start, reproducing the scenario exactly, without presenter mode', () => {
    const { store } = renderDialog();
    const step = field('Link to step 17').value;
    const start = field('Link from the start').value;
    expect(step.startsWith(`${window.location.origin}/course/wirewalk/?`)).toBe(true);
    const a = parseLink(step);
    expect(a.problems).toEqual([]);
    expect(a.state.scenario).toEqual(store.getState().scenario);
    expect(a.state.view).toEqual({ step: 17, present: false, embed: false, from: null, to: null });
    const b = parseLink(start);
    expect(b.state.scenario).toEqual(store.getState().scenario);
    expect(b.state.view.step).toBeNull();
  });

  it('shows a QR code that scans to the link to this step, or from the start', async () => {
    const user = userEvent.setup();
    renderDialog();
    const qr = screen.getByRole('img', {
      name: 'QR code of the link to step 17',
    }) as unknown as SVGSVGElement;
    expect(scanQrSvg(qr)).toBe(field('Link to step 17').value);
    await user.click(screen.getByRole('radio', { name: 'from the start' }));
    const qr2 = screen.getByRole('img', {
      name: 'QR code of the link from the start',
    }) as unknown as SVGSVGElement;
    expect(scanQrSvg(qr2)).toBe(field('Link from the start').value);
  });

  it('gives the iframe snippet, titled after the lesson, with an optional locked range', async () => {
    const user = userEvent.setup();
    const { store } = renderDialog();
    const title = 'Wirewalk: Masking';
    const snippet = () => field('Embed code (HTML)').value;
    const src = () =>
      snippet()
        .match(/src="([^"]*)"/)![1]!
        .replace(/&amp;/g, '&');
    expect(snippet()).toMatch(
      /^<iframe src="[^"]+" title="[^"]+" width="960" height="600" loading="lazy"><\/iframe>$/,
    );
    expect(snippet()).toContain(`title="${title}`);
    expect(parseLink(src()).state.view).toEqual({
      step: 17,
      present: false,
      embed: true,
      from: null,
      to: null,
    });
    expect(parseLink(src()).state.scenario).toEqual(store.getState().scenario);
    await user.type(screen.getByRole('spinbutton', { name: 'From step' }), '20');
    await user.type(screen.getByRole('spinbutton', { name: 'to step' }), '30');
    expect(parseLink(src()).state.view).toMatchObject({ embed: true, from: 20, to: 30, step: null });
    await user.clear(screen.getByRole('spinbutton', { name: 'to step' }));
    await user.type(screen.getByRole('spinbutton', { name: 'to step' }), '5');
    expect(screen.getByText(/is after “to”/)).toBeInTheDocument();
    expect(parseLink(src()).state.view).toMatchObject({ from: null, to: null });
  });

  it('copies with the Clipboard API and says so', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Copy link to this step' }));
    await waitFor(() => expect(screen.getByText('Link to step 17 copied.')).toBeInTheDocument());
    expect(writeText).toHaveBeenCalledWith(field('Link to step 17').value);
    fireEvent.click(screen.getByRole('button', { name: 'Copy embed code' }));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(field('Embed code (HTML)').value));
  });

  it('without a clipboard, selects the text and says how to copy it', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
    document.execCommand = vi.fn(() => false);
    renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Copy link from the start' }));
    await waitFor(() =>
      expect(screen.getByText(/Link from the start selected: press Ctrl\+C/)).toBeInTheDocument(),
    );
    const start = field('Link from the start');
    expect(start).toHaveFocus();
    expect(start.selectionStart).toBe(0);
    expect(start.selectionEnd).toBe(start.value.length);
  });

  // Tab staying inside (the page behind is inert) needs a real browser: tests/e2e/dialog.test.ts.
  it('opens as a native modal <dialog>, closes on Esc and gives focus back', async () => {
    const user = userEvent.setup();
    const { store, opener } = renderDialog();
    const dialog = screen.getByRole('dialog') as HTMLDialogElement;
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog.open).toBe(true);
    await user.keyboard('{Escape}');
    expect(store.getState().dialog).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('closes with its button, and when the browser closes it', async () => {
    const user = userEvent.setup();
    const { store, opener } = renderDialog();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(store.getState().dialog).toBeNull();
    expect(opener).toHaveFocus();
    act(() => store.getState().openDialog('share'));
    const dialog = screen.getByRole('dialog') as HTMLDialogElement;
    act(() => dialog.close());
    expect(store.getState().dialog).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
