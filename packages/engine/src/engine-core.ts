import type { Dialect, GuardedStatement, SqlParser } from '@access-monitor/sql';
import { guardStatement } from '@access-monitor/sql';
import { createTrinoSqlParser } from '@access-monitor/sql/trino-parser';
import { EngineClosed, ResultNotReady } from './errors';
import { IdempotentStarts, type StartedExecution } from './idempotent-starts';
import type { ExecutionRef, ExecutionStatus, StartQuery } from './query-engine';

/**
 * The execution lifecycle every engine shares, so a driver writes only its engine-specific calls:
 * refuse work once closed, start once per idempotency token, guard the SQL for the driver's dialect
 * with both parsers, and let results be read only from a SUCCEEDED execution.
 */
export class EngineCore {
  private readonly starts = new IdempotentStarts();
  private readonly trino = createTrinoSqlParser();
  private isClosed = false;

  constructor(
    private readonly dialect: Dialect,
    private readonly parser: SqlParser & { close(): void },
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** Starts `q` through the driver's `submit`, unless closed; a token seen before returns its execution. */
  start(q: StartQuery, submit: (q: StartQuery) => Promise<StartedExecution>): Promise<ExecutionRef> {
    if (this.isClosed) return Promise.reject(new EngineClosed());
    return this.starts.start(q, submit);
  }

  /** Throws EngineClosed once closed: for drivers between their own awaits. */
  assertOpen(): void {
    if (this.isClosed) throw new EngineClosed();
  }

  /**
   * Guards the statement (SqlRejected/SqlInvalid before anything runs). Trino drivers check Trino's tree,
   * the one Athena builds; DuckDB drivers use Trino's parser only to tell Athena-only SQL from a syntax error.
   */
  guard(sql: string): Promise<GuardedStatement> {
    return guardStatement(sql, this.parser, this.dialect === 'trino' ? { dialect: 'trino', trino: this.trino } : { trino: this.trino });
  }

  /** The status of `id` when it SUCCEEDED, else ResultNotReady: pages and CSV are read only from a finished result. */
  async succeeded(id: string, status: (id: string) => Promise<ExecutionStatus>): Promise<ExecutionStatus> {
    const current = await status(id);
    if (current.state !== 'SUCCEEDED') throw new ResultNotReady(id, current.state);
    return current;
  }

  /** Marks the engine closed (later starts throw EngineClosed); false when it already was. */
  close(): boolean {
    if (this.isClosed) return false;
    this.isClosed = true;
    return true;
  }

  /** Releases the SQL parser: the driver calls it after its own shutdown steps. */
  closeParser(): void {
    this.parser.close();
  }
}
