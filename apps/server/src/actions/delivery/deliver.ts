import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as abortableDelay } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import type { DeliveryAttempt, DestinationDelivery } from '@access-monitor/contracts';
import type { ActionsConfig, DestinationConfig } from './actions-config';
import { EgressFailed, EgressRefused, egressPost, type EgressResponse } from './egress';

/** What a firing sends to each of its destinations. */
export interface DeliveryMessage {
  firingId: string;
  /** The same on every retry of this firing to this destination, so receivers can drop repeats. */
  idempotencyKey: string;
  rule: { name: string; description: string; severity?: string };
  source: string;
  window: { start: string; end: string };
  totalNewRows: number;
  columns: string[];
  /** Already cut to actions.max_rows_per_message. */
  rows: Record<string, unknown>[];
  link: string;
  /** One per row (rule + row key): PagerDuty groups repeats of a row into one incident by it. */
  dedupKeys: string[];
}

export interface NamedDestination {
  name: string;
  config: DestinationConfig;
}

export interface DeliverOptions {
  settings: Pick<ActionsConfig, 'allowed_hosts' | 'allow_private_addresses' | 'delivery'>;
  /** The rule's `notification.recipients`: email addresses, or passed along in the payload elsewhere. */
  recipients?: readonly string[];
  /** Stops retrying (and the attempt in flight) when the server shuts down. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

interface AttemptOutcome {
  delivered: boolean;
  statusCode?: number;
  error?: string;
  retry: boolean;
  retryAfterMs?: number;
}

type SendAttempt = () => Promise<AttemptOutcome>;

const USER_AGENT = 'access-monitor';

/**
 * Sends one firing's message to one destination, retrying transient failures with exponential
 * backoff and full jitter. Never throws: every attempt, and how the delivery ended, is in the result.
 */
export async function deliver(destination: NamedDestination, message: DeliveryMessage, opts: DeliverOptions): Promise<DestinationDelivery> {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? ((ms: number, signal?: AbortSignal) => abortableDelay(ms, undefined, { signal }));
  const { delivery } = opts.settings;
  const attempts: DeliveryAttempt[] = [];
  const secrets = secretsOf(destination.config);
  const ended = (state: DestinationDelivery['state']): DestinationDelivery => ({ destination: destination.name, type: destination.config.type, state, attempts });

  let send: SendAttempt;
  try {
    send = await prepareSend(destination, message, opts, secrets);
  } catch (e) {
    attempts.push({ at: new Date(now()).toISOString(), durationMs: 0, error: redact((e as Error).message, secrets) });
    return ended('FAILED');
  }

  for (let n = 1; n <= delivery.max_attempts && !opts.signal?.aborted; n++) {
    const started = now();
    const outcome = await send().catch((e: unknown) => outcomeOfEgressError(e));
    attempts.push({
      at: new Date(started).toISOString(),
      durationMs: Math.max(0, now() - started),
      ...(outcome.statusCode !== undefined && { statusCode: outcome.statusCode }),
      ...(outcome.error !== undefined && { error: redact(outcome.error, secrets) }),
    });
    if (outcome.delivered) return ended('DELIVERED');
    if (!outcome.retry || n === delivery.max_attempts) break;
    const backoff =
      outcome.retryAfterMs !== undefined
        ? Math.min(outcome.retryAfterMs, delivery.max_backoff)
        : Math.floor(random() * Math.min(delivery.max_backoff, delivery.initial_backoff * 2 ** (n - 1)));
    try {
      await sleep(backoff, opts.signal);
    } catch {
      break; // aborted while waiting
    }
  }
  return ended('FAILED');
}

async function prepareSend(destination: NamedDestination, message: DeliveryMessage, opts: DeliverOptions, secrets: string[]): Promise<SendAttempt> {
  const recipients = [...(opts.recipients ?? [])];
  const dest = destination.config;
  const post = (url: string, body: Buffer, headers: Record<string, string>) =>
    egressPost(
      {
        url,
        body,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
        timeoutMs: opts.settings.delivery.timeout,
        maxResponseBytes: opts.settings.delivery.max_response_bytes,
        signal: opts.signal,
        now: opts.now,
      },
      { allowedHosts: opts.settings.allowed_hosts, allowPrivateAddresses: opts.settings.allow_private_addresses },
    );

  switch (dest.type) {
    case 'webhook': {
      const secret = dest.secret ?? (await readSecretFile(destination.name, dest.secret_file!));
      secrets.push(secret); // a secret_file's secret is known only now
      const body = jsonBytes(webhookBody(message, recipients));
      const headers = {
        'idempotency-key': message.idempotencyKey,
        'x-access-monitor-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      };
      return async () => httpOutcome(await post(dest.url, body, headers), (r) => r.statusCode >= 200 && r.statusCode < 300);
    }
    case 'slack': {
      const body = jsonBytes(slackMessage(message, recipients));
      return async () => {
        const res = await post(dest.url, body, {});
        // Slack answers 200 "ok"; anything else in a 200 is an error it did not give a status for.
        if (res.statusCode === 200 && res.bodySnippet.trim() !== 'ok') return { delivered: false, statusCode: 200, retry: false, error: `Slack answered ${JSON.stringify(oneLine(res.bodySnippet))}` };
        return httpOutcome(res, (r) => r.statusCode === 200);
      };
    }
    case 'pagerduty': {
      const events = pagerDutyEvents(message, dest.routing_key, recipients).map(jsonBytes);
      let sent = 0; // events PagerDuty accepted stay accepted; a retry sends only the rest
      return async () => {
        while (sent < events.length) {
          const prefix = events.length > 1 ? `event ${sent + 1} of ${events.length}: ` : '';
          let outcome: AttemptOutcome;
          try {
            outcome = httpOutcome(await post(dest.url, events[sent]!, {}), (r) => r.statusCode === 202);
          } catch (e) {
            outcome = outcomeOfEgressError(e);
          }
          if (!outcome.delivered) return { ...outcome, error: prefix + outcome.error };
          sent++;
        }
        return { delivered: true, statusCode: 202, retry: false };
      };
    }
    case 'email':
      return sendEmail(dest, message, recipients.length > 0 ? recipients : dest.to, opts);
  }
}

async function readSecretFile(name: string, file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (e) {
    throw new Error(`cannot read actions.destinations.${name}.secret_file: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/** 2xx (as `ok` defines it) delivers; 5xx, 429 and 408 are worth another try; other answers are final. */
function httpOutcome(res: EgressResponse, ok: (res: EgressResponse) => boolean): AttemptOutcome {
  const statusCode = res.statusCode;
  if (ok(res)) return { delivered: true, statusCode, retry: false };
  if (statusCode >= 300 && statusCode < 400) {
    const location = res.headers.location;
    return { delivered: false, statusCode, retry: false, error: `redirect to ${location ? cut(oneLine(location), 300) : '(no Location)'} not followed` };
  }
  const retry = statusCode >= 500 || statusCode === 429 || statusCode === 408;
  const body = cut(oneLine(res.bodySnippet), 300);
  return { delivered: false, statusCode, retry, ...(retry && res.retryAfterMs !== undefined && { retryAfterMs: res.retryAfterMs }), error: `HTTP ${statusCode}${body ? `: ${body}` : ''}` };
}

function outcomeOfEgressError(e: unknown): AttemptOutcome {
  if (e instanceof EgressRefused) return { delivered: false, retry: false, error: e.message };
  if (e instanceof EgressFailed) return { delivered: false, retry: e.reason !== 'aborted', error: e.message };
  return { delivered: false, retry: false, error: e instanceof Error ? e.message : String(e) };
}

// ---- webhook ----

function webhookBody(m: DeliveryMessage, recipients: string[]) {
  return {
    rule: m.rule,
    firing_id: m.firingId,
    source: m.source,
    window: m.window,
    total_new_rows: m.totalNewRows,
    rows: m.rows,
    columns: m.columns,
    link: m.link,
    ...(recipients.length > 0 && { recipients }),
  };
}

// ---- Slack (incoming webhook, Block Kit) ----

/** Slack's mrkdwn control characters; anything else in a value is shown as written. */
function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_SECTION_LIMIT = 3000;

function slackMessage(m: DeliveryMessage, recipients: string[]) {
  const summary = `${m.rule.name}: ${rowCount(m)}`;
  const lines: string[] = [];
  let length = 0;
  for (const [i, row] of m.rows.entries()) {
    const line = `• ${m.columns.map((c) => `*${slackEscape(c)}*: ${slackEscape(cut(displayValue(row[c]), 150))}`).join('  ')}`;
    const more = `_…and ${m.rows.length - i} more in access-monitor_`;
    if (length + line.length + more.length + 2 > SLACK_SECTION_LIMIT) {
      lines.push(more);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return {
    text: slackEscape(`[access-monitor] ${summary}`),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(m.rule.name, 150) } },
      ...(m.rule.description ? [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(cut(m.rule.description, SLACK_SECTION_LIMIT)) } }] : []),
      {
        type: 'section',
        fields: [
          `*Severity*\n${slackEscape(m.rule.severity ?? 'unspecified')}`,
          `*Source*\n${slackEscape(m.source)}`,
          `*Window*\n${slackEscape(m.window.start)} – ${slackEscape(m.window.end)}`,
          `*New rows*\n${slackEscape(rowCount(m))}`,
        ].map((text) => ({ type: 'mrkdwn', text })),
      },
      ...(lines.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${slackEscape(m.link)}|Open in access-monitor> · firing ${slackEscape(m.firingId)}` }] },
    ],
    ...(recipients.length > 0 && { recipients }),
  };
}

// ---- PagerDuty Events API v2 ----

const PAGERDUTY_SEVERITY: Record<string, 'critical' | 'error' | 'warning' | 'info'> = { critical: 'critical', high: 'error', medium: 'warning' };

function pagerDutyEvents(m: DeliveryMessage, routingKey: string, recipients: string[]) {
  const severity = PAGERDUTY_SEVERITY[(m.rule.severity ?? '').toLowerCase()] ?? 'info';
  const event = (dedupKey: string, summary: string, details: Record<string, unknown>) => ({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey.length <= 255 ? dedupKey : `${m.rule.name}:${createHash('sha256').update(dedupKey).digest('hex')}`, // PagerDuty's limit
    payload: { summary: cut(summary, 1024), source: 'access-monitor', severity, custom_details: details },
    links: [{ href: m.link, text: 'Open in access-monitor' }],
    ...(recipients.length > 0 && { recipients }),
  });
  // A row-less firing (a row-count condition) still pages once.
  if (m.rows.length === 0) return [event(m.idempotencyKey, `${m.rule.name}: ${rowCount(m)}`, { total_new_rows: m.totalNewRows, source: m.source, window: m.window })];
  return m.rows.map((row, i) =>
    event(
      m.dedupKeys[i] ?? `${m.idempotencyKey}:${i}`,
      `${m.rule.name}: ${m.columns
        .slice(0, 4)
        .map((c) => `${c}=${cut(displayValue(row[c]), 80)}`)
        .join(', ')}`,
      row,
    ),
  );
}

// ---- email ----

/** SMTP failures the same message can get past later; 5yz replies are final (RFC 5321). */
const SMTP_TRANSIENT_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS']);

function sendEmail(dest: Extract<DestinationConfig, { type: 'email' }>, m: DeliveryMessage, to: readonly string[], opts: DeliverOptions): SendAttempt {
  const { smtp } = dest;
  const timeout = opts.settings.delivery.timeout;
  const domain = dest.from.split('@').pop() ?? 'access-monitor';
  const content = emailContent(m);
  return async () => {
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.starttls && !smtp.secure,
      ...(smtp.user !== undefined && { auth: { user: smtp.user, pass: smtp.password } }),
      tls: { rejectUnauthorized: smtp.tls_reject_unauthorized, minVersion: 'TLSv1.2' },
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({
        from: dest.from,
        to: [...to],
        subject: `[access-monitor] ${m.rule.name}: ${m.totalNewRows} new rows`,
        text: content.text,
        html: content.html,
        messageId: `<${createHash('sha256').update(m.idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`,
        headers: { 'X-Access-Monitor-Firing': m.firingId },
        ...(opts.signal && { signal: opts.signal }),
      });
      return { delivered: true, statusCode: Number(/^\d{3}/.exec(info.response)?.[0] ?? 250), retry: false };
    } catch (e) {
      const err = e as Error & { code?: string; responseCode?: number };
      const transient = err.responseCode !== undefined ? err.responseCode >= 400 && err.responseCode < 500 : SMTP_TRANSIENT_CODES.has(err.code ?? '');
      return {
        delivered: false,
        retry: transient && err.code !== 'ETLS' && err.code !== 'EAUTH',
        ...(err.responseCode !== undefined && { statusCode: err.responseCode }),
        error: `${err.code ? `${err.code}: ` : ''}${err.message}`,
      };
    } finally {
      transport.close();
    }
  };
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function emailContent(m: DeliveryMessage): { text: string; html: string } {
  const intro = `Response action ${m.rule.name} found ${rowCount(m)} in ${m.source} (window ${m.window.start} – ${m.window.end}).`;
  const severity = m.rule.severity ? `Severity: ${m.rule.severity}` : '';
  const text = [
    intro,
    m.rule.description,
    severity,
    '',
    ...m.rows.map((row) => m.columns.map((c) => `${c}: ${cut(displayValue(row[c]), 300)}`).join(' | ')),
    '',
    `Open in access-monitor: ${m.link}`,
    `Firing ${m.firingId}`,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  const cell = (tag: 'th' | 'td', v: string) => `<${tag} style="border:1px solid #ccc;padding:4px 8px;text-align:left">${htmlEscape(v)}</${tag}>`;
  const html = [
    `<p>${htmlEscape(intro)}</p>`,
    m.rule.description ? `<p>${htmlEscape(m.rule.description)}</p>` : '',
    severity ? `<p>${htmlEscape(severity)}</p>` : '',
    m.rows.length > 0
      ? `<table style="border-collapse:collapse"><thead><tr>${m.columns.map((c) => cell('th', c)).join('')}</tr></thead><tbody>${m.rows
          .map((row) => `<tr>${m.columns.map((c) => cell('td', cut(displayValue(row[c]), 300))).join('')}</tr>`)
          .join('')}</tbody></table>`
      : '',
    `<p><a href="${htmlEscape(m.link)}">Open in access-monitor</a> · firing ${htmlEscape(m.firingId)}</p>`,
  ].join('\n');
  return { text, html };
}

// ---- shared formatting ----

function rowCount(m: DeliveryMessage): string {
  const n = `${m.totalNewRows} new row${m.totalNewRows === 1 ? '' : 's'}`;
  return m.rows.length < m.totalNewRows ? `${n} (first ${m.rows.length} shown)` : n;
}

function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, bigintAsString);
  return String(v);
}

function bigintAsString(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, bigintAsString), 'utf8');
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Secrets a receiver could echo back into an error we record. */
function secretsOf(dest: DestinationConfig): string[] {
  switch (dest.type) {
    case 'webhook':
      return dest.secret ? [dest.secret] : [];
    case 'slack': {
      const path = new URL(dest.url).pathname;
      return [dest.url, ...(path.length > 1 ? [path] : [])];
    }
    case 'pagerduty':
      return [dest.routing_key];
    case 'email':
      return dest.smtp.password ? [dest.smtp.password] : [];
  }
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('[redacted]'), text);
}
