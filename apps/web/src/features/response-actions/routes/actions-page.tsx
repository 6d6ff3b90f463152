import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ResponseActionSummary } from '@access-monitor/contracts';
import { allowsAll, PERMISSIONS, READS_AUDIT_LOG } from '@access-monitor/rbac';
import { ApiProblem } from '../../../components/api-problem';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { actionListOptions } from '../api';
import { FiringStateBadge } from '../components/firing-state-badge';
import { SourceName } from '../components/source-name';
import { describeSchedule } from '../schedule-text';
import { useActionSources } from '../use-action-sources';

/** `/actions`: every response action with its schedule, when it fires next and how it last fired. */
export function ActionsPage() {
  const list = useQuery(actionListOptions());
  const canCreate = allowsAll(useAccess(), [PERMISSIONS.createResponseAction, ...READS_AUDIT_LOG]);
  const sources = useActionSources();
  const actions = list.data ? [...list.data.actions].sort((a, b) => a.action.name.localeCompare(b.action.name)) : [];

  return (
    <>
      <PageHeader
        title="Response actions"
        subtitle="Rules that run a finding or a saved audit query on a schedule and notify destinations (or lock users) when it has rows."
        actions={
          canCreate ? (
            <Link className="btn btn--primary" to={paths.newAction()} data-testid="new-action">
              New rule
            </Link>
          ) : null
        }
      />
      <div className="page-body">
        {list.isPending ? (
          <Skeleton label="Loading response actions…" />
        ) : list.isError ? (
          <ApiProblem error={list.error} testId="actions-problem" />
        ) : actions.length === 0 ? (
          <p className="card empty-state" data-testid="actions-empty">
            No response actions yet.
            {canCreate ? (
              <>
                {' '}
                Open a finding of a <Link to={paths.reports()}>security report</Link> and choose “Alert me on new rows”, or{' '}
                <Link to={paths.newAction()}>write a rule</Link>.
              </>
            ) : null}
          </p>
        ) : (
          <section className="card" aria-label="Response actions">
            <table className="data-table action-list" data-testid="action-list">
              <caption className="sr-only">Response actions</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Source</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">Next firing</th>
                  <th scope="col">Last firing</th>
                  <th scope="col">Destinations</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((summary) => (
                  <ActionRow key={summary.action.name} summary={summary} sourceTitle={sources.titleOf(summary.action.source)} />
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </>
  );
}

function ActionRow({ summary, sourceTitle }: { summary: ResponseActionSummary; sourceTitle: string | undefined }) {
  const { action, nextFiringAt, lastFiring } = summary;
  return (
    <tr data-testid="action-row" data-action={action.name}>
      <td data-label="Rule">
        <Link to={paths.action(action.name)} className="action-list__name">
          {action.name}
        </Link>
        {action.description ? <p className="muted action-list__description">{action.description}</p> : null}
      </td>
      <td data-label="Source">
        <SourceName source={action.source} title={sourceTitle} />
      </td>
      <td data-label="Schedule" data-testid="action-schedule">
        {describeSchedule(action.schedule)}
      </td>
      <td data-label="Enabled">{action.enabled ? 'Yes' : <span className="muted">No (paused)</span>}</td>
      <td data-label="Next firing">{nextFiringAt && action.enabled ? <Timestamp value={nextFiringAt} /> : <span className="muted">—</span>}</td>
      <td data-label="Last firing">
        {lastFiring ? (
          <span className="action-list__last">
            <FiringStateBadge state={lastFiring.state} testId="last-firing-state" /> <Timestamp value={lastFiring.startedAt} />
          </span>
        ) : (
          <span className="muted">Never fired</span>
        )}
      </td>
      <td data-label="Destinations">{action.notifications.length > 0 ? action.notifications.map((n) => n.name).join(', ') : <span className="muted">None</span>}</td>
    </tr>
  );
}
