import { ACCESS_RISK_REPORT } from './access-risk-report';
import type { AuditQueryDefinition, SecurityReport } from './model';
import { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';

/** The security reports every installation has; read-only. Teleport's own report comes first. */
export const BUILT_IN_REPORTS: readonly SecurityReport[] = [PRIVILEGE_ACCESS_REPORT, ACCESS_RISK_REPORT];

const BY_NAME = new Map(BUILT_IN_REPORTS.map((r) => [r.name, r]));

/** The built-in report of that name, or undefined. */
export function reportByName(name: string): SecurityReport | undefined {
  return BY_NAME.get(name);
}

/** The report's query with that id (a finding's query), or undefined. */
export function findingQuery(report: SecurityReport, id: string): AuditQueryDefinition | undefined {
  return report.queries.find((q) => q.id === id);
}
