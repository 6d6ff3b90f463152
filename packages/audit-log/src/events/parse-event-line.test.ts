import { describe, expect, it } from 'vitest';
import { isAuditEventOfType } from './audit-events';
import { parseEventLine } from './parse-event-line';
import { formatRfc3339Nano, parseRfc3339Millis } from './rfc3339';

function parsed(line: string) {
  const result = parseEventLine(line);
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  return result;
}

function rejection(line: string): string {
  const result = parseEventLine(line);
  if (result.ok) throw new Error('expected a rejection');
  return result.reason;
}

describe('parseEventLine', () => {
  it('returns the event and its time for a Teleport session.start line', () => {
    const line =
      '{"ei":0,"event":"session.start","uid":"3259b2ea-55e2-427f-8e81-80699018e83a","code":"T2000I","time":"2024-05-09T21:00:50.249Z","cluster_name":"teleport.example.com","user":"teleport-admin","login":"ec2-user","user_kind":1,"sid":"a2836fe1-51b5-4ab6-994e-f2f32eb97dc5","server_id":"b321c207-fd08-46c8-b248-0c20436feb62","addr.remote":"136.32.177.60:52963","proto":"ssh","size":"80:25","initial_command":[""]}';
    const { event, time } = parsed(line);
    expect(time.toISOString()).toBe('2024-05-09T21:00:50.249Z');
    expect(event.event).toBe('session.start');
    expect(event['addr.remote']).toBe('136.32.177.60:52963');
    expect(isAuditEventOfType(event, 'session.start') && event.login).toBe('ec2-user');
  });

  it('accepts 0 to 9 fractional digits and truncates to milliseconds', () => {
    expect(parsed('{"event":"x","time":"2020-06-05T16:24:05Z"}').time.toISOString()).toBe('2020-06-05T16:24:05.000Z');
    expect(parsed('{"event":"x","time":"2024-05-09T20:58:57.77Z"}').time.toISOString()).toBe('2024-05-09T20:58:57.770Z');
    expect(parsed('{"event":"x","time":"2022-10-21T22:36:27.314409Z"}').time.toISOString()).toBe('2022-10-21T22:36:27.314Z');
    expect(parsed('{"event":"x","time":"2021-05-21T22:23:55.313562027Z"}').time.toISOString()).toBe('2021-05-21T22:23:55.313Z');
  });

  it('converts numeric offsets to UTC', () => {
    expect(parsed('{"event":"x","time":"2024-01-01T23:30:00.5+02:00"}').time.toISOString()).toBe('2024-01-01T21:30:00.500Z');
    expect(parsed('{"event":"x","time":"2024-01-01T23:30:00-02:30"}').time.toISOString()).toBe('2024-01-02T02:00:00.000Z');
  });

  it('keeps quirky events verbatim: non-UUID uid, no uid, no proto, unknown fields', () => {
    const { event } = parsed('{"event":"session.start","uid":"abc123","time":"2024-01-15T10:00:00Z","sid":"sess-001","x_vendor":{"a":[1,2]}}');
    expect(event.uid).toBe('abc123');
    expect(event.proto).toBeUndefined();
    expect(event.x_vendor).toEqual({ a: [1, 2] });
    expect(parsed('{"cert_type":"user","code":"TC000I","event":"cert.create","identity":{"user":"alice"},"time":"2019-04-22T19:39:26.676Z"}').event.uid).toBeUndefined();
  });

  it('accepts the fixture quirk of an mfa.delete event carrying the mfa.add code', () => {
    expect(parsed('{"code":"T1006I","event":"mfa.delete","time":"2021-07-05T09:07:41.911Z","user":"joe"}').event.code).toBe('T1006I');
  });

  it('rejects lines that are not JSON objects', () => {
    expect(rejection('not json')).toMatch(/^not JSON/);
    expect(rejection('{"event":"x","time":')).toMatch(/^not JSON/);
    expect(rejection('[1,2]')).toBe('not a JSON object (array)');
    expect(rejection('null')).toBe('not a JSON object (null)');
    expect(rejection('42')).toBe('not a JSON object (number)');
  });

  it('rejects events without an event type', () => {
    expect(rejection('{"time":"2024-01-01T00:00:00Z"}')).toBe('no "event" string');
    expect(rejection('{"event":"","time":"2024-01-01T00:00:00Z"}')).toBe('no "event" string');
    expect(rejection('{"event":7,"time":"2024-01-01T00:00:00Z"}')).toBe('no "event" string');
  });

  it('rejects events without a parseable RFC 3339 time', () => {
    expect(rejection('{"event":"x"}')).toBe('no "time"');
    expect(rejection('{"event":"x","time":1700000000}')).toBe('"time" is not a string');
    for (const time of ['2024-01-01', '2024-01-01T00:00:00', '2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T00:00:00.1234567890Z', 'yesterday']) {
      expect(rejection(JSON.stringify({ event: 'x', time }))).toMatch(/^"time" is not an RFC 3339 timestamp/);
    }
  });
});

describe('RFC 3339 helpers', () => {
  it('formats like Go RFC3339Nano, trimming trailing zeros', () => {
    const ms = Date.parse('2024-05-09T21:06:21.020Z');
    expect(formatRfc3339Nano(ms)).toBe('2024-05-09T21:06:21.02Z');
    expect(formatRfc3339Nano(Date.parse('2024-05-09T21:06:21Z'))).toBe('2024-05-09T21:06:21Z');
    expect(formatRfc3339Nano(ms, 64_124)).toBe('2024-05-09T21:06:21.020064124Z');
  });

  it('parses the zero time Teleport writes for unset expiries', () => {
    expect(new Date(parseRfc3339Millis('0001-01-01T00:00:00Z')!).toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });
});
