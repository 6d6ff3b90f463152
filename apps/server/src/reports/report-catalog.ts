import { z } from 'zod';
import type { ObjectStore } from '@access-monitor/storage';
import { AuditQueryDefinition, SecurityReport as SecurityReportSchema } from '@access-monitor/contracts';
import { BUILT_IN_REPORTS, reportByName, type SecurityReport } from '@access-monitor/reports';
import { NotFound } from '../domain-errors';
import { ReadOnlyReport } from './report-errors';
import { createRevisionedDocuments } from '../revisions/revisioned-documents';
import { reportKeys } from '../store-layout';

/** An audit query of a custom report as stored: the model's audit query without built-in-only tunables. */
const StoredQuery = AuditQueryDefinition.omit({ parameters: true, kind: true }).extend({ id: z.string().min(1), chartSql: z.string().min(1) });

/** `reports/<name>/rev-<n>.json`: a custom report imported from a Teleport `security_report`, one revision. */
const StoredReport = SecurityReportSchema.omit({ queries: true, readOnly: true }).extend({
  queries: z.array(StoredQuery).min(1),
  revision: z.number().int().min(1),
  savedBy: z.string(),
  savedAt: z.string(),
  deleted: z.boolean().default(false),
});
type StoredReport = z.infer<typeof StoredReport>;
type ReportBody = Omit<StoredReport, 'name' | 'revision' | 'savedBy' | 'savedAt' | 'deleted'>;

/** A report name that is safe as one object key segment. */
export const REPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The reports a user can run: the built-ins (read-only, from code) and custom reports imported from
 * Teleport, kept as create-only revisions like saved queries. Built-in names cannot be taken.
 */
export function createReportCatalog(store: ObjectStore) {
  const custom = createRevisionedDocuments<StoredReport, ReportBody>(store, {
    prefix: reportKeys.customReportsFolder,
    noun: 'security report',
    parse: (v) => StoredReport.parse(v),
    etag: (r) => `"${r.name}.r${r.revision}"`,
  });
  async function latestCustom(name: string): Promise<StoredReport | undefined> {
    if (!REPORT_NAME.test(name)) return undefined;
    const latest = await custom.latest(name);
    return latest?.deleted ? undefined : latest;
  }
  const asReport = (s: StoredReport): SecurityReport => ({ name: s.name, title: s.title, description: s.description, version: s.version, queries: s.queries, readOnly: false });

  return {
    /** The report, or NotFound naming the ones there are. */
    async get(name: string): Promise<SecurityReport> {
      const builtIn = reportByName(name);
      if (builtIn) return builtIn;
      const found = await latestCustom(name);
      if (!found) throw new NotFound(`no security report named ${name}; built-in reports: ${BUILT_IN_REPORTS.map((r) => r.name).join(', ')}`);
      return asReport(found);
    },
    /** Built-ins first, then custom reports by name. */
    async list(): Promise<SecurityReport[]> {
      const stored = await custom.list();
      return [...BUILT_IN_REPORTS, ...stored.map(asReport).filter((r) => !reportByName(r.name))];
    },
    /** Saves a new revision of a custom report (create-only put: a concurrent save of the same revision loses with a conflict). */
    async save(report: SecurityReport, user: string, now: Date): Promise<{ revision: number }> {
      if (reportByName(report.name)) throw new ReadOnlyReport(`${report.name} is a built-in report and cannot be changed; import it under another name`);
      if (!REPORT_NAME.test(report.name)) throw new RangeError(`report name ${JSON.stringify(report.name)} is not letters, digits, ".", "_" and "-"`);
      const body: ReportBody = {
        title: report.title,
        description: report.description,
        version: report.version,
        queries: report.queries.map((q) => ({ ...q, entityColumns: [...q.entityColumns], chart: { ...q.chart } })),
      };
      const current = await custom.latest(report.name);
      const saved = current && !current.deleted ? await custom.update(report.name, custom.etag(current), body, user, now) : await custom.create(report.name, body, user, now);
      return { revision: saved.revision };
    },
  };
}
export type ReportCatalog = ReturnType<typeof createReportCatalog>;
