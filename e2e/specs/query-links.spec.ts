import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

test("Open query on an overview chart runs the chart's SQL in the editor and draws the same chart, several Y values included", async ({ page }) => {
  await signIn(page, 'auditor', '/?days=7');
  // The overview redraws as its charts arrive; follow the link's address rather than chase a moving element.
  const href = await page.getByTestId('chart-mfa-coverage').getByRole('link', { name: /Open query/ }).getAttribute('href');
  expect(href).toContain('run=1');
  await page.goto(href!);
  await expect(page).toHaveURL(/\/queries\/new\?/);
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  expect(new URL(page.url()).searchParams.get('run')).toBeNull();
  await expect(page.getByTestId('chart-y')).toHaveValue('with_mfa');
  await expect(page.getByTestId('chart-y2')).toHaveValue('without_mfa');
  await expect(page.getByTestId('result-chart').locator('.recharts-legend-item')).toHaveCount(2);
  await expect(page.getByTestId('copy-link')).toBeVisible();
});

test('a chart naming columns the changed query no longer returns leaves the address once the query runs', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7&sql=SELECT+1+AS+one&chart=bar&x=gone&y=missing');
  await expect(page).toHaveURL(/[?&]chart=bar/);
  await setSql(page, "SELECT 'a' AS label, 2 AS two");
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await expect(page).not.toHaveURL(/[?&]chart=/);
  await expect(page.getByTestId('show-chart')).toBeVisible();
});

test('the history shows each Result link whole at 1440 px and claims no bytes scanned for a failed run', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const marker = `links_${Date.now().toString(36)}`;
  await signIn(page, 'auditor', '/queries/new?days=30');
  await setSql(page, `SELECT count(*) AS ${marker}, 'a fairly long literal to widen the SQL column of the history table' AS padding FROM session_start`);
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await setSql(page, `SELECT ${marker}_missing_column FROM session_start`);
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/failed/i);

  await page.goto(`/executions?q=${marker}`);
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);
  const result = rows.filter({ hasText: 'Succeeded' }).getByTestId('history-result');
  await expect(result).toBeVisible();
  const scroll = page.getByRole('region', { name: 'Your queries' });
  const [link, box] = [await result.boundingBox(), await scroll.boundingBox()];
  expect(link!.x + link!.width).toBeLessThanOrEqual(box!.x + box!.width);
  expect(await scroll.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  // The failed run read nothing it could claim: no size under "Scanned".
  await expect(rows.filter({ hasText: 'Failed' }).locator('td.num').nth(1)).toHaveText('—');
});

test.describe('Copy link', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('on the editor copies a link with the SQL just typed, and the result page has one too', async ({ page }) => {
    await signIn(page, 'auditor', '/queries/new?days=7');
    const sql = `SELECT 'copied_${Date.now().toString(36)}' AS marker`;
    await setSql(page, sql);
    await page.getByTestId('copy-link').click();
    await expect(page.getByTestId('copy-link-status')).toHaveText('Copied');
    // A string expression: the e2e tsconfig has no DOM types.
    const copied = new URL(String(await page.evaluate('navigator.clipboard.readText()')));
    expect(copied.searchParams.get('sql')).toBe(sql);

    await page.getByTestId('run-query').click();
    await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
    const id = new URL(page.url()).searchParams.get('execution')!;
    await page.goto(`/executions/${id}`);
    await page.getByTestId('copy-link').click();
    await expect(page.getByTestId('copy-link-status')).toHaveText('Copied');
    expect(String(await page.evaluate('navigator.clipboard.readText()'))).toBe(page.url());
  });
});
