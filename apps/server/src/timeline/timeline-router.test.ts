import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionList, ProblemTypes, Timeline } from '@access-monitor/contracts';
import { serviceCaller } from '../executions/executions-service';
import { expectProblem } from '../testing/expect-problem';
import { FIXTURE_END, startTestServer, type TestServer } from '../testing/test-server';

// The generated demo log (seed 7) over the 14 days ending FIXTURE_END; the 7-day window is its second week.
let t: TestServer;
/** The busiest user of the window, and all their events oldest first, as the timeline's own SQL would order them. */
let user: string;
let all: { uid: string; event_time: string; event_type: string }[];

const timeline = async (query: Record<string, string>) => {
  const res = await t.fetchAs('auditor', `/api/v1/timeline?${new URLSearchParams({ days: '7', ...query })}`);
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body) + t.logs.filter((l) => l.includes('"level":50')).join('\n')).toBe(200);
  return Timeline.parse(body);
};

beforeAll(async () => {
  t = await startTestServer({ days: 14, events: 3000 });
  const window = { start: '2026-01-08', end: FIXTURE_END };
  const busiest = await t.executions.runSucceeded(serviceCaller('timeline'), {
    sql: `SELECT "user", count(*) AS n FROM audit_events WHERE "user" <> '' GROUP BY "user" ORDER BY n DESC, "user" LIMIT 1`,
    window,
    intent: ['busiest'],
  });
  user = String((await t.engine.page(busiest.id, 0, 1)).rows[0]![0]);
  all = (await timeline({ user, limit: '1000' })).events.map(({ uid, event_time, event_type }) => ({ uid, event_time, event_type }));
  expect(all.length).toBeGreaterThan(60);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('GET /timeline paging', () => {
  it('walks the whole timeline by cursor, forward and back, in either order', async () => {
    const seen: string[] = [];
    let page = await timeline({ user, limit: '25' });
    expect(page).toMatchObject({ position: 0, previous: null, totalEvents: all.length, order: 'oldest' });
    for (;;) {
      expect(page.position).toBe(seen.length);
      seen.push(...page.events.map((e) => e.uid));
      if (!page.next) break;
      page = await timeline({ user, limit: '25', cursor: page.next });
    }
    expect(seen).toEqual(all.map((e) => e.uid));
    const back = await timeline({ user, limit: '25', cursor: page.previous! });
    expect(back.events.map((e) => e.uid)).toEqual(all.slice(back.position, back.position + 25).map((e) => e.uid));

    const newest = await timeline({ user, limit: '25', order: 'newest' });
    expect(newest.events.map((e) => e.uid)).toEqual(all.slice(-25).reverse().map((e) => e.uid));
    const older = await timeline({ user, limit: '25', order: 'newest', cursor: newest.next! });
    expect(older.events[0]!.uid).toBe(all.at(-26)!.uid);
  });

  it('opens on the page holding the event a finding row names by time, and marks it', async () => {
    const index = Math.floor(all.length * 0.7);
    const event = all[index]!;
    const firstAtThatTime = all.findIndex((e) => e.event_time === event.event_time);
    // As finding rows carry it: the engine's text, UTC without a zone.
    const engineText = event.event_time.replace('T', ' ').replace('Z', '');
    const page = await timeline({ user, limit: '25', at: engineText });
    expect(page.position).toBe(Math.floor(firstAtThatTime / 25) * 25);
    expect(page.target).toBe(all[firstAtThatTime]!.uid);
    expect(page.events.map((e) => e.uid)).toContain(page.target);

    const newest = await timeline({ user, limit: '25', order: 'newest', at: event.event_time });
    expect(newest.target).toBe(all[firstAtThatTime]!.uid);
    expect(newest.events.map((e) => e.uid)).toContain(newest.target);
  });

  it('opens at an event by uid, and at the first event of a day', async () => {
    const event = all[all.length - 3]!;
    const page = await timeline({ user, limit: '25', at: event.uid });
    expect(page.target).toBe(event.uid);
    expect(page.events.map((e) => e.uid)).toContain(event.uid);

    const day = all.find((e) => e.event_time >= '2026-01-11')!;
    const jumped = await timeline({ user, limit: '25', at: '2026-01-11' });
    expect(jumped.target).toBe(day.uid);

    const unknown = await timeline({ user, limit: '25', at: 'no-such-event' });
    expect(unknown).toMatchObject({ position: 0, target: null });
  });

  it('shows only the chosen event types, and lists every type with its count', async () => {
    const page = await timeline({ user, limit: '1000' });
    expect(page.eventTypes.reduce((n, t) => n + t.events, 0)).toBe(all.length);
    const type = page.eventTypes[0]!.event_type;
    const filtered = await timeline({ user, limit: '1000', types: type });
    expect(filtered.types).toEqual([type]);
    expect(filtered.totalEvents).toBe(page.eventTypes[0]!.events);
    expect(new Set(filtered.events.map((e) => e.event_type))).toEqual(new Set([type]));
    expect(filtered.eventTypes).toEqual(page.eventTypes);
    expect(filtered.events.map((e) => e.uid)).toEqual(all.filter((e) => e.event_type === type).map((e) => e.uid));
  });

  it('refuses bad paging parameters with a problem naming them', async () => {
    const cursor = (await timeline({ user, limit: '5' })).next!;
    const bad: Record<string, string>[] = [
      { at: '2026-02-30' },
      { at: '2026-01-10T25:00:00Z' },
      { at: "x' OR 1=1" },
      { cursor: 'not a cursor!' },
      { cursor: Buffer.from('["a","yesterday","u"]').toString('base64url') },
      { cursor, at: '2026-01-10' },
      { types: 'session.start,not a type' },
      { order: 'sideways' },
      { limit: '0' },
      { limit: '1001' },
      { offset: '100' },
    ];
    for (const params of bad) {
      const res = await t.fetchAs('auditor', `/api/v1/timeline?${new URLSearchParams({ user, days: '7', ...params })}`);
      await expectProblem(res, 400, ProblemTypes.invalidRequest);
    }
  });

  it("puts each person's drill-down in their own query history, even when another opened the same timeline moments before", async () => {
    const timelineRuns = async (who: 'auditor' | 'editor') => {
      const res = await t.fetchAs(who, '/api/v1/executions?mine=true&limit=100');
      expect(res.status).toBe(200);
      const list = ExecutionList.parse(await res.json());
      return list.executions.filter((e) => e.origin === 'timeline' && e.sql.includes(JSON.stringify(user).slice(1, -1)));
    };
    await timeline({ user, limit: '5' }); // the auditor's, within the reuse time
    const before = (await timelineRuns('editor')).length;
    const res = await t.fetchAs('editor', `/api/v1/timeline?${new URLSearchParams({ user, days: '7', limit: '5' })}`);
    expect(res.status).toBe(200);
    expect((await timelineRuns('editor')).length).toBeGreaterThan(before);
    expect((await timelineRuns('auditor')).length).toBeGreaterThan(0);
  });

  it('still needs use on both security_report and audit_query', async () => {
    for (const who of ['runner', 'reporter', 'visitor'] as const) {
      const res = await t.fetchAs(who, `/api/v1/timeline?${new URLSearchParams({ user, days: '7', at: all[0]!.uid })}`);
      await expectProblem(res, 403, ProblemTypes.forbidden);
    }
  });
});
