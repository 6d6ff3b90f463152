import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAthenaEngine, createDuckDbEngine, queryEngineFixture, writeFixtureParquet, type QueryEngine } from '@access-monitor/engine';
import { describeQueryEngineContract, waitForState } from '@access-monitor/engine/contract';
import { SqlRejected } from '@access-monitor/sql';
import { athenaEngineOptionsFor, startAwsLocal, type AwsLocal } from './index';

// The engine's contract, run against Athena on loopback: every request is signed with the assumed
// role's credentials (the peer refuses any other), results come from the S3 peer.

const roots: string[] = [];
const locals: AwsLocal[] = [];
afterAll(async () => {
  await Promise.all(locals.map((l) => l.stop()));
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describeQueryEngineContract('athena', async (fixture) => {
  const root = await mkdtemp(path.join(tmpdir(), 'athena-contract-'));
  roots.push(root);
  await writeFixtureParquet(fixture.events, path.join(root, 'events'));
  const local = await startAwsLocal({ dataDir: path.join(root, 'events'), cacheDir: path.join(root, 'cache') });
  locals.push(local);
  return createAthenaEngine(athenaEngineOptionsFor(local));
});

describe('Athena engine on loopback peers', () => {
  let local: AwsLocal;
  let engine: QueryEngine;
  let dataDir: string;
  const window = queryEngineFixture().window;

  beforeAll(async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'athena-engine-'));
    roots.push(root);
    dataDir = path.join(root, 'events');
    await writeFixtureParquet(queryEngineFixture().events, dataDir);
    local = await startAwsLocal({ dataDir, cacheDir: path.join(root, 'cache') });
    locals.push(local);
    engine = await createAthenaEngine(athenaEngineOptionsFor(local));
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('starts the query in the workgroup, database and catalog, with the result location and a ClientRequestToken', async () => {
    const { id } = await engine.start({ sql: 'SELECT count(*) AS n FROM audit_events', window, token: 'placement' });
    const start = local.athena.calls.find((c) => c.operation === 'StartQueryExecution' && local.athena.execution(id)?.clientRequestToken === c.params['ClientRequestToken']);
    expect(start?.params).toMatchObject({
      WorkGroup: local.workgroup,
      QueryExecutionContext: { Database: local.database, Catalog: 'AwsDataCatalog' },
      ResultConfiguration: { OutputLocation: `s3://${local.buckets.transient}/results` },
    });
    expect(String(start?.params['ClientRequestToken']).length).toBeGreaterThanOrEqual(32);
    expect(String(start?.params['QueryString'])).toContain(`FROM ${local.database}.${local.table} WHERE event_date BETWEEN date '${window.start}' AND date '${window.end}'`);
    expect(start?.accessKeyId).toMatch(/^ASIA/); // the assumed role's key, not the source identity's
  });

  it('sends Trino that only Athena reads (array casts, lambdas) to Athena; the embedded engine refuses it as Athena-only', async () => {
    // The issue's statement: the guard lets it through and Athena runs it (cert_create has no event_data column, so Athena's answer is COLUMN_NOT_FOUND).
    const issue = `SELECT CAST(json_extract(event_data, '$.roles') AS array(varchar)) FROM cert_create`;
    const failed = await waitForState(engine, (await engine.start({ sql: issue, window, token: issue })).id);
    expect(failed.error).toMatchObject({ code: 'COLUMN_NOT_FOUND', message: expect.stringMatching(/^COLUMN_NOT_FOUND: line \d+:\d+: Column 'event_data' cannot be resolved/) });
    const participants = `SELECT transform(CAST(json_extract(event_data, '$.participants') AS array(varchar)), p -> upper(p)) AS participants FROM audit_events WHERE uid = 'ev-0004'`;
    const ran = await waitForState(engine, (await engine.start({ sql: participants, window, token: participants })).id);
    expect(ran.state).toBe('SUCCEEDED');
    expect((await engine.page(ran.id, 0, 10)).rows).toEqual([['[ERIN]']]);

    const embedded = await createDuckDbEngine({ dataDir, resultsDir: path.join(dataDir, '..', 'embedded-results'), threads: 1 });
    try {
      const refused = await embedded.start({ sql: issue, window, token: 'embedded' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SqlRejected);
      expect((refused as SqlRejected).reason).toMatch(/^this statement is Athena-only: /);
    } finally {
      await embedded.close();
    }
  });

  it('sends Athena nothing for text Trino would read otherwise than the guard: nested block comments, NUL', async () => {
    const before = local.athena.calls.filter((c) => c.operation === 'StartQueryExecution').length;
    for (const sql of [`/* /* */ SELECT "user", event_data FROM audit_db.audit_table -- */ SELECT 1 AS ok`, `SELECT 1 AS ok -- \0\n, event_data FROM audit_db.audit_table`]) {
      await expect(engine.start({ sql, window, token: sql })).rejects.toThrow(SqlRejected);
    }
    expect(local.athena.calls.filter((c) => c.operation === 'StartQueryExecution')).toHaveLength(before);
  });

  it("estimates bytes scanned from the size of the window's partitions under locationS3", async () => {
    const partial = { start: '2024-03-02', end: '2024-03-03' };
    let expected = 0;
    for (const date of ['2024-03-02', '2024-03-03']) {
      for (const f of await readdir(path.join(dataDir, date))) expected += (await stat(path.join(dataDir, date, f))).size;
    }
    expect(await engine.estimateBytes!(partial)).toBe(expected);
    expect(await engine.estimateBytes!({ start: '2023-01-01', end: '2023-01-02' })).toBe(0);
  });
});
