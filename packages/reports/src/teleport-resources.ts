// Conversion between this project's reports and Teleport's `security_report` / `audit_query`
// resources, so reports and queries move between `tctl get` output and this project unchanged.
//
// The shapes are Teleport's Go types as their JSON tags spell them (tctl reads and prints resources
// through encoding/json-compatible tags, ghodss/yaml on top: JSON-first, so the `yaml:` tags are unused):
//   api/types/secreports/secreports.go   ReportSpec{name, title, desc, audit_queries, version} and
//                                        AuditQuerySpec{name, title, description, query}, every one `omitempty`
//   api/types/header/header.go           ResourceHeader{kind, sub_kind, version, metadata}, Metadata{name,
//                                        description, labels map[string]string, expires (no omitempty), revision}
//   api/proto/teleport/secreports/v1/secreports.proto   the same fields on the wire (version is a string)
//   api/types/secreports/convert/v1/secreport.go        ToProtoReport sends metadata.name as spec.name
// Unknown keys are dropped by Teleport's reader, and CheckAndSetDefaults forces kind and version v1.
import { z } from 'zod';
import { BUILT_IN_REPORTS, reportByName } from './built-in-reports';
import { SEVERITIES, USER_STACKED_BARS, type AuditQueryDefinition, type FindingKind, type SecurityReport, type Severity } from './model';

/** Metadata label marking a built-in (read-only) report or query in exported resources. */
export const READ_ONLY_LABEL = 'access-monitor/read-only';

/**
 * What Teleport has no field for travels as `metadata.labels` (string values, as Teleport's
 * `map[string]string` requires; Teleport stores them and ignores them): on an `audit_query` as
 * `access-monitor/<field>`, on a `security_report` per query as `access-monitor/queries/<query>/<field>`.
 */
export const QUERY_LABEL_FIELDS = ['severity', 'recommendation', 'detail-sql', 'chart-series', 'entity-columns', 'kind'] as const;
export type QueryLabelField = (typeof QUERY_LABEL_FIELDS)[number];

export function queryLabelKey(field: QueryLabelField, reportQuery?: string): string {
  return reportQuery === undefined ? `access-monitor/${field}` : `access-monitor/queries/${reportQuery}/${field}`;
}

/** Go's zero `time.Time` as encoding/json writes it: `expires` has no `omitempty`, so `tctl get` always prints it. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export interface TeleportAuditQuerySpec {
  name: string;
  title?: string;
  description?: string;
  query: string;
}

export interface TeleportMetadata {
  name: string;
  labels?: Record<string, string>;
  expires: string;
}

export interface TeleportAuditQueryResource {
  kind: 'audit_query';
  version: 'v1';
  metadata: TeleportMetadata;
  spec: TeleportAuditQuerySpec;
}

export interface TeleportSecurityReportSpec {
  name: string;
  title?: string;
  desc?: string;
  audit_queries?: TeleportAuditQuerySpec[];
  version?: string;
}

export interface TeleportSecurityReportResource {
  kind: 'security_report';
  version: 'v1';
  metadata: TeleportMetadata;
  spec: TeleportSecurityReportSpec;
}

export type TeleportResource = TeleportAuditQueryResource | TeleportSecurityReportResource;

/** A resource Teleport itself would not store (or whose name this project cannot use); the message names each problem's path. */
export class InvalidTeleportResource extends Error {
  override readonly name = 'InvalidTeleportResource';
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const ResourceName = z.string().regex(SAFE_NAME, 'a resource name is letters, digits, ".", "_" and "-", starting with a letter or digit');

// Teleport reads every spec field as a Go string: a missing one is "", a number or list is an error.
const GoString = z.string().default('');

const Metadata = z.object({
  name: ResourceName,
  labels: z.record(z.string(), z.string()).nullish(),
});

const AuditQuerySpec = z.object({ name: GoString, title: GoString, description: GoString, query: GoString });
type AuditQuerySpec = z.infer<typeof AuditQuerySpec>;

const Header = { version: z.string().optional(), metadata: Metadata };

const AuditQueryResource = z.object({ kind: z.literal('audit_query'), ...Header, spec: AuditQuerySpec.nullish() });

// `desc` and `audit_queries` are Teleport's spellings; `description` and `queries` (its unused YAML tags,
// and this project's old export) are read too.
const ReportSpec = z.object({
  name: GoString,
  title: GoString,
  desc: z.string().optional(),
  description: z.string().optional(),
  audit_queries: z.array(AuditQuerySpec).nullish(),
  queries: z.array(AuditQuerySpec).nullish(),
  version: GoString,
});

const SecurityReportResource = z.object({ kind: z.literal('security_report'), ...Header, spec: ReportSpec.nullish() });

const TeleportResourceSchema = z.discriminatedUnion('kind', [AuditQueryResource, SecurityReportResource]);

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidTeleportResource(result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(resource)'}: ${i.message}`).join('; '));
  }
  return result.data;
}

const BUILT_IN_QUERIES = BUILT_IN_REPORTS.flatMap((r) => r.queries);
const isBuiltInQuery = (q: AuditQueryDefinition): boolean => BUILT_IN_QUERIES.includes(q);

function queryLabels(q: AuditQueryDefinition, reportQuery?: string): Record<string, string> {
  const values: Record<QueryLabelField, string | undefined> = {
    severity: q.severity,
    recommendation: q.recommendation,
    'detail-sql': q.detailSql ?? '',
    'chart-series': q.chart.series,
    'entity-columns': q.entityColumns.join(','),
    // Only when set: a query without a kind reads back without one.
    kind: q.kind,
  };
  return Object.fromEntries(QUERY_LABEL_FIELDS.flatMap((field) => (values[field] === undefined ? [] : [[queryLabelKey(field, reportQuery), values[field]]])));
}

function metadataOf(name: string, labels: Record<string, string>): TeleportMetadata {
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { name, ...(Object.keys(sorted).length > 0 ? { labels: sorted } : {}), expires: GO_ZERO_TIME };
}

/** Go's `omitempty` on a string: an empty value is left out. */
const omitEmpty = <K extends string>(key: K, value: string): Partial<Record<K, string>> => (value === '' ? {} : ({ [key]: value } as Record<K, string>));

const specOf = (q: AuditQueryDefinition): TeleportAuditQuerySpec => ({
  name: q.id,
  ...omitEmpty('title', q.title),
  ...omitEmpty('description', q.description),
  query: q.chartSql,
});

/**
 * Teleport's resource for a report or a query, exactly as `tctl get` prints it. Teleport's query is
 * the chart query, the one its UI draws; severity, recommendation, detail query and chart go in labels.
 */
export function toTeleportResource(report: SecurityReport): TeleportSecurityReportResource;
export function toTeleportResource(query: AuditQueryDefinition): TeleportAuditQueryResource;
export function toTeleportResource(item: SecurityReport | AuditQueryDefinition): TeleportResource {
  const readOnly = (isReadOnly: boolean): Record<string, string> => (isReadOnly ? { [READ_ONLY_LABEL]: 'true' } : {});
  let resource: TeleportResource;
  if ('queries' in item) {
    const labels = { ...readOnly(item.readOnly), ...Object.fromEntries(item.queries.flatMap((q) => Object.entries(queryLabels(q, q.id)))) };
    resource = {
      kind: 'security_report',
      version: 'v1',
      metadata: metadataOf(item.name, labels),
      spec: {
        name: item.name,
        ...omitEmpty('title', item.title),
        ...omitEmpty('desc', item.description),
        ...(item.queries.length > 0 ? { audit_queries: item.queries.map(specOf) } : {}),
        ...omitEmpty('version', item.version),
      },
    };
  } else {
    resource = { kind: 'audit_query', version: 'v1', metadata: metadataOf(item.id, { ...readOnly(isBuiltInQuery(item)), ...queryLabels(item) }), spec: specOf(item) };
  }
  parsed(TeleportResourceSchema, resource); // a name Teleport or this project could not use fails here, not on import
  return resource;
}

/** A saved query (the editor's `audit_query`): its stored name, and Teleport's name when it was imported under another. */
export interface SavedAuditQuery {
  name: string;
  teleportName?: string;
  title: string;
  description: string;
  sql: string;
}

/**
 * A saved query as the `audit_query` `tctl get` prints, under the name it had in Teleport (`Failed.Logins` was saved
 * here as `failed_logins`): importing this resource anywhere saves it under the same name again, byte for byte.
 */
export function savedQueryAsTeleportResource(q: SavedAuditQuery): TeleportAuditQueryResource {
  const name = q.teleportName ?? q.name;
  const resource: TeleportAuditQueryResource = {
    kind: 'audit_query',
    version: 'v1',
    metadata: metadataOf(name, {}),
    spec: { name, ...omitEmpty('title', q.title), ...omitEmpty('description', q.description), query: q.sql },
  };
  parsed(TeleportResourceSchema, resource);
  return resource;
}

/** What was read, plus what Teleport would have accepted silently but the user should know. */
export type ImportedResource = ({ kind: 'security_report'; report: SecurityReport } | { kind: 'audit_query'; query: AuditQueryDefinition }) & { warnings: string[] };

/**
 * A report or query from a Teleport resource (a parsed `tctl get` YAML or JSON document), as leniently
 * as Teleport stores it: `desc` or `description`, `audit_queries` or `queries`, a `spec.name` that
 * differs from `metadata.name` (metadata.name wins, as in Teleport), any `version`, missing fields.
 * Each query takes severity, recommendation, detail query and chart from this project's labels; without
 * them, a query whose name and SQL are a built-in's takes the built-in's (Teleport's own queries, as `tctl get`
 * prints them, are: the built-in report charts with Teleport's shipped text), any other Teleport's defaults
 * (medium, its description as recommendation, no detail query). A report's queries without SQL are
 * dropped (with a warning): there is nothing to run. Read-only means "is a built-in report", never
 * what a label claims.
 */
export function fromTeleportResource(resource: unknown): ImportedResource {
  const r = parsed(TeleportResourceSchema, resource);
  const warnings: string[] = [];
  if (r.version !== undefined && r.version !== 'v1') warnings.push(`version ${JSON.stringify(r.version)} read as v1, as Teleport does`);
  const name = r.metadata.name;
  const labels = r.metadata.labels ?? {};
  const nameCheck = (specName: string) => {
    if (specName !== '' && specName !== name) warnings.push(`spec.name ${JSON.stringify(specName)} differs from metadata.name; using ${JSON.stringify(name)}`);
  };

  if (r.kind === 'audit_query') {
    const spec = r.spec ?? AuditQuerySpec.parse({});
    nameCheck(spec.name);
    if (spec.query.trim() === '') warnings.push('spec.query is empty: there is nothing to run');
    return { kind: 'audit_query', query: importedQuery(name, spec, (field) => labels[queryLabelKey(field)], warnings), warnings };
  }

  const spec = r.spec ?? ReportSpec.parse({});
  nameCheck(spec.name);
  if (spec.desc !== undefined && spec.description !== undefined && spec.desc !== spec.description) warnings.push('spec.description ignored: Teleport reads spec.desc');
  if (spec.audit_queries && spec.queries) warnings.push('spec.queries ignored: Teleport reads spec.audit_queries');
  const given = spec.audit_queries ?? spec.queries ?? [];
  const taken = new Set<string>();
  const queries: AuditQueryDefinition[] = [];
  given.forEach((q, i) => {
    const where = `query ${i + 1}${q.name ? ` (${q.name})` : ''}`;
    if (q.query.trim() === '') {
      warnings.push(`${where} has no SQL: skipped, there is nothing to run`);
      return;
    }
    if (q.name !== '' && !SAFE_NAME.test(q.name)) throw new InvalidTeleportResource(`spec.audit_queries.${i}.name: ${JSON.stringify(q.name)} is not letters, digits, ".", "_" and "-"`);
    const id = uniqueId(q.name || `query_${i + 1}`, taken);
    if (q.name === '') warnings.push(`${where} has no name: named ${id}`);
    else if (id !== q.name) warnings.push(`${where} repeats the name ${q.name}: renamed ${id}`);
    queries.push(importedQuery(id, q, (field) => labels[queryLabelKey(field, q.name || id)], warnings));
  });
  if (given.length === 0) warnings.push('the report has no queries');
  return {
    kind: 'security_report',
    report: {
      name,
      title: spec.title || name,
      description: spec.desc ?? spec.description ?? '',
      version: spec.version,
      queries,
      readOnly: reportByName(name) !== undefined,
    },
    warnings,
  };
}

function uniqueId(wanted: string, taken: Set<string>): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}_${n}`;
  taken.add(id);
  return id;
}

function importedQuery(id: string, spec: AuditQuerySpec, label: (field: QueryLabelField) => string | undefined, warnings: string[]): AuditQueryDefinition {
  const builtIn = BUILT_IN_QUERIES.find((q) => q.id === id && q.chartSql.trim() === spec.query.trim());
  // Teleport's UI stacks its join-token finding by node, everything else by user.
  const series = label('chart-series') || builtIn?.chart.series || (id === 'instance_join_token_less_than_1d' ? 'node_name' : 'user');
  const detail = label('detail-sql');
  const entities = label('entity-columns');
  return {
    id,
    title: spec.title || id,
    description: spec.description,
    severity: severityOf(label('severity'), id, warnings) ?? builtIn?.severity ?? 'medium',
    recommendation: label('recommendation') ?? builtIn?.recommendation ?? spec.description,
    chart: { ...USER_STACKED_BARS, series },
    chartSql: spec.query,
    detailSql: detail !== undefined ? detail || null : (builtIn?.detailSql ?? null),
    entityColumns: entities !== undefined ? entities.split(',').filter((c) => c !== '') : (builtIn?.entityColumns ?? [series]),
    ...kindOf(label('kind'), builtIn?.kind, id, warnings),
    // Parameters describe the values baked into a built-in's SQL: the same SQL, the same parameters.
    ...(builtIn?.parameters ? { parameters: builtIn.parameters } : {}),
  };
}

const FINDING_KINDS: readonly FindingKind[] = ['condition', 'event'];

function kindOf(value: string | undefined, builtIn: FindingKind | undefined, id: string, warnings: string[]): { kind?: FindingKind } {
  if (value !== undefined) {
    if ((FINDING_KINDS as readonly string[]).includes(value)) return { kind: value as FindingKind };
    warnings.push(`${id}: kind label ${JSON.stringify(value)} is not one of ${FINDING_KINDS.join(', ')}; ignored`);
  }
  return builtIn ? { kind: builtIn } : {};
}

function severityOf(value: string | undefined, id: string, warnings: string[]): Severity | undefined {
  if (value === undefined) return undefined;
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  warnings.push(`${id}: severity label ${JSON.stringify(value)} is not one of ${SEVERITIES.join(', ')}; ignored`);
  return undefined;
}
