/**
 * The capture reader for the single-file build (wirewalk.html from file://), which can have no file beside it
 * and where Chromium refuses Web Workers from file:// anyway: the same read (src/capture/open.ts, loaded on
 * first use and inlined in the file) runs on the page's own thread. vite.config.ts puts this module in place
 * of captureWorker.ts in that build only. The page is busy while the file is read; Cancel takes effect at the
 * next pause the reader offers (its progress reports).
 */
import { CAPTURE_LIMITS } from '../capture/model';
import type { CaptureOpener } from './captureSlice';

export const workerCaptureOpener: CaptureOpener = (files, events) => {
  const tooBig = files.find((f) => f.size > CAPTURE_LIMITS.fileBytes);
  if (tooBig) {
    events.failed(
      `${tooBig.name} is larger than the ${CAPTURE_LIMITS.fileBytes / (1024 * 1024)} MB Wirewalk reads: cut it ` +
        `first, e.g. editcap -c 100000 "${tooBig.name}" part.pcap.`,
    );
    return () => undefined;
  }
  const signal = { aborted: false };
  events.progress({ phase: 'reading', fraction: 0 });
  void Promise.all([
    import('../capture/open'),
    ...files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  ]).then(
    ([open, ...opened]) => {
      if (signal.aborted) return;
      try {
        const timeline = open.openCaptureTimeline(opened as { name: string; bytes: Uint8Array }[], {
          signal,
        });
        if (!signal.aborted) events.done(timeline);
      } catch (err) {
        events.failed(
          `The capture reader stopped with an error: ${err instanceof Error ? err.message : String(err)}.`,
        );
      }
    },
    (err: unknown) => {
      if (!signal.aborted)
        events.failed(`The file could not be read: ${err instanceof Error ? err.message : String(err)}.`);
    },
  );
  return () => {
    signal.aborted = true;
  };
};
