import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_TELEPORT, type E2E_USERS } from '../global-setup';
import { signIn } from './sign-in';
import { ensureReady } from './report-state';

const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security';

// The copy-link button writes to the clipboard; the test reads it back.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });


const count = async (locator: Locator): Promise<number> => Number((await locator.textContent())!.replaceAll(',', ''));

/** Opens a shared link in a fresh browser as `user`: the link leads to sign-in, and sign-in back to the link. */
async function openLinkAs(browser: Browser, user: keyof typeof E2E_USERS, url: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const page = await context.newPage();
  await page.goto(url);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(E2E_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('user-menu')).toContainText(user);
  await expect(page).toHaveURL(url);
  return page;
}

async function copyLink(page: Page): Promise<string> {
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link-status')).toHaveText('Copied');
  // A string expression: the e2e tsconfig has no DOM types.
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(copied).toBe(page.url());
  return copied;
}

test('an auditor runs the Privileged Access Report, drills into a user timeline and shares it; another auditor sees the same, a user without a role is refused', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'auditor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Security reports' }).click();
  await expect(page).toHaveURL(/\/reports$/);
  const entry = page.getByTestId(`report-${REPORT}`);
  await expect(entry).toContainText('Identify sessions using weak security measures');
  await expect(entry.getByTestId('window-7').getByTestId('report-state')).toBeVisible();
  await entry.getByRole('link', { name: 'Privileged Access Report', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privileged Access Report' })).toBeVisible();

  // 7 days (the default window), then 30.
  await ensureReady(page);
  const ssh = page.getByTestId(`finding-${SSH}`);
  await expect(ssh.getByTestId('finding-row-count')).toHaveText(/^\d[\d,]*$/);
  const week = await count(ssh.getByTestId('finding-row-count'));
  await expect(page.getByTestId('severity-summary')).toContainText('High');

  await page.getByRole('radio', { name: '30 days' }).check();
  await expect(page).toHaveURL(/[?&]days=30\b/);
  await ensureReady(page);
  await expect(ssh.getByTestId('finding-row-count')).toHaveText(/^\d[\d,]*$/);
  const month = await count(ssh.getByTestId('finding-row-count'));
  expect(month).toBeGreaterThan(0);
  expect(month).toBeGreaterThanOrEqual(week);

  await page.screenshot({ path: 'test-results/report-page.png' });

  // The rows of the SSH finding, open in the URL.
  await ssh.getByTestId('toggle-rows').click();
  await expect(page).toHaveURL(new RegExp(`[?&]rows=${SSH}\\b`));
  const table = ssh.getByTestId('finding-table');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await expect(ssh.getByTestId('finding-rows-range')).toContainText(`of ${month.toLocaleString('en-US')}`);
  const shownRows = await table.locator('tbody tr').allTextContents();
  const reportLink = await copyLink(page);

  // The run permalink, before leaving the report.
  const permalink = await page.getByTestId('run-permalink').getAttribute('href');
  expect(permalink).toMatch(/^\/runs\/.+/);

  // Drill from the first row into that user's timeline over the same window.
  const userLink = table.getByTestId('drill-user').first();
  const user = (await userLink.textContent())!;
  await userLink.click();
  await expect(page).toHaveURL(new RegExp(`/timeline\\?user=${encodeURIComponent(user)}&days=30&end=\\d{4}-\\d{2}-\\d{2}`));
  await expect(page.getByRole('heading', { level: 1, name: `Timeline of user ${user}` })).toBeVisible();
  const events = page.getByTestId('timeline-event');
  await expect(events.first()).toBeVisible();
  const users = await page.getByTestId('timeline-user').allTextContents();
  expect(users.length).toBeGreaterThan(0);
  expect(new Set(users)).toEqual(new Set([user]));
  await expect(page.getByTestId('timeline-events')).toContainText('session.start');
  const timelineCount = (await page.getByTestId('timeline-count').textContent())!;
  const summaries = await page.getByTestId('timeline-summary').allTextContents();
  await events.first().getByText('Event JSON').click();
  await expect(events.first().locator('pre')).toContainText(`"user": "${user}"`);
  await page.screenshot({ path: 'test-results/timeline.png' });
  const timelineLink = await copyLink(page);

  // Another auditor opens both links and sees the same rows and events, with their own session.
  const second = await openLinkAs(browser, 'second-auditor', timelineLink);
  await expect(second.getByTestId('timeline-count')).toHaveText(timelineCount);
  await expect(second.getByTestId('timeline-summary')).toHaveText(summaries);
  await second.goto(reportLink);
  const secondSsh = second.getByTestId(`finding-${SSH}`);
  await expect(secondSsh.getByTestId('finding-row-count')).toHaveText(month.toLocaleString('en-US'));
  await expect(secondSsh.getByTestId('finding-table').locator('tbody tr')).toHaveText(shownRows);

  // The run permalink shows exactly that run to them too.
  await second.goto(permalink!);
  await expect(second.getByTestId('run-id')).toHaveText(permalink!.replace('/runs/', ''));
  await expect(second.getByTestId(`finding-${SSH}`).getByTestId('finding-row-count')).toHaveText(month.toLocaleString('en-US'));
  await expect(second.getByTestId('evidence-zip')).toHaveAttribute('href', `/api/v1${permalink}/evidence.zip`);
  const evidence = await second.request.get(`/api/v1${permalink}/evidence.zip`);
  expect(evidence.status()).toBe(200);
  expect(evidence.headers()['content-type']).toMatch(/zip/);

  // A link carries no authority: a user without an Access Monitoring role is told which role to ask for.
  const visitor = await openLinkAs(browser, 'visitor', timelineLink);
  await expect(visitor.getByTestId('forbidden-panel')).toContainText('You need the auditor role');
  await expect(visitor.getByTestId('timeline-event')).toHaveCount(0);
  await visitor.goto(reportLink);
  await expect(visitor.getByTestId('forbidden-panel')).toContainText('You need the auditor role');
  expect((await visitor.request.get(`/api/v1/reports/${REPORT}`)).status()).toBe(403);
});

test("a finding opens on its own page, and a session id leads to that session's events", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'auditor', `/reports/${REPORT}?days=7`);
  await ensureReady(page);
  const ssh = page.getByTestId(`finding-${SSH}`);
  await expect(ssh.getByTestId('finding-row-count')).toHaveText(/^\d[\d,]*$/);
  const rows = (await ssh.getByTestId('finding-row-count').textContent())!;
  await ssh.getByRole('link', { name: /^Open finding/ }).click();
  await expect(page).toHaveURL(new RegExp(`/reports/${REPORT}/findings/${SSH}\\?days=7$`));
  await expect(page.getByRole('heading', { level: 1, name: 'SSH sessions with weak security' })).toBeVisible();
  await expect(page.getByTestId('finding-rows-range')).toContainText(`of ${rows}`);

  const sessionLink = page.getByTestId('finding-table').getByTestId('drill-session').first();
  const session = (await sessionLink.textContent())!;
  // With teleport.proxy_url set, the row also offers the recording in Teleport's player, in a new tab.
  const play = sessionLink.locator('xpath=..').getByTestId('play-in-teleport');
  await expect(play).toHaveAttribute('href', `${E2E_TELEPORT.proxyUrl}/web/cluster/${E2E_TELEPORT.cluster}/session/${encodeURIComponent(session)}`);
  await expect(play).toHaveAttribute('target', '_blank');
  await expect(play).toHaveAttribute('rel', 'noopener');
  await sessionLink.click();
  await expect(page.getByRole('heading', { level: 1, name: `Timeline of session ${session}` })).toBeVisible();
  await expect(page.getByTestId('timeline-event').first()).toBeVisible();
  expect(new Set(await page.getByTestId('timeline-session').allTextContents())).toEqual(new Set([session]));
  await expect(page.getByTestId('timeline-events')).toContainText('session.start');
  await expect(page.getByTestId('timeline-events').getByTestId('play-in-teleport').first()).toHaveAttribute('href', new RegExp(`/session/${encodeURIComponent(session)}$`));
});
