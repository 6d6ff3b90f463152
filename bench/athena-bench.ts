// Production-path figures for `npm run bench` (issue #8), against the loopback peers of `aws-local`:
// the time the BFF adds to a query beyond the Athena peer's own execution time, and result streaming
// from S3 through the BFF vs a plain GetObject of the same CSV. Ratios against the same run's baselines.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startAwsLocal } from '@access-monitor/athena-local';
import { isTerminalState, type DateWindow, type Execution } from '@access-monitor/contracts';
import { USAGE_QUERIES } from '@access-monitor/reports';
import { awsLocalConfigYaml } from '../apps/server/src/dev/aws-local-command';
import { parseConfig } from '../apps/server/src/config/load-config';
import { addUser } from '../apps/server/src/identity/users-file';
import { createLogger } from '../apps/server/src/logger';
import { serve } from '../apps/server/src/serve';

type Report = (what: string, value: string, baseline: string, ratio: string) => void;

interface Context {
  root: string;
  /** Parquet in Teleport's layout, uploaded into the S3 peer. */
  dataDir: string;
  window: DateWindow;
  report: Report;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mbps = (bytes: number, millis: number) => `${(bytes / 1e6 / (millis / 1000)).toFixed(1)} MB/s`;
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchAthenaPath(ctx: Context): Promise<void> {
  const { root, dataDir, window, report } = ctx;
  const aws = await startAwsLocal({ dataDir });
  const dir = path.join(root, 'aws-local');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'access-monitor.yaml');
  await writeFile(file, awsLocalConfigYaml(aws));
  await addUser(path.join(dir, 'users.yaml'), { name: 'bench', roles: ['auditor'], password: 'bench-password-1234' });
  const parsed = parseConfig(awsLocalConfigYaml(aws), { file, env: {} });
  const config = { ...parsed, server: { host: '127.0.0.1', port: 0 }, reports: { ...parsed.reports, refreshEnabled: false, refreshOnStart: false } };
  const server = await serve(config, { logger: createLogger({ level: 'warn' }) });
  try {
    const login = await fetch(`${server.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'bench', password: 'bench-password-1234' }),
    });
    const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, origin: server.url, 'content-type': 'application/json' };

    /** POST, poll until terminal, first page: what the SQL page does. */
    const runViaBff = async (sql: string): Promise<{ wallMs: number; execution: Execution }> => {
      const t0 = performance.now();
      let execution = (await (await fetch(`${server.url}/api/v1/executions`, { method: 'POST', headers, body: JSON.stringify({ sql, ...window }) })).json()) as Execution;
      while (!isTerminalState(execution.state)) {
        await new Promise((r) => setTimeout(r, 20));
        execution = (await (await fetch(`${server.url}/api/v1/executions/${execution.id}`, { headers })).json()) as Execution;
      }
      if (execution.state !== 'SUCCEEDED') throw new Error(`bench query ended ${execution.state}: ${execution.error?.detail}`);
      await (await fetch(`${server.url}/api/v1/executions/${execution.id}/results?limit=100`, { headers })).arrayBuffer();
      return { wallMs: performance.now() - t0, execution };
    };

    // 1. BFF overhead: wall time seen by the browser minus the peer's EngineExecutionTimeInMillis.
    const overheads: number[] = [];
    const engineTimes: number[] = [];
    for (const q of USAGE_QUERIES) {
      for (let i = 0; i < 3; i++) {
        const { wallMs, execution } = await runViaBff(q.sql);
        overheads.push(wallMs - execution.elapsedMs);
        engineTimes.push(execution.elapsedMs);
      }
    }
    const overhead = medianOf(overheads);
    const engineMs = medianOf(engineTimes);
    report(
      `Athena path: BFF time per query beyond the peer's execution (${USAGE_QUERIES.length} overview queries × 3, median)`,
      ms(overhead),
      `peer execution ${ms(engineMs)}`,
      `${((overhead + engineMs) / engineMs).toFixed(2)}× end to end (start, status polling, first page)`,
    );

    // 2. Streaming a large result from S3: the BFF's CSV download vs a plain GetObject of the same object.
    const { execution } = await runViaBff('SELECT uid, event_time, event_type, "user", session_id, event_data FROM audit_events');
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v1/executions/${execution.id}/results.csv`, { headers });
    let bffBytes = 0;
    for await (const chunk of res.body!) bffBytes += (chunk as Uint8Array).byteLength;
    const bffMs = performance.now() - t0;
    const s3 = new S3Client({
      region: aws.region,
      endpoint: aws.endpoints.s3,
      forcePathStyle: true,
      credentials: aws.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const t1 = performance.now();
    const object = await s3.send(new GetObjectCommand({ Bucket: aws.buckets.transient, Key: `results/${execution.id}.csv` }));
    let rawBytes = 0;
    for await (const chunk of object.Body as AsyncIterable<Uint8Array>) rawBytes += chunk.byteLength;
    const rawMs = performance.now() - t1;
    report(
      `Athena path: CSV download of ${execution.rowCount?.toLocaleString('en')} rows (${(bffBytes / 1e6).toFixed(0)} MB) streamed from S3 through the BFF`,
      mbps(bffBytes, bffMs),
      `plain S3 GetObject of the same ${(rawBytes / 1e6).toFixed(0)} MB ${mbps(rawBytes, rawMs)}`,
      `${(bffMs / rawMs).toFixed(2)}× the time`,
    );
    s3.destroy();
  } finally {
    await server.close();
    await aws.stop();
  }
}
