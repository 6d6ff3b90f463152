import { AuditSchema, Execution, ResultsPage, UsageOverview, type StartExecution, type WindowDays } from '@access-monitor/contracts';
import { requestJson } from './client';

const BASE = '/api/v1';
const executionPath = (id: string) => `${BASE}/executions/${encodeURIComponent(id)}`;

/** Every BFF endpoint the dashboard calls, each validated against its contract schema. */
export const api = {
  usageOverview: (days: WindowDays, signal?: AbortSignal) =>
    requestJson(`${BASE}/usage/overview?${new URLSearchParams({ days: String(days) })}`, UsageOverview, { signal }),

  startExecution: (body: StartExecution) => requestJson(`${BASE}/executions`, Execution, { method: 'POST', body }),

  execution: (id: string, signal?: AbortSignal) => requestJson(executionPath(id), Execution, { signal }),

  cancelExecution: (id: string) => requestJson(executionPath(id), Execution, { method: 'DELETE' }),

  executionResults: (id: string, offset: number, limit: number, signal?: AbortSignal) =>
    requestJson(`${executionPath(id)}/results?${new URLSearchParams({ offset: String(offset), limit: String(limit) })}`, ResultsPage, { signal }),

  /** A plain link target: the browser downloads the CSV itself. */
  executionCsvUrl: (id: string) => `${executionPath(id)}/results.csv`,

  auditSchema: (signal?: AbortSignal) => requestJson(`${BASE}/schema`, AuditSchema, { signal }),
};
