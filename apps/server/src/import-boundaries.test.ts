import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The rule ids ESLint reports for `code` placed at `file` (relative to the repository). */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('import boundaries kept by lint', () => {
  it('refuses the test-only Athena peer in server production code, and allows it in the dev tool and tests', async () => {
    const code = "import { startAwsLocal } from '@access-monitor/athena-local';\nexport const peers = startAwsLocal;\n";
    expect(await violations('apps/server/src/executions/probe.ts', code)).toContain('no-restricted-imports');
    expect(await violations('apps/server/src/dev/probe.ts', code)).not.toContain('no-restricted-imports');
    expect(await violations('apps/server/src/aws/probe.test.ts', code)).not.toContain('no-restricted-imports');
  });

  it('keeps pure packages free of I/O and of adapter packages', async () => {
    expect(await violations('packages/reports/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await violations('packages/rbac/src/probe.ts', "import { createFsObjectStore } from '@access-monitor/storage';\nexport const s = createFsObjectStore;\n")).toContain('no-restricted-imports');
    expect(await violations('packages/sql/src/probe.ts', "import { sqlString } from './sql-literals';\nexport const q = sqlString;\n")).not.toContain('no-restricted-imports');
  });

  it('keeps native DuckDB out of packages/sql, its tests included', async () => {
    const code = "import { DuckDBInstance } from '@duckdb/node-api';\nexport const db = DuckDBInstance;\n";
    expect(await violations('packages/sql/src/probe.ts', code)).toContain('no-restricted-imports');
    expect(await violations('packages/sql/src/probe.test.ts', code)).toContain('no-restricted-imports');
    expect(await violations('packages/sql/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await violations('packages/engine/src/sql-on-duckdb/probe.test.ts', code)).not.toContain('no-restricted-imports');
  });
});
