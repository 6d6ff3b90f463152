import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryEngineFixture, writeFixtureParquet } from '@access-monitor/engine';
import { startAwsLocal, type AwsLocal } from './index';

// aws-local as any Athena client meets it: Debian's AWS CLI v2 assumes the role through the peer's
// STS with the loopback credentials, starts a query on the Glue table in the workgroup, polls it
// and reads the result, both through GetQueryResults and from the S3 output location.

const run = promisify(execFile);
const ENSURE_AWS_CLI = fileURLToPath(new URL('../../../scripts/ensure-awscli.mjs', import.meta.url));

describe('the AWS CLI v2 against aws-local', () => {
  let root: string;
  let local: AwsLocal;
  let aws: string;
  /** No config or credentials files of the machine: only what the test passes. */
  let baseEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    aws = execFileSync(process.execPath, [ENSURE_AWS_CLI], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    root = await mkdtemp(path.join(tmpdir(), 'aws-cli-'));
    await writeFixtureParquet(queryEngineFixture().events, path.join(root, 'events'));
    local = await startAwsLocal({ dataDir: path.join(root, 'events'), cacheDir: path.join(root, 'cache') });
    baseEnv = {
      PATH: process.env['PATH'],
      HOME: root,
      AWS_CONFIG_FILE: path.join(root, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_DEFAULT_OUTPUT: 'json',
      AWS_REGION: local.region,
    };
  }, 600_000);
  afterAll(async () => {
    await local?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(aws, args, { env: { ...baseEnv, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  }

  it('assumes the role, runs a query on the Glue table with a partition predicate, and reads the result', async () => {
    const source = { AWS_ACCESS_KEY_ID: local.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey };
    const assumed = await cli(source, 'sts', 'assume-role', '--role-arn', local.roleArn, '--role-session-name', 'cli-test', '--endpoint-url', local.endpoints.sts);
    const credentials = assumed['Credentials'] as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    expect(credentials.AccessKeyId).toMatch(/^ASIA/);
    const role = { AWS_ACCESS_KEY_ID: credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey, AWS_SESSION_TOKEN: credentials.SessionToken };
    const athena = (...args: string[]) => cli(role, 'athena', ...args, '--endpoint-url', local.endpoints.athena);

    const query = `SELECT count(*) FROM ${local.database}.${local.table} WHERE event_date BETWEEN date '2024-03-02' AND date '2024-03-03'`;
    const output = `s3://${local.buckets.transient}/cli/`;
    const started = await athena('start-query-execution', '--query-string', query, '--work-group', local.workgroup, '--result-configuration', `OutputLocation=${output}`);
    const id = started['QueryExecutionId'] as string;
    let execution: { Status: { State: string; StateChangeReason?: string }; Statistics: { DataScannedInBytes: number }; ResultConfiguration: { OutputLocation: string } };
    for (;;) {
      execution = (await athena('get-query-execution', '--query-execution-id', id))['QueryExecution'] as typeof execution;
      if (!['QUEUED', 'RUNNING'].includes(execution.Status.State)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(execution.Status).toMatchObject({ State: 'SUCCEEDED' });
    expect(execution.ResultConfiguration.OutputLocation).toBe(`${output}${id}.csv`);

    const expected = String(queryEngineFixture().events.filter((e) => ['2024-03-02', '2024-03-03'].includes(e.event_time.slice(0, 10))).length);
    let partitionBytes = 0;
    for (const date of ['2024-03-02', '2024-03-03']) for (const f of await readdir(path.join(root, 'events', date))) partitionBytes += (await stat(path.join(root, 'events', date, f))).size;
    expect(execution.Statistics.DataScannedInBytes).toBe(partitionBytes);

    const results = (await athena('get-query-results', '--query-execution-id', id))['ResultSet'] as { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }>; ResultSetMetadata: { ColumnInfo: Array<{ Name: string; Type: string }> } };
    expect(results.Rows.map((r) => r.Data.map((d) => d.VarCharValue))).toEqual([['_col0'], [expected]]);
    expect(results.ResultSetMetadata.ColumnInfo).toMatchObject([{ Name: '_col0', Type: 'bigint' }]);

    const { stdout: csv } = await run(aws, ['s3', 'cp', `${output}${id}.csv`, '-', '--endpoint-url', local.endpoints.s3], { env: { ...baseEnv, ...role } });
    expect(csv).toBe(`"_col0"\n"${expected}"\n`);
  });

  it("shows Athena's failure of a query on a table that does not exist", async () => {
    const source = { AWS_ACCESS_KEY_ID: local.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey };
    const assumed = (await cli(source, 'sts', 'assume-role', '--role-arn', local.roleArn, '--role-session-name', 'cli-test', '--endpoint-url', local.endpoints.sts))['Credentials'] as Record<string, string>;
    const role = { AWS_ACCESS_KEY_ID: assumed['AccessKeyId'], AWS_SECRET_ACCESS_KEY: assumed['SecretAccessKey'], AWS_SESSION_TOKEN: assumed['SessionToken'] };
    const athena = (...args: string[]) => cli(role, 'athena', ...args, '--endpoint-url', local.endpoints.athena);
    const { QueryExecutionId: id } = (await athena('start-query-execution', '--query-string', 'SELECT * FROM nope', '--work-group', local.workgroup, '--query-execution-context', `Database=${local.database}`)) as { QueryExecutionId: string };
    let status: { State: string; StateChangeReason?: string };
    do status = ((await athena('get-query-execution', '--query-execution-id', id))['QueryExecution'] as { Status: typeof status }).Status;
    while (['QUEUED', 'RUNNING'].includes(status.State));
    expect(status).toEqual(expect.objectContaining({ State: 'FAILED', StateChangeReason: `TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.${local.database}.nope' does not exist` }));
  });
});
