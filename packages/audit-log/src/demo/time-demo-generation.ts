// Times demo generation (not a test: tests never assert wall-clock time).
//   npx tsx packages/audit-log/src/demo/time-demo-generation.ts [events] [days] [workers]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDemoData } from './generate-demo-data';

const events = Number(process.argv[2] ?? 500_000);
const days = Number(process.argv[3] ?? 90);
const workers = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const out = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-demo-timing-'));
try {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await generateDemoData({ out, days, events, seed: 1, end: '2026-01-31', workers });
  const seconds = (performance.now() - started) / 1000;
  // CPU of every thread of the process: steadier than wall time on a shared machine.
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `${result.events.toLocaleString('en')} events, ${result.files} files, ${result.days} days in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / seconds).toLocaleString('en')} events/s, ${os.cpus().length} cores), ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  await rm(out, { recursive: true, force: true });
}
