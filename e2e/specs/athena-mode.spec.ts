// The production path end to end: the dashboard served by `access-monitor aws-local --serve`, whose
// queries run in the Athena peer over Parquet in the S3 peer and whose state lives in S3.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

const CLI = path.resolve(import.meta.dirname, '../../apps/server/bin/access-monitor.js');

test.use({ baseURL: process.env.E2E_AWS_BASE_URL });

test('in Athena mode the SQL page gives the embedded engine\'s answer, and a report run says it ran on Athena', async ({ page }) => {
  const sql = 'SELECT count(*) AS sessions FROM session_start';
  const cli = spawnSync(process.execPath, [CLI, 'query', '--data', process.env.E2E_DATA_DIR!, '--days', '7', sql], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const expected = cli.stdout.trim().split(/\r?\n/)[1]!;
  expect(Number(expected)).toBeGreaterThan(0);

  await signIn(page, 'auditor');
  await page.goto('/queries/new?days=7');
  await setSql(page, sql);
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i, { timeout: 60_000 });
  await expect(page.getByTestId('results-table').getByRole('gridcell').first()).toHaveText(expected);
  await expect(page.getByTestId('engine-path')).toHaveCount(0); // Athena reads its own table: no typed store to speak of

  await page.goto('/reports/privilege_access_report?days=7');
  const state = page.getByTestId('report-state');
  await expect(state).toHaveAttribute('data-state', /^(NEVER_RUN|RUNNING|READY|FAILED)$/);
  if ((await state.getAttribute('data-state')) !== 'RUNNING' && (await state.getAttribute('data-state')) !== 'READY') await page.getByTestId('run-report').click();
  await expect(state).toHaveAttribute('data-state', 'READY', { timeout: 90_000 });
  await page.getByTestId('run-permalink').click();
  const facts = page.getByTestId('run-facts');
  await expect(facts).toContainText('athena');
  await expect(page.getByTestId('run-state')).toHaveText(/succeeded/i);

  // This server's config sets no teleport.proxy_url: session ids lead to their timeline, with no recording link.
  await page.goto('/reports/privilege_access_report/findings/ssh_sessions_with_weak_security?days=7');
  await expect(page.getByTestId('finding-table').getByTestId('drill-session').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('play-in-teleport')).toHaveCount(0);
});
