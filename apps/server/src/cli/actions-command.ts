import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parseAllDocuments, stringify } from 'yaml';
import { fromResponseActionResource, inResourceSpec, toResponseActionResource } from '../actions/action-resources';
import { InvalidAction } from '../actions/action-errors';
import { createActionServices } from '../actions/action-services';
import { describeSchedule } from '../actions/schedule';
import { nextFiringAt, validateAction } from '../actions/response-actions';
import { createReportStoreFor, localStateDirFor } from '../aws/aws-for-config';
import { loadConfigFile, type AppConfig } from '../config/load-config';
import { createEngineFor } from '../engine-for-config';
import { NotFound } from '../domain-errors';
import { createReportCatalog } from '../reports/report-catalog';
import { createTriage } from '../triage/triage-store';
import { CliError } from './cli-error';
import { cliExecutions, cliUser } from './cli-executions';

export const ACTIONS_USAGE =
  'access-monitor actions list --config FILE [--format text|json] | actions export [NAME ...] --config FILE [--out FILE] | actions import FILE --config FILE [--force] | actions fire NAME --config FILE [--dry-run]';

export async function actionsCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { config: { type: 'string' }, format: { type: 'string', default: 'text' }, out: { type: 'string' }, force: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } },
  });
  if (!values.config) throw new CliError(`give --config FILE: response actions live in the report_results store it names\nusage: ${ACTIONS_USAGE}`, 2);
  const config = await loadConfigFile(path.resolve(values.config));
  if (sub === 'list') return list(config, values.format, out);
  if (sub === 'export') return exportActions(config, positionals, values.out, out);
  if (sub === 'import' && positionals.length === 1) return importActions(config, positionals[0]!, values.force, out);
  if (sub === 'fire' && positionals.length === 1) return fire(config, positionals[0]!, values['dry-run'], out);
  throw new CliError(`usage: ${ACTIONS_USAGE}`, 2);
}

/** Rules, their schedules and how each last fired; everything but firing needs no engine. */
function servicesFor(config: AppConfig, withEngine?: Parameters<typeof cliExecutions>[0]) {
  const store = createReportStoreFor(config);
  const catalog = createReportCatalog(store);
  const now = () => new Date();
  const executions = cliExecutions(withEngine ?? unavailableEngine, config, localStateDirFor(config));
  const triage = createTriage(store, now, { maxAcceptedRiskDays: config.triage.maxAcceptedRiskDays, catalog });
  return { store, ...createActionServices({ store, executions, catalog, triage, config, logger: pino({ level: 'silent' }), now }) };
}

/** list/export/import never run a query: an engine that says so if something tries. */
const unavailableEngine = new Proxy({ name: 'duckdb' } as Parameters<typeof cliExecutions>[0], {
  get(target, prop) {
    if (prop === 'name') return target.name;
    return () => Promise.reject(new Error('this command runs no query'));
  },
});

async function list(config: AppConfig, format: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  if (format !== 'text' && format !== 'json') throw new CliError(`--format must be text or json, got ${format}`, 2);
  const { rules, firings } = servicesFor(config);
  const now = new Date();
  const rows = await Promise.all(
    (await rules.list({ onCorrupt: (key) => process.stderr.write(`skipped corrupt object ${key}\n`) })).map(async (a) => {
      const [last] = await firings.list(a.name, 1);
      const source = 'finding' in a.source ? a.source.finding : `audit_query ${a.source.audit_query}`;
      return { name: a.name, enabled: a.enabled, schedule: describeSchedule(a.schedule), source, nextFiringAt: nextFiringAt(a, now), lastFiring: last ? { state: last.state, at: last.startedAt } : null };
    }),
  );
  if (format === 'json') {
    out.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) out.write('no response actions\n');
  for (const r of rows) {
    out.write(`${r.name}  ${r.enabled ? 'enabled' : 'disabled'}  ${r.schedule}  ${r.source}  next ${r.nextFiringAt ?? '-'}  last ${r.lastFiring ? `${r.lastFiring.state} at ${r.lastFiring.at}` : 'never'}\n`);
  }
}

async function exportActions(config: AppConfig, names: string[], file: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  const { rules } = servicesFor(config);
  const actions = names.length > 0 ? await Promise.all(names.map((n) => rules.get(n).catch((e: unknown) => Promise.reject(e instanceof NotFound ? new CliError(e.message, 2) : e)))) : await rules.list();
  const yaml = actions.map((a) => stringify(toResponseActionResource(a), { lineWidth: 0, sortMapEntries: true })).join('---\n');
  if (file) {
    await writeFile(file, yaml);
    out.write(`wrote ${actions.length} response action${actions.length === 1 ? '' : 's'} to ${file}\n`);
  } else {
    out.write(yaml);
  }
}

/** Imports every `response_action` document; a bad one is named with its reason and the others still import. */
async function importActions(config: AppConfig, file: string, force: boolean, out: NodeJS.WritableStream): Promise<void> {
  const { rules, firings } = servicesFor(config);
  const docs = parseAllDocuments(await readFile(file, 'utf8'));
  const failures: string[] = [];
  let imported = 0;
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    const where = `${file}: document ${i + 1}`;
    try {
      if (doc.errors.length > 0) throw new InvalidAction(doc.errors[0]!.message, 'document');
      const value = doc.toJS() as { kind?: unknown } | null;
      if (value === null || value.kind !== 'response_action') {
        out.write(`${where}: skipped (kind ${String(value?.kind ?? 'none')}, not response_action)\n`);
        continue;
      }
      const { name, spec } = fromResponseActionResource(value);
      await validateAction(spec, { config: config.actions, firings }).catch((e: unknown) => Promise.reject(e instanceof InvalidAction ? inResourceSpec(e) : e));
      const current = await rules.latest(name);
      if (current && !current.deleted) {
        if (!force) throw new InvalidAction(`response action ${name} already exists (revision ${current.revision}); pass --force to save this as its next revision`, 'metadata.name');
        await rules.update(name, rules.etag(current), spec, cliUser(), new Date());
      } else {
        await rules.create(name, spec, cliUser(), new Date());
      }
      imported++;
      out.write(`${where}: imported response action ${name}\n`);
    } catch (e) {
      if (!(e instanceof InvalidAction)) throw e;
      failures.push(`${where}: ${e.message}`);
    }
  }
  if (failures.length > 0) throw new CliError(`${failures.length} document(s) not imported (${imported} imported):\n${failures.join('\n')}`, 1);
}

async function fire(config: AppConfig, name: string, dryRun: boolean, out: NodeJS.WritableStream): Promise<void> {
  const engine = await createEngineFor(config, localStateDirFor(config));
  try {
    const { rules, firings } = servicesFor(config, engine);
    const action = await rules.get(name).catch((e: unknown) => Promise.reject(e instanceof NotFound ? new CliError(e.message, 2) : e));
    if (dryRun) {
      // What a firing would send now, and whom it would lock: nothing is sent or recorded.
      out.write(`${JSON.stringify(await firings.preview({ ...action, name }), null, 2)}\n`);
      return;
    }
    const firing = (await firings.fire(action, 'manual', new Date(), { startedBy: cliUser() }))!;
    out.write(`${JSON.stringify(firing, null, 2)}\n`);
    if (firing.state === 'FAILED' || firing.state === 'PARTIALLY_DELIVERED') throw new CliError(`firing ${firing.id} ended ${firing.state}${firing.error ? `: ${firing.error}` : ''}`, 1);
  } finally {
    await engine.close();
  }
}
