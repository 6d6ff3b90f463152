import type { Me } from '@access-monitor/contracts';
import {
  accessFromEffectiveVerbs,
  allows,
  createRoleRegistry,
  RESOURCE_KINDS,
  RoleSet,
  VERBS,
  type AccessChecker,
  type EffectiveVerbs,
  type Permission,
  type Verb,
} from '@access-monitor/rbac';

const KNOWN_VERBS: ReadonlySet<string> = new Set(VERBS);
const isVerb = (verb: string): verb is Verb => KNOWN_VERBS.has(verb);

/** `/me` verbs narrowed to the kinds and verbs the rbac package knows; anything else grants nothing. */
export function effectiveVerbsOf(me: Pick<Me, 'verbs'>): Partial<EffectiveVerbs> {
  return Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, (me.verbs[kind] ?? []).filter(isVerb)]));
}

/** What the signed-in user may do, decided exactly as the server decides it (the server still judges every call). */
export const accessOf = (me: Pick<Me, 'verbs'>): AccessChecker => accessFromEffectiveVerbs(effectiveVerbsOf(me));

/** True when the user's roles grant nothing at all in Access Monitoring. */
export const hasNoAccess = (me: Pick<Me, 'verbs'>): boolean => Object.values(effectiveVerbsOf(me)).every((verbs) => verbs.length === 0);

const presets = createRoleRegistry([]);
const auditorRole = new RoleSet(['auditor'], presets);

/** The preset role to ask for: `auditor` when it grants the permission (or it is not known), else `editor`. */
export const presetRoleFor = (permission: Permission | undefined): 'auditor' | 'editor' =>
  permission === undefined || allows(auditorRole, permission) ? 'auditor' : 'editor';
