import { useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { DestinationInfo } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { paths } from '../../../lib/paths';
import { actionFromForm, newActionForm, type ActionForm } from '../action-form';
import { destinationsOptions, useSaveAction } from '../api';
import { ActionEditor } from '../components/action-editor';
import { ActionPreviewPanel } from '../components/action-preview';
import { clearDraft, loadDraft, useActionDraft } from '../use-action-draft';
import { useFormErrors } from '../use-form-errors';

/** `/actions/new?source=<report>/<finding id>`: a new rule, prefilled from the finding it came from. */
export function NewActionPage() {
  const [params] = useSearchParams();
  const source = params.get('source');
  const destinations = useQuery(destinationsOptions());

  return (
    <>
      <PageHeader title="New response action" subtitle="Run a finding or a saved audit query on a schedule and send what it finds." />
      <div className="page-body">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={paths.actions()}>Response actions</Link>
        </nav>
        {destinations.isPending ? (
          <Skeleton label="Loading destinations…" />
        ) : (
          <>
            {destinations.isError ? <ApiProblem error={destinations.error} testId="destinations-problem" /> : null}
            {/* One editor per source: a link from another finding starts its own draft. */}
            <NewActionEditor key={source ?? ''} source={source} destinations={destinations.data?.destinations ?? []} />
          </>
        )}
      </div>
    </>
  );
}

function NewActionEditor({ source, destinations }: { source: string | null; destinations: readonly DestinationInfo[] }) {
  const navigate = useNavigate();
  const formRef = useRef<HTMLDivElement>(null);
  const draftKey = `new:${source ?? ''}`;
  const [stored] = useState(() => loadDraft(draftKey));
  const pristine = useMemo(() => newActionForm(source, destinations), [source, destinations]);
  const { form, setForm, dirty } = useActionDraft(draftKey, stored, pristine, null);
  const errors = useFormErrors(form, true);
  const save = useSaveAction();

  const onChange = (update: (f: ActionForm) => ActionForm) => {
    setForm(update);
    errors.clearServer();
  };

  const submit = () => {
    if (save.isPending || !errors.attempt(formRef.current)) return;
    const body = actionFromForm(form);
    save.mutate(
      { name: form.name, body, precondition: { create: true } },
      {
        onSuccess: (saved) => {
          clearDraft(draftKey);
          void navigate(paths.action(saved.action.name), { replace: true, state: { created: true } });
        },
        onError: (error) => errors.refused(error, body, form.name),
      },
    );
  };

  return (
    <div className="action-layout" ref={formRef}>
      <div className="action-layout__main">
        {stored && dirty ? (
          <p className="muted" role="status" data-testid="draft-restored">
            Restored your unsaved draft.{' '}
            <button type="button" className="link-button" onClick={() => setForm(pristine)}>
              Start over
            </button>
          </p>
        ) : null}
        <ActionEditor
          form={form}
          onChange={onChange}
          isNew
          readOnly={false}
          errors={errors.shown}
          destinations={destinations}
          onSubmit={submit}
          footer={
            <>
              {errors.problem ? <ApiProblem error={errors.problem} testId="save-problem" /> : null}
              <div className="toolbar">
                <button type="submit" className="btn btn--primary" disabled={save.isPending} data-testid="save-action">
                  {save.isPending ? 'Creating…' : 'Create rule'}
                </button>
                <Link to={paths.actions()} className="btn btn--secondary">
                  Cancel
                </Link>
                <span className="toolbar__hint muted">
                  <kbd>Ctrl</kbd>+<kbd>S</kbd> saves; your draft is kept if you reload.
                </span>
              </div>
            </>
          }
        />
      </div>
      <aside className="action-layout__aside" aria-label="Preview">
        <ActionPreviewPanel form={form} />
      </aside>
    </div>
  );
}
