/**
 * The playback slice: the cursor (0-based step index), playing, speed. Every action keeps the cursor inside
 * the steps it may visit (the embed range, when there is one); moving through the lesson puts its
 * introduction away.
 */
import type { StateCreator } from 'zustand/vanilla';
import { clampToRange, stepRange } from './cursor';
import type { WirewalkState } from './store';

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;

export interface PlaybackSlice {
  readonly cursor: number;
  readonly playing: boolean;
  readonly speed: number;
  next(): void;
  prev(): void;
  first(): void;
  last(): void;
  seek(index: number): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
}

export const createPlaybackSlice =
  (cursor: number): StateCreator<WirewalkState, [], [], PlaybackSlice> =>
  (set, get) => {
    const range = () => stepRange(get().view, get().timeline);
    const to = (index: number) => clampToRange(index, get().view, get().timeline);
    return {
      cursor,
      playing: false,
      speed: 1,
      next() {
        const { cursor: at, playing } = get();
        const next = to(at + 1);
        // Playing stops at the last step rather than wrapping round.
        set({ cursor: next, playing: playing && next < range().last, introOpen: false });
      },
      prev() {
        set({ cursor: to(get().cursor - 1), introOpen: false });
      },
      first() {
        set({ cursor: range().first, introOpen: false });
      },
      last() {
        set({ cursor: range().last, playing: false, introOpen: false });
      },
      seek(index) {
        set({ cursor: to(index), introOpen: false });
      },
      play() {
        const { first, last } = range();
        if (last <= first) return;
        // Play from the end starts again from the beginning, as media players do.
        set({ playing: true, cursor: get().cursor >= last ? first : get().cursor, introOpen: false });
      },
      pause() {
        set({ playing: false });
      },
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      setSpeed(speed) {
        if (!Number.isFinite(speed)) return;
        set({ speed: Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed)) });
      },
    };
  };
