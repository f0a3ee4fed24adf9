/**
 * The Fullscreen API, tolerant of browsers and frames that refuse it (an iframe without allowfullscreen,
 * headless browsers): a refusal is not an error worth a console message, the button simply does nothing.
 */
interface FullscreenDocument {
  readonly fullscreenElement?: Element | null;
  readonly documentElement: { requestFullscreen?: () => Promise<void> };
  exitFullscreen?: () => Promise<void>;
}

export function toggleFullscreen(doc: FullscreenDocument): void {
  if (doc.fullscreenElement) exitFullscreen(doc);
  else if (typeof doc.documentElement.requestFullscreen === 'function') {
    doc.documentElement.requestFullscreen().catch(() => {});
  }
}

export function exitFullscreen(doc: FullscreenDocument): void {
  if (doc.fullscreenElement && typeof doc.exitFullscreen === 'function') doc.exitFullscreen().catch(() => {});
}
