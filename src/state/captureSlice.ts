/**
 * The capture slice: a file the user opened (a pcap, pcapng or HAR, with a TLS key log beside it) read in
 * this browser, off the main thread, into a timeline that replaces the lesson's while it is open.
 *
 * A capture is open exactly when `timeline.capture` is set (selectCaptureOpen): choosing a lesson, or going
 * back, replaces the timeline and the capture is gone. This slice holds only what is in between: a read in
 * progress (with its progress and a way to cancel it), a read that failed (with its message), and the lesson
 * to go back to. How a file is read is given to the store (`CaptureOpener`): the app reads it in a Web Worker
 * (captureWorker.ts), tests with whatever they like.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { CaptureProgress } from '../capture/model';
import type { Scenario } from '../sim/scenario';
import type { Timeline } from '../sim/types';
import type { ScenarioLoader } from './loadScenario';
import type { WirewalkState } from './store';

/** A file handed to the opener: its name and its bytes, read when the opener wants them. */
export interface CaptureFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface CaptureEvents {
  progress(progress: CaptureProgress): void;
  done(timeline: Timeline): void;
  /** The read could not even start or stopped: one plain sentence (what and where). */
  failed(message: string): void;
}

/** Starts reading `files`; the returned function cancels (no event comes after it). */
export type CaptureOpener = (files: readonly CaptureFile[], events: CaptureEvents) => () => void;

export type CaptureStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'reading'; readonly names: string; readonly progress: CaptureProgress }
  | { readonly kind: 'failed'; readonly names: string; readonly message: string };

export interface CaptureSlice {
  readonly captureStatus: CaptureStatus;
  /** The lesson shown before the first capture was opened: where "Back to the lessons" goes. */
  readonly lessonBeforeCapture: { readonly scenario: Scenario; readonly cursor: number } | null;
  /** Read `files` (one capture, and optionally its key log) and show the capture once read. */
  openCapture(files: readonly CaptureFile[]): void;
  cancelCapture(): void;
  dismissCaptureError(): void;
  /** Back to the lesson shown before the capture. */
  closeCapture(): void;
}

const IDLE: CaptureStatus = { kind: 'idle' };

export const createCaptureSlice =
  (loader: ScenarioLoader, opener: CaptureOpener): StateCreator<WirewalkState, [], [], CaptureSlice> =>
  (set, get) => {
    let cancel: (() => void) | null = null;
    let run = 0;
    const stop = () => {
      cancel?.();
      cancel = null;
    };
    return {
      captureStatus: IDLE,
      lessonBeforeCapture: null,
      openCapture(files) {
        stop();
        if (files.length === 0) return;
        const ticket = ++run;
        const names = files.map((f) => f.name).join(' + ');
        const live = () => ticket === run;
        set({
          captureStatus: { kind: 'reading', names, progress: { phase: 'reading', fraction: 0 } },
          playing: false,
        });
        cancel = opener(files, {
          progress(progress) {
            if (live()) set({ captureStatus: { kind: 'reading', names, progress } });
          },
          done(timeline) {
            if (!live()) return;
            cancel = null;
            const s = get();
            const lessonBeforeCapture = s.timeline.capture
              ? s.lessonBeforeCapture
              : { scenario: s.scenario, cursor: s.cursor };
            set({
              timeline,
              scenario: timeline.scenario,
              view: { ...s.view, step: null, from: null, to: null },
              cursor: 0,
              playing: false,
              problems: [],
              introOpen: false,
              dialog: null,
              captureStatus: IDLE,
              lessonBeforeCapture,
            });
          },
          failed(message) {
            if (!live()) return;
            cancel = null;
            set({ captureStatus: { kind: 'failed', names, message } });
          },
        });
      },
      cancelCapture() {
        run++;
        stop();
        set({ captureStatus: IDLE });
      },
      dismissCaptureError() {
        if (get().captureStatus.kind === 'failed') set({ captureStatus: IDLE });
      },
      closeCapture() {
        const back = get().lessonBeforeCapture;
        if (!back || !get().timeline.capture) return;
        loader.load(back.scenario, (timeline) => {
          set({
            scenario: back.scenario,
            timeline,
            cursor: Math.min(back.cursor, timeline.steps.length - 1),
            playing: false,
            lessonBeforeCapture: null,
          });
        });
      },
    };
  };

/** A capture is on the stage. */
export function selectCaptureOpen(s: { readonly timeline: Timeline }): boolean {
  return s.timeline.capture !== undefined;
}

/** An opener for where no capture can be read (no Web Workers): says so instead of reading. */
export const noCaptureOpener: CaptureOpener = (_files, events) => {
  events.failed('This browser cannot read captures here: it has no Web Workers.');
  return () => undefined;
};
