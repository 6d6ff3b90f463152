import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { ApiProblem } from '../../../components/api-problem';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { formatWindow } from '../../../components/window-param';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { savedQueriesOptions } from '../api';
import { DeletedQueriesSection } from '../components/deleted-queries-section';

/** `/queries`: the saved audit queries, each opening in the editor. */
export function SavedQueriesPage() {
  const list = useQuery(savedQueriesOptions());
  const access = useAccess();
  const canRun = allows(access, PERMISSIONS.runQuery);
  // Restoring a deleted query creates it again, so only those who may create see what was deleted.
  const canCreate = allows(access, PERMISSIONS.createQuery);
  const queries = list.data ? [...list.data.queries].sort((a, b) => a.title.localeCompare(b.title)) : [];

  return (
    <>
      <PageHeader
        title="Saved queries"
        subtitle="Audit queries saved for reuse. Open one to run it, edit it, or save a new revision."
        actions={
          canRun ? (
            <Link className="btn btn--secondary" to={paths.newQuery()}>
              New audit query
            </Link>
          ) : null
        }
      />
      <div className="page-body">
        {list.isPending ? (
          <Skeleton label="Loading saved queries…" />
        ) : list.isError ? (
          <ApiProblem error={list.error} testId="saved-queries-problem" />
        ) : (
          <section className="card saved-queries" data-testid="saved-queries" aria-label="Saved queries">
            {queries.length === 0 ? (
              <p className="empty-state">
                No saved queries yet.
                {canCreate && canRun ? (
                  <>
                    {' '}
                    Write one in the <Link to={paths.newQuery()}>audit query editor</Link> and choose “Save as…”.
                  </>
                ) : null}
              </p>
            ) : (
              <div className="table-scroll" role="region" aria-label="Saved queries" tabIndex={0}>
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Title</th>
                      <th scope="col">Name</th>
                      <th scope="col" className="num">
                        Window
                      </th>
                      <th scope="col" className="num">
                        Revision
                      </th>
                      <th scope="col">Saved by</th>
                      <th scope="col">Saved</th>
                    </tr>
                  </thead>
                  <tbody>
                    {queries.map((q) => (
                      <tr key={q.name} data-testid="saved-query-row">
                        <td>
                          <Link to={paths.savedQuery(q.name)}>{q.title}</Link>
                          {q.description ? <p className="muted saved-queries__description">{q.description}</p> : null}
                        </td>
                        <td>
                          <code>{q.name}</code>
                        </td>
                        <td className="num">{formatWindow(q.days)}</td>
                        <td className="num">{q.revision}</td>
                        <td>{q.savedBy}</td>
                        <td>
                          <Timestamp value={q.savedAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        )}
        {canCreate ? <DeletedQueriesSection /> : null}
      </div>
    </>
  );
}
