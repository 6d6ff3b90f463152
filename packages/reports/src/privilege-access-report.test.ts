import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingQuery } from './built-in-reports';
import { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';
import { openDuckDbFindings, type DuckDbFindings } from './testing/duckdb-findings';
import { FIXTURE_WINDOW } from './testing/finding-case';
import { PRIVILEGE_ACCESS_CASES } from './testing/privilege-access-fixtures';

let db: DuckDbFindings;
beforeAll(async () => {
  db = await openDuckDbFindings();
});
afterAll(async () => {
  await db?.close();
});

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
  });

  it('has a hand-counted fixture for every query', () => {
    expect(PRIVILEGE_ACCESS_CASES.map((c) => c.id).sort()).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.id).sort());
  });

  it.each(PRIVILEGE_ACCESS_CASES)('$id returns exactly the hand-counted chart and detail rows', async ({ id, events, chart, detail }) => {
    const files = await db.write(events);
    const rows = await db.runFinding(findingQuery(PRIVILEGE_ACCESS_REPORT, id)!, files, FIXTURE_WINDOW);
    expect(rows.chart.rows).toEqual(chart);
    expect(rows.detail.rows).toEqual(detail);
  });
});
