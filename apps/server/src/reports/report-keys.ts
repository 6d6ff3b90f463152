// Where report state lives in the ObjectStore (DESIGN §5). Every key is built here and nowhere else.

/** Run ids sort by start time and carry no user input: `r<yyyymmddHHMMss>-<12 hex>`. */
export const RUN_ID = /^r\d{14}-[0-9a-f]{12}$/;

/** Largest epoch millisecond the inverted-time prefix supports (year 2286). */
const INVERT_FROM = 9_999_999_999_999;

export const reportKeys = {
  state: (report: string, days: number): string => `report-states/${report}/${days}d.json`,
  manifest: (runId: string): string => `runs/${runId}/manifest.json`,
  runFolder: (runId: string): string => `runs/${runId}/`,
  /** The detail result of one query of a run, as Athena CSV (+ `.metadata.json`, `.index.json` beside it). */
  resultCsv: (runId: string, queryId: string): string => `runs/${runId}/${queryId}.csv`,
  /** Newest first when listed: the key starts with the inverted start time. */
  runIndex: (report: string, days: number, startedAtMs: number, runId: string): string =>
    `report-runs/${report}/${days}d/${String(INVERT_FROM - startedAtMs).padStart(13, '0')}-${runId}.json`,
  runIndexPrefix: (report: string, days: number): string => `report-runs/${report}/${days}d/`,
  /** A scheduler slot: created once across all instances, so the slot's refresh runs once. */
  scheduleSlot: (report: string, days: number, slot: string): string => `schedule/${report}/${days}d/${slot}.json`,
  customReportPrefix: (name: string): string => `reports/${name}/`,
  customReport: (name: string, revision: number): string => `reports/${name}/rev-${String(revision).padStart(8, '0')}.json`,
};
