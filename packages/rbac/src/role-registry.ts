import type { Role } from './model';
import { PRESET_ROLES } from './presets';
import { RoleFileError } from './role-file-error';

/** Role definitions by name: the presets plus the roles read from the configured files. */
export interface RoleRegistry {
  get(name: string): Role | undefined;
  /** Sorted. */
  names(): string[];
}

/**
 * A role from the files replaces the preset of the same name, as `tctl create -f` would.
 * Two file roles with one name throw RoleFileError naming both places.
 */
export function createRoleRegistry(roles: readonly Role[]): RoleRegistry {
  const byName = new Map<string, Role>(PRESET_ROLES.map((role) => [role.metadata.name, role]));
  const fromFiles = new Map<string, Role>();
  for (const role of roles) {
    const name = role.metadata.name;
    const earlier = fromFiles.get(name);
    if (earlier) {
      const { source } = role;
      const where = earlier.source ? ` in ${earlier.source.fileName}:${earlier.source.line}` : '';
      throw new RoleFileError(
        source?.fileName ?? '(roles)',
        `role ${JSON.stringify(name)} is already defined${where}`,
        source && { line: source.line },
      );
    }
    fromFiles.set(name, role);
    byName.set(name, role);
  }
  const names = [...byName.keys()].sort();
  return { get: (name) => byName.get(name), names: () => [...names] };
}
