import { execFile } from 'node:child_process';
import type { ResponseRecord } from '@access-monitor/contracts';
import type { TctlConfig } from './actions-config';

export interface LockOptions {
  /** The response action asking for the lock; named in the default lock message. */
  rule: string;
  /** `30m`, `12h` or `7d`. */
  ttl: string;
  message?: string;
  dryRun: boolean;
}

export interface TctlResult {
  /** Null when tctl did not exit by itself (not found, killed at the timeout). */
  exitCode: number | null;
  stderr: string;
  error?: string;
}

/** Runs tctl with an argument array; tests and callers may substitute how. */
export type TctlRunner = (file: string, args: readonly string[]) => Promise<TctlResult>;

const TCTL_TIMEOUT_MS = 30_000;
const STDERR_LIMIT = 4096;

/**
 * Locks each distinct user with `tctl lock`, one run per user, and records what was run. Never
 * throws: a lock that could not be placed is a record with an error, so the rest still run.
 */
export async function lockUsers(users: readonly string[], opts: LockOptions, tctl: TctlConfig | undefined, runner: TctlRunner = runTctl): Promise<ResponseRecord[]> {
  const message = opts.message ?? `Locked by access-monitor response action ${opts.rule}`;
  const records: ResponseRecord[] = [];
  for (const user of new Set(users.filter((u) => u.trim() !== ''))) {
    const args = tctlLockArgs(user, { ttl: opts.ttl, message }, tctl);
    const record = { kind: 'teleport_lock' as const, user, dryRun: opts.dryRun, args };
    if (opts.dryRun) {
      records.push({ ...record, exitCode: null, stderr: '' });
    } else if (!tctl?.path) {
      records.push({ ...record, exitCode: null, stderr: '', error: 'actions.tctl.path is not configured' });
    } else {
      const result = await runner(tctl.path, args);
      const failed = result.error ?? (result.exitCode === 0 ? undefined : `tctl exited with code ${result.exitCode}`);
      records.push({ ...record, exitCode: result.exitCode, stderr: result.stderr.slice(0, STDERR_LIMIT), ...(failed !== undefined && { error: failed }) });
    }
  }
  return records;
}

/**
 * `tctl --identity=<file> --auth-server=<addr> lock --user=<user> --message=<text> --ttl=<duration>`:
 * global flags first, each value glued to its flag with `=` so no value can be read as a flag.
 */
export function tctlLockArgs(user: string, lock: { ttl: string; message: string }, tctl: TctlConfig | undefined): string[] {
  return [
    ...(tctl?.identity_file ? [`--identity=${tctl.identity_file}`] : []),
    ...(tctl?.auth_server ? [`--auth-server=${tctl.auth_server}`] : []),
    'lock',
    `--user=${user}`,
    `--message=${lock.message}`,
    `--ttl=${goDuration(lock.ttl)}`,
  ];
}

/** tctl parses --ttl with Go's time.ParseDuration, which has no days: `7d` becomes `168h`. */
function goDuration(ttl: string): string {
  const days = /^(\d+)d$/.exec(ttl);
  return days ? `${Number(days[1]) * 24}h` : ttl;
}

/** execFile, never a shell: a user name is one argument whatever characters it holds. */
export const runTctl: TctlRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: TCTL_TIMEOUT_MS, maxBuffer: 1024 * 1024, shell: false, windowsHide: true }, (error, _stdout, stderr) => {
      if (!error) return resolve({ exitCode: 0, stderr });
      if (typeof error.code === 'number') return resolve({ exitCode: error.code, stderr });
      const why =
        error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
          ? 'tctl wrote more output than expected and was stopped'
          : error.killed
            ? `tctl did not finish within ${TCTL_TIMEOUT_MS / 1000} s`
            : error.signal
              ? `tctl was killed by ${error.signal}`
              : `cannot run tctl: ${error.code ?? error.message}`;
      resolve({ exitCode: null, stderr, error: why });
    });
  });
