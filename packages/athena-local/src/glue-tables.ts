import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openSandboxedDuckDb } from '@access-monitor/engine';
import { admits, type EventDateFilter } from './event-date-filter';
import { ParquetCache } from './parquet-cache';

const quoteLiteral = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const quoteIdentifier = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** Teleport's Glue table, as Athena sees it: `event_date` is the projected partition. */
const COLUMNS = [
  ['uid', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
  ['event_type', 'VARCHAR'],
  ['event_time', 'TIMESTAMP'],
  ['event_data', 'VARCHAR'],
  ['user', 'VARCHAR'],
  ['event_date', 'DATE'],
] as const;

interface Table {
  cache: ParquetCache;
  /** `"database"."table"`: the view the translated statements read. */
  view: string;
  /** Whether the view reads Parquet (DuckDB cannot bind read_parquet over no file). */
  readsFiles?: boolean;
}

/**
 * The Glue tables the peer serves, as DuckDB views named like them (`"audit_db"."audit_table"`)
 * over a local copy of each table's Parquet, in one sandboxed DuckDB instance that may read only
 * the peer's cache folder. Plain DuckDB, set to Trino's session semantics (UTC, integer
 * division): nothing of access-monitor's compatibility layer.
 */
export class GlueTables {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly tables: Map<string, Table>,
    readonly resultsDir: string,
  ) {}

  static async open(options: { s3: S3Client; tables: Record<string, string>; cacheDir: string; threads: number }): Promise<GlueTables> {
    await mkdir(options.cacheDir, { recursive: true });
    const root = await realpath(options.cacheDir);
    const resultsDir = path.join(root, 'results');
    await mkdir(resultsDir, { recursive: true });
    const tables = new Map<string, Table>();
    const schemas = new Set<string>();
    for (const [qualified, location] of Object.entries(options.tables)) {
      const [database, table] = qualified.toLowerCase().split('.') as [string, string];
      const dir = path.join(root, 'tables', `${database}.${table}`);
      await mkdir(dir, { recursive: true });
      schemas.add(database);
      tables.set(`${database}.${table}`, { cache: new ParquetCache(options.s3, location, dir), view: `${quoteIdentifier(database)}.${quoteIdentifier(table)}` });
    }
    const instance = await openSandboxedDuckDb({
      allowedDirectories: [root],
      setup: [...schemas].map((s) => `CREATE SCHEMA ${quoteIdentifier(s)}`),
      threads: options.threads,
      tempDirectory: path.join(root, 'spill'),
    });
    const glue = new GlueTables(instance, tables, resultsDir);
    for (const name of tables.keys()) await glue.defineView(name);
    return glue;
  }

  get names(): ReadonlySet<string> {
    return new Set(this.tables.keys());
  }

  /** Copies what changed under the table's S3 location; the view follows. */
  async sync(name: string): Promise<void> {
    const table = this.tables.get(name)!;
    await table.cache.sync();
    if ((table.cache.files().length > 0) !== table.readsFiles) await this.defineView(name);
  }

  /** Bytes of the Parquet in the partitions a scan's event_date predicates allow. */
  bytesScanned(name: string, filter: EventDateFilter): number {
    return this.tables
      .get(name)!
      .cache.files()
      .filter((f) => admits(filter, f.date))
      .reduce((sum, f) => sum + f.size, 0);
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.instance.closeSync();
  }

  private async defineView(name: string): Promise<void> {
    const table = this.tables.get(name)!;
    const readsFiles = table.cache.files().length > 0;
    const columns = COLUMNS.map(([column, type]) =>
      readsFiles ? (column === 'event_time' ? `CAST(event_time AS TIMESTAMP) AS event_time` : quoteIdentifier(column)) : `CAST(NULL AS ${type}) AS ${quoteIdentifier(column)}`,
    );
    const source = readsFiles
      ? ` FROM read_parquet(${quoteLiteral(path.join(table.cache.dir, '*', '*.parquet'))}, hive_partitioning = true, hive_types = {'event_date': DATE}, binary_as_string = true)`
      : ' WHERE false';
    const connection = await this.instance.connect();
    try {
      await connection.run(`CREATE OR REPLACE VIEW ${table.view} AS SELECT ${columns.join(', ')}${source}`);
    } finally {
      connection.closeSync();
    }
    table.readsFiles = readsFiles;
  }
}
