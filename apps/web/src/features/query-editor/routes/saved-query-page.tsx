import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { QUERY_NAME_RULE, QueryName, type SavedQuery, type SaveQuery } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { api, type SavedQueryAt, type SavePrecondition } from '../../../api/endpoints';
import { ApiProblem } from '../../../components/api-problem';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { PageHeader } from '../../../components/page-header';
import { ProblemPanel } from '../../../components/problem-panel';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { savedQueryKeys, savedQueryOptions } from '../api';
import { DeleteQueryButton } from '../components/delete-query-button';
import { QueryWindowPicker } from '../components/query-window-picker';
import { QueryWorkbench } from '../components/query-workbench';
import { SaveAsButton } from '../components/save-as-button';
import { SaveConflictPanel } from '../components/save-conflict-panel';
import { RevisionsPanel } from '../revisions/revisions-panel';
import { saveConflictOf, type SaveConflict } from '../save-conflict';
import { useQueryEditor } from '../use-query-editor';

/** `/queries/:name?days=…&sql=…`: a saved audit query in the editor; `?sql=` holds unsaved edits, `?days=` the window. */
export function SavedQueryPage() {
  const name = useParams().name ?? '';
  const valid = QueryName.safeParse(name).success;
  const loaded = useQuery({ ...savedQueryOptions(name), enabled: valid });

  if (!valid) {
    return (
      <Unavailable name={name}>
        <ProblemPanel problem={{ type: 'about:blank', title: 'Not a saved query name', status: 400, detail: `“${name}”: ${QUERY_NAME_RULE}.` }} />
      </Unavailable>
    );
  }
  if (loaded.isPending) {
    return (
      <>
        <PageHeader title="Saved audit query" />
        <div className="page-body">
          <Skeleton label={`Loading ${name}…`} />
        </div>
      </>
    );
  }
  if (loaded.isError) {
    return (
      <Unavailable name={name}>
        <ApiProblem error={loaded.error} testId="saved-query-problem" />
      </Unavailable>
    );
  }
  // One editor per query: opening another saved query starts from its own revision.
  return <SavedQueryEditor key={name} opened={loaded.data} latest={loaded.data} />;
}

function Unavailable({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <PageHeader title="Saved audit query" subtitle={<code>{name}</code>} />
      <div className="page-body">
        {children}
        <p>
          <Link to={paths.savedQueries()}>All saved queries</Link> · <Link to={paths.newQuery()}>Write a new audit query</Link>
        </p>
      </div>
    </>
  );
}

/** `opened` is the revision the page started from; `latest` what the server said since (the same, or newer after a refetch). */
function SavedQueryEditor({ opened, latest }: { opened: SavedQueryAt; latest: SavedQueryAt }) {
  const queryClient = useQueryClient();
  const access = useAccess();
  // The revision this page's edits are based on: what it loaded, then what it saved or reloaded. Never a background
  // refetch, or a save would silently overwrite a revision the user has not seen.
  const [base, setBase] = useState(opened);
  const { query } = base;
  const editor = useQueryEditor({ sql: query.sql, days: query.days, chart: query.chart }, query.name);
  const [savedNow, setSavedNow] = useState(false);
  // Kept while an overwrite is on its way, so the choice stays on screen until it is settled.
  const [conflict, setConflict] = useState<SaveConflict>();

  // An imported audit_query keeps its Teleport name across edits, so export still writes the name Teleport knows.
  const mine: SaveQuery = {
    title: query.title,
    description: query.description,
    chart: editor.chart,
    sql: editor.draft,
    days: editor.days,
    ...(query.teleportName !== undefined ? { teleportName: query.teleportName } : {}),
  };
  const dirty = mine.sql !== query.sql || mine.days !== query.days || JSON.stringify(mine.chart) !== JSON.stringify(query.chart);

  const { reset } = editor;
  const adopt = useCallback(
    (next: SavedQueryAt) => {
      setBase(next);
      queryClient.setQueryData(savedQueryKeys.detail(next.query.name), next);
      reset({ sql: next.query.sql, days: next.query.days });
    },
    [queryClient, reset],
  );

  // A newer revision arrived while nothing was edited: show it. With edits, keep the base, and saving reports the conflict.
  useEffect(() => {
    if (!dirty && latest.query.revision > base.query.revision) adopt(latest);
  }, [dirty, latest, base, adopt]);

  const save = useMutation({
    mutationFn: ({ body, precondition }: { body: SaveQuery; precondition: SavePrecondition }) => api.saveQuery(query.name, body, precondition),
    onSuccess: (saved) => {
      adopt(saved);
      setConflict(undefined);
      setSavedNow(true);
      void queryClient.invalidateQueries({ queryKey: savedQueryKeys.list() });
    },
    onError: (error) => setConflict(saveConflictOf(error)),
  });

  const saveMine = (ifMatch: string) => {
    setSavedNow(false);
    save.mutate({ body: mine, precondition: { ifMatch } });
  };

  // Restore: the old revision's content saved as a new revision, based on the one on screen (If-Match), so nothing is lost.
  const restore = (old: SavedQuery) => {
    setSavedNow(false);
    const { title, description, sql, days, chart } = old;
    save.mutate({ body: { title, description, sql, days, chart }, precondition: { ifMatch: base.etag } });
  };

  const reloadTheirs = () => {
    if (!conflict) return;
    adopt(conflict.theirs);
    setConflict(undefined);
    save.reset();
  };

  const canUpdate = allows(access, PERMISSIONS.updateQuery);
  const canCreate = allows(access, PERMISSIONS.createQuery);
  const canDelete = allows(access, PERMISSIONS.deleteQuery);

  const actions = (
    <>
      {dirty ? (
        <span className="unsaved-badge" data-testid="unsaved-changes">
          Unsaved changes
        </span>
      ) : savedNow ? (
        <span className="saved-badge" role="status" data-testid="save-status">
          Saved revision {query.revision}
        </span>
      ) : null}
      {canUpdate ? (
        <button type="button" className="btn btn--primary" data-testid="save-revision" onClick={() => saveMine(base.etag)} disabled={save.isPending}>
          {save.isPending && !conflict ? 'Saving…' : 'Save'}
        </button>
      ) : null}
      {canCreate ? (
        <SaveAsButton sql={editor.draft} days={editor.days} chart={editor.chart} initial={{ title: `${query.title} (copy)`, description: query.description }} />
      ) : null}
      {canDelete ? <DeleteQueryButton saved={base} /> : null}
    </>
  );

  const notices = conflict ? (
    <SaveConflictPanel
      conflict={conflict}
      mine={mine}
      onReload={reloadTheirs}
      onOverwrite={() => saveMine(conflict.theirs.etag)}
      overwriting={save.isPending}
    />
  ) : save.isError ? (
    <ApiProblem error={save.error} testId="save-problem" />
  ) : null;

  return (
    <>
      <PageHeader
        title={query.title}
        subtitle={
          <>
            {query.description ? <span className="saved-query__description">{query.description}</span> : null}
            <span className="saved-query__meta" data-testid="saved-query-meta">
              <code>{query.name}</code> · <span data-testid="saved-query-revision">revision {query.revision}</span> · saved by {query.savedBy} at{' '}
              <Timestamp value={query.savedAt} />
            </span>
          </>
        }
        actions={
          <>
            <CopyLinkButton url={editor.linkUrl} />
            <QueryWindowPicker days={editor.days} range={editor.range} onDays={editor.setDays} onRange={editor.setRange} />
          </>
        }
      />
      <QueryWorkbench
        editor={editor}
        actions={actions}
        notices={notices}
        aside={<RevisionsPanel name={query.name} current={query.revision} onRestore={canUpdate ? restore : undefined} restoring={save.isPending} />}
      />
    </>
  );
}
