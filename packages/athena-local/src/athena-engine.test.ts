import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAthenaEngine, queryEngineFixture, writeFixtureParquet, type QueryEngine } from '@access-monitor/engine';
import { describeQueryEngineContract } from '@access-monitor/engine/contract';
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
