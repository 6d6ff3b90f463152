import { describe, expect, it } from 'vitest';
import { DestinationInfo } from '@access-monitor/contracts';
import { ActionsConfig, destinationInfo } from './actions-config';

const messages = (input: unknown) => {
  const result = ActionsConfig.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('ActionsConfig', () => {
  it('parses an absent block into safe defaults', () => {
    expect(ActionsConfig.parse({})).toEqual({
      allowed_hosts: [],
      allow_private_addresses: false,
      delivery: { timeout: 10_000, max_attempts: 5, initial_backoff: 1_000, max_backoff: 60_000, max_response_bytes: 65_536 },
      max_rows_per_message: 20,
      destinations: {},
    });
  });

  it('parses every destination type with durations, sizes and defaults', () => {
    const config = ActionsConfig.parse({
      allowed_hosts: ['hooks.slack.com', '*.pagerduty.com', 'siem.example.com'],
      delivery: { timeout: '5s', max_response_bytes: '16KiB' },
      destinations: {
        'soc-webhook': { type: 'webhook', url: 'https://siem.example.com/hooks/am', secret: 'a-long-enough-hmac-secret' },
        'security-slack': { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
        pager: { type: 'pagerduty', routing_key: 'R0UTING' },
        mail: { type: 'email', smtp: { host: 'smtp.example.com', user: 'am', password: 'pw' }, from: 'am@example.com', to: ['soc@example.com'] },
      },
      tctl: { path: '/usr/local/bin/tctl', identity_file: '/etc/access-monitor/tctl-identity', auth_server: 'teleport.example.com:443' },
    });
    expect(config.delivery).toEqual({ timeout: 5_000, max_attempts: 5, initial_backoff: 1_000, max_backoff: 60_000, max_response_bytes: 16_384 });
    expect(config.destinations.pager).toEqual({ type: 'pagerduty', url: 'https://events.pagerduty.com/v2/enqueue', routing_key: 'R0UTING' });
    expect(config.destinations.mail).toMatchObject({ smtp: { port: 587, secure: false, starttls: true, tls_reject_unauthorized: true } });
  });

  it('rejects a destination whose host is not in allowed_hosts, naming the key but not the URL path', () => {
    expect(messages({ allowed_hosts: ['hooks.slack.com'], destinations: { pager: { type: 'pagerduty', routing_key: 'k' } } })).toEqual([
      'destinations.pager.url: the host events.pagerduty.com is not in actions.allowed_hosts',
    ]);
    expect(messages({ allowed_hosts: ['hooks.slack.com'], destinations: { s: { type: 'slack', url: 'https://hooks.slack.com.evil.example/services/T/B/SECRET' } } }).join()).not.toContain('SECRET');
  });

  it('rejects destination names that are not a-z, 0-9, - and _', () => {
    expect(messages({ allowed_hosts: ['hooks.slack.com'], destinations: { 'Bad Name': { type: 'slack', url: 'https://hooks.slack.com/services/x' } } })).toHaveLength(1);
  });

  it('rejects allowed_hosts entries that carry a path, port or credentials', () => {
    expect(messages({ allowed_hosts: ['hooks.slack.com/services', 'a.example.com:443', 'user@b.example.com'] })).toHaveLength(3);
  });

  it('needs exactly one of secret and secret_file for a webhook', () => {
    const hook = (extra: object) => ({ allowed_hosts: ['siem.example.com'], destinations: { w: { type: 'webhook', url: 'https://siem.example.com/h', ...extra } } });
    expect(messages(hook({}))).toEqual(['destinations.w.secret: a webhook needs exactly one of secret or secret_file']);
    expect(messages(hook({ secret: 'a-long-enough-hmac-secret', secret_file: '/etc/secret' }))).toHaveLength(1);
    expect(messages(hook({ secret_file: '/etc/access-monitor/webhook-secret' }))).toEqual([]);
  });

  it('reports a malformed destination URL as such', () => {
    expect(messages({ destinations: { s: { type: 'slack', url: 'not a url' } } })).toEqual(['destinations.s.url: expected an http(s) URL']);
  });

  it('rejects unknown keys so typos do not pass silently', () => {
    expect(messages({ delivery: { timout: '5s' } })).toHaveLength(1);
  });
});

describe('destinationInfo', () => {
  it('shows a destination’s name and type, never its URL, key or password', () => {
    const config = ActionsConfig.parse({
      allowed_hosts: ['hooks.slack.com', 'events.pagerduty.com'],
      destinations: {
        slack: { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/SLACKSECRET' },
        pager: { type: 'pagerduty', routing_key: 'PDSECRET' },
        mail: { type: 'email', smtp: { host: 'smtp.example.com', user: 'am', password: 'MAILSECRET' }, from: 'am@example.com', to: ['soc@example.com'] },
      },
    });
    const infos = Object.entries(config.destinations).map(([name, dest]) => destinationInfo(name, dest));
    expect(infos).toEqual([
      { name: 'slack', type: 'slack' },
      { name: 'pager', type: 'pagerduty' },
      { name: 'mail', type: 'email' },
    ]);
    expect(infos.map((i) => DestinationInfo.parse(i))).toEqual(infos);
    expect(JSON.stringify(infos)).not.toMatch(/SECRET/);
  });
});
