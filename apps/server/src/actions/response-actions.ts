import { ResponseAction, responseActionEtag, type ResponseActionSummary, type SaveResponseAction } from '@access-monitor/contracts';
import type { ObjectStore } from '@access-monitor/storage';
import { createRevisionedDocuments } from '../revisions/revisioned-documents';
import { InvalidAction } from './action-errors';
import type { ActionFirings } from './action-firings';
import { actionKeys } from '../store-layout';
import type { ActionsConfig } from './delivery/actions-config';
import { slotsOf } from './schedule';

/** Response actions as revisioned resources (`actions/rules/<name>/rev-<n>.json`), like saved audit queries. */
export function createResponseActionStore(store: ObjectStore) {
  return createRevisionedDocuments<ResponseAction, SaveResponseAction>(store, {
    prefix: actionKeys.rulesPrefix,
    noun: 'response action',
    parse: (v) => ResponseAction.parse(v),
    etag: responseActionEtag,
  });
}
export type ResponseActionStore = ReturnType<typeof createResponseActionStore>;

/**
 * Checks what the schema cannot: the schedule parses, every notification names a declared destination,
 * the source exists. Throws InvalidAction naming the field.
 */
export async function validateAction(spec: SaveResponseAction, deps: { config: ActionsConfig; firings: Pick<ActionFirings, 'resolveSource'> }): Promise<void> {
  slotsOf(spec.schedule);
  spec.notifications.forEach((n, i) => {
    if (!deps.config.destinations[n.name]) {
      const declared = Object.keys(deps.config.destinations);
      throw new InvalidAction(
        `notifications.${i}.name: no destination named ${n.name} is declared under actions.destinations${declared.length > 0 ? ` (declared: ${declared.join(', ')})` : ' (none is declared)'}`,
        `notifications.${i}.name`,
      );
    }
  });
  const names = spec.notifications.map((n) => n.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new InvalidAction(`notifications: destination ${twice} is named twice`, 'notifications');
  const source = await deps.firings.resolveSource(spec);
  if (spec.response && source.finding && !source.finding.entityColumns.includes('user')) {
    throw new InvalidAction(`response.teleport_lock: the rows of ${source.label} have no "user" column to lock`, 'response.teleport_lock');
  }
}

/** When an enabled rule fires next after `now`; null when disabled. */
export function nextFiringAt(action: ResponseAction, now: Date): string | null {
  if (!action.enabled || action.deleted) return null;
  try {
    return slotsOf(action.schedule).nextAfter(now).toISOString();
  } catch {
    return null;
  }
}

export async function summarize(action: ResponseAction, firings: Pick<ActionFirings, 'list'>, now: Date): Promise<ResponseActionSummary> {
  const [last] = await firings.list(action.name, 1);
  return { action, nextFiringAt: nextFiringAt(action, now), lastFiring: last ?? null };
}
