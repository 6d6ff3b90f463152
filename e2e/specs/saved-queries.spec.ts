import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test('an editor saves a query, and a conflicting edit from a second tab shows both versions', async ({ browser }) => {
  const name = `root-ssh-${Date.now().toString(36)}`;
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, 'editor', '/queries/new?days=7');
  await first.getByTestId('sql-input').fill("SELECT count(*) AS root_sessions FROM session_start WHERE login = 'root'");
  await first.getByTestId('save-query').click();
  await first.getByTestId('save-title').fill('Root SSH sessions');
  await first.getByTestId('save-name').fill(name);
  await first.getByTestId('save-submit').click();
  await expect(first).toHaveURL(new RegExp(`/queries/${name}\\?days=7`));
  await expect(first.getByTestId('saved-query-revision')).toContainText('1');

  const second = await context.newPage();
  await second.goto(`/queries/${name}?days=7`);
  await expect(second.getByTestId('saved-query-revision')).toContainText('1');

  await first.getByTestId('sql-input').fill("SELECT count(*) AS root_sessions FROM session_start WHERE login IN ('root', 'admin')");
  await first.getByTestId('save-revision').click();
  await expect(first.getByTestId('saved-query-revision')).toContainText('2');

  await second.getByTestId('sql-input').fill("SELECT count(*) AS root_sessions FROM session_start WHERE login = 'root' AND with_mfa IS NULL");
  await second.getByTestId('save-revision').click();
  const conflict = second.getByTestId('save-conflict');
  await expect(conflict).toContainText('revision 2');
  await expect(second.getByTestId('conflict-theirs')).toContainText("'admin'");
  await expect(second.getByTestId('conflict-mine')).toContainText('with_mfa IS NULL');
  await second.getByTestId('conflict-overwrite').click();
  await expect(second.getByTestId('saved-query-revision')).toContainText('3');

  const revisions = await second.request.get(`/api/v1/queries/${name}/revisions`);
  expect((await revisions.json()).revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2, 3]);
  await context.close();
});
