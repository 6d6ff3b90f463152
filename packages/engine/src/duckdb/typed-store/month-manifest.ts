import { createHash } from 'node:crypto';
import { readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@access-monitor/storage';
import { duckdbViewBuildSelect, duckdbViewSelect, VIEWS } from '@access-monitor/sql';
import type { SourceDay, SourceFile } from '../window-files';

/**
 * What the typed store holds for one calendar month of the source: segments, each built in one pass from a
 * set of source chunks (date folder, name, size and mtime when built) into one Parquet file per view that had
 * rows. A segment counts only while its chunks are unchanged; the manifest is written after its files,
 * atomically, so a crash mid-build leaves the previous manifest (and the files it names) in place.
 */
export interface SourceRecord {
  date: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export interface Segment {
  id: string;
  sources: SourceRecord[];
  /** View name → file relative to the typed folder. */
  views: Record<string, string>;
}

export interface MonthManifest {
  format: 1;
  catalog: string;
  month: string;
  segments: Segment[];
}

/**
 * Changes whenever a view's columns or the expressions that fill them change (a new Teleport field, a
 * fixed cast): every month is then rebuilt, and meanwhile read by JSON extraction.
 */
export const TYPED_CATALOG_VERSION = createHash('sha256')
  .update(JSON.stringify(VIEWS.map((v) => [v.name, duckdbViewSelect(v, 'x'), duckdbViewBuildSelect(v, 'x')])))
  .digest('hex')
  .slice(0, 16);

export const monthOf = (date: string): string => date.slice(0, 7);

const manifestFile = (typedDir: string, month: string): string => path.join(typedDir, 'months', `${month}.json`);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isMonthManifest(x: unknown): x is MonthManifest {
  if (!isRecord(x) || x['format'] !== 1 || typeof x['catalog'] !== 'string' || typeof x['month'] !== 'string' || !Array.isArray(x['segments'])) return false;
  return x['segments'].every(
    (s) =>
      isRecord(s) &&
      typeof s['id'] === 'string' &&
      Array.isArray(s['sources']) &&
      s['sources'].every((r) => isRecord(r) && typeof r['date'] === 'string' && typeof r['name'] === 'string' && typeof r['size'] === 'number' && typeof r['mtimeMs'] === 'number') &&
      isRecord(s['views']) &&
      Object.values(s['views']).every((f) => typeof f === 'string'),
  );
}

export type ManifestCache = Map<string, { mtimeMs: number; manifest: MonthManifest | undefined }>;

/** The manifest of a month, or undefined when there is none or it is unreadable (the month is then rebuilt). */
export async function readMonthManifest(typedDir: string, month: string, cache?: ManifestCache): Promise<MonthManifest | undefined> {
  const file = manifestFile(typedDir, month);
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch {
    cache?.delete(month);
    return undefined;
  }
  const cached = cache?.get(month);
  if (cached && cached.mtimeMs === mtimeMs) return cached.manifest;
  let manifest: MonthManifest | undefined;
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    manifest = isMonthManifest(parsed) && parsed.month === month ? parsed : undefined;
  } catch {
    manifest = undefined;
  }
  cache?.set(month, { mtimeMs, manifest });
  return manifest;
}

export async function writeMonthManifest(typedDir: string, manifest: MonthManifest): Promise<void> {
  await writeFileAtomic(manifestFile(typedDir, manifest.month), JSON.stringify(manifest));
}

export async function removeMonthManifest(typedDir: string, month: string): Promise<void> {
  await unlink(manifestFile(typedDir, month)).catch(() => undefined);
}

export interface Coverage {
  /** Segments usable for the days asked about: each of their chunks in those days is unchanged, none covered twice. */
  segments: Segment[];
  /** Source files of those days no usable segment covers: read by JSON extraction, and built next. */
  uncovered: SourceFile[];
  /** A segment stopped counting (a chunk changed or went away) or the catalog changed: the month is rebuilt whole. */
  stale: boolean;
}

/**
 * What a month's manifest covers of the source days in scope (the window's dates, or all dates for a build).
 * A segment is usable only if every chunk it recorded for a date in scope is still there unchanged; chunks
 * of dates out of scope do not matter, since readers keep only typed rows whose date folder is in the window,
 * like the JSON path reads only the window's folders.
 */
export function coverageOf(days: readonly SourceDay[], manifest: MonthManifest | undefined, inScope: (date: string) => boolean = () => true): Coverage {
  const files = days.flatMap((d) => d.files.map((f) => ({ date: d.date, file: f })));
  if (!manifest || manifest.catalog !== TYPED_CATALOG_VERSION) return { segments: [], uncovered: files.map((f) => f.file), stale: manifest !== undefined };
  const current = new Map(files.map((f) => [`${f.date}/${f.file.name}`, f.file]));
  const covered = new Set<string>();
  const segments: Segment[] = [];
  let stale = false;
  for (const segment of manifest.segments) {
    const relevant = segment.sources.filter((s) => inScope(s.date));
    const usable = relevant.every((s) => {
      const now = current.get(`${s.date}/${s.name}`);
      return now !== undefined && now.size === s.size && now.mtimeMs === s.mtimeMs && !covered.has(`${s.date}/${s.name}`);
    });
    if (!usable) {
      stale = true;
      continue;
    }
    for (const s of relevant) covered.add(`${s.date}/${s.name}`);
    if (relevant.length > 0) segments.push(segment);
  }
  return { segments, uncovered: files.filter((f) => !covered.has(`${f.date}/${f.file.name}`)).map((f) => f.file), stale };
}
