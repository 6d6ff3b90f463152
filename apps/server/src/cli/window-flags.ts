import { isReportWindow, REPORT_WINDOW_RULE, type DateWindow } from '@access-monitor/contracts';
import { SqlInvalid, SqlRejected } from '@access-monitor/sql';
import { resolveWindow } from '../executions/resolve-window';
import { CliError } from './cli-error';

/** The parseArgs options every command that reads the audit log takes. */
export const WINDOW_OPTIONS = { days: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' } } as const;

/**
 * `--days N [--end D]` (N UTC days ending on D, default today) or `--start D --end D`; usage errors exit 2.
 * Reports accept only Teleport's windows (7, 30, 90, 120 days).
 */
export function windowFromFlags(flags: { days?: string; start?: string; end?: string }, opts: { reportWindows?: boolean } = {}): DateWindow {
  if ((flags.days === undefined) === (flags.start === undefined)) throw new CliError('give either --days N or --start D --end D', 2);
  if (flags.start !== undefined && flags.end === undefined) throw new CliError('--start needs --end', 2);
  for (const [flag, value] of [['--start', flags.start], ['--end', flags.end]] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new CliError(`${flag} must be a date as YYYY-MM-DD, got ${value}`, 2);
  }
  if (flags.days === undefined) return resolveWindow({ start: flags.start!, end: flags.end! }, new Date());
  const days = Number(flags.days);
  if (opts.reportWindows && !isReportWindow(days)) throw new CliError(REPORT_WINDOW_RULE, 2);
  if (!Number.isInteger(days) || days < 1) throw new CliError(`--days must be a positive whole number, got ${flags.days}`, 2);
  return resolveWindow({ days, end: flags.end }, new Date());
}

/** "rejected: …" / "invalid SQL: … (line L, column C)" for the guard's errors; undefined for anything else. */
export function describeSqlError(e: unknown): string | undefined {
  if (!(e instanceof SqlRejected) && !(e instanceof SqlInvalid)) return undefined;
  const at = e.position ? ` (line ${e.position.line}, column ${e.position.column})` : '';
  return `${e instanceof SqlRejected ? 'rejected' : 'invalid SQL'}: ${e.message}${at}`;
}
