export * from './events/metadata-blocks';
export * from './events/audit-events';
export { EventCode } from './events/event-codes';
export { parseEventLine, type ParsedEventLine } from './events/parse-event-line';
export { formatRfc3339Nano, parseRfc3339Millis } from './events/rfc3339';

export { athenaRowOf, type AthenaRow } from './parquet/athena-row';
export {
  AthenaParquetWriter,
  parquetFilesIn,
  writeAthenaParquet,
  type FlushOptions,
  type FlushResult,
  type WrittenChunk,
} from './parquet/athena-parquet-writer';

export { generateDemoData, type DemoDataOptions, type DemoDataResult } from './demo/generate-demo-data';
export {
  DEMO_APPS,
  DEMO_BOTS,
  DEMO_CLUSTER_NAME,
  DEMO_DATABASES,
  DEMO_DESKTOPS,
  DEMO_EMAIL_DOMAIN,
  DEMO_HOSTS,
  DEMO_KUBE_CLUSTERS,
  DEMO_REVIEWERS,
  DEMO_ROLES,
  DEMO_USERS,
  demoUser,
  type DemoApp,
  type DemoBot,
  type DemoDatabase,
  type DemoDesktop,
  type DemoEnv,
  type DemoHost,
  type DemoKubeCluster,
  type DemoTeam,
  type DemoUser,
} from './demo/catalog';
export { PLANTED_FINDINGS, type PlantedFinding } from './demo/planted-findings';

export { importAuditLog, describeRejectedLine, type ImportOptions, type ImportResult, type RejectedLine } from './import/import-audit-log';
export { auditLogFiles, NoAuditLogFiles } from './import/audit-log-files';
export { followAuditLog, FollowSourceMissing, type AuditLogFollower, type FollowOptions, type PollResult } from './follow/follow-audit-log';
