import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCKDB_COMPAT_MACROS, guardStatement, renderExecutable, VIEWS, type AuditSource, type GuardedStatement, type SqlParser } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';

/** Hand-written Teleport events, as the Athena backend stores them (one row per event). */
const EVENTS: Array<Record<string, unknown>> = [
  {
    event: 'session.start', uid: 'e1', code: 'T2000I', ei: 0, time: '2024-01-01T10:00:00.123Z', cluster_name: 'c', user: 'alice', login: 'ubuntu', sid: 's1', proto: 'ssh',
    'addr.remote': '10.0.0.1:5000', 'addr.local': '10.0.0.2:3022', server_id: 'n1', server_hostname: 'web-1', server_labels: { env: 'prod' }, size: '80:25',
    access_requests: ['r1'], with_mfa: 'mfa-uuid-1', trusted_device: { device_id: 'dev-1', os_type: 2 },
  },
  { event: 'session.start', uid: 'e2', code: 'T2000I', ei: 0, time: '2024-01-02T11:00:00Z', user: 'bob', login: 'root', sid: 's2', server_id: 'n1' },
  { event: 'session.start', uid: 'e3', code: 'T2000I', ei: 0, time: '2024-01-02T12:00:00.313562027Z', user: 'carol', login: 'root', sid: 's3', server_id: 'n2', proto: 'ssh' },
  {
    event: 'user.login', uid: 'e4', code: 'T1000I', ei: 0, time: '2024-01-02T09:00:00Z', user: 'alice', method: 'local', success: true,
    mfa_device: { mfa_device_name: 'otp', mfa_device_uuid: 'mfa-uuid-1', mfa_device_type: 'TOTP' }, attributes: { groups: ['dev', 'ops'] }, 'addr.remote': '1.1.1.1:42',
  },
  { event: 'user.login', uid: 'e5', code: 'T1000W', ei: 0, time: '2024-01-02T09:01:00Z', method: 'local', success: false, error: 'user("x") not found' },
  {
    event: 'cert.create', code: 'TC000I', ei: 0, time: '2024-01-03T08:00:00Z', cert_type: 'user',
    identity: { user: 'alice', roles: ['access'], expires: '2024-01-04T20:00:00Z', allowed_resource_ids: [{ cluster: 'c', kind: 'node', name: 'n1' }], traits: { logins: ['ubuntu'] } },
  },
  { event: 'db.session.start', uid: 'e7', code: 'TDB00I', ei: 0, time: '2024-01-01T13:00:00Z', user: 'dave', sid: 's7', db_protocol: 'postgres', db_user: 'postgres', db_uri: 'localhost:5432', success: true, postgres_pid: 4194304 },
  { event: 'session.data', uid: 'e8', code: 'T2006I', ei: 2147483646, time: '2024-01-01T14:00:00Z', user: 'alice', sid: 's1', tx: 5000000000, rx: 12 },
  {
    event: 'access_request.create', uid: 'e9', code: 'T5000I', ei: 0, time: '2024-01-02T15:00:00Z', user: 'bob', id: 'req-1', state: 'PENDING', roles: ['admin'],
    resource_ids: [{ cluster: 'c', kind: 'db', name: 'pg', sub_resource: '' }], annotations: { ticket: ['T-1'] },
  },
  { event: 'mfa.add', uid: 'e10', code: 'T1006I', ei: 0, time: '2024-01-03T16:00:00Z', user: 'alice', mfa_device_name: 'key', mfa_device_uuid: 'mfa-uuid-2', mfa_device_type: 'WebAuthn' },
  // Outside the 2024-01-01..2024-01-03 window used below, in a file the test still passes.
  { event: 'session.start', uid: 'e11', code: 'T2000I', ei: 0, time: '2024-01-05T10:00:00Z', user: 'eve', login: 'root', sid: 's11', server_id: 'n1' },
];

const WINDOW = { start: '2024-01-01', end: '2024-01-03' };

let dir: string;
let files: string[];
let db: DuckDBInstance;
let connection: DuckDBConnection;
let parser: SqlParser & { close(): void };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "am-sql-render-'quote"));
  db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('SET integer_division = true');
  for (const macro of DUCKDB_COMPAT_MACROS) await connection.run(macro);
  files = [];
  const days = [...new Set(EVENTS.map((e) => String(e.time).slice(0, 10)))];
  for (const day of days) {
    mkdirSync(join(dir, day));
    const file = join(dir, day, 'chunk.parquet');
    const rows = EVENTS.filter((e) => String(e.time).startsWith(day));
    const values = rows
      .map((e) => `(${[e.uid ?? '', e.sid ?? '', e.event, String(e.time).slice(0, 23).replace('T', ' '), JSON.stringify(e), e.user ?? ''].map((v) => `'${String(v).replaceAll("'", "''")}'`).join(', ')})`)
      .join(', ');
    await connection.run(
      `COPY (SELECT uid, session_id, event_type, CAST(event_time AS TIMESTAMP_MS) AS event_time, event_data, "user" FROM (VALUES ${values}) AS t(uid, session_id, event_type, event_time, event_data, "user")) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
    );
    files.push(file);
  }
  parser = await createDuckDbSqlParser();
});

afterAll(() => {
  parser.close();
  connection.closeSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function run(sql: string, source: AuditSource = { dialect: 'duckdb', files }, window = WINDOW) {
  const stmt = await guardStatement(sql, parser);
  const rendered = renderExecutable(stmt, window, source);
  const reader = await connection.runAndReadAll(rendered);
  return { rendered, columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
}

describe('renderExecutable on DuckDB', () => {
  it('reads view columns from the Parquet files, restricted to the window and the event type', async () => {
    const { rows } = await run('SELECT "user", login, event_date, event_time FROM session_start ORDER BY event_time');
    expect(rows).toEqual([
      ['alice', 'ubuntu', '2024-01-01', '2024-01-01 10:00:00.123'],
      ['bob', 'root', '2024-01-02', '2024-01-02 11:00:00'],
      ['carol', 'root', '2024-01-02', '2024-01-02 12:00:00.313'],
    ]);
  });

  it('reads keys with dots and nested objects as flattened columns', async () => {
    const { rows } = await run("SELECT addr_remote, addr_local, trusted_device_device_id, trusted_device_os_type, server_labels['env'], access_requests FROM session_start WHERE sid = 's1'");
    expect(rows).toEqual([['10.0.0.1:5000', '10.0.0.2:3022', 'dev-1', 2, 'prod', ['r1']]]);
    const login = await run("SELECT mfa_device_mfa_device_uuid, mfa_device_mfa_device_type, success, attributes, addr_remote FROM user_login WHERE \"user\" = 'alice'");
    expect(login.rows).toEqual([['mfa-uuid-1', 'TOTP', true, '{"groups":["dev","ops"]}', '1.1.1.1:42']]);
    const cert = await run('SELECT identity_user, identity_expires, identity_roles, identity_allowed_resource_ids FROM cert_create');
    expect(cert.rows).toEqual([['alice', '2024-01-04T20:00:00Z', ['access'], [{ cluster: 'c', kind: 'node', name: 'n1', sub_resource: null }]]]);
  });

  it('fails on "user" in a view without a user column instead of reading DuckDB\'s current user', async () => {
    await expect(run('SELECT "user" FROM cert_create')).rejects.toThrow(/column "user" not found/);
    expect((await run('SELECT user FROM mfa_add')).rows).toEqual([['alice']]);
  });

  it('reads a missing field as NULL', async () => {
    const { rows } = await run("SELECT proto, with_mfa, trusted_device_device_id, access_requests, server_labels, cardinality(access_requests) FROM session_start WHERE sid = 's2'");
    expect(rows).toEqual([[null, null, null, null, null, null]]);
  });

  it('reads 64-bit counters and list-of-object columns', async () => {
    expect((await run('SELECT tx, rx, ei FROM session_data')).rows).toEqual([['5000000000', '12', 2147483646]]);
    expect((await run('SELECT postgres_pid FROM db_session_start')).rows).toEqual([[4194304]]);
    expect((await run('SELECT resource_ids[1].kind, resource_ids[1].name, roles, annotations FROM access_request_create')).rows).toEqual([['db', 'pg', ['admin'], '{"ticket":["T-1"]}']]);
  });

  it('merges the views into the statement’s own WITH list and keeps its ORDER BY', async () => {
    const sql = 'WITH roots AS (SELECT "user", event_time FROM session_start WHERE login = \'root\')\nSELECT "user" FROM roots ORDER BY event_time DESC';
    const { rendered, rows } = await run(sql);
    expect(rendered.startsWith('WITH\nsession_start AS NOT MATERIALIZED (SELECT ')).toBe(true);
    expect(rendered.endsWith(`,${sql.slice('WITH'.length)}`)).toBe(true);
    expect(rows).toEqual([['carol'], ['bob']]);
  });

  it('merges after WITH RECURSIVE', async () => {
    const { rendered, rows } = await run('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < (SELECT count(*) FROM session_start)) SELECT max(n) FROM t');
    expect(rendered.startsWith('WITH RECURSIVE\nsession_start AS NOT MATERIALIZED')).toBe(true);
    expect(rows).toEqual([[3]]);
  });

  it('prepends a WITH list after EXPLAIN ANALYZE and leading comments', async () => {
    const { rendered } = await run('EXPLAIN ANALYZE /* why */ SELECT count(*) FROM user_login');
    expect(rendered.startsWith('EXPLAIN ANALYZE /* why */ WITH\nuser_login AS NOT MATERIALIZED (SELECT ')).toBe(true);
  });

  it('merges into the WITH list inside a fully parenthesised query', async () => {
    const { rendered, rows } = await run('((WITH a AS (SELECT "user" FROM session_start) SELECT count(*) FROM a))');
    expect(rendered.startsWith('((WITH\nsession_start AS NOT MATERIALIZED')).toBe(true);
    expect(rows).toEqual([['3']]);
    const plain = await run('(SELECT count(*) FROM session_start)');
    expect(plain.rendered.startsWith('WITH\nsession_start AS NOT MATERIALIZED')).toBe(true);
    expect(plain.rows).toEqual([['3']]);
    expect((await run('(SELECT 1 FROM session_start LIMIT 1) UNION ALL (SELECT 2 FROM user_login LIMIT 1) ORDER BY 1')).rows).toEqual([[1], [2]]);
  });

  it('renders only the views the statement reads', async () => {
    const { rendered } = await run('SELECT count(*) FROM mfa_add');
    expect(rendered).toContain('mfa_add AS NOT MATERIALIZED');
    expect(rendered).not.toContain('session_start AS');
    expect(rendered).not.toContain('audit_events AS');
  });

  it('reads audit_events with the Athena table columns', async () => {
    const { columns, rows } = await run("SELECT * FROM audit_events WHERE uid = 'e1'");
    expect(columns).toEqual(['uid', 'session_id', 'event_type', 'event_time', 'event_data', 'user', 'event_date']);
    expect(rows[0]!.slice(0, 4)).toEqual(['e1', 's1', 'session.start', '2024-01-01 10:00:00.123']);
    expect((await run('SELECT count(*) FROM audit_events')).rows).toEqual([['10']]);
  });

  it('gives zero typed rows, not an error, for an empty file list', async () => {
    const empty: AuditSource = { dialect: 'duckdb', files: [] };
    const { columns, rows } = await run('SELECT event_date, "user", access_requests, server_labels FROM session_start', empty);
    expect(columns).toEqual(['event_date', 'user', 'access_requests', 'server_labels']);
    expect(rows).toEqual([]);
    expect((await run('SELECT count(*), max(event_time) FROM audit_events', empty)).rows).toEqual([['0', null]]);
    expect((await run("SELECT count(*) FROM user_login WHERE mfa_device_mfa_device_uuid = 'x' AND success", empty)).rows).toEqual([['0']]);
  });

  it('renders and runs every view, over files and over no files', async () => {
    for (const view of VIEWS) {
      for (const source of [{ dialect: 'duckdb', files }, { dialect: 'duckdb', files: [] }] satisfies AuditSource[]) {
        const { columns } = await run(`SELECT * FROM ${view.name}`, source);
        expect(columns.length, view.name).toBe(view.fields.length + 2);
      }
    }
  });

  it('runs the Privileged Access Report query shapes', async () => {
    const weak = await run(`SELECT event_date, count(*) AS count, user FROM session_start
WHERE proto = 'ssh' AND CARDINALITY(access_requests) IS NULL AND with_mfa IS NULL AND impersonator IS NULL AND trusted_device_device_id IS NULL
GROUP BY event_date, user ORDER BY event_date`);
    expect(weak.rows).toEqual([['2024-01-02', '1', 'carol']]);
    const certs = await run(`SELECT event_date, count(*) AS count, identity_user AS user FROM cert_create
WHERE from_iso8601_timestamp(identity_expires) > from_iso8601_timestamp(time) + interval '1' day GROUP BY event_date, identity_user`);
    expect(certs.rows).toEqual([['2024-01-03', '1', 'alice']]);
  });

  it('reads files whose event_time is a UTC-adjusted Parquet timestamp (TIMESTAMPTZ)', async () => {
    const file = join(dir, 'tz.parquet');
    const event = { event: 'session.start', uid: 'tz1', time: '2024-01-02T23:30:00Z', user: 'zed', sid: 'z' };
    await connection.run(
      `COPY (SELECT 'tz1' AS uid, 'z' AS session_id, 'session.start' AS event_type, TIMESTAMPTZ '2024-01-02 23:30:00+00' AS event_time, '${JSON.stringify(event)}' AS event_data, 'zed' AS "user") TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
    );
    const { rows } = await run('SELECT event_date, event_time, "user" FROM session_start', { dialect: 'duckdb', files: [file] });
    expect(rows).toEqual([['2024-01-02', '2024-01-02 23:30:00', 'zed']]);
  });

  it('escapes quotes in file paths', async () => {
    expect(dir).toContain("'");
    const { rendered } = await run('SELECT 1 FROM mfa_add');
    expect(rendered).toContain("am-sql-render-''quote");
  });

  it('drops trailing semicolons and comments so the statement can be wrapped', async () => {
    const stmt: GuardedStatement = { sql: 'SELECT 1 ; -- bye\n', explain: false, views: [], columnNames: null };
    expect(renderExecutable(stmt, WINDOW, { dialect: 'duckdb', files })).toBe('SELECT 1');
  });
});

describe('renderExecutable validates its inputs', () => {
  const stmt: GuardedStatement = { sql: 'SELECT 1 FROM session_start', explain: false, views: ['session_start'], columnNames: [null] };
  it.each([
    [{ start: "2024-01-01' OR 1=1 --", end: '2024-01-02' }],
    [{ start: '2024-02-30', end: '2024-03-01' }],
    [{ start: '2024-01-03', end: '2024-01-01' }],
    [{ start: '24-1-1', end: '2024-01-01' }],
  ])('refuses the window %j', (window) => {
    expect(() => renderExecutable(stmt, window, { dialect: 'duckdb', files: [] })).toThrow(RangeError);
  });

  it('refuses a Trino table that is not database.table', () => {
    expect(() => renderExecutable(stmt, WINDOW, { dialect: 'trino', table: 'db.t; DROP' })).toThrow(RangeError);
  });
});

describe('renderExecutable for Athena (Trino)', () => {
  it("renders a view exactly in Teleport's form", () => {
    const stmt: GuardedStatement = { sql: 'SELECT * FROM session_leave', explain: false, views: ['session_leave'], columnNames: null };
    expect(renderExecutable(stmt, { start: '2024-01-01', end: '2024-01-07' }, { dialect: 'trino', table: 'audit_db.audit_table' })).toBe(TRINO_SESSION_LEAVE);
  });

  it('renders audit_events and merges into WITH', () => {
    const stmt: GuardedStatement = { sql: 'WITH x AS (SELECT * FROM audit_events) SELECT * FROM x', explain: false, views: ['audit_events'], columnNames: null };
    expect(renderExecutable(stmt, WINDOW, { dialect: 'trino', table: 'audit_db.audit_table' })).toBe(
      "WITH\naudit_events AS (SELECT * FROM audit_db.audit_table WHERE event_date BETWEEN date '2024-01-01' AND date '2024-01-03'), x AS (SELECT * FROM audit_events) SELECT * FROM x",
    );
  });

  it('renders map, JSON and row columns with Trino casts', () => {
    const stmt: GuardedStatement = { sql: 'SELECT 1 FROM access_request_create', explain: false, views: ['access_request_create'], columnNames: null };
    const sql = renderExecutable(stmt, WINDOW, { dialect: 'trino', table: 'audit_db.audit_table' });
    expect(sql).toContain(`CAST(json_extract(event_data, '$["resource_ids"]') AS array(row(cluster varchar, kind varchar, name varchar, sub_resource varchar))) AS resource_ids`);
    expect(sql).toContain(`json_format(json_extract(event_data, '$["annotations"]')) AS annotations`);
    expect(sql).toContain(`CAST(json_extract(event_data, '$["access_requests"]') AS array(varchar)) AS access_requests`);
  });
});

/** Teleport's Access Monitoring view text for session.leave over a 7-day window. */
const TRINO_SESSION_LEAVE = [
  'WITH',
  'session_leave AS (SELECT ' +
    [
      `event_date`,
      `event_time`,
      `CAST(json_extract(event_data`,
      `'$["ei"]') AS integer) AS ei`,
      `CAST(json_extract(event_data`,
      `'$["event"]') AS varchar) AS event`,
      `CAST(json_extract(event_data`,
      `'$["uid"]') AS varchar) AS uid`,
      `CAST(json_extract(event_data`,
      `'$["code"]') AS varchar) AS code`,
      `CAST(json_extract(event_data`,
      `'$["time"]') AS varchar) AS time`,
      `CAST(json_extract(event_data`,
      `'$["cluster_name"]') AS varchar) AS cluster_name`,
      `CAST(json_extract(event_data`,
      `'$["user"]') AS varchar) AS user`,
      `CAST(json_extract(event_data`,
      `'$["login"]') AS varchar) AS login`,
      `CAST(json_extract(event_data`,
      `'$["impersonator"]') AS varchar) AS impersonator`,
      `CAST(json_extract(event_data`,
      `'$["aws_role_arn"]') AS varchar) AS aws_role_arn`,
      `CAST(json_extract(event_data`,
      `'$["access_requests"]') AS array(varchar)) AS access_requests`,
      `CAST(json_extract(event_data`,
      `'$["azure_identity"]') AS varchar) AS azure_identity`,
      `CAST(json_extract(event_data`,
      `'$["gcp_service_account"]') AS varchar) AS gcp_service_account`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["device_id"]') AS varchar) AS trusted_device_device_id`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["os_type"]') AS integer) AS trusted_device_os_type`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["asset_tag"]') AS varchar) AS trusted_device_asset_tag`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["credential_id"]') AS varchar) AS trusted_device_credential_id`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["device_origin"]') AS integer) AS trusted_device_device_origin`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["web_authentication"]') AS boolean) AS trusted_device_web_authentication`,
      `CAST(json_extract(event_data`,
      `'$["trusted_device"]["web_authentication_id"]') AS varchar) AS trusted_device_web_authentication_id`,
      `CAST(json_extract(event_data`,
      `'$["required_private_key_policy"]') AS varchar) AS required_private_key_policy`,
      `CAST(json_extract(event_data`,
      `'$["user_kind"]') AS integer) AS user_kind`,
      `CAST(json_extract(event_data`,
      `'$["bot_name"]') AS varchar) AS bot_name`,
      `CAST(json_extract(event_data`,
      `'$["bot_instance_id"]') AS varchar) AS bot_instance_id`,
      `CAST(json_extract(event_data`,
      `'$["user_origin"]') AS integer) AS user_origin`,
      `CAST(json_extract(event_data`,
      `'$["user_roles"]') AS array(varchar)) AS user_roles`,
      `json_format(json_extract(event_data`,
      `'$["user_traits"]')) AS user_traits`,
      `CAST(json_extract(event_data`,
      `'$["user_cluster_name"]') AS varchar) AS user_cluster_name`,
      `CAST(json_extract(event_data`,
      `'$["sid"]') AS varchar) AS sid`,
      `CAST(json_extract(event_data`,
      `'$["with_mfa"]') AS varchar) AS with_mfa`,
      `CAST(json_extract(event_data`,
      `'$["private_key_policy"]') AS varchar) AS private_key_policy`,
      `CAST(json_extract(event_data`,
      `'$["namespace"]') AS varchar) AS namespace`,
      `CAST(json_extract(event_data`,
      `'$["server_id"]') AS varchar) AS server_id`,
      `CAST(json_extract(event_data`,
      `'$["server_hostname"]') AS varchar) AS server_hostname`,
      `CAST(json_extract(event_data`,
      `'$["server_addr"]') AS varchar) AS server_addr`,
      `CAST(json_extract(event_data`,
      `'$["server_labels"]') AS map(varchar,varchar)) AS server_labels`,
      `CAST(json_extract(event_data`,
      `'$["server_labels"]["key"]') AS varchar) AS server_labels_key`,
      `CAST(json_extract(event_data`,
      `'$["server_labels"]["value"]') AS varchar) AS server_labels_value`,
      `CAST(json_extract(event_data`,
      `'$["forwarded_by"]') AS varchar) AS forwarded_by`,
      `CAST(json_extract(event_data`,
      `'$["server_sub_kind"]') AS varchar) AS server_sub_kind`,
      `CAST(json_extract(event_data`,
      `'$["server_version"]') AS varchar) AS server_version`,
      `CAST(json_extract(event_data`,
      `'$["addr.local"]') AS varchar) AS addr_local`,
      `CAST(json_extract(event_data`,
      `'$["addr.remote"]') AS varchar) AS addr_remote`,
      `CAST(json_extract(event_data`,
      `'$["proto"]') AS varchar) AS proto`,
    ].join(', ') +
    " FROM audit_db.audit_table WHERE event_type = 'session.leave' AND event_date BETWEEN date '2024-01-01' AND date '2024-01-07')",
  'SELECT * FROM session_leave',
].join('\n');

