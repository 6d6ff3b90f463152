import type { DateWindow, FindingEntity, PeriodDiff, RunQueryResult } from '@access-monitor/contracts';
import type { FindingKind } from '@access-monitor/reports';

/** Each list in a diff is capped; the counts stay exact. */
const LISTED = 200;

const keyOf = (e: FindingEntity, columns: readonly string[]): string => JSON.stringify(columns.map((c) => e[c] ?? null));

/** Entities of this window against the previous one: new (only now), resolved (only before), persisting (both). */
export function periodDiff(
  columns: readonly string[],
  previousWindow: DateWindow,
  current: readonly FindingEntity[],
  previous: readonly FindingEntity[],
  findingKind: FindingKind = 'condition',
): PeriodDiff {
  const now = new Map(current.map((e) => [keyOf(e, columns), e]));
  const before = new Map(previous.map((e) => [keyOf(e, columns), e]));
  const sorted = (m: Map<string, FindingEntity>, keep: (k: string) => boolean) =>
    [...m.entries()].filter(([k]) => keep(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  const added = sorted(now, (k) => !before.has(k));
  const resolved = sorted(before, (k) => !now.has(k));
  const persisting = sorted(now, (k) => before.has(k));
  return {
    previousWindow,
    entityColumns: [...columns],
    newCount: added.length,
    resolvedCount: resolved.length,
    persistingCount: persisting.length,
    new: added.slice(0, LISTED),
    resolved: resolved.slice(0, LISTED),
    persisting: persisting.slice(0, LISTED),
    findingKind,
  };
}

/** The run's findings with each diff saying whether the previous window held data on every day (unknown counts as not). */
export function withPreviousCompleteness(queries: readonly RunQueryResult[], previousComplete: boolean): RunQueryResult[] {
  return queries.map((q) => (q.diff ? { ...q, diff: { ...q.diff, previousComplete } } : q));
}

/**
 * Collects distinct entities row by row (a finding lists the same few entities in many rows): the object is built
 * once per entity. Called for every row of a finding (millions at 10M events), so no key is built: one map per
 * column, keyed by the value itself (a tenth of the time of a `JSON.stringify` key per row).
 */
export function distinctEntities(columns: readonly string[]) {
  type Level = Map<string | null, Level | FindingEntity>;
  const root: Level = new Map();
  const found: FindingEntity[] = [];
  const last = columns.length - 1;
  return {
    add(values: ReadonlyArray<string | null>): void {
      let level = root;
      for (let i = 0; i < last; i++) {
        const value = values[i] ?? null;
        let next = level.get(value) as Level | undefined;
        if (!next) level.set(value, (next = new Map()));
        level = next;
      }
      const value = values[last] ?? null;
      if (level.has(value)) return;
      const entity = Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null]));
      level.set(value, entity);
      found.push(entity);
    },
    list: (): FindingEntity[] => [...found],
  };
}

/** SQL for the distinct entities of a finding's detail query (run over the previous window). */
export function distinctEntitiesSql(detailSql: string, columns: readonly string[]): string {
  const list = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
  return `SELECT DISTINCT ${list}\nFROM (\n${detailSql}\n) AS finding`;
}
