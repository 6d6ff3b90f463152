/**
 * Hostile SQL for the sandbox suite, as data: what an analyst with `use` on audit_query might send to
 * read files, change the engine or write outside the results folder. `refuse` entries must be
 * refused before they reach the engine (a problem answer, never an execution); `any` entries may
 * also run, and must then be harmless (no canary, no write, views and settings intact).
 */
export interface HostileStatement {
  category: string;
  sql: string;
  expect: 'refuse' | 'any';
}

export interface CorpusPaths {
  /** A file outside the data folder whose content must never appear in an answer. */
  canaryFile: string;
  /** The name of an environment variable whose value must never appear in an answer. */
  canaryEnv: string;
  /** A folder outside the data and results folders: nothing may be written there. */
  outsideDir: string;
  /** The audit data folder (readable by the engine, but only through the views). */
  dataDir: string;
  /** The engine's results folder (other users' results live there). */
  resultsDir: string;
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Statements that must never run, in every form below (stacked, hidden, disguised). */
function dangerous(p: CorpusPaths): string[] {
  const out = (name: string) => q(`${p.outsideDir}/${name}`);
  return [
    `COPY (SELECT 1) TO ${out('copy-1.csv')}`,
    `COPY (SELECT * FROM audit_events) TO ${out('copy-2.parquet')} (FORMAT parquet)`,
    `COPY audit_events TO ${out('copy-3.csv')}`,
    `COPY session_start TO ${out('copy-4.json')} (FORMAT json)`,
    `COPY (SELECT getenv(${q(p.canaryEnv)})) TO ${out('copy-5.csv')}`,
    `COPY audit_events FROM ${q(p.canaryFile)}`,
    `ATTACH ${out('attach-1.db')} AS escape`,
    `ATTACH ':memory:' AS mem`,
    `ATTACH ${q(p.canaryFile)} AS canary (TYPE sqlite)`,
    `DETACH memory`,
    `USE system`,
    `INSTALL httpfs`,
    `LOAD httpfs`,
    `FORCE INSTALL httpfs FROM core_nightly`,
    `INSTALL ${out('evil.duckdb_extension')}`,
    `LOAD ${out('evil.duckdb_extension')}`,
    `UPDATE EXTENSIONS`,
    `PRAGMA enable_external_access`,
    `PRAGMA database_list`,
    `PRAGMA show_tables`,
    `PRAGMA table_info('audit_events')`,
    `PRAGMA memory_limit='1TB'`,
    `PRAGMA threads=64`,
    `PRAGMA enable_profiling='json'`,
    `PRAGMA profiling_output=${out('profile.json')}`,
    `PRAGMA version`,
    `PRAGMA functions`,
    `SET enable_external_access = true`,
    `SET allowed_directories = ['/']`,
    `SET GLOBAL allowed_directories = ['/']`,
    `SET lock_configuration = false`,
    `RESET lock_configuration`,
    `RESET ALL`,
    `SET TimeZone = 'America/New_York'`,
    `SET GLOBAL integer_division = false`,
    `SET VARIABLE leak = getenv(${q(p.canaryEnv)})`,
    `SET search_path = 'system.main'`,
    `SET temp_directory = ${out('spill')}`,
    `SET SESSION threads = 64`,
    `CALL pragma_version()`,
    `CALL duckdb_settings()`,
    `CALL enable_logging()`,
    `CALL checkpoint()`,
    `CALL read_csv(${q(p.canaryFile)})`,
    `CALL query('SELECT 1')`,
    `EXPORT DATABASE ${out('export-1')}`,
    `EXPORT DATABASE ${out('export-2')} (FORMAT parquet)`,
    `IMPORT DATABASE ${q(p.outsideDir)}`,
    `CHECKPOINT`,
    `FORCE CHECKPOINT`,
    `CHECKPOINT memory`,
    `VACUUM`,
    `ANALYZE`,
    `CREATE TABLE t AS SELECT 1`,
    `CREATE OR REPLACE VIEW session_start AS SELECT 1 AS x`,
    `CREATE OR REPLACE MACRO cardinality(x) AS 0`,
    `CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(s) AS NULL`,
    `DROP MACRO cardinality`,
    `DROP VIEW IF EXISTS session_start`,
    `CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')`,
    `CREATE SEQUENCE s`,
    `CREATE TYPE mood AS ENUM ('a')`,
    `CREATE SCHEMA evil`,
    `CREATE INDEX i ON audit_events(uid)`,
    `CREATE TEMP TABLE t AS SELECT * FROM read_csv(${q(p.canaryFile)})`,
    `CREATE VIEW v AS SELECT * FROM ${q(p.canaryFile)}`,
    `CREATE FUNCTION f() AS getenv('HOME')`,
    `ALTER VIEW session_start RENAME TO s2`,
    `INSERT INTO audit_events VALUES (1)`,
    `UPDATE audit_events SET "user" = 'x'`,
    `DELETE FROM audit_events`,
    `TRUNCATE audit_events`,
    `MERGE INTO audit_events AS a USING (SELECT 1 AS uid) AS b ON a.uid = b.uid WHEN MATCHED THEN DELETE`,
    `BEGIN TRANSACTION`,
    `COMMIT`,
    `ROLLBACK`,
    `PREPARE p AS SELECT getenv('HOME')`,
    `EXECUTE p`,
    `DEALLOCATE p`,
    `DESCRIBE audit_events`,
    `SHOW TABLES`,
    `SHOW ALL TABLES`,
    `SUMMARIZE audit_events`,
    `PIVOT audit_events ON event_type`,
    `UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b`,
    `FROM audit_events`,
    `FROM ${q(p.canaryFile)}`,
    `WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x`,
    `WITH x AS (SELECT 1) DELETE FROM audit_events`,
    `WITH x AS (SELECT 1) UPDATE audit_events SET uid = 'x'`,
    `EXPLAIN COPY (SELECT 1) TO ${out('explain-copy.csv')}`,
    `EXPLAIN ANALYZE COPY (SELECT 1) TO ${out('explain-analyze-copy.csv')}`,
    `EXPLAIN ATTACH ${out('explain-attach.db')}`,
    `EXPLAIN EXPLAIN SELECT 1`,
    `COMMENT ON TABLE audit_events IS 'x'`,
    `CREATE OR REPLACE TABLE audit_events AS SELECT * FROM read_csv(${q(p.canaryFile)})`,
  ];
}

/** Statements that read what they must not: files, the environment, the engine's settings, other results. */
function readers(p: CorpusPaths): string[] {
  const env = q(p.canaryEnv);
  const canary = q(p.canaryFile);
  const parquet = q(`${p.dataDir}/*/*.parquet`);
  return [
    // getenv in every position an expression can take
    `SELECT getenv(${env})`,
    `SELECT GETENV(${env})`,
    `SELECT "getenv"(${env})`,
    `SELECT main.getenv(${env})`,
    `SELECT system.main.getenv(${env})`,
    `SELECT ${env}.getenv()`,
    `SELECT (${env}).getenv()`,
    `SELECT list_transform([${env}], x -> getenv(x))`,
    `SELECT [getenv(x) for x in [${env}]]`,
    `SELECT * FROM session_start WHERE getenv(${env}) IS NOT NULL`,
    `SELECT * FROM session_start ORDER BY getenv(${env})`,
    `SELECT (SELECT getenv(${env}))`,
    `WITH a AS (SELECT getenv(${env}) AS h) SELECT * FROM a`,
    `SELECT getenv(x) FROM (VALUES (${env})) t(x)`,
    `SELECT * FROM (VALUES (getenv(${env})))`,
    `SELECT max(getenv(${env})) OVER ()`,
    `SELECT CASE WHEN true THEN getenv(${env}) END`,
    `SELECT coalesce(NULL, getenv(${env}))`,
    `SELECT * FROM session_start, LATERAL (SELECT getenv(${env}))`,
    `SELECT map_from_entries([(getenv(${env}), 1)])`,
    `SELECT count(*) FILTER (WHERE getenv(${env}) = '') FROM session_start`,
    `SELECT * FROM session_start s JOIN user_login l ON getenv(${env}) = l."user"`,
    `SELECT getenv(${env}) UNION ALL SELECT 'x'`,
    `SELECT struct_pack(a := getenv(${env}))`,
    `SELECT {'a': getenv(${env})}`,
    `SELECT getvariable('leak')`,
    // the engine's configuration
    `SELECT current_setting('allowed_directories')`,
    `SELECT current_setting('temp_directory')`,
    `SELECT current_setting('enable_external_access')`,
    `SELECT current_setting('home_directory')`,
    `SELECT current_setting('TimeZone')`,
    `SELECT * FROM duckdb_settings()`,
    `SELECT (SELECT value FROM duckdb_settings() WHERE name = 'allowed_directories')`,
    `SELECT duckdb_settings()`,
    `SELECT * FROM system.main.duckdb_settings()`,
    `SELECT * FROM duckdb_secrets()`,
    `SELECT * FROM duckdb_extensions()`,
    `SELECT * FROM duckdb_temporary_files()`,
    `SELECT * FROM duckdb_databases()`,
    `SELECT * FROM duckdb_views()`,
    `SELECT * FROM duckdb_functions()`,
    `SELECT * FROM duckdb_logs`,
    `SELECT * FROM information_schema.tables`,
    `SELECT * FROM information_schema.columns`,
    `SELECT * FROM pg_catalog.pg_settings`,
    `SELECT * FROM sqlite_master`,
    `SELECT * FROM temp.information_schema.schemata`,
    `SELECT * FROM pragma_version()`,
    `SELECT * FROM pragma_show('audit_events')`,
    `SELECT * FROM pragma_database_size()`,
    `SELECT * FROM which_secret('s3://bucket/x', 's3')`,
    `SELECT current_query()`,
    `SELECT current_database()`,
    `SELECT current_schemas(true)`,
    // SQL text run as SQL
    `SELECT * FROM query('SELECT getenv(''${p.canaryEnv}'')')`,
    `SELECT * FROM query('COPY (SELECT 1) TO ''${p.outsideDir}/query-copy.csv''')`,
    `SELECT * FROM query_table('session_start')`,
    `SELECT * FROM query_table(['session_start', 'user_login'])`,
    `SELECT query('SELECT 1')`,
    `SELECT json_execute_serialized_sql(json_serialize_sql('SELECT getenv(''HOME'')'))`,
    `SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`,
    `SELECT json_serialize_sql('SELECT 1')`,
    `SELECT nextval('s')`,
    `SELECT setseed(0.5)`,
    // files, by function
    `SELECT * FROM read_blob(${canary})`,
    `SELECT read_blob(${canary})`,
    `SELECT content FROM read_text(${canary})`,
    `SELECT * FROM read_text('/etc/passwd')`,
    `SELECT * FROM read_csv(${canary})`,
    `SELECT * FROM read_csv_auto(${canary}, header = false)`,
    `SELECT * FROM read_json_objects(${canary})`,
    `SELECT * FROM read_parquet(${parquet})`,
    `SELECT * FROM parquet_scan(${parquet})`,
    `SELECT * FROM read_csv(${q(`${p.resultsDir}/*.csv`)})`,
    `SELECT * FROM read_text(${q(`${p.resultsDir}/*.json`)})`,
    `SELECT * FROM glob('/*')`,
    `SELECT * FROM glob(${q(`${p.dataDir}/**`)})`,
    `SELECT glob('*')`,
    `SELECT * FROM unnest((SELECT list(file) FROM glob('/*')))`,
    `SELECT * FROM session_start, unnest(glob('/*'))`,
    `SELECT * FROM sniff_csv(${canary})`,
    `SELECT sniff_csv(${canary})`,
    `SELECT * FROM parquet_metadata(${parquet})`,
    `SELECT * FROM parquet_schema(${parquet})`,
    `SELECT * FROM parquet_kv_metadata(${parquet})`,
    `SELECT * FROM parquet_file_metadata(${parquet})`,
    `SELECT * FROM session_start WHERE "user" IN (SELECT content FROM read_text(${canary}))`,
    `SELECT (SELECT content FROM read_text(${canary}))`,
    `WITH c AS (SELECT content FROM read_text(${canary})) SELECT * FROM c`,
    `SELECT * FROM range(10)`,
    `SELECT * FROM generate_series(1, 3)`,
    `SELECT * FROM test_all_types()`,
    `SELECT * FROM repeat('x', 3)`,
    `SELECT * FROM sql_auto_complete('SEL')`,
    // replacement scans: a string where a table goes
    `SELECT * FROM ${canary}`,
    `SELECT * FROM "${p.canaryFile}"`,
    `SELECT * FROM ${parquet}`,
    `SELECT * FROM '/etc/passwd'`,
    `SELECT * FROM 'x.csv'`,
    `SELECT * FROM 'https://127.0.0.1:9/x.csv'`,
    `SELECT * FROM 's3://bucket/x.parquet'`,
    `SELECT * FROM session_start JOIN ${canary} ON true`,
    `SELECT * FROM (SELECT * FROM ${canary})`,
    `WITH c AS (SELECT * FROM ${canary}) SELECT * FROM c`,
    `SELECT (SELECT count(*) FROM ${canary})`,
    `SELECT * FROM session_start WHERE "user" IN (SELECT * FROM ${canary})`,
    `SELECT * FROM ${canary} AS t(x)`,
    `SELECT * FROM "${p.dataDir}"`,
    `SELECT * FROM ${q(`${p.resultsDir}/*.csv`)}`,
    `EXPLAIN SELECT * FROM ${canary}`,
    `EXPLAIN ANALYZE SELECT getenv(${env})`,
    `SELECT * FROM memory.main.session_start`,
    `SELECT * FROM system.main.duckdb_tables()`,
    // a CTE may shadow nothing the guard trusts
    `WITH read_csv AS (SELECT 1 AS x) SELECT * FROM read_csv(${canary})`,
    `WITH RECURSIVE t AS (SELECT * FROM ${canary} UNION ALL SELECT * FROM t) SELECT * FROM t`,
    `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT getenv(${env}) FROM t`,
  ];
}

/** Separators that are whitespace to someone: Unicode spaces, invisible characters, odd line ends. */
const ODD_SPACES = [
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2002',
  '\u2003',
  '\u2007',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u200b',
  '\u180e',
  '\u0085',
  '\v',
  '\f',
  '\r',
];

/** Characters that look like a statement separator, a quote or a comment marker but are not. */
const LOOK_ALIKE_SEPARATORS = ['\u037e', '\uff1b', '\ufe54', '\u204f', '\u061b'];

function deepNesting(depth: number): string[] {
  return [
    `SELECT ${'('.repeat(depth)}1${')'.repeat(depth)}`,
    `SELECT ${'abs('.repeat(depth)}1${')'.repeat(depth)}`,
    `SELECT ${'-'.repeat(depth)}1`,
    `SELECT ${'NOT '.repeat(depth)}true`,
    `SELECT ${'['.repeat(depth)}1${']'.repeat(depth)}`,
    `SELECT ${'CASE WHEN true THEN '.repeat(depth)}1${' END'.repeat(depth)}`,
    `SELECT * FROM ${'(SELECT * FROM '.repeat(depth)}session_start${') AS t'.repeat(depth)}`,
    `SELECT 1 ${'/* '.repeat(depth)}${'*/ '.repeat(depth)}`,
    `SELECT ${Array.from({ length: depth }, () => '1').join(' + ')}`,
    `SELECT ${Array.from({ length: depth }, () => "'a'").join(' || ')}`,
    `SELECT 1 WHERE 1 IN (${Array.from({ length: depth }, (_, i) => i).join(', ')})`,
    `WITH ${Array.from({ length: 500 }, (_, i) => `a${i} AS (SELECT ${i === 0 ? '1 AS x' : `x + 1 AS x FROM a${i - 1}`})`).join(', ')} SELECT x FROM a499`,
    `SELECT 1 ${'UNION ALL SELECT 1 '.repeat(1000)}`,
    `SELECT ${'{a: '.repeat(200)}1${'}'.repeat(200)}`,
    `SELECT ${"json_extract_scalar('{}', '$.a') || ".repeat(1000)}'x'`,
  ];
}

/** The whole corpus: at least 300 statements, each tagged with its category. */
export function hostileCorpus(p: CorpusPaths): HostileStatement[] {
  const statements: HostileStatement[] = [];
  const add = (category: string, expect: HostileStatement['expect'], sqls: string[]) => statements.push(...sqls.map((sql) => ({ category, sql, expect })));
  const bad = dangerous(p);
  const copy = `COPY (SELECT 1) TO ${q(`${p.outsideDir}/stacked.csv`)}`;
  const attach = `ATTACH ${q(`${p.outsideDir}/stacked.db`)} AS x`;

  add('non-query statement', 'refuse', bad);
  add('reads files, settings or the environment', 'refuse', readers(p));

  // Stacked statements: a harmless SELECT, then something that is not.
  add('stacked statements', 'refuse', [
    ...bad.slice(0, 30).map((s) => `SELECT 1; ${s}`),
    `SELECT 1;\n${copy}`,
    `SELECT 1 ;; ${copy}`,
    `${copy}; SELECT 1`,
    `SELECT 1;${copy};`,
    `SELECT * FROM session_start LIMIT 1; ${attach}`,
    `SELECT 1; SELECT 2`,
    `SELECT 1; LOAD httpfs; SELECT 2`,
    `(SELECT 1); ${copy}`,
    `VALUES (1); ${copy}`,
    `SELECT 1\n;\n\n${copy}\n;`,
  ]);

  // Comments and strings that hide or fake a separator.
  add('comment and string tricks', 'refuse', [
    `/* SELECT */ ${copy}`,
    `-- SELECT\n${copy}`,
    `SELECT 1 /* ; */ ; ${copy}`,
    `SELECT 1 -- comment\n; ${copy}`,
    `SELECT '--' ; ${copy}`,
    `SELECT '/*'; ${copy}; SELECT '*/'`,
    `SELECT $$;$$; ${copy}`,
    `SELECT E'\\\\'; ${copy}`,
    `SELECT 'it''s'; ${copy}`,
    `SELECT "a;b" FROM (SELECT 1 AS "a;b"); ${copy}`,
    `SELECT 1 /* /* nested */ ; ${copy} */`,
    `SELECT 1 /* unterminated ; ${copy}`,
    `SELECT 1 --\r${copy}`,
    `SELECT 1 #\n; ${copy}`,
    `SELECT 1 /*/ ; ${copy} /*/`,
    `SELECT 1 */ ; ${copy}`,
    `SELECT ''''; ${copy}; SELECT ''''`,
    `SELECT 1 /**/;/**/${copy}`,
    `SELECT '\\'; ${copy} --'`,
    `SELECT U&'\\0041'; ${copy}`,
    `SELECT U&"d\\0061ta" FROM (SELECT 1 AS data); ${copy}`,
    `SELECT 'a' 'b'; ${copy}`,
    `SELECT x'41'; ${copy}`,
    `SELECT $tag$ ' $tag$; ${copy}`,
    `SELECT "unterminated; ${copy}`,
    `SELECT 'unterminated; ${copy}`,
    `SELECT 1 /*! ; ${copy} */ ; ${copy}`,
    `SELECT 1 /*\u202e ; */ ${copy}`,
  ]);
  add('comment and string tricks', 'any', [
    `SELECT 1 -- ; ${copy}`,
    `SELECT 1 /* ; ${copy} */`,
    `SELECT '; ${copy.replaceAll("'", "''")}'`,
    `SELECT $tag$ ; ${copy} $tag$`,
    `SELECT 1 AS "; ${copy.replaceAll('"', '""')}"`,
    `SELECT 1 /*! COPY */`,
    `SELECT version()`,
    // DuckDB reads E'\'' as an escaped quote: one string, one statement.
    `SELECT E'\\'; ${copy} --'`,
    // U+2028 ends no SQL comment: the rest of the line is commented out.
    `SELECT 1 --\u2028; ${copy}`,
    `SELECT 1;`,
    `SELECT 1 ; -- trailing`,
    `SELECT 1; /* trailing */`,
  ]);

  // Unicode whitespace and look-alikes, around harmless and harmful statements.
  for (const space of ODD_SPACES) {
    const code = `U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    add(`unicode whitespace ${code}`, 'refuse', [`SELECT 1;${space}${copy}`, `${space}${copy}`, `COPY${space}(SELECT 1) TO ${q(`${p.outsideDir}/space.csv`)}`, `SELECT${space}*${space}FROM${space}read_csv(${q(p.canaryFile)})`]);
    add(`unicode whitespace ${code}`, 'any', [`SELECT${space}1`, `SELECT count(*)${space}FROM${space}session_start`]);
  }
  for (const semi of LOOK_ALIKE_SEPARATORS) add('look-alike separators', 'any', [`SELECT 1${semi} ${copy}`, `SELECT 1${semi}${attach}`]);
  add('look-alike characters', 'any', [
    `\u0405ELECT 1`,
    `SELECT * FROM r\u0435ad_csv(${q(p.canaryFile)})`,
    `SELECT g\u0435tenv(${q(p.canaryEnv)})`,
    `SELECT * FROM "session_start\u200b"`,
    `SELECT 1 FROM \u0455ession_start`,
    `SELECT \uff07x\uff07`,
    `SELECT \u2018x\u2019`,
    `SELECT \u201cx\u201d FROM session_start`,
    `SELECT 1 \u2215* comment *\u2215`,
    `SELECT '\u02bc; ${copy.replaceAll("'", "''")} \u02bc'`,
    `SELECT\u0301 1`,
    `SELECT 1 \uff0d\uff0d ; ${copy}`,
    `SELECT \u0441ount(*) FROM session_start`,
    `\u0421OPY (SELECT 1) TO ${q(`${p.outsideDir}/cyrillic.csv`)}`,
    `SELECT * FROM read_csv\u200b(${q(p.canaryFile)})`,
  ]);

  // NUL bytes anywhere.
  add('NUL bytes', 'refuse', [
    `SELECT 1\0; ${copy}`,
    `SELECT 1;\0${copy}`,
    `\0${copy}`,
    `SELECT '\0'`,
    `SELECT 1 --\0\n; ${copy}`,
    `SELECT 1 /*\0*/; ${copy}`,
    `SELECT "\0" FROM session_start`,
    `SELECT * FROM read_csv(${q(`${p.canaryFile}\0.parquet`)})`,
    `SELECT 1\0`,
    `SEL\0ECT 1`,
    `SELECT * FROM session_start WHERE "user" = 'a\0b'`,
  ]);

  // Recursive CTEs: bounded ones run, unbounded ones hit the query timeout.
  add('recursive CTEs', 'any', [
    `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10000) SELECT count(*) AS n FROM t`,
    `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t LIMIT 5`,
    `WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t WHERE length(s) < 1000000) SELECT max(length(s)) AS n FROM t`,
    `WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n FROM t) SELECT * FROM t`,
    `WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 50), b(m) AS (SELECT n FROM a UNION ALL SELECT m + 1 FROM b WHERE m < 60) SELECT count(*) AS n FROM b`,
    `WITH RECURSIVE t(n, u) AS (SELECT 1, "user" FROM session_start UNION ALL SELECT n + 1, u FROM t WHERE n < 20) SELECT count(*) AS n FROM t`,
    `WITH RECURSIVE session_start(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM session_start WHERE n < 5) SELECT * FROM session_start`,
    `WITH RECURSIVE t(n) USING KEY (n) AS (SELECT 1 UNION SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t`,
  ]);

  // 10,000-deep nesting (and a few wide shapes): refused or evaluated, never a crash.
  add('10k-deep nesting', 'any', deepNesting(10_000));

  // 100 KB statements.
  const kb = 99_000;
  add('100 KB statements', 'any', [
    `SELECT '${'x'.repeat(kb)}' AS long`,
    `SELECT 1 /* ${'x'.repeat(kb)} */`,
    `SELECT count(*) AS n FROM session_start WHERE "user" IN (${Array.from({ length: Math.floor(kb / 12) }, (_, i) => `'u${String(i).padStart(6, '0')}'`).join(',')})`,
    `SELECT '${'x'.repeat(150_000)}'`,
  ]);
  add('100 KB statements', 'refuse', [`SELECT 1 -- ${'x'.repeat(kb)}\n; ${copy}`, `SELECT '${'x'.repeat(kb)}'; ${copy}`, `${' '.repeat(kb)}${copy}`]);

  // EXPLAIN: allowed for queries, never a way to run anything else.
  add('EXPLAIN', 'any', [`EXPLAIN SELECT * FROM session_start`, `EXPLAIN ANALYZE SELECT count(*) FROM session_start`, `EXPLAIN (FORMAT json) SELECT 1`]);
  return statements;
}

/** Every table function DuckDB has, called with a file, a query and nothing. */
export function tableFunctionStatements(names: readonly string[], p: CorpusPaths): HostileStatement[] {
  return names.flatMap((name) => [
    { category: 'DuckDB table function', sql: `SELECT * FROM ${name}(${q(p.canaryFile)})`, expect: name === 'unnest' ? 'any' : 'refuse' },
    { category: 'DuckDB table function', sql: `SELECT * FROM ${name}()`, expect: name === 'unnest' ? 'any' : 'refuse' },
  ]);
}
