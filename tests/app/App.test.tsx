// @vitest-environment jsdom
/**
 * The whole stage on a real simulator timeline (buildTimeline via the link), driven by keyboard, mouse and
 * the composer.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../src/app/App';
import { storeFromLink } from '../../src/state/boot';
import { StoreProvider } from '../../src/state/context';
import { selectPacket, selectStep } from '../../src/state/store';
import { preloadLazyChunks } from '../support/lazyChunks';
import { pressKey as key, renderApp } from '../support/renderApp';

// The inspector and the code panel are lazy chunks: load them before any test waits for them to show.
beforeAll(preloadLazyChunks, 120_000);

describe('App on a real timeline', () => {
  it('opens at the link step and narrates it in a polite live region', () => {
    const { store } = renderApp('?lesson=websocket&step=12');
    expect(store.getState().cursor).toBe(11);
    expect(store.getState().timeline.steps.length).toBeGreaterThan(50);
    const live = document.querySelector('[aria-live="polite"]')!;
    expect(live).toHaveTextContent(selectStep(store.getState())!.title);
    expect(
      screen.getByText(`of ${store.getState().timeline.steps.length}`, { exact: false }),
    ).toBeInTheDocument();
  });

  it('names every control', () => {
    renderApp();
    for (const button of screen.getAllByRole('button')) expect(button).toHaveAccessibleName();
    for (const input of screen.getAllByRole('textbox')) expect(input).toHaveAccessibleName();
    expect(screen.getByRole('slider')).toHaveAccessibleName('Step');
    expect(screen.getByRole('tablist')).toHaveAccessibleName();
  });

  it('steps with the keyboard map: → L PageDown, ← J PageUp, Home, End, Space and K', () => {
    const { store } = renderApp();
    const at = () => store.getState().cursor;
    key('ArrowRight');
    key('l');
    key('PageDown');
    expect(at()).toBe(3);
    key('ArrowLeft');
    key('j');
    expect(at()).toBe(1);
    key('PageUp');
    expect(at()).toBe(0);
    key('End');
    expect(at()).toBe(store.getState().timeline.steps.length - 1);
    key('Home');
    expect(at()).toBe(0);
    key(' ');
    expect(store.getState().playing).toBe(true);
    key('k');
    expect(store.getState().playing).toBe(false);
  });

  it('stepping back shows the previous state at once', () => {
    const { store } = renderApp('?lesson=websocket&step=20');
    const title = (i: number) => store.getState().timeline.steps[i]!.title;
    key('ArrowLeft');
    expect(screen.getByRole('heading', { level: 2, name: title(18) })).toBeInTheDocument();
    key('ArrowRight');
    expect(screen.getByRole('heading', { level: 2, name: title(19) })).toBeInTheDocument();
  });

  it('ignores the keyboard map while typing in the composer, then sends from the client', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('?lesson=websocket&step=5');
    const input = screen.getByRole('textbox', { name: 'Message' });
    await user.click(input);
    await user.type(input, 'lj k{ArrowRight}{Home}');
    expect(store.getState().cursor).toBe(4);
    expect(store.getState().playing).toBe(false);
    expect(input).toHaveValue('lj k');
    await user.click(screen.getByRole('button', { name: 'Send from client' }));
    const s = store.getState();
    expect(s.scenario.messages.at(-1)).toEqual({ from: 'c', text: 'lj k' });
    expect(input).toHaveValue('');
    // The view jumps to the message's first step: it concerns the client's frame carrying "lj k", or leads to it.
    const firstPacketStep = s.timeline.steps.slice(s.cursor).find((st) => st.packet !== undefined)!;
    const packet = s.timeline.packets[firstPacketStep.packet!]!;
    expect(packet.from).toBe('client');
    expect(packet.app).toMatchObject({ kind: 'ws-frame', text: 'lj k', masked: true });
    expect(s.cursor).toBeGreaterThan(4);
  });

  it('pushes from the server: the new frame is unmasked and comes from the server', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'news');
    await user.click(screen.getByRole('button', { name: 'Push from server' }));
    const s = store.getState();
    expect(s.scenario.messages.at(-1)).toEqual({ from: 's', text: 'news' });
    const step = s.timeline.steps.slice(s.cursor).find((st) => st.packet !== undefined)!;
    expect(s.timeline.packets[step.packet!]!.app).toMatchObject({
      kind: 'ws-frame',
      text: 'news',
      masked: false,
    });
    expect(s.timeline.packets[step.packet!]!.from).toBe('server');
  });

  it('Enter in the composer sends from the client; an empty message cannot be sent', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    expect(screen.getByRole('button', { name: 'Send from client' })).toBeDisabled();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Yo{Enter}');
    expect(store.getState().scenario.messages.at(-1)).toEqual({ from: 'c', text: 'Yo' });
  });

  it('clicking a packet in the ladder seeks to it and opens it in the inspector', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const get = screen.getByRole('button', { name: /Packet 6, Browser to Server: GET \/chat/ });
    await user.click(get);
    expect(selectPacket(store.getState())!.wireIndex).toBe(6);
    expect(screen.getByRole('tab', { name: 'Packet bytes' })).toHaveAttribute('aria-selected', 'true');
    const panel = screen.getByRole('tabpanel');
    // The inspector loads when its tab first opens.
    expect(await within(panel).findByText(/Packet 6: Browser → Server/)).toBeInTheDocument();
    // The real key from the real GET, and its accept value as the real 101 carries it.
    expect(within(panel).getByRole('region', { name: /Sec-WebSocket-Accept/ })).toHaveTextContent('✓ equals');
  });

  it('shows the code line and console lines up to the current step', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    await user.click(screen.getByRole('tab', { name: 'Code & console' }));
    await screen.findAllByRole('list', { name: /source$/ }, { timeout: 60_000 });
    const t = store.getState().timeline;
    const printing = t.steps.findIndex((s) => s.console?.length);
    act(() => store.getState().seek(printing));
    const line = t.steps[printing]!.console![0]!;
    const consoleName =
      t.hosts.find((h) => h.id === line.host)!.role === 'server' ? 'Server console' : 'Browser console';
    expect(screen.getByRole('list', { name: consoleName })).toHaveTextContent(line.text);
    const code = t.steps[printing]!.code!;
    const program = t.programs[code.program];
    const current = screen
      .getByRole('list', { name: `${program.title} source` })
      .querySelector('[aria-current="true"]')!;
    expect(current.textContent).toBe(program.lines[code.line - 1]);
    act(() => store.getState().seek(printing - 1));
    expect(screen.getByRole('list', { name: consoleName })).not.toHaveTextContent(line.text);
  });

  it('writes the current step into the address bar', async () => {
    window.history.replaceState(null, '', '/?lesson=websocket');
    const { store } = renderApp('?lesson=websocket', true);
    key('ArrowRight');
    key('ArrowRight');
    await waitFor(() => expect(window.location.search).toBe('?lesson=websocket&step=3'));
    await userEvent.setup().type(screen.getByRole('textbox', { name: 'Message' }), 'more{Enter}');
    await waitFor(() => expect(window.location.search).toContain('m=c:more'));
    expect(window.location.search).toContain(`step=${store.getState().cursor + 1}`);
  });

  it('switches theme with a named toggle', async () => {
    const user = userEvent.setup();
    const { store, container } = renderApp();
    const toggle = screen.getByRole('button', { name: 'Dark theme' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(store.getState().theme).toBe('dark');
    expect(container.querySelector('.app')).toHaveAttribute('data-theme', 'dark');
    expect((container.querySelector('.app') as HTMLElement).style.getPropertyValue('--layer-tcp')).not.toBe(
      '',
    );
  });

  it('shows link problems and lets them be dismissed', async () => {
    const user = userEvent.setup();
    renderApp('?lesson=websocket&mss=abc');
    expect(screen.getByRole('status')).toHaveTextContent('mss');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});

describe('App drawn in stages (as main.tsx renders it)', () => {
  it('draws the frame and the narration first, then the stacks, wire and panels in their reserved areas', async () => {
    const store = storeFromLink('?lesson=websocket&step=20', { reducedMotion: true });
    const drawn = vi.fn();
    const { container } = render(
      <StoreProvider store={store}>
        <App syncAddressBar={false} staged onStageDrawn={drawn} />
      </StoreProvider>,
    );
    const title = selectStep(store.getState())!.title;
    // First frame: top bar, narration and playback, and the empty grid areas the panels will fill.
    expect(screen.getByRole('heading', { level: 2, name: title })).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'Step' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Lesson' })).toBeInTheDocument();
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(container.querySelector('.stage-left')).toBeEmptyDOMElement();
    expect(container.querySelector('.stage-right')).toBeEmptyDOMElement();
    expect(container.querySelector('.stage-centre')).toHaveAttribute('aria-busy', 'true');
    expect(drawn).not.toHaveBeenCalled();

    // After that frame has painted: everything else, then the "whole stage drawn" signal, once.
    await waitFor(() => expect(screen.getByRole('tablist')).toBeInTheDocument());
    expect(container.querySelector('.stage-left')).not.toBeEmptyDOMElement();
    expect(container.querySelector('.stage-centre')).not.toHaveAttribute('aria-busy');
    await waitFor(() => expect(drawn).toHaveBeenCalledTimes(1));
    // The keyboard works throughout.
    key('ArrowRight');
    expect(store.getState().cursor).toBe(20);
  });
});
