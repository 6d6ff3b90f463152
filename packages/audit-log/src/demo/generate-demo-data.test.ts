import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { windowDates, windowEndingOn } from '@access-monitor/contracts';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventCode } from '../events/event-codes';
import { parseRfc3339Millis } from '../events/rfc3339';
import { DEMO_DATABASES, DEMO_HOSTS, DEMO_USERS } from './catalog';
import { generateDemoData, type DemoDataResult } from './generate-demo-data';

const END = '2026-01-14'; // a Wednesday
const DAYS = 10;
const EVENTS = 3000;

let root: string;
let out: string;
let result: DemoDataResult;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'audit-log-demo-'));
  out = path.join(root, 'events');
  result = await generateDemoData({ out, days: DAYS, events: EVENTS, seed: 42, end: END });
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`); // event_time is a TIMESTAMPTZ: hours and dates in UTC
  await connection.run(`CREATE VIEW events AS SELECT *, split_part(filename, '/', -2) AS folder FROM read_parquet('${out}/*/*.parquet', filename = true)`);
});

afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  await rm(root, { recursive: true, force: true });
});

async function rows(sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRows();
}

async function values(sql: string): Promise<unknown[]> {
  return (await rows(sql)).map(([value]) => value);
}

async function eventDataOf(dir: string): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(`SELECT event_data FROM read_parquet('${dir}/*/*.parquet') ORDER BY event_data`)).getRows().map(([d]) => String(d));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

const field = (path: string) => `json_extract_string(event_data, '$.${path}')`;

describe('generateDemoData', () => {
  it('gives identical events for the same seed, days, events and end, and different ones for another seed', async () => {
    const options = { days: 3, events: 800, end: END };
    await generateDemoData({ ...options, out: path.join(root, 'a'), seed: 11 });
    await generateDemoData({ ...options, out: path.join(root, 'b'), seed: 11 });
    await generateDemoData({ ...options, out: path.join(root, 'c'), seed: 12 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => eventDataOf(path.join(root, d))));
    expect(a!.length).toBeGreaterThan(700);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('writes the same events, one chunk per date folder, on worker threads as on one thread', async () => {
    const options = { days: 6, events: 3000, seed: 21, end: END };
    const one = path.join(root, 'one-thread');
    const three = path.join(root, 'three-workers');
    const progress: number[] = [];
    const inThread = await generateDemoData({ ...options, out: one, workers: 1 });
    const inWorkers = await generateDemoData({ ...options, out: three, workers: 3, onProgress: (done) => progress.push(done) });
    expect(inWorkers).toEqual(inThread);
    expect(inWorkers.files).toBe(6);
    expect(progress.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
    const [a, b] = await Promise.all([one, three].map(eventDataOf));
    expect(a!.length).toBe(inThread.events);
    expect(b).toEqual(a);
    // Sessions that start late in a day and end in the next one are in the next day's folder, in its single chunk.
    const [foldersWithCarriedSessions] = await values(`SELECT count(DISTINCT split_part(filename, '/', -2)) FROM read_parquet('${three}/*/*.parquet', filename = true)
      WHERE left(json_extract_string(event_data, '$.session_start'), 10) < split_part(filename, '/', -2)`);
    expect(foldersWithCarriedSessions).toBeGreaterThanOrEqual(2n);
    for (const dir of [one, three]) {
      expect(await values(`SELECT count(*) FROM read_parquet('${dir}/*/*.parquet', filename = true)
        WHERE split_part(filename, '/', -2) <> strftime(event_time, '%Y-%m-%d')`)).toEqual([0n]);
      expect(await values(`SELECT count(DISTINCT filename) - count(DISTINCT split_part(filename, '/', -2)) FROM read_parquet('${dir}/*/*.parquet', filename = true)`)).toEqual([0n]);
    }
  });

  it('rejects with the cause when a worker fails, leaving only whole days behind', async () => {
    const options = { days: 6, events: 3000, seed: 21, end: END };
    const out = path.join(root, 'failing');
    const dates = windowDates(windowEndingOn(END, 6));
    // A file where the last day's folder should go: that day's writer cannot make it. Its range (the second
    // of two) writes its earlier days first, so some whole days are left whenever the other range stops.
    const blocked = dates[dates.length - 1]!;
    await mkdir(out);
    await writeFile(path.join(out, blocked), 'in the way');
    const failed = generateDemoData({ ...options, out, workers: 2 });
    await expect(failed).rejects.toThrow(/generating demo days .* failed: .*EEXIST/);
    await expect(failed).rejects.toHaveProperty('cause.code', 'EEXIST');
    // Every chunk left is its day in full, as the one-thread run of the test above wrote it.
    const full = path.join(root, 'one-thread');
    const left = await rows(`SELECT split_part(filename, '/', -2), count(*) FROM read_parquet('${out}/*/*.parquet', filename = true) GROUP BY 1 ORDER BY 1`);
    expect(left.length).toBeGreaterThan(0);
    const expected = await rows(`SELECT split_part(filename, '/', -2), count(*) FROM read_parquet('${full}/*/*.parquet', filename = true) GROUP BY 1 ORDER BY 1`);
    expect(left).toEqual(expected.filter(([date]) => left.some(([d]) => d === date)));
    expect(left.map(([date]) => date)).not.toContain(blocked);
    for (const date of (await readdir(out)).filter((name) => name !== blocked)) {
      expect((await readdir(path.join(out, date))).filter((name) => !name.endsWith('.parquet'))).toEqual([]);
    }
  });

  it('reports what it wrote and comes close to the requested number of events', async () => {
    expect(result.days).toBe(DAYS);
    expect(result.files).toBe(DAYS);
    expect(Number((await values('SELECT count(*) FROM events'))[0])).toBe(result.events);
    expect(result.events).toBeGreaterThan(EVENTS * 0.9);
    expect(result.events).toBeLessThan(EVENTS * 1.15);
  });

  it('writes one bare date folder per day of the window, each holding only its UTC date', async () => {
    expect((await readdir(out)).sort()).toEqual(windowDates(windowEndingOn(END, DAYS)));
    expect(await values(`SELECT count(*) FROM events WHERE folder <> strftime(event_time, '%Y-%m-%d')`)).toEqual([0n]);
  });

  it("reads back with the Athena table's columns", async () => {
    expect(await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${out}/*/*.parquet'))`)).toEqual([
      ['uid', 'VARCHAR'],
      ['session_id', 'VARCHAR'],
      ['event_type', 'VARCHAR'],
      ['event_time', 'TIMESTAMP WITH TIME ZONE'], // TIMESTAMP(MILLIS) adjusted to UTC, as Teleport writes it
      ['event_data', 'VARCHAR'],
      ['user', 'VARCHAR'],
    ]);
  });

  it('fills the Athena columns from the event JSON', async () => {
    const stored = await rows('SELECT uid, session_id, event_type, epoch_ms(event_time), event_data, "user" FROM events');
    const wrong = stored.filter(([uid, sid, type, ms, data, user]) => {
      const event = JSON.parse(String(data)) as Record<string, string | undefined>;
      return (
        uid !== (event.uid ?? '') ||
        sid !== (event.sid ?? '') ||
        user !== (event.user ?? '') ||
        type !== event.event ||
        Number(ms) !== parseRfc3339Millis(event.time!)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('writes each event as one canonical JSON object led by Teleport\'s Metadata, with the members its type needs', async () => {
    const required: Record<string, string[]> = {
      'session.start': ['user', 'sid', 'server_id', 'addr.remote', 'session_recording'],
      'session.end': ['user', 'sid', 'server_id', 'participants', 'session_start', 'session_stop'],
      exec: ['user', 'sid', 'command', 'exitCode', 'kubernetes_cluster'],
      'db.session.start': ['user', 'sid', 'db_protocol', 'db_uri', 'success'],
      'db.session.end': ['user', 'sid', 'db_protocol', 'db_uri', 'session_start'],
      'kube.request': ['user', 'request_path', 'verb', 'response_code', 'kubernetes_cluster', 'sid'],
      'app.session.start': ['user', 'sid', 'app_name', 'app_uri'],
      'windows.desktop.session.start': ['user', 'sid', 'desktop_name', 'windows_user'],
      'windows.desktop.session.end': ['user', 'sid', 'desktop_name', 'recorded'],
      'user.login': ['user', 'success', 'method'],
      'cert.create': ['cert_type', 'identity'],
      'access_request.create': ['user', 'id', 'roles', 'state'],
      'access_request.review': ['id', 'reviewer', 'state', 'proposed_state'],
      'instance.join': ['host_id', 'node_name', 'token_expires'],
    };
    const stored = await rows('SELECT event_type, event_data FROM events');
    const problems: string[] = [];
    for (const [type, data] of stored as [string, string][]) {
      const event = JSON.parse(data) as Record<string, unknown>;
      // Re-serialising gives the same bytes: no repeated member, no undefined, nothing JSON.stringify would not write.
      if (JSON.stringify(event) !== data) problems.push(`${type}: not canonical`);
      if (Object.keys(event).slice(0, 6).join() !== 'ei,event,uid,code,time,cluster_name') problems.push(`${type}: Metadata not first`);
      for (const key of required[type] ?? []) if (!(key in event)) problems.push(`${type}: no ${key}`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('is busier on weekdays and in working hours', async () => {
    const [weekday, weekend] = (await rows(`SELECT avg(n) FILTER (WHERE dow BETWEEN 1 AND 5), avg(n) FILTER (WHERE dow IN (0, 6))
      FROM (SELECT dayofweek(event_time) AS dow, count(*) AS n FROM events GROUP BY folder, dow)`))[0] as [number, number];
    expect(weekday).toBeGreaterThan(2.5 * weekend);
    // US East users: their session starts fall mostly between 07:00 and 20:00 local time.
    const eastern = DEMO_USERS.filter((u) => u.utcOffsetHours === -5).map((u) => `'${u.name}'`).join(', ');
    const [share] = await values(`SELECT avg(CASE WHEN (hour(event_time) + 24 - 5) % 24 BETWEEN 7 AND 19 THEN 1 ELSE 0 END)
      FROM events WHERE event_type = 'session.start' AND "user" IN (${eastern})`);
    expect(share).toBeGreaterThan(0.8);
  });

  it('draws on a realistic cluster: 40+ people, bots, 60+ hosts, four database protocols', async () => {
    expect(DEMO_USERS.length).toBeGreaterThanOrEqual(40);
    expect(DEMO_HOSTS.length).toBeGreaterThanOrEqual(60);
    expect(DEMO_USERS.every((u) => /^[a-z]+@acme\.example$/.test(u.name))).toBe(true);
    expect(Number((await values(`SELECT count(DISTINCT "user") FROM events WHERE "user" LIKE '%@acme.example'`))[0])).toBeGreaterThanOrEqual(40);
    expect(await values(`SELECT DISTINCT "user" FROM events WHERE "user" LIKE 'bot-%' ORDER BY 1`)).toEqual(['bot-backup', 'bot-ci', 'bot-deploy']);
    expect(Number((await values(`SELECT count(DISTINCT ${field('server_hostname')}) FROM events WHERE event_type = 'session.start'`))[0])).toBeGreaterThan(50);
    expect(await values(`SELECT DISTINCT ${field('db_protocol')} FROM events WHERE event_type = 'db.session.start' ORDER BY 1`)).toEqual([
      'mongodb',
      'mysql',
      'postgres',
      'sqlserver',
    ]);
    expect(new Set(DEMO_DATABASES.map((d) => d.protocol)).size).toBe(4);
  });

  it('uses the codes Teleport assigns to each event type', async () => {
    const expected: Record<string, string[]> = {
      'session.start': [EventCode.SessionStart],
      'session.end': [EventCode.SessionEnd],
      'db.session.start': [EventCode.DatabaseSessionStart, EventCode.DatabaseSessionStartFailure],
      'db.session.end': [EventCode.DatabaseSessionEnd],
      'app.session.start': [EventCode.AppSessionStart],
      'windows.desktop.session.start': [EventCode.DesktopSessionStart],
      'windows.desktop.session.end': [EventCode.DesktopSessionEnd],
      'kube.request': [EventCode.KubeRequest],
      exec: [EventCode.Exec],
      'instance.join': [EventCode.InstanceJoin],
      'user.login': [EventCode.UserLocalLogin, EventCode.UserLocalLoginFailure, EventCode.UserSSOLogin, EventCode.UserSSOLoginFailure],
      'cert.create': [EventCode.CertificateCreate],
      'access_request.create': [EventCode.AccessRequestCreate],
      'access_request.review': [EventCode.AccessRequestReview],
      'role.created': [EventCode.RoleCreated],
      'role.updated': [EventCode.RoleUpdated],
      'role.deleted': [EventCode.RoleDeleted],
      'user.create': [EventCode.UserCreate],
      'lock.created': [EventCode.LockCreated],
      'lock.deleted': [EventCode.LockDeleted],
    };
    const seen = await rows(`SELECT event_type, list(DISTINCT ${field('code')} ORDER BY ${field('code')}) FROM events GROUP BY 1`);
    expect(new Set(seen.map(([type]) => type))).toEqual(new Set(Object.keys(expected)));
    for (const [type, codes] of seen) expect(expected[type as string]).toEqual(expect.arrayContaining((codes as { items: string[] }).items));
  });

  it('pairs session and database session starts and ends by sid', async () => {
    for (const [start, end] of [
      ['session.start', 'session.end'],
      ['db.session.start', 'db.session.end'],
      ['windows.desktop.session.start', 'windows.desktop.session.end'],
    ]) {
      const [unpaired] = await values(`SELECT count(*) FROM events e WHERE event_type = '${end}'
        AND NOT EXISTS (SELECT 1 FROM events s WHERE s.event_type = '${start}' AND s.session_id = e.session_id AND s.event_time <= e.event_time)`);
      expect(unpaired).toBe(0n);
    }
  });

  it('protects most sessions with per-session MFA, some with access requests, devices or impersonation', async () => {
    const [mfaShare] = await values(`SELECT avg(CASE WHEN ${field('with_mfa')} IS NOT NULL THEN 1 ELSE 0 END) FROM events
      WHERE event_type IN ('session.start', 'db.session.start') AND "user" LIKE '%@acme.example'`);
    expect(mfaShare).toBeGreaterThan(0.7);
    expect(mfaShare).toBeLessThan(0.97);
    expect(Number((await values(`SELECT count(*) FROM events WHERE ${field('access_requests[0]')} IS NOT NULL`))[0])).toBeGreaterThan(5);
    expect(Number((await values(`SELECT count(*) FROM events WHERE ${field('impersonator')} IS NOT NULL`))[0])).toBeGreaterThan(5);
    const devices = await rows(`SELECT DISTINCT json_keys(json_extract(event_data, '$.trusted_device')), ${field('trusted_device.os_type')}
      FROM events WHERE json_extract(event_data, '$.trusted_device') IS NOT NULL`);
    expect(devices.map(([keys]) => (keys as { items: string[] }).items)).toContainEqual(['device_id', 'os_type', 'asset_tag', 'credential_id']);
    expect(devices.map(([, os]) => os)).toContain('2');
    const [withMfa] = await values(`SELECT ${field('with_mfa')} FROM events WHERE ${field('with_mfa')} IS NOT NULL LIMIT 1`);
    expect(withMfa).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('issues certificates from one hour to thirty days, some right after an MFA check', async () => {
    const [[shortest, longest, withMfaDevice]] = (await rows(`SELECT
        min(epoch(CAST(replace(left(${field('identity.expires')}, 19), 'T', ' ') AS TIMESTAMP)) - epoch(date_trunc('second', event_time))),
        max(epoch(CAST(replace(left(${field('identity.expires')}, 19), 'T', ' ') AS TIMESTAMP)) - epoch(date_trunc('second', event_time))),
        count(${field('identity.mfa_device_uuid')})
      FROM events WHERE event_type = 'cert.create'`)) as [[number, number, bigint]];
    expect(shortest).toBeGreaterThanOrEqual(3600 - 1);
    expect(shortest).toBeLessThan(3600 + 2);
    expect(longest).toBeGreaterThanOrEqual(30 * 86400 - 1);
    expect(withMfaDevice).toBeGreaterThan(0n);
  });

  it('logs local logins with and without an MFA device, SSO logins and failures', async () => {
    const kinds = await values(`SELECT DISTINCT concat_ws(' ', ${field('method')}, ${field('success')}, CASE WHEN json_extract(event_data, '$.mfa_device') IS NULL THEN 'no-mfa' ELSE 'mfa' END)
      FROM events WHERE event_type = 'user.login' ORDER BY 1`);
    expect(kinds).toEqual(expect.arrayContaining(['local true mfa', 'local true no-mfa', 'saml true no-mfa', 'oidc true no-mfa', 'github true no-mfa', 'local false no-mfa']));
    const [device] = await values(`SELECT json_keys(json_extract(event_data, '$.mfa_device')) FROM events WHERE json_extract(event_data, '$.mfa_device') IS NOT NULL LIMIT 1`);
    expect((device as { items: string[] }).items).toEqual(['mfa_device_name', 'mfa_device_uuid', 'mfa_device_type']);
    const [failure] = await rows(`SELECT ${field('code')}, ${field('error')} FROM events WHERE event_type = 'user.login' AND ${field('method')} = 'local' AND ${field('success')} = 'false' LIMIT 1`);
    expect(failure).toEqual(['T1000W', 'invalid username, password or second factor']);
  });

  it('lets agents join with both short- and long-lived tokens', async () => {
    const ttls = await values(`SELECT DISTINCT round((epoch(CAST(replace(left(${field('token_expires')}, 19), 'T', ' ') AS TIMESTAMP)) - epoch(date_trunc('second', event_time))) / 3600)
      FROM events WHERE event_type = 'instance.join' ORDER BY 1`);
    expect(Math.min(...ttls.map(Number))).toBeLessThanOrEqual(4);
    expect(Math.max(...ttls.map(Number))).toBeGreaterThan(24);
  });

  it('writes timestamps with 0 to 9 fractional digits, as Go trims them', async () => {
    const lengths = (await values(`SELECT DISTINCT length(coalesce(regexp_extract(${field('time')}, '\\.(\\d+)Z$', 1), '')) FROM events`)).map(Number);
    expect(lengths).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(Math.max(...lengths)).toBeGreaterThan(3);
    const ends = (await values(`SELECT DISTINCT length(regexp_extract(${field('session_stop')}, '\\.(\\d+)Z$', 1)) FROM events WHERE event_type = 'session.end'`)).map(Number);
    expect(ends).toContain(9);
  });

  it('records kubectl exec as proto kube and Kubernetes calls under several groups', async () => {
    expect(await values(`SELECT DISTINCT ${field('proto')} FROM events WHERE event_type = 'exec'`)).toEqual(['kube']);
    const groups = await values(`SELECT DISTINCT unnest(CAST(json_extract(event_data, '$.kubernetes_groups') AS VARCHAR[])) FROM events WHERE event_type = 'kube.request' ORDER BY 1`);
    expect(groups).toEqual(expect.arrayContaining(['developers', 'sre', 'system:masters', 'viewers']));
  });
});
