import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { windowDates, windowEndingOn } from '@access-monitor/contracts';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from './generate-demo-data';
import { PLANTED_FINDINGS } from './planted-findings';

// Ten days give four 7-day windows; every finding must show up in each of them.
const END = '2026-02-10';
const DAYS = 10;
const DATES = windowDates(windowEndingOn(END, DAYS));
const WINDOWS = DATES.slice(6).map((end) => windowDates(windowEndingOn(end, 7)));

let root: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'audit-log-findings-'));
  await generateDemoData({ out: root, days: DAYS, events: 2500, seed: 3, end: END });
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`); // event_time is a TIMESTAMPTZ: dates in UTC
  await connection.run(`CREATE VIEW events AS SELECT *, strftime(event_time, '%Y-%m-%d') AS event_date FROM read_parquet('${root}/*/*.parquet')`);
});

afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  await rm(root, { recursive: true, force: true });
});

const f = (p: string) => `json_extract_string(event_data, '$.${p}')`;
const ts = (p: string) => `CAST(replace(left(${f(p)}, 19), 'T', ' ') AS TIMESTAMP)`;
// Teleport's "weak security": no access request, no per-session MFA, no impersonator, no trusted device.
const WEAK = `json_extract(event_data, '$.access_requests') IS NULL AND ${f('with_mfa')} IS NULL AND ${f('impersonator')} IS NULL AND ${f('trusted_device.device_id')} IS NULL`;

/** Each finding as the dates on which it has rows. */
const FINDINGS: Record<string, string> = {
  // Teleport's Privileged Access Report.
  database_sessions_with_weak_security: `event_type = 'db.session.start' AND ${WEAK}`,
  kube_execs: `event_type = 'session.start' AND ${f('proto')} = 'kube' AND ${WEAK}`,
  kube_access_with_weak_security: `event_type = 'kube.request' AND ${WEAK}`,
  ssh_sessions_with_weak_security: `event_type = 'session.start' AND ${f('proto')} = 'ssh' AND ${WEAK}`,
  cert_expiration_more_than_1d: `event_type = 'cert.create' AND ${ts('identity.expires')} > event_time + INTERVAL 1 DAY`,
  db_postgres_user: `event_type = 'db.session.start'`,
  instance_join_token_less_than_1d: `event_type = 'instance.join' AND ${ts('token_expires')} > event_time + INTERVAL 1 DAY`,
  session_start_root_user: `event_type = 'session.start' AND ${f('login')} = 'root'`,
  kube_system_api_calls: `event_type = 'kube.request' AND list_contains(CAST(json_extract(event_data, '$.kubernetes_groups') AS VARCHAR[]), 'system:masters')`,
  // This project's extra findings.
  desktop_sessions_with_weak_security: `event_type = 'windows.desktop.session.start' AND ${WEAK}`,
  app_sessions_with_weak_security: `event_type = 'app.session.start' AND ${WEAK}`,
  logins_without_mfa: `event_type = 'user.login' AND ${f('success')} = 'true' AND ${f('method')} = 'local' AND json_extract(event_data, '$.mfa_device') IS NULL`,
  admin_role_requests: `event_type = 'access_request.create' AND list_contains(CAST(json_extract(event_data, '$.roles') AS VARCHAR[]), 'admin')`,
  editor_role_requests: `event_type = 'access_request.create' AND list_contains(CAST(json_extract(event_data, '$.roles') AS VARCHAR[]), 'editor')`,
  role_created: `event_type = 'role.created'`,
  role_updated: `event_type = 'role.updated'`,
  role_deleted: `event_type = 'role.deleted'`,
  user_created: `event_type = 'user.create'`,
  lock_removed: `event_type = 'lock.deleted'`,
  // The corrected variants of Teleport's findings, in access_risk.
  ssh_sessions_without_proto_with_weak_security: `event_type = 'session.start' AND ${f('proto')} IS NULL AND ${f('kubernetes_cluster')} IS NULL AND ${WEAK}`,
  kube_exec_commands: `event_type = 'exec' AND ${f('proto')} = 'kube' AND ${WEAK}`,
  postgres_superuser_sessions: `event_type = 'db.session.start' AND ${f('db_protocol')} = 'postgres' AND ${f('db_user')} = 'postgres'`,
  ...Object.fromEntries(
    ['postgres', 'root', 'sa', 'admin', 'rdsadmin'].map((dbUser) => [`db_admin_user_${dbUser}`, `event_type = 'db.session.start' AND ${f('db_user')} = '${dbUser}'`]),
  ),
};

async function datesWhere(condition: string): Promise<Set<string>> {
  const rows = (await connection.runAndReadAll(`SELECT DISTINCT event_date FROM events WHERE ${condition}`)).getRows();
  return new Set(rows.map(([d]) => String(d)));
}

function windowsMissing(dates: Set<string>): string[] {
  return WINDOWS.filter((w) => !w.some((d) => dates.has(d))).map((w) => `${w[0]}..${w[6]}`);
}

describe('planted findings', () => {
  it.each(Object.entries(FINDINGS))('%s has rows in every 7-day window', async (_, condition) => {
    expect(windowsMissing(await datesWhere(condition))).toEqual([]);
  });

  it('has bursts of at least 5 failed logins within 10 minutes from two users in every window', async () => {
    const rows = (
      await connection.runAndReadAll(`SELECT DISTINCT event_date, "user" FROM (
        SELECT event_date, "user", count(*) OVER (PARTITION BY "user" ORDER BY event_time RANGE BETWEEN CURRENT ROW AND INTERVAL 10 MINUTES FOLLOWING) AS burst
        FROM events WHERE event_type = 'user.login' AND ${f('success')} = 'false') WHERE burst >= 5`)
    ).getRows();
    for (const window of WINDOWS) {
      expect(new Set(rows.filter(([d]) => window.includes(String(d))).map(([, user]) => user)).size).toBeGreaterThanOrEqual(2);
    }
  });

  it('has a user signing in from many addresses in a day', async () => {
    const rows = (
      await connection.runAndReadAll(`SELECT event_date FROM events WHERE event_type = 'user.login' AND ${f('success')} = 'true'
        GROUP BY "user", event_date HAVING count(DISTINCT split_part(${f('"addr.remote"')}, ':', 1)) >= 5`)
    ).getRows();
    expect(windowsMissing(new Set(rows.map(([d]) => String(d))))).toEqual([]);
  });

  it('has access requests approved by their own requester', async () => {
    const rows = (
      await connection.runAndReadAll(`SELECT DISTINCT r.event_date FROM events r JOIN events c
        ON json_extract_string(c.event_data, '$.id') = json_extract_string(r.event_data, '$.id')
        WHERE r.event_type = 'access_request.review' AND c.event_type = 'access_request.create'
          AND json_extract_string(r.event_data, '$.state') = 'APPROVED' AND c."user" = json_extract_string(r.event_data, '$.reviewer')`)
    ).getRows();
    const dates = new Set(rows.map(([d]) => String(d)));
    expect(windowsMissing(dates)).toEqual([]);
  });

  it("plants each finding once, including all nine of Teleport's Privileged Access Report", () => {
    const ids = PLANTED_FINDINGS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(Object.keys(FINDINGS).slice(0, 9)));
  });
});
