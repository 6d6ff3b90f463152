import type { Readable } from 'node:stream';
import { ReportRun, type ResultsPage } from '@access-monitor/contracts';
import { ResultNotReady, ResultReader, ResultUnavailable, type ByteRange, type ResultFileSource } from '@access-monitor/engine';
import { CorruptObject, ObjectNotFound, type ObjectStore } from '@access-monitor/storage';
import { NotFound } from '../domain-errors';
import { StoredResultUnavailable } from './report-errors';
import { reportKeys, RUN_ID } from '../store-layout';

/**
 * The stored results of report runs as a ResultFileSource, so the engine package's ResultReader pages
 * them through its row index. Reader ids are `<runId>.<queryId>` (run ids hold no dot): the file
 * `<runId>.<queryId>.csv` is the object `runs/<runId>/<queryId>.csv`.
 */
class RunResultSource implements ResultFileSource {
  constructor(private readonly store: ObjectStore) {}

  private objectKey(key: string): string {
    const dot = key.indexOf('.');
    if (dot < 1 || !RUN_ID.test(key.slice(0, dot))) throw new RangeError(`not a run result key: ${key}`);
    return `${reportKeys.runFolder(key.slice(0, dot))}${key.slice(dot + 1)}`;
  }

  async size(key: string): Promise<number | undefined> {
    return (await this.store.head(this.objectKey(key)))?.size;
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    return (await this.store.read(this.objectKey(key), range)) as Readable;
  }

  /** The row index is derived data (not in the manifest's hashes), so overwriting it is harmless. */
  async write(key: string, body: string): Promise<void> {
    await this.store.put(this.objectKey(key), body, { contentType: 'application/json' });
  }
}

const MANIFESTS_KEPT = 128;
/** How long a manifest read (or checked) here is served without asking the store again. */
const MANIFEST_RECHECK_MS = 1_000;

/** Reads runs back: manifests, pages of a finding's rows and its CSV; anything missing or corrupt is a clear error. */
export function createRunResults(store: ObjectStore) {
  const reader = new ResultReader(new RunResultSource(store));
  // A manifest is written once, create-only (run-record.ts), so a parsed one is reused while the stored object
  // keeps its etag; under load the report page asks the store (a HEAD) at most once per MANIFEST_RECHECK_MS,
  // so a manifest damaged on disk after it was read is still refused, within that time.
  const parsedManifests = new Map<string, { etag: string; run: ReportRun; checkedAt: number }>();

  async function manifest(runId: string): Promise<ReportRun> {
    if (!RUN_ID.test(runId)) throw new NotFound(`no report run ${runId}`);
    const cached = parsedManifests.get(runId);
    if (cached && performance.now() - cached.checkedAt < MANIFEST_RECHECK_MS) return cached.run;
    const key = reportKeys.manifest(runId);
    const info = await store.head(key);
    if (!info) throw new NotFound(`no report run ${runId}`);
    const run = cached && cached.etag === info.etag ? cached.run : await loadManifest(runId, key);
    parsedManifests.delete(runId);
    parsedManifests.set(runId, { etag: info.etag, run, checkedAt: performance.now() });
    while (parsedManifests.size > MANIFESTS_KEPT) parsedManifests.delete(parsedManifests.keys().next().value!);
    return run;
  }

  async function loadManifest(runId: string, key: string): Promise<ReportRun> {
    let value: unknown;
    try {
      value = (await store.getJson(key)).value;
    } catch (e) {
      if (e instanceof ObjectNotFound) throw new NotFound(`no report run ${runId}`);
      if (e instanceof CorruptObject) throw new StoredResultUnavailable(`report run ${runId} cannot be shown: its manifest is corrupt (${e.reason})`);
      throw e;
    }
    const parsed = ReportRun.safeParse(value);
    if (!parsed.success) throw new StoredResultUnavailable(`report run ${runId} cannot be shown: its manifest is not a report run (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
    return parsed.data;
  }

  /** The run and one of its queries that SUCCEEDED (a failed query has no rows: 409 result-not-ready). */
  async function finding(runId: string, queryId: string) {
    const run = await manifest(runId);
    const query = run.queries.find((q) => q.id === queryId);
    if (!query) throw new NotFound(`report run ${runId} has no query ${queryId}; its queries: ${run.queries.map((q) => q.id).join(', ')}`);
    if (query.state !== 'SUCCEEDED') throw new ResultNotReady(`${runId}.${queryId}`, 'FAILED');
    return { run, query };
  }

  const unavailable = (runId: string, queryId: string, e: unknown): unknown =>
    e instanceof ResultUnavailable ? new StoredResultUnavailable(`the stored rows of ${queryId} in report run ${runId} are unavailable: ${e.message}`) : e;

  return {
    manifest,
    finding,
    async page(runId: string, queryId: string, offset: number, limit: number): Promise<ResultsPage> {
      const { query } = await finding(runId, queryId);
      try {
        const page = await reader.page(`${runId}.${queryId}`, offset, limit);
        if (page.totalRows !== query.rowCount) {
          throw new StoredResultUnavailable(`the stored rows of ${queryId} in report run ${runId} do not match the run: ${page.totalRows} rows stored, ${query.rowCount} recorded`);
        }
        return page;
      } catch (e) {
        throw unavailable(runId, queryId, e);
      }
    },
    async csv(runId: string, queryId: string): Promise<{ run: ReportRun; stream: Readable }> {
      const { run } = await finding(runId, queryId);
      try {
        return { run, stream: await reader.csv(`${runId}.${queryId}`) };
      } catch (e) {
        throw unavailable(runId, queryId, e);
      }
    },
  };
}
export type RunResults = ReturnType<typeof createRunResults>;
