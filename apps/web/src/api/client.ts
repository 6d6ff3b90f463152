import { Problem } from '@access-monitor/contracts';

/** Problem types the client raises itself, when there is no problem+json from the server to carry. */
export const ClientProblemTypes = {
  network: 'urn:access-monitor:client:network-error',
  invalidResponse: 'urn:access-monitor:client:invalid-response',
} as const;

/** Any zod schema from `@access-monitor/contracts` (structural, so the web app needs no direct zod import). */
export interface ResponseSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/** A failed API call, always carrying a Problem (from the server, or built here for network and contract failures). */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get type(): string {
    return this.problem.type;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the BFF, validates the JSON answer against `schema`, and throws `ApiError` for anything else. Never shows UI. */
export async function requestJson<T>(path: string, schema: ResponseSchema<T>, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: { Accept: 'application/json, application/problem+json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      credentials: 'same-origin',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError({
      type: ClientProblemTypes.network,
      title: 'The server could not be reached',
      status: 0,
      detail: error instanceof Error ? error.message : String(error),
    });
  }

  if (!response.ok) throw new ApiError(await problemFrom(response));

  const json: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError({
      type: ClientProblemTypes.invalidResponse,
      title: 'Unexpected answer from the server',
      status: response.status,
      detail: `${method} ${path} did not match the API contract: ${parsed.error.message}`,
    });
  }
  return parsed.data;
}

async function problemFrom(response: Response): Promise<Problem> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = Problem.safeParse(json);
  if (parsed.success) return parsed.data;
  return { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status };
}
