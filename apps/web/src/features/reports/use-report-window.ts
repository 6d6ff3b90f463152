import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { WindowDays } from '@access-monitor/contracts';
import { parseReportWindow } from '../../components/window-param';
import { reportRunOptions, reportSummaryOptions } from './api';
import { runToShow, windowState } from './report-view';

/** `?days=` of a report view: one of Teleport's windows; a hand-edited other value is corrected in the URL. */
export function useReportDays(): [WindowDays, (days: WindowDays) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('days');
  const days = parseReportWindow(raw);
  useEffect(() => {
    if (raw !== null && raw !== String(days)) {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('days', String(days));
          return next;
        },
        { replace: true },
      );
    }
  }, [raw, days, setParams]);
  // A new window shows that window's findings from the top: open rows belong to the old one.
  return [days, (d) => setParams({ days: String(d) })];
}

/** A report, its state in one window (polled while it runs) and the run the page shows for it. */
export function useReportWindow(name: string, days: WindowDays) {
  const summary = useQuery(reportSummaryOptions(name));
  const state = summary.data ? windowState(summary.data, days) : undefined;
  const runId = state ? runToShow(state) : undefined;
  const run = useQuery({ ...reportRunOptions(runId ?? ''), enabled: runId !== undefined });
  return { summary, state, runId, run };
}
