import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

const CLI = path.resolve(import.meta.dirname, '../../apps/server/bin/access-monitor.js');

test('the SQL page counts session starts exactly as the CLI does', async ({ page }) => {
  const cli = spawnSync(process.execPath, [CLI, 'query', '--data', process.env.E2E_DATA_DIR!, '--days', '7', 'SELECT count(*) FROM session_start'], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const [header, value] = cli.stdout.trim().split(/\r?\n/);
  expect(header).toBe('_col0');
  expect(Number(value)).toBeGreaterThan(0);

  await signIn(page, 'auditor');
  await page.goto('/queries/new?days=7');
  await setSql(page, 'SELECT count(*) FROM session_start');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  const table = page.getByTestId('results-table');
  await expect(table.getByRole('columnheader', { name: '_col0' })).toBeVisible();
  await expect(table.getByRole('gridcell').first()).toHaveText(value!);
});

test('the SQL page explains a refused statement', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.goto('/queries/new?days=7');
  await setSql(page, 'DROP TABLE audit_events');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('problem')).toContainText(/DROP/);
});

test('the SQL page says the views were read from the typed event store once the server has built it', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.goto('/queries/new?days=7');
  await setSql(page, 'SELECT count(*) FROM session_start');
  // The server builds the store in the background at start; until then (or for days it lacks) it reads JSON.
  await expect(async () => {
    await page.getByTestId('run-query').click();
    await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
    await expect(page.getByTestId('engine-path')).toHaveText('Typed store', { timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByTestId('engine-path')).toHaveAttribute('title', /All \d+ days of the window were read from the typed event store/);
});
