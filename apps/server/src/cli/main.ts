import { ConfigError } from '../config/load-config';
import { ACTIONS_USAGE, actionsCommand } from './actions-command';
import { CliError } from './cli-error';
import { DEMO_DATA_USAGE, IMPORT_USAGE, demoDataCommand, importCommand } from './data-commands';
import { DEMO_USAGE, demoCommand } from './demo-command';
import { QUERY_USAGE, queryCommand } from './query-command';
import { REPORT_USAGE, reportCommand } from './report-command';
import { SERVE_USAGE, serveCommand } from './serve-command';
import { USERS_USAGE, usersCommand } from './users-command';
import { VERIFY_USAGE, verifyCommand } from './verify-command';
import { InvalidWindow } from '../executions/execution-errors';
import { DataUnavailable } from '@access-monitor/engine';
import { RoleFileError } from '@access-monitor/rbac';
import { UsersFileError } from '../identity/users-file';
import { MetricsTokenError } from '../metrics/metrics-token';

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  'demo-data': { usage: DEMO_DATA_USAGE, run: demoDataCommand },
  import: { usage: IMPORT_USAGE, run: importCommand },
  query: { usage: QUERY_USAGE, run: (argv) => queryCommand(argv) },
  report: { usage: REPORT_USAGE, run: (argv) => reportCommand(argv) },
  actions: { usage: ACTIONS_USAGE, run: (argv) => actionsCommand(argv) },
  serve: { usage: SERVE_USAGE, run: serveCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  users: { usage: USERS_USAGE, run: (argv) => usersCommand(argv) },
  verify: { usage: VERIFY_USAGE, run: (argv) => verifyCommand(argv) },
};

const HELP = `access-monitor: Access Monitoring for Teleport audit logs

usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command ${name}\n\n${HELP}`);
    return 2;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`access-monitor ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    const known = [ConfigError, InvalidWindow, DataUnavailable, RoleFileError, UsersFileError, MetricsTokenError];
    if (known.some((cls) => e instanceof cls) || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`access-monitor ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`access-monitor ${name}: ${err.name}: ${err.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
