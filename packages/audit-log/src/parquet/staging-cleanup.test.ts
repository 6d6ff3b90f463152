import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the Parquet writer staging folder', () => {
  it('is removed when the process exits in the middle of a write, so nothing is left in /dev/shm', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'am-staging-exit-'));
    temps.push(dir);
    const script = path.join(dir, 'exit-mid-write.mts');
    // A process that starts writing a batch and exits without closing its writer (a crash, a ^C).
    await writeFile(
      script,
      `import { AthenaParquetWriter } from ${JSON.stringify(path.join(root, 'packages/audit-log/src/parquet/athena-parquet-writer.ts'))};
const writer = await AthenaParquetWriter.open(${JSON.stringify(path.join(dir, 'out'))});
for (let i = 0; i < 1000; i++) writer.appendCleanRow({ uid: 'u' + i, sessionId: '', eventType: 'user.login', eventTimeMs: Date.UTC(2026, 0, 1), eventData: '{"event":"user.login"}', user: 'alice' });
void writer.startFlush();
await new Promise((resolve) => setTimeout(resolve, 100));
// Its own folder: other tests' writers may be staging in the same /dev/shm meanwhile.
console.log(JSON.stringify(writer.stagingFolder === undefined ? [] : [writer.stagingFolder]));
process.exit(0);
`,
    );
    const { stdout } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), script], { cwd: root });
    const made = JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
    expect(made.length).toBe(1);
    expect(existsSync(made[0]!)).toBe(false);
  }, 60_000);
});
