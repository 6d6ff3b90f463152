import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '@access-monitor/storage';
import { embeddedConfig } from '../config/load-config';
import { FIXTURE_END, startTestServer, type TestServer } from '../testing/test-server';
import { createReportServices } from './report-services';
import { startReportScheduler } from './report-scheduler';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ days: 7, events: 1500 });
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;

/** One instance's report services and scheduler over the test server's store and engine, at `at`. */
function instance(at: number, opts: { refreshEnabled?: boolean; instanceId?: string } = {}) {
  const config = embeddedConfig({ eventsDir: t.dataDir, resultsDir: t.stateDir, usersFile: path.join(t.stateDir, 'unused.yaml') });
  const reportsConfig = { ...config.reports, refreshEnabled: opts.refreshEnabled ?? true, ...(opts.instanceId ? { instanceId: opts.instanceId } : {}) };
  const services = createReportServices({ engine: t.engine, store: createFsObjectStore(t.stateDir), config: { ...config, reports: reportsConfig }, logger: pino({ level: 'silent' }), now: () => new Date(at) });
  const start = () =>
    startReportScheduler({ ...services, store: createFsObjectStore(t.stateDir), logger: pino({ level: 'silent' }), now: () => new Date(at), config: reportsConfig, windows: [7, 30], reportNames: ['privilege_access_report'] });
  return { services, start };
}

describe('report scheduler', () => {
  const t0 = Date.parse(`${FIXTURE_END}T12:00:00Z`);

  it('refreshes each report window on start when it never ran, once across instances starting together', async () => {
    const a = instance(t0, { instanceId: 'a' });
    const b = instance(t0, { instanceId: 'b' });
    const [schedulerA, schedulerB] = [a.start(), b.start()];
    await Promise.all([schedulerA.idle(), schedulerB.idle()]);
    await Promise.all([schedulerA.stop(), schedulerB.stop()]);
    const week = await a.services.runs.state('privilege_access_report', 7);
    const month = await a.services.runs.state('privilege_access_report', 30);
    expect(week).toMatchObject({ state: 'READY' });
    expect(month).toMatchObject({ state: 'READY' });
    expect((await a.services.runs.state('privilege_access_report', 90)).state).toBe('NEVER_RUN'); // not a scheduled window here
    for (const days of [7, 30]) {
      const runs: string[] = [];
      for await (const info of createFsObjectStore(t.stateDir).list(`report-runs/privilege_access_report/${days}d/`)) runs.push(info.key);
      expect(runs, `${days}-day runs`).toHaveLength(1);
    }

    // An instance starting within the interval finds the windows fresh: nothing runs again.
    const later = instance(t0 + 60_000, { instanceId: 'later' });
    const schedulerLater = later.start();
    await schedulerLater.idle();
    await schedulerLater.stop();
    expect((await later.services.runs.state('privilege_access_report', 7)).runId).toBe(week.runId);

    // A day later the windows are stale and the next slot refreshes them.
    const c = instance(t0 + DAY + 60_000, { instanceId: 'c' });
    const schedulerC = c.start();
    await schedulerC.idle();
    await schedulerC.stop();
    const refreshed = await c.services.runs.state('privilege_access_report', 7);
    expect(refreshed.state).toBe('READY');
    expect(refreshed.runId).not.toBe(week.runId);
  });

  it('with refresh disabled, still re-runs on start a run a restart interrupted', async () => {
    const at = t0 + 2 * DAY;
    const before = instance(at, { refreshEnabled: false });
    const stale = 'r20260116110000-cccccccccccc';
    await before.services.states.write(
      { report: 'privilege_access_report', days: 30, state: 'RUNNING', runId: stale, startedAt: new Date(at).toISOString(), owner: { instance: os.hostname(), process: 'the-previous-process', heartbeatAt: new Date(at).toISOString() } },
      (await before.services.states.read('privilege_access_report', 30))?.etag,
    );
    const restarted = instance(at, { refreshEnabled: false });
    const scheduler = restarted.start();
    await scheduler.idle();
    await scheduler.stop();
    const state = await restarted.services.runs.state('privilege_access_report', 30);
    expect(state.state).toBe('READY');
    expect(state.runId).not.toBe(stale);
    expect(state.lastReadyRunId).toBe(state.runId);
    // The week window was fresh and refresh is off: untouched.
    expect((await restarted.services.runs.state('privilege_access_report', 7)).lastReadyAt).toBe((await before.services.runs.state('privilege_access_report', 7)).lastReadyAt);
  });
});
