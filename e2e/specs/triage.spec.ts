import { expect, test, type Page } from '@playwright/test';
import { signIn } from './sign-in';
import { ensureReady } from './report-state';

const REPORT = 'privilege_access_report';

interface RowsPage {
  columns: Array<{ name: string }>;
  rows: unknown[][];
  entityColumns?: string[];
  triage?: Array<unknown | null>;
}


/**
 * A finding and a row on its first page whose entity has no other row in the whole finding, so
 * accepting that one row's risk takes exactly one row out of the open count.
 */
async function loneEntityRow(page: Page): Promise<{ finding: string; index: number; openRows: number }> {
  const summary = (await (await page.request.get(`/api/v1/reports/${REPORT}`)).json()) as { states: Array<{ days: number; runId?: string; lastReadyRunId?: string }> };
  const state = summary.states.find((s) => s.days === 7)!;
  const runId = state.lastReadyRunId ?? state.runId!;
  const run = (await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { queries: Array<{ id: string; state: string; rowCount?: number; openRowCount?: number }> };
  for (const q of run.queries) {
    if (q.state !== 'SUCCEEDED' || !q.rowCount || q.rowCount > 10_000 || q.openRowCount !== q.rowCount) continue;
    const page0 = (await (await page.request.get(`/api/v1/runs/${runId}/queries/${q.id}/rows?limit=10000`)).json()) as RowsPage;
    if (!page0.entityColumns) continue;
    const at = page0.entityColumns.map((c) => page0.columns.findIndex((col) => col.name === c));
    const keys = page0.rows.map((row) => JSON.stringify(at.map((i) => row[i])));
    const index = keys.slice(0, 50).findIndex((k) => keys.indexOf(k) === keys.lastIndexOf(k));
    if (index >= 0) return { finding: q.id, index, openRows: q.rowCount };
  }
  throw new Error('no finding of the 7-day run has an entity with exactly one row on its first page');
}

test('an editor accepts the risk of one finding row: the open count drops by one and the row is dimmed; an auditor sees it but cannot triage', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'editor', `/reports/${REPORT}?days=7`);
  await ensureReady(page);
  const { finding, index, openRows } = await loneEntityRow(page);

  const card = page.getByTestId(`finding-${finding}`);
  await expect(card.getByTestId('finding-row-count')).toHaveText(openRows.toLocaleString('en-US'));
  await card.getByTestId('toggle-rows').click();
  const row = card.getByTestId('finding-table').locator('tbody tr').nth(index);
  await expect(row.getByTestId('triage-accept')).toBeVisible();

  // Esc closes the dialog without saving.
  await row.getByTestId('triage-false-positive').click();
  await expect(page.getByTestId('triage-dialog')).toBeVisible();
  await expect(page.getByTestId('triage-reason')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('triage-dialog')).toBeHidden();

  // Too far ahead: the server says the last day it allows; within it, the risk is accepted.
  await row.getByTestId('triage-accept').click();
  const dialog = page.getByTestId('triage-dialog');
  await expect(dialog.getByRole('heading', { name: 'Accept risk' })).toBeVisible();
  const offered = await dialog.getByLabel(/Accepted until/).inputValue();
  expect(offered).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await dialog.getByLabel('Reason').fill('Vendor migration host; MFA is enforced after the cut-over');
  await dialog.getByLabel(/Accepted until/).fill('2099-12-31');
  await dialog.getByTestId('triage-submit').click();
  await expect(dialog.getByTestId('triage-expires-error')).toContainText(/expires must be a day from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
  await dialog.screenshot({ path: 'test-results/triage-dialog-refused.png' });
  await dialog.getByLabel(/Accepted until/).fill(offered);
  await dialog.getByTestId('triage-submit').click();
  await expect(dialog).toBeHidden();

  await expect(card.getByTestId('finding-open-count')).toHaveText((openRows - 1).toLocaleString('en-US'));
  await expect(card.getByTestId('finding-triaged-count')).toHaveText('1');
  await expect(row).toHaveClass(/data-table__row--triaged/);
  await expect(row.getByTestId('triage-badge')).toHaveText(`Accepted risk until ${offered} — Vendor migration host; MFA is enforced after the cut-over`);
  await expect(row.getByTestId('triage-reopen')).toBeVisible();
  await card.screenshot({ path: 'test-results/triage-finding-card.png' });

  // The report's triage log names who did it.
  await page.getByTestId('triage-log').locator('summary').click();
  const entry = page.getByTestId('triage-log-entry').first();
  await expect(entry).toContainText('editor');
  await expect(entry).toContainText('Accepted risk');
  await expect(entry).toContainText(offered);
  await page.getByTestId('triage-log').screenshot({ path: 'test-results/triage-log.png' });

  // An auditor sees the exception and the lower count, and no triage control; the API refuses them too.
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const auditor = await context.newPage();
  await signIn(auditor, 'auditor', `/reports/${REPORT}?days=7&rows=${finding}`);
  const auditorCard = auditor.getByTestId(`finding-${finding}`);
  await expect(auditorCard.getByTestId('finding-open-count')).toHaveText((openRows - 1).toLocaleString('en-US'));
  const auditorRow = auditorCard.getByTestId('finding-table').locator('tbody tr').nth(index);
  await expect(auditorRow.getByTestId('triage-badge')).toContainText(`Accepted risk until ${offered}`);
  await expect(auditorCard.getByTestId('triage-accept')).toHaveCount(0);
  await expect(auditorCard.getByTestId('triage-false-positive')).toHaveCount(0);
  await expect(auditorCard.getByTestId('triage-reopen')).toHaveCount(0);
  const refused = await auditor.request.put(`/api/v1/reports/${REPORT}/findings/${finding}/triage`, {
    data: { entity: { user: 'anyone' }, status: 'false_positive', reason: 'not mine to decide' },
  });
  expect(refused.status()).toBe(403);
  await context.close();
});
