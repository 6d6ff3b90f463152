import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { DestinationDelivery } from '@access-monitor/contracts';
import { ActionsConfig, type DestinationConfig } from './actions-config';
import { deliver, type DeliverOptions, type DeliveryMessage } from './deliver';
import { startReceiver } from './loopback-receiver';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  cleanups.push(() => r.close());
  return r;
}

const SECRET = 'webhook-secret-0123456789';

const MESSAGE: DeliveryMessage = {
  firingId: 'f-2025-03-01T12:00Z',
  idempotencyKey: 'ssh-without-mfa:f-2025-03-01T12:00Z:soc-webhook',
  rule: { name: 'ssh-without-mfa', description: 'SSH sessions started without MFA', severity: 'high' },
  source: 'privilege_access_report/ssh_sessions_with_weak_security',
  window: { start: '2025-02-22T12:00:00.000Z', end: '2025-03-01T12:00:00.000Z' },
  totalNewRows: 3,
  columns: ['user', 'server', 'sessions'],
  rows: [
    { user: 'alice', server: 'db-1', sessions: 4 },
    { user: 'bob <script>&', server: 'web-2', sessions: 1 },
  ],
  link: 'https://am.example.com/actions/ssh-without-mfa/firings/f-2025-03-01T12:00Z',
  dedupKeys: ['ssh-without-mfa:["alice","db-1"]', 'ssh-without-mfa:["bob <script>&","web-2"]'],
};

/** Options with a recording sleep that returns at once: tests never wait real backoff time. */
function options(overrides: { delivery?: Record<string, unknown>; allowed_hosts?: string[]; allow_private_addresses?: boolean } = {}, extra: Partial<DeliverOptions> = {}) {
  const slept: number[] = [];
  const settings = ActionsConfig.parse({
    allowed_hosts: overrides.allowed_hosts ?? ['127.0.0.1'],
    allow_private_addresses: overrides.allow_private_addresses ?? true,
    delivery: { timeout: '5s', max_attempts: 5, initial_backoff: '1s', max_backoff: '60s', ...overrides.delivery },
  });
  const opts: DeliverOptions = {
    settings,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 1,
    ...extra,
  };
  return { opts, slept };
}

const webhook = (url: string): DestinationConfig => ({ type: 'webhook', url, secret: SECRET });

describe('webhook delivery', () => {
  it('retries a 500 and delivers on the next attempt with the same Idempotency-Key', async () => {
    const r = await receiver((_req, res, n) => res.writeHead(n === 0 ? 500 : 200).end(n === 0 ? 'try later' : ''));
    const { opts, slept } = options();
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(DestinationDelivery.parse(result)).toEqual(result);
    expect(result.state).toBe('DELIVERED');
    expect(result.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'HTTP 500: try later'],
      [200, undefined],
    ]);
    expect(r.requests).toHaveLength(2);
    expect(r.requests.map((q) => q.headers['idempotency-key'])).toEqual([MESSAGE.idempotencyKey, MESSAGE.idempotencyKey]);
    expect(slept).toEqual([1_000]);
  });

  it('signs the exact body bytes with HMAC-SHA256 of the destination secret', async () => {
    const r = await receiver((_req, res) => res.end());
    await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, { ...options().opts, recipients: ['#soc'] });

    const got = r.requests[0]!;
    expect(got.headers['x-access-monitor-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('access-monitor');
    expect(JSON.parse(got.body.toString('utf8'))).toEqual({
      rule: MESSAGE.rule,
      firing_id: MESSAGE.firingId,
      source: MESSAGE.source,
      window: MESSAGE.window,
      total_new_rows: 3,
      rows: MESSAGE.rows,
      columns: MESSAGE.columns,
      link: MESSAGE.link,
      recipients: ['#soc'],
    });
  });

  it('reads the secret from secret_file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'am-secret-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, 'secret'), 'rotated-secret-abcdefgh\n');
    const r = await receiver((_req, res) => res.end());
    const result = await deliver({ name: 'soc-webhook', config: { type: 'webhook', url: `${r.origin}/hook`, secret_file: path.join(dir, 'secret') } }, MESSAGE, options().opts);

    expect(result.state).toBe('DELIVERED');
    const got = r.requests[0]!;
    expect(got.headers['x-access-monitor-signature']).toBe(`sha256=${createHmac('sha256', 'rotated-secret-abcdefgh').update(got.body).digest('hex')}`);
  });

  it('does not retry a 404', async () => {
    const r = await receiver((_req, res) => res.writeHead(404).end('no such hook'));
    const { opts, slept } = options();
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ statusCode: 404, error: 'HTTP 404: no such hook' });
    expect(r.requests).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('waits as long as a 429 Retry-After asks, capped at max_backoff', async () => {
    const r = await receiver((_req, res, n) => res.writeHead(n < 2 ? 429 : 200, n === 0 ? { 'retry-after': '2' } : n === 1 ? { 'retry-after': '3600' } : {}).end());
    const { opts, slept } = options({ delivery: { max_backoff: '30s' } });
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(result.state).toBe('DELIVERED');
    expect(slept).toEqual([2_000, 30_000]);
  });

  it('backs off exponentially with full jitter up to max_backoff and stops at max_attempts', async () => {
    const r = await receiver((_req, res) => res.writeHead(503).end());
    const { opts, slept } = options({ delivery: { max_attempts: 5, initial_backoff: '1s', max_backoff: '3s' } });
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);
    expect(result.state).toBe('FAILED');
    expect(result.attempts).toHaveLength(5);
    expect(slept).toEqual([1_000, 2_000, 3_000, 3_000]);

    const jittered = options({ delivery: { max_attempts: 3, initial_backoff: '1s' } }, { random: () => 0.25 });
    await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, jittered.opts);
    expect(jittered.slept).toEqual([250, 500]);
  });

  it('cuts a hanging receiver at the timeout and retries', async () => {
    const r = await receiver((_req, res, n) => {
      if (n > 0) res.end(); // the first request never gets an answer
    });
    const { opts } = options({ delivery: { timeout: '1s' } });
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(result.state).toBe('DELIVERED');
    expect(result.attempts[0]).toEqual({ at: expect.any(String), durationMs: expect.any(Number), error: 'no complete answer within 1000 ms' });
    expect(result.attempts[1]!.statusCode).toBe(200);
  });

  it('does not follow a redirect to the cloud metadata address', async () => {
    const r = await receiver((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end());
    const { opts } = options();
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts).toEqual([{ at: expect.any(String), durationMs: expect.any(Number), statusCode: 302, error: 'redirect to http://169.254.169.254/latest/meta-data not followed' }]);
  });

  it('sends nothing to where a redirect points', async () => {
    const target = await receiver();
    const r = await receiver((_req, res) => res.writeHead(307, { location: `${target.origin}/latest/meta-data` }).end());
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, options().opts);

    expect(result.attempts.map((a) => a.error)).toEqual([`redirect to ${target.origin}/latest/meta-data not followed`]);
    expect(target.connections()).toBe(0);
  });

  it('refuses a host not in allowed_hosts without connecting and without retrying', async () => {
    const r = await receiver();
    const { opts, slept } = options({ allowed_hosts: ['hooks.slack.com'] });
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts.map((a) => a.error)).toEqual(['the host 127.0.0.1 is not in actions.allowed_hosts']);
    expect(r.connections()).toBe(0);
    expect(slept).toEqual([]);
  });

  it('refuses a loopback receiver when allow_private_addresses is false, even if its host is allowed', async () => {
    const r = await receiver();
    const result = await deliver({ name: 'soc-webhook', config: webhook(`http://localhost:${r.port}/hook`) }, MESSAGE, options({ allowed_hosts: ['localhost'], allow_private_addresses: false }).opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toMatch(/^localhost resolves to .+, a loopback address/);
    expect(r.connections()).toBe(0);
  });

  it('stops retrying once the signal aborts', async () => {
    const r = await receiver((_req, res) => res.writeHead(503).end());
    const controller = new AbortController();
    const { opts } = options({}, { signal: controller.signal, sleep: async () => controller.abort() });
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts).toHaveLength(1);
    expect(r.requests).toHaveLength(1);
  });

  it('keeps only the start of a huge error body in the attempt', async () => {
    const r = await receiver((_req, res) => res.writeHead(400).end('x'.repeat(200_000)));
    const result = await deliver({ name: 'soc-webhook', config: webhook(`${r.origin}/hook`) }, MESSAGE, options({ delivery: { max_response_bytes: '1KiB' } }).opts);

    expect(result.attempts[0]!.statusCode).toBe(400);
    expect(result.attempts[0]!.error!.length).toBeLessThan(320);
  });
});

describe('Slack delivery', () => {
  it('posts Block Kit with the rule, counts, escaped rows and a link', async () => {
    const r = await receiver((_req, res) => res.end('ok'));
    const result = await deliver({ name: 'security-slack', config: { type: 'slack', url: `${r.origin}/services/T000/B000/XXXX` } }, MESSAGE, options().opts);

    expect(result.state).toBe('DELIVERED');
    const body = JSON.parse(r.requests[0]!.body.toString('utf8'));
    expect(body.text).toBe('[access-monitor] ssh-without-mfa: 3 new rows (first 2 shown)');
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'ssh-without-mfa' } });
    expect(body.blocks[2].fields.map((f: { text: string }) => f.text)).toEqual([
      '*Severity*\nhigh',
      '*Source*\nprivilege_access_report/ssh_sessions_with_weak_security',
      `*Window*\n${MESSAGE.window.start} – ${MESSAGE.window.end}`,
      '*New rows*\n3 new rows (first 2 shown)',
    ]);
    expect(body.blocks[3].text.text).toBe('• *user*: alice  *server*: db-1  *sessions*: 4\n• *user*: bob &lt;script&gt;&amp;  *server*: web-2  *sessions*: 1');
    expect(body.blocks[4].elements[0].text).toBe(`<${MESSAGE.link}|Open in access-monitor> · firing ${MESSAGE.firingId}`);
  });

  it('fails without retrying when Slack answers something other than ok, and never records the hook path', async () => {
    const r = await receiver((req, res) => res.writeHead(404).end(`no_service for ${req.path}`));
    const { opts, slept } = options();
    const result = await deliver({ name: 'security-slack', config: { type: 'slack', url: `${r.origin}/services/T000/B000/XXXX` } }, MESSAGE, opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts.map((a) => a.error)).toEqual(['HTTP 404: no_service for [redacted]']);
    expect(slept).toEqual([]);
  });
});

describe('PagerDuty delivery', () => {
  const pager = (url: string): DestinationConfig => ({ type: 'pagerduty', url, routing_key: 'R0UTINGKEY0123456789' });

  it('triggers one event per row with its dedup_key, mapped severity and the row as details', async () => {
    const r = await receiver((_req, res) => res.writeHead(202).end('{"status":"success"}'));
    const result = await deliver({ name: 'pager', config: pager(`${r.origin}/v2/enqueue`) }, MESSAGE, options().opts);

    expect(result.state).toBe('DELIVERED');
    const events = r.requests.map((q) => JSON.parse(q.body.toString('utf8')));
    expect(events).toEqual(
      MESSAGE.rows.map((row, i) => ({
        routing_key: 'R0UTINGKEY0123456789',
        event_action: 'trigger',
        dedup_key: MESSAGE.dedupKeys[i],
        payload: { summary: expect.stringMatching(/^ssh-without-mfa: user=/), source: 'access-monitor', severity: 'error', custom_details: row },
        links: [{ href: MESSAGE.link, text: 'Open in access-monitor' }],
      })),
    );
    expect(events[0].payload.summary).toBe('ssh-without-mfa: user=alice, server=db-1, sessions=4');
  });

  it.each([
    ['critical', 'critical'],
    ['medium', 'warning'],
    ['low', 'info'],
    [undefined, 'info'],
  ])('maps rule severity %s to PagerDuty %s', async (severity, expected) => {
    const r = await receiver((_req, res) => res.writeHead(202).end());
    await deliver({ name: 'pager', config: pager(`${r.origin}/v2/enqueue`) }, { ...MESSAGE, rule: { ...MESSAGE.rule, severity } }, options().opts);
    expect(JSON.parse(r.requests[0]!.body.toString('utf8')).payload.severity).toBe(expected);
  });

  it('resends only the events PagerDuty has not accepted yet', async () => {
    const r = await receiver((_req, res, n) => res.writeHead(n === 1 ? 500 : 202).end());
    const result = await deliver({ name: 'pager', config: pager(`${r.origin}/v2/enqueue`) }, MESSAGE, options().opts);

    expect(result.state).toBe('DELIVERED');
    expect(result.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'event 2 of 2: HTTP 500'],
      [202, undefined],
    ]);
    expect(r.requests.map((q) => JSON.parse(q.body.toString('utf8')).dedup_key)).toEqual([MESSAGE.dedupKeys[0], MESSAGE.dedupKeys[1], MESSAGE.dedupKeys[1]]);
  });

  it('never records the routing key, even when the receiver echoes it', async () => {
    const r = await receiver((req, res) => res.writeHead(400).end(req.body));
    const result = await deliver({ name: 'pager', config: pager(`${r.origin}/v2/enqueue`) }, MESSAGE, options().opts);

    expect(result.state).toBe('FAILED');
    expect(JSON.stringify(result)).not.toContain('R0UTINGKEY0123456789');
    expect(result.attempts[0]!.error).toContain('"routing_key":"[redacted]"');
  });
});

describe('email delivery', () => {
  interface Received {
    from: string;
    to: string[];
    secure: boolean;
    raw: string;
  }

  /** A real SMTP server on loopback; smtp-server's built-in self-signed certificate serves STARTTLS. */
  async function smtpServer(extra: Partial<SMTPServerOptions> = {}) {
    const messages: Received[] = [];
    const server = new SMTPServer({
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((a) => a.address),
            secure: session.secure,
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
      ...extra,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { port: (server.server.address() as AddressInfo).port, messages };
  }

  function quotedPrintable(s: string): string {
    const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }

  const mail = (port: number, smtp: Record<string, unknown> = {}): DestinationConfig =>
    ({ type: 'email', smtp: { host: '127.0.0.1', port, secure: false, starttls: true, tls_reject_unauthorized: false, ...smtp }, from: 'am@example.com', to: ['soc@example.com'] }) as DestinationConfig;

  it('sends over STARTTLS with the subject, firing header, Message-ID and an escaped HTML table', async () => {
    const s = await smtpServer();
    const result = await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, options().opts);

    expect(result).toMatchObject({ state: 'DELIVERED', type: 'email', attempts: [{ statusCode: 250 }] });
    expect(s.messages).toHaveLength(1);
    const m = s.messages[0]!;
    expect(m).toMatchObject({ from: 'am@example.com', to: ['soc@example.com'], secure: true });
    expect(m.raw).toMatch(/^Subject: \[access-monitor\] ssh-without-mfa: 3 new rows$/m);
    expect(m.raw).toMatch(/^X-Access-Monitor-Firing: f-2025-03-01T12:00Z$/m);
    expect(m.raw).toMatch(/^Message-ID: <[0-9a-f]{40}@example\.com>$/m);
    const html = quotedPrintable(m.raw.slice(m.raw.indexOf('Content-Type: text/html')));
    expect(html).toContain('<td style="border:1px solid #ccc;padding:4px 8px;text-align:left">bob &lt;script&gt;&amp;</td>');
    expect(html).not.toContain('bob <script>');
  });

  it('uses the same Message-ID for the same idempotency key', async () => {
    const s = await smtpServer();
    await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, options().opts);
    await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, options().opts);
    const ids = s.messages.map((m) => /^Message-ID: (.+)$/m.exec(m.raw)?.[1]);
    expect(ids[0]).toBeDefined();
    expect(ids[1]).toBe(ids[0]);
  });

  it('sends to the rule’s recipients instead of the configured ones', async () => {
    const s = await smtpServer();
    await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, { ...options().opts, recipients: ['oncall@example.com', 'lead@example.com'] });
    expect(s.messages[0]!.to).toEqual(['oncall@example.com', 'lead@example.com']);
  });

  it('refuses a server that does not offer STARTTLS when starttls is required, sending nothing', async () => {
    const s = await smtpServer({ disabledCommands: ['STARTTLS'] });
    const { opts, slept } = options();
    const result = await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, opts);

    expect(result.state).toBe('FAILED');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toMatch(/^ETLS: /);
    expect(s.messages).toEqual([]);
    expect(slept).toEqual([]);
  });

  it('refuses a self-signed SMTP certificate when tls_reject_unauthorized is true', async () => {
    const s = await smtpServer();
    const result = await deliver({ name: 'mail', config: mail(s.port, { tls_reject_unauthorized: true }) }, MESSAGE, options({ delivery: { max_attempts: 2 } }).opts);
    expect(result.state).toBe('FAILED');
    expect(result.attempts.map((a) => a.error)).toEqual([expect.stringContaining('certificate'), expect.stringContaining('certificate')]);
    expect(s.messages).toEqual([]);
  });

  it('retries a temporary 451 and gives up on a permanent 550', async () => {
    let rcpt = 0;
    const s = await smtpServer({
      onRcptTo(address, _session, callback) {
        rcpt++;
        if (address.address.startsWith('gone')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        if (rcpt === 1) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        callback();
      },
    });
    const temporary = options();
    const retried = await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, temporary.opts);
    expect(retried.state).toBe('DELIVERED');
    expect(retried.attempts.map((a) => a.statusCode)).toEqual([451, 250]);
    expect(temporary.slept).toHaveLength(1);

    const permanent = options();
    const refused = await deliver({ name: 'mail', config: mail(s.port) }, MESSAGE, { ...permanent.opts, recipients: ['gone@example.com'] });
    expect(refused.state).toBe('FAILED');
    expect(refused.attempts.map((a) => a.statusCode)).toEqual([550]);
    expect(permanent.slept).toEqual([]);
  });
});
