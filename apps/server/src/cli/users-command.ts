import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PRESET_ROLES } from '@access-monitor/rbac';
import { loadConfigFile } from '../config/load-config';
import { UsersFileError, addUser, readUsersFile, removeUser } from '../identity/users-file';
import { CliError } from './cli-error';

export const USERS_USAGE =
  'access-monitor users add NAME [--roles r1,r2] [--password-stdin] [--replace] | list | remove NAME  [--users-file FILE | --config FILE]';

const PRESET_NAMES = PRESET_ROLES.map((r) => r.metadata.name);

/** Local users (auth.mode local): add, list, remove. Changes take effect on the next request, without a restart. */
export async function usersCommand(argv: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      roles: { type: 'string' },
      'users-file': { type: 'string' },
      config: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      replace: { type: 'boolean', default: false },
    },
  });
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw new CliError(`unexpected arguments: ${extra.join(' ')}\nusage: ${USERS_USAGE}`, 2);
  const file = await usersFileFrom(values['users-file'], values.config);
  try {
    if (action === 'add' && name) return await add(file, name, values, stdin);
    if (action === 'list' && !name) return await list(file);
    if (action === 'remove' && name) return await remove(file, name);
  } catch (e) {
    if (e instanceof UsersFileError) throw new CliError(e.message);
    throw e;
  }
  throw new CliError(`usage: ${USERS_USAGE}`, 2);
}

async function add(file: string, name: string, values: { roles?: string; 'password-stdin': boolean; replace: boolean }, stdin: NodeJS.ReadableStream) {
  const roles = (values.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const password = values['password-stdin'] ? await readPassword(stdin) : undefined;
  const result = await addUser(file, { name, roles, replace: values.replace, ...(password !== undefined ? { password } : {}) });
  for (const role of roles.filter((r) => !PRESET_NAMES.includes(r))) {
    process.stderr.write(`note: ${role} is not a preset role (${PRESET_NAMES.join(', ')}); it grants nothing unless a role file in the config defines it\n`);
  }
  const granted = roles.length ? `with roles ${roles.join(',')}` : 'with no roles';
  const generated = result.generatedPassword ? `; one-time password: ${result.generatedPassword}` : '';
  process.stdout.write(`${result.replaced ? 'replaced' : 'created'} user ${name} ${granted}${generated}\n`);
}

async function list(file: string) {
  const users = await readUsersFile(file);
  const width = Math.max(4, ...users.map((u) => u.name.length));
  process.stdout.write(`${'NAME'.padEnd(width)}  ROLES\n`);
  for (const u of users) process.stdout.write(`${u.name.padEnd(width)}  ${u.roles.join(',') || '-'}\n`);
}

async function remove(file: string, name: string) {
  if (!(await removeUser(file, name))) throw new CliError(`${file}: no user ${name}`);
  process.stdout.write(`removed user ${name}\n`);
}

/** The whole of stdin, less one trailing newline (`echo pw | …`); never echoed or logged. */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new CliError('--password-stdin: nothing on stdin', 2);
  return password;
}

async function usersFileFrom(usersFile: string | undefined, config: string | undefined): Promise<string> {
  if (usersFile && config) throw new CliError('give --users-file or --config, not both', 2);
  if (usersFile) return path.resolve(usersFile);
  const configFile = config ?? (existsSync('access-monitor.yaml') ? 'access-monitor.yaml' : undefined);
  if (!configFile) throw new CliError('name the users file with --users-file FILE, or the config with --config FILE', 2);
  const { auth } = await loadConfigFile(configFile);
  if (auth.mode !== 'local') throw new CliError(`${configFile}: auth.mode is ${auth.mode}: users and roles are managed in Teleport`, 2);
  return auth.usersFile;
}
