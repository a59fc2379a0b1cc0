import { useState } from 'preact/hooks';
import { AlertText } from './alert-text.tsx';
import { errorMessage } from './error-message.ts';
import { ModalDialog } from './modal-dialog.tsx';

// "Are you sure?" for what cannot be undone. Cancel has the focus, so Enter alone deletes nothing.

export interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await onConfirm();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };
  return (
    <ModalDialog title={title} onClose={onClose}>
      <p>{message}</p>
      <AlertText message={failure} />
      <div class="actions">
        <button type="button" class="danger" disabled={busy} onClick={confirm}>
          {confirmLabel}
        </button>
        <button type="button" autofocus onClick={onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
