import { lazy, Suspense, useId, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ChartSpec, ColumnInfo, Execution } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { formatCount } from '../../../components/number-format';
import { Skeleton } from '../../../components/skeleton';
import { executionResultsOptions } from '../api';
import { CHART_ROW_LIMIT, chartData, chartFits } from './chart-data';

// recharts loads only when a chart is drawn.
const ResultChart = lazy(() => import('./result-chart'));

const TYPES: ReadonlyArray<{ value: ChartSpec['type']; label: string }> = [
  { value: 'bar', label: 'Bar' },
  { value: 'stacked-bar', label: 'Stacked bar' },
  { value: 'line', label: 'Line' },
];

interface ChartPanelProps {
  execution: Execution;
  columns: readonly ColumnInfo[];
  spec: ChartSpec;
  onChange: (spec: ChartSpec | null) => void;
}

/** The result as a chart: type and x / y / series pickers (kept in the address and saved with the query). */
export function ChartPanel({ execution, columns, spec, onChange }: ChartPanelProps) {
  const id = useId();
  const rows = useQuery(executionResultsOptions(execution.id, 0, CHART_ROW_LIMIT));
  const fits = chartFits(columns, spec);
  const data = useMemo(() => (rows.data && fits ? chartData(rows.data.columns, rows.data.rows, spec) : undefined), [rows.data, spec, fits]);
  const total = execution.rowCount ?? 0;

  const picker = (key: 'x' | 'y' | 'series', labelText: string, optional = false) => (
    <div className="chart-panel__field">
      <label htmlFor={`${id}-${key}`} className="field-label">
        {labelText}
      </label>
      <select
        id={`${id}-${key}`}
        className="input"
        data-testid={`chart-${key}`}
        value={spec[key] ?? ''}
        onChange={(e) => {
          const { series: _series, ...rest } = spec;
          const value = e.target.value;
          onChange(key === 'series' ? (value ? { ...rest, series: value } : rest) : { ...spec, [key]: value });
        }}
      >
        {optional ? <option value="">None</option> : null}
        {columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section className="chart-panel" aria-label="Chart" data-testid="result-chart">
      <div className="chart-panel__controls">
        <div className="chart-panel__field">
          <label htmlFor={`${id}-type`} className="field-label">
            Chart
          </label>
          <select id={`${id}-type`} className="input" data-testid="chart-type" value={spec.type} onChange={(e) => onChange({ ...spec, type: e.target.value as ChartSpec['type'] })}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {picker('x', 'X axis')}
        {picker('y', 'Y value')}
        {picker('series', 'Series', true)}
        <button type="button" className="btn btn--ghost chart-panel__close" onClick={() => onChange(null)}>
          Hide chart
        </button>
      </div>
      {!fits ? (
        <p className="empty-state">The chart names columns this result does not have; pick the columns to draw.</p>
      ) : rows.isPending ? (
        <Skeleton label="Loading rows for the chart…" height={280} />
      ) : rows.isError ? (
        <ApiProblem error={rows.error} testId="chart-problem" />
      ) : data && data.points.length > 0 ? (
        <>
          <Suspense fallback={<Skeleton label="Loading chart…" height={280} />}>
            <ResultChart spec={spec} data={data} />
          </Suspense>
          {total > CHART_ROW_LIMIT ? (
            <p className="muted chart-panel__note">
              Drawn from the first {formatCount(CHART_ROW_LIMIT)} of {formatCount(total)} rows; aggregate in SQL to chart all of them.
            </p>
          ) : null}
        </>
      ) : (
        <p className="empty-state">No rows to draw.</p>
      )}
    </section>
  );
}
