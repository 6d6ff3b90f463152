import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DateWindow, ResultsPage } from '@access-monitor/contracts';
import { generateDemoData } from '@access-monitor/audit-log';
import { createDuckDbEngine, writeFixtureParquet, type EnginePathChoice, type ExecutionStatus, type FixtureEvent, type QueryEngine } from '@access-monitor/engine';
import { BUILT_IN_REPORTS, USAGE_QUERIES } from '@access-monitor/reports';
import { VIEWS } from '@access-monitor/sql';

/**
 * The typed event store must be invisible: every view's rows and every built-in query's answer are the same
 * read from typed files as read by JSON extraction, over demo data spanning two months and events written
 * to catch conversions (NULL vs empty string, arrays, nested rows, maps, JSON objects, fractional seconds,
 * unknown and missing fields, malformed values).
 */
const END = '2026-02-10';
const WINDOW: DateWindow = { start: '2025-12-20', end: END };

const edge = (uid: string, eventType: string, time: string, data: Record<string, unknown>, user = 'edge'): FixtureEvent => ({
  uid,
  session_id: String(data['sid'] ?? ''),
  event_type: eventType,
  event_time: time,
  event_data: JSON.stringify({ uid, event: eventType, time, ...data }),
  user,
});

const EDGE_EVENTS: FixtureEvent[] = [
  // Empty string, missing field and explicit null must stay distinct.
  edge('e-empty', 'session.start', '2026-01-15T10:00:00.123Z', { user: '', login: '', server_hostname: 'h1', proto: 'ssh', sid: 's-1' }, ''),
  edge('e-missing', 'session.start', '2026-01-15T10:00:01.000Z', { sid: 's-2' }),
  edge('e-null', 'session.start', '2026-01-15T10:00:02.000Z', { user: null, login: null, sid: null }),
  // Unknown extra fields (a newer Teleport) and nested objects that are not in the view.
  edge('e-extra', 'session.start', '2026-01-15T10:00:03.999Z', { user: 'alice', future_field: { deep: [1, 2, { x: 'y' }] }, another: 42, sid: 's-3' }, 'alice'),
  // Arrays, maps, JSON objects, nested rows; timestamps with Teleport's nanosecond digits kept as text.
  edge('e-request', 'access_request.create', '2026-01-31T23:59:59.999Z', {
    user: 'bob',
    id: 'req-1',
    roles: ['admin', '', 'db-*'],
    resource_ids: [{ cluster: 'c', kind: 'node', name: 'n1' }, { cluster: 'c', kind: 'db', name: 'd', sub_resource: 'x' }],
    annotations: { ticket: ['T-1'], nested: { a: 1 } },
    max_duration: '2026-02-01T07:59:59.123456789Z',
    expires: '2026-02-01T07:59:59.000000001Z',
    resource_names: [],
  }, 'bob'),
  edge('e-request-empty', 'access_request.create', '2026-02-01T00:00:00.000Z', { user: 'bob', id: 'req-2', roles: [], resource_ids: null, annotations: {} }, 'bob'),
  // Malformed values: a number where text is expected, text where a number or boolean is, labels with odd keys.
  edge('e-odd', 'db.session.start', '2026-01-20T12:00:00.500Z', {
    user: 'carol',
    db_protocol: 12,
    db_name: { not: 'text' },
    success: 'yes',
    db_labels: { 'env.prod': 'true', '': 'empty-key', unicode: 'ünï €' },
  }, 'carol'),
  edge('e-port', 'session.start', '2026-01-20T12:00:00.000Z', { user: 'dave', 'addr.remote': '10.0.0.1:22', server_labels: {}, initial_command: ['bash', '-c', 'x'], sid: 's-4' }, 'dave'),
];

/** An event whose event_data is written as is: duplicate keys, escapes and non-objects cannot come from JSON.stringify. */
const raw = (uid: string, eventType: string, time: string, eventData: string): FixtureEvent => ({ uid, session_id: '', event_type: eventType, event_time: time, event_data: eventData, user: 'raw' });

// The build converts each event with one json_transform: values where its conversions could differ from the
// JSON path's json_extract and casts (JSON null vs missing, numbers and booleans spelled as text, escaped keys,
// duplicate keys, labels that are not objects, documents that are not objects).
const TRANSFORM_EVENTS: FixtureEvent[] = [
  edge('t-null-json', 'session.end', '2026-01-16T10:00:00.000Z', { user: 'erin', user_traits: null, server_labels: null, kubernetes_labels: { key: 'k', value: { nested: [1, null] }, n: 2 }, participants: null }, 'erin'),
  edge('t-traits', 'session.end', '2026-01-16T10:00:01.000Z', { user: 'erin', user_traits: { logins: ['root'], empty: {}, none: null }, server_labels: ['a', 'b'], kubernetes_labels: 'text', participants: [null, 'a', 1, { b: 2 }, ['c']] }, 'erin'),
  edge('t-numbers', 'session.end', '2026-01-16T10:00:02.000Z', { user: 1.5, login: 1e21, sid: -0, interactive: 'true', enhanced_recording: 1, session_start: '1e3', session_stop: null }, 'erin'),
  edge('t-text-numbers', 'session.data', '2026-01-16T10:00:03.000Z', { user: 'erin', tx: '1e3', rx: ' 12 ' }, 'erin'),
  raw('t-big-numbers', 'session.data', '2026-01-16T10:00:04.000Z', '{"uid":"t-big-numbers","user":"erin","tx":12345678901234567890,"rx":1.50,"ppid":1e3}'),
  edge('t-string-null', 'session.end', '2026-01-16T10:00:05.000Z', { user: 'null', login: '', user_traits: 'null', interactive: 'null' }, 'erin'),
  raw('t-reals', 'session.end', '2026-01-16T10:00:14.000Z', '{"uid":"t-reals","user":1e16,"login":2e-5,"server_hostname":1.7976931348623157e308,"sid":"1e+21","session_recording":-1.5E-7,"reason":1E400}'),
  raw('t-escaped', 'session.end', '2026-01-16T10:00:06.000Z', '{"uid":"t-escaped","\u0075ser":"esc\u00e9","user_tr\u0061its":null,"server_labels":{"\u006bey":"\ud83d\ude00"},"interactive":"\u0074rue"}'),
  raw('t-duplicates', 'session.end', '2026-01-16T10:00:07.000Z', '{"uid":"t-duplicates","user":"first","user":"second","user_traits":null,"user_traits":{"a":1},"server_labels":{"a":"1","a":"2","key":"k1","key":"k2"},"interactive":true,"interactive":false}'),
  raw('t-array', 'session.end', '2026-01-16T10:00:08.000Z', '[{"uid":"t-array","user":"x"}]'),
  raw('t-string', 'session.end', '2026-01-16T10:00:09.000Z', '"t-string"'),
  raw('t-json-null', 'session.end', '2026-01-16T10:00:10.000Z', 'null'),
  raw('t-empty-object', 'session.end', '2026-01-16T10:00:11.000Z', '{}'),
  edge('t-rows', 'access_request.create', '2026-01-16T10:00:12.000Z', { user: 'erin', id: 'req-t', roles: [1, true, null], resource_ids: [{ cluster: 1, kind: 'node', name: null, extra: 'x' }, 'text', null, {}], annotations: null }, 'erin'),
  edge('t-rows-odd', 'access_request.create', '2026-01-16T10:00:13.000Z', { user: 'erin', id: 'req-u', roles: 'admin', resource_ids: { cluster: 'c' }, annotations: 'text' }, 'erin'),
];

let root: string;
let engine: QueryEngine;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'am-typed-diff-'));
  const dataDir = path.join(root, 'events');
  await generateDemoData({ out: dataDir, days: 53, events: 4_000, seed: 7, end: END });
  await writeFixtureParquet([...EDGE_EVENTS, ...TRANSFORM_EVENTS], dataDir);
  engine = await createDuckDbEngine({ dataDir, resultsDir: path.join(root, 'results'), typedDir: path.join(root, 'typed'), threads: 2 });
  const built = await engine.typedStore!.sync();
  expect(built.daysBuilt).toBeGreaterThan(40);
}, 240_000);

afterAll(async () => {
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

async function rowsOf(sql: string, enginePath: EnginePathChoice): Promise<{ status: ExecutionStatus; rows: ResultsPage['rows'] }> {
  const { id } = await engine.start({ sql, window: WINDOW, token: `${enginePath}:${sql}`, enginePath });
  for (;;) {
    const status = await engine.status(id);
    if (status.state === 'SUCCEEDED') return { status, rows: (await engine.page(id, 0, 100_000)).rows };
    if (status.state === 'FAILED' || status.state === 'CANCELLED') throw new Error(`${enginePath}: ${status.error?.message ?? status.state}\n${sql}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Rows in a stable order: a query's ORDER BY may leave ties, whose order SQL does not fix on either path. */
const sorted = (rows: ResultsPage['rows']): string[] => rows.map((r) => JSON.stringify(r)).sort();

async function expectSameRows(sql: string): Promise<number> {
  const json = await rowsOf(sql, 'json');
  const typed = await rowsOf(sql, 'typed');
  expect(json.status.enginePath).toEqual({ typedDays: 0, jsonDays: expect.any(Number) });
  expect(typed.status.enginePath?.jsonDays).toBe(0);
  expect(typed.status.enginePath?.typedDays).toBe(json.status.enginePath?.jsonDays);
  expect(sorted(typed.rows)).toEqual(sorted(json.rows));
  return json.rows.length;
}

describe('typed event store answers exactly like JSON extraction', () => {
  it('for every view, all columns, ordered', { timeout: 240_000 }, async () => {
    let nonEmpty = 0;
    for (const view of VIEWS) {
      if ((await expectSameRows(`SELECT * FROM ${view.name} ORDER BY ALL`)) > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(15);
  });

  it('for the edge events: NULL vs empty string, arrays, nested rows, maps, JSON text, fractional seconds, malformed values', { timeout: 60_000 }, async () => {
    const sessions = await rowsOf(`SELECT uid, "user", login, sid, server_hostname, addr_remote, initial_command, server_labels FROM session_start WHERE uid LIKE 'e-%' ORDER BY uid`, 'typed');
    expect(sessions.rows).toEqual((await rowsOf(`SELECT uid, "user", login, sid, server_hostname, addr_remote, initial_command, server_labels FROM session_start WHERE uid LIKE 'e-%' ORDER BY uid`, 'json')).rows);
    const byUid = new Map(sessions.rows.map((r) => [r[0], r]));
    expect(byUid.get('e-empty')?.[1]).toBe(''); // empty string stays empty
    expect(byUid.get('e-missing')?.[1]).toBeNull(); // missing stays NULL
    expect(byUid.get('e-null')?.[1]).toBeNull();
    expect(byUid.get('e-port')?.[5]).toBe('10.0.0.1:22');
    await expectSameRows(`SELECT uid, roles, resource_ids, annotations, max_duration, expires, resource_names, event_time FROM access_request_create ORDER BY uid`);
    await expectSameRows(`SELECT uid, db_protocol, db_name, success, db_labels, event_time FROM db_session_start WHERE uid = 'e-odd'`);
  });

  it('for events where one json_transform could differ from json_extract: JSON null, numbers as text, escapes, duplicate keys, non-objects', { timeout: 60_000 }, async () => {
    const ends = await expectSameRows(`SELECT * FROM session_end WHERE uid LIKE 't-%' OR uid IS NULL ORDER BY ALL`);
    expect(ends).toBeGreaterThanOrEqual(TRANSFORM_EVENTS.filter((e) => e.event_type === 'session.end').length);
    const traits = await rowsOf(`SELECT uid, user_traits, "user", interactive FROM session_end WHERE uid IN ('t-null-json', 't-traits', 't-string-null', 't-duplicates') ORDER BY uid`, 'typed');
    expect(traits.rows).toEqual([
      ['t-duplicates', 'null', 'first', true], // the first of duplicate keys, as json_extract reads them
      ['t-null-json', 'null', 'erin', null], // JSON null is the text 'null', not NULL
      ['t-string-null', '"null"', 'null', null],
      ['t-traits', '{"logins":["root"],"empty":{},"none":null}', 'erin', null],
    ]);
    await expectSameRows(`SELECT * FROM session_data WHERE uid LIKE 't-%' ORDER BY ALL`);
    await expectSameRows(`SELECT * FROM access_request_create WHERE uid LIKE 't-%' ORDER BY ALL`);
  });

  it('for every built-in finding (chart and detail) and every usage query', { timeout: 240_000 }, async () => {
    let checked = 0;
    for (const report of BUILT_IN_REPORTS) {
      for (const query of report.queries) {
        await expectSameRows(query.chartSql);
        if (query.detailSql) await expectSameRows(query.detailSql);
        checked++;
      }
    }
    for (const usage of USAGE_QUERIES) await expectSameRows(usage.sql);
    expect(checked).toBeGreaterThan(10);
  });
});
