/**
 * A modal dialog (WAI-ARIA APG "Dialog (Modal)") on the native `<dialog>`: `showModal()` puts it in the top
 * layer and makes the rest of the page inert, so Tab and Shift+Tab stay inside and a screen reader sees only
 * the dialog. Focus goes to the element marked data-autofocus (else the browser's choice, the first control);
 * Esc (the browser's `cancel`, then `close`), the close button or a click on the backdrop closes it, and focus
 * returns to whatever had it before. The stage's keyboard map leaves keys pressed inside it alone
 * (`aria-modal`, app/useKeyboard.ts).
 */
import { useEffect, useId, useLayoutEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import '../theme/surfaces.css';
import './Modal.css';

/** Whether a pointer event on the dialog element itself landed outside its box, i.e. on its ::backdrop. */
function onBackdrop(e: MouseEvent<HTMLDialogElement>): boolean {
  if (e.target !== e.currentTarget) return false;
  const box = e.currentTarget.getBoundingClientRect();
  return e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom;
}

export function Modal({
  title,
  onClose,
  children,
  className,
}: {
  readonly title: string;
  onClose(): void;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  const ref = useRef<HTMLDialogElement | null>(null);
  const titleId = useId();
  // The latest onClose, for the listener that lives as long as the dialog.
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });

  // Before paint: the dialog is never seen closed, and focus moves in the same frame it opens.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The browser has closed the dialog (Esc, or anything else that closes it): tell the owner, which
    // unmounts it. A close event still queued from an earlier close() finds the dialog open again: ignored.
    const onClosed = () => {
      if (!dialog.open) closeRef.current();
    };
    dialog.addEventListener('close', onClosed);
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      dialog.removeEventListener('close', onClosed);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal${className ? ` ${className}` : ''}`}
      aria-modal="true"
      aria-labelledby={titleId}
      onMouseDown={(e) => {
        if (onBackdrop(e)) onClose();
      }}
    >
      <div className="head-row modal-head">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <button type="button" className="btn modal-close" onClick={onClose}>
          Close <span aria-hidden="true">(Esc)</span>
        </button>
      </div>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
