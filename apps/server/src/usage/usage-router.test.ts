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

  it('runs only the queries its charts draw: no active users per day or top resources nobody sees', async () => {
    const whole = (await (await t.fetchAs('auditor', '/api/v1/usage/overview?days=7')).json()) as Record<string, unknown>;
    expect(whole).not.toHaveProperty('activeUsersPerDay');
    expect(whole).not.toHaveProperty('topResources');
    expect(Object.keys(whole.queries as object).sort()).toEqual(['loginTotals', 'loginsByHourOfWeek', 'mfaCoverage', 'sessionsPerDay', 'topUsers']);
  });

  it('refuses an unknown chart and checks permission as the whole overview does', async () => {
    await expectProblem(await t.fetchAs('auditor', '/api/v1/usage/overview?days=7&chart=passwords'), 400, ProblemTypes.invalidRequest);
    expect((await t.fetchAs('visitor', '/api/v1/usage/overview?days=7&chart=topUsers')).status).toBe(403);
    expect((await t.fetchAs('runner', '/api/v1/usage/overview?days=7&chart=totals')).status).toBe(403);
  });
});

describe('GET /usage/overview filtered by user, protocol, cluster and host', () => {
  const part = async (query: string) => {
    const res = await t.fetchAs('auditor', `/api/v1/usage/overview?days=7&${query}`);
    expect(res.status).toBe(200);
    return UsageOverviewPart.parse(await res.json());
  };

  it('narrows every chart to the filters, and the SQL behind them says so', async () => {
    const whole = await part('chart=totals');
    const [top] = (await part('chart=topUsers')).topUsers!;
    const one = await part(`chart=totals&user=${encodeURIComponent(top!.user)}`);
    expect(one.totals!.sessions).toBe(top!.sessions);
    expect(one.totals!.sessions).toBeLessThan(whole.totals!.sessions);
    expect(one.totals!.users).toBe(1);
    expect(one.queries.topUsers).toContain(`"user" = '${top!.user}'`);
    expect((await part(`chart=topUsers&user=${encodeURIComponent(top!.user)}`)).topUsers).toEqual([top]);

    const perDay = (await part('chart=sessionsPerDay')).sessionsPerDay!;
    const dbOnly = (await part('chart=sessionsPerDay&protocol=db')).sessionsPerDay!;
    expect(dbOnly.map((d) => d.db)).toEqual(perDay.map((d) => d.db));
    expect(dbOnly.every((d) => d.ssh + d.kube + d.app + d.desktop === 0)).toBe(true);

    expect((await part('chart=totals&cluster=no-such-cluster.example')).totals).toMatchObject({ sessions: 0, users: 0, logins: 0 });
    expect((await part('chart=totals&host=no-such-host')).totals!.sessions).toBe(0);
    // The whole overview, as a link without chart= asks for it, is narrowed too.
    const wholeFiltered = UsageOverview.parse(await (await t.fetchAs('auditor', `/api/v1/usage/overview?days=7&user=${encodeURIComponent(top!.user)}`)).json());
    expect(wholeFiltered.totals.sessions).toBe(top!.sessions);
    // And the unfiltered overview is still the whole cluster's (not the filtered answer from the cache).
    expect((await part('chart=totals')).totals).toEqual(whole.totals);
  });

  it('refuses filters that are too long, not a protocol, repeated or hold control characters', async () => {
    for (const query of [`user=${'a'.repeat(257)}`, 'protocol=telnet', 'user=a&user=b', 'host=web%0A01', `cluster=${'c'.repeat(300)}`]) {
      await expectProblem(await t.fetchAs('auditor', `/api/v1/usage/overview?days=7&chart=totals&${query}`), 400, ProblemTypes.invalidRequest);
    }
    await expectProblem(await t.fetchAs('auditor', '/api/v1/usage/overview?days=7&protocol=ftp'), 400, ProblemTypes.invalidRequest);
  });

  it('checks permission as the unfiltered overview does', async () => {
    expect((await t.fetchAs('visitor', '/api/v1/usage/overview?days=7&chart=totals&user=alice')).status).toBe(403);
    expect((await t.fetchAs('runner', '/api/v1/usage/overview?days=7&user=alice&protocol=ssh')).status).toBe(403);
  });
});
