import { expect, test, type Page } from '@playwright/test';
import { signIn } from './sign-in';

/** Shows the window READY: runs it when it never ran (or failed), else waits for the run already under way. */
async function ensureReady(page: Page): Promise<void> {
  const state = page.getByTestId('report-state');
  await expect(state).toHaveAttribute('data-state', /^(NEVER_RUN|RUNNING|READY|FAILED)$/);
  const now = await state.getAttribute('data-state');
  if (now === 'NEVER_RUN' || now === 'FAILED') await page.getByTestId('run-report').click();
  await expect(state).toHaveAttribute('data-state', 'READY', { timeout: 120_000 });
}

// The e2e audit log holds 35 days: a 7-day window has a complete previous week, a 30-day window has not.
test('the comparison with the previous period is withheld when that period has no complete data, and worded per finding kind', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, 'auditor', '/reports/access_risk?days=30');
  await ensureReady(page);
  const month = page.getByTestId('period-diff').first();
  await expect(month.getByTestId('diff-incomplete')).toContainText('the previous period has no complete data');
  await expect(month.getByTestId('diff-new')).toHaveCount(0);

  await page.goto('/reports/access_risk?days=7');
  await ensureReady(page);
  const condition = page.getByTestId('finding-logins_without_mfa').getByTestId('period-diff');
  const event = page.getByTestId('finding-role_changes').getByTestId('period-diff');
  for (const diff of [condition, event]) await expect(diff.getByTestId('diff-incomplete')).toHaveCount(0);
  await expect(condition.getByTestId('diff-resolved')).toContainText('Resolved');
  await expect(event.getByTestId('diff-resolved')).toContainText('Not seen this period');
  await expect(event).not.toContainText('Resolved');
});
