import { z } from 'zod';
import { TriageRecord, type Cell, type SaveTriage } from '@access-monitor/contracts';
import { findingQuery, type AuditQueryDefinition } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import { NotFound } from '../domain-errors';
import { RevisionConflict } from '../revisions/revision-errors';
import { createReportCatalog, type ReportCatalog } from '../reports/report-catalog';
import { createRevisionLog } from '../revisions/revisioned-documents';
import { triageKeys } from '../store-layout';

const DAY_MS = 86_400_000;
/** Parsed revisions kept in memory: they are immutable, so a cached one is never stale. */
const RECORDS_KEPT = 20_000;


/**
 * The stable key of a finding row's entity: its entity columns' values, JSON-encoded in column order
 * (the same key the period diff compares). Non-text cells count by their text, missing ones as null.
 */
export function entityKeyOf(entityColumns: readonly string[], row: Readonly<Record<string, Cell | undefined>>): string {
  return JSON.stringify(entityColumns.map((c) => textOf(row[c])));
}

const textOf = (value: Cell | undefined): string | null => (value === null || value === undefined ? null : typeof value === 'string' ? value : String(value));

/** A 400 problem naming the field, like a contract validation failure. */
const invalid = (field: string, message: string) => new z.ZodError([{ code: 'custom', path: [field], message, input: undefined }]);

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (day: string, days: number): string => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
const isRealDay = (day: string): boolean => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && isoDay(new Date(`${day}T00:00:00Z`)) === day;

/** Whether a latest revision excepts its entity today: not reopened and, for an accepted risk, not past its last day. */
export const isInForce = (record: TriageRecord, today: string): boolean =>
  record.status === 'false_positive' || (record.status === 'accepted_risk' && record.expires !== undefined && record.expires >= today);

/**
 * Triage of security-report findings: per entity of a finding, immutable revisions (who, when, why)
 * marking it an accepted risk until a day, a false positive, or open again. An accepted risk stops
 * excepting its entity the day after `expires` (UTC), with nothing written.
 */
export function createTriage(store: ObjectStore, now: () => Date, opts: { maxAcceptedRiskDays: number; catalog?: ReportCatalog }) {
  const catalog = opts.catalog ?? createReportCatalog(store);
  // Each entity of a finding is one revisioned document: its folder is `triageKeys.entity(…)`.
  const revisions = createRevisionLog<TriageRecord>(store, { parse: (v) => TriageRecord.parse(v), keep: RECORDS_KEPT });

  async function findingOf(reportName: string, findingId: string): Promise<{ report: string; query: AuditQueryDefinition }> {
    const report = await catalog.get(reportName);
    const query = findingQuery(report, findingId);
    if (!query) throw new NotFound(`report ${report.name} has no audit query ${findingId}; its queries: ${report.queries.map((q) => q.id).join(', ')}`);
    return { report: report.name, query };
  }

  async function inForceUnder(prefix: string): Promise<TriageRecord[]> {
    const today = isoDay(now());
    return (await revisions.latestUnder(prefix)).filter((r) => isInForce(r, today));
  }

  // Triage saved through this instance so far: lets readers that cache what is in force notice at once.
  let localSaves = 0;

  return {
    /** How many triage revisions this instance has written: changes whenever one of its saves lands. */
    localSaves: (): number => localSaves,

    /** Writes the entity's next revision; 400 naming the field when the body does not fit the finding, 409 on a race. */
    async set(reportName: string, findingId: string, body: SaveTriage, user: string): Promise<TriageRecord> {
      const { report, query } = await findingOf(reportName, findingId);
      const columns = query.entityColumns;
      if (columns.length === 0) throw invalid('entity', `${query.id} has no entity columns, so its rows cannot be triaged`);
      const given = Object.keys(body.entity);
      if (given.length !== columns.length || !columns.every((c) => Object.hasOwn(body.entity, c))) {
        throw invalid('entity', `expected exactly the entity columns of ${query.id}: ${columns.join(', ')} (got ${given.join(', ') || 'none'})`);
      }
      const today = isoDay(now());
      if (body.status === 'accepted_risk') {
        const latest = addDays(today, opts.maxAcceptedRiskDays);
        if (body.expires === undefined) throw invalid('expires', `an accepted risk needs the last day it holds (YYYY-MM-DD, UTC), at most ${latest}`);
        if (!isRealDay(body.expires) || body.expires < today || body.expires > latest) {
          throw invalid('expires', `expires must be a day from ${today} to ${latest} (at most triage.max_accepted_risk_days = ${opts.maxAcceptedRiskDays} days ahead)`);
        }
      } else if (body.expires !== undefined) {
        throw invalid('expires', `only an accepted risk expires; a ${body.status === 'open' ? 'reopened entity' : 'false positive'} takes no expires`);
      }

      const entity = Object.fromEntries(columns.map((c) => [c, body.entity[c] ?? null]));
      const entityKey = entityKeyOf(columns, entity);
      const folder = triageKeys.entity(report, query.id, entityKey);
      const revision = ((await revisions.latest(folder))?.revision ?? 0) + 1;
      const record: TriageRecord = {
        entity,
        status: body.status,
        reason: body.reason,
        ...(body.expires !== undefined ? { expires: body.expires } : {}),
        report,
        finding: query.id,
        entityKey,
        revision,
        savedBy: user,
        savedAt: now().toISOString(),
      };
      if (!(await revisions.append(folder, record))) throw new RevisionConflict(`someone else triaged this entity of ${query.id} in the meantime; reload to see their change`);
      localSaves++;
      return record;
    },

    /** The exceptions in force for one finding today, by entity key. */
    async inForce(reportName: string, findingId: string): Promise<Map<string, TriageRecord>> {
      return new Map((await inForceUnder(triageKeys.finding(reportName, findingId))).map((r) => [r.entityKey, r]));
    },

    /** The exceptions in force today for every finding of a report (404 for an unknown report). */
    async inForceOfReport(reportName: string): Promise<TriageRecord[]> {
      const report = await catalog.get(reportName);
      return sortNewestFirst(await inForceUnder(triageKeys.report(report.name)));
    },

    /** Every revision of every finding of the report, newest first (404 for an unknown report). */
    async log(reportName: string): Promise<TriageRecord[]> {
      const report = await catalog.get(reportName);
      return sortNewestFirst(await revisions.all(triageKeys.report(report.name)));
    },
  };
}
export type Triage = ReturnType<typeof createTriage>;

function sortNewestFirst(records: TriageRecord[]): TriageRecord[] {
  return records.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : b.revision - a.revision));
}
