/**
 * The capture reader's Web Worker: reads, reassembles, decodes and draws the timeline off the page's main
 * thread, so the page stays responsive (and its Cancel button works) while a large file is read. Started by
 * state/captureWorker.ts with `new Worker(new URL('../capture/worker.ts', import.meta.url), { type: 'module' })`.
 */
import { openCaptureTimeline } from './open';
import type { CaptureProgress } from './model';
import type { CaptureReply, CaptureRequest } from './workerProtocol';

interface WorkerScope {
  onmessage: ((e: MessageEvent<CaptureRequest>) => void) | null;
  postMessage(message: CaptureReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const files = e.data.files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.buffer) }));
  // Progress at most every 1 %: posting is cheap, but the page redraws the bar for each.
  let last: CaptureProgress | null = null;
  const onProgress = (progress: CaptureProgress) => {
    if (last && last.phase === progress.phase && progress.fraction - last.fraction < 0.01) return;
    last = progress;
    scope.postMessage({ type: 'progress', progress });
  };
  try {
    const timeline = openCaptureTimeline(files, { onProgress });
    scope.postMessage({ type: 'done', timeline });
  } catch (err) {
    // The readers never throw on bad input; this is a bug or the tab running out of memory. Say which.
    scope.postMessage({
      type: 'failed',
      message: `The capture reader stopped with an error: ${err instanceof Error ? err.message : String(err)}.`,
    });
  }
};
