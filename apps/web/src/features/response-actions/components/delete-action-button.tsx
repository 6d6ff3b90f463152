import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ResponseActionAt } from '../../../api/endpoints';
import { closeDialog, ModalDialog } from '../../../components/modal-dialog';
import { ProblemPanel, toProblem } from '../../../components/problem-panel';
import { paths } from '../../../lib/paths';
import { useDeleteAction } from '../api';

/** "Delete", then a confirmation; deletes the revision on screen only (`If-Match`), then goes back to the list. */
export function DeleteActionButton({ saved, onDeleted }: { saved: ResponseActionAt; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const remove = useDeleteAction(saved);
  const { name } = saved.action;

  const confirm = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        onDeleted();
        void navigate(paths.actions());
      },
    });

  return (
    <>
      <button type="button" className="btn btn--ghost-danger" data-testid="delete-action" onClick={() => setConfirming(true)} aria-haspopup="dialog">
        Delete
      </button>
      {confirming ? (
        <ModalDialog
          title="Delete this rule?"
          testId="delete-action-dialog"
          onClose={() => {
            setConfirming(false);
            remove.reset();
          }}
        >
          <div className="modal__body">
            <p>
              <code>{name}</code> stops firing and disappears from the response actions. Its revisions and firing history stay in the store, and the
              name can be used again.
            </p>
            {remove.isError ? <ProblemPanel problem={toProblem(remove.error)} testId="delete-action-error" /> : null}
            <div className="modal__actions">
              <button type="button" className="btn btn--secondary" data-autofocus onClick={(e) => closeDialog(e.currentTarget)}>
                Keep it
              </button>
              <button type="button" className="btn btn--danger" data-testid="delete-action-confirm" onClick={confirm} disabled={remove.isPending}>
                {remove.isPending ? 'Deleting…' : 'Delete rule'}
              </button>
            </div>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
