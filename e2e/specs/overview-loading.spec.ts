import { expect, test, type Route } from '@playwright/test';
import { signIn } from './sign-in';

test('overview charts appear as each finishes, with progress for the slow one and a way to stop it', async ({ page }) => {
  await signIn(page, 'auditor', '/queries');
  // Hold the MFA chart's request as a slow 120-day query would be; the others answer as usual.
  const held: Route[] = [];
  await page.route(/\/api\/v1\/usage\/overview\?.*chart=mfaCoverage/, (route) => void held.push(route));
  await page.goto('/?days=120');

  await expect(page.getByTestId('chart-sessions-per-day').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.getByTestId('total-sessions')).toHaveText(/^\d[\d,]*$/);
  const mfa = page.getByTestId('chart-mfa-coverage');
  await expect(mfa.getByTestId('chart-progress')).toHaveText(/Running its audit query… \d+ s/);
  const progress = page.getByTestId('overview-progress');
  await expect(progress).toContainText('4 of 5 parts ready');

  await progress.getByTestId('overview-stop').click();
  await expect(mfa.getByTestId('chart-stopped')).toBeVisible();
  await expect(progress).toContainText('Stopped: 4 of 5 parts ready');
  // What had arrived stays.
  await expect(page.getByTestId('chart-top-users').locator('svg.recharts-surface[role="application"]')).toBeVisible();

  await page.unroute(/\/api\/v1\/usage\/overview\?.*chart=mfaCoverage/);
  await progress.getByTestId('overview-resume').click();
  await expect(mfa.locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.getByTestId('overview-progress')).toHaveCount(0);
});
