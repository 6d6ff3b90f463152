import { useId, useState, type ReactNode } from 'react';
import { useOneChartStop } from './one-chart-stop';

/** The numbers behind a chart, as rows: the first column names the row (a day, a user), the others are counts. */
export interface ChartTable {
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

interface ChartFigureProps {
  /** What the chart shows: the name of its one focus stop and the caption of its table. */
  label: string;
  table: ChartTable;
  testId?: string;
  /** A recharts chart whose root surface carries `label` (the chart's own focus stop, arrow keys move its tooltip). */
  children: ReactNode;
}

/** A chart with one keyboard stop and its data as a table: hidden for screen readers until "Show table" shows it to everyone. */
export function ChartFigure({ label, table, testId, children }: ChartFigureProps) {
  const graphic = useOneChartStop<HTMLDivElement>();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();

  return (
    <figure className="chart-figure" data-testid={testId}>
      <div className="chart-figure__tools">
        <button
          type="button"
          className="link-button chart-figure__toggle"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((s) => !s)}
          data-testid="chart-table-toggle"
        >
          {showTable ? 'Show chart' : 'Show table'}
          <span className="sr-only"> of {label}</span>
        </button>
      </div>
      <div ref={graphic} className="chart-figure__graphic" hidden={showTable}>
        {children}
      </div>
      <div
        id={tableId}
        className={showTable ? 'table-scroll chart-figure__table' : 'sr-only'}
        role={showTable ? 'region' : undefined}
        aria-label={showTable ? `${label}, table` : undefined}
        tabIndex={showTable ? 0 : undefined}
      >
        <table className="data-table" data-testid="chart-table">
          <caption className="sr-only">{label}</caption>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={c} scope="col" className={i > 0 ? 'num' : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className="num">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
