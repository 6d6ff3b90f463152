import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { REPORT_WINDOWS, type UsageOverview, type WindowDays } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { ChartFrame } from '../../../components/chart-frame';
import { ForbiddenPanel } from '../../../components/forbidden-panel';
import { PageHeader } from '../../../components/page-header';
import { toProblem } from '../../../components/problem-panel';
import { formatUtcDayLong } from '../../../components/time-format';
import { parseReportWindow } from '../../../components/window-param';
import { WindowSelector } from '../../../components/window-selector';
import { paths } from '../../../lib/paths';
import { isForbidden } from '../../../lib/session/session-problems';
import { useAccess } from '../../../lib/session/use-me';
import { usageOverviewOptions } from '../api';
import { MfaCoverageChart, SessionsPerDayChart, TopUsersChart } from '../components/lazy-usage-charts';
import { LoginsHeatmap } from '../components/logins-heatmap';
import { TotalsTiles } from '../components/totals-tiles';
import { OVERVIEW_QUERY_CHARTS, type OverviewChartId } from '../overview-query-charts';


/** `/?days=30`: usage of the cluster over one of Teleport's windows, each chart linked to its SQL. */
export function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const rawDays = params.get('days');
  const days = parseReportWindow(rawDays);
  const overview = useQuery(usageOverviewOptions(days));
  const data = overview.data;
  // "Open query" leads to the query page, which only users who may run audit queries can use.
  const canRunQueries = allows(useAccess(), PERMISSIONS.runQuery);

  // A hand-edited `?days=5` shows the default window; say so in the URL too.
  useEffect(() => {
    if (rawDays !== null && rawDays !== String(days)) setParams({ days: String(days) }, { replace: true });
  }, [rawDays, days, setParams]);

  const frame = (chartId: OverviewChartId) => {
    const sql = data?.queries[chartId];
    return {
      isPending: overview.isPending,
      error: overview.error,
      // Opens the editor running the chart's SQL, drawn as the chart is.
      openQueryHref: sql && canRunQueries ? paths.newQuery({ sql, days, run: true, chart: OVERVIEW_QUERY_CHARTS[chartId] }) : undefined,
    };
  };

  const header = (
    <PageHeader
      title="Overview"
      subtitle={<WindowSubtitle days={days} window={data?.window} />}
      actions={<WindowSelector value={days} options={REPORT_WINDOWS} onChange={(d) => setParams({ days: String(d) })} />}
    />
  );

  // One explanation for the whole page rather than the same refusal in every chart.
  if (isForbidden(overview.error)) {
    return (
      <>
        {header}
        <div className="page-body">
          <ForbiddenPanel problem={toProblem(overview.error)} />
        </div>
      </>
    );
  }

  return (
    <>
      {header}
      <div className="page-body">
        <TotalsTiles totals={data?.totals} />
        <div className="chart-grid-layout">
          <ChartFrame
            title="Sessions per day"
            description="Sessions started, by protocol"
            testId="chart-sessions-per-day"
            isEmpty={!data || isAllZero(data.sessionsPerDay)}
            emptyMessage="No sessions were started in this window."
            {...frame('sessionsPerDay')}
          >
            {data ? <SessionsPerDayChart data={data.sessionsPerDay} /> : null}
          </ChartFrame>
          <ChartFrame
            title="Top users"
            description="Users with the most sessions"
            testId="chart-top-users"
            isEmpty={!data || data.topUsers.length === 0}
            emptyMessage="No user started a session in this window."
            {...frame('topUsers')}
          >
            {data ? <TopUsersChart data={data.topUsers} /> : null}
          </ChartFrame>
          <ChartFrame
            title="MFA coverage"
            description="Sessions per day with and without per-session MFA"
            testId="chart-mfa-coverage"
            isEmpty={!data || data.mfaCoverage.every((d) => d.withMfa + d.withoutMfa === 0)}
            emptyMessage="No sessions were started in this window."
            {...frame('mfaCoverage')}
          >
            {data ? <MfaCoverageChart data={data.mfaCoverage} /> : null}
          </ChartFrame>
          <ChartFrame
            title="Logins by hour of week"
            description="Logins by weekday and hour of the day (UTC)"
            testId="chart-logins-by-hour"
            isEmpty={!data || data.loginsByHourOfWeek.every((c) => c.logins === 0)}
            emptyMessage="Nobody logged in during this window."
            {...frame('loginsByHourOfWeek')}
          >
            {data ? <LoginsHeatmap cells={data.loginsByHourOfWeek} /> : null}
          </ChartFrame>
        </div>
      </div>
    </>
  );
}

function WindowSubtitle({ days, window }: { days: WindowDays; window: UsageOverview['window'] | undefined }) {
  if (!window) return <>Usage of the cluster over the last {days} days, from the audit log</>;
  return (
    <>
      Usage of the cluster from the audit log, {formatUtcDayLong(window.start)} – {formatUtcDayLong(window.end)}{' '}
      <abbr title="Audit days are calendar days in UTC">(UTC days)</abbr>
    </>
  );
}

const isAllZero = (rows: UsageOverview['sessionsPerDay']) => rows.every((r) => r.ssh + r.db + r.kube + r.app + r.desktop === 0);
