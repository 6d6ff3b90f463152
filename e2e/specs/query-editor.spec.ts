import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

// Every 3-tuple of a week's events with a string built per tuple: runs for hours unless cancelled.
const LONG_SQL = 'SELECT count(*) AS n FROM audit_events a, audit_events b, audit_events c WHERE length(a.uid || b.uid || c.uid) > 1000';

/** The row count the results header shows, as a number. */
async function shownRowCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('row-count').textContent()) ?? '';
  return Number(/([\d,]+) rows?/.exec(text)![1]!.replaceAll(',', ''));
}

test('types a query with autocomplete, runs it with the keyboard and sees its rows', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, '');
  await page.keyboard.type('SELECT login, count(*) AS n FROM session_st');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions.getByRole('option', { name: /session_start/ }).first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('.cm-content')).toHaveText('SELECT login, count(*) AS n FROM session_start');
  // A column of the view, completed with its type shown, accepted with Tab.
  await page.keyboard.type(' GROUP BY logi');
  await expect(completions.getByRole('option', { name: /login/ }).first()).toContainText('varchar');
  await page.keyboard.press('Tab');
  await page.keyboard.type(' ORDER BY n DESC');
  await expect(page.locator('.cm-content')).toHaveText('SELECT login, count(*) AS n FROM session_start GROUP BY login ORDER BY n DESC');

  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  const grid = page.getByTestId('results-table');
  await expect(grid.getByRole('columnheader', { name: 'login' })).toBeVisible();
  await expect(grid.getByRole('row').nth(1).getByRole('gridcell').first()).not.toBeEmpty();
  expect(await shownRowCount(page)).toBeGreaterThan(0);
});

test('underlines where a failed query points', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, 'SELECT count(*)\nFROM session_start\nWHERE login = = 1');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('problem')).toContainText('line 3');
  await expect(page.locator('.cm-lintRange-error')).toHaveText('=');
});

test('starts a long query and cancels it with Esc: the engine stops and the next query runs', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, LONG_SQL);
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/running/i);
  await expect(page.getByTestId('cancel-query')).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('execution-state')).toHaveText(/cancelled/i);
  await expect(page.getByTestId('cancelled-notice')).toBeVisible();

  await setSql(page, 'SELECT 1 AS one');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await expect(page.getByTestId('results-table').getByRole('gridcell').first()).toHaveText('1');
});

test('closes the completion list when a run starts, and one Esc cancels the run even with the list open', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  // Ends in a view's name, so Ctrl+Space at the end offers that view.
  await setSql(page, `SELECT n FROM (${LONG_SQL}) AS audit_events`);
  const completions = page.locator('.cm-tooltip-autocomplete');
  const openCompletions = async () => {
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Space');
    await expect(completions.getByRole('option', { name: /audit_events/ }).first()).toBeVisible();
  };
  await openCompletions();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('execution-state')).toHaveText(/running/i);
  await expect(completions).toBeHidden();

  await openCompletions();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('execution-state')).toHaveText(/cancelled/i);
  await expect(page.getByTestId('cancelled-notice')).toBeVisible();
});

test('downloads the CSV of every row: its row count is the result’s', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, 'SELECT uid, event_type, "user" FROM audit_events ORDER BY uid');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  const rows = await shownRowCount(page);
  expect(rows).toBeGreaterThan(500);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-query_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_[\w-]+\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\n');
  expect(lines[0]).toBe('"uid","event_type","user"');
  expect(lines).toHaveLength(rows + 1);

  // Scrolling far down fetches the rows there.
  const grid = page.getByTestId('results-table').getByRole('grid');
  await grid.focus();
  await page.getByTestId('results-table').getByRole('gridcell').first().click();
  await page.keyboard.press('Control+End');
  await expect(page.getByTestId('grid-active-cell')).toContainText(`Row ${rows.toLocaleString('en-US')}`);
  await expect(page.getByTestId('results-table').locator(`[aria-rowindex="${rows + 1}"] [role="gridcell"]`).first()).toHaveText(lines.at(-1)!.split(',')[0]!.replaceAll('"', ''));
});

test('opens an event_data cell pretty-printed', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, 'SELECT event_time, event_type, event_data FROM audit_events ORDER BY event_time LIMIT 50');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await page.getByTestId('grid-json-button').first().click();
  const viewer = page.getByTestId('json-viewer');
  await expect(viewer).toBeVisible();
  await expect(page.getByTestId('json-viewer-code')).toContainText('"event": ');
  await expect(page.getByTestId('json-viewer-code')).toContainText('\n  "');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
});

test('draws a bar chart from the result, kept in the address', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, 'SELECT event_type, count(*) AS events FROM audit_events GROUP BY event_type ORDER BY events DESC LIMIT 8');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await page.getByTestId('show-chart').click();
  await expect(page.getByTestId('chart-type')).toHaveValue('bar');
  await expect(page.getByTestId('result-chart').locator('svg .recharts-bar-rectangle').first()).toBeVisible();
  await expect(page).toHaveURL(/chart=bar&x=event_type&y=events/);

  await page.getByTestId('chart-type').selectOption('line');
  await expect(page.getByTestId('result-chart').locator('svg .recharts-line')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('chart-type')).toHaveValue('line');
});

test('finds a past query in the history, reopens its SQL and its result link', async ({ page }) => {
  const marker = `history_${Date.now().toString(36)}`;
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, `SELECT count(*) AS ${marker} FROM session_start`);
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);

  await page.goto('/executions');
  await page.getByTestId('history-search').fill(marker);
  await expect(page).toHaveURL(new RegExp(`q=${marker}`));
  const row = page.getByTestId('history-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Succeeded');

  await row.getByTestId('history-result').click();
  await expect(page).toHaveURL(/\/executions\/[\w-]+$/);
  await expect(page.getByTestId('execution-sql')).toContainText(marker);
  await expect(page.getByTestId('results-table').getByRole('columnheader', { name: marker })).toBeVisible();

  await page.getByTestId('open-in-editor').click();
  await expect(page).toHaveURL(/\/queries\/new\?sql=/);
  await expect(page.locator('.cm-content')).toContainText(marker);
});
