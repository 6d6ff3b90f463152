import { expect, test } from '@playwright/test';
import { E2E_WEBHOOK, type ReceivedWebhook } from '../global-setup';
import { signIn } from './sign-in';
import { ensureReady } from './report-state';

const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security';
const RULE = `${SSH}-alert`;


/** What the loopback webhook (started by the global setup) has received so far. */
async function webhookRequests(): Promise<ReceivedWebhook[]> {
  const response = await fetch(`${process.env.E2E_WEBHOOK_ORIGIN}/received`);
  return (await response.json()) as ReceivedWebhook[];
}

test('an editor creates a rule from a finding card, test-fires it to a loopback webhook and sees the delivery; an auditor only reads it', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, 'editor', `/reports/${REPORT}`);
  await ensureReady(page);

  // From the finding card to a prefilled rule.
  const card = page.getByTestId(`finding-${SSH}`);
  await card.getByRole('link', { name: /Alert me on new rows/ }).click();
  await expect(page).toHaveURL(new RegExp(`/actions/new\\?source=${REPORT}%2F${SSH}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'New response action' })).toBeVisible();
  await expect(page.getByLabel(/^Name/)).toHaveValue(RULE);
  await expect(page.getByTestId('action-source')).toHaveValue(`finding:${REPORT}/${SSH}`);
  await expect(page.getByTestId('action-interval')).toHaveValue('1h');
  await expect(page.getByTestId('action-window')).toHaveValue('7d');
  await expect(page.getByTestId(`destination-${E2E_WEBHOOK.name}`).getByRole('checkbox')).toBeChecked();

  // The live preview runs the finding over today's data.
  const summary = page.getByTestId('preview-summary');
  await expect(summary).toHaveText(/^With today’s data this rule would send [1-9][\d,]* rows? to 1 destination\.$/, { timeout: 60_000 });
  await expect(page.getByTestId('preview-rows').getByRole('row').nth(1)).toBeVisible();
  await page.screenshot({ path: 'test-results/response-actions-editor.png', fullPage: true });

  // A draft survives a reload.
  await page.getByLabel(/^Description/).fill('Weak SSH sessions, hourly');
  await page.reload();
  await expect(page.getByLabel(/^Description/)).toHaveValue('Weak SSH sessions, hourly');
  await expect(page.getByTestId('draft-restored')).toBeVisible();

  // A cron expression only the server can judge: its 400 names the field, shown beside it.
  await page.getByRole('radio', { name: 'Cron (UTC)' }).check();
  await page.getByTestId('action-cron').fill('99 * * * *');
  await page.getByTestId('save-action').click();
  await expect(page.getByTestId('schedule-error')).toContainText('Cron "99 * * * *" is not valid');
  await expect(page.getByTestId('action-cron')).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('radio', { name: 'Every' }).check();

  await page.getByTestId('save-action').click();
  await expect(page).toHaveURL(new RegExp(`/actions/${RULE}$`));
  await expect(page.getByTestId('action-created')).toBeVisible();
  await expect(page.getByTestId('action-revision')).toHaveText('revision 1');
  await expect(page.getByTestId('firings-empty')).toBeVisible();

  // Test fire: the server answers once the firing ended; the history shows it first.
  await page.getByTestId('test-fire').click();
  await expect(page.getByTestId('test-fire-state')).toHaveAttribute('data-state', 'DELIVERED', { timeout: 90_000 });
  const firing = page.getByTestId('firing-row').and(page.locator('[data-trigger="test"]')).first();
  await expect(firing.getByTestId('firing-state')).toHaveText('Delivered');
  await expect(firing.getByTestId('firing-trigger')).toHaveText('Test');
  await expect(firing.getByTestId('firing-digest')).toHaveText(/^[0-9a-f]{10}…$/);
  await firing.getByTestId('firing-toggle').click();
  const details = page.getByTestId('firing-details');
  const delivery = details.getByTestId(`delivery-${E2E_WEBHOOK.name}`);
  await expect(delivery.getByTestId('delivery-state')).toHaveText('Delivered');
  await expect(delivery.getByTestId('delivery-attempt')).toHaveCount(1);
  await expect(delivery.getByTestId('attempt-status')).toHaveText('200');
  const firingId = (await details.getByTestId('firing-id').textContent())!;
  expect(firingId).not.toBe('');
  await page.screenshot({ path: 'test-results/response-actions-history.png', fullPage: true });

  // The receiver got exactly one POST for this firing, keyed by the firing's id.
  const forFiring = (await webhookRequests()).filter((r) => r.method === 'POST' && r.headers['idempotency-key'] === firingId);
  expect(forFiring).toHaveLength(1);
  expect(forFiring[0]!.path).toBe('/hook');

  // The list: schedule in words, last firing delivered.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Response actions' }).click();
  await expect(page).toHaveURL(/\/actions$/);
  const row = page.getByTestId('action-row').and(page.locator(`[data-action="${RULE}"]`));
  await expect(row.getByTestId('action-schedule')).toHaveText('every 1h');
  await expect(row.getByTestId('last-firing-state')).toHaveText('Delivered');
  await expect(page.getByTestId('new-action')).toBeVisible();
  await page.screenshot({ path: 'test-results/response-actions-list.png', fullPage: true });

  // On a phone, the list stacks: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row.getByTestId('action-schedule')).toBeVisible();
  expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
  await page.screenshot({ path: 'test-results/response-actions-list-390.png', fullPage: true });

  // An auditor sees the rule and its history, and none of the controls that change or fire it.
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const auditor = await context.newPage();
  await signIn(auditor, 'auditor', '/actions');
  await expect(auditor.getByTestId('action-row').and(auditor.locator(`[data-action="${RULE}"]`))).toBeVisible();
  await expect(auditor.getByTestId('new-action')).toHaveCount(0);
  await auditor.getByRole('link', { name: RULE }).click();
  await expect(auditor.getByTestId('firing-row').first()).toBeVisible();
  await expect(auditor.getByLabel(/^Description/)).toBeDisabled();
  await expect(auditor.getByTestId('test-fire')).toHaveCount(0);
  await expect(auditor.getByTestId('save-action')).toHaveCount(0);
  await expect(auditor.getByTestId('delete-action')).toHaveCount(0);
  await expect(auditor.getByTestId('action-preview')).toHaveCount(0);
  await auditor.goto(`/reports/${REPORT}`);
  await expect(auditor.getByTestId(`finding-${SSH}`).getByTestId('finding-recommendation')).toBeVisible();
  await expect(auditor.getByTestId(`finding-${SSH}`).getByRole('link', { name: /Alert me on new rows/ })).toHaveCount(0);
  await context.close();
});
