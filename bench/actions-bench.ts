// Response-action scheduler figures for `npm run bench` (issue #12): the time of one scheduler tick over
// 500 enabled rules (none due, so no query runs: the cost of listing and checking them) against a tick
// over an empty store, both on the same filesystem store in the same run.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createFsObjectStore } from '@access-monitor/storage';
import { createActionScheduler } from '../apps/server/src/actions/action-scheduler';
import { createResponseActionStore } from '../apps/server/src/actions/response-actions';

type Report = (what: string, value: string, baseline: string, ratio: string) => void;
type Median = (fn: () => Promise<unknown>, runs?: number) => Promise<number>;

const RULES = 500;

export async function benchActionScheduler(ctx: { report: Report; median: Median }): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-bench-actions-'));
  try {
    const logger = pino({ level: 'silent' });
    const now = () => new Date();
    // Firing is never reached (no rule is due); a tick that fired would fail loudly here.
    const firings = { fire: () => Promise.reject(new Error('no rule is due in this bench')), recover: async () => [] };
    const tickOf = (dir: string) => createActionScheduler({ rules: createResponseActionStore(createFsObjectStore(dir)), firings, logger, now }).tick;

    const emptyTick = tickOf(path.join(root, 'empty'));
    const rules = createResponseActionStore(createFsObjectStore(path.join(root, 'rules')));
    for (let i = 0; i < RULES; i++) {
      await rules.create(
        `rule-${String(i).padStart(3, '0')}`,
        { description: '', source: { finding: 'privilege_access_report/ssh_sessions_with_weak_security' }, window: '7d', schedule: { interval: '1h' }, condition: { new_rows: {} }, notifications: [], enabled: true },
        'bench',
        new Date(),
      );
    }
    const fullTick = tickOf(path.join(root, 'rules'));
    const check = (await fullTick()) as { rules: number; started: number };
    if (check.rules !== RULES || check.started !== 0) throw new Error(`expected ${RULES} rules and none due, got ${JSON.stringify(check)}`);
    const emptyMs = await ctx.median(emptyTick);
    const fullMs = await ctx.median(fullTick);
    // Baseline: reading and parsing the same 500 rule files straight from disk, once.
    const files = (await readdir(path.join(root, 'rules', 'actions', 'rules'), { recursive: true })).filter((f) => f.endsWith('.json'));
    const rawMs = await ctx.median(async () => {
      for (const f of files) JSON.parse(await readFile(path.join(root, 'rules', 'actions', 'rules', f), 'utf8'));
    });
    ctx.report(`response-action scheduler tick, ${RULES} enabled rules (none due)`, `${fullMs.toFixed(1)} ms`, `reading the ${RULES} rule files ${rawMs.toFixed(1)} ms; empty tick ${emptyMs.toFixed(2)} ms`, `${(fullMs / rawMs).toFixed(2)}×`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
