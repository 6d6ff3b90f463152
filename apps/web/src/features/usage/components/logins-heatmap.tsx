import type { UsageOverview } from '@access-monitor/contracts';
import { formatCount } from '../../../components/number-format';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const LEVELS = 5;

const pad = (h: number) => String(h).padStart(2, '0');

/** Colour bucket 0 (none) to LEVELS (busiest hour of the week); discrete classes, no inline styles. */
export const heatLevel = (logins: number, max: number): number => (logins <= 0 || max <= 0 ? 0 : Math.max(1, Math.ceil((logins / max) * LEVELS)));

/** 7 × 24 grid of logins by ISO weekday and UTC hour, as a table so screen readers can walk it. */
export function LoginsHeatmap({ cells }: { cells: UsageOverview['loginsByHourOfWeek'] }) {
  const counts = new Map(cells.map((c) => [`${c.dow}:${c.hour}`, c.logins]));
  const max = Math.max(0, ...cells.map((c) => c.logins));
  return (
    <div className="heatmap">
      <div className="table-scroll" role="region" aria-label="Logins by weekday and hour, table" tabIndex={0}>
        <table className="heatmap__grid">
          <caption className="sr-only">Logins by weekday and hour of the day (UTC)</caption>
          <thead>
            <tr>
              <td />
              {HOURS.map((h) => (
                <th key={h} scope="col" className="heatmap__hour">
                  <span aria-hidden="true">{h % 3 === 0 ? pad(h) : ''}</span>
                  <span className="sr-only">{pad(h)}:00 UTC</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {DAYS.map((day, i) => (
              <tr key={day}>
                <th scope="row" className="heatmap__day">
                  <abbr title={day}>{day.slice(0, 3)}</abbr>
                </th>
                {HOURS.map((h) => {
                  const logins = counts.get(`${i + 1}:${h}`) ?? 0;
                  const label = `${day} ${pad(h)}:00–${pad(h + 1 === 24 ? 0 : h + 1)}:00 UTC: ${formatCount(logins)} ${logins === 1 ? 'login' : 'logins'}`;
                  return (
                    <td key={h} className={`heat heat--${heatLevel(logins, max)}`} title={label}>
                      <span className="sr-only">{label}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="heatmap__legend" aria-hidden="true">
        <span>Hours in UTC</span>
        <span className="heatmap__scale">
          Fewer
          {Array.from({ length: LEVELS + 1 }, (_, l) => (
            <span key={l} className={`heat heat--${l}`} />
          ))}
          More
        </span>
      </div>
    </div>
  );
}
