import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '@access-monitor/contracts';
import {
  AssumeRoleFailed,
  AthenaEngineErrorCodes,
  AthenaThrottled,
  CsvRecordScanner,
  createAthenaEngine,
  queryEngineFixture,
  writeFixtureParquet,
  type AthenaEngineOptions,
  type QueryEngine,
} from '@access-monitor/engine';
import { waitForState } from '@access-monitor/engine/contract';
import { athenaEngineOptionsFor, startAwsLocal, type AwsLocal } from './index';

const window = queryEngineFixture().window;
const countSql = `SELECT count(*) AS n FROM audit_events`;
let tokens = 0;
const token = (): string => `faults-${process.pid}-${tokens++}`;

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('Athena engine against faults of its peers', () => {
  let root: string;
  let local: AwsLocal;
  const engines: QueryEngine[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'athena-faults-'));
    await writeFixtureParquet(queryEngineFixture().events, path.join(root, 'events'));
    local = await startAwsLocal({ dataDir: path.join(root, 'events'), cacheDir: path.join(root, 'cache') });
  });
  afterEach(() => {
    local.athena.faults.clear();
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await local?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function engineWith(overrides: Partial<AthenaEngineOptions> = {}): Promise<QueryEngine> {
    const engine = await createAthenaEngine(athenaEngineOptionsFor(local, overrides));
    engines.push(engine);
    return engine;
  }

  async function run(engine: QueryEngine, sql = countSql) {
    const { id } = await engine.start({ sql, window, token: token() });
    return waitForState(engine, id);
  }

  const callsOf = (operation: string) => local.athena.calls.filter((c) => c.operation === operation);

  it("reports Athena's FAILED with Athena's error code and message", async () => {
    const engine = await engineWith();
    local.athena.faults.failNext({ errorCode: 'HIVE_BAD_DATA', message: 'Error parsing field value for field 3: For input string: "x"', errorCategory: 2, errorType: 1001 });
    const status = await run(engine);
    expect(status.state).toBe('FAILED');
    expect(status.error?.code).toBe('HIVE_BAD_DATA');
    expect(status.error?.message).toContain('Error parsing field value for field 3');
  });

  it('retries throttled requests with backoff and then succeeds', async () => {
    const engine = await engineWith();
    const before = callsOf('StartQueryExecution').length;
    local.athena.faults.throttle({ times: 2, operation: 'StartQueryExecution' });
    local.athena.faults.throttle({ times: 1, operation: 'GetQueryExecution', type: 'TooManyRequestsException' });
    const status = await run(engine);
    expect(status.state).toBe('SUCCEEDED');
    const starts = callsOf('StartQueryExecution').slice(before);
    expect(starts.map((c) => c.rejectedWith)).toEqual(['ThrottlingException', 'ThrottlingException', undefined]);
    // Retries of one start carry one token: Athena runs the query once.
    expect(new Set(starts.map((c) => c.params['ClientRequestToken'])).size).toBe(1);
  });

  it('gives up on persistent throttling with AthenaThrottled, the 503-class error', async () => {
    const engine = await engineWith();
    local.athena.faults.throttle({ times: 100, operation: 'StartQueryExecution' });
    const start = engine.start({ sql: countSql, window, token: token() });
    await expect(start).rejects.toThrow(AthenaThrottled);
    await expect(start).rejects.toThrow(/ThrottlingException.*after 4 attempts/);
  });

  it("reports the workgroup's bytes scanned cutoff as a scan-limit error naming the limit", async () => {
    local.athena.setWorkgroup({ name: 'capped', outputLocation: `s3://${local.buckets.transient}/capped/`, bytesScannedCutoffPerQuery: 1000 });
    const engine = await engineWith({ workgroup: 'capped' });
    const status = await run(engine);
    expect(status.state).toBe('FAILED');
    expect(status.error?.code).toBe(AthenaEngineErrorCodes.scanLimit);
    expect(status.error?.message).toContain('1000 bytes');
    expect(status.error?.message).toContain('capped');
    expect(local.athena.execution(status.id)?.stateChangeReason).toBe('Bytes scanned limit was exceeded');
  });

  it("stops a query that scans more than the caller's budget, naming the budget", async () => {
    const engine = await engineWith();
    local.athena.faults.slowResults(60_000); // still RUNNING when the engine sees what it scanned
    const { id } = await engine.start({ sql: countSql, window, token: token(), maxBytesScanned: 1000 });
    const status = await waitForState(engine, id, ['FAILED'], 20_000);
    expect(status.state).toBe('FAILED');
    expect(status.error?.code).toBe(AthenaEngineErrorCodes.scanLimit);
    expect(status.error?.message).toContain('over the limit of 1000 B (1000 bytes)');
    expect(callsOf('StopQueryExecution').some((c) => c.params['QueryExecutionId'] === id)).toBe(true);
  });

  it('resumes a result stream cut by S3 (and 500/503 on the retry) by range, with no row repeated or missing', async () => {
    const engine = await engineWith({ rowsPerIndexEntry: 500 });
    const status = await run(engine, `SELECT a.uid AS x, b.uid AS y, b.event_time AS t FROM audit_events a CROSS JOIN audit_events b WHERE a.uid < 'ev-0060' ORDER BY x, y`);
    expect(status.state).toBe('SUCCEEDED');
    expect(status.rowCount).toBe(61 * 301); // ev-0000 … ev-0059 and db-query-tricky
    const key = `results/${status.id}.csv`;
    const expected = Buffer.from(await (await local.s3.client.send(new GetObjectCommand({ Bucket: local.buckets.transient, Key: key }))).Body!.transformToByteArray());
    const isCsvGet = (r: { method: string; key: string | undefined }) => r.method === 'GET' && r.key === key;

    const recorder = local.s3.record();
    local.s3.faults.inject({ match: (r) => isCsvGet(r) && r.headers['if-match'] === undefined, cutAfterBytes: 100_000 });
    local.s3.faults.inject({ match: (r) => isCsvGet(r) && r.headers['if-match'] !== undefined, respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } });
    local.s3.faults.inject({ match: (r) => isCsvGet(r) && r.headers['if-match'] !== undefined, respond: { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' } });
    const downloaded = await readStream(await engine.csv(status.id));
    recorder.stop();
    expect(local.s3.faults.pending()).toBe(0);
    expect(downloaded.equals(expected)).toBe(true);
    const resumes = recorder.requests.filter((r) => isCsvGet(r) && r.headers['if-match'] !== undefined);
    expect(resumes.length).toBeGreaterThanOrEqual(3); // 503, 500, then the one that delivered the rest
    expect(resumes.every((r) => r.headers['range'] === 'bytes=100000-' + String(expected.length - 1))).toBe(true);

    // Pages read through a cut too: every row exactly once, in order.
    const rows: Cell[][] = [];
    const scanned: string[][] = [];
    const scanner = new CsvRecordScanner((fields) => scanned.push(fields as string[]));
    scanner.push(expected);
    scanner.finish();
    local.s3.faults.inject({ match: (r) => isCsvGet(r), cutAfterBytes: 70_000, times: 2 });
    while (rows.length < status.rowCount!) rows.push(...(await engine.page(status.id, rows.length, 1000)).rows);
    expect(local.s3.faults.pending()).toBe(0);
    expect(rows).toEqual(scanned.slice(1));
  });

  it("names the role and STS's own reason when the role cannot be assumed", async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/NotTrustingUs';
    local.athena.sts.setRole(roleArn, { allow: false });
    const engine = await engineWith({ roleArn });
    const start = engine.start({ sql: countSql, window, token: token() });
    await expect(start).rejects.toThrow(AssumeRoleFailed);
    const error = (await start.catch((e: unknown) => e)) as AssumeRoleFailed;
    expect(error.roleArn).toBe(roleArn);
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toContain(roleArn);
    expect(error.message).toMatch(/AccessDenied: User: .* is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/NotTrustingUs/);
  });

  it('assumes the role again, transparently, when its credentials expire before their time', async () => {
    const engine = await engineWith();
    expect((await run(engine)).state).toBe('SUCCEEDED');
    const assumed = callsOf('sts:AssumeRole').length;
    const rejectedBefore = local.athena.calls.filter((c) => c.rejectedWith === 'ExpiredTokenException').length;
    local.athena.sts.expireIssued();
    const status = await run(engine);
    expect(status.state).toBe('SUCCEEDED');
    expect((await engine.page(status.id, 0, 1)).rows).toEqual([[301]]);
    expect(local.athena.calls.filter((c) => c.rejectedWith === 'ExpiredTokenException').length).toBeGreaterThan(rejectedBefore);
    expect(callsOf('sts:AssumeRole').length).toBeGreaterThan(assumed);
  });

  it('renews short-lived role credentials before they expire', async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/ShortLived';
    local.athena.sts.setRole(roleArn, { allow: true, lifetimeSeconds: 1 });
    const engine = await engineWith({ roleArn });
    const assumed = callsOf('sts:AssumeRole').length;
    local.athena.faults.slowResults(1500); // the query outlives the first credentials
    const status = await run(engine);
    expect(status.state).toBe('SUCCEEDED');
    expect(callsOf('sts:AssumeRole').length - assumed).toBeGreaterThanOrEqual(2);
  });

  it('stops a query at its own deadline with StopQueryExecution and reports it CANCELLED with the reason', async () => {
    const engine = await engineWith({ queryTimeoutMs: 300 });
    local.athena.faults.delayQueue(60_000); // Athena keeps it queued: only our deadline ends it
    const { id } = await engine.start({ sql: countSql, window, token: token() });
    const status = await waitForState(engine, id, ['CANCELLED'], 20_000);
    expect(status.state).toBe('CANCELLED');
    expect(status.error?.code).toBe(AthenaEngineErrorCodes.timeout);
    expect(status.error?.message).toContain('query timeout of 300 ms');
    expect(callsOf('StopQueryExecution').some((c) => c.params['QueryExecutionId'] === id)).toBe(true);
    expect(local.athena.execution(id)?.state).toBe('CANCELLED');
  });

  it('stops a query at the deadline its start asked for (timeoutMs), shorter than the engine\'s own', async () => {
    const engine = await engineWith();
    local.athena.faults.delayQueue(60_000);
    const { id } = await engine.start({ sql: countSql, window, token: token(), timeoutMs: 300 });
    const status = await waitForState(engine, id, ['CANCELLED'], 20_000);
    expect(status.error?.code).toBe(AthenaEngineErrorCodes.timeout);
    expect(status.error?.message).toContain('query timeout of 300 ms');
    expect(local.athena.execution(id)?.state).toBe('CANCELLED');
  });

  it('starts one Athena execution per token across server instances, and each instance reads it', async () => {
    const [a, b] = [await engineWith(), await engineWith()];
    const t = token();
    const sql = `SELECT "user", count(*) AS n FROM session_start GROUP BY 1 ORDER BY 1`;
    const [first, second] = await Promise.all([a.start({ sql, window, token: t }), b.start({ sql, window, token: t })]);
    expect(second.id).toBe(first.id);
    const statusFromB = await waitForState(b, first.id);
    expect(statusFromB.state).toBe('SUCCEEDED');
    // B never saw the start: it reads the user's SQL and window back from Athena's copy of the query.
    const c = await engineWith();
    const statusFromC = await c.status(first.id);
    expect(statusFromC.sql).toBe(sql);
    expect(statusFromC.window).toEqual(window);
    expect((await c.page(first.id, 0, 100)).rows).toEqual((await a.page(first.id, 0, 100)).rows);
  });

  it("leaves the result location to a workgroup that enforces its own, and reads the result from there", async () => {
    local.athena.setWorkgroup({ name: 'enforcing', outputLocation: `s3://${local.buckets.transient}/enforced/`, enforce: true });
    const engine = await engineWith({ workgroup: 'enforcing' });
    const status = await run(engine);
    expect(status.state).toBe('SUCCEEDED');
    expect(local.athena.execution(status.id)?.requestedOutputLocation).toBeUndefined();
    expect(local.athena.execution(status.id)?.outputLocation).toBe(`s3://${local.buckets.transient}/enforced/${status.id}.csv`);
    expect((await engine.page(status.id, 0, 1)).rows).toEqual([[301]]);
  });
});
