import { createHash } from 'node:crypto';
import { foldChart, type ReportRun, type RunView, type TriageRecord } from '@access-monitor/contracts';
import { findingQuery } from '@access-monitor/reports';
import type { CachedJson, ServingCache } from '../http/serving-cache';
import type { RunTriage } from '../triage/run-triage';
import type { Triage } from '../triage/triage-store';
import { NotFound } from '../domain-errors';
import type { ReportCatalog } from './report-catalog';
import type { RunResults } from './run-results';

/**
 * How long an instance trusts what it read of the triage in force (and the findings' entity columns) for its
 * pages: triage saved on another instance shows here within this time; saved on this one, at once.
 */
const TRIAGE_READ_MS = 2_000;
/** Reports × findings whose recent triage read is kept. */
const MAX_RECENT_TAGS = 1_000;

interface RunPageDeps {
  cache: ServingCache;
  results: RunResults;
  /** With triage, answers also depend on the exceptions in force and the findings' entity columns. */
  triage?: { runs: RunTriage; store: Triage; catalog: ReportCatalog } | undefined;
}

/** The run as the report page draws it: each chart folded into its largest series per day instead of every point. */
export function pageView(run: ReportRun): ReportRun {
  return { ...run, queries: run.queries.map(({ chart, ...q }) => (chart ? { ...q, trend: foldChart(chart, run.window) } : q)) };
}

/**
 * The run permalink and its finding pages, serialised once per version of what they are made of: the
 * manifest (its parsed object changes when the stored object's ETag does), the stored rows (immutable),
 * and with triage the exceptions in force and the entity columns as defined now.
 */
export function createRunPageCache(deps: RunPageDeps) {
  const { cache, results, triage } = deps;
  // ResultReader and run-results keep one parsed manifest per stored ETag: a new object is a new version.
  const versions = new WeakMap<ReportRun, number>();
  let lastVersion = 0;
  const versionOf = (run: ReportRun): number => {
    let v = versions.get(run);
    if (v === undefined) versions.set(run, (v = ++lastVersion));
    return v;
  };

  // Each tag costs a listing of the report's triage (and of its custom definition): under load, pages reuse a
  // recent one instead of listing the store on every request.
  const recentTags = new Map<string, { tag: Promise<string>; at: number; saves: number }>();
  function triageTag(run: ReportRun, queryId?: string): Promise<string> {
    if (!triage) return Promise.resolve('-');
    const key = `${run.report}\u0000${queryId ?? ''}`;
    const saves = triage.store.localSaves();
    const recent = recentTags.get(key);
    if (recent && recent.saves === saves && performance.now() - recent.at < TRIAGE_READ_MS) return recent.tag;
    const tag = readTriageTag(run, queryId);
    recentTags.set(key, { tag, at: performance.now(), saves });
    tag.catch(() => {
      if (recentTags.get(key)?.tag === tag) recentTags.delete(key); // a failed read is not reused
    });
    if (recentTags.size > MAX_RECENT_TAGS) recentTags.delete(recentTags.keys().next().value!);
    return tag;
  }

  async function readTriageTag(run: ReportRun, queryId?: string): Promise<string> {
    if (!triage) return '-';
    let records: TriageRecord[];
    let columns: Array<readonly string[] | null>;
    try {
      const report = await triage.catalog.get(run.report);
      const ids = queryId === undefined ? run.queries.map((q) => q.id) : [queryId];
      columns = ids.map((id) => findingQuery(report, id)?.entityColumns ?? null);
      records = queryId === undefined ? await triage.store.inForceOfReport(run.report) : [...(await triage.store.inForce(run.report, queryId)).values()];
    } catch (e) {
      if (e instanceof NotFound) return 'gone';
      throw e;
    }
    const inForce = records.map((r) => `${r.finding}\u0000${r.entityKey}\u0000${r.revision}\u0000${r.status}\u0000${r.expires ?? ''}`).sort();
    return createHash('sha256').update(JSON.stringify([columns, inForce])).digest('base64url');
  }

  return {
    /** `GET /runs/:runId`: the manifest (or its page view), with triage counts when triage is on. */
    async run(runId: string, view: RunView['view'] = 'full'): Promise<CachedJson> {
      const run = await results.manifest(runId);
      const key = `run\u0000${runId}\u0000${view}\u0000${versionOf(run)}\u0000${await triageTag(run)}`;
      return cache.json(key, async () => {
        const counted = triage ? await triage.runs.withCounts(run) : run;
        return view === 'page' ? pageView(counted) : counted;
      });
    },

    /** `GET /runs/:runId/queries/:id/rows`: one page of a finding's stored rows, annotated with triage when on. */
    async rows(runId: string, queryId: string, offset: number, limit: number): Promise<CachedJson> {
      const run = await results.manifest(runId);
      const key = `rows\u0000${runId}\u0000${versionOf(run)}\u0000${queryId}\u0000${offset}\u0000${limit}\u0000${await triageTag(run, queryId)}`;
      return cache.json(key, async () => {
        const page = await results.page(runId, queryId, offset, limit);
        return triage ? triage.runs.annotatePage(run, queryId, page) : page;
      });
    },
  };
}
export type RunPageCache = ReturnType<typeof createRunPageCache>;
