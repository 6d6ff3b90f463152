import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test-results/**', 'playwright-report/**', '.access-monitor/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Production server code never loads the test-only Athena peer: only the dev tool (src/dev, its own bin) and tests do.
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/dev/**', 'apps/server/src/**/*.test.ts', 'apps/server/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@access-monitor/athena-local', '@access-monitor/athena-local/*'], message: 'athena-local is a test peer: import it from src/dev or tests only.' }] },
      ],
    },
  },
  {
    // Pure packages touch no files, network, processes or native engines (DESIGN §2); adapters are injected.
    files: ['packages/{contracts,rbac,sql,reports}/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**', 'packages/sql/src/duckdb-parser.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'os'], message: 'pure packages do no I/O: take what you need as a parameter.' },
            {
              group: ['@access-monitor/engine', '@access-monitor/storage', '@access-monitor/audit-log', '@access-monitor/athena-local', '@aws-sdk/*', '@duckdb/*', 'express'],
              message: 'pure packages depend only on pure packages (contracts, rbac, sql, reports).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
