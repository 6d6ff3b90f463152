export { filteredUsageQuery, USAGE_QUERIES, usageQuery } from './usage/usage-queries';
export type { UsageQuery } from './usage/usage-queries';

export { SEVERITIES, USER_STACKED_BARS } from './model';
export type { AuditQueryDefinition, FindingChart, FindingKind, QueryParameter, SecurityReport, Severity } from './model';
export { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';
export { TELEPORT_PRIVILEGE_ACCESS_QUERIES } from './teleport-privilege-access-queries';
export { LOGIN_WITHOUT_MFA_WHERE, loginUsedMfa, MFA_RECORDING_LOGIN_METHODS } from './login-mfa';
export type { LoginFacts } from './login-mfa';
export { ACCESS_RISK_REPORT, AccessRiskParameters, accessRiskReport } from './access-risk-report';
export { BUILT_IN_REPORTS, findingQuery, reportByName } from './built-in-reports';
export { fromTeleportResource, GO_ZERO_TIME, InvalidTeleportResource, QUERY_LABEL_FIELDS, queryLabelKey, READ_ONLY_LABEL, savedQueryAsTeleportResource, toTeleportResource } from './teleport-resources';
export type {
  ImportedResource,
  QueryLabelField,
  SavedAuditQuery,
  TeleportAuditQueryResource,
  TeleportAuditQuerySpec,
  TeleportMetadata,
  TeleportResource,
  TeleportSecurityReportResource,
  TeleportSecurityReportSpec,
} from './teleport-resources';
