import { useEffect, useState } from 'react';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { REPORT_WINDOWS, USAGE_CHARTS, type UsageChart, type UsageFilters, type UsageOverview, type WindowDays } from '@access-monitor/contracts';
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
import { usageChartOptions, usageKeys } from '../api';
import { MfaCoverageChart, SessionsPerDayChart, TopUsersChart } from '../components/lazy-usage-charts';
import { LoginsHeatmap } from '../components/logins-heatmap';
import { OverviewFiltersForm } from '../components/overview-filters-form';
import { OverviewProgress, useElapsedSeconds } from '../components/overview-progress';
import { TotalsTiles } from '../components/totals-tiles';
import { filtersFromParams, hasFilters, withFilters } from '../overview-filters';
import { OVERVIEW_QUERY_CHARTS, type OverviewChartId } from '../overview-query-charts';

/** `/?days=30&user=alice&protocol=ssh`: usage of the cluster over one of Teleport's windows, narrowed by the filters in the URL, each chart linked to its SQL. */
export function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const rawDays = params.get('days');
  const days = parseReportWindow(rawDays);
  const filters = filtersFromParams(params);
  const filterKey = JSON.stringify(filters);
  const filtered = hasFilters(filters);
  // One request per part: each chart draws when its own queries end instead of all waiting for the slowest.
  const parts = useQueries({
    queries: USAGE_CHARTS.map((chart) => usageChartOptions(days, chart, filters)),
    combine: (results) => ({
      byChart: Object.fromEntries(USAGE_CHARTS.map((chart, i) => [chart, results[i]!])) as Record<UsageChart, (typeof results)[number]>,
      ready: results.filter((r) => r.isSuccess || r.isError).length,
      loading: results.some((r) => r.isPending && r.fetchStatus === 'fetching'),
      // Stop cancels the requests: what had not answered is left pending and idle.
      stopped: results.some((r) => r.isPending && r.fetchStatus === 'idle'),
      forbidden: results.find((r) => isForbidden(r.error))?.error,
      window: results.find((r) => r.data)?.data?.window,
    }),
  });
  const { byChart } = parts;
  const queryClient = useQueryClient();
  const [run, setRun] = useState(0);
  const seconds = useElapsedSeconds(parts.loading, `${days}:${filterKey}:${run}`);
  const stop = () => void queryClient.cancelQueries({ queryKey: usageKeys.overview(days, filters) });
  const resume = () => {
    setRun((r) => r + 1);
    void queryClient.refetchQueries({ queryKey: usageKeys.overview(days, filters), predicate: (q) => q.state.status === 'pending' });
  };
  // Filters and window live in the URL together: changing one keeps the other.
  const setWindow = (d: number) => setParams((p) => withFilters(new URLSearchParams({ days: String(d) }), filtersFromParams(p)));
  const applyFilters = (next: UsageFilters) => setParams((p) => withFilters(p, next));
  const clearFilters = () => setParams((p) => withFilters(p, {}));
  // "Open query" leads to the query page, which only users who may run audit queries can use.
  const canRunQueries = allows(useAccess(), PERMISSIONS.runQuery);

  // A hand-edited `?days=5` shows the default window; say so in the URL too.
  useEffect(() => {
    if (rawDays !== null && rawDays !== String(days)) setParams((p) => withFilters(new URLSearchParams({ days: String(days) }), filtersFromParams(p)), { replace: true });
  }, [rawDays, days, setParams]);

  const frame = (chartId: OverviewChartId) => {
    const part = byChart[chartId];
    const sql = part.data?.queries[chartId];
    return {
      isPending: part.isPending,
      stopped: part.isPending && part.fetchStatus === 'idle',
      progress: `Running its audit query… ${seconds} s`,
      error: part.error,
      // Opens the editor running the chart's SQL, drawn as the chart is.
      openQueryHref: sql && canRunQueries ? paths.newQuery({ sql, days, run: true, chart: OVERVIEW_QUERY_CHARTS[chartId] }) : undefined,
    };
  };
  const sessionsPerDay = byChart.sessionsPerDay.data?.sessionsPerDay;
  const topUsers = byChart.topUsers.data?.topUsers;
  const mfaCoverage = byChart.mfaCoverage.data?.mfaCoverage;
  const loginsByHourOfWeek = byChart.loginsByHourOfWeek.data?.loginsByHourOfWeek;

  const header = (
    <PageHeader
      title="Overview"
      subtitle={<WindowSubtitle days={days} window={parts.window} filtered={filtered} />}
      actions={<WindowSelector value={days} options={REPORT_WINDOWS} onChange={setWindow} />}
    />
  );

  // One explanation for the whole page rather than the same refusal in every chart.
  if (parts.forbidden) {
    return (
      <>
        {header}
        <div className="page-body">
          <ForbiddenPanel problem={toProblem(parts.forbidden)} />
        </div>
      </>
    );
  }

  return (
    <>
      {header}
      <div className="page-body">
        <OverviewFiltersForm filters={filters} onApply={applyFilters} onClear={clearFilters} />
        <OverviewProgress
          ready={parts.ready}
          total={USAGE_CHARTS.length}
          loading={parts.loading}
          stopped={parts.stopped}
          seconds={seconds}
          onStop={stop}
          onResume={resume}
        />
        <TotalsTiles totals={byChart.totals.data?.totals} />
        <div className="chart-grid-layout">
          <ChartFrame
            title="Sessions per day"
            description="Sessions started, by protocol"
            testId="chart-sessions-per-day"
            isEmpty={!sessionsPerDay || isAllZero(sessionsPerDay)}
            emptyMessage={filtered ? 'No session matches the filters in this window.' : 'No sessions were started in this window.'}
            {...frame('sessionsPerDay')}
          >
            {sessionsPerDay ? <SessionsPerDayChart data={sessionsPerDay} /> : null}
          </ChartFrame>
          <ChartFrame
            title="Top users"
            description="Users with the most sessions"
            testId="chart-top-users"
            isEmpty={!topUsers || topUsers.length === 0}
            emptyMessage={filtered ? 'No session matches the filters in this window.' : 'No user started a session in this window.'}
            {...frame('topUsers')}
          >
            {topUsers ? <TopUsersChart data={topUsers} /> : null}
          </ChartFrame>
          <ChartFrame
            title="MFA coverage"
            description="Sessions per day with and without per-session MFA"
            testId="chart-mfa-coverage"
            isEmpty={!mfaCoverage || mfaCoverage.every((d) => d.withMfa + d.withoutMfa === 0)}
            emptyMessage={filtered ? 'No session matches the filters in this window.' : 'No sessions were started in this window.'}
            {...frame('mfaCoverage')}
          >
            {mfaCoverage ? <MfaCoverageChart data={mfaCoverage} /> : null}
          </ChartFrame>
          <ChartFrame
            title="Logins by hour of week"
            description="Logins by weekday and hour of the day (UTC)"
            testId="chart-logins-by-hour"
            isEmpty={!loginsByHourOfWeek || loginsByHourOfWeek.every((c) => c.logins === 0)}
            emptyMessage={filtered ? 'No login matches the filters in this window.' : 'Nobody logged in during this window.'}
            {...frame('loginsByHourOfWeek')}
          >
            {loginsByHourOfWeek ? <LoginsHeatmap cells={loginsByHourOfWeek} /> : null}
          </ChartFrame>
        </div>
      </div>
    </>
  );
}

function WindowSubtitle({ days, window, filtered }: { days: WindowDays; window: UsageOverview['window'] | undefined; filtered: boolean }) {
  const of = filtered ? 'Filtered usage of the cluster' : 'Usage of the cluster';
  if (!window) return <>{of} over the last {days} days, from the audit log</>;
  return (
    <>
      {of} from the audit log, {formatUtcDayLong(window.start)} – {formatUtcDayLong(window.end)}{' '}
      <abbr title="Audit days are calendar days in UTC">(UTC days)</abbr>
    </>
  );
}

const isAllZero = (rows: UsageOverview['sessionsPerDay']) => rows.every((r) => r.ssh + r.db + r.kube + r.app + r.desktop === 0);
