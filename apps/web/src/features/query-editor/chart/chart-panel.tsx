import { lazy, Suspense, useId, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ChartSpec, ColumnInfo, Execution } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { isNumericType } from '../../../components/data-table';
import { formatCount } from '../../../components/number-format';
import { Skeleton } from '../../../components/skeleton';
import { executionResultsOptions } from '../api';
import { CHART_ROW_LIMIT, chartData, chartFits, yColumns } from './chart-data';

// recharts loads only when a chart is drawn.
const ResultChart = lazy(() => import('./result-chart'));

const TYPES: ReadonlyArray<{ value: ChartSpec['type']; label: string }> = [
  { value: 'bar', label: 'Bar' },
  { value: 'stacked-bar', label: 'Stacked bar' },
  { value: 'line', label: 'Line' },
];

/** Y columns beyond the first (ChartSpec allows 11). */
const MAX_MORE_Y = 11;

/** The spec with these further Y columns; none drops the key, so the address stays as short as before. */
function withMoreY(spec: ChartSpec, moreY: string[]): ChartSpec {
  const { moreY: _old, ...rest } = spec;
  return moreY.length > 0 ? { ...rest, moreY } : rest;
}

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
  // The next numeric column not drawn yet, offered as a further Y series.
  const drawn = new Set([spec.x, ...yColumns(spec)]);
  const nextY = (spec.moreY ?? []).length < MAX_MORE_Y ? columns.find((c) => !drawn.has(c.name) && isNumericType(c.type))?.name : undefined;

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
        {(spec.moreY ?? []).map((name, i) => (
          <div className="chart-panel__field" key={i}>
            <label htmlFor={`${id}-y${i + 2}`} className="field-label">
              Y value {i + 2}
            </label>
            <span className="chart-panel__more-y">
              <select
                id={`${id}-y${i + 2}`}
                className="input"
                data-testid={`chart-y${i + 2}`}
                value={name}
                onChange={(e) => onChange(withMoreY(spec, (spec.moreY ?? []).map((y, j) => (j === i ? e.target.value : y))))}
              >
                {columns.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn--ghost" onClick={() => onChange(withMoreY(spec, (spec.moreY ?? []).filter((_, j) => j !== i)))}>
                Remove<span className="sr-only"> Y value {i + 2}</span>
              </button>
            </span>
          </div>
        ))}
        {nextY ? (
          <button type="button" className="btn btn--secondary" data-testid="chart-add-y" onClick={() => onChange(withMoreY(spec, [...(spec.moreY ?? []), nextY]))}>
            Add Y value
          </button>
        ) : null}
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
