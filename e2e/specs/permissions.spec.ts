import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';

test('an auditor runs a query but cannot save one, even by calling the API directly', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await expect(page.getByTestId('user-roles')).toContainText('auditor');
  await setSql(page, "SELECT count(*) AS root_sessions FROM session_start WHERE login = 'root'");
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  await expect(page.getByTestId('results-table').getByRole('columnheader', { name: 'root_sessions' })).toBeVisible();
  await expect(page.getByTestId('save-query')).toHaveCount(0);

  const put = await page.request.put('/api/v1/queries/root-sessions', {
    headers: { 'if-none-match': '*' },
    data: { title: 'Root sessions', sql: "SELECT count(*) FROM session_start WHERE login = 'root'", days: 7 },
  });
  expect(put.status()).toBe(403);
  expect((await put.json()).detail).toMatch(/create on audit_query/);
});

test('an editor sees the save control the auditor does not', async ({ page }) => {
  await signIn(page, 'editor', '/queries/new?days=7');
  await expect(page.getByTestId('save-query')).toBeVisible();
});

test('a user without an Access Monitoring role is told which role they need', async ({ page }) => {
  await signIn(page, 'visitor');
  const panel = page.getByTestId('forbidden-panel');
  await expect(panel).toContainText('You need the auditor role');
  await expect(panel).toContainText('security_report');
  await expect(page.getByTestId('total-sessions')).toHaveCount(0);
  const api = await page.request.get('/api/v1/usage/overview?days=7');
  expect(api.status()).toBe(403);
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  await page.goto('/queries/new');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('a signed-out page load reaches the login page without an empty login request or a second 401', async ({ page }) => {
  const logins: (string | null)[] = [];
  const unauthenticated: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/login') logins.push(request.postData());
  });
  page.on('response', (response) => {
    if (response.status() === 401) unauthenticated.push(new URL(response.url()).pathname);
  });
  await page.goto('/queries/new');
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByTestId('login-submit')).toBeVisible();
  expect(logins).toEqual([]);
  // The session guard's one /me answers 401; the login page does not ask again.
  expect(unauthenticated).toEqual(['/api/v1/me']);
});
