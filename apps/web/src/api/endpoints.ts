import { AuditSchema, Execution, Me, ResultsPage, UsageOverview, type LoginRequest, type StartExecution, type WindowDays } from '@access-monitor/contracts';
import { requestJson, requestNoContent } from './client';

const BASE = '/api/v1';
const executionPath = (id: string) => `${BASE}/executions/${encodeURIComponent(id)}`;

/** Every BFF endpoint the dashboard calls, each validated against its contract schema. */
export const api = {
  /** Who is signed in and what their roles allow; 401 when nobody is. */
  me: (signal?: AbortSignal) => requestJson(`${BASE}/me`, Me, { signal }),

  /** Local mode only: sets the HttpOnly session cookie. 401 for wrong credentials, 429 (with Retry-After) when throttled. */
  login: (body: LoginRequest) => requestJson(`${BASE}/login`, Me, { method: 'POST', body }),

  /** Clears the session cookie (204). */
  logout: () => requestNoContent(`${BASE}/logout`, { method: 'POST' }),

  /**
   * Asks whether this server has a login route at all, with a body it refuses before checking any credential:
   * 404 means Teleport mode (identity comes from Teleport App Access), anything else means local mode.
   */
  probeLogin: (signal?: AbortSignal) => requestNoContent(`${BASE}/login`, { method: 'POST', body: {}, signal }),

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
