import { expect, type Page } from '@playwright/test';

/** Shows the report window READY: runs it when it never ran (or failed), else waits for the run already under way. */
export async function ensureReady(page: Page): Promise<void> {
  const state = page.getByTestId('report-state');
  await expect(state).toHaveAttribute('data-state', /^(NEVER_RUN|RUNNING|READY|FAILED)$/);
  const now = await state.getAttribute('data-state');
  if (now === 'NEVER_RUN' || now === 'FAILED') await page.getByTestId('run-report').click();
  await expect(state).toHaveAttribute('data-state', 'READY', { timeout: 90_000 });
}
