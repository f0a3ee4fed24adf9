/**
 * The messages between the page and the capture worker (worker.ts): the files go in (their buffers
 * transferred, not copied), progress and the finished timeline come out. Cancelling is terminating the worker.
 */
import type { Timeline } from '../sim/types';
import type { CaptureProgress } from './model';

export interface CaptureRequest {
  readonly files: readonly { readonly name: string; readonly buffer: ArrayBuffer }[];
}

export type CaptureReply =
  | { readonly type: 'progress'; readonly progress: CaptureProgress }
  | { readonly type: 'done'; readonly timeline: Timeline }
  | { readonly type: 'failed'; readonly message: string };
