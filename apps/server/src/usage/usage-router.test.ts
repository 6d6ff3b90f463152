import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes, UsageOverview, UsageOverviewPart } from '@access-monitor/contracts';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ days: 7, events: 500 });
});
afterAll(() => t.close());

describe('GET /usage/overview?chart=', () => {
  it('answers one chart at a time, each agreeing with the whole overview', async () => {
    const whole = UsageOverview.parse(await (await t.fetchAs('auditor', '/api/v1/usage/overview?days=7')).json());
    const top = UsageOverviewPart.parse(await (await t.fetchAs('auditor', '/api/v1/usage/overview?days=7&chart=topUsers')).json());
    expect(top.window).toEqual(whole.window);
    expect(top.topUsers).toEqual(whole.topUsers);
    expect(top.sessionsPerDay).toBeUndefined();
    expect(Object.keys(top.queries)).toEqual(['topUsers']);
    const [totals, perDay, mfa, logins] = await Promise.all(
      ['totals', 'sessionsPerDay', 'mfaCoverage', 'loginsByHourOfWeek'].map(async (chart) =>
        UsageOverviewPart.parse(await (await t.fetchAs('auditor', `/api/v1/usage/overview?days=7&chart=${chart}`)).json()),
      ),
    );
    expect(totals!.totals).toEqual(whole.totals);
    expect(perDay!.sessionsPerDay).toEqual(whole.sessionsPerDay);
    expect(mfa!.mfaCoverage).toEqual(whole.mfaCoverage);
    expect(logins!.loginsByHourOfWeek).toEqual(whole.loginsByHourOfWeek);
  });

  it('refuses an unknown chart and checks permission as the whole overview does', async () => {
    await expectProblem(await t.fetchAs('auditor', '/api/v1/usage/overview?days=7&chart=passwords'), 400, ProblemTypes.invalidRequest);
    expect((await t.fetchAs('visitor', '/api/v1/usage/overview?days=7&chart=topUsers')).status).toBe(403);
    expect((await t.fetchAs('runner', '/api/v1/usage/overview?days=7&chart=totals')).status).toBe(403);
  });
});
