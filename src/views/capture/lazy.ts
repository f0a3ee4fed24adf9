/**
 * The capture's line (CaptureBar) shows only while a file is read, after a read failed, or while a capture is
 * on the stage: it is fetched then, not in the first download.
 */
import { preloadable } from '../lazy/preloadable';

export const LazyCaptureBar = preloadable(() => import('./CaptureBar').then((m) => m.CaptureBar));
