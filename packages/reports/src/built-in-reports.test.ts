import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { generateDemoData } from '@access-monitor/audit-log';
import { guardStatement } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/engine/duckdb-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_REPORTS, findingQuery, reportByName } from './built-in-reports';
import { SEVERITIES, type AuditQueryDefinition } from './model';
import { TELEPORT_PRIVILEGE_ACCESS_QUERIES } from './teleport-privilege-access-queries';
import { ACCESS_RISK_CASES } from './testing/access-risk-fixtures';
import { chartTotal, openDuckDbFindings, type DuckDbFindings } from './testing/duckdb-findings';
import { FIXTURE_WINDOW } from './testing/finding-case';
import { PRIVILEGE_ACCESS_CASES } from './testing/privilege-access-fixtures';

const QUERIES: Array<[string, AuditQueryDefinition]> = BUILT_IN_REPORTS.flatMap((r) => r.queries.map((q) => [`${r.name}/${q.id}`, q] as [string, AuditQueryDefinition]));
const SQL: Array<[string, string]> = QUERIES.flatMap(([name, q]) => [
  [`${name} chart`, q.chartSql],
  [`${name} detail`, q.detailSql!],
]);
// Teleport's Privileged Access Report charts with Teleport's own text, which writes `user` bare (Trino's
// `user` is a non-reserved word: Athena reads it as the column, and so does this project).
const SHIPPED = new Set(TELEPORT_PRIVILEGE_ACCESS_QUERIES.map((q) => q.query));

let db: DuckDbFindings;
beforeAll(async () => {
  db = await openDuckDbFindings();
});
afterAll(async () => {
  await db?.close();
});

describe('built-in reports', () => {
  it('are found by name, with their queries by id', () => {
    expect(BUILT_IN_REPORTS.map((r) => r.name)).toEqual(['privilege_access_report', 'access_risk']);
    expect(reportByName('access_risk')?.title).toBe('Access risk');
    expect(reportByName('nope')).toBeUndefined();
    expect(findingQuery(reportByName('privilege_access_report')!, 'kube_execs')?.title).toBe('Kube Execs');
    expect(findingQuery(reportByName('privilege_access_report')!, 'many_source_ips')).toBeUndefined();
  });

  it('are read-only and use unique query ids, a known severity, a recommendation and a detail query', () => {
    const ids = QUERIES.map(([, q]) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const report of BUILT_IN_REPORTS) expect(report.readOnly).toBe(true);
    for (const [name, q] of QUERIES) {
      expect(SEVERITIES, name).toContain(q.severity);
      // A recommendation names the Teleport setting or command to use.
      expect(q.recommendation, name).toMatch(/`[^`]+`/);
      expect(q.detailSql, name).not.toBeNull();
      expect(q.chart, name).toMatchObject({ type: 'stacked-bar', x: 'event_date', y: 'count' });
    }
  });

  describe('SQL', () => {
    let parser: Awaited<ReturnType<typeof createDuckDbSqlParser>>;
    beforeAll(async () => {
      parser = await createDuckDbSqlParser();
    });
    afterAll(() => parser?.close());

    it.each(SQL)('%s passes the guard and names every output column, so Athena returns no _colN', async (_, sql) => {
      const guarded = await guardStatement(sql, parser);
      expect(guarded.explain).toBe(false);
      expect(guarded.views.length).toBeGreaterThan(0);
      expect(guarded.columnNames).not.toBeNull();
      expect(guarded.columnNames!.filter((c) => c !== null)).toEqual([]);
    });

    it.each(SQL)('%s stays within what both engines and Teleport run', (_, sql) => {
      // Teleport prepends its views as a WITH list: a statement of its own WITH would not parse there.
      expect(sql.trimStart()).toMatch(/^SELECT\b/);
      // "user" is a keyword in Trino: always quoted in this project's own SQL.
      if (!SHIPPED.has(sql)) expect(sql).not.toMatch(/(?<![\w"])user(?![\w"])/);
      // Not promised by the compatibility layer (STYLE.md).
      expect(sql).not.toMatch(/AT TIME ZONE|->|date_parse|CAST\(json_extract/i);
    });
  });

  it.each(QUERIES)('%s returns its chart series and entity columns, the detail starting with event_time', async (_, q) => {
    const { chart, detail } = await db.runFinding(q, [], FIXTURE_WINDOW);
    expect(chart.columns).toEqual(['event_date', 'count', ...chart.columns.slice(2)]);
    expect(chart.columns).toContain(q.chart.series);
    expect(detail.columns[0]).toBe('event_time');
    expect(detail.columns).toEqual(expect.arrayContaining([...q.entityColumns]));
    expect(detail.columns).toEqual(expect.arrayContaining(chart.columns.slice(2)));
  });

  it.each([...PRIVILEGE_ACCESS_CASES, ...ACCESS_RISK_CASES])('$id: the detail has as many rows as the chart counts, on its fixture', async ({ id, events }) => {
    const query = BUILT_IN_REPORTS.map((r) => findingQuery(r, id)).find((q) => q !== undefined)!;
    const files = await db.write(events);
    const { chart, detail } = await db.runFinding(query, files, FIXTURE_WINDOW);
    expect(detail.rows.length).toBeGreaterThan(0);
    expect(chartTotal(chart)).toBe(detail.rows.length);
  });

  describe('over the demo audit log', () => {
    const END = '2026-02-10';
    const WINDOW = { start: '2026-02-04', end: END };
    let files: string[];

    beforeAll(async () => {
      const out = path.join(await db.scratchFolder(), 'demo');
      await generateDemoData({ out, days: 7, events: 5000, seed: 11, end: END });
      files = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.parquet')).map((f) => path.join(out, f)).sort();
    });

    it.each(QUERIES)('%s finds the behaviour the demo plants, and its chart counts its detail rows', async (_, q) => {
      const { chart, detail } = await db.runFinding(q, files, WINDOW);
      expect(detail.rows.length).toBeGreaterThanOrEqual(1);
      expect(chartTotal(chart)).toBe(detail.rows.length);
    });
  });
});
