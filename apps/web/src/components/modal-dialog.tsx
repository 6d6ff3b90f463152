import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface ModalDialogProps {
  title: string;
  /** Called once the dialog closed: Esc, a close button (`closeDialog`), or the form inside finishing. */
  onClose: () => void;
  testId?: string;
  /** `modal--wide` for content that needs room (a JSON document). */
  className?: string;
  children: ReactNode;
}

/**
 * A native modal `<dialog>`: the page behind is inert, Tab stays inside, Esc closes it, and focus goes to the element
 * marked `data-autofocus` on open and back to whatever opened it on close. Render it to open it; unmount it to close.
 */
export function ModalDialog({ title, onClose, testId, className, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Read once, before the dialog takes focus (effects run twice in development).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => opener?.focus();
  }, [opener]);

  // Esc is the dialog's: it must not also reach page-wide shortcuts (Esc cancels a running query).
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') event.stopPropagation();
  };

  return (
    <dialog ref={ref} className={className ? `modal ${className}` : 'modal'} aria-labelledby={titleId} data-testid={testId} onClose={onClose} onKeyDown={onKeyDown}>
      <h2 id={titleId} className="modal__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** Closes the dialog an element sits in, which then reports `onClose` like Esc does. */
export const closeDialog = (element: HTMLElement | null) => element?.closest('dialog')?.close();
