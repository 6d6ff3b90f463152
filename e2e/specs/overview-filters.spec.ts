import { expect, test, type Locator } from '@playwright/test';
import { signIn } from './sign-in';

const count = async (tile: Locator) => Number((await tile.textContent())!.replaceAll(',', ''));

test('overview filters live in the URL, survive a reload, narrow the totals and clear', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.goto('/?days=30');
  const sessions = page.getByTestId('total-sessions');
  const users = page.getByTestId('total-users');
  await expect(sessions).toHaveText(/^\d[\d,]*$/);
  const whole = await count(sessions);
  const wholeUsers = await count(users);
  expect(wholeUsers).toBeGreaterThan(1);

  // The user to filter by: the busiest, as the server counts them.
  const part = (await (await page.request.get('/api/v1/usage/overview?days=30&chart=topUsers')).json()) as { topUsers: { user: string; sessions: number }[] };
  const top = part.topUsers[0]!;
  expect(top.sessions).toBeLessThan(whole);

  const user = page.getByRole('searchbox', { name: 'User' });
  await user.fill(top.user);
  await user.press('Enter');
  await expect(page).toHaveURL((url) => url.searchParams.get('user') === top.user && url.searchParams.get('days') === '30');
  await expect(users).toHaveText('1');
  await expect(async () => expect(await count(sessions)).toBe(top.sessions)).toPass();

  // A reload (or a shared link) shows the same filtered overview, with the filter in its field.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'User' })).toHaveValue(top.user);
  await expect(users).toHaveText('1');
  await expect(async () => expect(await count(sessions)).toBe(top.sessions)).toPass();

  // Changing the window keeps the filter.
  await page.getByRole('radio', { name: /7 days/ }).or(page.getByRole('button', { name: /7 days/ })).first().click();
  await expect(page).toHaveURL((url) => url.searchParams.get('user') === top.user && url.searchParams.get('days') === '7');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL((url) => !url.searchParams.has('user') && url.searchParams.get('days') === '7');
  await expect(page.getByRole('searchbox', { name: 'User' })).toHaveValue('');
  await expect(async () => expect(await count(users)).toBeGreaterThan(1)).toPass();
  await expect(page.getByRole('button', { name: 'Clear filters' })).toBeDisabled();
});

test('the protocol filter is a labelled choice kept in the URL that narrows the charts', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.goto('/?days=30');
  const sessions = page.getByTestId('total-sessions');
  await expect(sessions).toHaveText(/^\d[\d,]*$/);
  const whole = await count(sessions);

  await page.getByRole('combobox', { name: 'Protocol', exact: true }).selectOption('db');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('protocol') === 'db');
  await expect(async () => {
    const db = await count(sessions);
    expect(db).toBeGreaterThan(0);
    expect(db).toBeLessThan(whole);
  }).toPass();
  await expect(page.getByTestId('overview-filters')).toContainText('login counts follow only the user and cluster filters');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL((url) => !url.searchParams.has('protocol'));
  await expect(page.getByRole('combobox', { name: 'Protocol', exact: true })).toHaveValue('');
  await expect(async () => expect(await count(sessions)).toBe(whole)).toPass();
});
