import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { setSql } from './sql-editor';
import { signIn } from './sign-in';

const REPORT = 'privilege_access_report';

/** axe's serious and critical violations on the page as it stands, one line each (empty when there are none). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The y-axis ticks of every chart under `scope` run 0, s, 2s, 3s… with one integer step s (no "0/20/40/80"). */
async function expectEvenCountTicks(page: Page, scope: string): Promise<void> {
  const charts = page.locator(`${scope} .recharts-yAxis-tick-labels`);
  expect(await charts.count()).toBeGreaterThan(0);
  for (const chart of await charts.all()) {
    const values = (await chart.locator('.recharts-cartesian-axis-tick-value').allTextContents()).map((t) => Number(t.replaceAll(',', '').replace('%', '')));
    expect(values.length).toBeGreaterThan(1);
    expect(values[0]).toBe(0);
    const steps = values.slice(1).map((v, i) => v - values[i]!);
    expect(new Set(steps)).toEqual(new Set([steps[0]]));
    expect(Number.isInteger(steps[0])).toBe(true);
  }
}

/** What Tab stops on inside `main`: each with its accessible name and size, in tab order. */
async function tabStops(page: Page): Promise<{ name: string; width: number; height: number; inChart: boolean }[]> {
  await page.locator('#main').focus();
  const stops: { name: string; width: number; height: number; inChart: boolean }[] = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    // A string, as e2e code is compiled without the DOM library.
    const stop = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || !el.closest('#main')) return null;
      const box = el.getBoundingClientRect();
      const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.innerText ?? el.innerText ?? el.textContent ?? '';
      return { name: name.trim(), width: box.width, height: box.height, inChart: !!el.closest('.chart-figure__graphic') };
    })()`)) as { name: string; width: number; height: number; inChart: boolean } | null;
    if (!stop) break;
    stops.push(stop);
  }
  return stops;
}

test('the overview, a security report, the SQL editor and the timeline have no serious or critical axe violations', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'auditor', '/?days=30');
  await expect(page.getByTestId('chart-sessions-per-day').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.getByTestId('chart-mfa-coverage').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.getByTestId('chart-logins-by-hour').locator('table')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(`/reports/${REPORT}?days=7`);
  const state = page.getByTestId('report-state');
  await expect(state).toHaveAttribute('data-state', /^(NEVER_RUN|RUNNING|READY|FAILED)$/);
  if (['NEVER_RUN', 'FAILED'].includes((await state.getAttribute('data-state'))!)) await page.getByTestId('run-report').click();
  await expect(state).toHaveAttribute('data-state', 'READY', { timeout: 90_000 });
  await expect(page.locator('.finding-card svg.recharts-surface[role="application"]').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expectEvenCountTicks(page, '.finding-card');
  // Every keyboard stop on the report is named and visible: none is a part of a chart.
  const reportStops = await tabStops(page);
  expect(reportStops.filter((s) => !s.name || s.width < 4 || s.height < 4)).toEqual([]);
  expect(reportStops.filter((s) => s.inChart).every((s) => s.name.startsWith('Rows per UTC day'))).toBe(true);

  await page.goto('/queries/new?days=7');
  await setSql(page, 'SELECT login, count(*) AS n FROM session_start GROUP BY login ORDER BY n DESC');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  expect(await seriousViolations(page)).toEqual([]);

  const top = (await (await page.request.get('/api/v1/usage/overview?days=30&chart=topUsers')).json()) as { topUsers: { user: string }[] };
  await page.goto(`/timeline?${new URLSearchParams({ user: top.topUsers[0]!.user, days: '30' })}`);
  await expect(page.getByTestId('timeline-event').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('each overview chart is one named keyboard stop, and its numbers are a table', async ({ page }) => {
  await signIn(page, 'auditor', '/?days=7');
  const perDay = page.getByTestId('chart-sessions-per-day');
  await expect(perDay.locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.getByTestId('chart-top-users').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.getByTestId('chart-mfa-coverage').locator('svg.recharts-surface[role="application"]')).toBeVisible();

  const stops = await tabStops(page);
  // Nothing unnamed or invisible to stop on; inside the three drawn charts, exactly one stop each.
  expect(stops.filter((s) => !s.name || s.width < 4 || s.height < 4)).toEqual([]);
  expect(stops.filter((s) => s.inChart).map((s) => s.name)).toEqual([
    'Sessions started per UTC day, by protocol',
    'Users with the most sessions in the window',
    'Sessions per UTC day with and without per-session MFA, and the share with MFA',
  ]);

  // The same numbers as a table, for screen readers always and for everyone on request.
  const table = perDay.getByTestId('chart-table');
  await expect(table.getByRole('row')).toHaveCount(1 + 7);
  await perDay.getByTestId('chart-table-toggle').click();
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'SSH' })).toBeVisible();
  await expect(perDay.locator('svg.recharts-surface[role="application"]')).toBeHidden();
  await perDay.getByTestId('chart-table-toggle').click();
  await expect(perDay.locator('svg.recharts-surface[role="application"]')).toBeVisible();
});

test('count axes step evenly through round integers and top users carry their counts', async ({ page }) => {
  await signIn(page, 'auditor', '/?days=30');
  await expect(page.getByTestId('chart-mfa-coverage').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expectEvenCountTicks(page, '[data-testid="chart-sessions-per-day"]');
  await expectEvenCountTicks(page, '[data-testid="chart-mfa-coverage"]');

  const top = (await (await page.request.get('/api/v1/usage/overview?days=30&chart=topUsers')).json()) as { topUsers: { sessions: number }[] };
  const labels = page.getByTestId('chart-top-users').locator('.chart-value-label');
  await expect(labels).toHaveCount(top.topUsers.length);
  await expect(labels.first()).toHaveText(top.topUsers[0]!.sessions.toLocaleString('en-US'));
});
