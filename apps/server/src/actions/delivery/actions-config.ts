import { z } from 'zod';
import type { DestinationInfo } from '@access-monitor/contracts';
import { parseBytes, parseDuration } from '../../config/units';
import { hostAllowed, normalizeHost } from './egress';

const Bytes = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = parseBytes(v);
  if (n === null) ctx.addIssue({ code: 'custom', message: `expected a size such as 64KiB or 1MB, got ${JSON.stringify(v)}` });
  return n ?? 0;
});
const Duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = parseDuration(v);
  if (n === null) ctx.addIssue({ code: 'custom', message: `expected a duration such as 10s, 1m or 500ms, got ${JSON.stringify(v)}` });
  return n ?? 0;
});

export const DESTINATION_NAME_RULE = 'a destination name is 1–63 characters of a-z, 0-9, - and _, starting with a letter or digit';
const DestinationName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, DESTINATION_NAME_RULE);

const HttpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** `hooks.slack.com`, `*.pagerduty.com`, `127.0.0.1` or `[::1]`: a host name, a leading-wildcard domain or an IP literal. */
const AllowedHost = z
  .string()
  .min(1)
  .refine((h) => normalizeHost(h.replace(/^\*\./, '')) !== null, 'expected a host name such as hooks.slack.com, a wildcard such as *.pagerduty.com, or an IP address');

const Webhook = z
  .object({
    type: z.literal('webhook'),
    url: HttpUrl,
    /** HMAC-SHA256 key of the X-Access-Monitor-Signature header. */
    secret: z.string().min(16, 'a webhook secret must be at least 16 characters').optional(),
    /** A file holding the secret, read at each delivery so it can be rotated without a restart. */
    secret_file: z.string().min(1).optional(),
  })
  .strict()
  .refine((d) => (d.secret === undefined) !== (d.secret_file === undefined), { message: 'a webhook needs exactly one of secret or secret_file', path: ['secret'] });

const Slack = z.object({ type: z.literal('slack'), url: HttpUrl }).strict();

const PagerDuty = z
  .object({
    type: z.literal('pagerduty'),
    url: HttpUrl.default('https://events.pagerduty.com/v2/enqueue'),
    routing_key: z.string().min(1),
  })
  .strict();

const EmailAddress = z.email({ error: 'expected an email address such as soc@example.com' });

const Email = z
  .object({
    type: z.literal('email'),
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        /** Implicit TLS from the first byte (port 465). */
        secure: z.boolean().default(false),
        /** Require STARTTLS: a server that does not offer it gets nothing, not a plaintext message. */
        starttls: z.boolean().default(true),
        user: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        tls_reject_unauthorized: z.boolean().default(true),
      })
      .strict()
      .refine((s) => (s.user === undefined) === (s.password === undefined), { message: 'smtp.user and smtp.password go together', path: ['password'] }),
    from: EmailAddress,
    /** Recipients when a rule's notification names none. */
    to: z.array(EmailAddress).min(1),
  })
  .strict();

export const DestinationConfig = z.discriminatedUnion('type', [Webhook, Slack, PagerDuty, Email]);
export type DestinationConfig = z.infer<typeof DestinationConfig>;
export type HttpDestinationConfig = Exclude<DestinationConfig, { type: 'email' }>;

export const DeliveryConfig = z
  .object({
    /** Per attempt, from connect to the last byte read. */
    timeout: Duration.default(10_000),
    max_attempts: z.number().int().min(1).max(20).default(5),
    initial_backoff: Duration.default(1_000),
    max_backoff: Duration.default(60_000),
    max_response_bytes: Bytes.default(64 * 1024),
  })
  .strict();
export type DeliveryConfig = z.infer<typeof DeliveryConfig>;

export const TctlConfig = z
  .object({
    path: z.string().min(1).optional(),
    identity_file: z.string().min(1).optional(),
    /** Auth Service or Proxy address; tctl needs it with an identity file. */
    auth_server: z.string().min(1).optional(),
  })
  .strict();
export type TctlConfig = z.infer<typeof TctlConfig>;

/** The `actions:` block: where response actions may send findings, and how. */
export const ActionsConfig = z
  .object({
    /** Hosts destination URLs may name: exact, or `*.example.com` for its subdomains. */
    allowed_hosts: z.array(AllowedHost).default([]),
    /** Lets destinations resolve to loopback, private, link-local and CGNAT addresses (tests, on-prem receivers). */
    allow_private_addresses: z.boolean().default(false),
    delivery: DeliveryConfig.prefault({}),
    max_rows_per_message: z.number().int().min(1).max(100).default(20),
    destinations: z.record(DestinationName, DestinationConfig).default({}),
    tctl: TctlConfig.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    for (const [name, dest] of Object.entries(a.destinations)) {
      if (dest.type === 'email' || !URL.canParse(dest.url)) continue;
      const host = new URL(dest.url).hostname;
      if (!hostAllowed(host, a.allowed_hosts))
        ctx.addIssue({ code: 'custom', path: ['destinations', name, 'url'], message: `the host ${host} is not in actions.allowed_hosts` });
    }
    if (a.delivery.initial_backoff > a.delivery.max_backoff)
      ctx.addIssue({ code: 'custom', path: ['delivery', 'initial_backoff'], message: 'initial_backoff must not exceed max_backoff' });
  });
export type ActionsConfig = z.infer<typeof ActionsConfig>;

/** What the API may show of a destination: its URL, keys and passwords stay in the config. */
export function destinationInfo(name: string, dest: DestinationConfig): DestinationInfo {
  return { name, type: dest.type };
}
