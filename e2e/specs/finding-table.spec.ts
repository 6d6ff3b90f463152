import { expect, test, type Locator } from '@playwright/test';
import { signIn } from './sign-in';
import { ensureReady } from './report-state';

const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security';


/** The texts of one column of a table's body, by its header's name. */
async function columnTexts(table: Locator, name: string): Promise<string[]> {
  const headers = (await table.locator('thead tr').first().locator('th').allTextContents()).map((h) => h.replace(/[▲▼]/g, '').trim());
  const index = headers.indexOf(name);
  expect(index, `a ${name} column in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return table.locator(`tbody tr td:nth-child(${index + 1})`).allTextContents();
}

test("a finding's rows sort by a column and filter by its text, and the URL keeps both", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'auditor', `/reports/${REPORT}?days=30`);
  await ensureReady(page);
  const finding = page.getByTestId(`finding-${SSH}`);
  await finding.getByTestId('toggle-rows').click();
  const table = finding.getByTestId('finding-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();

  await table.getByTestId('sort-user').click();
  await expect(page).toHaveURL(/[?&]sort=user\b/);
  await expect(table.locator('thead th[aria-sort="ascending"]')).toHaveCount(1);
  const ascending = await columnTexts(table, 'user');
  expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));

  await table.getByTestId('sort-user').click();
  await expect(page).toHaveURL(/[?&]sort=-user\b/);
  await expect(async () => {
    const descending = await columnTexts(table, 'user');
    expect(descending).toEqual([...descending].sort((a, b) => b.localeCompare(a)));
    expect(descending[0]).not.toBe(ascending[0]);
  }).toPass();

  const someone = ascending[0]!;
  await table.getByTestId('filter-user').fill(someone);
  await expect(page).toHaveURL(new RegExp(`[?&]filter=user%3A${encodeURIComponent(someone)}`));
  await expect(finding.getByTestId('finding-rows-range')).toContainText('matching');
  await expect(async () => expect(new Set(await columnTexts(table, 'user'))).toEqual(new Set([someone]))).toPass();

  // A link (here, a reload) reopens the same sorted, filtered rows.
  await page.reload();
  const again = page.getByTestId(`finding-${SSH}`).getByTestId('finding-table');
  await expect(again.getByTestId('filter-user')).toHaveValue(someone);
  await expect(again.locator('thead th[aria-sort="descending"]')).toHaveCount(1);
  await expect(async () => expect(new Set(await columnTexts(again, 'user'))).toEqual(new Set([someone]))).toPass();
});
