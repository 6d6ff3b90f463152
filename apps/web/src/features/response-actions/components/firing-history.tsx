import { Fragment, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DestinationDelivery, Firing, ResponseRecord } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { formatCount, formatDuration } from '../../../components/number-format';
import { Skeleton } from '../../../components/skeleton';
import { formatUtc, parseInstant } from '../../../components/time-format';
import { useTimeZoneMode } from '../../../components/time-format-setting';
import { Timestamp } from '../../../components/timestamp';
import { firingsOptions } from '../api';
import { FiringStateBadge } from './firing-state-badge';
import { WindowRange } from './window-range';

const TRIGGERS: Record<Firing['trigger'], string> = { schedule: 'Schedule', manual: 'Manual', test: 'Test' };
const COLUMNS = 7;

/** A rule's firings, newest first: when, why, how it ended, what it sent; each opens to its deliveries and responses. */
export function FiringHistory({ name }: { name: string }) {
  const firings = useQuery(firingsOptions(name));
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="card firing-history" aria-labelledby="firing-history-title" data-testid="firing-history">
      <h2 id="firing-history-title" className="action-editor__heading">
        Firing history
      </h2>
      {firings.isPending ? (
        <Skeleton label="Loading the firing history…" height={120} />
      ) : firings.isError ? (
        <ApiProblem error={firings.error} testId="firings-problem" />
      ) : firings.data.firings.length === 0 ? (
        <p className="empty-state" data-testid="firings-empty">
          This rule has not fired yet.
        </p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Firings" tabIndex={0}>
          <table className="data-table firing-table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
                <th scope="col">State</th>
                <th scope="col">Window</th>
                <th scope="col" className="num">
                  Rows
                  <span className="firing-table__hint">total / triaged / sent</span>
                </th>
                <th scope="col">Payload SHA-256</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {firings.data.firings.map((firing) => {
                const isOpen = open.has(firing.id);
                const detailsId = `firing-${firing.id}-details`;
                return (
                  <Fragment key={firing.id}>
                    <tr data-testid="firing-row" data-firing-id={firing.id} data-trigger={firing.trigger} data-state={firing.state}>
                      <td>
                        <UtcTime value={firing.startedAt} />
                      </td>
                      <td>
                        <span className={`trigger-badge trigger-badge--${firing.trigger}`} data-testid="firing-trigger">
                          {TRIGGERS[firing.trigger]}
                        </span>
                        {firing.startedBy ? <span className="firing-table__by muted">by {firing.startedBy}</span> : null}
                      </td>
                      <td>
                        <FiringStateBadge state={firing.state} />
                      </td>
                      <td className="firing-table__window">
                        <WindowRange window={firing.window} />
                      </td>
                      <td className="num" data-testid="firing-rows">
                        {formatCount(firing.totalRows)} / {formatCount(firing.suppressedRows)} / <strong>{formatCount(firing.sentRows)}</strong>
                      </td>
                      <td>
                        {firing.payloadSha256 ? (
                          <code title={firing.payloadSha256} data-testid="firing-digest">
                            {firing.payloadSha256.slice(0, 10)}…
                          </code>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn--secondary btn--small"
                          aria-expanded={isOpen}
                          aria-controls={detailsId}
                          onClick={() => toggle(firing.id)}
                          data-testid="firing-toggle"
                        >
                          {isOpen ? 'Hide' : 'Details'}
                          <span className="sr-only"> of the firing at {firing.startedAt}</span>
                        </button>
                      </td>
                    </tr>
                    <tr id={detailsId} hidden={!isOpen} className="firing-table__details">
                      <td colSpan={COLUMNS}>{isOpen ? <FiringDetails firing={firing} /> : null}</td>
                    </tr>
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The time in the chosen zone and, when that is local, the UTC instant under it (schedules are in UTC). */
function UtcTime({ value }: { value: string }) {
  const date = parseInstant(value);
  const mode = useTimeZoneMode();
  return (
    <span className="utc-time">
      <Timestamp value={value} />
      {date && mode === 'local' ? <span className="utc-time__utc">{formatUtc(date)}</span> : null}
    </span>
  );
}

/** The whole digest and a button to copy it. */
function Digest({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <span className="digest">
      <code className="digest__value">{value}</code>
      <button type="button" className="link-button digest__copy" onClick={() => void copy()} onBlur={() => setCopied(false)}>
        {copied ? 'Copied' : 'Copy'}
        <span className="sr-only"> the payload SHA-256 {value}</span>
      </button>
    </span>
  );
}

function FiringDetails({ firing }: { firing: Firing }) {
  return (
    <div className="firing-details" data-testid="firing-details">
      <dl className="firing-details__facts">
        <div>
          <dt>Firing</dt>
          <dd>
            <code data-testid="firing-id">{firing.id}</code>
          </dd>
        </div>
        <div>
          <dt>Rule revision</dt>
          <dd>{firing.ruleRevision}</dd>
        </div>
        <div>
          <dt>Slot</dt>
          <dd>
            <UtcTime value={firing.slot} />
          </dd>
        </div>
        {firing.finishedAt ? (
          <div>
            <dt>Finished</dt>
            <dd>
              <Timestamp value={firing.finishedAt} />
            </dd>
          </div>
        ) : null}
        {firing.executionId ? (
          <div>
            <dt>Execution</dt>
            <dd>
              <code>{firing.executionId}</code>
            </dd>
          </div>
        ) : null}
        {firing.payloadSha256 ? (
          <div className="firing-details__digest">
            <dt>Payload SHA-256</dt>
            <dd>
              <Digest value={firing.payloadSha256} />
            </dd>
          </div>
        ) : null}
      </dl>
      {firing.error ? (
        <p className="form-error" data-testid="firing-error">
          {firing.error}
        </p>
      ) : null}
      {firing.deliveries.length === 0 ? (
        <p className="muted">{firing.state === 'NOTHING_TO_SEND' ? 'Nothing to send: no destination was called.' : 'No deliveries.'}</p>
      ) : (
        firing.deliveries.map((delivery) => <DeliveryView key={delivery.destination} delivery={delivery} />)
      )}
      {firing.responses.length > 0 ? <ResponsesView responses={firing.responses} /> : null}
    </div>
  );
}

function DeliveryView({ delivery }: { delivery: DestinationDelivery }) {
  return (
    <section className="delivery" data-testid={`delivery-${delivery.destination}`} data-state={delivery.state} aria-label={`Delivery to ${delivery.destination}`}>
      <h3 className="delivery__title">
        <span className="mono">{delivery.destination}</span> <span className="destination-list__type">{delivery.type}</span>{' '}
        <FiringStateBadge state={delivery.state} testId="delivery-state" />{' '}
        <span className="muted">
          {delivery.attempts.length} {delivery.attempts.length === 1 ? 'attempt' : 'attempts'}
        </span>
      </h3>
      <table className="data-table delivery__attempts">
        <caption className="sr-only">Attempts to deliver to {delivery.destination}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">At</th>
            <th scope="col" className="num">
              Status
            </th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {delivery.attempts.map((attempt, i) => (
            <tr key={i} data-testid="delivery-attempt">
              <td className="num">{i + 1}</td>
              <td>
                <Timestamp value={attempt.at} />
              </td>
              <td className="num" data-testid="attempt-status">
                {attempt.statusCode ?? <span className="muted">no answer</span>}
              </td>
              <td className="num">{formatDuration(attempt.durationMs)}</td>
              <td className="delivery__error">{attempt.error ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ResponsesView({ responses }: { responses: readonly ResponseRecord[] }) {
  return (
    <section className="delivery" aria-label="Responses" data-testid="firing-responses">
      <h3 className="delivery__title">Teleport locks</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Command</th>
            <th scope="col" className="num">
              Exit code
            </th>
            <th scope="col">stderr / error</th>
          </tr>
        </thead>
        <tbody>
          {responses.map((r, i) => (
            <tr key={i}>
              <td>
                {r.user} {r.dryRun ? <span className="dry-run-label">dry run</span> : null}
              </td>
              <td>
                <code className="delivery__command">tctl {r.args.join(' ')}</code>
              </td>
              <td className="num">{r.exitCode ?? <span className="muted">—</span>}</td>
              <td className="delivery__error">{[r.stderr, r.error].filter(Boolean).join(' ') || <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
