import type { ReportRun } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { useAccess } from '../../../lib/session/use-me';
import { findingQueryHref } from '../finding-query-link';
import { orderFindings } from '../report-view';
import { useOpenRows } from '../use-open-rows';
import { CompletenessWarning } from './completeness-warning';
import { FindingCard } from './finding-card';
import { SeveritySummary } from './severity-summary';

interface RunFindingsProps {
  run: ReportRun;
  /** Finding pages exist for a report window (`/reports/:name/findings/:id`), not for a pinned run. */
  findingHref?: (queryId: string) => string;
}

/** What a run found: missing days, the severity summary, and one card per audit query, most urgent first. */
export function RunFindings({ run, findingHref }: RunFindingsProps) {
  const open = useOpenRows();
  const canRunQueries = allows(useAccess(), PERMISSIONS.runQuery);
  return (
    <>
      <CompletenessWarning completeness={run.completeness} />
      <SeveritySummary queries={run.queries} />
      <section className="findings" aria-label="Findings">
        {orderFindings(run.queries).map((finding) => (
          <FindingCard
            key={finding.id}
            run={run}
            finding={finding}
            rowsOpen={open.queryId === finding.id}
            page={open.queryId === finding.id ? open.page : 1}
            onRowsOpenChange={(isOpen) => open.setOpen(finding.id, isOpen)}
            onPageChange={open.setPage}
            detailHref={findingHref?.(finding.id)}
            openQueryHref={canRunQueries ? findingQueryHref(finding, run.window) : undefined}
          />
        ))}
      </section>
    </>
  );
}
