import { expect, test, type Page } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

/** Runs a query naming a column no view has, and checks the failure points at it: line, column, underline. */
async function expectUnknownColumnPointedAt(page: Page): Promise<void> {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, 'SELECT "user",\n       no_such_column\nFROM session_start');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/failed/i, { timeout: 60_000 });
  const problem = page.getByTestId('problem');
  await expect(problem).toContainText('no_such_column');
  await expect(problem).toContainText('At line 2, column 8');
  await expect(problem.locator('mark')).toHaveText('no_such_column');
  await expect(page.locator('.cm-lintRange-error')).toHaveText('no_such_column');
}

test('a query naming an unknown column fails with its line and column, underlined in the editor, and claims no bytes scanned', async ({ page }) => {
  await expectUnknownColumnPointedAt(page);
  await expect(page.locator('.execution-status__facts')).not.toContainText('Scanned');
});

test.describe('in Athena mode', () => {
  test.use({ baseURL: process.env.E2E_AWS_BASE_URL });

  test("Athena's line:column for an unknown column points into the SQL the user wrote, not the statement with the views", async ({ page }) => {
    await expectUnknownColumnPointedAt(page);
  });
});
