import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { QUERY_NAME_RULE, SaveQuery, storedQueryName, type SavedQuery } from '@access-monitor/contracts';
import {
  BUILT_IN_REPORTS,
  fromTeleportResource,
  InvalidTeleportResource,
  reportByName,
  savedQueryAsTeleportResource,
  toTeleportResource,
  type AuditQueryDefinition,
  type ImportedResource,
  type SecurityReport,
} from '@access-monitor/reports';
import { guardStatement, SqlRejected, type SqlParser } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/engine/duckdb-parser';
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

/**
 * Teleport YAML as `tctl get security_report,audit_query` prints it: the `security_report`, then each
 * of its queries as an `audit_query`, `---` between documents. tctl marshals JSON first and converts it
 * to YAML (lib/utils WriteYAML, ghodss/yaml), so keys come out sorted; YAML 1.1 quoting keeps strings
 * such as "true" or the zero `expires` time strings for Teleport's YAML 1.1 reader.
 */
export function reportAsTeleportYaml(report: SecurityReport): string {
  const docs = [toTeleportResource(report), ...report.queries.map((q) => toTeleportResource(q))];
  return docs.map((d) => stringify(d, { lineWidth: 0, sortMapEntries: true, version: '1.1' })).join('---\n');
}

/** A saved query as the one `audit_query` document `tctl get audit_query/<name>` prints, under its Teleport name. */
export function savedQueryAsTeleportYaml(query: SavedQuery): string {
  return stringify(savedQueryAsTeleportResource(query), { lineWidth: 0, sortMapEntries: true, version: '1.1' });
}

/** The saved query `name` designates: its stored name, or the Teleport name it was imported with (`Failed.Logins`). */
async function savedQueryNamed(store: ObjectStore, name: string): Promise<SavedQuery | undefined> {
  const query = await createSavedQueries(store)
    .get(storedQueryName(name))
    .catch(() => undefined);
  return query && (query.name === name || query.teleportName === name) ? query : undefined;
}

/** NAME is a report (its security_report and audit_queries) or, with --config, a saved query (one audit_query). */
export async function exportReport(argv: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, config: { type: 'string' } } });
  if (positionals.length !== 1) throw new CliError(`usage: ${REPORT_EXPORT_USAGE}`, 2);
  const name = positionals[0]!;
  const store = values.config ? await storeOf(values.config) : undefined;
  let report = reportByName(name);
  if (!report && store) report = await createReportCatalog(store).get(name).catch(() => undefined);
  const query = !report && store ? await savedQueryNamed(store, name) : undefined;
  if (!report && !query) {
    throw new CliError(`unknown report ${name}; built-in reports: ${BUILT_IN_REPORTS.map((r) => r.name).join(', ')}${values.config ? '' : ' (pass --config to export an imported one or a saved query)'}`, 2);
  }
  const yaml = report ? reportAsTeleportYaml(report) : savedQueryAsTeleportYaml(query!);
  if (values.out) {
    await writeFile(values.out, yaml);
    out.write(report ? `wrote ${report.name} and its ${report.queries.length} audit queries to ${values.out}\n` : `wrote audit_query ${query!.teleportName ?? query!.name} to ${values.out}\n`);
  } else {
    out.write(yaml);
  }
}

const sameQueries = (a: readonly AuditQueryDefinition[], b: readonly AuditQueryDefinition[]) =>
  a.length === b.length && a.every((q, i) => q.id === b[i]!.id && q.chartSql.trim() === b[i]!.chartSql.trim());

/**
 * One resource of the file and what its import will do: save `report` or `body` (a report without its
 * refused queries), or nothing when it is skipped or refused whole.
 */
type Planned = { name: string; warnings: string[]; refused: string[]; skipped?: string } & (
  | { kind: 'security_report'; report?: SecurityReport }
  | { kind: 'audit_query'; body?: SaveQuery }
);

const RESOURCE_KINDS = new Set(['security_report', 'audit_query']);

/**
 * Reads Teleport `audit_query` and `security_report` resources (any number of YAML or JSON documents,
 * as `tctl get security_report,audit_query` prints them): queries become saved queries (shown in the
 * editor), reports become custom reports. As lenient as Teleport (problems it would store silently are
 * warnings); a report named like a built-in is kept as shipped; SQL the guard refuses is refused per
 * query with its reason (a report is imported without it). Everything is checked before anything is
 * written; exits 1 if anything was refused.
 */
export async function importResources(argv: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (positionals.length !== 1 || !values.config) throw new CliError(`usage: ${REPORT_IMPORT_USAGE}`, 2);
  const file = positionals[0]!;
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`, 2);
  });
  const docs = parseAllDocuments(text);
  const documents = (Array.isArray(docs) ? docs : [docs]).map((doc, i) => {
    if (doc.errors.length > 0) throw new CliError(`${file}: document ${i + 1} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, 2);
    return doc.toJS() as unknown;
  });

  const plan: Planned[] = [];
  const parser = await createDuckDbSqlParser();
  try {
    for (const [i, value] of documents.entries()) {
      if (value === null || value === undefined) continue;
      const kind = (value as { kind?: unknown }).kind;
      const name = String((value as { metadata?: { name?: unknown } }).metadata?.name ?? `document ${i + 1}`);
      if (typeof kind !== 'string' || !RESOURCE_KINDS.has(kind)) {
        out.write(`${typeof kind === 'string' ? kind : `document ${i + 1}`} ${name}: not a security_report or audit_query — skipped\n`);
        continue;
      }
      let imported: ImportedResource;
      try {
        imported = fromTeleportResource(value);
      } catch (e) {
        if (!(e instanceof InvalidTeleportResource)) throw e;
        plan.push({ kind: kind as Planned['kind'], name, warnings: [], refused: [`document ${i + 1}: ${e.message}`] });
        continue;
      }
      plan.push(imported.kind === 'security_report' ? await planReport(imported.report, imported.warnings, parser) : await planQuery(imported.query, imported.warnings, parser));
    }
  } finally {
    parser.close();
  }
  if (plan.length === 0) throw new CliError(`${file} holds no security_report or audit_query resource`, 2);

  const store = await storeOf(values.config);
  const queries = createSavedQueries(store);
  const catalog = createReportCatalog(store);
  const user = 'import';
  const now = new Date();
  for (const p of plan) {
    const say = (what: string) => out.write(`${p.kind} ${p.name}: ${what}\n`);
    for (const w of p.warnings) say(`warning: ${w}`);
    for (const r of p.refused) say(`refused: ${r}`);
    if (p.skipped !== undefined) say(p.skipped);
    else if (p.kind === 'security_report' && p.report) {
      const { revision } = await catalog.save(p.report, user, now);
      say(`saved as custom report revision ${revision} (${p.report.queries.length} ${p.report.queries.length === 1 ? 'query' : 'queries'})`);
    } else if (p.kind === 'audit_query' && p.body) {
      const body = p.body;
      const existing = await queries.get(p.name).catch(() => undefined);
      if (!existing) {
        await queries.create(p.name, body, user, now);
        say('saved as a new query');
      } else if (existing.sql.trim() === body.sql.trim() && existing.title === body.title && existing.teleportName === body.teleportName) {
        say('unchanged — skipped');
      } else if (values.force) {
        say(`saved as revision ${(await queries.update(p.name, etagOf(existing), body, user, now)).revision}`);
      } else {
        p.refused.push('a different saved query has that name; pass --force to save the import as its next revision');
        say(`refused: ${p.refused.at(-1)!}`);
      }
    }
  }
  const refused = plan.reduce((n, p) => n + p.refused.length, 0);
  if (refused > 0) throw new CliError(`${refused} ${refused === 1 ? 'refusal' : 'refusals'} (see above); everything else was imported`, 1);
}

/** Why the guard refuses this SQL, or undefined; SQL that merely does not parse here is imported with a warning. */
async function refusal(sql: string, parser: SqlParser, warn: (w: string) => void): Promise<string | undefined> {
  try {
    await guardStatement(sql, parser);
    return undefined;
  } catch (e) {
    if (e instanceof SqlRejected) return `the SQL is refused: ${e.message}`;
    warn(`the SQL does not parse here (${(e as Error).message}); imported anyway, fix it in the editor before running it`);
    return undefined;
  }
}

async function planReport(report: SecurityReport, warnings: string[], parser: SqlParser): Promise<Planned> {
  const base = { kind: 'security_report' as const, name: report.name, warnings, refused: [] as string[] };
  if (report.readOnly) {
    const differs = !sameQueries(report.queries, reportByName(report.name)!.queries);
    return { ...base, skipped: `built-in, kept as shipped — skipped${differs ? ' (this copy differs; rename metadata.name to import it as a custom report)' : ''}` };
  }
  const kept: AuditQueryDefinition[] = [];
  for (const q of report.queries) {
    const reason =
      (await refusal(q.chartSql, parser, (w) => warnings.push(`query ${q.id}: ${w}`))) ??
      (q.detailSql === null ? undefined : await refusal(q.detailSql, parser, (w) => warnings.push(`query ${q.id} (detail SQL): ${w}`)));
    if (reason === undefined) kept.push(q);
    else base.refused.push(`query ${q.id}: ${reason}; the report is imported without it`);
  }
  if (kept.length === 0) return { ...base, skipped: 'has no queries to run — skipped' };
  return { ...base, report: { ...report, queries: kept } };
}

/**
 * A Teleport name that is not a query name here (`Failed.Logins`) is saved under `storedQueryName` (`failed_logins`)
 * with the original kept as `teleportName`, which export writes back.
 */
async function planQuery(q: AuditQueryDefinition, warnings: string[], parser: SqlParser): Promise<Planned> {
  const stored = storedQueryName(q.id);
  const base = { kind: 'audit_query' as const, name: stored, warnings, refused: [] as string[] };
  if (stored !== q.id) warnings.push(`Teleport's name ${q.id} is not a query name here (${QUERY_NAME_RULE}): saved as ${stored}; export writes ${q.id} back`);
  if (q.chartSql.trim() === '') return { ...base, skipped: 'has no SQL — skipped' };
  const reason = await refusal(q.chartSql, parser, (w) => warnings.push(w));
  if (reason !== undefined) return { ...base, refused: [reason] };
  const body = SaveQuery.safeParse({
    title: q.title,
    description: q.description,
    sql: q.chartSql,
    days: 7,
    chart: { type: 'stacked-bar', x: 'event_date', y: 'count', series: q.chart.series },
    ...(stored !== q.id ? { teleportName: q.id } : {}),
  });
  if (!body.success) return { ...base, refused: [body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')] };
  return { ...base, body: body.data };
}
