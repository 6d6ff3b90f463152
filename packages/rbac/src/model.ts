import { z } from 'zod';

/** Resource kinds Access Monitoring guards, spelled as Teleport spells them in role rules. */
export const RESOURCE_KINDS = ['security_report', 'audit_query', 'response_action'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Verbs this app checks; role rules may name others (Teleport has many), which simply never match here. */
export const VERBS = ['list', 'read', 'use', 'create', 'update', 'delete'] as const;
export type Verb = (typeof VERBS)[number];

/** Matches any resource kind in `resources` or any verb in `verbs`. */
export const WILDCARD = '*';

/** One entry of `spec.allow.rules` / `spec.deny.rules`. */
export interface Rule {
  resources: string[];
  verbs: string[];
  /** Teleport predicate; this app has no per-resource context to evaluate it (see RoleSet). */
  where?: string;
  actions?: string[];
}

export interface RoleConditions {
  rules?: Rule[];
  /** logins, node_labels, … : kept as written, ignored here. */
  [field: string]: unknown;
}

/** A Teleport role as `tctl get roles` prints it; fields this app does not use are kept as written. */
export interface Role {
  kind: 'role';
  version?: string;
  metadata: { name: string; [field: string]: unknown };
  spec?: { allow?: RoleConditions; deny?: RoleConditions; [field: string]: unknown };
  /** Where the role was read from, for messages; absent for presets and roles built in code. */
  source?: RoleSource;
}

export interface RoleSource {
  fileName: string;
  line: number;
}

/** Verbs granted per kind, as `GET /api/v1/me` returns them so the SPA can hide what is not allowed. */
export const EffectiveVerbs = z.record(z.enum(RESOURCE_KINDS), z.array(z.enum(VERBS)));
export type EffectiveVerbs = z.infer<typeof EffectiveVerbs>;
