import type { DateWindow } from '@access-monitor/contracts';

/** One row of Teleport's Athena audit table, as the contract suite's engines must store it. */
export interface FixtureEvent {
  uid: string;
  session_id: string;
  event_type: string;
  /** UTC, millisecond precision: `2024-03-01T10:00:00.123Z`. */
  event_time: string;
  /** The whole event as Teleport's JSON. */
  event_data: string;
  user: string;
}

/** The audit events every engine loads before running the QueryEngine contract suite. */
export interface QueryEngineFixture {
  events: FixtureEvent[];
  /** Covers every event. */
  window: DateWindow;
}

export const FIXTURE_WINDOW: DateWindow = { start: '2024-03-01', end: '2024-03-10' };

/** A database query whose text needs every kind of CSV quoting. */
export const TRICKY_QUERY_UID = 'db-query-tricky';
export const TRICKY_QUERY_TEXT = 'SELECT "name", \'x,y\'\nFROM users -- ünïcödé €';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const DAY_MS = 86_400_000;

/**
 * Ten days of Teleport events (300 events, 30 a day): logins (some failed), SSH sessions (some as
 * root, some with per-session MFA), database sessions and queries, plus events exactly at UTC
 * midnight and one millisecond before, so window and time-zone mistakes change the counts.
 * Built by arithmetic, not randomness: the same every run.
 */
export function queryEngineFixture(): QueryEngineFixture {
  const events: FixtureEvent[] = [];
  const first = Date.parse(`${FIXTURE_WINDOW.start}T00:00:00Z`);
  for (let day = 0; day < 10; day++) {
    for (let k = 0; k < 30; k++) {
      const n = day * 30 + k;
      const user = USERS[(day + k) % USERS.length]!;
      // k = 0 at 00:00:00.000 and k = 29 at 23:59:59.999: the edges of the UTC day.
      const offsetMs = k === 0 ? 0 : k === 29 ? DAY_MS - 1 : k * 2_851_000 + ((n * 37) % 1000);
      const time = new Date(first + day * DAY_MS + offsetMs).toISOString();
      events.push(eventFor(n, k, user, time));
    }
  }
  events.push(
    row({ uid: TRICKY_QUERY_UID, sid: 'sess-tricky', type: 'db.session.query', time: '2024-03-05T12:00:00.250Z', user: 'alice' }, {
      code: 'TDB02I',
      db_service: 'postgres-main',
      db_protocol: 'postgres',
      db_name: 'app',
      db_user: 'postgres',
      db_query: TRICKY_QUERY_TEXT,
      success: true,
    }),
  );
  return { events, window: FIXTURE_WINDOW };
}

function eventFor(n: number, k: number, user: string, time: string): FixtureEvent {
  const uid = `ev-${String(n).padStart(4, '0')}`;
  const sid = `sess-${Math.floor(n / 3)}`;
  switch (k % 5) {
    case 0:
    case 1:
      return row({ uid, sid: '', type: 'user.login', time, user }, { code: n % 4 === 0 ? 'T1000W' : 'T1000I', method: n % 2 === 0 ? 'local' : 'saml', success: n % 4 !== 0, ...(n % 4 === 0 ? { error: 'invalid credentials' } : {}) });
    case 2:
      return row({ uid, sid, type: 'session.start', time, user }, { code: 'T2000I', login: n % 3 === 0 ? 'root' : 'ubuntu', proto: 'ssh', server_hostname: `node-${n % 4}`, ...(n % 2 === 0 ? { with_mfa: `mfa-${n}` } : {}) });
    case 3:
      return row({ uid, sid, type: 'db.session.start', time, user }, { code: 'TDB00I', db_protocol: n % 2 === 0 ? 'postgres' : 'mysql', db_user: n % 3 === 0 ? 'postgres' : 'app', db_service: 'main', success: true });
    default:
      return row({ uid, sid, type: 'session.end', time, user }, { code: 'T2004I', proto: 'ssh', interactive: true, participants: [user] });
  }
}

function row(head: { uid: string; sid: string; type: string; time: string; user: string }, fields: Record<string, unknown>): FixtureEvent {
  const data = { ei: 0, event: head.type, uid: head.uid, time: head.time, cluster_name: 'fixture', user: head.user, ...(head.sid ? { sid: head.sid } : {}), ...fields };
  return { uid: head.uid, session_id: head.sid, event_type: head.type, event_time: head.time, event_data: JSON.stringify(data), user: head.user };
}

/** The UTC date (`YYYY-MM-DD`) of an event: its partition folder. */
export const eventDate = (e: FixtureEvent): string => e.event_time.slice(0, 10);
