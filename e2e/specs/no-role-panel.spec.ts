import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a local user without a role is shown the exact users command, and copies it', async ({ page }) => {
  await signIn(page, 'visitor');
  const panel = page.getByTestId('forbidden-panel');
  await expect(panel).toContainText('You need the auditor role');
  await expect(panel).not.toContainText('Teleport administrator');
  const command = 'access-monitor users add visitor --roles auditor --replace';
  await expect(panel.getByTestId('grant-command')).toContainText(command);
  await expect(panel.getByTestId('grant-role-yaml')).toHaveCount(0);
  await panel.getByTestId('copy-grant-command').click();
  await expect(panel.getByTestId('grant-command')).toContainText('Copied');
  expect(String(await page.evaluate('navigator.clipboard.readText()'))).toBe(command);
});
