import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, type SavedQueryAt } from '../../../api/endpoints';
import { ConfirmDeleteButton } from '../../../components/confirm-delete-button';
import { paths } from '../../../lib/paths';
import { savedQueryKeys } from '../api';

/** "Delete", then a confirmation; deletes the revision on screen only (`If-Match`), then goes to a new query. */
export function DeleteQueryButton({ saved }: { saved: SavedQueryAt }) {
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
    <ConfirmDeleteButton
      title="Delete this saved query?"
      confirmLabel="Delete query"
      testIds={{ button: 'delete-query', dialog: 'delete-dialog', error: 'delete-error', confirm: 'delete-confirm' }}
      remove={{ mutate: () => remove.mutate(), reset: remove.reset, isPending: remove.isPending, isError: remove.isError, error: remove.error }}
    >
      <strong>{title}</strong> (<code>{name}</code>) disappears from the saved queries for everyone. Its revisions stay in the store, and the name can
      be used again.
    </ConfirmDeleteButton>
  );
}
