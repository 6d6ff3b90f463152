import { useQuery } from '@tanstack/react-query';
import type { DateWindow } from '@access-monitor/contracts';
import { formatBytes } from '../../../components/number-format';
import { Timestamp } from '../../../components/timestamp';
import { estimateOptions } from '../api';

/** Before running: what a statement reading the views would scan over the window, and whether the scan limit refuses it. */
export function ScanEstimate({ days, range }: { days: number; range: DateWindow | undefined }) {
  const estimate = useQuery(estimateOptions(range ? { start: range.start, end: range.end } : { days }));
  if (!estimate.data || estimate.data.bytes === null) return null;
  const { bytes, maxBytesScanned, scanBudget } = estimate.data;
  const over = maxBytesScanned !== undefined && bytes > maxBytesScanned;
  return (
    <>
      <span className={over ? 'scan-estimate scan-estimate--over' : 'scan-estimate'} data-testid="scan-estimate" title="The Parquet files of the window's days; a statement that reads no view scans nothing">
        Scans up to {formatBytes(bytes)}
        {over ? <> — over the {formatBytes(maxBytesScanned)} limit (limits.max_bytes_scanned): narrow the window</> : null}
      </span>
      {scanBudget ? (
        <span
          className={bytes > scanBudget.leftBytes ? 'scan-estimate scan-estimate--over' : 'scan-estimate'}
          data-testid="scan-budget"
          title="limits.scan_budget: what every query of every instance may scan until the refill"
        >
          Scan budget: {formatBytes(scanBudget.usedBytes)} used, {formatBytes(scanBudget.leftBytes)} left, refills at <Timestamp value={scanBudget.refillsAt} />
        </span>
      ) : null}
    </>
  );
}
