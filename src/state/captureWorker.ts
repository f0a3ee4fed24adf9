/**
 * Reads opened files in a Web Worker (src/capture/worker.ts): their bytes are read here and transferred to
 * the worker (not copied), the worker posts progress and the finished timeline, and cancelling terminates
 * it. Files over CAPTURE_LIMITS.fileBytes are refused before anything is read, with the limit and how to
 * cut the file.
 */
import { CAPTURE_LIMITS } from '../capture/model';
import type { CaptureReply, CaptureRequest } from '../capture/workerProtocol';
import { noCaptureOpener, type CaptureOpener } from './captureSlice';

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export const workerCaptureOpener: CaptureOpener = (files, events) => {
  if (typeof Worker === 'undefined') return noCaptureOpener(files, events);
  const tooBig = files.find((f) => f.size > CAPTURE_LIMITS.fileBytes);
  if (tooBig) {
    events.failed(
      `${tooBig.name} is ${megabytes(tooBig.size)}; Wirewalk reads captures up to ` +
        `${megabytes(CAPTURE_LIMITS.fileBytes)} so that stepping stays instant. Cut it first, e.g. ` +
        `editcap -c 100000 "${tooBig.name}" part.pcap, or keep one connection with ` +
        `tshark -r "${tooBig.name}" -Y "tcp.stream == 0" -w part.pcap.`,
    );
    return () => undefined;
  }
  let worker: Worker | null = null;
  let stopped = false;
  events.progress({ phase: 'reading', fraction: 0 });
  Promise.all(files.map(async (f) => ({ name: f.name, buffer: await f.arrayBuffer() }))).then(
    (list) => {
      if (stopped) return;
      worker = new Worker(new URL('../capture/worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (e: MessageEvent<CaptureReply>) => {
        if (stopped) return;
        const reply = e.data;
        if (reply.type === 'progress') events.progress(reply.progress);
        else {
          stopped = true;
          worker?.terminate();
          if (reply.type === 'done') events.done(reply.timeline);
          else events.failed(reply.message);
        }
      };
      worker.onerror = (e) => {
        if (stopped) return;
        stopped = true;
        worker?.terminate();
        events.failed(`The capture reader could not run: ${e.message || 'the worker failed to start'}.`);
      };
      const request: CaptureRequest = { files: list };
      worker.postMessage(
        request,
        list.map((f) => f.buffer),
      );
    },
    (err: unknown) => {
      if (stopped) return;
      events.failed(
        `The file could not be read from disk: ${err instanceof Error ? err.message : String(err)}.`,
      );
    },
  );
  return () => {
    stopped = true;
    worker?.terminate();
  };
};
