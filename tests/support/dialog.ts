/**
 * jsdom (27) knows `<dialog>` and its `open` attribute but not `showModal()` or `close()`. This adds what
 * component tests need of HTML's modal dialog (HTML §4.11.4): `showModal()` opens it and runs the focusing
 * steps (the first `autofocus` element, else the first focusable one, else the dialog), `close()` closes it
 * and fires `close`, and Esc is a close request on the topmost modal dialog: `cancel`, then, unless that is
 * cancelled, `close()`. Not the top layer or the inertness of the page behind: tests/e2e/dialog.test.ts proves
 * those, and the dialog as a whole, in Chromium.
 *
 * One difference, on purpose: `close` fires at once, where a browser queues it as a task, so a test can look
 * right after the key press instead of waiting.
 */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), ' +
  '[tabindex]:not([tabindex="-1"])';

/** Install on jsdom's window, once; a no-op where there is no DOM or a real `showModal`. */
export function installDialogPolyfill(): void {
  if (typeof HTMLDialogElement === 'undefined') return;
  const proto = HTMLDialogElement.prototype;
  if (typeof proto.showModal === 'function') return;
  const modals: HTMLDialogElement[] = [];

  proto.showModal = function showModal(this: HTMLDialogElement) {
    if (this.open) throw new DOMException('The dialog is already open.', 'InvalidStateError');
    if (!this.isConnected) throw new DOMException('The dialog is not in a document.', 'InvalidStateError');
    this.open = true;
    modals.push(this);
    const target =
      this.querySelector<HTMLElement>('[autofocus]') ?? this.querySelector<HTMLElement>(FOCUSABLE);
    (target ?? this).focus();
  };

  proto.close = function close(this: HTMLDialogElement) {
    if (!this.open) return;
    this.open = false;
    modals.splice(modals.indexOf(this), 1);
    this.dispatchEvent(new Event('close'));
  };

  document.addEventListener('keydown', (e) => {
    // A dialog taken out of the document without close() is no longer modal.
    const top = modals.filter((d) => d.isConnected).at(-1);
    if (e.key !== 'Escape' || e.defaultPrevented || !top) return;
    if (top.dispatchEvent(new Event('cancel', { cancelable: true }))) top.close();
  });
}
