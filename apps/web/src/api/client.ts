import { Problem } from '@access-monitor/contracts';
import { parseRetryAfter } from './retry-after';

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
  /** Seconds the server asked to wait (`Retry-After` on 429 and 503), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, options: { retryAfterSeconds?: number } = {}) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return this.problem.status;
  }

  get type(): string {
    return this.problem.type;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Extra request headers, e.g. the `If-Match` / `If-None-Match` preconditions of a save. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A validated answer with the `ETag` of the representation, for a later conditional write. */
export interface Tagged<T> {
  data: T;
  etag: string;
}

/**
 * Calls the BFF, validates the JSON answer against `schema`, and throws `ApiError` for anything else. Never shows UI
 * and never redirects: a 401 is an `ApiError` like any other, and the session guard decides what to do with it.
 */
export async function requestJson<T>(path: string, schema: ResponseSchema<T>, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return parseBody(response, path, schema, options);
}

/** Like `requestJson`, also returning the `ETag` header, which must be there: the caller needs it to write back. */
export async function requestTaggedJson<T>(path: string, schema: ResponseSchema<T>, options: RequestOptions = {}): Promise<Tagged<T>> {
  const response = await send(path, options);
  const data = await parseBody(response, path, schema, options);
  const etag = response.headers.get('ETag');
  if (!etag) throw invalidResponse(response, path, options, 'the answer has no ETag header');
  return { data, etag };
}

/** Calls the BFF for an answer without a body (204), throwing `ApiError` like `requestJson`. */
export async function requestNoContent(path: string, options: RequestOptions = {}): Promise<void> {
  const response = await send(path, options);
  // Drain whatever came back so the connection is free; there is nothing to validate.
  await response.body?.cancel().catch(() => undefined);
}

async function parseBody<T>(response: Response, path: string, schema: ResponseSchema<T>, options: RequestOptions): Promise<T> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidResponse(response, path, options, parsed.error.message);
  return parsed.data;
}

function invalidResponse(response: Response, path: string, { method = 'GET' }: RequestOptions, why: string): ApiError {
  return new ApiError({
    type: ClientProblemTypes.invalidResponse,
    title: 'Unexpected answer from the server',
    status: response.status,
    detail: `${method} ${path} did not match the API contract: ${why}`,
  });
}

/** The fetch itself: same-origin credentials (the session cookie), a Problem for every failure. */
async function send(path: string, { method = 'GET', body, headers, signal }: RequestOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: {
        Accept: 'application/json, application/problem+json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
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
  if (!response.ok) throw new ApiError(await problemFrom(response), { retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')) });
  return response;
}

async function problemFrom(response: Response): Promise<Problem> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = Problem.safeParse(json);
  if (parsed.success) return parsed.data;
  return { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status };
}
