import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { DateWindow } from '@access-monitor/contracts';
import { duckdbViewBuildSelect, sqlString, TYPED_SOURCE_DATE, VIEWS, type TypedCoverage, type ViewDefinition } from '@access-monitor/sql';
import { listAllDays, type SourceDay } from '../window-files';
import { coverageOf, monthOf, readMonthManifest, removeMonthManifest, TYPED_CATALOG_VERSION, writeMonthManifest, type ManifestCache, type MonthManifest, type Segment } from './month-manifest';

export interface TypedStoreProgress {
  /** Days to build in this sync, and how many are done. */
  daysTotal: number;
  daysDone: number;
  eventsDone: number;
}

export interface TypedStoreStatus {
  building: boolean;
  progress?: TypedStoreProgress;
  /** Source days fully covered by the typed store / all source days, as of the last sync. */
  daysCovered: number;
  daysTotal: number;
  lastError?: string;
}

export interface TypedStoreSyncResult {
  daysBuilt: number;
  events: number;
  elapsedMs: number;
}

/** What a statement reads of a window: typed files where the store covers the source, JSON extraction elsewhere. */
export interface WindowCoverage {
  typed: TypedCoverage;
  /** Days read entirely from typed files / days with at least one source chunk read by JSON extraction. */
  typedDays: number;
  jsonDays: number;
}

export interface TypedEventStoreOptions {
  /** A DuckDB instance allowed to read `dataDir` and write `typedDir` (the engine's sandboxed one). */
  instance: DuckDBInstance;
  /** Realpath'd folders. */
  dataDir: string;
  typedDir: string;
  /** Past this many segments a month is rebuilt (compacted) at the next sync. Default 24. */
  maxSegmentsPerMonth?: number;
  /** Source bytes read into one build pass (one segment). Default 48 MiB. */
  batchBytes?: number;
  /** Unreferenced segment folders younger than this are left alone (another process may be about to name them). Default 1 h. */
  orphanGraceMs?: number;
}

const VIEW_BY_EVENT_TYPE = new Map(VIEWS.map((v) => [v.eventType, v]));

interface BuildUnit {
  month: string;
  /** Rebuild the whole month (its segments replaced), or add segments for the uncovered chunks. */
  mode: 'rebuild' | 'append';
  days: SourceDay[];
}

/**
 * The embedded engine's derived typed event store: for each month of Teleport's layout, the rows of
 * every view as typed Parquet files (the view's own columns and types), each column the value the JSON path's
 * expression gives (a differential test holds them equal). The source folder is never touched. Builds are
 * incremental (a new chunk adds a segment with only its rows; a changed or deleted chunk rebuilds its month) and crash-safe
 * (files first, then the month's manifest by atomic rename; unreferenced files are collected later).
 */
export class TypedEventStore {
  private readonly manifests: ManifestCache = new Map();
  private syncing: Promise<TypedStoreSyncResult> | undefined;
  private again = false;
  private closed = false;
  private readonly active = new Set<DuckDBConnection>();
  /** Days whose chunks failed to build (a corrupt file), by their chunks' signature: not retried until a chunk changes. */
  private readonly failed = new Map<string, string>();
  private readonly verified = new Set<string>();
  private current: TypedStoreStatus = { building: false, daysCovered: 0, daysTotal: 0 };
  private threads: number | undefined;

  constructor(private readonly options: TypedEventStoreOptions) {}

  get typedDir(): string {
    return this.options.typedDir;
  }

  status(): TypedStoreStatus {
    return { ...this.current, ...(this.current.progress ? { progress: { ...this.current.progress } } : {}) };
  }

  /** Typed files per view and the source files still read by JSON, for the window's source days. */
  async coverage(window: DateWindow, days: readonly SourceDay[], views: readonly string[]): Promise<WindowCoverage> {
    const inWindow = (date: string): boolean => date >= window.start && date <= window.end;
    const wanted = new Set(views);
    const typedViews: Record<string, string[]> = {};
    const jsonFiles: string[] = [];
    const jsonDates = new Set<string>();
    for (const [month, monthDays] of byMonth(days)) {
      const { segments, uncovered } = coverageOf(monthDays, await readMonthManifest(this.options.typedDir, month, this.manifests), inWindow);
      for (const segment of segments) {
        for (const [view, file] of Object.entries(segment.views)) if (wanted.has(view)) (typedViews[view] ??= []).push(path.join(this.options.typedDir, file));
      }
      for (const f of uncovered) {
        jsonFiles.push(f.file);
        jsonDates.add(path.basename(path.dirname(f.file)));
      }
    }
    return { typed: { views: typedViews, jsonFiles }, typedDays: days.length - jsonDates.size, jsonDays: jsonDates.size };
  }

  /** Builds whatever the source has that the store does not cover. Calls made while one runs share it, then one more runs. */
  sync(onProgress?: (progress: TypedStoreProgress) => void): Promise<TypedStoreSyncResult> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      let total: TypedStoreSyncResult = { daysBuilt: 0, events: 0, elapsedMs: 0 };
      try {
        do {
          this.again = false;
          if (this.closed) break;
          const result = await this.syncOnce(onProgress);
          total = { daysBuilt: total.daysBuilt + result.daysBuilt, events: total.events + result.events, elapsedMs: total.elapsedMs + result.elapsedMs };
        } while (this.again);
        return total;
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  /** Stops a build under way (its batch is abandoned, nothing half-written is named by a manifest) and waits for it. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.active) c.interrupt();
    await this.syncing?.catch(() => undefined);
  }

  /**
   * Whether every file a manifest names ends like a complete Parquet file (size and the `PAR1` footer magic):
   * a file cut short by a crash or a full disk makes its month rebuilt rather than read. Checked once per
   * manifest version.
   */
  private async filesIntact(manifest: MonthManifest): Promise<boolean> {
    const key = `${manifest.month}:${manifest.segments.map((s) => s.id).join(',')}`;
    if (this.verified.has(key)) return true;
    for (const segment of manifest.segments) {
      for (const file of Object.values(segment.views)) {
        if (!(await endsLikeParquet(path.join(this.options.typedDir, file)))) return false;
      }
    }
    this.verified.add(key);
    return true;
  }

  /** The months of these typed files that are not intact (to drop after a read failed). */
  async brokenMonths(files: readonly string[]): Promise<string[]> {
    const months = new Set<string>();
    for (const file of files) {
      const month = path.basename(path.dirname(path.dirname(file)));
      if (!months.has(month) && !(await endsLikeParquet(file))) months.add(month);
    }
    return [...months];
  }

  /** Forgets a month (one of its files failed to read): queries read it by JSON until the next sync rebuilds it. */
  async invalidate(month: string): Promise<void> {
    await removeMonthManifest(this.options.typedDir, month);
    this.manifests.delete(month);
  }

  private async syncOnce(onProgress?: (progress: TypedStoreProgress) => void): Promise<TypedStoreSyncResult> {
    const started = Date.now();
    const days = await listAllDays(this.options.dataDir);
    const units: BuildUnit[] = [];
    const maxSegments = this.options.maxSegmentsPerMonth ?? 24;
    let daysPending = 0;
    for (const [month, monthDays] of byMonth(days)) {
      const manifest = await readMonthManifest(this.options.typedDir, month, this.manifests);
      const coverage = coverageOf(monthDays, manifest);
      if (manifest && !(await this.filesIntact(manifest))) coverage.stale = true;
      if (coverage.uncovered.length === 0 && !coverage.stale) continue;
      const compact = coverage.stale || coverage.segments.length === 0 || coverage.segments.length >= maxSegments;
      const uncovered = new Set(coverage.uncovered.map((f) => f.file));
      const unitDays = (compact ? monthDays : monthDays.map((d) => ({ date: d.date, files: d.files.filter((f) => uncovered.has(f.file)) })))
        .filter((d) => d.files.length > 0)
        .filter((d) => !this.failed.has(signature(d)));
      if (unitDays.length === 0 && !compact) continue;
      daysPending += unitDays.length;
      units.push({ month, mode: compact ? 'rebuild' : 'append', days: unitDays });
    }
    const signatures = new Set(days.map(signature));
    for (const key of this.failed.keys()) if (!signatures.has(key)) this.failed.delete(key);
    await this.removeManifestsWithoutSource(new Set(days.map((d) => monthOf(d.date))));
    this.current = { building: units.length > 0, daysCovered: days.length - daysPending, daysTotal: days.length, ...(this.current.lastError ? { lastError: this.current.lastError } : {}) };
    const progress: TypedStoreProgress = { daysTotal: daysPending, daysDone: 0, eventsDone: 0 };
    try {
      for (const unit of units) {
        const segments: Segment[] = [];
        for (const batch of batches(unit.days, this.options.batchBytes ?? 48 * 1024 ** 2)) {
          const built = await this.buildIsolatingFailures(batch);
          segments.push(...built.segments);
          progress.daysDone += batch.length;
          progress.eventsDone += built.events;
          this.current = { ...this.current, progress: { ...progress } };
          onProgress?.({ ...progress });
        }
        await this.commit(unit, segments);
        this.current = { ...this.current, daysCovered: this.current.daysCovered + unit.days.length };
      }
      await this.collectOrphans();
      const failures = [...this.failed.values()];
      this.current = { building: false, daysCovered: this.current.daysCovered, daysTotal: days.length, ...(failures.length > 0 ? { lastError: failures[failures.length - 1]! } : {}) };
    } catch (e) {
      this.current = { building: false, daysCovered: this.current.daysCovered, daysTotal: days.length, lastError: e instanceof Error ? e.message : String(e) };
      throw e;
    }
    return { daysBuilt: daysPending, events: progress.eventsDone, elapsedMs: Date.now() - started };
  }

  /**
   * A pass over some days; when it fails, each day alone, so one corrupt chunk leaves only its own day to the
   * JSON path (whose queries then name the broken file) and every other day typed.
   */
  private async buildIsolatingFailures(days: SourceDay[]): Promise<{ segments: Segment[]; events: number }> {
    try {
      const built = await this.buildSegment(days);
      return { segments: [built.segment], events: built.events };
    } catch (e) {
      if (this.closed) throw e;
      if (days.length === 1) {
        this.rememberFailure(days[0]!, e);
        return { segments: [], events: 0 };
      }
    }
    const segments: Segment[] = [];
    let events = 0;
    for (const day of days) {
      try {
        const built = await this.buildSegment([day]);
        segments.push(built.segment);
        events += built.events;
      } catch (e) {
        if (this.closed) throw e;
        this.rememberFailure(day, e);
      }
    }
    return { segments, events };
  }

  private rememberFailure(day: SourceDay, e: unknown): void {
    const message = (e instanceof Error ? e.message : String(e)).replaceAll(`${this.options.dataDir}${path.sep}`, '').replaceAll(`${this.options.typedDir}${path.sep}`, '');
    const line = `${day.date}: ${message.split('\n')[0]}`;
    this.failed.set(signature(day), line);
    this.current = { ...this.current, lastError: line };
  }

  /**
   * One pass over some chunks of a month: the views present are shared between workers (as many as DuckDB has
   * threads, at most two), each with its own connection and temporary table of its event types, so one worker's
   * single-threaded moments (small views, file footers) leave the other core busy. Each view is one COPY with
   * the JSON path's values (plus each row's date folder), in source order: date folders in order.
   */
  private async buildSegment(days: SourceDay[]): Promise<{ segment: Segment; events: number }> {
    if (this.closed) throw new Error('the typed event store is closed');
    const id = randomUUID();
    const month = monthOf(days[0]!.date);
    const segmentRel = path.join('segments', month, id);
    await mkdir(path.join(this.options.typedDir, segmentRel), { recursive: true });
    const files = days.flatMap((d) => d.files.map((f) => f.file));
    const source = `read_parquet([${files.map(sqlString).join(', ')}], binary_as_string = true, filename = true)`;
    const counts = await this.withConnection(async (c) => (await c.runAndReadAll(`SELECT event_type, count(*) FROM ${source} GROUP BY ALL`)).getRows());
    const events = counts.reduce((n, [, count]) => n + Number(count), 0);
    const present = counts.flatMap(([type, count]) => {
      const view = type === null ? undefined : VIEW_BY_EVENT_TYPE.get(String(type));
      return view ? [{ view, rows: Number(count) }] : [];
    });
    const segmentViews: Record<string, string> = {};
    const results = await Promise.allSettled(
      shares(present, await this.workers()).map((share) =>
        this.withConnection(async (connection) => {
          const table = `typed_build_${randomUUID().replaceAll('-', '')}`;
          try {
            await connection.run(
              `CREATE TEMP TABLE ${table} AS SELECT event_type, event_time, event_data, CAST(regexp_extract(filename, '([0-9]{4}-[0-9]{2}-[0-9]{2})[/\\\\][^/\\\\]+$', 1) AS DATE) AS ${TYPED_SOURCE_DATE} ` +
                `FROM ${source} WHERE event_type IN (${share.map((v) => sqlString(v.eventType)).join(', ')})`,
            );
            for (const view of share) {
              if (this.closed) throw new Error('the typed event store is closed');
              const rel = path.join(segmentRel, `${view.name}.parquet`);
              // zstd at level 1: files as small as the default level within a few percent, written in less time, read as fast.
              await connection.run(`COPY (${duckdbViewBuildSelect(view, table, [TYPED_SOURCE_DATE])}) TO ${sqlString(path.join(this.options.typedDir, rel))} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)`);
              segmentViews[view.name] = rel;
            }
          } finally {
            await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
          }
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const sources = days.flatMap((d) => d.files.map((f) => ({ date: d.date, name: f.name, size: f.size, mtimeMs: f.mtimeMs })));
    const views = Object.fromEntries(Object.entries(segmentViews).sort(([a], [b]) => a.localeCompare(b)));
    return { segment: { id, sources, views }, events };
  }

  /** A connection of the store's own, interrupted by close(). */
  private async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.options.instance.connect();
    this.active.add(connection);
    try {
      return await work(connection);
    } finally {
      this.active.delete(connection);
      connection.closeSync();
    }
  }

  /** Build workers: DuckDB's threads, at most two (each more reads the source chunks once more). */
  private async workers(): Promise<number> {
    this.threads ??= await this.withConnection(async (c) => Number((await c.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]![0]));
    return Math.max(1, Math.min(this.threads, 2));
  }

  /** Names the new segments in the month's manifest: in place of all for a rebuild, beside the others for an append. */
  private async commit(unit: BuildUnit, segments: Segment[]): Promise<void> {
    // Re-read for an append: another builder (an import beside the server) may have added a segment meanwhile.
    // Segments kept are checked against the source again by every reader, like any other.
    const previous = unit.mode === 'append' ? await readMonthManifest(this.options.typedDir, unit.month, this.manifests) : undefined;
    const built = new Set(segments.flatMap((s) => s.sources.map((src) => `${src.date}/${src.name}`)));
    const kept = previous && previous.catalog === TYPED_CATALOG_VERSION ? previous.segments.filter((s) => !s.sources.some((src) => built.has(`${src.date}/${src.name}`))) : [];
    await writeMonthManifest(this.options.typedDir, { format: 1, catalog: TYPED_CATALOG_VERSION, month: unit.month, segments: [...kept, ...segments] });
    this.manifests.delete(unit.month);
  }

  private async removeManifestsWithoutSource(months: Set<string>): Promise<void> {
    const names = await readdir(path.join(this.options.typedDir, 'months')).catch(() => [] as string[]);
    for (const name of names) {
      const month = name.replace(/\.json$/, '');
      if (name.endsWith('.json') && !months.has(month)) await this.invalidate(month);
    }
  }

  /** Segment folders no manifest names, older than the grace period (a concurrent builder's fresh ones are kept). */
  private async collectOrphans(): Promise<void> {
    const grace = this.options.orphanGraceMs ?? 3_600_000;
    const segmentsDir = path.join(this.options.typedDir, 'segments');
    for (const month of await readdir(segmentsDir).catch(() => [] as string[])) {
      const manifest = await readMonthManifest(this.options.typedDir, month, this.manifests);
      const referenced = new Set(manifest?.segments.map((s) => s.id) ?? []);
      for (const id of await readdir(path.join(segmentsDir, month)).catch(() => [] as string[])) {
        if (referenced.has(id)) continue;
        const folder = path.join(segmentsDir, month, id);
        const age = Date.now() - (await stat(folder).then((s) => s.mtimeMs, () => 0));
        if (age >= grace) await rm(folder, { recursive: true, force: true });
      }
    }
  }
}

async function endsLikeParquet(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size < 12) return false;
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, size - 4);
    return tail.toString('latin1') === 'PAR1';
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

const signature = (day: SourceDay): string => `${day.date}|${day.files.map((f) => `${f.name}:${f.size}:${f.mtimeMs}`).join('|')}`;

function byMonth(days: readonly SourceDay[]): Map<string, SourceDay[]> {
  const months = new Map<string, SourceDay[]>();
  for (const day of days) {
    const month = monthOf(day.date);
    months.set(month, [...(months.get(month) ?? []), day]);
  }
  return months;
}

/** Views shared between `workers` so each gets about as many rows (largest first, each to the least loaded). */
function shares(present: ReadonlyArray<{ view: ViewDefinition; rows: number }>, workers: number): ViewDefinition[][] {
  const bins = Array.from({ length: Math.min(workers, present.length) }, () => ({ rows: 0, views: [] as ViewDefinition[] }));
  for (const { view, rows } of [...present].sort((a, b) => b.rows - a.rows || a.view.name.localeCompare(b.view.name))) {
    const bin = bins.reduce((least, b) => (b.rows < least.rows ? b : least));
    bin.views.push(view);
    bin.rows += rows;
  }
  return bins.map((b) => b.views);
}

/** Days grouped so one pass reads at most about `maxBytes` of source Parquet (a single larger day is its own pass). */
function batches(days: SourceDay[], maxBytes: number): SourceDay[][] {
  const out: SourceDay[][] = [];
  let batch: SourceDay[] = [];
  let bytes = 0;
  for (const day of days) {
    const size = day.files.reduce((n, f) => n + f.size, 0);
    if (batch.length > 0 && bytes + size > maxBytes) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(day);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
