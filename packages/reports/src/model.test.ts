import { describe, expect, it } from 'vitest';
import { AuditQuerySummary, SecurityReport } from '@access-monitor/contracts';
import { BUILT_IN_REPORTS } from './built-in-reports';

describe('the report model', () => {
  it('holds every built-in report as data of the one declaration in contracts, unchanged by parsing', () => {
    for (const report of BUILT_IN_REPORTS) expect(SecurityReport.parse(report), report.name).toEqual(report);
  });

  it("projects an audit query to the API's summary without its SQL", () => {
    const query = BUILT_IN_REPORTS[0]!.queries[0]!;
    expect(AuditQuerySummary.parse(query)).toEqual({ id: query.id, title: query.title, description: query.description, severity: query.severity, recommendation: query.recommendation });
  });
});
