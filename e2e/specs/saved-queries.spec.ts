import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

test('an editor saves a query, and a conflicting edit from a second tab shows both versions', async ({ browser }) => {
  const name = `root-ssh-${Date.now().toString(36)}`;
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, 'editor', '/queries/new?days=7');
  await setSql(first, "SELECT count(*) AS root_sessions FROM session_start WHERE login = 'root'");
  await first.getByTestId('save-query').click();
  await first.getByTestId('save-title').fill('Root SSH sessions');
  await first.getByTestId('save-name').fill(name);
  await first.getByTestId('save-submit').click();
  await expect(first).toHaveURL(new RegExp(`/queries/${name}\\?days=7`));
  await expect(first.getByTestId('saved-query-revision')).toContainText('1');

  const second = await context.newPage();
  await second.goto(`/queries/${name}?days=7`);
  await expect(second.getByTestId('saved-query-revision')).toContainText('1');

  await setSql(first, "SELECT count(*) AS root_sessions FROM session_start WHERE login IN ('root', 'admin')");
  await first.getByTestId('save-revision').click();
  await expect(first.getByTestId('saved-query-revision')).toContainText('2');

  await setSql(second, "SELECT count(*) AS root_sessions FROM session_start WHERE login = 'root' AND with_mfa IS NULL");
  await second.getByTestId('save-revision').click();
  const conflict = second.getByTestId('save-conflict');
  await expect(conflict).toContainText('revision 2');
  await expect(second.getByTestId('conflict-theirs')).toContainText("'admin'");
  await expect(second.getByTestId('conflict-mine')).toContainText('with_mfa IS NULL');
  await second.getByTestId('conflict-overwrite').click();
  await expect(second.getByTestId('saved-query-revision')).toContainText('3');

  const revisions = await second.request.get(`/api/v1/queries/${name}/revisions`);
  expect((await revisions.json()).revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2, 3]);

  // The revision list, a diff of r2 against r3, and restoring r2 as a new revision.
  await second.getByTestId('revisions-panel').locator('summary').click();
  await expect(second.getByTestId('revision-item')).toHaveCount(3);
  await second.getByTestId('diff-from').selectOption('2');
  await second.getByTestId('diff-to').selectOption('3');
  const diff = second.getByTestId('revision-diff');
  await expect(diff.locator('.line-diff__line--removed')).toContainText("'admin'");
  await expect(diff.locator('.line-diff__line--added')).toContainText('with_mfa IS NULL');
  await second.getByTestId('restore-r2').click();
  await expect(second.getByTestId('saved-query-revision')).toContainText('4');
  await expect(second.locator('.cm-content')).toContainText("'admin'");
  await expect(second.getByTestId('revision-item')).toHaveCount(4);
  await context.close();
});

test('an auditor opens a saved query and runs it, with no control to save, restore or delete it', async ({ browser }) => {
  const name = `failed-logins-${Date.now().toString(36)}`;
  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await signIn(editor, 'editor');
  const created = await editor.request.put(`/api/v1/queries/${name}`, {
    headers: { 'if-none-match': '*' },
    data: { title: 'Failed logins', sql: 'SELECT count(*) AS failed FROM user_login WHERE success = false', days: 30 },
  });
  expect(created.status()).toBe(201);
  const updated = await editor.request.put(`/api/v1/queries/${name}`, {
    headers: { 'if-match': `"${name}.r1"` },
    data: { title: 'Failed logins', sql: 'SELECT count(*) AS failed FROM user_login WHERE NOT success', days: 30 },
  });
  expect(updated.status()).toBe(200);
  await editorContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'auditor', `/queries/${name}?days=7`);
  await expect(page.getByTestId('saved-query-revision')).toContainText('2');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await expect(page.getByTestId('results-table').getByRole('columnheader', { name: 'failed' })).toBeVisible();
  await page.getByTestId('revisions-panel').locator('summary').click();
  await expect(page.getByTestId('revision-item')).toHaveCount(2);
  await expect(page.getByTestId('save-revision')).toHaveCount(0);
  await expect(page.getByTestId('save-query')).toHaveCount(0);
  await expect(page.getByTestId('delete-query')).toHaveCount(0);
  await expect(page.getByTestId('restore-r1')).toHaveCount(0);
  await page.getByRole('link', { name: 'Saved queries' }).first().click();
  await expect(page.getByTestId('saved-queries')).toContainText('Failed logins');
  await expect(page.getByTestId('deleted-queries')).toHaveCount(0);

  const update = await page.request.put(`/api/v1/queries/${name}`, { headers: { 'if-match': `"${name}.r2"` }, data: { title: 'x', sql: 'SELECT 1', days: 7 } });
  expect(update.status()).toBe(403);
  const remove = await page.request.delete(`/api/v1/queries/${name}`);
  expect(remove.status()).toBe(403);
  await context.close();
});

test('an editor deletes a saved query, finds it under Deleted queries, and restores it', async ({ browser }) => {
  const name = `admin-logins-${Date.now().toString(36)}`;
  const lastSql = "SELECT count(*) AS admin_logins FROM user_login WHERE \"user\" = 'admin' AND success";
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'editor');
  const created = await page.request.put(`/api/v1/queries/${name}`, {
    headers: { 'if-none-match': '*' },
    data: { title: 'Admin logins', sql: "SELECT count(*) AS admin_logins FROM user_login WHERE \"user\" = 'admin'", days: 7 },
  });
  expect(created.status()).toBe(201);
  const updated = await page.request.put(`/api/v1/queries/${name}`, { headers: { 'if-match': `"${name}.r1"` }, data: { title: 'Admin logins', sql: lastSql, days: 7 } });
  expect(updated.status()).toBe(200);

  await page.goto(`/queries/${name}`);
  await expect(page.getByTestId('saved-query-revision')).toContainText('2');
  await page.getByTestId('delete-query').click();
  await page.getByTestId('delete-confirm').click();
  await expect(page).toHaveURL(/\/queries\/new/);

  await page.goto('/queries');
  await expect(page.getByTestId('saved-queries')).toBeVisible();
  await expect(page.getByTestId('saved-queries')).not.toContainText(name);
  const section = page.getByTestId('deleted-queries');
  await section.locator('summary').click();
  const row = section.getByTestId('deleted-query-row').filter({ hasText: name });
  await expect(row).toContainText('Admin logins');
  await expect(row.getByRole('cell', { name: 'editor', exact: true })).toBeVisible();
  await row.getByRole('button', { name: `Restore Admin logins (${name})` }).click();

  await expect(page).toHaveURL(new RegExp(`/queries/${name}$`));
  await expect(page.getByTestId('saved-query-revision')).toContainText('4');
  await expect(page.locator('.cm-content')).toContainText("\"user\" = 'admin' AND success");
  await page.getByTestId('revisions-panel').locator('summary').click();
  await expect(page.getByTestId('revision-item')).toHaveCount(4);
  await expect(page.getByTestId('revision-item').filter({ hasText: '(deleted)' })).toContainText('r3');

  await page.goto('/queries');
  await expect(page.getByTestId('saved-queries')).toContainText(name);
  await page.getByTestId('deleted-queries').locator('summary').click();
  await expect(page.getByTestId('deleted-queries').getByTestId('deleted-query-row').filter({ hasText: name })).toHaveCount(0);
  await context.close();
});

test('editing an imported audit_query in the editor keeps the Teleport name its export writes back', async ({ browser }) => {
  const name = `imported-${Date.now().toString(36)}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'editor');
  const created = await page.request.put(`/api/v1/queries/${name}`, {
    headers: { 'if-none-match': '*' },
    data: { title: 'Imported from Teleport', sql: 'SELECT count(*) AS n FROM session_start', days: 7, teleportName: 'Imported.Query' },
  });
  expect(created.status()).toBe(201);
  await page.goto(`/queries/${name}?days=7`);
  await expect(page.getByTestId('saved-query-revision')).toContainText('1');
  await setSql(page, "SELECT count(*) AS n FROM session_start WHERE login = 'root'");
  await page.getByTestId('save-revision').click();
  await expect(page.getByTestId('saved-query-revision')).toContainText('2');
  const saved = await (await page.request.get(`/api/v1/queries/${name}`)).json();
  expect(saved).toMatchObject({ revision: 2, teleportName: 'Imported.Query', sql: expect.stringContaining("'root'") });
  await context.close();
});
