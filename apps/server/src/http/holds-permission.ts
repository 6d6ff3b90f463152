import { allows, RoleSet, type Permission, type RoleRegistry } from '@access-monitor/rbac';
import type { AuthenticatedUser } from '../identity/identity-provider';

/** Whether the user's roles grant a permission: for handlers that decide per resource (whose execution it is). */
export function holds(user: AuthenticatedUser, roles: RoleRegistry, permission: Permission): boolean {
  return allows(new RoleSet(user.roles, roles), permission);
}
