import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, type SavedQueryAt } from '../../../api/endpoints';
import { closeDialog, ModalDialog } from '../../../components/modal-dialog';
import { ProblemPanel, toProblem } from '../../../components/problem-panel';
import { paths } from '../../../lib/paths';
import { savedQueryKeys } from '../api';

/** "Delete", then a confirmation; deletes the revision on screen only (`If-Match`), then goes to a new query. */
export function DeleteQueryButton({ saved }: { saved: SavedQueryAt }) {
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { name, title } = saved.query;

  const remove = useMutation({
    mutationFn: () => api.deleteQuery(name, { ifMatch: saved.etag }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: savedQueryKeys.detail(name) });
      void queryClient.invalidateQueries({ queryKey: savedQueryKeys.list() });
      void navigate(paths.newQuery());
    },
  });

  return (
    <>
      <button type="button" className="btn btn--ghost-danger" data-testid="delete-query" onClick={() => setConfirming(true)} aria-haspopup="dialog">
        Delete
      </button>
      {confirming ? (
        <ModalDialog
          title="Delete this saved query?"
          testId="delete-dialog"
          onClose={() => {
            setConfirming(false);
            remove.reset();
          }}
        >
          <div className="modal__body">
            <p>
              <strong>{title}</strong> (<code>{name}</code>) disappears from the saved queries for everyone. Its revisions stay in the store, and the
              name can be used again.
            </p>
            {remove.isError ? <ProblemPanel problem={toProblem(remove.error)} testId="delete-error" /> : null}
            <div className="modal__actions">
              <button type="button" className="btn btn--secondary" data-autofocus onClick={(e) => closeDialog(e.currentTarget)}>
                Keep it
              </button>
              <button type="button" className="btn btn--danger" data-testid="delete-confirm" onClick={() => remove.mutate()} disabled={remove.isPending}>
                {remove.isPending ? 'Deleting…' : 'Delete query'}
              </button>
            </div>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
