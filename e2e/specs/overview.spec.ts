import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test('the overview draws usage charts from the audit log and follows the window in the URL', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.goto('/');
  const total = page.getByTestId('total-sessions');
  await expect(total).toHaveText(/^\d[\d,]*$/);
  const week = Number((await total.textContent())!.replaceAll(',', ''));
  expect(week).toBeGreaterThan(0);
  for (const chart of ['chart-sessions-per-day', 'chart-top-users', 'chart-mfa-coverage']) {
    await expect(page.getByTestId(chart).locator('svg .recharts-rectangle, svg .recharts-area, svg .recharts-line-curve').first()).toBeVisible();
  }
  await expect(page.getByTestId('chart-logins-by-hour')).toBeVisible();

  await page.getByRole('radio', { name: /30 days/ }).or(page.getByRole('button', { name: /30 days/ })).or(page.getByRole('option', { name: /30 days/ })).first().click();
  await expect(page).toHaveURL(/[?&]days=30\b/);
  await expect(async () => {
    const month = Number((await total.textContent())!.replaceAll(',', ''));
    expect(month).toBeGreaterThan(week);
  }).toPass();

  await page.screenshot({ path: 'test-results/overview.png', fullPage: true });
});
