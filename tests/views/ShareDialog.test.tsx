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
import {
  CHAT_SAFE_LENGTH,
  QR_MAX_BYTES,
  QR_MAX_BYTES_LEVEL_M,
  longLinkWarning,
  tooLongForQr,
} from '../../src/views/share/linkLength';
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

/**
 * A link with `count` messages of `length` characters each: pseudo-random letters and digits (a fixed seed),
 * so that even the compressed form Wirewalk writes long links in (#z=) stays long.
 */
function longLink(count: number, length: number): string {
  let seed = 7;
  const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const text = (i: number) => {
    let t = `Message ${i + 1}: `;
    while (t.length < length) t += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)];
    return t;
  };
  const messages = Array.from(
    { length: count },
    (_, i) => `m=${i % 2 ? 's' : 'c'}:${encodeURIComponent(text(i))}`,
  );
  return `?lesson=masking&${messages.join('&')}&step=3`;
}

/** Text as toHaveTextContent compares it: any run of white space (the no-break spaces too) as one space. */
const said = (el: HTMLElement | null) => (el?.textContent ?? '').replace(/\s+/g, ' ');
/** A count as people read it, digits grouped in threes: "2 953". */
const spaced = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

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

  it('shows how long each link is', () => {
    renderDialog();
    for (const name of ['Link to step 17', 'Link from the start']) {
      const link = field(name);
      const description = document.getElementById(link.getAttribute('aria-describedby')!);
      expect(said(description)).toBe(`${spaced(link.value.length)} characters`);
    }
  });

  it('draws a short link as a QR code at level M, and gives no long-link warning', () => {
    renderDialog();
    const qr = screen.getByRole('img', { name: 'QR code of the link to step 17' });
    expect(qr).toHaveAttribute('data-level', 'M');
    expect(screen.queryByText(/too long for a QR code/)).toBeNull();
    expect(screen.queryByText(/chat apps/)).toBeNull();
  });

  it('draws a link longer than level M holds at level L, still scanning, and warns about chat apps', () => {
    renderDialog(longLink(6, 370));
    const step = field('Link to step 3').value;
    expect(step.length).toBeGreaterThan(Math.max(QR_MAX_BYTES_LEVEL_M, CHAT_SAFE_LENGTH));
    expect(step.length).toBeLessThanOrEqual(QR_MAX_BYTES);
    const qr = screen.getByRole('img', { name: 'QR code of the link to step 3' }) as unknown as SVGSVGElement;
    expect(qr).toHaveAttribute('data-level', 'L');
    expect(scanQrSvg(qr, 3)).toBe(step);
    expect(said(screen.getByText(/some chat apps may cut/i))).toContain(
      `The link to step 3 is ${spaced(step.length)} characters long.`,
    );
    expect(screen.queryByText(/too long for a QR code/)).toBeNull();
  });

  it('says a link too long for a QR code is too long, draws no code, and says what to do instead', async () => {
    const user = userEvent.setup();
    renderDialog(longLink(12, 400));
    const step = field('Link to step 3').value;
    const start = field('Link from the start').value;
    expect(start.length).toBeGreaterThan(QR_MAX_BYTES);
    expect(screen.queryByRole('img', { name: /QR code/ })).toBeNull();
    expect(document.querySelector('svg')).toBeNull();
    expect(screen.queryByText(/Scan to open/)).toBeNull();
    const sentence = screen.getByText(/too long for a QR code/);
    expect(said(sentence)).toBe(
      `This link is too long for a QR code: ${spaced(step.length)} characters; a QR code holds at most ` +
        '2 953. Copy the link instead and send it (e-mail, the course page), or share a shorter scenario ' +
        '(fewer or shorter messages) for a code to scan.',
    );
    // The chat-app warning, with the length.
    const warning = screen.getByText(/chat apps/);
    expect(said(warning)).toContain(`The link to step 3 is ${spaced(step.length)} characters long.`);
    expect(said(warning)).toContain('Some chat apps may cut links longer than about 2 000 characters');
    // Wirewalk writes a link this long in the compressed form, and the warning says so.
    expect(step).toContain('#z=');
    expect(said(warning)).toContain('Wirewalk already wrote it in the compressed form (#z=…');
    // From the start: still too long, said the same way.
    await user.click(screen.getByRole('radio', { name: 'from the start' }));
    expect(screen.queryByRole('img', { name: /QR code/ })).toBeNull();
    expect(said(screen.getByText(/too long for a QR code/))).toContain(`${spaced(start.length)} characters`);
  });

  it('points to the link from the start when only that one fits in a QR code', () => {
    const start = `https://example.org/?lesson=masking&m=c:${'a'.repeat(QR_MAX_BYTES - 50)}`;
    const step = `${start.slice(0, QR_MAX_BYTES - 2)}&step=1234`;
    expect(tooLongForQr(step, 'from the start').replace(/\s+/g, ' ')).toBe(
      `This link is too long for a QR code: ${spaced(step.length)} characters; a QR code holds at most ` +
        '2 953. Choose “from the start” below for a code to scan, or copy the link and send it.',
    );
  });

  it('says a long link in the compressed #z= form was compressed, and that chat apps may still cut it', () => {
    const plain = `https://example.org/?lesson=masking&m=c:${'a'.repeat(2100)}`;
    const compressed = `https://example.org/?lesson=masking#z=${'A'.repeat(2100)}`;
    expect(longLinkWarning(plain.slice(0, CHAT_SAFE_LENGTH))).toBeNull();
    expect(longLinkWarning(plain)).not.toContain('#z=');
    expect(longLinkWarning(compressed)).toBe(
      `This link is 2\u00a0138 characters long. Wirewalk already wrote it in the compressed form (#z=…, after ` +
        'the #, which no server sees). Some chat apps may cut links longer than about 2\u00a0000 characters: ' +
        'check that it opens after pasting, or send it by e-mail.',
    );
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
