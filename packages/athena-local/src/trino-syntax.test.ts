import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_REPORTS, filteredUsageQuery, USAGE_QUERIES } from '@access-monitor/reports';
import { AUDIT_EVENTS, guardStatement, renderExecutable, VIEWS } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/engine/duckdb-parser';
import { createTrinoSqlParser } from '@access-monitor/sql/trino-parser';
import { AthenaQueryError } from './athena-query-error';
import { TrinoTranslator } from './trino-translator';

// Everything access-monitor sends to Athena, read with the transpiler's Trino dialect: each
// built-in finding, chart and usage query and each view's CTE, as the Athena engine renders it.
// A parse error, a function Trino does not have, syntax of another dialect or a table that is not
// the Glue table fails here before it fails on Athena.

const TABLE = 'audit_db.audit_table';
const context = { tables: new Set([TABLE]) };
const window = { start: '2026-11-01', end: '2026-11-20' };

const QUERIES = [
  ...BUILT_IN_REPORTS.flatMap((report) =>
    report.queries.flatMap((q) => [
      { name: `${report.name} / ${q.id} (chart)`, sql: q.chartSql },
      ...(q.detailSql !== null ? [{ name: `${report.name} / ${q.id} (detail)`, sql: q.detailSql }] : []),
    ]),
  ),
  ...USAGE_QUERIES.map((q) => ({ name: `usage / ${q.id}`, sql: q.sql })),
  // The overview's filters, all at once: user, protocol, cluster and host as literals with a quote.
  ...USAGE_QUERIES.map((q) => ({
    name: `usage / ${q.id} (filtered)`,
    sql: filteredUsageQuery(q.id, { user: "o'brien", protocol: 'desktop', cluster: 'east.example', host: 'win-01' }).sql,
  })),
  ...[AUDIT_EVENTS, ...VIEWS.map((v) => v.name)].map((view) => ({ name: `view ${view}`, sql: `SELECT * FROM ${view}` })),
];

let translator: TrinoTranslator;
let parser: Awaited<ReturnType<typeof createDuckDbSqlParser>>;
const trino = createTrinoSqlParser();
beforeAll(async () => {
  translator = await TrinoTranslator.load();
  parser = await createDuckDbSqlParser();
});
afterAll(() => parser?.close());

/** The Trino text the Athena engine sends for `sql`. */
async function athenaText(sql: string): Promise<string> {
  return renderExecutable(await guardStatement(sql, parser, { dialect: 'trino', trino }), window, { dialect: 'trino', table: TABLE });
}

function trinoError(text: string): string | undefined {
  try {
    translator.translate(text, context);
    return undefined;
  } catch (e) {
    if (e instanceof AthenaQueryError) return e.message;
    throw e;
  }
}

describe("the Trino text of every rendered query is Trino", () => {
  it('covers every built-in query, usage query and view', () => {
    expect(QUERIES.length).toBeGreaterThan(VIEWS.length + 40);
  });

  it.each(QUERIES)('$name', async ({ sql }) => {
    const text = await athenaText(sql);
    expect(text).toContain(`FROM ${TABLE} WHERE`);
    expect(trinoError(text)).toBeUndefined();
  });

  it.each([
    ['a parse error', `SELECT count(*) FROM ${TABLE} WHERE`, /^SYNTAX_ERROR: line 1:\d+: /],
    ['a function Trino does not have', `SELECT list_transform(x, e -> e) FROM ${TABLE}`, /^FUNCTION_NOT_FOUND: line 1:8: Function 'list_transform' not registered$/],
    ['a DuckDB cast', `SELECT event_time::date FROM ${TABLE}`, /^SYNTAX_ERROR: line 1:1: a '::' cast .* is not Trino syntax$/],
    ['a DuckDB list literal', `SELECT [1, 2] FROM ${TABLE}`, /not Trino syntax/],
    ['DuckDB ILIKE', `SELECT 1 FROM ${TABLE} WHERE "user" ILIKE 'a%'`, /ILIKE is not Trino syntax/],
    ['a FROM-first query', `FROM ${TABLE} SELECT 1`, /FROM-first query is not Trino syntax/],
    ['another table', 'SELECT 1 FROM audit_db.other', /^TABLE_NOT_FOUND: /],
  ])('fails on %s', (_name, text, error) => {
    expect(trinoError(text)).toMatch(error);
  });
});
