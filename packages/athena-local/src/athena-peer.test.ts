import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryEngineFixture, writeFixtureParquet } from '@access-monitor/engine';
import { guardStatement, renderExecutable } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/engine/duckdb-parser';
import { s3PeerClientConfig } from '@access-monitor/storage/testing';
import { startAthenaPeer, startAwsLocal, type AwsLocal } from './index';

// The peer's wire protocol, spoken by hand: what Athena and STS put on the wire, not what an SDK makes of it.

const window = queryEngineFixture().window;

describe('athena-local', () => {
  let root: string;
  let local: AwsLocal;
  let parser: Awaited<ReturnType<typeof createDuckDbSqlParser>>;
  let tokens = 0;
  const token = (): string => `peer-test-token-${process.pid}-${String(tokens++).padStart(20, '0')}`;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'athena-peer-'));
    await writeFixtureParquet(queryEngineFixture().events, path.join(root, 'events'));
    local = await startAwsLocal({ dataDir: path.join(root, 'events'), cacheDir: path.join(root, 'cache'), requireRole: false });
    parser = await createDuckDbSqlParser();
  });
  afterAll(async () => {
    parser?.close();
    await local?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function athena(operation: string, body: unknown): Promise<{ status: number; contentType: string | null; json: Record<string, unknown> }> {
    const res = await fetch(local.endpoints.athena, {
      method: 'POST',
      headers: { 'x-amz-target': `AmazonAthena.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as Record<string, unknown> };
  }

  const rendered = async (sql: string): Promise<string> => renderExecutable(await guardStatement(sql, parser), window, { dialect: 'trino', table: `${local.database}.${local.table}` });

  async function finished(id: string): Promise<Record<string, unknown>> {
    for (;;) {
      const { json } = await athena('GetQueryExecution', { QueryExecutionId: id });
      const execution = json['QueryExecution'] as { Status: { State: string } };
      if (!['QUEUED', 'RUNNING'].includes(execution.Status.State)) return execution as unknown as Record<string, unknown>;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function runQuery(sql: string): Promise<{ id: string; execution: Record<string, unknown> }> {
    const { json } = await athena('StartQueryExecution', { QueryString: await rendered(sql), WorkGroup: local.workgroup, ClientRequestToken: token(), QueryExecutionContext: { Database: local.database } });
    const id = json['QueryExecutionId'] as string;
    return { id, execution: await finished(id) };
  }

  it("answers errors in Athena's JSON shape, with the HTTP status and AthenaErrorCode", async () => {
    const res = await athena('GetWorkGroup', { WorkGroup: 'nope' });
    expect(res.status).toBe(400);
    expect(res.contentType).toBe('application/x-amz-json-1.1');
    expect(res.json).toEqual({ __type: 'InvalidRequestException', Message: 'WorkGroup nope is not found.', AthenaErrorCode: 'INVALID_INPUT' });
    local.athena.faults.throttle({ times: 1, operation: 'GetWorkGroup' });
    expect(await athena('GetWorkGroup', { WorkGroup: local.workgroup })).toMatchObject({ status: 400, json: { __type: 'ThrottlingException', Message: 'Rate exceeded' } });
    expect((await athena('GetWorkGroup', { WorkGroup: local.workgroup })).json).toMatchObject({ WorkGroup: { Name: local.workgroup, State: 'ENABLED', Configuration: { EnforceWorkGroupConfiguration: false } } });
  });

  it('runs a rendered query, writes <id>.csv and <id>.csv.metadata where Athena would, and reports its statistics', async () => {
    const { id, execution } = await runQuery(`SELECT "user", count(*) AS n, CAST(NULL AS varchar) AS nothing FROM audit_events GROUP BY "user" ORDER BY "user"`);
    expect(execution).toMatchObject({ QueryExecutionId: id, Status: { State: 'SUCCEEDED' }, WorkGroup: local.workgroup, ResultConfiguration: { OutputLocation: `s3://${local.buckets.transient}/results/${id}.csv` } });
    expect((execution['Statistics'] as { DataScannedInBytes: number }).DataScannedInBytes).toBeGreaterThan(0);
    const object = async (key: string) => (await local.s3.client.send(new GetObjectCommand({ Bucket: local.buckets.transient, Key: key }))).Body!.transformToString();
    const csv = await object(`results/${id}.csv`);
    expect(csv.split('\n').slice(0, 2)).toEqual(['"user","n","nothing"', '"alice","61",']);
    expect(JSON.parse(await object(`results/${id}.csv.metadata`))).toMatchObject({ columns: [{ name: 'user' }, { name: 'n' }, { name: 'nothing' }] });
  });

  it('pages GetQueryResults like Athena: the header row first, NULL as an empty datum, NextToken until the end', async () => {
    const { id } = await runQuery(`SELECT uid, CAST(NULL AS varchar) AS nothing FROM audit_events ORDER BY uid LIMIT 5`);
    const first = await athena('GetQueryResults', { QueryExecutionId: id, MaxResults: 3 });
    const resultSet = first.json['ResultSet'] as { Rows: Array<{ Data: unknown[] }>; ResultSetMetadata: { ColumnInfo: Array<Record<string, unknown>> } };
    expect(resultSet.ResultSetMetadata.ColumnInfo.map((c) => [c['Name'], c['Type']])).toEqual([['uid', 'varchar'], ['nothing', 'varchar']]);
    expect(resultSet.Rows.map((r) => r.Data)).toEqual([[{ VarCharValue: 'uid' }, { VarCharValue: 'nothing' }], [{ VarCharValue: 'db-query-tricky' }, {}], [{ VarCharValue: 'ev-0000' }, {}]]);
    const second = await athena('GetQueryResults', { QueryExecutionId: id, MaxResults: 3, NextToken: first.json['NextToken'] });
    expect((second.json['ResultSet'] as { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }> }).Rows.map((r) => r.Data[0]!.VarCharValue)).toEqual(['ev-0001', 'ev-0002', 'ev-0003']);
    expect(second.json['NextToken']).toBeUndefined();
  });

  it('refuses GetQueryResults before the query finishes', async () => {
    local.athena.faults.delayQueue(60_000);
    const { json } = await athena('StartQueryExecution', { QueryString: await rendered('SELECT 1 AS one'), WorkGroup: local.workgroup, ClientRequestToken: token() });
    const id = json['QueryExecutionId'] as string;
    expect((await athena('GetQueryResults', { QueryExecutionId: id })).json).toMatchObject({ __type: 'InvalidRequestException', Message: 'Query has not yet finished. Current state: QUEUED' });
    expect((await athena('StopQueryExecution', { QueryExecutionId: id })).status).toBe(200);
    expect(await finished(id)).toMatchObject({ Status: { State: 'CANCELLED' } });
  });

  it('honours ClientRequestToken: the same request gets the same execution, other parameters are refused', async () => {
    const t = token();
    const request = { QueryString: await rendered('SELECT 2 AS two'), WorkGroup: local.workgroup, ClientRequestToken: t };
    const a = await athena('StartQueryExecution', request);
    const b = await athena('StartQueryExecution', request);
    expect(b.json['QueryExecutionId']).toBe(a.json['QueryExecutionId']);
    const c = await athena('StartQueryExecution', { ...request, QueryString: await rendered('SELECT 3 AS three') });
    expect(c).toMatchObject({ status: 400, json: { __type: 'InvalidRequestException', Message: 'Idempotent parameters do not match' } });
    expect((await athena('StartQueryExecution', { ...request, ClientRequestToken: 'short' })).json['__type']).toBe('InvalidRequestException');
  });

  /** Starts raw Athena SQL (no rendering) and waits for the end. */
  async function runAthena(query: string, context: Record<string, string> = { Database: local.database }): Promise<{ id: string; execution: Record<string, unknown> & { Status: { State: string; StateChangeReason?: string }; Statistics: { DataScannedInBytes: number } } }> {
    const { json } = await athena('StartQueryExecution', { QueryString: query, WorkGroup: local.workgroup, ClientRequestToken: token(), QueryExecutionContext: context });
    const id = json['QueryExecutionId'] as string;
    return { id, execution: (await finished(id)) as never };
  }

  async function firstRows(id: string): Promise<{ types: string[]; rows: unknown[][] }> {
    const { json } = await athena('GetQueryResults', { QueryExecutionId: id });
    const resultSet = json['ResultSet'] as { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }>; ResultSetMetadata: { ColumnInfo: Array<{ Type: string }> } };
    return { types: resultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Type), rows: resultSet.Rows.slice(1).map((r) => r.Data.map((d) => d.VarCharValue ?? null)) };
  }

  it('runs Athena SQL on the Glue table under every name Athena accepts, pruned by event_date like partition projection', async () => {
    const dates = ['2024-03-02', '2024-03-03'];
    const expected = queryEngineFixture().events.filter((e) => dates.includes(e.event_time.slice(0, 10))).length;
    let partitionBytes = 0;
    for (const date of dates) for (const f of await readdir(path.join(root, 'events', date))) partitionBytes += (await stat(path.join(root, 'events', date, f))).size;
    const where = `WHERE event_date BETWEEN date '${dates[0]}' AND date '${dates[1]}'`;
    const spellings: Array<[string, Record<string, string>]> = [
      [`${local.database}.${local.table}`, {}],
      [`"${local.database}"."${local.table}"`, {}],
      [`awsdatacatalog.${local.database}.${local.table}`, {}],
      [local.table, { Database: local.database }],
    ];
    for (const [table, context] of spellings) {
      const { id, execution } = await runAthena(`SELECT count(*) FROM ${table} ${where}`, context);
      expect(execution.Status, table).toMatchObject({ State: 'SUCCEEDED' });
      expect(await firstRows(id)).toEqual({ types: ['bigint'], rows: [[String(expected)]] });
      expect(execution.Statistics.DataScannedInBytes).toBe(partitionBytes);
    }
  });

  it('runs Trino that DuckDB cannot parse: array casts, lambdas, UNNEST, with Athena\'s column types', async () => {
    const { id, execution } = await runAthena(
      `SELECT CAST(json_extract(event_data, '$.participants') AS array(varchar)) AS participants,
              transform(CAST(json_extract(event_data, '$.participants') AS array(varchar)), p -> upper(p)) AS shouted,
              CAST(json_extract(event_data, '$["user"]') AS varchar) AS who, 7 / 2, p
       FROM ${local.database}.${local.table} CROSS JOIN UNNEST(CAST(json_extract(event_data, '$.participants') AS array(varchar))) AS t(p)
       WHERE event_type = 'session.end' AND uid = 'ev-0004'`,
    );
    expect(execution.Status.State).toBe('SUCCEEDED');
    expect(await firstRows(id)).toEqual({ types: ['array', 'array', 'varchar', 'integer', 'varchar'], rows: [['[erin]', '[ERIN]', 'erin', '3', 'erin']] });
  });

  it('answers EXPLAIN with one Query Plan column', async () => {
    const { id, execution } = await runAthena(`EXPLAIN SELECT count(*) FROM ${local.database}.${local.table}`);
    expect(execution.Status.State).toBe('SUCCEEDED');
    const { json } = await athena('GetQueryResults', { QueryExecutionId: id });
    const resultSet = json['ResultSet'] as { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }> };
    expect(resultSet.Rows[0]!.Data).toEqual([{ VarCharValue: 'Query Plan' }]);
    expect(resultSet.Rows[1]!.Data[0]!.VarCharValue).toMatch(/READ_PARQUET|PARQUET_SCAN|TABLE_SCAN|SEQ_SCAN/i);
  });

  it("refuses a second statement when the query is started, as Athena does", async () => {
    const res = await athena('StartQueryExecution', { QueryString: 'SELECT 1; SELECT 2', WorkGroup: local.workgroup, ClientRequestToken: token() });
    expect(res).toMatchObject({ status: 400, json: { __type: 'InvalidRequestException', Message: 'Only one sql statement is allowed. Got: SELECT 1; SELECT 2' } });
  });

  it.each([
    ['SELECT FROM WHERE', /^SYNTAX_ERROR: line 1:\d+: /],
    ['SELECT (((', /^SYNTAX_ERROR: line 1:\d+: /],
    [`SELECT count(*) FROM audit_db.nope`, /^TABLE_NOT_FOUND: line 1:22: Table 'awsdatacatalog\.audit_db\.nope' does not exist$/],
    [`SELECT count(*) FROM cert_create`, /^TABLE_NOT_FOUND: line 1:22: Table 'awsdatacatalog\.audit_db\.cert_create' does not exist$/],
    [`SELECT nope FROM audit_db.audit_table`, /^COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved$/],
    [`SELECT read_text('/etc/passwd')`, /^FUNCTION_NOT_FOUND: line 1:8: Function 'read_text' not registered$/],
    [`SELECT * FROM read_csv('/etc/passwd')`, /^FUNCTION_NOT_FOUND: line 1:15: Function 'read_csv' not registered$/],
    ['INSERT INTO audit_db.audit_table SELECT * FROM audit_db.audit_table', /^NOT_SUPPORTED: line 1:1: .*INSERT/],
    ['DROP TABLE audit_db.audit_table', /^NOT_SUPPORTED: line 1:1: .*DROP TABLE/],
    [`UNLOAD (SELECT 1) TO 's3://bucket/x/' WITH (format = 'CSV')`, /^NOT_SUPPORTED: line 1:1: .*UNLOAD/],
    ['CREATE TABLE audit_db.copy AS SELECT * FROM audit_db.audit_table', /^NOT_SUPPORTED: line 1:1: .*CREATE TABLE AS/],
    ['MSCK REPAIR TABLE audit_db.audit_table', /^NOT_SUPPORTED: line 1:1: .*MSCK REPAIR TABLE/],
  ])("fails %s with Athena's error shape", async (query, reason) => {
    const { execution } = await runAthena(query);
    expect(execution.Status.State).toBe('FAILED');
    expect(execution.Status.StateChangeReason).toMatch(reason);
    expect(execution['Status']).toMatchObject({ AthenaError: { ErrorCategory: 2, ErrorMessage: execution.Status.StateChangeReason } });
    expect((await athena('GetWorkGroup', { WorkGroup: local.workgroup })).status).toBe(200); // the peer is still there
  });

  it("answers STS AssumeRole in STS's XML, and refuses a role it does not trust with AccessDenied", async () => {
    const assume = (roleArn: string) =>
      fetch(local.endpoints.sts, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'access-monitor-test' }).toString(),
      });
    const ok = await assume(local.roleArn);
    expect(ok.status).toBe(200);
    const xml = await ok.text();
    expect(xml).toMatch(/<AssumeRoleResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    expect(xml).toMatch(/<AccessKeyId>ASIA[0-9A-F]{16}<\/AccessKeyId>/);
    expect(xml).toMatch(/<Arn>arn:aws:sts::123456789012:assumed-role\/AccessMonitoringRole\/access-monitor-test<\/Arn>/);
    const denied = await assume('arn:aws:iam::123456789012:role/Other');
    expect(denied.status).toBe(403);
    const error = await denied.text();
    expect(error).toContain('<Code>AccessDenied</Code>');
    expect(error).toContain('is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Other');
  });

  it('refuses Athena requests not signed with credentials its STS issued, when told to', async () => {
    const strict = await startAthenaPeer({ s3: s3PeerClientConfig(local.endpoints.s3), tables: {}, requireRoleCredentials: true, cacheDir: path.join(root, 'strict') });
    try {
      const res = await fetch(strict.endpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'AmazonAthena.GetWorkGroup',
          'content-type': 'application/x-amz-json-1.1',
          authorization: 'AWS4-HMAC-SHA256 Credential=S3RVER/20240310/us-east-1/athena/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: JSON.stringify({ WorkGroup: 'primary' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ __type: 'UnrecognizedClientException', Message: 'The security token included in the request is invalid.' });
    } finally {
      await strict.stop();
    }
  });
});
