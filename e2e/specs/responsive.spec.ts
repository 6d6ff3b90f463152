import { expect, test, type Page } from '@playwright/test';
import { signIn } from './sign-in';

/** The page is no wider than the screen: nothing makes it scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, viewport } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth })')) as {
    scrollWidth: number;
    viewport: number;
  };
  expect(scrollWidth).toBeLessThanOrEqual(viewport);
}

for (const viewport of [
  { width: 390, height: 844 },
  { width: 360, height: 780 },
]) {
  test(`the overview fits a ${viewport.width} px phone without sideways scrolling`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signIn(page, 'auditor', '/?days=30');
    await expect(page.getByTestId('chart-sessions-per-day').locator('svg.recharts-surface[role="application"]')).toBeVisible();
    await expect(page.getByTestId('chart-logins-by-hour').locator('table')).toBeVisible();
    await expectNoSidewaysScroll(page);

    // The hour-of-week grid scrolls inside its card.
    const grid = page.getByTestId('chart-logins-by-hour').getByRole('region', { name: /logins by weekday and hour/i });
    const card = await page.getByTestId('chart-logins-by-hour').boundingBox();
    const region = await grid.boundingBox();
    expect(region!.x + region!.width).toBeLessThanOrEqual(card!.x + card!.width);

    // The sections fold behind one button.
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await expect(sections).toBeHidden();
    await page.getByTestId('menu-button').click();
    await expect(sections.getByRole('link', { name: 'Security reports' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await sections.getByRole('link', { name: 'Security reports' }).click();
    await expect(page).toHaveURL(/\/reports/);
    await expect(sections).toBeHidden();
  });
}

test('on a wide screen the sections stay in the sidebar, with no menu button', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'auditor', '/?days=7');
  await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('menu-button')).toBeHidden();
});
