import { REPORT_WINDOWS, type AuditQueryDetail, type AuditQuerySummary, type ReportSummary, type ReportWindowState } from '@access-monitor/contracts';
import type { AuditQueryDefinition, SecurityReport } from '@access-monitor/reports';

export function presentQuerySummary(q: AuditQueryDefinition): AuditQuerySummary {
  return { id: q.id, title: q.title, description: q.description, severity: q.severity, recommendation: q.recommendation };
}

export function presentQueryDetail(q: AuditQueryDefinition): AuditQueryDetail {
  return {
    ...presentQuerySummary(q),
    chartSql: q.chartSql,
    detailSql: q.detailSql,
    chartSeries: q.chart.series,
    entityColumns: [...q.entityColumns],
    ...(q.parameters ? { parameters: q.parameters.map((p) => ({ name: p.name, title: p.title, value: typeof p.value === 'number' ? p.value : [...p.value] })) } : {}),
  };
}

/** A report with its state per window, in REPORT_WINDOWS order. */
export function presentReport(report: SecurityReport, states: readonly ReportWindowState[]): ReportSummary {
  return {
    name: report.name,
    title: report.title,
    description: report.description,
    readOnly: report.readOnly,
    queries: report.queries.map(presentQuerySummary),
    states: REPORT_WINDOWS.map((days) => states.find((s) => s.days === days) ?? { report: report.name, days, state: 'NEVER_RUN' }),
  };
}
