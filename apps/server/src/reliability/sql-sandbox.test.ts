import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ProblemTypes, ResultsPage, isTerminalState } from '@access-monitor/contracts';
import { CliError } from '../cli/cli-error';
import { queryCommand } from '../cli/query-command';
import { FIXTURE_END, startTestServer, type TestServer } from '../testing/test-server';
import { hostileCorpus, tableFunctionStatements, type CorpusPaths, type HostileStatement } from './hostile-sql-corpus';
import { LONG, recordFigures } from './reliability-figures';

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
const WINDOW = { start: '2026-01-10', end: FIXTURE_END };
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const CANARY_ENV = 'ACCESS_MONITOR_RELIABILITY_CANARY';
/** What must never appear in an answer: the canary file's and variable's content, and a system file's. */
const SECRETS = [CANARY, 'root:x:0:0'];
const REFUSAL_TYPES = new Set<string>([ProblemTypes.sqlRejected, ProblemTypes.sqlInvalid, ProblemTypes.invalidRequest, ProblemTypes.payloadTooLarge]);

let t: TestServer;
let paths: CorpusPaths;
let corpus: HostileStatement[];
let before: Map<string, string>;
let viewCountBefore: number;

/** Every file under a folder (but the store) with its size and modification time. */
async function snapshot(dir: string, skip: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (full.startsWith(skip)) continue;
    const s = await stat(full);
    files.set(full, entry.isDirectory() ? 'dir' : `${s.size}:${s.mtimeMs}`);
  }
  return files;
}

const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

async function runToEnd(sql: string, user: 'auditor' | 'runner' = 'auditor'): Promise<{ post: Response; body: string; execution?: Execution; answers: string[] }> {
  const post = await t.fetchAs(user, '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, ...WINDOW }) });
  const body = await post.text();
  if (post.status !== 202) return { post, body, answers: [body] };
  let execution = Execution.parse(JSON.parse(body));
  const answers = [body];
  while (!isTerminalState(execution.state)) {
    await new Promise((r) => setTimeout(r, 20));
    const text = await (await t.fetchAs(user, `/api/v1/executions/${execution.id}`)).text();
    answers.push(text);
    execution = Execution.parse(JSON.parse(text));
  }
  if (execution.state === 'SUCCEEDED') {
    answers.push(await (await t.fetchAs(user, `/api/v1/executions/${execution.id}/results?limit=1000`)).text());
    answers.push(await (await t.fetchAs(user, `/api/v1/executions/${execution.id}/results.csv?raw=true`)).text());
  }
  return { post, body, execution, answers };
}

async function scalar(sql: string): Promise<unknown> {
  const { execution } = await runToEnd(sql);
  expect(execution?.state, sql).toBe('SUCCEEDED');
  const page = ResultsPage.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${execution!.id}/results`)).json());
  return page.rows[0]?.[0];
}

beforeAll(async () => {
  process.env[CANARY_ENV] = CANARY;
  // A short timeout ends the unbounded recursive CTEs of the corpus.
  t = await startTestServer({ days: 5, events: 800, limits: { queryTimeoutMs: 3_000, interactiveTimeoutMs: 3_000 } });
  const root = path.dirname(t.dataDir);
  const outsideDir = path.join(root, 'outside');
  await mkdir(outsideDir);
  const canaryFile = path.join(outsideDir, 'canary.csv');
  await writeFile(canaryFile, `secret\n${CANARY}\n`);
  paths = { canaryFile, canaryEnv: CANARY_ENV, outsideDir, dataDir: await realpath(t.dataDir), resultsDir: await realpath(path.join(t.stateDir, 'query-results')) };
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const names = (await conn.runAndReadAll(`SELECT DISTINCT function_name AS name FROM duckdb_functions() WHERE function_type IN ('table', 'table_macro') ORDER BY 1`))
    .getRowObjects()
    .map((r) => String(r.name));
  conn.closeSync();
  duck.closeSync();
  corpus = [...hostileCorpus(paths), ...tableFunctionStatements(names, paths)];
  before = await snapshot(root, t.stateDir);
  viewCountBefore = Number(await scalar('SELECT count(*) AS n FROM session_start'));
});
afterAll(async () => {
  delete process.env[CANARY_ENV];
  await t?.close();
});

describe('the SQL sandbox under a hostile corpus', () => {
  const figures = { statements: 0, refusedByGuard: 0, failedInEngine: 0, ranHarmlessly: 0, tableFunctions: 0, cliStatements: 0, cliRefused: 0, cliRan: 0 };

  it('refuses every statement that is not a query and runs the rest harmlessly, through the HTTP API', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    figures.statements = corpus.length;
    figures.tableFunctions = corpus.filter((s) => s.category === 'DuckDB table function').length / 2;
    const wrong: string[] = [];
    // Four at a time, two users (each may run three queries at once).
    let next = 0;
    const worker = async (user: 'auditor' | 'runner') => {
      for (let i = next++; i < corpus.length; i = next++) await check(corpus[i]!, user);
    };
    await Promise.all([worker('auditor'), worker('runner'), worker('auditor'), worker('runner')]);
    expect(wrong).toEqual([]);

    async function check(statement: HostileStatement, user: 'auditor' | 'runner'): Promise<void> {
      const { post, body, execution, answers } = await runToEnd(statement.sql, user);
      const label = `[${statement.category}] ${JSON.stringify(statement.sql.slice(0, 120))}`;
      const leaked = answers.flatMap(leaks);
      if (leaked.length > 0) wrong.push(`${label}: the answer contains ${leaked.join(', ')}`);
      if (post.status >= 500) wrong.push(`${label}: ${post.status} ${body.slice(0, 300)}`);
      else if (post.status !== 202) {
        const type = (JSON.parse(body) as { type?: string }).type ?? '';
        if (!post.headers.get('content-type')?.startsWith('application/problem+json') || !REFUSAL_TYPES.has(type)) wrong.push(`${label}: ${post.status} ${body.slice(0, 200)}`);
        figures.refusedByGuard++;
      } else if (statement.expect === 'refuse') {
        wrong.push(`${label}: reached the engine (${execution?.state}: ${execution?.error?.detail ?? ''})`);
      } else if (execution?.state === 'SUCCEEDED') figures.ranHarmlessly++;
      else figures.failedInEngine++;
    }
  });

  it('refuses the same statements through the CLI, printing nothing secret', async () => {
    // Each CLI run opens its own engine (~0.25 s): the default run takes every tenth statement, the long run all.
    const sample = LONG ? corpus : corpus.filter((_, i) => i % 10 === 0);
    const wrong: string[] = [];
    for (const statement of sample) {
      let printed = '';
      const out = new Writable({
        write(chunk, _enc, cb) {
          printed += String(chunk);
          cb();
        },
      });
      let message = '';
      try {
        await queryCommand(['--data', t.dataDir, '--start', WINDOW.start, '--end', WINDOW.end, statement.sql], out);
        figures.cliRan++;
        if (statement.expect === 'refuse') wrong.push(`${statement.sql.slice(0, 120)}: ran through the CLI`);
      } catch (e) {
        if (!(e instanceof CliError)) wrong.push(`${statement.sql.slice(0, 120)}: ${(e as Error).name}: ${(e as Error).message.slice(0, 200)}`);
        message = (e as Error).message;
        figures.cliRefused++;
      }
      figures.cliStatements++;
      const leaked = [...leaks(printed), ...leaks(message)];
      if (leaked.length > 0) wrong.push(`${statement.sql.slice(0, 120)}: the CLI printed ${leaked.join(', ')}`);
    }
    expect(wrong).toEqual([]);

    // And the real binary: a refusal exits non-zero with the reason on stderr and nothing on stdout.
    for (const sql of [`SELECT content FROM read_text('${paths.canaryFile}')`, `SELECT 1; COPY (SELECT 1) TO '${paths.outsideDir}/bin.csv'`]) {
      const r = spawnSync(process.execPath, [BIN, 'query', '--data', t.dataDir, '--start', WINDOW.start, '--end', WINDOW.end, sql], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/not allowed|only one statement/);
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
    }
  });

  it('wrote nothing outside the results folder and left the views and settings as they were', async () => {
    const after = await snapshot(path.dirname(t.dataDir), t.stateDir);
    expect([...after.entries()].filter(([f, v]) => before.get(f) !== v)).toEqual([]);
    expect(['copy-1.csv', 'stacked.csv', 'escape', 'x.csv'].filter((f) => existsSync(path.resolve(f)))).toEqual([]);
    // The views read the same rows as raw DuckDB on the Parquet files.
    const views = Number(await scalar('SELECT count(*) AS n FROM session_start'));
    expect(views).toBe(viewCountBefore);
    expect(views).toBe(await t.rawCount('session.start', WINDOW.start, WINDOW.end));
    // Integer division, UTC and the compatibility macros are still in force.
    expect(await scalar('SELECT 7 / 2 AS d')).toBe(3);
    expect(await scalar("SELECT hour(from_iso8601_timestamp('2026-01-01T12:00:00Z')) AS h")).toBe(12);
    expect(await scalar('SELECT cardinality(ARRAY[1, 2, 3]) AS n')).toBe(3);
    // And the sandbox itself still refuses a file outside it.
    const { post } = await runToEnd(`SELECT * FROM read_text('${paths.canaryFile}')`);
    expect(post.status).toBe(400);
    await recordFigures('sql-sandbox', figures);
  });
});
