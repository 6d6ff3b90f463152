import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';

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
    // packages/sql loads no native engine, not even in its tests: DuckDB's parser is injected from
    // @access-monitor/engine/duckdb-parser, and tests that run SQL on DuckDB live in packages/engine.
    // (Before the pure-package block: for its files that block's list, which has @duckdb/* too, wins.)
    files: ['packages/sql/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@duckdb/*', '@access-monitor/engine', '@access-monitor/engine/*'], message: 'packages/sql has no native DuckDB: take the parser as a parameter; SQL-on-DuckDB tests go in packages/engine.' }] },
      ],
    },
  },
  {
    // Pure packages touch no files, network, processes or native engines (DESIGN §2); adapters are injected.
    files: ['packages/{contracts,rbac,sql,reports}/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
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
  ...webImportBoundaries(),
);

/**
 * apps/web layering, as in bulletproof-react. app/ (router, providers, layout, route guards) may import anything of the
 * SPA. A feature (features/<x>/) imports only its own files and the shared layers: components/ (UI), api/ (the client)
 * and lib/ (non-UI: paths, page access, the signed-in user, queries several features read). It never imports another
 * feature nor app/, and there are no public feature entries: whatever two features, or a feature and app/, share moves
 * down into a shared layer. The shared layers import neither features nor app/. The whole SPA runs in the browser:
 * no Node built-ins and no server-side package. (Options of one rule do not merge, so every object repeats those.)
 */
function webImportBoundaries() {
  const browserOnly = [
    {
      regex: '^@access-monitor/(engine|storage|audit-log|athena-local|sql)(/|$)',
      message: 'the SPA talks to the server over HTTP: it may use contracts and rbac, never a server-side package.',
    },
    { regex: `^(node:|(${builtinModules.join('|')})(/|$))`, message: 'the SPA runs in the browser: no Node built-ins.' },
  ];
  // A relative import that climbs (`../`) straight into one of these folders.
  const upInto = (dirs) => `^(\\./)?(\\.\\./)+(${dirs.join('|')})(/|$)`;
  const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...browserOnly, ...patterns] }] });
  const features = readdirSync(new URL('./apps/web/src/features', import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const noAppOrFeatures = (who) => ({ regex: upInto(['app', 'features']), message: `${who} never import app/ or features/: move what is shared down to components/ or lib/.` });
  return [
    { files: ['apps/web/**/*.{ts,tsx}'], rules: restrict() },
    { files: ['apps/web/src/{components,api,lib}/**/*.{ts,tsx}'], rules: restrict(noAppOrFeatures('shared layers (components/, api/, lib/)')) },
    ...features.map((feature) => {
      const others = features.filter((other) => other !== feature);
      const noOtherFeature = { regex: upInto(others), message: `features/${feature} imports only its own files and components/, api/, lib/: move what features share down there.` };
      return { files: [`apps/web/src/features/${feature}/**/*.{ts,tsx}`], rules: restrict(noAppOrFeatures('features'), ...(others.length > 0 ? [noOtherFeature] : [])) };
    }),
  ];
}
