import type { PeriodDiff } from '@access-monitor/contracts';

export interface DiffKindLabel {
  key: 'new' | 'persisting' | 'resolved';
  countKey: 'newCount' | 'persistingCount' | 'resolvedCount';
  label: string;
  hint: string;
}

/**
 * The three groups of a period diff, worded for the finding's kind: a condition (sessions without MFA)
 * gone since the previous period is resolved; an event (a lock removal) absent now was only not seen.
 */
export function diffKindLabels(diff: Pick<PeriodDiff, 'findingKind'>): readonly DiffKindLabel[] {
  if (diff.findingKind === 'event') {
    return [
      { key: 'new', countKey: 'newCount', label: 'New this period', hint: 'not seen in the previous period' },
      { key: 'persisting', countKey: 'persistingCount', label: 'Also in the previous period', hint: 'seen in both periods' },
      { key: 'resolved', countKey: 'resolvedCount', label: 'Not seen this period', hint: 'seen in the previous period only; one-off events are not expected to recur' },
    ];
  }
  return [
    { key: 'new', countKey: 'newCount', label: 'New', hint: 'not seen in the previous period' },
    { key: 'persisting', countKey: 'persistingCount', label: 'Persisting', hint: 'also in the previous period' },
    { key: 'resolved', countKey: 'resolvedCount', label: 'Resolved', hint: 'in the previous period, not in this one' },
  ];
}

/** Whether the diff can be read: the previous period held data on every day (runs recorded before the check are shown as they were). */
export const diffComparable = (diff: Pick<PeriodDiff, 'previousComplete'>): boolean => diff.previousComplete !== false;
