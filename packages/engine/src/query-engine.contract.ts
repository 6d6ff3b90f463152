import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell, DateWindow, ExecutionState } from '@access-monitor/contracts';
import { isTerminalState, windowDates } from '@access-monitor/contracts';
import { SqlInvalid, SqlRejected } from '@access-monitor/sql';
import { ExecutionNotFound, ResultNotReady } from './errors';
import type { ExecutionStatus, QueryEngine } from './query-engine';
import { eventDate, queryEngineFixture, TRICKY_QUERY_TEXT, TRICKY_QUERY_UID, type QueryEngineFixture } from './query-engine.fixture';


/** Polls until the execution reaches one of `states` or ends, failing after `timeoutMs`. */
export async function waitForState(engine: QueryEngine, id: string, states: readonly ExecutionState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'], timeoutMs = 30_000): Promise<ExecutionStatus> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const status = await engine.status(id);
    // A terminal state never changes again: return it even when waiting for another one.
    if (states.includes(status.state) || isTerminalState(status.state)) return status;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${status.state} after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

let tokens = 0;
const token = (): string => `contract-${process.pid}-${Date.now()}-${tokens++}`;

/**
 * The behaviour every QueryEngine owes its callers. `make` gets the fixture's events, loads them
 * into the engine's storage (Parquet folders, S3, …) and returns a ready engine; it is called once.
 */
export function describeQueryEngineContract(name: string, make: (fixture: QueryEngineFixture) => Promise<QueryEngine>): void {
  describe(`QueryEngine contract: ${name}`, () => {
    const fixture = queryEngineFixture();
    let engine: QueryEngine;

    beforeAll(async () => {
      engine = await make(fixture);
    });
    afterAll(async () => {
      await engine?.close();
    });

    /** Runs SQL to a terminal state. */
    async function run(sql: string, window: DateWindow = fixture.window): Promise<ExecutionStatus> {
      const { id } = await engine.start({ sql, window, token: token() });
      return waitForState(engine, id);
    }

    async function allRows(id: string, pageSize = 1000): Promise<Cell[][]> {
      const rows: Cell[][] = [];
      for (;;) {
        const page = await engine.page(id, rows.length, pageSize);
        rows.push(...page.rows);
        if (page.rows.length === 0 || rows.length >= page.totalRows) return rows;
      }
    }

    const inWindow = (w: DateWindow) => {
      const dates = new Set(windowDates(w));
      return fixture.events.filter((e) => dates.has(eventDate(e)));
    };

    it('runs a query to SUCCEEDED and returns the rows the fixture holds', async () => {
      const status = await run(`SELECT "user", count(*) AS events FROM audit_events GROUP BY "user" ORDER BY "user"`);
      expect(status.state).toBe('SUCCEEDED');
      expect(status.rowCount).toBe(5);
      expect(status.columns).toEqual([
        { name: 'user', type: 'varchar' },
        { name: 'events', type: 'bigint' },
      ]);
      const counts = new Map<string, number>();
      for (const e of fixture.events) counts.set(e.user, (counts.get(e.user) ?? 0) + 1);
      const expected = [...counts].sort(([a], [b]) => a.localeCompare(b));
      const page = await engine.page(status.id, 0, 100);
      expect(page.rows).toEqual(expected);
      expect(page.totalRows).toBe(5);
      expect(status.bytesScanned).toBeGreaterThan(0);
    });

    it('names unaliased expressions _col0, _col1, … like Athena', async () => {
      const status = await run(`SELECT "user", count(*), max(event_time) AS last_seen, upper("user") FROM audit_events GROUP BY "user" ORDER BY 1`);
      expect(status.state).toBe('SUCCEEDED');
      expect(status.columns?.map((c) => c.name)).toEqual(['user', '_col1', 'last_seen', '_col3']);
      expect(status.columns?.map((c) => c.type)).toEqual(['varchar', 'bigint', 'timestamp', 'varchar']);
      const page = await engine.page(status.id, 0, 1);
      expect(page.columns.map((c) => c.name)).toEqual(['user', '_col1', 'last_seen', '_col3']);
    });

    it('keeps the ORDER BY order across pages, at any offset', async () => {
      const status = await run(`SELECT uid, event_time FROM audit_events ORDER BY event_time DESC, uid`);
      expect(status.state).toBe('SUCCEEDED');
      const expected = [...fixture.events].sort((a, b) => b.event_time.localeCompare(a.event_time) || a.uid.localeCompare(b.uid)).map((e) => e.uid);
      expect(status.rowCount).toBe(expected.length);
      const paged = (await allRows(status.id, 37)).map((r) => r[0]);
      expect(paged).toEqual(expected);
      const middle = await engine.page(status.id, 150, 10);
      expect(middle.offset).toBe(150);
      expect(middle.totalRows).toBe(expected.length);
      expect(middle.rows.map((r) => r[0])).toEqual(expected.slice(150, 160));
      expect((await engine.page(status.id, expected.length, 10)).rows).toEqual([]);
    });

    it("writes the CSV as Athena does: every value quoted, quotes doubled, NULL unquoted-empty, millisecond timestamps", async () => {
      const status = await run(
        `SELECT uid, db_query, CAST(NULL AS varchar) AS nothing, '' AS empty, 42 AS answer, event_time FROM db_session_query WHERE uid = '${TRICKY_QUERY_UID}'`,
      );
      expect(status.state).toBe('SUCCEEDED');
      const csv = await readStream(await engine.csv(status.id));
      const quoted = `"${TRICKY_QUERY_TEXT.replaceAll('"', '""')}"`;
      expect(csv).toBe(`"uid","db_query","nothing","empty","answer","event_time"\n"${TRICKY_QUERY_UID}",${quoted},,"","42","2024-03-05 12:00:00.250"\n`);
      // Its size without reading it (what limits.results_quota_per_user charges).
      expect(await engine.resultBytes(status.id)).toBe(Buffer.byteLength(csv, 'utf8'));
      const page = await engine.page(status.id, 0, 10);
      expect(page.rows).toEqual([[TRICKY_QUERY_UID, TRICKY_QUERY_TEXT, null, '', 42, '2024-03-05 12:00:00.250']]);
      expect(page.columns.map((c) => c.type)).toEqual(['varchar', 'varchar', 'varchar', 'varchar', 'integer', 'timestamp']);
    });

    it('streams the same rows as CSV that it serves as pages', async () => {
      const status = await run(`SELECT uid, "user", event_type FROM audit_events ORDER BY uid`);
      const csv = await readStream(await engine.csv(status.id));
      const lines = csv.split('\n');
      expect(lines[0]).toBe('"uid","user","event_type"');
      expect(lines).toHaveLength(fixture.events.length + 2); // header + rows + the empty string after the last \n
      const rows = await allRows(status.id, 100);
      expect(lines.slice(1, -1)).toEqual(rows.map((r) => r.map((v) => `"${String(v)}"`).join(',')));
    });

    it('rejects statements it may not run before issuing an id', async () => {
      await expect(engine.start({ sql: 'DELETE FROM audit_events', window: fixture.window, token: token() })).rejects.toThrow(SqlRejected);
      await expect(engine.start({ sql: `SELECT * FROM read_text('/etc/passwd')`, window: fixture.window, token: token() })).rejects.toThrow(SqlRejected);
      await expect(engine.start({ sql: 'SELECT 1; SELECT 2', window: fixture.window, token: token() })).rejects.toThrow(SqlRejected);
      await expect(engine.start({ sql: 'SELECT (1 FROM audit_events', window: fixture.window, token: token() })).rejects.toThrow(SqlInvalid);
    });

    it('counts only the events of the window, by UTC day, in every view', async () => {
      const window = { start: '2024-03-03', end: '2024-03-05' };
      const expected = inWindow(window);
      const all = await run(`SELECT count(*) AS n, min(event_time) AS first, max(event_time) AS last FROM audit_events`, window);
      const [row] = (await engine.page(all.id, 0, 1)).rows;
      expect(row).toEqual([expected.length, '2024-03-03 00:00:00.000', '2024-03-05 23:59:59.999']);
      const logins = await run(`SELECT count(*) AS n FROM user_login WHERE success = false`, window);
      const failed = expected.filter((e) => e.event_type === 'user.login' && (JSON.parse(e.event_data) as { success: boolean }).success === false);
      expect((await engine.page(logins.id, 0, 1)).rows).toEqual([[failed.length]]);
      const none = await run(`SELECT count(*) AS n FROM audit_events`, { start: '2023-01-01', end: '2023-01-31' });
      expect((await engine.page(none.id, 0, 1)).rows).toEqual([[0]]);
      expect(none.bytesScanned).toBe(0);
    });

    it('starts one execution per idempotency token', async () => {
      const t = token();
      const sql = `SELECT count(*) AS n FROM audit_events`;
      const [a, b] = await Promise.all([engine.start({ sql, window: fixture.window, token: t }), engine.start({ sql, window: fixture.window, token: t })]);
      const c = await engine.start({ sql, window: fixture.window, token: t });
      expect(b.id).toBe(a.id);
      expect(c.id).toBe(a.id);
      const other = await engine.start({ sql, window: fixture.window, token: token() });
      expect(other.id).not.toBe(a.id);
      await waitForState(engine, a.id);
      await waitForState(engine, other.id);
    });

    it('reports a query the engine cannot run as FAILED with its message, and keeps serving', async () => {
      const failed = await run(`SELECT no_such_column FROM audit_events`);
      expect(failed.state).toBe('FAILED');
      expect(failed.error?.code).toMatch(/\S/);
      expect(failed.error?.message).toContain('no_such_column');
      await expect(engine.page(failed.id, 0, 10)).rejects.toThrow(ResultNotReady);
      await expect(engine.csv(failed.id)).rejects.toThrow(ResultNotReady);
      await expect(engine.resultBytes(failed.id)).rejects.toThrow(ResultNotReady);
      const next = await run(`SELECT 1 AS one`);
      expect(next.state).toBe('SUCCEEDED');
    });

    it('points a failed query at the line and column it names, in the SQL the user wrote', async () => {
      const failed = await run('SELECT uid,\n  no_such_column\nFROM audit_events');
      expect(failed.state).toBe('FAILED');
      expect(failed.error?.position).toMatchObject({ line: 2, column: 3 });
    });

    it('stops a long query on cancel, and runs the next query promptly', async () => {
      // Billions of row combinations: runs for minutes unless really stopped.
      const { id } = await engine.start({
        sql: `SELECT count(*) AS n FROM audit_events a CROSS JOIN audit_events b CROSS JOIN audit_events c CROSS JOIN audit_events d WHERE length(a.uid || b.uid || c.uid || d.uid) > 1000`,
        window: fixture.window,
        token: token(),
      });
      await waitForState(engine, id, ['RUNNING']);
      await sleep(300); // into the work itself, so cancel has to interrupt it rather than prevent it
      await engine.cancel(id);
      const cancelled = await waitForState(engine, id, ['CANCELLED'], 10_000);
      expect(cancelled.state).toBe('CANCELLED');
      expect(cancelled.error?.code).toBe('CANCELLED');
      await expect(engine.page(id, 0, 10)).rejects.toThrow(ResultNotReady);

      const { id: next } = await engine.start({ sql: `SELECT count(*) AS n FROM audit_events`, window: fixture.window, token: token() });
      const done = await waitForState(engine, next, ['SUCCEEDED'], 2_000);
      expect(done.state).toBe('SUCCEEDED');
      await engine.cancel(next); // finished: a no-op
      expect((await engine.status(next)).state).toBe('SUCCEEDED');
    });

    it('answers an unknown or malformed id with ExecutionNotFound', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', '../../etc/passwd', '']) {
        await expect(engine.status(id)).rejects.toThrow(ExecutionNotFound);
        await expect(engine.cancel(id)).rejects.toThrow(ExecutionNotFound);
        await expect(engine.page(id, 0, 10)).rejects.toThrow(ExecutionNotFound);
        await expect(engine.csv(id)).rejects.toThrow(ExecutionNotFound);
      }
    });

    it('describes the audit views it can query', async () => {
      const schema = await engine.schema();
      const names = schema.views.map((v) => v.name);
      expect(names).toEqual(expect.arrayContaining(['audit_events', 'session_start', 'user_login', 'db_session_start']));
    });
  });
}
