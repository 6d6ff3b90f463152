import type { Execution } from '@access-monitor/contracts';

/**
 * Engines whose count for an unfinished, failed or cancelled run is what they actually read (Athena bills it).
 * DuckDB's count is its estimate of the window's files, true only once a run has read them all.
 */
const ENGINES_REPORTING_PARTIAL_SCANS: ReadonlySet<string> = new Set(['athena']);

/** The bytes to show as "Scanned" for a run, or undefined when nothing trustworthy is known. */
export function scannedBytesToShow(execution: Pick<Execution, 'state' | 'engine' | 'bytesScanned'>): number | undefined {
  if (execution.state === 'SUCCEEDED') return execution.bytesScanned;
  if (ENGINES_REPORTING_PARTIAL_SCANS.has(execution.engine) && execution.bytesScanned > 0) return execution.bytesScanned;
  return undefined;
}
