import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { savedQueryEtag, type SavedQuery } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { ApiProblem } from '../../../components/api-problem';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { deletedQueriesOptions, savedQueryKeys } from '../api';
import { revisionToRestore } from '../revisions/revision-to-restore';

/** Deleted saved queries, collapsed: who deleted each and when, and a restore of its last saved revision. */
export function DeletedQueriesSection() {
  const list = useQuery(deletedQueriesOptions());
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const deleted = list.data ? [...list.data.queries].sort((a, b) => b.savedAt.localeCompare(a.savedAt)) : [];

  const restore = useMutation({
    mutationFn: async (tombstone: SavedQuery) => {
      const target = revisionToRestore((await api.savedQueryRevisions(tombstone.name)).revisions, tombstone);
      if (!target) throw new Error(`${tombstone.name} has no saved revision before it was deleted.`);
      // Based on the tombstone on screen: 409 if someone restored, re-created or deleted it again since.
      return api.restoreQuery(tombstone.name, target.revision, { ifMatch: savedQueryEtag(tombstone) });
    },
    onSuccess: (restored) => {
      queryClient.setQueryData(savedQueryKeys.detail(restored.query.name), restored);
      void queryClient.invalidateQueries({ queryKey: savedQueryKeys.list() });
      void navigate(paths.savedQuery(restored.query.name));
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: savedQueryKeys.deletedList() }),
  });

  return (
    <details className="card deleted-queries" data-testid="deleted-queries">
      <summary className="schema-panel__summary">Deleted queries{list.data ? ` (${deleted.length})` : ''}</summary>
      {restore.isError ? <ApiProblem error={restore.error} testId="restore-problem" /> : null}
      {list.isPending ? (
        <Skeleton label="Loading deleted queries…" height={120} />
      ) : list.isError ? (
        <ApiProblem error={list.error} testId="deleted-queries-problem" />
      ) : deleted.length === 0 ? (
        <p className="empty-state">No deleted queries.</p>
      ) : (
        <>
          <p className="muted deleted-queries__hint">Restore saves the query’s last revision again as a new one; its history, the deletion included, is kept.</p>
          <div className="table-scroll" role="region" aria-label="Deleted queries" tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Name</th>
                  <th scope="col">Deleted by</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deleted.map((q) => (
                  <tr key={q.name} data-testid="deleted-query-row">
                    <td>{q.title}</td>
                    <td>
                      <code>{q.name}</code>
                    </td>
                    <td>{q.savedBy}</td>
                    <td>
                      <Timestamp value={q.savedAt} />
                    </td>
                    <td className="num">
                      <button
                        type="button"
                        className="btn btn--secondary btn--small"
                        data-testid="restore-query"
                        aria-label={`Restore ${q.title} (${q.name})`}
                        disabled={restore.isPending}
                        onClick={() => restore.mutate(q)}
                      >
                        {restore.isPending && restore.variables.name === q.name ? 'Restoring…' : 'Restore'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </details>
  );
}
