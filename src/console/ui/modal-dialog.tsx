import type { ComponentChildren } from 'preact';
import { createPortal } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { useModalBackground } from './modal-background.ts';

// A native modal <dialog>: focus moves into it (to its first field, or to the element marked
// autofocus), Escape asks to close it, and on closing focus goes back to the element that opened
// it. Rendered outside the page's content, so the content can be made inert while it is open.
// It exists while it is open: the parent renders it or not, so a closed form leaves no field
// (and no typed key) in the page.

export interface ModalDialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}

export function ModalDialog({ title, onClose, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const background = useModalBackground();
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    const element = dialog.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    background.cover();
    element.showModal();
    return () => {
      background.uncover();
      if (element.open) element.close();
      // After the page behind is no longer inert (the next render), or focus would be refused.
      setTimeout(() => {
        if (opener?.isConnected) opener.focus();
      });
    };
  }, []);

  return createPortal(
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: the parent decides (and unmounts this), so its state never says open while the dialog is shut.
        event.preventDefault();
        close.current();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>,
    document.getElementById('dialogs') ?? document.body,
  );
}
