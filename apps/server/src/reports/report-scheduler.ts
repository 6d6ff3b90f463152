import type { Logger } from 'pino';
import { REPORT_WINDOWS, type WindowDays } from '@access-monitor/contracts';
import { PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import type { ReportsConfig } from '../config/load-config';
import type { ReportCatalog } from './report-catalog';
import { reportKeys } from '../store-layout';
import type { ReportRuns } from './report-runs';

export interface ReportSchedulerDeps {
  runs: ReportRuns;
  catalog: ReportCatalog;
  store: ObjectStore;
  logger: Logger;
  now: () => Date;
  config: ReportsConfig;
  windows?: readonly WindowDays[];
  /** Only these reports (default: every report in the catalog). */
  reportNames?: readonly string[];
}

export interface ReportScheduler {
  /** Settles when the check under way (if any) has finished, its runs included. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The background service (started by `serve`): on start it recovers runs a restart interrupted and
 * re-runs them; then, every hour (or every refresh_interval when shorter), it refreshes each report ×
 * window whose last READY run is older than refresh_interval. A create-only slot key makes each
 * refresh fire on one instance only; this instance runs one report at a time.
 */
export function startReportScheduler(deps: ReportSchedulerDeps): ReportScheduler {
  const { runs, catalog, store, logger, now, config } = deps;
  const windows = deps.windows ?? REPORT_WINDOWS;
  const checkEveryMs = Math.min(config.refreshIntervalMs, 3_600_000);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const reports = async () => (await catalog.list()).filter((r) => !deps.reportNames || deps.reportNames.includes(r.name));

  /** Creates the slot's key; false when another instance (or an earlier check) already has it. */
  async function claimSlot(report: string, days: number, slot: string): Promise<boolean> {
    try {
      await store.put(reportKeys.scheduleSlot(report, days, slot), JSON.stringify({ at: now().toISOString() }), { ifNoneMatch: '*', contentType: 'application/json' });
      return true;
    } catch (e) {
      if (e instanceof PreconditionFailed) return false;
      throw e;
    }
  }

  async function runOne(report: string, days: WindowDays, why: string): Promise<void> {
    if (stopped) return;
    const started = await runs.start(report, { days });
    logger.info({ report, days, runId: started.runId, joined: started.joined, why }, 'scheduled report run');
    await runs.settled(report, days);
  }

  async function recover(): Promise<void> {
    const all = await reports();
    for (const { report, days } of await runs.recoverInterrupted(all, windows)) {
      const state = await runs.state(report, days);
      if (await claimSlot(report, days, `recover-${state.runId ?? 'unknown'}`)) await runOne(report, days, 'interrupted by a restart');
    }
  }

  async function refresh(): Promise<void> {
    if (!config.refreshEnabled) return;
    const slot = String(Math.floor(now().getTime() / config.refreshIntervalMs));
    for (const report of await reports()) {
      for (const days of windows) {
        if (stopped) return;
        const state = await runs.state(report.name, days);
        const fresh = state.lastReadyAt !== undefined && now().getTime() - Date.parse(state.lastReadyAt) < config.refreshIntervalMs;
        if (state.state === 'RUNNING' || fresh) continue;
        if (await claimSlot(report.name, days, slot)) await runOne(report.name, days, state.lastReadyAt ? 'stale' : 'never ran');
      }
    }
  }

  function check(first: boolean): void {
    current = (async () => {
      try {
        if (first) await recover();
        if (!first || config.refreshOnStart) await refresh();
      } catch (err) {
        logger.error({ err }, 'scheduled report refresh failed');
      }
      if (!stopped) {
        timer = setTimeout(() => check(false), checkEveryMs);
        timer.unref();
      }
    })();
  }

  check(true);
  return {
    idle: () => current,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
