import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { SaveQuery } from '@access-monitor/contracts';
import { QueryName } from '@access-monitor/contracts';
import {
  BUILT_IN_REPORTS,
  fromTeleportResource,
  InvalidTeleportResource,
  reportByName,
  toTeleportResource,
  type AuditQueryDefinition,
  type SecurityReport,
} from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import { createReportStoreFor } from '../aws/aws-for-config';
import { loadConfigFile } from '../config/load-config';
import { etagOf, createSavedQueries } from '../queries/saved-queries';
import { createReportCatalog } from '../reports/report-catalog';
import { CliError } from './cli-error';

export const REPORT_EXPORT_USAGE = 'access-monitor report export NAME [--out FILE] [--config CONFIG]';
export const REPORT_IMPORT_USAGE = 'access-monitor report import FILE --config CONFIG [--force]';

async function storeOf(configFile: string): Promise<ObjectStore> {
  return createReportStoreFor(await loadConfigFile(path.resolve(configFile)));
}

/** Teleport YAML: the `security_report`, then each of its queries as an `audit_query`, as `tctl get` prints several resources. */
export function reportAsTeleportYaml(report: SecurityReport): string {
  const docs = [toTeleportResource(report), ...report.queries.map((q) => toTeleportResource(q))];
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

export async function exportReport(argv: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, config: { type: 'string' } } });
  if (positionals.length !== 1) throw new CliError(`usage: ${REPORT_EXPORT_USAGE}`, 2);
  const name = positionals[0]!;
  let report = reportByName(name);
  if (!report && values.config) report = await createReportCatalog(await storeOf(values.config)).get(name).catch(() => undefined);
  if (!report) throw new CliError(`unknown report ${name}; built-in reports: ${BUILT_IN_REPORTS.map((r) => r.name).join(', ')}${values.config ? '' : ' (pass --config to export an imported one)'}`, 2);
  const yaml = reportAsTeleportYaml(report);
  if (values.out) {
    await writeFile(values.out, yaml);
    out.write(`wrote ${report.name} and its ${report.queries.length} audit queries to ${values.out}\n`);
  } else {
    out.write(yaml);
  }
}

const sameQueries = (a: readonly AuditQueryDefinition[], b: readonly AuditQueryDefinition[]) =>
  a.length === b.length && a.every((q, i) => q.id === b[i]!.id && q.chartSql.trim() === b[i]!.chartSql.trim());

/**
 * Reads Teleport `audit_query` and `security_report` resources: queries become saved queries (shown in
 * the editor), reports become custom reports. Everything is checked before anything is written; a
 * built-in report can only be "imported" unchanged (then it is skipped), never overwritten.
 */
export async function importResources(argv: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (positionals.length !== 1 || !values.config) throw new CliError(`usage: ${REPORT_IMPORT_USAGE}`, 2);
  const file = positionals[0]!;
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`, 2);
  });
  const docs = parseAllDocuments(text);
  const parsed = (Array.isArray(docs) ? docs : [docs]).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new CliError(`${file}: document ${i + 1} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, 2);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return [];
    try {
      return [fromTeleportResource(value)];
    } catch (e) {
      if (e instanceof InvalidTeleportResource) throw new CliError(`${file}: document ${i + 1}: ${e.message}`, 2);
      throw e;
    }
  });
  if (parsed.length === 0) throw new CliError(`${file} holds no security_report or audit_query resource`, 2);
  for (const r of parsed) {
    if (r.kind === 'security_report' && r.report.readOnly && !sameQueries(r.report.queries, reportByName(r.report.name)!.queries)) {
      throw new CliError(`${r.report.name} is a built-in report and cannot be overwritten; rename the security_report (metadata.name) to import it as a custom report`, 1);
    }
    if (r.kind === 'audit_query' && !QueryName.safeParse(r.query.id).success) {
      throw new CliError(`audit_query ${r.query.id}: a saved query name is 1–63 characters of a-z, 0-9, - and _; rename it to import it`, 2);
    }
  }

  const store = await storeOf(values.config);
  const queries = createSavedQueries(store);
  const catalog = createReportCatalog(store);
  const user = 'import';
  const now = new Date();
  for (const r of parsed) {
    if (r.kind === 'security_report') {
      if (r.report.readOnly) {
        out.write(`security_report ${r.report.name}: built in, unchanged — skipped\n`);
        continue;
      }
      const { revision } = await catalog.save(r.report, user, now);
      out.write(`security_report ${r.report.name}: saved as custom report revision ${revision} (${r.report.queries.length} queries)\n`);
      continue;
    }
    const q = r.query;
    const body: SaveQuery = { title: q.title, description: q.description, sql: q.chartSql, days: 7, chart: { type: 'stacked-bar', x: 'event_date', y: 'count', series: q.chart.series } };
    const existing = await queries.get(q.id).catch(() => undefined);
    if (!existing) {
      await queries.create(q.id, body, user, now);
      out.write(`audit_query ${q.id}: saved as a new query\n`);
    } else if (existing.sql.trim() === body.sql.trim() && existing.title === body.title) {
      out.write(`audit_query ${q.id}: unchanged — skipped\n`);
    } else if (values.force) {
      const saved = await queries.update(q.id, etagOf(existing), body, user, now);
      out.write(`audit_query ${q.id}: saved as revision ${saved.revision}\n`);
    } else {
      throw new CliError(`audit_query ${q.id}: a different saved query has that name; pass --force to save the import as its next revision`, 1);
    }
  }
}
