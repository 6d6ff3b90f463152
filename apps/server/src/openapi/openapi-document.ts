import { z } from 'zod';
import { ROUTE_TABLE, type RouteEntry } from '../http/route-table';
import { OPERATIONS } from './operations';

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

function security(entry: RouteEntry): { security: unknown[]; 'x-permission'?: unknown } {
  if ('public' in entry.access) return { security: [] };
  const schemes = [{ session: [] }, { teleportJwt: [] }];
  if ('permissions' in entry.access) return { security: schemes, 'x-permission': entry.access.permissions }; // all of them
  return 'permission' in entry.access ? { security: schemes, 'x-permission': entry.access.permission } : { security: schemes };
}

/** OpenAPI 3.1, generated from ROUTE_TABLE and the contract schemas the server validates with. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const entry of ROUTE_TABLE) {
    const key = `${entry.method} ${entry.path}`;
    const op = OPERATIONS[key];
    if (!op) throw new Error(`no OpenAPI operation for ${key}`);
    const oaPath = `/api/v1${entry.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [
      ...[...entry.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema: json(schema as z.ZodType, 'input') })),
    ];
    const method = entry.method.toLowerCase();
    const existing = paths[oaPath]?.[method] as { description?: string } | undefined;
    if (existing) {
      // Same method and path selected by a query value (GET /executions?mine=false): one operation, both permissions.
      existing.description = `${existing.description ?? ''} Variant ${JSON.stringify(entry.query)}: ${JSON.stringify(security(entry)['x-permission'])}.`.trim();
      continue;
    }
    paths[oaPath] = {
      ...paths[oaPath],
      [method]: {
        operationId: `${method}${oaPath.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        summary: op.summary,
        ...security(entry),
        ...(params.length ? { parameters: params } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(op.body, 'input') } } } } : {}),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, schema]) => [
            status,
            schema === null
              ? { description: 'No content' }
              : schema === 'text/csv'
                ? { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }
                : schema === 'application/zip'
                ? { description: 'Zip archive', content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } } }
                : {
                    description: Number(status) < 400 ? 'OK' : 'Problem',
                    content: { [Number(status) < 400 ? 'application/json' : 'application/problem+json']: { schema: json(schema, 'output') } },
                  },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'access-monitor', version: '0.1.0', description: 'Access Monitoring for Teleport audit logs. Errors are application/problem+json with a stable type.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'am_session', description: 'Local mode: the cookie POST /api/v1/login sets' },
        teleportJwt: { type: 'apiKey', in: 'header', name: 'Teleport-Jwt-Assertion', description: 'Teleport mode: set by Teleport Application Access' },
      },
    },
    paths,
  };
}
