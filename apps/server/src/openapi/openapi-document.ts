import { z } from 'zod';
import type { RouteAccess, RouteSpec } from '../http/declare-routes';
import { ROUTE_DECLARATIONS } from '../http/route-table';

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

function security(access: RouteAccess): { security: unknown[]; 'x-permission'?: unknown } {
  if ('public' in access) return { security: [] };
  const schemes = [{ session: [] }, { teleportJwt: [] }];
  if ('permissions' in access) return { security: schemes, 'x-permission': access.permissions }; // all of them
  return 'permission' in access ? { security: schemes, 'x-permission': access.permission } : { security: schemes };
}

/** Same method and path, another permission when a query value or header selects it (GET /executions?mine=false). */
function variantsDescription(route: RouteSpec): string | undefined {
  if (!route.variants?.length) return undefined;
  return route.variants.map((v) => `Variant ${JSON.stringify({ ...v.query, ...v.headers })}: ${JSON.stringify(security(v.access)['x-permission'])}.`).join(' ');
}

/** OpenAPI 3.1, generated from the route declarations and the contract schemas the server validates with. */
export function buildOpenApiDocument(routes: readonly RouteSpec[] = ROUTE_DECLARATIONS): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of routes) {
    const oaPath = `/api/v1${op.path.replace(/:(\w+)/g, '{$1}')}`;
    const query = op.documentedQuery ?? (op.query instanceof z.ZodObject ? op.query : undefined);
    const params = [
      ...[...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(query?.shape ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema: json(schema as z.ZodType, 'input') })),
    ];
    const method = op.method.toLowerCase();
    if (paths[oaPath]?.[method]) throw new Error(`${op.method} ${op.path} is declared twice`);
    const description = variantsDescription(op);
    paths[oaPath] = {
      ...paths[oaPath],
      [method]: {
        operationId: `${method}${oaPath.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        summary: op.summary,
        ...(description ? { description } : {}),
        ...security(op.access),
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
