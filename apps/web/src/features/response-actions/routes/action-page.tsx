import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { ACTION_NAME_RULE, ResponseActionName, responseActionEtag, type DestinationInfo } from '@access-monitor/contracts';
import { allows, allowsAll, PERMISSIONS, READS_AUDIT_LOG } from '@access-monitor/rbac';
import type { ResponseActionAt } from '../../../api/endpoints';
import { ApiProblem } from '../../../components/api-problem';
import { PageHeader } from '../../../components/page-header';
import { ProblemPanel } from '../../../components/problem-panel';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { actionConflictOf, actionFromForm, formFromAction, type ActionConflict, type ActionForm } from '../action-form';
import { actionListOptions, actionOptions, destinationsOptions, useSaveAction } from '../api';
import { ActionConflictPanel } from '../components/action-conflict-panel';
import { ActionEditor } from '../components/action-editor';
import { ActionPreviewPanel } from '../components/action-preview';
import { ActionRevisions } from '../components/action-revisions';
import { DeleteActionButton } from '../components/delete-action-button';
import { FiringHistory } from '../components/firing-history';
import { SourceName } from '../components/source-name';
import { TestFireButton } from '../components/test-fire-button';
import { describeSchedule } from '../schedule-text';
import { clearDraft, loadDraft, useActionDraft } from '../use-action-draft';
import { useActionSources } from '../use-action-sources';
import { useFormErrors } from '../use-form-errors';

/** `/actions/:name`: one rule in the editor (read-only for those who may not change it), its test fire and firing history. */
export function ActionPage() {
  const name = useParams().name ?? '';
  const valid = ResponseActionName.safeParse(name).success;
  const loaded = useQuery({ ...actionOptions(name), enabled: valid });
  const destinations = useQuery(destinationsOptions());

  if (!valid) {
    return (
      <Unavailable name={name}>
        <ProblemPanel problem={{ type: 'about:blank', title: 'Not a response action name', status: 400, detail: `“${name}”: ${ACTION_NAME_RULE}.` }} />
      </Unavailable>
    );
  }
  if (loaded.isPending || destinations.isPending) {
    return (
      <>
        <PageHeader title={name} subtitle="Response action" />
        <div className="page-body">
          <Skeleton label={`Loading ${name}…`} />
        </div>
      </>
    );
  }
  if (loaded.isError) {
    return (
      <Unavailable name={name}>
        <ApiProblem error={loaded.error} testId="action-problem" />
      </Unavailable>
    );
  }
  return <ActionDetail key={name} latest={loaded.data} destinations={destinations.data?.destinations ?? []} destinationsError={destinations.error} />;
}

function Unavailable({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <PageHeader title="Response action" subtitle={<code>{name}</code>} />
      <div className="page-body">
        {children}
        <p>
          <Link to={paths.actions()}>All response actions</Link>
        </p>
      </div>
    </>
  );
}

interface ActionDetailProps {
  /** What the server says now: the revision loaded, then any newer one a refetch brings. */
  latest: ResponseActionAt;
  destinations: readonly DestinationInfo[];
  destinationsError: unknown;
}

function ActionDetail({ latest, destinations, destinationsError }: ActionDetailProps) {
  const access = useAccess();
  const canUpdate = allowsAll(access, [PERMISSIONS.updateResponseAction, ...READS_AUDIT_LOG]);
  const canDelete = allows(access, PERMISSIONS.deleteResponseAction);
  // A preview runs the source now: the server allows it to those who may create rules.
  const canPreview = allowsAll(access, [PERMISSIONS.createResponseAction, ...READS_AUDIT_LOG]);
  const { name } = latest.action;
  const created = (useLocation().state as { created?: boolean } | null)?.created === true;
  const formRef = useRef<HTMLDivElement>(null);
  const sources = useActionSources();
  const summary = useQuery(actionListOptions()).data?.actions.find((a) => a.action.name === name);

  // The revision on screen: what was loaded, then what this page saved or reloaded; never a background refetch
  // while there are edits, or a save would overwrite a revision the user has not seen.
  const [base, setBase] = useState(latest);
  const [stored] = useState(() => loadDraft(name));
  // The revision the edits are based on: a restored draft may predate the revision now saved (its save then conflicts).
  const [editedFrom, setEditedFrom] = useState(() => stored?.base ?? latest.action.revision);
  const pristine = useMemo(() => formFromAction(base.action), [base]);
  const { form, setForm, dirty } = useActionDraft(name, stored, pristine, editedFrom);
  const errors = useFormErrors(form, false);
  const [conflict, setConflict] = useState<ActionConflict>();
  const [savedNow, setSavedNow] = useState(false);
  const save = useSaveAction();
  const { action } = base;

  const adopt = useCallback(
    (next: ResponseActionAt) => {
      setBase(next);
      setEditedFrom(next.action.revision);
      setForm(formFromAction(next.action));
    },
    [setForm],
  );

  // A newer revision arrived while nothing was edited: show it. With edits, keep the base; saving reports the conflict.
  useEffect(() => {
    if (!dirty && latest.action.revision > base.action.revision) adopt(latest);
  }, [dirty, latest, base, adopt]);

  const onChange = (update: (f: ActionForm) => ActionForm) => {
    setForm(update);
    setSavedNow(false);
    errors.clearServer();
  };

  const saveWith = (ifMatch: string) => {
    const body = actionFromForm(form);
    save.mutate(
      { name, body, precondition: { ifMatch } },
      {
        onSuccess: (saved) => {
          adopt(saved);
          clearDraft(name);
          setConflict(undefined);
          setSavedNow(true);
        },
        onError: (error) => {
          const theirs = actionConflictOf(error);
          setConflict(theirs);
          if (!theirs) errors.refused(error, body, name);
        },
      },
    );
  };

  const submit = () => {
    if (save.isPending || !errors.attempt(formRef.current)) return;
    setSavedNow(false);
    saveWith(editedFrom === base.action.revision ? base.etag : responseActionEtag({ name, revision: editedFrom }));
  };

  const reloadTheirs = () => {
    if (!conflict) return;
    adopt(conflict.theirs);
    setConflict(undefined);
    save.reset();
  };

  const sourceTitle = sources.titleOf(action.source);

  return (
    <>
      <PageHeader
        title={name}
        subtitle={
          <span className="action-page__meta" data-testid="action-meta">
            <SourceName source={action.source} title={sourceTitle} /> · {describeSchedule(action.schedule)}
            {action.enabled ? null : ' · paused'} · <span data-testid="action-revision">revision {action.revision}</span> · saved by {action.savedBy} at{' '}
            <Timestamp value={action.savedAt} />
          </span>
        }
        actions={
          <>
            {canUpdate ? <TestFireButton name={name} disabledReason={dirty ? 'Save your changes first: a test fire runs the saved rule.' : undefined} /> : null}
            {canDelete ? <DeleteActionButton saved={base} onDeleted={() => clearDraft(name)} /> : null}
          </>
        }
      />
      <div className="page-body">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={paths.actions()}>Response actions</Link>
        </nav>
        {created ? (
          <p className="saved-badge action-page__created" role="status" data-testid="action-created">
            Rule created. Test fire it to see what its destinations receive.
          </p>
        ) : null}
        {destinationsError ? <ApiProblem error={destinationsError} testId="destinations-problem" /> : null}
        {stored && dirty && editedFrom !== latest.action.revision ? (
          <p className="notice" data-testid="draft-outdated">
            Restored your unsaved draft, based on revision {editedFrom}; revision {latest.action.revision} has been saved since. Saving will show both.
          </p>
        ) : null}
        {conflict ? (
          <ActionConflictPanel
            conflict={conflict}
            mine={actionFromForm(form)}
            onReload={reloadTheirs}
            onOverwrite={() => saveWith(conflict.theirs.etag)}
            overwriting={save.isPending}
          />
        ) : null}
        <div className={canUpdate && canPreview ? 'action-layout' : 'action-layout action-layout--single'} ref={formRef}>
          <div className="action-layout__main">
            <ActionEditor
              form={form}
              onChange={onChange}
              isNew={false}
              readOnly={!canUpdate}
              errors={errors.shown}
              destinations={destinations}
              saved={{ schedule: action.schedule, nextFiringAt: summary?.nextFiringAt ?? null, enabled: action.enabled }}
              onSubmit={submit}
              footer={
                canUpdate ? (
                  <>
                    {errors.problem ? <ApiProblem error={errors.problem} testId="save-problem" /> : null}
                    <div className="toolbar">
                      <button type="submit" className="btn btn--primary" disabled={save.isPending || !dirty} data-testid="save-action">
                        {save.isPending && !conflict ? 'Saving…' : 'Save'}
                      </button>
                      {dirty ? (
                        <>
                          <span className="unsaved-badge" data-testid="unsaved-changes">
                            Unsaved changes
                          </span>
                          <button type="button" className="link-button" onClick={() => setForm(pristine)} data-testid="discard-changes">
                            Discard
                          </button>
                        </>
                      ) : savedNow ? (
                        <span className="saved-badge" role="status" data-testid="save-status">
                          Saved revision {action.revision}
                        </span>
                      ) : null}
                    </div>
                  </>
                ) : null
              }
            />
          </div>
          {canUpdate && canPreview ? (
            <aside className="action-layout__aside" aria-label="Preview">
              <ActionPreviewPanel form={form} auto={dirty} />
            </aside>
          ) : null}
        </div>
        <FiringHistory name={name} />
        <ActionRevisions name={name} latest={latest.action.revision} />
      </div>
    </>
  );
}
