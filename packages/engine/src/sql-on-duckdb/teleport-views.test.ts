import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCKDB_COMPAT_MACROS, guardStatement, renderExecutable, type SqlParser } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';

// Events shaped as Teleport emits them (lib/auth/accesslist, lib/devicetrust, UserTokenCreate, SAMLIdPAuthAttempt),
// read through the views on DuckDB.
const EVENTS: Array<Record<string, unknown>> = [
  {
    ei: 0, event: 'access_list.member.create', uid: 'a1', code: 'TAL005I', time: '2024-01-02T10:00:00Z', cluster_name: 'c', updated_by: 'alice', success: true,
    access_list_name: 'ops', access_list_title: 'Operations', members: [{ joined_on: '2024-01-02T10:00:00Z', member_name: 'bob', reason: 'on call' }, { member_name: 'carol' }],
  },
  { ei: 0, event: 'access_list.member.delete_all_for_access_list', uid: 'a2', code: 'TAL008E', time: '2024-01-02T11:00:00Z', updated_by: 'alice', access_list_name: 'ops', success: false, error: 'access denied' },
  { ei: 0, event: 'access_list.create', uid: 'a3', code: 'TAL001I', time: '2024-01-02T09:00:00Z', name: 'ops', updated_by: 'alice', success: true },
  { ei: 0, event: 'device.enroll', uid: 'd1', code: 'TV005I', time: '2024-01-02T08:00:00Z', user: 'bob', success: true, device: { device_id: 'dev-1', os_type: 2, asset_tag: 'C02XYZ', credential_id: 'cred-1', device_origin: 1 } },
  {
    ei: 0, event: 'device.authenticate', uid: 'd2', code: 'TV006I', time: '2024-01-02T08:05:00Z', user: 'bob', success: true,
    device: { device_id: 'dev-1', os_type: 2 }, trusted_device: { device_id: 'dev-1', os_type: 2 },
  },
  { ei: 0, event: 'reset_password_token.create', uid: 'r1', code: 'T6000I', time: '2024-01-02T07:00:00Z', user: 'admin', name: 'dave', ttl: '8h0m0s', expires: '2024-01-02T15:00:00Z' },
  { ei: 0, event: 'saml.idp.auth', uid: 's1', code: 'TSI000I', time: '2024-01-02T12:00:00Z', user: 'bob', sid: 'sess-1', success: true, service_provider_entity_id: 'https://signin.aws.amazon.com/saml', service_provider_shortcut: 'aws' },
  { ei: 0, event: 'session.start', uid: 'x1', code: 'T2000I', time: '2024-01-02T13:00:00Z', user: 'bob', sid: 'sess-2', server_labels: { env: 'prod', key: 'k1' } },
];

let dir: string;
let file: string;
let db: DuckDBInstance;
let connection: DuckDBConnection;
let parser: SqlParser & { close(): void };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'am-teleport-views-'));
  db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const macro of DUCKDB_COMPAT_MACROS) await connection.run(macro);
  file = join(dir, 'chunk.parquet');
  const quote = (v: unknown) => `'${String(v).replaceAll("'", "''")}'`;
  const values = EVENTS.map((e) => `(${[e.uid, e.sid ?? '', e.event, String(e.time).replace('T', ' ').replace('Z', ''), JSON.stringify(e), e.user ?? ''].map(quote).join(', ')})`).join(', ');
  await connection.run(
    `COPY (SELECT uid, session_id, event_type, CAST(event_time AS TIMESTAMP_MS) AS event_time, event_data, "user" FROM (VALUES ${values}) AS t(uid, session_id, event_type, event_time, event_data, "user")) TO ${quote(file)} (FORMAT parquet)`,
  );
  parser = await createDuckDbSqlParser();
});

afterAll(() => {
  parser.close();
  connection.closeSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<unknown[][]> {
  const rendered = renderExecutable(await guardStatement(sql, parser), { start: '2024-01-01', end: '2024-01-03' }, { dialect: 'duckdb', files: [file] });
  return (await connection.runAndReadAll(rendered)).getRowsJson() as unknown[][];
}

describe("Teleport's access list, Device Trust, reset token and SAML IdP views on DuckDB", () => {
  it('reads access list membership changes with their members', async () => {
    expect(await rows('SELECT updated_by, access_list_name, access_list_title, cardinality(members), members[1].member_name, members[1].reason, members[2].joined_on, success FROM access_list_member_create')).toEqual([
      ['alice', 'ops', 'Operations', '2', 'bob', 'on call', null, true],
    ]);
    expect(await rows('SELECT code, access_list_name, success, error, members FROM access_list_member_delete_all_for_access_list')).toEqual([['TAL008E', 'ops', false, 'access denied', null]]);
    expect(await rows('SELECT name, updated_by, ei FROM access_list_create')).toEqual([['ops', 'alice', 0]]);
  });

  it('reads the device of enrollments and authentications', async () => {
    expect(await rows('SELECT "user", device_device_id, device_os_type, device_asset_tag, device_device_origin, trusted_device_device_id FROM device_enroll')).toEqual([['bob', 'dev-1', 2, 'C02XYZ', 1, null]]);
    expect(await rows('SELECT device_device_id, trusted_device_device_id, success FROM device_authenticate')).toEqual([['dev-1', 'dev-1', true]]);
  });

  it('reads reset password tokens and SAML IdP sign-ins', async () => {
    expect(await rows('SELECT "user", name, ttl, from_iso8601_timestamp(expires) > event_time FROM reset_password_token_create')).toEqual([['admin', 'dave', '8h0m0s', true]]);
    expect(await rows('SELECT "user", sid, service_provider_shortcut, service_provider_entity_id, success FROM saml_idp_auth')).toEqual([['bob', 'sess-1', 'aws', 'https://signin.aws.amazon.com/saml', true]]);
  });

  it("reads Teleport's label columns as Teleport's views do: the labels named key and value", async () => {
    expect(await rows("SELECT server_labels['env'], server_labels_key, server_labels_value FROM session_start")).toEqual([['prod', 'k1', null]]);
  });
});
