import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ActionPreview, Cell, SaveResponseAction } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { DataTable } from '../../../components/data-table';
import { formatCount } from '../../../components/number-format';
import { actionFromForm, canPreview, type ActionForm } from '../action-form';
import { previewOptions } from '../api';
import { WindowRange } from './window-range';

/** Typing pauses this long before the source runs again. */
const PREVIEW_DELAY_MS = 1_200;
/** Rows shown of what would be sent. */
const PREVIEW_ROWS = 5;

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

const toCell = (value: unknown): Cell =>
  value === null || value === undefined ? null : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);

/**
 * What the rule on screen would do with today's data: runs its source (with `auto`, after typing pauses; always at
 * once with "Preview") and says how many rows it would send to how many destinations, with the first rows and the users a lock would hit.
 */
export function ActionPreviewPanel({ form, auto = true }: { form: ActionForm; auto?: boolean }) {
  const ready = canPreview(form);
  const body = useMemo(() => actionFromForm(form), [form]);
  const bodyKey = JSON.stringify(body);
  const [requested, setRequested] = useState<SaveResponseAction | undefined>(() => (auto && ready ? body : undefined));

  useEffect(() => {
    if (!auto || !ready) return;
    const timer = setTimeout(() => setRequested(JSON.parse(bodyKey) as SaveResponseAction), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [auto, ready, bodyKey]);

  const preview = useQuery({ ...previewOptions(requested ?? body), enabled: requested !== undefined });
  const current = requested !== undefined && JSON.stringify(requested) === bodyKey;

  const runNow = () => {
    if (current) void preview.refetch();
    else setRequested(body);
  };

  return (
    <section className="card action-preview" aria-labelledby="action-preview-title" data-testid="action-preview">
      <header className="action-preview__header">
        <h2 id="action-preview-title" className="action-editor__heading">
          Preview
        </h2>
        <button type="button" className="btn btn--secondary btn--small" onClick={runNow} disabled={!ready || preview.isFetching} data-testid="preview-run">
          {preview.isFetching ? 'Running…' : 'Preview'}
        </button>
      </header>
      <div aria-live="polite" aria-busy={preview.isFetching}>
        {!ready ? (
          <p className="muted">Complete the rule (a source, a valid schedule) to see what it would send.</p>
        ) : requested === undefined ? (
          <p className="muted">Choose “Preview” to run the rule’s source over today’s data.</p>
        ) : preview.isPending && preview.isFetching ? (
          <p className="muted action-preview__running">
            <span className="spinner" aria-hidden="true" /> Running the source over today’s data…
          </p>
        ) : preview.isError ? (
          <ApiProblem error={preview.error} testId="preview-problem" />
        ) : preview.data ? (
          <PreviewResult preview={preview.data} stale={!current || preview.isPlaceholderData || preview.isFetching} />
        ) : null}
      </div>
    </section>
  );
}

function PreviewResult({ preview, stale }: { preview: ActionPreview; stale: boolean }) {
  const columns = preview.columns.map((name) => ({ name, type: 'varchar' }));
  const rows = preview.rows.slice(0, PREVIEW_ROWS).map((row) => preview.columns.map((c) => toCell(row[c])));
  return (
    <div className={stale ? 'action-preview__result action-preview__result--stale' : 'action-preview__result'}>
      <p className="action-preview__summary" data-testid="preview-summary">
        With today’s data this rule would send <strong>{plural(preview.sendRows, 'row', 'rows')}</strong> to{' '}
        <strong>{plural(preview.destinations.length, 'destination', 'destinations')}</strong>.
      </p>
      <p className="muted action-preview__facts">
        {plural(preview.totalRows, 'row', 'rows')} in the window (<WindowRange window={preview.window} />)
        {preview.suppressedRows > 0 ? `, ${formatCount(preview.suppressedRows)} triaged (accepted risk or false positive)` : null}
        {preview.repeatedRows > 0 ? `, ${formatCount(preview.repeatedRows)} repeating a ${preview.keyColumns.join(' + ')} already counted (one row is sent per ${preview.keyColumns.join(' + ')})` : null}
        {preview.alreadySentRows > 0 ? `, ${formatCount(preview.alreadySentRows)} sent by an earlier firing` : null}
        {preview.destinations.length > 0 ? <> · to {preview.destinations.join(', ')}</> : null}
        {stale ? ' · updating…' : null}
      </p>
      {rows.length > 0 ? (
        <>
          <DataTable columns={columns} rows={rows} caption="First rows the rule would send" testId="preview-rows" />
          {preview.sendRows > rows.length ? <p className="muted action-preview__more">First {rows.length} of {formatCount(preview.sendRows)} rows.</p> : null}
        </>
      ) : null}
      {preview.lockUsers.length > 0 ? (
        <p className="action-preview__locks" data-testid="preview-lock-users">
          A Teleport lock would apply to {plural(preview.lockUsers.length, 'user', 'users')}: {preview.lockUsers.join(', ')}
        </p>
      ) : null}
    </div>
  );
}
