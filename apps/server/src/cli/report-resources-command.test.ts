import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVILEGE_ACCESS_REPORT } from '@access-monitor/reports';
import { createFsObjectStore } from '@access-monitor/storage';
import { createSavedQueries } from '../queries/saved-queries';
import { createReportCatalog } from '../reports/report-catalog';
import { CliError } from './cli-error';
import { reportCommand } from './report-command';

let dir: string;
let config: string;
const stateDir = () => path.join(dir, 'report_results');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-resources-'));
  config = path.join(dir, 'access-monitor.yaml');
  await writeFile(config, `access_monitoring:\n  report_results: file://${stateDir()}\naudit_events_uri: parquet://${path.join(dir, 'events')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function report(...argv: string[]): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  await reportCommand(argv, sink);
  return out;
}

describe('access-monitor report export / import', () => {
  it("exports a built-in report as Teleport YAML: the security_report, then each audit_query", async () => {
    const yaml = await report('export', 'privilege_access_report');
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { query?: string } });
    expect(docs.map((d) => d.kind)).toEqual(['security_report', ...Array(9).fill('audit_query')]);
    expect(docs[0]!.metadata.name).toBe('privilege_access_report');
    expect(docs.slice(1).map((d) => [d.metadata.name, d.spec.query])).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => [q.id, q.chartSql]));
  });

  it('imports the export back: queries become saved queries, the unchanged built-in report is skipped, a second import changes nothing', async () => {
    const file = path.join(dir, 'privilege.yaml');
    expect(await report('export', 'privilege_access_report', '--out', file)).toMatch(/wrote privilege_access_report and its 9 audit queries/);
    const first = await report('import', file, '--config', config);
    expect(first).toMatch(/security_report privilege_access_report: built in, unchanged — skipped/);
    expect(first.match(/saved as a new query/g)).toHaveLength(9);
    const saved = await createSavedQueries(createFsObjectStore(stateDir())).list();
    expect(saved.map((q) => [q.name, q.sql]).sort()).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => [q.id, q.chartSql]).sort());
    expect((await report('import', file, '--config', config)).match(/unchanged — skipped/g)).toHaveLength(10);
  });

  it('imports a renamed report as a custom report, and exports it again unchanged', async () => {
    const yaml = (await report('export', 'privilege_access_report')).replaceAll('privilege_access_report', 'team_privileged_access');
    const file = path.join(dir, 'team.yaml');
    await writeFile(file, yaml);
    expect(await report('import', file, '--config', config)).toMatch(/security_report team_privileged_access: saved as custom report revision 1 \(9 queries\)/);
    const custom = await createReportCatalog(createFsObjectStore(stateDir())).get('team_privileged_access');
    expect(custom.readOnly).toBe(false);
    // Queries whose name and SQL are a built-in's keep the built-in detail query, so runs list every event.
    expect(custom.queries.map((q) => q.detailSql)).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.detailSql));
    const again = await report('export', 'team_privileged_access', '--config', config);
    // The same resources; only the built-in label is dropped from the (now custom) report.
    const withoutLabels = (text: string) => parseAllDocuments(text).map((d) => ({ ...(d.toJS() as object), metadata: { name: (d.toJS() as { metadata: { name: string } }).metadata.name } }));
    expect(withoutLabels(again)).toEqual(withoutLabels(yaml));
    expect(parseAllDocuments(again)[0]!.toJS().metadata.labels).toBeUndefined();
  });

  it('refuses to overwrite a built-in report, writing nothing', async () => {
    const yaml = (await report('export', 'privilege_access_report')).replace('SELECT event_date, count(*) AS count', 'SELECT event_date, 1 AS count');
    const file = path.join(dir, 'changed.yaml');
    await writeFile(file, yaml);
    const before = await readFile(path.join(stateDir(), 'queries', 'kube_execs', 'rev-00000001.json'), 'utf8');
    const err = await report('import', file, '--config', config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toMatch(/privilege_access_report is a built-in report and cannot be overwritten/);
    expect(await readFile(path.join(stateDir(), 'queries', 'kube_execs', 'rev-00000001.json'), 'utf8')).toBe(before);
    await expect(createReportCatalog(createFsObjectStore(stateDir())).save({ ...PRIVILEGE_ACCESS_REPORT, readOnly: false }, 'x', new Date())).rejects.toThrow(/built-in report/);
  });
});
