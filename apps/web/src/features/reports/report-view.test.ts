import { describe, expect, it } from 'vitest';
import type { ReportSummary } from '@access-monitor/contracts';
import { drillDownPath, orderFindings, parseOpenRows, parsePage, rowEventTime, runToShow, severitySummary, splitInlineCode, windowState } from './report-view';

describe('severitySummary', () => {
  it('counts findings with rows and their rows per severity, most urgent first', () => {
    const summary = severitySummary([
      { severity: 'high', state: 'SUCCEEDED', rowCount: 12 },
      { severity: 'high', state: 'SUCCEEDED', rowCount: 0 },
      { severity: 'high', state: 'SUCCEEDED', rowCount: 3 },
      { severity: 'low', state: 'SUCCEEDED', rowCount: 1 },
    ]);
    expect(summary).toEqual([
      { severity: 'critical', findings: 0, rows: 0, failed: 0 },
      { severity: 'high', findings: 2, rows: 15, failed: 0 },
      { severity: 'medium', findings: 0, rows: 0, failed: 0 },
      { severity: 'low', findings: 1, rows: 1, failed: 0 },
    ]);
  });

  it('counts only open rows: triaged rows, and findings triaged whole, drop out', () => {
    const [, high] = severitySummary([
      { severity: 'high', state: 'SUCCEEDED', rowCount: 12, openRowCount: 9 },
      { severity: 'high', state: 'SUCCEEDED', rowCount: 4, openRowCount: 0 },
    ]);
    expect(high).toEqual({ severity: 'high', findings: 1, rows: 9, failed: 0 });
  });

  it('counts a failed query as failed, never as a finding with zero rows', () => {
    const [, high] = severitySummary([
      { severity: 'high', state: 'FAILED' },
      { severity: 'high', state: 'SUCCEEDED', rowCount: 2 },
    ]);
    expect(high).toEqual({ severity: 'high', findings: 1, rows: 2, failed: 1 });
  });
});

describe('orderFindings', () => {
  it('puts the most urgent first, failures ahead of their severity, then the most rows', () => {
    const ordered = orderFindings([
      { id: 'low', severity: 'low', state: 'SUCCEEDED', rowCount: 100 },
      { id: 'high-few', severity: 'high', state: 'SUCCEEDED', rowCount: 1 },
      { id: 'high-many', severity: 'high', state: 'SUCCEEDED', rowCount: 50 },
      { id: 'high-failed', severity: 'high', state: 'FAILED' },
      { id: 'critical', severity: 'critical', state: 'SUCCEEDED', rowCount: 0 },
    ] as const);
    expect(ordered.map((q) => q.id)).toEqual(['critical', 'high-failed', 'high-many', 'high-few', 'low']);
  });
});

describe('runToShow', () => {
  it('shows the run that just finished when READY', () => {
    expect(runToShow({ report: 'r', days: 7, state: 'READY', runId: 'new', lastReadyRunId: 'new' })).toBe('new');
  });

  it('keeps showing the last READY run while a refresh runs or after it failed', () => {
    expect(runToShow({ report: 'r', days: 7, state: 'RUNNING', runId: 'next', lastReadyRunId: 'old' })).toBe('old');
    expect(runToShow({ report: 'r', days: 7, state: 'FAILED', runId: 'broken', lastReadyRunId: 'old' })).toBe('old');
  });

  it('shows nothing for a window that never finished a run', () => {
    expect(runToShow({ report: 'r', days: 7, state: 'NEVER_RUN' })).toBeUndefined();
    expect(runToShow({ report: 'r', days: 7, state: 'RUNNING', runId: 'first' })).toBeUndefined();
  });
});

describe('windowState', () => {
  const report: ReportSummary = {
    name: 'r',
    title: 'R',
    description: '',
    readOnly: true,
    queries: [],
    states: [{ report: 'r', days: 30, state: 'READY', runId: 'x' }],
  };

  it('finds the window and treats a missing one as never run', () => {
    expect(windowState(report, 30).state).toBe('READY');
    expect(windowState(report, 90)).toEqual({ report: 'r', days: 90, state: 'NEVER_RUN' });
  });
});

describe('drillDownPath', () => {
  const window = { days: 30, end: '2025-03-31' };

  it('leads a user to their timeline over the same window', () => {
    expect(drillDownPath('user', 'alice', window)).toBe('/timeline?user=alice&days=30&end=2025-03-31');
  });

  it("opens the timeline on the row's event when the row has an event time", () => {
    const at = rowEventTime([{ name: 'event_time' }, { name: 'user' }], ['2025-03-30 23:38:00.123', 'alice']);
    expect(at).toBe('2025-03-30T23:38:00.123Z');
    expect(drillDownPath('user', 'alice', window, at)).toBe('/timeline?user=alice&days=30&end=2025-03-31&at=2025-03-30T23%3A38%3A00.123Z');
    expect(rowEventTime([{ name: 'user' }], ['alice'])).toBeUndefined();
    expect(rowEventTime([{ name: 'event_time' }], [null])).toBeUndefined();
  });

  it('leads a session id, sid or session_id, to that session', () => {
    expect(drillDownPath('sid', 'abc-123', window)).toBe('/timeline?session=abc-123&days=30&end=2025-03-31');
    expect(drillDownPath('session_id', 's 1', window)).toBe('/timeline?session=s+1&days=30&end=2025-03-31');
  });

  it('offers no link for NULL, empty values or other columns', () => {
    expect(drillDownPath('user', null, window)).toBeUndefined();
    expect(drillDownPath('sid', '', window)).toBeUndefined();
    expect(drillDownPath('login', 'root', window)).toBeUndefined();
  });
});

describe('URL parameters', () => {
  it('reads the page as a positive whole number, else the first', () => {
    expect(parsePage('3')).toBe(3);
    for (const bad of [null, '', '0', '-2', '1.5', 'abc', '99999999999999999999']) expect(parsePage(bad)).toBe(1);
  });

  it('reads which finding has its rows open, and ignores a page without one', () => {
    expect(parseOpenRows(new URLSearchParams('rows=kube_execs&page=2'))).toEqual({ queryId: 'kube_execs', page: 2 });
    expect(parseOpenRows(new URLSearchParams('page=2'))).toEqual({ queryId: undefined, page: 1 });
  });
});

describe('splitInlineCode', () => {
  it('marks backticked settings and commands as code', () => {
    expect(splitInlineCode('set `require_session_mfa: true` in the role, or run `tctl lock`.')).toEqual([
      { code: false, text: 'set ' },
      { code: true, text: 'require_session_mfa: true' },
      { code: false, text: ' in the role, or run ' },
      { code: true, text: 'tctl lock' },
      { code: false, text: '.' },
    ]);
  });

  it('keeps an unmatched backtick as text', () => {
    expect(splitInlineCode('a `b')).toEqual([
      { code: false, text: 'a ' },
      { code: false, text: '`b' },
    ]);
  });
});
