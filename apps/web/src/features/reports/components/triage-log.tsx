import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem } from '../../../components/api-problem';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { triageLogOptions } from '../api';
import { describeEntity, TRIAGE_STATUS_LABELS } from '../triage-view';

interface TriageLogProps {
  report: string;
  /** Finding titles by audit query id, to name each entry's finding. */
  findingTitles: ReadonlyMap<string, string>;
}

/** Every triage revision of the report, newest first: who marked which entity of which finding, when, how and why. Loaded when opened. */
export function TriageLog({ report, findingTitles }: TriageLogProps) {
  const [open, setOpen] = useState(false);
  const log = useQuery({ ...triageLogOptions(report), enabled: open });
  return (
    <details className="card triage-log" data-testid="triage-log" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="triage-log__summary">
        Triage log <span className="muted">— accepted risks, false positives and reopenings, newest first</span>
      </summary>
      {!open ? null : log.isPending ? (
        <Skeleton label="Loading the triage log…" height={120} />
      ) : log.isError ? (
        <ApiProblem error={log.error} testId="triage-log-problem" />
      ) : log.data.triage.length === 0 ? (
        <p className="empty-state">Nobody has triaged a finding of this report yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Triage log" tabIndex={0}>
          <table className="data-table triage-log__table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Finding</th>
                <th scope="col">Entity</th>
                <th scope="col">Status</th>
                <th scope="col">Until (UTC)</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {log.data.triage.map((r) => (
                <tr key={`${r.finding}/${r.entityKey}/${r.revision}`} data-testid="triage-log-entry">
                  <td>
                    <Timestamp value={r.savedAt} />
                  </td>
                  <td>{r.savedBy}</td>
                  <td title={r.finding}>{findingTitles.get(r.finding) ?? r.finding}</td>
                  <td>{describeEntity(r.entity)}</td>
                  <td>
                    <span className={`triage-badge triage-badge--${r.status === 'accepted_risk' ? 'accepted' : r.status === 'false_positive' ? 'false-positive' : 'open'}`}>
                      {TRIAGE_STATUS_LABELS[r.status]}
                    </span>
                  </td>
                  <td>{r.expires ?? '—'}</td>
                  <td className="triage-log__reason" title={r.reason}>
                    {r.reason}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
