import { describe, expect, it } from 'vitest';
import { parseTimelineParams, prettyEventJson } from './timeline-params';

const parse = (search: string) => parseTimelineParams(new URLSearchParams(search));

describe('parseTimelineParams', () => {
  it('reads a user timeline with its window', () => {
    expect(parse('user=alice&days=30&end=2025-03-31&page=2')).toEqual({ subject: { user: 'alice' }, days: 30, end: '2025-03-31', page: 2 });
  });

  it('reads a session timeline, ending today when no end is given', () => {
    expect(parse('session=abc-123&days=7')).toEqual({ subject: { session: 'abc-123' }, days: 7, end: undefined, page: 1 });
  });

  it('names no subject when the URL gives neither or both', () => {
    expect(parse('days=7').subject).toBeUndefined();
    expect(parse('user=a&session=b').subject).toBeUndefined();
    expect(parse('user=&days=7').subject).toBeUndefined();
  });

  it('falls back for windows, dates and pages it cannot use', () => {
    expect(parse('user=a&days=5&end=2025-02-30&page=0')).toEqual({ subject: { user: 'a' }, days: 7, end: undefined, page: 1 });
    expect(parse('user=a&end=31-03-2025&page=x').end).toBeUndefined();
  });
});

describe('prettyEventJson', () => {
  it('indents the event and leaves text that is not JSON as it is', () => {
    expect(prettyEventJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyEventJson('not json')).toBe('not json');
  });
});
