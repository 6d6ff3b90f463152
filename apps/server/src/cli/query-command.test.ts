import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ResultsPage, type Cell } from '@access-monitor/contracts';
import { FIXTURE_END, startTestServer, type TestServer } from '../testing/test-server';
import { queryCommand } from './query-command';

let t: TestServer;
let config: string;
beforeAll(async () => {
  t = await startTestServer({ days: 5, events: 600 });
  const root = path.dirname(t.dataDir);
  config = path.join(root, 'access-monitor.yaml');
  await writeFile(config, `access_monitoring:\n  report_results: file://${root}/report_results\naudit_events_uri: parquet://${t.dataDir}\n`);
});
afterAll(async () => {
  await t?.close();
});

async function run(...argv: string[]): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  await queryCommand(argv, out);
  return text;
}

/** Every row the dashboard shows for a run, as the API pages them, keyed by column name. */
async function rowsInTheUi(sql: string, days: number): Promise<Record<string, Cell>[]> {
  let e = Execution.parse(await (await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, days }) })).json());
  while (e.state === 'QUEUED' || e.state === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 20));
    e = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${e.id}`)).json());
  }
  const page = ResultsPage.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${e.id}/results?limit=10000`)).json());
  return page.rows.map((row) => Object.fromEntries(page.columns.map((c, i) => [c.name, row[i] ?? null])));
}

describe('access-monitor query --saved', () => {
  it('runs a saved query from the store the config names, over its own window, giving the rows the UI shows', async () => {
    const sql = 'SELECT "user", count(*) AS sessions FROM session_start GROUP BY "user" ORDER BY sessions DESC, "user"';
    const saved = await t.fetchAs('editor', '/api/v1/queries/sessions-per-user', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-none-match': '*' },
      body: JSON.stringify({ title: 'Sessions per user', sql, days: 3 }),
    });
    expect(saved.status).toBe(201);
    const ui = await rowsInTheUi(sql, 3);
    expect(ui.length).toBeGreaterThan(1);

    const json = JSON.parse(await run('--saved', 'sessions-per-user', '--config', config, '--end', FIXTURE_END, '--format', 'json')) as unknown[];
    expect(json).toEqual(ui);
    const csv = (await run('--saved', 'sessions-per-user', '--config', config, '--end', FIXTURE_END)).trimEnd().split('\r\n');
    expect(csv[0]).toBe('user,sessions');
    expect(csv.slice(1)).toEqual(ui.map((r) => `${String(r.user)},${String(r.sessions)}`));

    // --days overrides the saved window.
    const wider = JSON.parse(await run('--saved', 'sessions-per-user', '--config', config, '--days', '5', '--end', FIXTURE_END, '--format', 'json')) as unknown[];
    expect(wider).toEqual(await rowsInTheUi(sql, 5));
  });

  it('names a saved query that does not exist, and refuses --saved without --config', async () => {
    await expect(run('--saved', 'no-such-query', '--config', config, '--format', 'json')).rejects.toThrow(/no saved query named no-such-query/);
    await expect(run('--saved', 'sessions-per-user', '--data', t.dataDir)).rejects.toThrow(/--saved needs --config/);
    await expect(run('--saved', 'sessions-per-user', '--config', config, 'SELECT 1')).rejects.toThrow(/either one SQL statement or --saved/);
  });
});
