import type { DateWindow } from '@access-monitor/contracts';
import { IdempotencyConflict } from './errors';
import type { ExecutionRef, StartQuery } from './query-engine';

export interface StartedExecution {
  id: string;
  sql: string;
  window: DateWindow;
}

/**
 * The `token` half of QueryEngine.start, shared by the engines: a token seen before returns the
 * execution it started (or IdempotencyConflict when the statement or window differ); a refused
 * start leaves nothing behind, so the same token may be used again. Remembers the last `capacity`.
 */
export class IdempotentStarts {
  private readonly tokens = new Map<string, Promise<StartedExecution>>();

  constructor(private readonly capacity = 10_000) {}

  async start(q: StartQuery, submit: (q: StartQuery) => Promise<StartedExecution>): Promise<ExecutionRef> {
    const known = this.tokens.get(q.token);
    if (known) {
      const entry = await known;
      if (entry.sql !== q.sql || entry.window.start !== q.window.start || entry.window.end !== q.window.end) throw new IdempotencyConflict(entry.id);
      return { id: entry.id };
    }
    const submitted = submit(q);
    this.tokens.set(q.token, submitted);
    while (this.tokens.size > this.capacity) this.tokens.delete(this.tokens.keys().next().value!);
    try {
      return { id: (await submitted).id };
    } catch (e) {
      if (this.tokens.get(q.token) === submitted) this.tokens.delete(q.token);
      throw e;
    }
  }
}
