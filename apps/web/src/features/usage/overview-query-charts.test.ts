import { describe, expect, it } from 'vitest';
import { usageQuery } from '@access-monitor/reports';
import { OVERVIEW_QUERY_CHARTS, type OverviewChartId } from './overview-query-charts';

describe('OVERVIEW_QUERY_CHARTS', () => {
  it("names only columns the chart's own SQL returns, so Open query draws the same chart", () => {
    for (const [id, spec] of Object.entries(OVERVIEW_QUERY_CHARTS) as Array<[OverviewChartId, (typeof OVERVIEW_QUERY_CHARTS)[OverviewChartId]]>) {
      if (!spec) continue;
      const select = usageQuery(id).sql.split(/\bSELECT\b/).at(-1)!.split(/\bFROM\b/)[0]!;
      for (const column of [spec.x, spec.y, ...(spec.moreY ?? []), ...(spec.series ? [spec.series] : [])]) {
        expect(select, `${id}: ${column}`).toMatch(new RegExp(`(AS |\\b|")${column}("|\\b)`));
      }
    }
  });
});
