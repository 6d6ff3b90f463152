import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { AthenaFaults } from './athena-faults';
import { AthenaExecutions, type PeerExecution, type WorkgroupConfig } from './athena-executions';
import { AwsJsonError, invalidRequest, readBody, sendJson, sendJsonError, signingAccessKey } from './aws-wire';
import { StsPeer, type IssuedCredentials, type RoleConfig } from './sts-peer';
import { TrinoTranslator } from './trino-translator';

export interface AthenaPeerOptions {
  /** The S3 peer holding the tables' Parquet and receiving results (its endpoint, credentials, path-style…). */
  s3: S3ClientConfig;
  /** `database.table` → `s3://bucket/prefix` of its Parquet in Teleport's layout (`<prefix>/<YYYY-MM-DD>/<chunk>.parquet`). */
  tables: Record<string, string>;
  /** Default: one workgroup, `primary`, without settings. */
  workgroups?: WorkgroupConfig[];
  /** Roles STS lets the caller assume, by ARN; any other role is AccessDenied. */
  roles?: Record<string, RoleConfig>;
  /** Athena requests must be signed with credentials this peer's STS issued (and not expired). Default false. */
  requireRoleCredentials?: boolean;
  /** Told about every key pair STS issues, so the S3 peer can accept it (startAwsLocal registers them with s3rver). */
  onCredentialsIssued?: (accessKeyId: string, secretAccessKey: string) => void;
  /** Where the Parquet copies and DuckDB results go. Default: a temp folder removed on stop. */
  cacheDir?: string;
  /** DuckDB threads. Default 2. */
  threads?: number;
}

/** A request the peer received. */
export interface RecordedCall {
  /** Athena operation (`StartQueryExecution`, …) or `sts:AssumeRole`. */
  operation: string;
  accessKeyId?: string;
  /** The JSON body (Athena) or form fields (STS). */
  params: Record<string, unknown>;
  /** The error type answered instead of a result, if any. */
  rejectedWith?: string;
}

export interface AthenaPeer {
  /** Athena and STS both answer here (route by X-Amz-Target / Action). */
  endpoint: string;
  faults: AthenaFaults;
  /** Every request, in order. */
  readonly calls: RecordedCall[];
  /** Executions by QueryExecutionId, as the peer holds them. */
  execution(id: string): PeerExecution | undefined;
  setWorkgroup(workgroup: WorkgroupConfig): void;
  sts: {
    readonly issued: readonly IssuedCredentials[];
    setRole(roleArn: string, config: RoleConfig): void;
    /** Every credential issued so far reads as expired from now on. */
    expireIssued(): void;
  };
  stop(): Promise<void>;
}

const OPERATIONS = new Set(['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'StopQueryExecution', 'GetWorkGroup']);

/**
 * Amazon Athena on loopback: the JSON 1.1 protocol (`POST /`, `X-Amz-Target: AmazonAthena.<Operation>`,
 * Athena's error shapes) for StartQueryExecution, GetQueryExecution, GetQueryResults,
 * StopQueryExecution and GetWorkGroup, executing on DuckDB over Parquet held in an S3 peer and
 * writing results back to it; plus STS AssumeRole, so the role path is exercised for real.
 */
export async function startAthenaPeer(options: AthenaPeerOptions): Promise<AthenaPeer> {
  const ownCache = options.cacheDir === undefined;
  const cacheDir = options.cacheDir ?? (await mkdtemp(path.join(tmpdir(), 'athena-local-')));
  const s3 = new S3Client(options.s3);
  const faults = new AthenaFaults();
  const workgroups = new Map<string, WorkgroupConfig>((options.workgroups ?? [{ name: 'primary' }]).map((w) => [w.name, w]));
  const translator = await TrinoTranslator.load();
  const executions = new AthenaExecutions({ s3, tables: options.tables, workgroups, faults, cacheDir, threads: options.threads ?? 2, translator });
  const sts = new StsPeer(new Map(Object.entries(options.roles ?? {})), options.onCredentialsIssued);
  const calls: RecordedCall[] = [];

  const athena = async (operation: string, params: Record<string, unknown>, call: RecordedCall): Promise<unknown> => {
    if (!OPERATIONS.has(operation)) throw new AwsJsonError(400, 'UnknownOperationException', `Operation ${operation} is not supported by athena-local`);
    if (options.requireRoleCredentials) {
      const check = sts.check(call.accessKeyId);
      if (!check.ok) throw new AwsJsonError(400, check.type, check.message);
    }
    const throttled = faults.takeThrottle(operation);
    if (throttled === 'ThrottlingException') throw new AwsJsonError(400, 'ThrottlingException', 'Rate exceeded');
    if (throttled) throw new AwsJsonError(400, 'TooManyRequestsException', 'You have exceeded the limit for the number of queries you can run concurrently.', { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
    switch (operation) {
      case 'StartQueryExecution':
        return { QueryExecutionId: executions.start(params) };
      case 'GetQueryExecution':
        return { QueryExecution: presentExecution(executions.get(queryExecutionId(params))) };
      case 'StopQueryExecution':
        await executions.stop(queryExecutionId(params));
        return {};
      case 'GetQueryResults':
        return queryResults(executions, params);
      case 'GetWorkGroup': {
        const name = typeof params['WorkGroup'] === 'string' ? params['WorkGroup'] : '';
        const workgroup = workgroups.get(name);
        if (!workgroup) throw invalidRequest(`WorkGroup ${name} is not found.`);
        return { WorkGroup: presentWorkgroup(workgroup) };
      }
    }
    return {};
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const accessKeyId = signingAccessKey(req);
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && typeof target === 'string' && target.startsWith('AmazonAthena.')) {
      const operation = target.slice('AmazonAthena.'.length);
      let params: Record<string, unknown> = {};
      const call: RecordedCall = { operation, params, ...(accessKeyId !== undefined ? { accessKeyId } : {}) };
      calls.push(call);
      try {
        params = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
        call.params = params;
        sendJson(res, 200, await athena(operation, params, call));
      } catch (e) {
        const error = e instanceof AwsJsonError ? e : e instanceof SyntaxError ? new AwsJsonError(400, 'SerializationException', 'the body is not JSON') : new AwsJsonError(500, 'InternalServerException', (e as Error).message);
        call.rejectedWith = error.type;
        sendJsonError(res, error);
      }
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    if (req.method === 'POST' && form.has('Action')) {
      const call: RecordedCall = { operation: `sts:${form.get('Action')}`, params: Object.fromEntries(form), ...(accessKeyId !== undefined ? { accessKeyId } : {}) };
      calls.push(call);
      const rejected = sts.handle(form, accessKeyId, res);
      if (rejected !== undefined) call.rejectedWith = rejected;
      return;
    }
    sendJsonError(res, new AwsJsonError(400, 'UnknownOperationException', 'expected an Athena JSON request (X-Amz-Target: AmazonAthena.*) or an STS Query request (Action=…)'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJsonError(res, new AwsJsonError(500, 'InternalServerException', (e as Error).message));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    calls,
    execution: (id) => executions.executions.get(id),
    setWorkgroup: (w) => void workgroups.set(w.name, w),
    sts: {
      get issued() {
        return sts.issued;
      },
      setRole: (arn, config) => sts.setRole(arn, config),
      expireIssued: () => sts.expireIssued(),
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await executions.close();
      s3.destroy();
      if (ownCache) await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

function queryExecutionId(params: Record<string, unknown>): string {
  const id = params['QueryExecutionId'];
  if (typeof id !== 'string' || id === '') throw invalidRequest('QueryExecutionId is required');
  return id;
}

const seconds = (d: Date): number => d.getTime() / 1000;

function presentExecution(e: PeerExecution): Record<string, unknown> {
  const now = new Date();
  const end = e.completedAt ?? now;
  const queued = (e.startedAt ?? end).getTime() - e.submittedAt.getTime();
  const engineMs = e.startedAt ? end.getTime() - e.startedAt.getTime() : 0;
  return {
    QueryExecutionId: e.id,
    Query: e.query,
    StatementType: 'DML',
    SubstatementType: 'SELECT',
    ResultConfiguration: { OutputLocation: e.outputLocation },
    ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: false } },
    QueryExecutionContext: { ...(e.database !== undefined ? { Database: e.database } : {}), ...(e.catalog !== undefined ? { Catalog: e.catalog } : {}) },
    Status: {
      State: e.state,
      ...(e.stateChangeReason !== undefined ? { StateChangeReason: e.stateChangeReason } : {}),
      SubmissionDateTime: seconds(e.submittedAt),
      ...(e.completedAt ? { CompletionDateTime: seconds(e.completedAt) } : {}),
      ...(e.athenaError ? { AthenaError: e.athenaError } : {}),
    },
    Statistics: {
      EngineExecutionTimeInMillis: engineMs,
      DataScannedInBytes: e.dataScannedInBytes,
      TotalExecutionTimeInMillis: end.getTime() - e.submittedAt.getTime(),
      QueryQueueTimeInMillis: queued,
      ServicePreProcessingTimeInMillis: 0,
      QueryPlanningTimeInMillis: 0,
      ServiceProcessingTimeInMillis: 0,
      ResultReuseInformation: { ReusedPreviousResult: false },
    },
    WorkGroup: e.workgroup,
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
  };
}

function presentWorkgroup(w: WorkgroupConfig): Record<string, unknown> {
  return {
    Name: w.name,
    State: 'ENABLED',
    Configuration: {
      ...(w.outputLocation !== undefined ? { ResultConfiguration: { OutputLocation: w.outputLocation } } : {}),
      EnforceWorkGroupConfiguration: w.enforce ?? false,
      PublishCloudWatchMetricsEnabled: false,
      ...(w.bytesScannedCutoffPerQuery !== undefined ? { BytesScannedCutoffPerQuery: w.bytesScannedCutoffPerQuery } : {}),
      RequesterPaysEnabled: false,
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    },
    CreationTime: 1_700_000_000,
  };
}

/** GetQueryResults: the header row then data rows, MaxResults at a time (default 1000), as Athena pages them. */
async function queryResults(executions: AthenaExecutions, params: Record<string, unknown>): Promise<unknown> {
  const execution = executions.get(queryExecutionId(params));
  if (execution.state === 'QUEUED' || execution.state === 'RUNNING') throw invalidRequest(`Query has not yet finished. Current state: ${execution.state}`);
  if (execution.state !== 'SUCCEEDED') throw invalidRequest(`Query did not finish successfully. Final query state: ${execution.state}`);
  const max = typeof params['MaxResults'] === 'number' ? params['MaxResults'] : 1000;
  if (max < 1 || max > 1000) throw invalidRequest(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  const next = typeof params['NextToken'] === 'string' ? Number(Buffer.from(params['NextToken'], 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(next) || next < 0) throw invalidRequest('NextToken is invalid');
  const columns = execution.columns ?? [];
  const header = next === 0 ? [columns.map((c) => c.name)] : [];
  const { rows, more } = await executions.rows(execution, next, max - header.length);
  const cells = (values: Array<string | null>) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: [...header, ...rows].map(cells),
      ResultSetMetadata: {
        ColumnInfo: columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.name, Label: c.name, ...athenaColumnType(c.type), Nullable: 'UNKNOWN', CaseSensitive: c.type === 'varchar' })),
      },
    },
    ...(more ? { NextToken: Buffer.from(String(next + rows.length), 'utf8').toString('base64url') } : {}),
  };
}

/** Precision Athena reports for a type without parameters (0 for the rest). */
const PRECISION: Record<string, number> = { varchar: 2147483647, bigint: 19, integer: 10, smallint: 5, tinyint: 3, double: 17, real: 7, timestamp: 3, 'timestamp with time zone': 3 };

/**
 * ColumnInfo's Type, Precision and Scale as Athena answers them: the type's name without its
 * parameters (`array`, `map`, `row`, `decimal`, `varchar`), which go to Precision and Scale.
 */
export function athenaColumnType(type: string): { Type: string; Precision: number; Scale: number } {
  const open = type.indexOf('(');
  const name = open < 0 ? type : type.slice(0, open);
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return { Type: 'decimal', Precision: Number(decimal[1]), Scale: Number(decimal[2]) };
  const varchar = /^varchar\((\d+)\)$/.exec(type);
  return { Type: name, Precision: varchar ? Number(varchar[1]) : (PRECISION[name] ?? 0), Scale: 0 };
}
