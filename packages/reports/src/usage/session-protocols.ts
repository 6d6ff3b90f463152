import type { SessionProtocol, UsageFilters } from '@access-monitor/contracts';
import { sqlString } from '@access-monitor/sql';

/** Where each protocol's sessions are recorded, and the column naming the resource (host) a session went to. */
interface SessionSource {
  protocol: SessionProtocol;
  view: string;
  /** Which rows of the view are sessions of this protocol. */
  where?: string;
  /** The condition sits on its own line for the SSH/Kubernetes views, as the SQL was first written. */
  newline?: boolean;
  resource: string;
  /** Columns a host filter matches. */
  hostColumns: readonly string[];
}

// A `session.start` with no `proto` and no Kubernetes cluster is SSH: Teleport wrote no `proto` before v7 and those logs are still audited.
const SESSION_SOURCES: readonly SessionSource[] = [
  {
    protocol: 'ssh',
    view: 'session_start',
    where: "coalesce(proto, 'ssh') = 'ssh' AND kubernetes_cluster IS NULL",
    newline: true,
    resource: 'coalesce(server_hostname, server_id)',
    hostColumns: ['server_hostname', 'server_id'],
  },
  {
    protocol: 'kube',
    view: 'session_start',
    where: "proto = 'kube' OR kubernetes_cluster IS NOT NULL",
    newline: true,
    resource: 'kubernetes_cluster',
    hostColumns: ['kubernetes_cluster'],
  },
  { protocol: 'db', view: 'db_session_start', where: 'success', resource: 'db_service', hostColumns: ['db_service'] },
  { protocol: 'app', view: 'app_session_start', resource: 'app_name', hostColumns: ['app_name'] },
  { protocol: 'desktop', view: 'windows_desktop_session_start', where: 'success', resource: 'desktop_name', hostColumns: ['desktop_name', 'desktop_addr'] },
];

/** No filter: the overview of the whole cluster. */
export const NO_FILTERS: UsageFilters = {};

/** `base` narrowed by `conditions`; exactly `base` when there are none, so unfiltered SQL reads as it always did. */
function whereClause(base: string | undefined, conditions: readonly string[]): string | undefined {
  if (conditions.length === 0) return base;
  return [...(base ? [`(${base})`] : []), ...conditions].join(' AND ');
}

/** Conditions on the user and the Teleport cluster, which every session and login view has. */
function actorConditions(filters: UsageFilters): string[] {
  return [
    ...(filters.user !== undefined ? [`"user" = ${sqlString(filters.user)}`] : []),
    ...(filters.cluster !== undefined ? [`cluster_name = ${sqlString(filters.cluster)}`] : []),
  ];
}

function sourceWhere(source: SessionSource, filters: UsageFilters): string {
  const host =
    filters.host === undefined ? [] : [source.hostColumns.length === 1 ? `${source.hostColumns[0]} = ${sqlString(filters.host)}` : `(${source.hostColumns.map((c) => `${c} = ${sqlString(filters.host!)}`).join(' OR ')})`];
  const where = whereClause(source.where, [...actorConditions(filters), ...host]);
  if (!where) return '';
  return `${source.newline ? '\n  ' : ' '}WHERE ${where}`;
}

/** The sources a protocol filter keeps. */
const sourcesFor = (filters: UsageFilters) => SESSION_SOURCES.filter((s) => filters.protocol === undefined || s.protocol === filters.protocol);

/**
 * Every interactive session of the cluster, one row per session start, as Athena-dialect SQL over the event views,
 * narrowed by the overview's filters (values only ever as SQL literals).
 */
export function sessionsCte(filters: UsageFilters): string {
  const branches = sourcesFor(filters).map(
    (s) => `  SELECT event_date, event_time, '${s.protocol}' AS protocol, "user", with_mfa FROM ${s.view}${sourceWhere(s, filters)}`,
  );
  return `sessions AS (\n${branches.join('\n  UNION ALL\n')}\n)`;
}

/** The resource each session of `sessionsCte` went to (host, Kubernetes cluster, database, app or desktop), by protocol. */
export function resourcesCte(filters: UsageFilters): string {
  const branches = sourcesFor(filters).map((s) => `  SELECT '${s.protocol}' AS protocol, ${s.resource} AS resource FROM ${s.view}${sourceWhere(s, filters)}`);
  return `resources AS (\n${branches.join('\n  UNION ALL\n')}\n)`;
}

/**
 * The condition on `user_login` rows for the filters: logins have a user and a cluster but no protocol or host,
 * so those two filters leave logins as they are.
 */
export function loginWhere(base: string | undefined, filters: UsageFilters): string | undefined {
  return whereClause(base, actorConditions(filters));
}

export const SESSIONS_CTE = sessionsCte(NO_FILTERS);
export const RESOURCES_CTE = resourcesCte(NO_FILTERS);
