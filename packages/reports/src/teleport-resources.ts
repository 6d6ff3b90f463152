// Conversion between this project's reports and Teleport's `security_report` / `audit_query`
// resources, so reports and queries move between `tctl get` output and this project unchanged.
import { z } from 'zod';
import { BUILT_IN_REPORTS, reportByName } from './built-in-reports';
import { USER_STACKED_BARS, type AuditQueryDefinition, type SecurityReport } from './model';

/** Metadata label marking a built-in (read-only) report or query in exported resources. */
export const READ_ONLY_LABEL = 'access-monitor/read-only';

export interface TeleportAuditQuerySpec {
  name: string;
  title: string;
  description: string;
  query: string;
}

interface TeleportMetadata {
  name: string;
  labels?: Record<string, string>;
}

export interface TeleportAuditQueryResource {
  kind: 'audit_query';
  version: 'v1';
  metadata: TeleportMetadata;
  spec: TeleportAuditQuerySpec;
}

export interface TeleportSecurityReportResource {
  kind: 'security_report';
  version: 'v1';
  metadata: TeleportMetadata;
  spec: { name: string; title: string; description: string; queries: TeleportAuditQuerySpec[]; version: string };
}

export type TeleportResource = TeleportAuditQueryResource | TeleportSecurityReportResource;

/** A resource that is not a valid `security_report` or `audit_query`; the message names each problem's path. */
export class InvalidTeleportResource extends Error {
  override readonly name = 'InvalidTeleportResource';
}

const ResourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, 'a resource name is letters, digits, ".", "_" and "-", starting with a letter or digit');

const Metadata = z.object({
  name: ResourceName,
  labels: z.record(z.string(), z.string()).optional(),
});

const AuditQuerySpec = z.object({
  name: ResourceName.optional(),
  title: z.string().default(''),
  description: z.string().default(''),
  query: z.string().trim().min(1, 'the query is empty'),
});

const AuditQueryResource = z.object({
  kind: z.literal('audit_query'),
  version: z.literal('v1'),
  metadata: Metadata,
  spec: AuditQuerySpec,
});

// Teleport's Go type writes the description as `desc` and the queries as `audit_queries` in JSON
// (`queries` in YAML); every spelling is read.
const SecurityReportResource = z.object({
  kind: z.literal('security_report'),
  version: z.literal('v1'),
  metadata: Metadata,
  spec: z
    .object({
      name: ResourceName.optional(),
      title: z.string().default(''),
      description: z.string().optional(),
      desc: z.string().optional(),
      queries: z.array(AuditQuerySpec.extend({ name: ResourceName })).optional(),
      audit_queries: z.array(AuditQuerySpec.extend({ name: ResourceName })).optional(),
      version: z.string().default(''),
    })
    .refine((s) => !(s.queries && s.audit_queries), { message: 'give the queries once, as queries or audit_queries', path: ['queries'] })
    .refine((s) => (s.queries ?? s.audit_queries ?? []).length > 0, { message: 'a security report needs at least one query', path: ['queries'] })
    .refine((s) => new Set((s.queries ?? s.audit_queries ?? []).map((q) => q.name)).size === (s.queries ?? s.audit_queries ?? []).length, {
      message: 'query names must be unique within a report',
      path: ['queries'],
    }),
});

const TeleportResourceSchema = z.discriminatedUnion('kind', [AuditQueryResource, SecurityReportResource]);

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidTeleportResource(result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(resource)'}: ${i.message}`).join('; '));
  }
  return result.data;
}

const isBuiltInQuery = (q: AuditQueryDefinition): boolean => BUILT_IN_REPORTS.some((r) => r.queries.includes(q));
const readOnlyLabels = (readOnly: boolean): Pick<TeleportMetadata, 'labels'> => (readOnly ? { labels: { [READ_ONLY_LABEL]: 'true' } } : {});

const specOf = (q: AuditQueryDefinition): TeleportAuditQuerySpec => ({ name: q.id, title: q.title, description: q.description, query: q.chartSql });

/** Teleport's resource for a report or a query. Teleport's query is the chart query, the one its UI draws. */
export function toTeleportResource(report: SecurityReport): TeleportSecurityReportResource;
export function toTeleportResource(query: AuditQueryDefinition): TeleportAuditQueryResource;
export function toTeleportResource(item: SecurityReport | AuditQueryDefinition): TeleportResource {
  const resource: TeleportResource =
    'queries' in item
      ? {
          kind: 'security_report',
          version: 'v1',
          metadata: { name: item.name, ...readOnlyLabels(item.readOnly) },
          spec: { name: item.name, title: item.title, description: item.description, queries: item.queries.map(specOf), version: item.version },
        }
      : { kind: 'audit_query', version: 'v1', metadata: { name: item.id, ...readOnlyLabels(isBuiltInQuery(item)) }, spec: specOf(item) };
  parsed(TeleportResourceSchema, resource);
  return resource;
}

export type ImportedResource = { kind: 'security_report'; report: SecurityReport } | { kind: 'audit_query'; query: AuditQueryDefinition };

/**
 * A report or query from a Teleport resource (a parsed `tctl get` YAML or JSON document). A query
 * whose name and SQL are a built-in's gets that built-in's severity, recommendation and detail
 * query; any other gets Teleport's defaults: medium severity, its description as recommendation and
 * no detail query. Read-only means "is a built-in report", never what a label claims.
 */
export function fromTeleportResource(resource: unknown): ImportedResource {
  const r = parsed(TeleportResourceSchema, resource);
  if (r.kind === 'audit_query') return { kind: 'audit_query', query: importedQuery(nameOf(r.metadata.name, r.spec.name), r.spec) };
  const name = nameOf(r.metadata.name, r.spec.name);
  const queries = (r.spec.queries ?? r.spec.audit_queries)!;
  return {
    kind: 'security_report',
    report: {
      name,
      title: r.spec.title || name,
      description: r.spec.description ?? r.spec.desc ?? '',
      version: r.spec.version,
      queries: queries.map((q) => importedQuery(q.name, q)),
      readOnly: reportByName(name) !== undefined,
    },
  };
}

function nameOf(metadataName: string, specName: string | undefined): string {
  if (specName !== undefined && specName !== metadataName) {
    throw new InvalidTeleportResource(`spec.name: ${JSON.stringify(specName)} differs from metadata.name ${JSON.stringify(metadataName)}`);
  }
  return metadataName;
}

function importedQuery(id: string, spec: { title: string; description: string; query: string }): AuditQueryDefinition {
  const builtIn = BUILT_IN_REPORTS.flatMap((r) => r.queries).find((q) => q.id === id && q.chartSql.trim() === spec.query.trim());
  if (builtIn) return builtIn;
  // Teleport's UI stacks its join-token finding by node, everything else by user.
  const series = id === 'instance_join_token_less_than_1d' ? 'node_name' : 'user';
  return {
    id,
    title: spec.title || id,
    description: spec.description,
    severity: 'medium',
    recommendation: spec.description,
    chart: { ...USER_STACKED_BARS, series },
    chartSql: spec.query,
    detailSql: null,
    entityColumns: [series],
  };
}
