import { windowDates, type DataCompleteness, type DateWindow } from '@access-monitor/contracts';
import type { Caller, Executions } from '../executions/executions-service';

/** Events per day; plain SQL over the audit table, the same on DuckDB and Athena. */
export const EVENTS_PER_DAY_SQL = `SELECT event_date, count(*) AS events
FROM audit_events
GROUP BY event_date
ORDER BY event_date`;

/** Which days of the window hold any event, and which hold none (the UI warns about those). */
export async function dataCompleteness(
  executions: Executions,
  caller: Caller,
  window: DateWindow,
  intent: readonly string[],
): Promise<{ completeness: DataCompleteness; bytesScanned: number }> {
  const { rows, status } = await executions.runToCompletion(caller, { sql: EVENTS_PER_DAY_SQL, window, intent: [...intent, 'completeness'] });
  const counts = new Map(rows.map((r) => [String(r.event_date).slice(0, 10), Number(r.events)]));
  const dates = windowDates(window);
  return {
    completeness: {
      daysWithData: dates.filter((d) => (counts.get(d) ?? 0) > 0).map((date) => ({ date, events: counts.get(date)! })),
      missingDays: dates.filter((d) => !((counts.get(d) ?? 0) > 0)),
    },
    bytesScanned: status.bytesScanned,
  };
}
