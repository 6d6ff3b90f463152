import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRoleRegistry, parseRoles, type RoleRegistry, type Role } from '@access-monitor/rbac';
import { ConfigError } from '../config/load-config';

/** `roles/*.yaml`-style patterns: `*` and `?` in the last path segment only. */
async function expand(pattern: string): Promise<string[]> {
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const dir = path.dirname(pattern);
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  const names = await readdir(dir).catch(() => {
    throw new ConfigError(`roles: folder ${dir} of pattern ${pattern} does not exist`);
  });
  return names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
}

/** The presets plus every role in the configured files. A bad file stops startup naming file, line and reason. */
export async function loadRoleRegistry(patterns: readonly string[]): Promise<RoleRegistry> {
  const roles: Role[] = [];
  for (const pattern of patterns) {
    for (const file of await expand(pattern)) {
      const text = await readFile(file, 'utf8').catch((e: Error) => {
        throw new ConfigError(`roles: cannot read ${file}: ${e.message}`);
      });
      roles.push(...parseRoles(text, file));
    }
  }
  return createRoleRegistry(roles);
}
