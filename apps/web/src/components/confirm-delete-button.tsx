import { useState, type ReactNode } from 'react';
import { closeDialog, ModalDialog } from './modal-dialog';
import { ProblemPanel, toProblem } from './problem-panel';

/** What the button runs: a mutation's state, so the dialog shows progress and the refusal, and clears it when closed. */
interface DeleteMutation {
  mutate: () => void;
  reset: () => void;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

/** "Delete", then a confirmation dialog saying what goes and what stays; the refusal shows in the dialog. */
export function ConfirmDeleteButton(props: {
  title: string;
  confirmLabel: string;
  /** Test ids: the button, the dialog, its error panel and its confirm button. */
  testIds: { button: string; dialog: string; error: string; confirm: string };
  remove: DeleteMutation;
  children: ReactNode;
}) {
  const { title, confirmLabel, testIds, remove, children } = props;
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" className="btn btn--ghost-danger" data-testid={testIds.button} onClick={() => setConfirming(true)} aria-haspopup="dialog">
        Delete
      </button>
      {confirming ? (
        <ModalDialog
          title={title}
          testId={testIds.dialog}
          onClose={() => {
            setConfirming(false);
            remove.reset();
          }}
        >
          <div className="modal__body">
            <p>{children}</p>
            {remove.isError ? <ProblemPanel problem={toProblem(remove.error)} testId={testIds.error} /> : null}
            <div className="modal__actions">
              <button type="button" className="btn btn--secondary" data-autofocus onClick={(e) => closeDialog(e.currentTarget)}>
                Keep it
              </button>
              <button type="button" className="btn btn--danger" data-testid={testIds.confirm} onClick={() => remove.mutate()} disabled={remove.isPending}>
                {remove.isPending ? 'Deleting…' : confirmLabel}
              </button>
            </div>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
