import { describe, expect, it } from 'vitest';
import { parseTimelineParams, prettyEventJson } from './timeline-params';

const parse = (search: string) => parseTimelineParams(new URLSearchParams(search));

describe('parseTimelineParams', () => {
  const plain = { at: undefined, cursor: undefined, types: [], order: 'oldest' };

  it('reads a user timeline with its window', () => {
    expect(parse('user=alice&days=30&end=2025-03-31')).toEqual({ subject: { user: 'alice' }, days: 30, end: '2025-03-31', ...plain });
  });

  it('reads a session timeline, ending today when no end is given', () => {
    expect(parse('session=abc-123&days=7')).toEqual({ subject: { session: 'abc-123' }, days: 7, end: undefined, ...plain });
  });

  it('names no subject when the URL gives neither or both', () => {
    expect(parse('days=7').subject).toBeUndefined();
    expect(parse('user=a&session=b').subject).toBeUndefined();
    expect(parse('user=&days=7').subject).toBeUndefined();
  });

  it('falls back for windows and dates it cannot use', () => {
    expect(parse('user=a&days=5&end=2025-02-30')).toEqual({ subject: { user: 'a' }, days: 7, end: undefined, ...plain });
    expect(parse('user=a&end=31-03-2025').end).toBeUndefined();
  });

  it('reads where to open, the event types and the order', () => {
    expect(parse('user=a&days=7&at=2025-03-30T10:00:00.000Z&types=session.start,user.login,session.start&order=newest')).toMatchObject({
      at: '2025-03-30T10:00:00.000Z',
      types: ['session.start', 'user.login'],
      order: 'newest',
    });
    expect(parse('user=a&at=2025-03-30').at).toBe('2025-03-30');
    expect(parse('user=a&at=5e2b8f2c-9f1a-4c1e-8a53-0d6f1b2c3d4e').at).toBe('5e2b8f2c-9f1a-4c1e-8a53-0d6f1b2c3d4e');
    expect(parse('user=a&cursor=WyJhIiwiMjAy').cursor).toBe('WyJhIiwiMjAy');
  });

  it('lets a link to an event win over a cursor, and drops values the server would refuse', () => {
    expect(parse('user=a&at=2025-03-30&cursor=abc')).toMatchObject({ at: '2025-03-30', cursor: undefined });
    expect(parse('user=a&at=2025-02-30&cursor=a+b&types=not a type,db.session.start&order=sideways')).toMatchObject({
      at: undefined,
      cursor: undefined,
      types: ['db.session.start'],
      order: 'oldest',
    });
  });
});

describe('prettyEventJson', () => {
  it('indents the event and leaves text that is not JSON as it is', () => {
    expect(prettyEventJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyEventJson('not json')).toBe('not json');
  });
});
