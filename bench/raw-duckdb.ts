import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Raw DuckDB (no access-monitor code) in a child process: the bench's baseline, measured there. */
export interface RawDuckDb {
  /** Runs the statements in order, reading every row; answers the elapsed ms, measured in the child. */
  time(...sqls: string[]): Promise<number>;
  /** The median elapsed ms of `times` runs of the statements in order. */
  median(sqls: string[], times: number): Promise<number>;
  close(): Promise<void>;
}

export async function startRawDuckDb(): Promise<RawDuckDb> {
  // Inherits this process's execArgv: under `tsx` the child loads TypeScript the same way.
  const child: ChildProcess = fork(fileURLToPath(new URL('./raw-duckdb-child.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (ms: number) => void; reject: (e: Error) => void }>();
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the raw DuckDB process exited with ${code}`)));
  });
  child.on('message', (m: { id: number; ms?: number; error?: string }) => {
    const waiting = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) waiting?.reject(new Error(`raw DuckDB: ${m.error}`));
    else waiting?.resolve(m.ms!);
  });
  child.on('exit', (code) => {
    for (const w of pending.values()) w.reject(new Error(`the raw DuckDB process exited with ${code}`));
    pending.clear();
  });
  const median = (sqls: string[], times: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, sqls, times });
    });
  return {
    time: (...sqls) => median(sqls, 1),
    median,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
