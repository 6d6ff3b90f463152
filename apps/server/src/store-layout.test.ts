import { describe, expect, it } from 'vitest';
import { assertValidKey } from '@access-monitor/storage';
import { actionKeys, executionKeys, resultUsageKeys, invertedTime, READINESS_PREFIX, reportKeys, SAVED_QUERIES_PREFIX, sessionKeys, STORE_LAYOUT, triageKeys } from './store-layout';

describe('the store layout', () => {
  it('builds valid keys, each under a folder the layout documents', () => {
    const folders = STORE_LAYOUT.flatMap((l) => l.folder.split(', ').map((f) => f.split('/')[0]!));
    const keys = [
      reportKeys.state('privilege_access_report', 7),
      reportKeys.manifest('r20260114120000-0123456789ab'),
      reportKeys.resultCsv('r20260114120000-0123456789ab', 'kube_execs'),
      reportKeys.resultMetadata('r20260114120000-0123456789ab', 'kube_execs'),
      reportKeys.runIndex('access_risk', 30, Date.parse('2026-01-14T12:00:00Z'), 'r20260114120000-0123456789ab'),
      reportKeys.scheduleSlot('access_risk', 30, '2026-01-14T00'),
      reportKeys.customReport('mine', 3),
      executionKeys.record('service:report-run', Date.parse('2026-01-14T12:00:00Z'), 'e1'),
      executionKeys.owner('e1'),
      executionKeys.slot('alice@example.com', 2),
      executionKeys.timeline(Date.parse('2026-01-14T12:00:00Z'), 'e1'),
      executionKeys.timelineBackfilled,
      resultUsageKeys.entry('alice', Date.parse('2026-01-14T12:00:00Z'), 'e-1', 1234),
      `${SAVED_QUERIES_PREFIX}/q/rev-00000001.json`,
      actionKeys.firing('rule', actionKeys.scheduledSuffix(new Date('2026-01-14T12:00:00Z'))),
      actionKeys.sent('rule', actionKeys.manualSuffix(new Date('2026-01-14T12:00:00Z'), 'test', '0badf00d')),
      `${actionKeys.rulesPrefix}/rule/rev-00000001.json`,
      triageKeys.revision('access_risk', 'role_changes', '["alice"]', 2),
      `${READINESS_PREFIX}probe`,
      sessionKeys.revoked('AAAAAAAAAAAAAAAAAAAA-_'),
    ];
    for (const key of keys) {
      expect(() => assertValidKey(key)).not.toThrow();
      expect(folders, key).toContain(key.split('/')[0]);
    }
  });

  it('lists newer times first under one prefix', () => {
    const older = invertedTime(Date.parse('2026-01-01T00:00:00Z'));
    const newer = invertedTime(Date.parse('2026-06-01T00:00:00Z'));
    expect([older, newer].sort()).toEqual([newer, older]);
    expect(executionKeys.record('a/b', 0, 'x')).toBe(`executions/a%2Fb/${invertedTime(0)}-x.json`);
  });
});
