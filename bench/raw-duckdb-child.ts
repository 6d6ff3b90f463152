// The bench's raw DuckDB baseline, in a process of its own (see raw-duckdb.ts): its buffer pool and results
// never count against the RSS of the process that runs the server and its engine.
import { DuckDBInstance } from '@duckdb/node-api';

interface Request {
  id: number;
  sqls: string[];
  times: number;
}

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();

process.on('message', (message: Request) => {
  void (async () => {
    try {
      const elapsed: number[] = [];
      for (let i = 0; i < message.times; i++) {
        const t0 = performance.now();
        for (const sql of message.sqls) await conn.runAndReadAll(sql);
        elapsed.push(performance.now() - t0);
      }
      elapsed.sort((a, b) => a - b);
      process.send!({ id: message.id, ms: elapsed[Math.floor(elapsed.length / 2)] ?? 0 });
    } catch (e) {
      process.send!({ id: message.id, error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
process.on('disconnect', () => {
  conn.closeSync();
  process.exit(0);
});
process.send!({ ready: true });
