import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { generateDemoData } from '@access-monitor/audit-log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingQuery } from './built-in-reports';
import { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';
import { TELEPORT_PRIVILEGE_ACCESS_QUERIES } from './teleport-privilege-access-queries';
import { openDuckDbFindings, type DuckDbFindings, type QueryRows } from './testing/duckdb-findings';
import { FIXTURE_WINDOW } from './testing/finding-case';
import { PRIVILEGE_ACCESS_CASES } from './testing/privilege-access-fixtures';

let db: DuckDbFindings;
beforeAll(async () => {
  db = await openDuckDbFindings();
});
afterAll(async () => {
  await db?.close();
});

/** Rows in one order: Teleport's queries order by event_date only, so rows of one day come in any order. */
const sorted = (rows: unknown[][]): unknown[][] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));

/** A chart's rows counted again from detail rows: per day of event_time and per series column. */
function countedFromDetail(detail: QueryRows, chartColumns: readonly string[]): unknown[][] {
  const series = chartColumns.filter((c) => c !== 'event_date' && c !== 'count');
  const at = (column: string) => {
    const i = detail.columns.indexOf(column);
    if (i < 0) throw new Error(`the detail query has no ${column} column`);
    return i;
  };
  const counts = new Map<string, number>();
  for (const row of detail.rows) {
    const key = JSON.stringify([String(row[at('event_time')]).slice(0, 10), ...series.map((c) => row[at(c)])]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => {
    const [date, ...values] = JSON.parse(key) as unknown[];
    return [date, String(n), ...values];
  });
}

describe('Privileged Access Report', () => {
  it("keeps Teleport's report name, title and its nine query names and titles", () => {
    expect([PRIVILEGE_ACCESS_REPORT.name, PRIVILEGE_ACCESS_REPORT.title, PRIVILEGE_ACCESS_REPORT.description]).toEqual([
      'privilege_access_report',
      'Privileged Access Report',
      'Identify sessions using weak security measures across your infrastructure',
    ]);
    expect(PRIVILEGE_ACCESS_REPORT.queries.map((q) => [q.id, q.title])).toEqual([
      ['database_sessions_with_weak_security', 'Database sessions with weak security'],
      ['kube_execs', 'Kube Execs'],
      ['kube_access_with_weak_security', 'Kubernetes API calls with weak security'],
      ['ssh_sessions_with_weak_security', 'SSH sessions with weak security'],
      ['cert_expiration_more_than_1d', 'Long lived certificates'],
      ['db_postgres_user', 'Privileged Postgres sessions'],
      ['instance_join_token_less_than_1d', 'Long-lived join tokens'],
      ['session_start_root_user', 'Root SSH sessions'],
      ['kube_system_api_calls', 'System Kubernetes API calls'],
    ]);
    expect(TELEPORT_PRIVILEGE_ACCESS_QUERIES.map((q) => [q.name, q.title])).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => [q.id, q.title]));
  });

  it("charts with Teleport's shipped SQL, character for character", () => {
    expect(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.chartSql)).toEqual(TELEPORT_PRIVILEGE_ACCESS_QUERIES.map((q) => q.query));
    // The texts Teleport's differences come from, as a reader of Teleport's source would check them.
    const teleport = Object.fromEntries(TELEPORT_PRIVILEGE_ACCESS_QUERIES.map((q) => [q.name, q.query.replace(/\s+/g, ' ').trim()]));
    expect(teleport.db_postgres_user).toBe('SELECT event_date, COUNT(*) AS count, user FROM db_session_start GROUP BY event_date, user ORDER BY event_date');
    expect(teleport.kube_execs).toMatch(/FROM session_start WHERE .* AND proto='kube' GROUP BY/);
    expect(teleport.ssh_sessions_with_weak_security).toMatch(/AND proto='ssh' AND/);
  });

  it('has a hand-counted fixture for every query', () => {
    expect(PRIVILEGE_ACCESS_CASES.map((c) => c.id).sort()).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.id).sort());
  });

  it.each(PRIVILEGE_ACCESS_CASES)('$id returns exactly the hand-counted chart and detail rows', async ({ id, events, chart, detail }) => {
    const files = await db.write(events);
    const rows = await db.runFinding(findingQuery(PRIVILEGE_ACCESS_REPORT, id)!, files, FIXTURE_WINDOW);
    expect(sorted(rows.chart.rows)).toEqual(chart);
    expect(rows.detail.rows).toEqual(detail);
  });

  describe("over a generated audit log, Teleport's shipped SQL run verbatim", () => {
    let files: string[];
    beforeAll(async () => {
      const out = await db.scratchFolder();
      await generateDemoData({ out, days: 7, events: 3000, seed: 20240507, end: FIXTURE_WINDOW.end });
      const days = await readdir(out);
      const demo = (await Promise.all(days.map(async (d) => (await readdir(path.join(out, d))).map((f) => path.join(out, d, f))))).flat();
      // The hand-built edge cases too: old nodes, refused sessions, other protocols, the day after the window.
      files = [...demo, ...(await db.write(PRIVILEGE_ACCESS_CASES.flatMap((c) => c.events)))];
    }, 60_000);

    it.each(TELEPORT_PRIVILEGE_ACCESS_QUERIES.map((q) => ({ id: q.name, sql: q.query })))(
      'gives the rows of the built-in $id, and its detail rows count to them',
      async ({ id, sql }) => {
        const teleport = await db.run(sql, files, FIXTURE_WINDOW);
        const finding = await db.runFinding(findingQuery(PRIVILEGE_ACCESS_REPORT, id)!, files, FIXTURE_WINDOW);
        expect(teleport.rows.length).toBeGreaterThan(0);
        expect(finding.chart.columns).toEqual(teleport.columns);
        expect(sorted(finding.chart.rows)).toEqual(sorted(teleport.rows));
        expect(sorted(countedFromDetail(finding.detail, teleport.columns))).toEqual(sorted(teleport.rows));
      },
    );
  });
});
