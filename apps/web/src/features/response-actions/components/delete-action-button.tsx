import { useNavigate } from 'react-router';
import type { ResponseActionAt } from '../../../api/endpoints';
import { ConfirmDeleteButton } from '../../../components/confirm-delete-button';
import { paths } from '../../../lib/paths';
import { useDeleteAction } from '../api';

/** "Delete", then a confirmation; deletes the revision on screen only (`If-Match`), then goes back to the list. */
export function DeleteActionButton({ saved, onDeleted }: { saved: ResponseActionAt; onDeleted: () => void }) {
  const navigate = useNavigate();
  const mutation = useDeleteAction(saved);
  const remove = {
    ...mutation,
    mutate: () =>
      mutation.mutate(undefined, {
        onSuccess: () => {
          onDeleted();
          void navigate(paths.actions());
        },
      }),
  };
  return (
    <ConfirmDeleteButton
      title="Delete this rule?"
      confirmLabel="Delete rule"
      testIds={{ button: 'delete-action', dialog: 'delete-action-dialog', error: 'delete-action-error', confirm: 'delete-action-confirm' }}
      remove={remove}
    >
      <code>{saved.action.name}</code> stops firing and disappears from the response actions. Its revisions and firing history stay in the store, and
      the name can be used again.
    </ConfirmDeleteButton>
  );
}
