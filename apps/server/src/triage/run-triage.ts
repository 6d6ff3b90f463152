import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FindingRowsPage, ReportRun, ResultsPage, RunQueryResult, TriageRecord } from '@access-monitor/contracts';
import { findingQuery } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import { NotFound } from '../domain-errors';
import { forEachEntityOfCsv } from '../reports/csv-entities';
import type { ReportCatalog } from '../reports/report-catalog';
import { reportKeys } from '../store-layout';
import { entityKeyOf, type Triage } from './triage-store';

/** Counts kept per run and finding, each valid for one set of exceptions in force. */
const COUNTS_KEPT = 512;

/** Rows of an Athena CSV result (header first) whose entity is in `keys`; undefined when an entity column is missing. */
export async function countTriagedRows(csv: Readable, columns: readonly string[], keys: ReadonlySet<string>): Promise<number | undefined> {
  let count = 0;
  const found = await forEachEntityOfCsv(csv, columns, (values) => {
    if (keys.has(JSON.stringify(values))) count++;
  });
  return found ? count : undefined;
}

/**
 * Triage applied to stored report runs as they are read: per finding, how many rows are excepted and
 * how many stay open, and each row's exception on a page. The run itself stays as it was stored.
 */
export function createRunTriage(deps: { triage: Triage; store: ObjectStore; catalog: ReportCatalog }) {
  const { triage, store, catalog } = deps;
  const counts = new Map<string, { fingerprint: string; triaged: number }>();

  /** The finding's entity columns as its report defines them now; undefined when the report or query is gone. */
  async function entityColumns(report: string, queryId: string): Promise<readonly string[] | undefined> {
    try {
      const columns = findingQuery(await catalog.get(report), queryId)?.entityColumns;
      return columns && columns.length > 0 ? columns : undefined;
    } catch (e) {
      if (e instanceof NotFound) return undefined;
      throw e;
    }
  }

  async function triagedRows(run: ReportRun, q: RunQueryResult, columns: readonly string[], keys: ReadonlySet<string>): Promise<number> {
    const cacheKey = `${run.id}/${q.id}`;
    const fingerprint = createHash('sha256').update([...keys].sort().join('\n')).digest('hex');
    const cached = counts.get(cacheKey);
    if (cached?.fingerprint === fingerprint) return cached.triaged;
    const stream = (await store.read(reportKeys.resultCsv(run.id, q.id))) as Readable;
    // A stored result without the entity columns (an older definition) has nothing triaged.
    const triaged = (await countTriagedRows(stream, columns, keys)) ?? 0;
    counts.delete(cacheKey);
    counts.set(cacheKey, { fingerprint, triaged });
    if (counts.size > COUNTS_KEPT) counts.delete(counts.keys().next().value!);
    return triaged;
  }

  return {
    /** The run with `triagedRowCount` and `openRowCount` on every finding that has rows. */
    async withCounts(run: ReportRun): Promise<ReportRun> {
      let inForce: TriageRecord[];
      try {
        inForce = await triage.inForceOfReport(run.report);
      } catch (e) {
        if (e instanceof NotFound) return run;
        throw e;
      }
      const byFinding = new Map<string, Set<string>>();
      for (const r of inForce) {
        if (!byFinding.has(r.finding)) byFinding.set(r.finding, new Set());
        byFinding.get(r.finding)!.add(r.entityKey);
      }
      const queries = await Promise.all(
        run.queries.map(async (q): Promise<RunQueryResult> => {
          if (q.state !== 'SUCCEEDED' || q.rowCount === undefined) return q;
          const keys = byFinding.get(q.id);
          const columns = keys && q.rowCount > 0 ? await entityColumns(run.report, q.id) : undefined;
          const triaged = keys && columns ? await triagedRows(run, q, columns, keys) : 0;
          return { ...q, triagedRowCount: triaged, openRowCount: q.rowCount - triaged };
        }),
      );
      return { ...run, queries };
    },

    /** A page of a finding's rows with its entity columns and, aligned with the rows, each one's exception in force or null. */
    async annotatePage(run: ReportRun, queryId: string, page: ResultsPage): Promise<FindingRowsPage> {
      const columns = await entityColumns(run.report, queryId);
      const at = columns?.map((c) => page.columns.findIndex((col) => col.name === c));
      if (!columns || !at || at.some((i) => i < 0)) return { ...page, triage: page.rows.map(() => null) };
      const inForce = await triage.inForce(run.report, queryId);
      return {
        ...page,
        entityColumns: [...columns],
        triage: page.rows.map((row) => inForce.get(entityKeyOf(columns, Object.fromEntries(columns.map((c, k) => [c, row[at[k]!]])))) ?? null),
      };
    },
  };
}
export type RunTriage = ReturnType<typeof createRunTriage>;
