import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { setSql } from './sql-editor';
import { ensureReady } from './report-state';

const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security';

// A viewer in New York looking at UTC-day windows: every time must say which zone it is in.
test.use({ timezoneId: 'America/New_York', locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });


const UTC_TIME = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC$/;
const NEW_YORK_TIME = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M E[SD]T$/;

test('times carry their zone, UTC by default and New York once chosen; a finding row drills to its event, marked, in the timeline', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'auditor', `/reports/${REPORT}?days=30`);
  await expect(page.getByRole('heading', { level: 1, name: 'Privileged Access Report' })).toBeVisible();
  await ensureReady(page);

  const ssh = page.getByTestId(`finding-${SSH}`);
  await ssh.getByTestId('toggle-rows').click();
  const rows = ssh.getByTestId('finding-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();

  // Finding rows: UTC with its name, New York on hover.
  const row = rows.last();
  const rowTime = row.locator('time').first();
  await expect(rowTime).toHaveText(UTC_TIME);
  await expect(rowTime).toHaveAttribute('title', NEW_YORK_TIME);
  const instant = (await rowTime.getAttribute('datetime'))!;

  // Drill from that row: the user's timeline opens on the page holding that event, marked and in view.
  const userLink = row.getByTestId('drill-user');
  const user = (await userLink.textContent())!;
  await userLink.click();
  await expect(page).toHaveURL(new RegExp(`/timeline\\?user=${encodeURIComponent(user)}&days=30&end=\\d{4}-\\d{2}-\\d{2}&at=`));
  await expect(page.getByRole('heading', { level: 1, name: `Timeline of user ${user}` })).toBeVisible();
  const target = page.locator('[data-testid="timeline-event"][aria-current="true"]');
  await expect(target).toHaveCount(1);
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  await expect(target).toContainText('Linked event');
  await expect(target.locator('time')).toHaveAttribute('datetime', instant);
  await expect(target.locator('time')).toHaveText(UTC_TIME);
  await expect(page.getByTestId('timeline-events')).toContainText('session.start');

  // Local time, chosen once in the user menu, is used everywhere and remembered.
  const local = page.getByRole('radio', { name: /^Local time \(America\/New_York\)$/ });
  await local.focus();
  await page.keyboard.press('Space');
  await expect(local).toBeChecked();
  await expect(target.locator('time')).toHaveText(NEW_YORK_TIME);
  await expect(target.locator('time')).toHaveAttribute('title', UTC_TIME);
  await page.reload();
  await expect(page.getByRole('radio', { name: /^Local time/ })).toBeChecked();
  await expect(page.locator('[data-testid="timeline-event"][aria-current="true"] time')).toHaveText(NEW_YORK_TIME);
  await page.getByRole('radio', { name: 'UTC' }).check();
  await expect(page.locator('[data-testid="timeline-event"][aria-current="true"] time')).toHaveText(UTC_TIME);
});

test('the timeline jumps to a day, filters by event type, turns newest first and pages by cursor, all in the URL', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'auditor', `/reports/${REPORT}?days=30`);
  await ensureReady(page);
  const ssh = page.getByTestId(`finding-${SSH}`);
  await ssh.getByTestId('toggle-rows').click();
  const userLink = ssh.getByTestId('finding-table').getByTestId('drill-user').first();
  const user = (await userLink.textContent())!;
  await page.goto(`/timeline?${new URLSearchParams({ user, days: '30' })}`);
  const events = page.getByTestId('timeline-event');
  await expect(events.first()).toBeVisible();
  const end = (await page.getByTestId('timeline-jump-day').getAttribute('max'))!;

  // Jump to the last day of the window: its first event is marked (or, without events that day, the last page shows).
  await page.getByTestId('timeline-jump-day').fill(end);
  await page.getByTestId('timeline-jump').click();
  await expect(page).toHaveURL(new RegExp(`[?&]at=${end}(&|$)`));
  await expect(page.locator('[data-testid="timeline-event"][aria-current="true"], [data-testid="timeline-target-missing"]')).toHaveCount(1);

  // One event type only.
  await page.getByTestId('timeline-types').selectOption('session.start');
  await expect(page).toHaveURL(/[?&]types=session\.start(&|$)/);
  await expect(page.getByTestId('timeline-count')).toContainText('of session.start');
  const types = await events.evaluateAll((items) => items.map((i) => i.getAttribute('data-event-type')));
  expect(new Set(types)).toEqual(new Set(['session.start']));

  await page.getByTestId('timeline-types').selectOption('');
  await expect(page).not.toHaveURL(/[?&]types=/);

  // Newest first, from the start (a busy user: more than one page).
  await page.goto(`/timeline?${new URLSearchParams({ user, days: '30' })}`);
  await expect(page.getByTestId('timeline-count')).toHaveText(/^(\d{1,3}(,\d{3})+|[1-9]\d{2,}) events/);
  // The box follows the URL, so it shows checked once the page has moved there.
  await page.getByLabel('Newest first').click();
  await expect(page).toHaveURL(/[?&]order=newest(&|$)/);
  await expect(page.getByLabel('Newest first')).toBeChecked();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(/, newest first$/)).toBeVisible();
  await expect(page.getByTestId('timeline')).toHaveAttribute('aria-busy', 'false');
  const times = await page.getByTestId('timeline-event').locator('time').evaluateAll((items) => items.map((i) => i.getAttribute('datetime') ?? ''));
  expect(times).toEqual([...times].sort().reverse());

  // The next page by cursor: older events, counted on from the first page.
  await expect(page.getByTestId('timeline-range')).toHaveText(/^Events 1–100 of /);
  await page.getByRole('navigation', { name: 'Timeline pages' }).getByRole('button', { name: 'Earlier' }).click();
  await expect(page).toHaveURL(/[?&]cursor=[\w-]+/);
  await expect(page.getByTestId('timeline-range')).toHaveText(/^Events 101–/);
  const older = await page.getByTestId('timeline-event').first().locator('time').getAttribute('datetime');
  expect(older! <= times.at(-1)!).toBe(true);
});

test('a result timestamp shows its zone and copies as ISO 8601 with Z, whichever zone it is shown in', async ({ page }) => {
  await signIn(page, 'auditor', '/queries/new?days=7');
  await setSql(page, 'SELECT event_time, event_type FROM audit_events ORDER BY event_time DESC LIMIT 5');
  await page.getByTestId('run-query').click();
  await expect(page.getByTestId('execution-state')).toHaveText(/succeeded/i);
  const cell = page.getByTestId('results-table').getByRole('gridcell').first();
  await expect(cell.locator('time')).toHaveText(UTC_TIME);
  const instant = (await cell.locator('time').getAttribute('datetime'))!;

  await page.getByRole('radio', { name: /^Local time/ }).check();
  await expect(cell.locator('time')).toHaveText(NEW_YORK_TIME);
  await cell.click();
  await page.getByTestId('grid-copy-cell').click();
  await expect(page.getByTestId('grid-copied')).toHaveText('Copied the value of event_time');
  // A string expression: the e2e tsconfig has no DOM types.
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(copied).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  expect(new Date(copied).toISOString()).toBe(instant);
});
