// @vitest-environment jsdom
/**
 * The Open-capture flow in the whole app (jsdom), with the file reader given to the store: choosing a file
 * through the real input shows progress and Cancel, a finished read puts the capture on the stage (its bar,
 * its problems by record and offset, the code panel saying programs are not known), a failed read says why
 * with the lesson still there, and "Back to the lessons" returns to the lesson shown before.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../src/app/App';
import { captureTimeline } from '../../../src/capture/timeline';
import { parseLink } from '../../../src/lesson/link';
import { StoreProvider } from '../../../src/state/context';
import { createWirewalkStore, type CaptureOpener } from '../../../src/state/store';
import type { CaptureEvents } from '../../../src/state/captureSlice';
import { buildTimeline } from '../../../src/sim/timeline';
import { ALL_STORIES } from '../../../src/sim/stories';
import { captureFromTimeline } from '../../support/captureFixture';
import { preloadLazyChunks } from '../../support/lazyChunks';

// The share dialog is a lazy chunk: load it before a test waits for it.
beforeAll(() => preloadLazyChunks(), 120_000);

function setup() {
  const calls: { names: string[]; events: CaptureEvents; cancelled: boolean }[] = [];
  const opener: CaptureOpener = (files, events) => {
    const call = { names: files.map((f) => f.name), events, cancelled: false };
    calls.push(call);
    return () => {
      call.cancelled = true;
    };
  };
  const scenario = parseLink('lesson=websocket').state.scenario;
  const build = (s: typeof scenario) => buildTimeline(s, ALL_STORIES);
  const store = createWirewalkStore({ scenario, build, reducedMotion: true, openCapture: opener });
  render(
    <StoreProvider store={store}>
      <App syncAddressBar={false} />
    </StoreProvider>,
  );
  return { store, calls, lesson: build(scenario) };
}

function chooseFiles(...files: File[]) {
  const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
  expect(input.accept).toBe('.pcap,.pcapng,.cap,.har,.keys,.txt,.log');
  expect(input.multiple).toBe(true);
  fireEvent.change(input, { target: { files } });
}

describe('Open capture', () => {
  it('reads the chosen files, shows progress with Cancel, then the capture on the stage', async () => {
    const { store, calls, lesson } = setup();
    expect(screen.getByRole('button', { name: /Open capture/ })).toBeTruthy();
    chooseFiles(new File([new Uint8Array(10)], 'chat.pcap'), new File(['CLIENT_RANDOM x y'], 'chat.keys'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.names).toEqual(['chat.pcap', 'chat.keys']);
    act(() => calls[0]!.events.progress({ phase: 'decoding', fraction: 0.5 }));
    expect(document.querySelector('progress')!.getAttribute('value')).toBe('50');
    expect(document.body.textContent).toContain('never uploaded');
    expect(document.body.textContent).toContain('Decoding HTTP, WebSocket, TLS');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();

    const capture = captureFromTimeline(lesson, 'chat.pcap');
    const timeline = captureTimeline({
      ...capture,
      problems: [
        {
          code: 'truncated-record',
          severity: 'error',
          message: 'the record is cut short',
          record: 7,
          offset: 1234,
        },
      ],
    });
    act(() => calls[0]!.events.done(timeline));
    expect(store.getState().timeline).toBe(timeline);
    expect(store.getState().cursor).toBe(0);
    const bar = screen.getByRole('region', { name: 'Opened capture' });
    expect(bar.textContent).toContain('chat.pcap');
    expect(bar.textContent).toContain('never uploaded');
    expect(within(bar).getByText(/record 7, byte 1234/)).toBeTruthy();
    // The composer is gone (a capture has no scenario to add to); the picker names the capture.
    expect(document.querySelector('.composer')).toBeNull();
    expect(
      (screen.getByRole('combobox', { name: 'Lesson' }) as HTMLSelectElement).selectedOptions[0]!.textContent,
    ).toBe('Capture: chat.pcap');

    // Export (written for simulated Ethernet frames) is not offered; Share says a capture is not in the link.
    expect(screen.queryByRole('button', { name: 'Export' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Share/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Share this capture' });
    expect(dialog.textContent).toContain('A capture is not in the link');
    act(() => store.getState().closeDialog());

    // Stepping works on the capture timeline.
    act(() => store.getState().next());
    expect(store.getState().cursor).toBe(1);

    fireEvent.click(within(bar).getByRole('button', { name: 'Back to the lessons' }));
    expect(store.getState().timeline.capture).toBeUndefined();
    expect(store.getState().scenario.lesson).toBe('websocket');
    expect(screen.queryByRole('region', { name: 'Opened capture' })).toBeNull();
  });

  it('cancels a read: the opener is told, and nothing it says afterwards lands', () => {
    const { store, calls } = setup();
    chooseFiles(new File([new Uint8Array(10)], 'big.pcap'));
    const before = store.getState().timeline;
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls[0]!.cancelled).toBe(true);
    expect(document.querySelector('progress')).toBeNull();
    act(() => calls[0]!.events.failed('too late'));
    expect(store.getState().timeline).toBe(before);
    expect(store.getState().captureStatus.kind).toBe('idle');
  });

  it('says why a read failed, and the lesson stays on the stage', () => {
    const { store, calls } = setup();
    const before = store.getState().timeline;
    chooseFiles(new File(['hello'], 'notes.pcap'));
    act(() => calls[0]!.events.failed('The capture reader stopped with an error: out of memory.'));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('notes.pcap could not be opened');
    expect(alert.textContent).toContain('out of memory');
    expect(store.getState().timeline).toBe(before);
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('opens files dropped onto the page, showing the drop target while they are over it', () => {
    const { calls } = setup();
    const file = new File([new Uint8Array(4)], 'dropped.pcapng');
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(window, { dataTransfer });
    expect(document.body.textContent).toContain('Drop to open the capture');
    fireEvent.drop(window, { dataTransfer });
    expect(document.body.textContent).not.toContain('Drop to open the capture');
    expect(calls[0]!.names).toEqual(['dropped.pcapng']);
  });
});
