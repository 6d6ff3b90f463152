import { z } from 'zod';
import { ResponseActionName, SaveResponseAction, type ResponseAction } from '@access-monitor/contracts';
import { InvalidAction } from './action-errors';

/**
 * Response actions as Teleport-style resources (`kind: response_action`, `version: v1`, `metadata.name`,
 * `spec`), like `audit_query`. The spec reads like Teleport's `access_monitoring_rule`: a single
 * `notification: { name, recipients }` is accepted on import beside the list `notifications`.
 */
export const ResponseActionResource = z.object({
  kind: z.literal('response_action'),
  version: z.literal('v1'),
  metadata: z.object({ name: ResponseActionName, description: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }).loose(),
  spec: z.record(z.string(), z.unknown()),
});
export type ResponseActionResource = z.infer<typeof ResponseActionResource>;

export function toResponseActionResource(action: ResponseAction): ResponseActionResource {
  const { name, revision: _revision, savedBy: _savedBy, savedAt: _savedAt, deleted: _deleted, description, ...spec } = action;
  return { kind: 'response_action', version: 'v1', metadata: { name, ...(description ? { description } : {}) }, spec };
}

/** The name and spec of a resource document; InvalidAction naming the field when it is not one. */
export function fromResponseActionResource(doc: unknown): { name: string; spec: SaveResponseAction } {
  const resource = ResponseActionResource.safeParse(doc);
  if (!resource.success) throw new InvalidAction(resource.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; '), resource.error.issues[0]?.path.join('.') ?? 'document');
  const { notification, ...rest } = resource.data.spec as { notification?: unknown } & Record<string, unknown>;
  const raw = {
    ...(resource.data.metadata.description !== undefined && rest.description === undefined ? { description: resource.data.metadata.description } : {}),
    ...rest,
    ...(notification !== undefined && rest.notifications === undefined ? { notifications: [notification] } : {}),
  };
  const spec = SaveResponseAction.safeParse(raw);
  if (!spec.success) {
    const first = spec.error.issues[0]!;
    throw new InvalidAction(spec.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; '), `spec.${first.path.join('.')}`);
  }
  return { name: resource.data.metadata.name, spec: spec.data };
}

/** An InvalidAction of a spec check, re-pointed at the resource document's `spec.…` field. */
export function inResourceSpec(e: InvalidAction): InvalidAction {
  const message = e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
  return new InvalidAction(`spec.${e.path}: ${message}`, `spec.${e.path}`);
}
