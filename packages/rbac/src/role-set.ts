import { RESOURCE_KINDS, VERBS, WILDCARD } from './model';
import type { EffectiveVerbs, ResourceKind, Role, Rule, Verb } from './model';
import type { RoleRegistry } from './role-registry';

/** Anything that answers "may this user do `verb` on `kind`": a RoleSet on the server, the `/me` answer in the SPA. */
export interface AccessChecker {
  can(kind: ResourceKind, verb: Verb): boolean;
}

/**
 * The combined permissions of one user's roles, with Teleport's semantics: allow rules of all roles are united,
 * any matching deny rule in any role wins, `*` matches any resource or verb, kinds and verbs compare case-sensitively.
 *
 * Rules with `where` need a resource to evaluate against, which a (kind, verb) check does not have, so they fail
 * closed: a conditional allow grants nothing and a conditional deny always denies.
 */
export class RoleSet implements AccessChecker {
  readonly roleNames: readonly string[];
  private readonly roles: readonly Role[];
  private readonly unknown: readonly string[];

  constructor(roleNames: readonly string[], registry: RoleRegistry) {
    this.roleNames = [...roleNames];
    const roles: Role[] = [];
    const unknown: string[] = [];
    for (const name of new Set(roleNames)) {
      const role = registry.get(name);
      if (role) roles.push(role);
      else unknown.push(name);
    }
    this.roles = roles;
    this.unknown = unknown;
  }

  can(kind: ResourceKind, verb: Verb): boolean {
    const denied = this.roles.some((role) => (role.spec?.deny?.rules ?? []).some((rule) => matches(rule, kind, verb)));
    if (denied) return false;
    return this.roles.some((role) =>
      (role.spec?.allow?.rules ?? []).some((rule) => rule.where === undefined && matches(rule, kind, verb)),
    );
  }

  /** The known verbs granted on each kind, in VERBS order. */
  effectiveVerbs(): EffectiveVerbs;
  effectiveVerbs<K extends ResourceKind>(kinds: readonly K[]): Record<K, Verb[]>;
  effectiveVerbs(kinds: readonly ResourceKind[] = RESOURCE_KINDS): Partial<EffectiveVerbs> {
    return Object.fromEntries(kinds.map((kind) => [kind, VERBS.filter((verb) => this.can(kind, verb))]));
  }

  /** Role names the user carries that no role file or preset defines; they grant nothing. */
  unknownRoles(): string[] {
    return [...this.unknown];
  }
}

function matches(rule: Rule, kind: string, verb: string): boolean {
  const resourceMatches = rule.resources.includes(kind) || rule.resources.includes(WILDCARD);
  return resourceMatches && (rule.verbs.includes(verb) || rule.verbs.includes(WILDCARD));
}
