import { expect, type Page } from '@playwright/test';
import { E2E_PASSWORD, type E2E_USERS } from '../global-setup';

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, user: keyof typeof E2E_USERS, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(E2E_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('user-menu')).toContainText(user);
}
